"""Test clocks: the desk-side clocks a test moves by hand, and the server's injected clock (--test-clock).

- `FixedClock`: reads the same instant until the test calls `advance(...)` (screens, ticket details).
- `TickingClock`: one step (a second) further at every reading, so every store write has its own time.
- `set_server_clock(url, now)`: moves a `--test-clock` server's injected time (shared by every process on
  its database); the server runs its due timers before it answers.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

# Monday 3 March 2025, 09:00 in the office zone: the desk suites' default instant.
DESK_EPOCH = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)


class FixedClock:
    """A clock the test moves by hand; readings never advance on their own."""

    def __init__(self, start: datetime = DESK_EPOCH) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


class TickingClock:
    """A store's clock: `step` further per reading, so every write has its own time."""

    def __init__(self, start: datetime = DESK_EPOCH, step: timedelta = timedelta(seconds=1)) -> None:
        self.now = start
        self.step = step

    def __call__(self) -> datetime:
        self.now += self.step
        return self.now


def set_server_clock(url: str, now: datetime | str) -> dict[str, str]:
    """Move a --test-clock server's time; its answer says how many timers fired at the new instant."""
    moment = now.isoformat() if isinstance(now, datetime) else now
    response = httpx.post(f"{url}/api/v1/test/clock", json={"now": moment}, timeout=30)
    assert response.status_code == 200, response.text
    answer: dict[str, str] = response.json()
    return answer
