"""Python's cyclic garbage collector runs on the GUI thread only.

CPython collects in whichever thread happens to allocate when a generation's threshold is
crossed. In the desk that is usually the store thread, busy applying a pull page or a
search. If the garbage then holds a Qt object that Python owns (a closed qasync loop's
timer and signaller, a parentless model or timer in a reference cycle), the store thread
deletes a QObject that lives on the GUI thread while the GUI thread's event dispatcher
is still using it: a segmentation fault, some time later and far from the cause (the
crash of issue 14 in `desk_loop`'s teardown). Anki's desktop does the same for the same
reason: automatic collection is switched off and the GUI thread collects, from a timer
in the app and after each test in the test harness.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


def collect() -> int:
    """Collect the generations whose counts passed their thresholds, youngest first (on the GUI thread)."""
    thresholds = gc.get_threshold()
    counts = gc.get_count()
    found = 0
    if counts[0] > thresholds[0]:
        generation = 0
        if counts[1] > thresholds[1]:
            generation = 2 if counts[2] > thresholds[2] else 1
        found = gc.collect(generation)
    return found


class GuiThreadCollector(QObject):
    """Switches automatic collection off while it lives and collects from a GUI-thread timer instead."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(collect)
        self._timer.start()

    def shutdown(self) -> None:
        """Stop the timer, collect everything once here, and give collection back to CPython."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
