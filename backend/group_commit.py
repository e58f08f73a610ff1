"""Group commit: one writer thread applies the pushes that queue up while it works, together.

Under load, many desks push at once and all wait for the one write transaction at a time that
SQLite allows (and that a scope's counter row allows on PostgreSQL). Each transaction has a fixed
cost — begin, claiming ledger keys, the change-log counters, commit — that does not depend on how
many mutations it carries. So a push is handed to this process's writer thread, which takes
everything waiting in its queue (in arrival order, up to a size limit) and applies it in one
transaction. A waiting push holds no request thread: the HTTP handler awaits a future, and the
request threads stay free for pulls and sign-ins. With no contention a push is applied alone.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
log = logging.getLogger(__name__)
_Job = tuple[T, int, "Future[R]"]


class GroupCommit(Generic[T, R]):
    """`submit(item, size)` → a future; `apply` receives a group of items and returns one outcome
    per item: a result, or the exception that item alone should raise."""

    def __init__(self, apply: Callable[[list[T]], list[R | BaseException]], limit: int, name: str) -> None:
        self._apply = apply
        self._limit = limit
        self._name = name
        self._jobs: queue.SimpleQueue[_Job[T, R] | None] | None = None  # the running thread's queue
        self._thread: threading.Thread | None = None
        self._started = threading.Lock()

    def submit(self, item: T, size: int) -> Future[R]:
        future: Future[R] = Future()
        with self._started:
            if self._thread is None or self._jobs is None:
                self._jobs = queue.SimpleQueue()
                self._thread = threading.Thread(target=self._work, args=(self._jobs,), name=self._name, daemon=True)
                self._thread.start()
            self._jobs.put((item, size, future))
        return future

    def run(self, item: T, size: int) -> R:
        return self.submit(item, size).result()

    def stop(self) -> None:
        """Let the jobs queued so far finish, then end the thread (a later submit starts a new one)."""
        with self._started:
            thread, jobs, self._thread, self._jobs = self._thread, self._jobs, None, None
            if jobs is not None:
                jobs.put(None)
        if thread is not None:
            thread.join()

    def _work(self, jobs: queue.SimpleQueue[_Job[T, R] | None]) -> None:
        held: _Job[T, R] | None = None  # taken from the queue, but too big for the last group
        stopping = False
        while not stopping:
            first = held or jobs.get()
            if first is None:
                return
            group, total, held = [first], first[1], None
            while total < self._limit:
                try:
                    job = jobs.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    stopping = True
                    break
                if total + job[1] > self._limit:
                    held = job
                    break
                group.append(job)
                total += job[1]
            self._run_group(group)

    def _run_group(self, group: list[_Job[T, R]]) -> None:
        try:
            outcomes = self._apply([item for item, _, _ in group])
        except BaseException as error:  # apply failed as a whole: every push of the group sees it
            log.exception("group commit failed")
            outcomes = [error] * len(group)
        for (_, _, future), outcome in zip(group, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)
