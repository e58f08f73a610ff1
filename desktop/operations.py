"""One helper every button uses for work off the GUI thread (Anki's CollectionOp/QueryOp).

`Operation(parent, work)` runs `work` — a blocking callable (store access) on the store
thread, or a coroutine function (network) on the qasync loop — then calls
`.success(result)` on the GUI thread, routes failures to one place (the message
bridge), and announces which entity kinds changed so each screen refreshes only what
it shows.

Operations own their lifetime: each is counted while it runs (`in_flight()`; shutdown and
the tests wait with `settle()` instead of sleeping), neither callback runs once the parent
widget is gone, and destroying the parent cancels the operation (its store call still ends
in the store thread first, so the store is never closed under it).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import traceback
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QMetaObject, QObject, Signal

from desktop import messages
from desktop.app_objects import app_child
from desktop.i18n import current_language
from desktop.sync.errors import SyncError
from desktop.sync.store_thread import run_in_store, store_executor
from domain.errors import DomainError

__all__ = [
    "Changes", "Operation", "background", "changes", "drop_connection", "expected_failure_text", "in_flight",
    "report_failure", "report_sync_failure", "run_in_store", "settle", "store_executor",
]

log = logging.getLogger(__name__)

# The operations still running (plain asyncio tasks; no Qt object lives in a module global).
_running: set[asyncio.Task[Any]] = set()


class Changes(QObject):
    """Announces which kinds of entity moved (`{"ticket", "customer"}`), after local work or a sync."""

    changed = Signal(object)

    def announce(self, kinds: Iterable[str]) -> None:
        kinds = frozenset(kinds)
        if kinds:
            self.changed.emit(kinds)


def changes() -> Changes:
    """The application's one `Changes`, a child of the QApplication (it lives and dies with it)."""
    return app_child(Changes, "changes")


def background(work: Awaitable[Any]) -> asyncio.Task[Any]:
    """Run a coroutine no widget waits for (a lock renewal, an unlock), counted like an operation."""
    task = asyncio.ensure_future(work)
    _running.add(task)
    task.add_done_callback(_running.discard)
    return task


def in_flight() -> int:
    """How many operations are running now."""
    return sum(1 for task in _running if not task.done())


async def settle() -> None:
    """Wait until no operation is running (including operations those start meanwhile)."""
    while True:
        tasks = [task for task in _running if not task.done()]
        if not tasks:
            return
        await asyncio.wait(tasks)


def expected_failure_text(exc: BaseException) -> str | None:
    """The sentence for a failure a user can meet in normal work, or None for a bug."""
    if isinstance(exc, DomainError | SyncError):
        return exc.message(current_language())
    return None


def report_sync_failure(exc: BaseException) -> None:
    """The sync engine met an unexpected error (it has logged it and retries with backoff): tell the user."""
    messages.error(
        QCoreApplication.translate("Operation", "同步出现意外错误，稍后自动重试。"),
        "".join(traceback.format_exception(exc)),
    )


def report_failure(exc: BaseException) -> None:
    text = expected_failure_text(exc)
    if text is not None:
        messages.warning(text)
        return
    log.error("operation failed", exc_info=exc)
    details = "".join(traceback.format_exception(exc))
    messages.error(QCoreApplication.translate("Operation", "操作失败：程序出现意外错误。"), details)


class Operation:
    def __init__(self, parent: QObject | None, work: Callable[[], Any], *, changes: Iterable[str] = ()) -> None:
        self._parent = parent
        self._work = work
        self._changes = frozenset(changes)
        self._on_success: Callable[[Any], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None

    def success(self, callback: Callable[[Any], None]) -> Operation:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Operation:
        self._on_failure = callback
        return self

    def run(self) -> asyncio.Task[Any]:
        task = background(self._run())
        parent = self._parent
        if parent is not None:
            # Destroying the widget cancels its operation; the connection goes when the operation ends.
            connection = parent.destroyed.connect(lambda *_: task.cancel())
            task.add_done_callback(lambda _: _disconnect(parent, connection))
        return task

    async def _run(self) -> Any:
        try:
            if inspect.iscoroutinefunction(self._work):
                result = await self._work()
            else:
                result = await run_in_store(self._work)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # every failure ends here, in one place
            if self._on_failure is not None:
                if not _is_deleted(self._parent):
                    self._on_failure(exc)
                elif expected_failure_text(exc) is None:
                    report_failure(exc)  # a bug stays loud after its window has closed
                else:
                    log.info("operation failed after its window was closed: %s", exc)
            else:
                report_failure(exc)
            return None
        if self._on_success is not None and not _is_deleted(self._parent):
            self._on_success(result)
        changes().announce(self._changes)
        return result


def _is_deleted(obj: QObject | None) -> bool:
    """The C++ side of `obj` is gone (its window was closed meanwhile)."""
    return obj is not None and not shiboken6.isValid(obj)


def drop_connection(connection: QMetaObject.Connection) -> None:
    """End one connection, kept from `signal.connect(...)`. The desk never calls `signal.disconnect(slot)`:
    in PySide6 6.12 each such call drops a reference to True that it never took (a refcount bug in the
    binding), and some thousands of them abort the interpreter ("bool_dealloc") — a desk signed in and out
    all day, or the test suite (tests/desktop/test_lifetimes.py keeps every such call out of the code)."""
    QObject.disconnect(connection)


def _disconnect(parent: QObject, connection: QMetaObject.Connection) -> None:
    if shiboken6.isValid(parent):
        drop_connection(connection)
