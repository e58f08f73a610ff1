"""Exponential backoff with full jitter, so a hundred desks coming back online do not retry in step."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Backoff:
    base: float = 0.5
    cap: float = 60.0
    rng: Callable[[], float] = field(default=random.random)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before try number `attempt` (1-based); never sooner than the server's Retry-After."""
        ceiling = min(self.cap, self.base * (2 ** max(0, attempt - 1)))
        wait = self.rng() * ceiling
        return max(wait, retry_after) if retry_after is not None else wait
