"""Group commit: writers that arrive while another holds the write turn are applied together.

Under load, many desks push at once and all wait for the one write transaction at a time that
SQLite allows (and that a scope's counter row allows on PostgreSQL). Each transaction has a
fixed cost — begin, claiming ledger keys, the change-log counters, commit — that does not depend
on how many mutations it carries. So the thread whose turn comes takes every push waiting in the
queue (up to a size limit), in arrival order, and applies them in one transaction; the others find
their outcome ready when their turn comes. With no contention a push is simply applied alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(eq=False)
class _Entry(Generic[T, R]):
    item: T
    size: int
    done: bool = False
    outcome: R | BaseException | None = None


class GroupCommit(Generic[T, R]):
    """`run(item, size, apply)`: `apply` receives a group of items and returns one outcome per item,
    a result or the exception that item alone should raise."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._turn = threading.Lock()
        self._queued = threading.Lock()
        self._queue: list[_Entry[T, R]] = []

    def run(self, item: T, size: int, apply: Callable[[list[T]], list[R | BaseException]]) -> R:
        entry: _Entry[T, R] = _Entry(item, size)
        with self._queued:
            self._queue.append(entry)
        while not entry.done:
            with self._turn:
                if entry.done:
                    break
                group = self._take()
                try:
                    outcomes = apply([e.item for e in group])
                except BaseException as error:  # apply failed as a whole: every item of the group sees it
                    outcomes = [error] * len(group)
                for member, outcome in zip(group, outcomes, strict=True):
                    member.outcome, member.done = outcome, True
        if isinstance(entry.outcome, BaseException):
            raise entry.outcome
        return entry.outcome  # type: ignore[return-value]

    def _take(self) -> list[_Entry[T, R]]:
        """The oldest waiting entries, at least one, up to `limit` in total size."""
        with self._queued:
            taken, total = 0, 0
            for waiting in self._queue:
                if taken and total + waiting.size > self._limit:
                    break
                taken, total = taken + 1, total + waiting.size
            group, self._queue = self._queue[:taken], self._queue[taken:]
        return group
