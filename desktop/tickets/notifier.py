"""In-app notifications for the tickets area: a task lands in my queue, a stage I wait on is done,
a warning or overdue point is reached. Sent through the message bridge, and the system tray when
there is one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

from desktop import messages
from desktop.change_watch import ChangeWatch
from desktop.context import DeskContext
from desktop.i18n import current_language
from desktop.tickets import labels, store_reads
from desktop.tickets.watch import Notice, Snapshot, notices
from domain.catalogue import Catalogue
from domain.errors import DomainError
from domain.records import Staff
from local_store import Store

WATCHED_KINDS = frozenset({"ticket", "stage_task"})


def take_snapshot(store: Store, staff: Staff, at: datetime) -> Snapshot:
    tasks = store_reads.followed_tasks(store, staff)
    tickets = store_reads.tickets_by_id(store, {t.ticket_id for t in tasks})
    return Snapshot(
        at=at,
        tasks={t.id: t for t in tasks},
        numbers={tid: t.number or t.provisional_number or "" for tid, t in tickets.items()},
        type_codes={tid: t.type_code for tid, t in tickets.items()},
        before_first_sync=store.last_synced(f"office:{staff.office_id}") is None,
    )


class TicketNotifier(QObject):
    """Re-reads its snapshot when tickets or stages change, and re-judges deadlines on a timer."""

    notified = Signal(object)  # a Notice

    def __init__(self, context: DeskContext, catalogue: Catalogue, clock: Callable[[], datetime], *,
                 interval_ms: int = 30_000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._catalogue = catalogue
        self._clock = clock
        self._last: Snapshot | None = None
        self.history: list[tuple[Notice, str]] = []
        self.tray: QSystemTrayIcon | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check_clock)
        self.watch = ChangeWatch(self, WATCHED_KINDS, self._read, self._compare)

    @property
    def ready(self) -> bool:
        """True once a baseline snapshot exists and no read is in flight."""
        return self._last is not None and not self.watch.busy

    def start(self) -> None:
        app = QApplication.instance()
        if self.tray is None and QSystemTrayIcon.isSystemTrayAvailable() and isinstance(app, QApplication):
            self.tray = QSystemTrayIcon(app.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation), self)
            self.tray.setToolTip(self.tr("一窗通工单提醒"))
            self.tray.show()
        self.watch.start()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.watch.stop()
        if self.tray is not None:
            self.tray.hide()

    def reread(self) -> None:
        self.watch.reread()

    def _read(self) -> Callable[[], Snapshot]:
        store, staff, now = self._context.store, self._context.staff, self._clock()
        return lambda: take_snapshot(store, staff, now)

    def check_clock(self) -> None:
        """The clock moved: the same stages may have passed a warning or overdue point."""
        if self.ready and self._last is not None:
            self._compare(self._last.at_time(self._clock()))

    def _compare(self, snapshot: Snapshot) -> None:
        news = notices(self._last, snapshot, self._context.staff)
        self._last = snapshot
        for notice in news:
            self._announce(notice)

    def text_of(self, notice: Notice) -> str:
        texts = {
            "landed": self.tr("新任务：工单 %1 的「%2」环节（%3）"),
            "waited_done": self.tr("工单 %1 的「%2」环节已由%3完成"),
            "warning": self.tr("预警：工单 %1 的「%2」环节（%3）即将超时"),
            "overdue": self.tr("超时：工单 %1 的「%2」环节（%3）已超过时限"),
        }
        lang = current_language()
        return (texts[notice.kind].replace("%1", notice.number).replace("%2", self._stage_name(notice, lang))
                .replace("%3", labels.department_name(notice.task.department, lang)))

    def _stage_name(self, notice: Notice, lang: str) -> str:
        try:
            return self._catalogue.ticket_type(notice.type_code).workflow.stage(notice.task.stage_code).name(lang)
        except DomainError:
            return notice.task.stage_code

    def _announce(self, notice: Notice) -> None:
        text = self.text_of(notice)
        self.history.append((notice, text))
        if notice.kind in ("warning", "overdue"):
            messages.warning(text)
        else:
            messages.info(text)
        if self.tray is not None:
            icon = (QSystemTrayIcon.MessageIcon.Warning if notice.kind == "overdue"
                    else QSystemTrayIcon.MessageIcon.Information)
            self.tray.showMessage(self.tr("一窗通"), text, icon, 8000)
        self.notified.emit(notice)
