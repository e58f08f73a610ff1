"""计划停电: dispatch enters a planned or temporary-maintenance outage — the area picked on the office's grid, the
window, the reason callers will hear — and sees before saving who is inside and whether the notice period is met
(7 days ahead; 24 h to important customers for temporary maintenance: a warning, not a refusal)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from desktop.context import DeskContext
from desktop.display import text_counter
from desktop.i18n import current_language
from desktop.tickets.task_dialogs import _Form
from domain.bounds import text_limit
from domain.errors import DomainError
from domain.outage.events import OutageKind, PlannedOutage, plan_outage
from domain.outage.topology import Grid
from domain.records import OutageEvent
from domain.sla import OFFICE_ZONE

DEVICE_ROLE = Qt.ItemDataRole.UserRole
WARNING_STYLE = "color: #b26a00;"
DEFAULT_START = time(8, 30)  # maintenance windows open in the morning
DEFAULT_HOURS = 8


class PlannedOutageDialog(_Form):
    """`saved` carries the event once it is in the desk store (queued for the server)."""

    saved = Signal(object)

    def __init__(self, context: DeskContext, grid: Grid, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("计划停电"), parent)
        self.setObjectName("plannedOutageDialog")
        self._context = context
        self._grid = grid
        self._now = now
        lang = current_language()
        self.kind = QComboBox(self)
        self.kind.setObjectName("plannedOutageKind")
        self.kind.setAccessibleName(self.tr("停电类型"))
        for kind in (OutageKind.planned, OutageKind.temporary):
            self.kind.addItem(kind.label(lang), kind.value)
        self.area = QTreeWidget(self)
        self.area.setObjectName("plannedOutageArea")
        self.area.setAccessibleName(self.tr("停电范围"))
        self.area.setHeaderLabels([self.tr("设备"), self.tr("户数")])
        self._fill_area()
        self.area.setMinimumHeight(self.area.fontMetrics().height() * 12)
        first_day = (now.astimezone(OFFICE_ZONE) + timedelta(days=8)).date()
        start = datetime.combine(first_day, DEFAULT_START, OFFICE_ZONE)
        self.starts = self._moment_edit("plannedOutageStarts", self.tr("开始时间"), start)
        self.ends = self._moment_edit("plannedOutageEnds", self.tr("结束时间"), start + timedelta(hours=DEFAULT_HOURS))
        self.reason = QLineEdit(self)
        self.reason.setObjectName("plannedOutageReason")
        self.reason.setAccessibleName(self.tr("停电原因"))
        self.reason.setPlaceholderText(self.tr("坐席会把原因告诉来电客户"))
        self.preview = QLabel(self)
        self.preview.setObjectName("plannedOutagePreview")
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setWordWrap(True)
        self.form.addRow(self.tr("类型(&K)"), self.kind)
        self.form.addRow(self.tr("停电范围(&A)"), self.area)
        self.form.addRow(self.tr("开始(&S)"), self.starts)
        self.form.addRow(self.tr("结束(&E)"), self.ends)
        self.form.addRow(self.tr("原因(&R)"), self.reason)
        self.form.addRow("", text_counter(self.reason, text_limit("outage_event.reason"), self))
        self.form.addRow("", self.preview)
        self.kind.currentIndexChanged.connect(self._changed)
        self.area.itemChanged.connect(self._changed)
        self.starts.dateTimeChanged.connect(self._changed)
        self.ends.dateTimeChanged.connect(self._changed)
        self.reason.textChanged.connect(self._changed)
        self._changed()
        self.resize(560, self.sizeHint().height())

    def _moment_edit(self, name: str, accessible: str, value: datetime) -> QDateTimeEdit:
        edit = QDateTimeEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        edit.setCalendarPopup(True)
        # The edit shows and keeps the office's wall time; `_moment` reads it back in the office's zone.
        edit.setDateTime(QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute)))
        return edit

    def _fill_area(self) -> None:
        """The grid as a tree, feeders first; each device can be checked (its whole area goes dark)."""
        items: dict[str, QTreeWidgetItem] = {}
        pending = sorted(self._grid.devices.values(), key=lambda d: d.name)
        while pending:  # parents before children, whatever the order of the rows
            placed = [d for d in pending if d.parent_id is None or d.parent_id in items]
            if not placed:
                break  # Grid.build refused loops and orphans: nothing is left here
            for device in placed:
                parent = items.get(device.parent_id) if device.parent_id else None
                item = QTreeWidgetItem(parent) if parent is not None else QTreeWidgetItem(self.area)
                item.setText(0, device.name)
                item.setText(1, str(len(self._grid.accounts_under(device.id))))
                item.setData(0, DEVICE_ROLE, device.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Unchecked)
                items[device.id] = item
            pending = [d for d in pending if d.id not in items]
        self.area.expandToDepth(0)
        self.area.resizeColumnToContents(0)

    def first_field(self) -> QWidget | None:
        return self.kind

    def checked_devices(self) -> list[str]:
        found: list[str] = []
        stack = [self.area.topLevelItem(n) for n in range(self.area.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            if item.checkState(0) == Qt.CheckState.Checked:
                found.append(str(item.data(0, DEVICE_ROLE)))
            stack.extend(item.child(n) for n in range(item.childCount()))
        return found

    def collect(self) -> PlannedOutage:
        """The form checked with the server's rule (raises DomainError saying what is wrong)."""
        return plan_outage(self._grid, str(self.kind.currentData()), self.checked_devices(),
                           _moment(self.starts), _moment(self.ends), self.reason.text(), self._now)

    def _changed(self, *_: object) -> None:
        """Who is inside and the notice period, as the form stands; the form's first problem otherwise."""
        try:
            planned = self.collect()
        except DomainError as error:
            self.preview.setStyleSheet("")
            self.preview.setText(error.message(current_language()))
            self.ok_button.setEnabled(False)
            return
        self.ok_button.setEnabled(True)
        text = self.tr("停电户数 %1，其中重要客户 %2").replace("%1", str(len(planned.accounts))) \
            .replace("%2", str(len(planned.important)))
        warnings = [w.message(current_language()) for w in planned.warnings]
        self.preview.setStyleSheet(WARNING_STYLE if warnings else "")
        self.preview.setText("\n".join([text, *warnings]))

    def _try_accept(self) -> None:
        try:
            planned = self.collect()
        except DomainError as error:
            self.error.setText(error.message(current_language()))
            return
        store, staff, office_id = self._context.store, self._context.staff, self._context.office_id

        def write() -> OutageEvent:
            event, _ = store.plan_outage_event(
                office_id=office_id, kind=planned.kind.value, device_ids=list(planned.device_ids),
                starts_at=planned.starts_at, ends_at=planned.ends_at, reason=planned.reason, staff_id=staff.id)
            return event

        self.save(self._context, write, {"outage_event"}, self.saved.emit)


def _moment(edit: QDateTimeEdit) -> datetime:
    """The edit's wall time, in the office's zone."""
    value = edit.dateTime()
    day, clock = value.date(), value.time()
    return datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute(), tzinfo=OFFICE_ZONE)
