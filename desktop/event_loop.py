"""The desk's asyncio loop: qasync's, without the signal disconnects that PySide6 6.12 gets wrong.

In PySide6 6.12 every `SignalInstance.disconnect()` drops one reference to `True` that it
never took (a refcount bug in the binding). qasync disconnects a socket notifier's signal
each time a socket stops being watched (every connection the sync client opens or closes)
and its thread-safe-call signal when the loop closes. Each of those brings `True` one step
closer to a refcount of zero, where the interpreter aborts ("bool_dealloc: deallocating
True or False"). This loop deletes those Qt objects instead, which drops their connections
in C++ with no Python call.

It also deletes its own Qt objects (timer, signaller, notifiers) when it closes, on the GUI
thread: a closed loop left to the cyclic garbage collector would otherwise take them down
in whichever thread happens to collect (see desktop/garbage.py).
"""

from __future__ import annotations

from typing import Any

import qasync
import shiboken6
from PySide6.QtCore import QObject


class DeskEventLoop(qasync.QEventLoop):
    def _add_reader(self, fd: Any, callback: Any, *args: Any) -> None:
        self._forget_notifier(self._read_notifiers, fd)  # qasync would disconnect a replaced one
        super()._add_reader(fd, callback, *args)

    def _add_writer(self, fd: Any, callback: Any, *args: Any) -> None:
        self._forget_notifier(self._write_notifiers, fd)
        super()._add_writer(fd, callback, *args)

    def _remove_reader(self, fd: Any) -> bool | None:
        return self._forget_notifier(self._read_notifiers, fd)

    def _remove_writer(self, fd: Any) -> bool | None:
        return self._forget_notifier(self._write_notifiers, fd)

    def _forget_notifier(self, notifiers: dict[int, QObject] | None, fd: Any) -> bool | None:
        if self.is_closed() or notifiers is None:
            return None
        notifier = notifiers.pop(fd, None)
        if notifier is None:
            return False
        notifier.setEnabled(False)  # type: ignore[attr-defined]
        notifier.deleteLater()  # its connection goes with it; a ready event already queued finds no fd
        return True

    def close(self) -> None:
        if self.is_running():
            raise RuntimeError("Cannot close a running event loop")
        if self.is_closed():
            return
        doomed: list[QObject] = [self._timer]
        signaller = getattr(self, "_QEventLoop__call_soon_signaller", None)
        if signaller is not None:
            doomed.append(signaller)
            # qasync's close() skips the disconnect then; asyncio never calls a closed loop back.
            self._QEventLoop__call_soon_signal = None
        for notifiers in (self._read_notifiers, self._write_notifiers):
            for notifier in notifiers.values():
                notifier.setEnabled(False)
                doomed.append(notifier)
            notifiers.clear()
        super().close()
        for qobject in doomed:
            if shiboken6.isValid(qobject):
                shiboken6.delete(qobject)
