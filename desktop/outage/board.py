"""The 停电抢修 area (docs/outage.md): the office's live and scheduled outages, the largest first; the selected
event's plan tasks with their deadlines, those past due marked while the power is still off; repair command
confirms a predicted fault or begins a planned outage, reports restoration, and dismisses a false prediction or
calls off a scheduled outage with a reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop import messages
from desktop.change_watch import ChangeWatch
from desktop.context import DeskContext
from desktop.display import datetime_text, plain_label
from desktop.i18n import current_language
from desktop.operations import Operation, expected_failure_text, report_failure
from desktop.outage.model import AREA_COLUMN, OutageEventsModel
from desktop.outage.plan_dialog import PlannedOutageDialog
from desktop.tickets.task_dialogs import ReasonDialog
from domain import sla
from domain.language import pick
from domain.outage.events import state_machine_of
from domain.outage.topology import Grid
from domain.records import OutageEvent
from domain.roles import Department, may_command_outages
from domain.states import allowed_transitions

BOARD_KINDS = frozenset({"outage_event", "grid_device"})
LATE = QColor("#c62828")
EARLY = timedelta(hours=1)  # a planned outage begun sooner than this before its window is asked about first
RECHECK_MS = 30_000  # a plan task turns late while the board is open: its mark follows within this


def _utc_now() -> datetime:
    return datetime.now(UTC)


class OutageBoard(QWidget):
    def __init__(self, context: DeskContext, parent: QWidget | None = None, *,
                 clock: Callable[[], datetime] = _utc_now) -> None:
        super().__init__(parent)
        self.setObjectName("outageBoard")
        self.setAccessibleName(self.tr("停电抢修"))
        self._context = context
        self._clock = clock
        self.active_dialog: ReasonDialog | PlannedOutageDialog | None = None
        self.active_box: QMessageBox | None = None
        self.model = OutageEventsModel(self, clock)
        self.table = QTableView(self)
        self.table.setObjectName("outageEvents")
        self.table.setAccessibleName(self.tr("停电事件"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AREA_COLUMN, QHeaderView.ResizeMode.Stretch)  # the longest text gets the room
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # what does not fit is in the tooltip
        self.table.selectionModel().currentRowChanged.connect(lambda _current, _previous: self._show_selected())

        detail = QGroupBox(self.tr("应急联动任务"), self)
        self.summary = plain_label("", detail)
        self.summary.setObjectName("outageSummary")
        self.summary.setWordWrap(True)
        self.tasks = QListWidget(detail)
        self.tasks.setObjectName("outageTasks")
        self.tasks.setAccessibleName(self.tr("预案任务"))
        self.confirm_button = QPushButton(self.tr("确认停电事件(&C)"), detail)
        self.confirm_button.setObjectName("confirmOutage")
        self.confirm_button.clicked.connect(self.begin_selected)
        self.restore_button = QPushButton(self.tr("已复电(&R)"), detail)
        self.restore_button.setObjectName("restoreOutage")
        self.restore_button.clicked.connect(lambda: self._move("restored"))
        self.cancel_button = QPushButton(self.tr("撤销…(&X)"), detail)
        self.cancel_button.setObjectName("cancelOutage")
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.plan_button = QPushButton(self.tr("计划停电…(&P)"), detail)
        self.plan_button.setObjectName("planOutage")
        self.plan_button.setToolTip(self.tr("登记计划检修或临时检修停电：范围、时间、原因"))
        self.plan_button.setVisible(may_command_outages(context.role, context.staff.department))
        self.plan_button.clicked.connect(self.plan_outage)
        buttons = QHBoxLayout()
        buttons.addWidget(self.plan_button)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.summary)
        detail_layout.addWidget(self.tasks, 1)
        detail_layout.addLayout(buttons)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        QVBoxLayout(self).addWidget(splitter)
        self._show_selected()
        self.watch = ChangeWatch(self, BOARD_KINDS, self._read, self._loaded)
        self.watch.start()
        self._recheck = QTimer(self)
        self._recheck.setInterval(RECHECK_MS)
        self._recheck.timeout.connect(self._show_tasks)
        self._recheck.timeout.connect(self.model.refresh_ages)
        self._recheck.start()

    def shutdown(self) -> None:
        self._recheck.stop()
        self.watch.stop()

    def reload(self) -> None:
        self.watch.reread()

    def _read(self) -> Callable[[], tuple[list[OutageEvent], dict[str, str]]]:
        store, office_id = self._context.store, self._context.office_id

        def read() -> tuple[list[OutageEvent], dict[str, str]]:
            events = store.outage_board(office_id)
            return events, store.grid_device_names(sorted({d for e in events for d in e.device_ids}))

        return read

    def _loaded(self, loaded: tuple[list[OutageEvent], dict[str, str]]) -> None:
        events, names = loaded
        selected = self.selected()
        self.model.set_events(events, names)
        row = next((n for n, e in enumerate(events) if selected is not None and e.id == selected.id), 0 if events else -1)
        if row >= 0:
            self.table.selectRow(row)
        self._show_selected()

    def selected(self) -> OutageEvent | None:
        index = self.table.currentIndex()
        return self.model.event_at(index.row()) if index.isValid() else None

    def _show_selected(self) -> None:
        event = self.selected()
        if event is None:
            self.summary.setText(self.tr("当前没有停电事件"))
        else:
            if event.level:
                level = self.tr("响应级别 %1").replace("%1", event.level)
            elif event.outage_kind == "fault":
                level = self.tr("未确认，预案未启动")
            else:
                level = self.tr("计划 %1 至 %2，开始后启动预案").replace("%1", datetime_text(event.starts_at)) \
                    .replace("%2", datetime_text(event.ends_at))
            lines = [event.reason, level]
            if event.notice_warning:  # stored as "zh / en"
                zh, _, en = event.notice_warning.partition(" / ")
                lines.append(pick(zh, en or zh, current_language()))
            self.summary.setText("\n".join(lines))
        self._show_tasks()
        may = event is not None and may_command_outages(self._context.role, self._context.staff.department)
        moves = allowed_transitions(state_machine_of("outage_event", event.model_dump()), event.state,
                                    self._context.role) if may and event is not None else []
        planned = event is not None and event.outage_kind != "fault"
        self.confirm_button.setText(self.tr("开始停电(&S)") if planned else self.tr("确认停电事件(&C)"))
        self.confirm_button.setEnabled("active" in moves and event is not None and event.state != "restored")
        self.restore_button.setEnabled("restored" in moves)
        self.cancel_button.setEnabled("cancelled" in moves)

    def _show_tasks(self) -> None:
        """The plan's tasks with their deadlines; while the power is off, those past their deadline are marked."""
        event = self.selected()
        self.tasks.clear()
        if event is None:
            return
        lang, now = current_language(), self._clock()
        for task in event.tasks:
            department = Department(task["department"]).label(lang)
            title = pick(str(task.get("title_zh", "")), str(task.get("title_en", "")), lang)
            due_at = _moment(task.get("due_at"))
            text = self.tr("%1：%2（时限 %3）").replace("%1", department).replace("%2", title) \
                .replace("%3", datetime_text(due_at))
            item = QListWidgetItem(text, self.tasks)
            if event.state == "active" and sla.finished_late(due_at, now):  # overdue now, by domain.sla's rule
                minutes = int((now - due_at).total_seconds() // 60)
                item.setText(text + self.tr(" — 已超时 %1 分钟").replace("%1", str(minutes)))
                item.setForeground(QBrush(LATE))

    def begin_selected(self) -> QMessageBox | None:
        """Confirm a predicted fault, or begin a planned outage — asking first when its window is still ahead."""
        event = self.selected()
        if event is None or not self.confirm_button.isEnabled():
            return None
        if event.outage_kind == "fault" or event.starts_at - self._clock() <= EARLY:
            self._move("active")
            return None
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("开始计划停电"), self.tr(
            "这次停电计划于 %1 开始，现在还早。确定现在就开始停电吗？").replace("%1", datetime_text(event.starts_at)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.accepted.connect(lambda: self._move("active"))  # Yes is the accepting button
        self.active_box = box
        box.open()
        return box

    def plan_outage(self) -> None:
        """Read the office's grid off the screen's thread, then open the 计划停电 form on it."""
        store, office_id = self._context.store, self._context.office_id
        self.plan_button.setEnabled(False)
        Operation(self, lambda: store.office_grid(office_id)).success(self._open_plan_dialog).failure(
            self._plan_failed).run()

    def _open_plan_dialog(self, grid: Grid) -> None:
        self.plan_button.setEnabled(True)
        dialog = PlannedOutageDialog(self._context, grid, self._clock(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda _event: messages.info(self.tr("计划停电已登记，待同步到服务器")))
        self.active_dialog = dialog
        dialog.open()

    def _plan_failed(self, error: BaseException) -> None:
        self.plan_button.setEnabled(True)
        self._failed(error)

    def cancel_selected(self) -> ReasonDialog | None:
        """Dismiss a predicted fault (the calls had another cause) or call off a scheduled outage: with a reason."""
        event = self.selected()
        if event is None or not self.cancel_button.isEnabled():
            return None
        title = self.tr("撤销计划停电") if event.outage_kind != "fault" else self.tr("撤销停电研判")
        dialog = ReasonDialog(title, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._move("cancelled", dialog.collect()))
        self.active_dialog = dialog
        dialog.open()
        return dialog

    def _move(self, target: str, reason: str | None = None) -> None:
        event = self.selected()
        if event is None:
            return
        store, role = self._context.store, self._context.role
        for button in (self.confirm_button, self.restore_button, self.cancel_button):
            button.setEnabled(False)
        planned = event.outage_kind != "fault"
        Operation(self, lambda: store.transition("outage_event", event.id, target, role, reason),
                  changes={"outage_event"}).success(lambda _event: self._moved(target, planned)).failure(
            self._failed).run()

    def _moved(self, target: str, planned: bool) -> None:
        self._context.notify_local_change()
        begun = self.tr("计划停电已开始，预案任务将由服务器开启") if planned \
            else self.tr("已确认停电事件，预案任务将由服务器开启")
        messages.info({"active": begun, "restored": self.tr("已报告复电"), "cancelled": self.tr("已撤销")}[target])

    def _failed(self, error: BaseException) -> None:
        self._show_selected()
        text = expected_failure_text(error)
        if text is None:
            report_failure(error)
            return
        messages.warning(text)


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None
