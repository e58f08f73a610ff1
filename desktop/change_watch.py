"""One way for a screen or a notifier to keep what it shows in step with the store.

`ChangeWatch(owner, kinds, prepare, show)` reads again whenever an entity kind in `kinds` is announced
as changed (`desktop.operations.changes()`), one read at a time: `prepare()` runs on the GUI thread (it may
look at widgets: the chosen scope, the signed-in person) and returns the blocking read, which runs on the
store thread as an `Operation` of the watch; `show(result)` gets the answer back on the GUI thread. A change
announced while a read is running asks for one more read after it, so reads never pile up and the last
answer shown is never older than the last change. The watch is a child of its owner: destroying the owner
ends the watch, its connection and its read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QMetaObject, QObject

from desktop.operations import Operation, changes, drop_connection, report_failure


class ChangeWatch(QObject):
    """A child of its owner: when the owner is destroyed, so is the watch, and Qt drops its connection."""

    def __init__(self, owner: QObject, kinds: frozenset[str], prepare: Callable[[], Callable[[], Any]],
                 show: Callable[[Any], None]) -> None:
        super().__init__(owner)
        self._kinds = kinds
        self._prepare = prepare
        self._show = show
        self._connection: QMetaObject.Connection | None = None
        self._busy = False
        self._again = False

    @property
    def busy(self) -> bool:
        """A read is running (or a change came in during one and its read is still to come)."""
        return self._busy

    def start(self) -> None:
        """Listen for changes and read now; starting twice listens once."""
        if self._connection is None:
            self._connection = changes().changed.connect(self._on_changes)
        self.reread()

    def stop(self) -> None:
        """Stop listening; safe to call twice (a read already running still delivers its answer)."""
        if self._connection is not None:
            drop_connection(self._connection)
            self._connection = None

    def _on_changes(self, kinds: frozenset[str]) -> None:
        if kinds & self._kinds:
            self.reread()

    def reread(self) -> None:
        if self._busy:
            self._again = True
            return
        self._busy = True
        Operation(self, self._prepare()).success(self._landed).failure(self._failed).run()

    def _landed(self, result: Any) -> None:
        self._busy = False
        self._show(result)
        if self._again:
            self._again = False
            self.reread()

    def _failed(self, error: BaseException) -> None:
        self._busy = self._again = False
        report_failure(error)
