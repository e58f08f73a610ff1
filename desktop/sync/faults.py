"""Named kill points for the fault suite: ONEWINDOW_FAULT=<point>[@<n>] SIGKILLs the desk the n-th time it gets there.

Only the headless desk runner installs this; the engine merely calls its `checkpoint` hook.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable

FAULT_ENV = "ONEWINDOW_FAULT"
# Not an engine checkpoint: the runner kills the process from a timer while a page is being applied.
DURING_PAGE_APPLY = "during_page_apply"
# The engine's checkpoints (desktop/sync/engine.py), in the order one round passes them.
ENGINE_POINTS = ("before_push", "after_push_response_before_apply", "after_push_apply",
                 "before_page_apply", "after_page_apply")
KILL_POINTS = (*ENGINE_POINTS, DURING_PAGE_APPLY)


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def parse_fault(value: str | None) -> tuple[str, int] | None:
    if not value:
        return None
    point, _, nth = value.partition("@")
    return point.strip(), int(nth) if nth else 1


def checkpoint_from_env(kill: Callable[[], None] = die) -> Callable[[str], None] | None:
    return checkpoint_for(os.environ.get(FAULT_ENV), kill)


def checkpoint_for(value: str | None, kill: Callable[[], None] = die) -> Callable[[str], None] | None:
    """The engine hook for a fault spec `<point>[@n]`; None for no fault or one the runner arms itself."""
    fault = parse_fault(value)
    if fault is None or fault[0] == DURING_PAGE_APPLY:
        return None
    point, nth = fault
    seen = 0

    def checkpoint(name: str) -> None:
        nonlocal seen
        if name == point:
            seen += 1
            if seen == nth:
                kill()

    return checkpoint


def kill_during(delay_seconds: float, kill: Callable[[], None] = die) -> threading.Timer:
    """Arm a timer that kills the process while the caller is inside a long store call."""
    timer = threading.Timer(delay_seconds, kill)
    timer.daemon = True
    timer.start()
    return timer
