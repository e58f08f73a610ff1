"""One helper every button uses for work off the GUI thread (Anki's CollectionOp/QueryOp).

`Operation(parent, work)` runs `work` — a blocking callable (store access) in the
store executor, or a coroutine function (network) on the qasync loop — then calls
`.success(result)` on the GUI thread, routes failures to one place (the message
bridge), and announces which entity kinds changed so each screen refreshes only what
it shows.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from desktop import messages
from desktop.i18n import current_language
from desktop.sync.errors import SyncError
from domain.errors import DomainError

log = logging.getLogger(__name__)


class Changes(QObject):
    """Announces which kinds of entity moved (`{"ticket", "customer"}`), after local work or a sync."""

    changed = Signal(object)

    def announce(self, kinds: Iterable[str]) -> None:
        kinds = frozenset(kinds)
        if kinds:
            self.changed.emit(kinds)


_changes = Changes()
# Store work runs here, one worker: SQLite gives one writer anyway and order stays predictable.
store_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")


def changes() -> Changes:
    return _changes


def expected_failure_text(exc: BaseException) -> str | None:
    """The sentence for a failure a user can meet in normal work, or None for a bug."""
    if isinstance(exc, DomainError | SyncError):
        return exc.message(current_language())
    return None


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
        return asyncio.ensure_future(self._run())

    async def _run(self) -> Any:
        try:
            if inspect.iscoroutinefunction(self._work):
                result = await self._work()
            else:
                loop = asyncio.get_running_loop()
                result = await loop.run_in_executor(store_executor, self._work)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # every failure ends here, in one place
            if self._on_failure is not None:
                self._on_failure(exc)
            else:
                report_failure(exc)
            return None
        if self._on_success is not None and not _is_deleted(self._parent):
            self._on_success(result)
        _changes.announce(self._changes)
        return result


def _is_deleted(obj: QObject | None) -> bool:
    if obj is None:
        return False
    try:
        obj.objectName()
    except RuntimeError:  # the C++ widget is gone: its window was closed meanwhile
        return True
    return False
