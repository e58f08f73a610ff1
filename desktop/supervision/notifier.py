"""Notices about 督办 actions (新督办, 督办超期, 督办已办结) through the message bridge, re-judged when an action row
changes and on the area's clock; what is news is decided by desktop.supervision.watch (Qt-free)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from desktop import messages
from desktop.change_watch import ChangeWatch
from desktop.context import DeskContext
from desktop.display import cell_text, date_text
from desktop.i18n import current_language
from desktop.supervision.watch import ActionNotice, ActionSnapshot, action_notices, follows, take_snapshot
from desktop.tickets import labels
from domain import supervision

WATCHED = frozenset({"supervision_action"})


class ActionNotifier(QObject):
    """Tells the person of a new 督办 for their department, one late, one they assigned closed."""

    notified = Signal(object)  # an ActionNotice
    counted = Signal(int, int)  # open actions followed, of which late

    def __init__(self, context: DeskContext, clock: Callable[[], datetime], *, interval_ms: int = 30_000,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._clock = clock
        self._last: ActionSnapshot | None = None
        self.history: list[tuple[ActionNotice, str]] = []
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check_clock)
        self._active = follows(context.staff)
        self.watch = ChangeWatch(self, WATCHED, self._read, self._compare)

    @property
    def ready(self) -> bool:
        return self._last is not None and not self.watch.busy

    def start(self) -> None:
        if self._active:
            self.watch.start()
            self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.watch.stop()

    def reread(self) -> None:
        self.watch.reread()

    def _read(self) -> Callable[[], ActionSnapshot]:
        store, staff, now = self._context.store, self._context.staff, self._clock()
        return lambda: take_snapshot(store, staff, now)

    def check_clock(self) -> None:
        if self.ready and self._last is not None:
            self._compare(ActionSnapshot(self._clock(), self._last.actions, self._last.before_first_sync))

    def _compare(self, snapshot: ActionSnapshot) -> None:
        news = action_notices(self._last, snapshot, self._context.staff)
        self._last = snapshot
        still_open = [a for a in snapshot.actions.values() if a.state == supervision.OPEN]
        self.counted.emit(len(still_open), sum(supervision.is_late(a.state, a.due_on, snapshot.at) for a in still_open))
        for notice in news:
            text = self.text_of(notice)
            self.history.append((notice, text))
            (messages.warning if notice.kind == "late" else messages.info)(text)
            self.notified.emit(notice)

    def text_of(self, notice: ActionNotice) -> str:
        action, lang = notice.action, current_language()
        texts = {"assigned": self.tr("新督办：%1（%2，%3 前办结）"),
                 "late": self.tr("督办超期：%1（%2，期限 %3）"),
                 "closed": self.tr("督办已办结：%1（%2，%3）")}
        third = date_text(action.due_on) if notice.kind != "closed" else cell_text(action.result or "", 60)
        return (texts[notice.kind].replace("%1", cell_text(action.title, 60))
                .replace("%2", labels.department_name(action.department, lang)).replace("%3", third))
