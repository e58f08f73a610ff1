"""Waiting on a condition instead of sleeping a fixed time (tests never assert on wall-clock time)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

POLL_SECONDS = 0.02


def wait_until(condition: Callable[[], T], *, timeout: float = 30.0, what: str = "the condition",
               interval: float = POLL_SECONDS) -> T:
    """Poll `condition` until it returns something truthy (returned); fail with `what` after `timeout` seconds.

    `interval` spaces the polls of a costly condition (one that signs in, say). Outside Qt only: a desktop
    test waits with qtbot.waitUntil, which keeps Qt's event loop spinning."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what} (last value: {value!r})")
        time.sleep(interval)
