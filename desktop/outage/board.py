"""The 停电抢修 area (docs/outage.md): the office's live and scheduled outages, the largest first; the selected
event's plan tasks with their deadlines; repair command confirms a predicted fault and reports restoration."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
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
from desktop.outage.model import OutageEventsModel
from domain.language import pick
from domain.records import OutageEvent
from domain.roles import Department, may_command_outages
from domain.states import allowed_transitions

BOARD_KINDS = frozenset({"outage_event", "grid_device"})


class OutageBoard(QWidget):
    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outageBoard")
        self.setAccessibleName(self.tr("停电抢修"))
        self._context = context
        self.model = OutageEventsModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("outageEvents")
        self.table.setAccessibleName(self.tr("停电事件"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
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
        self.confirm_button.clicked.connect(lambda: self._move("active"))
        self.restore_button = QPushButton(self.tr("已复电(&R)"), detail)
        self.restore_button.setObjectName("restoreOutage")
        self.restore_button.clicked.connect(lambda: self._move("restored"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.restore_button)
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

    def shutdown(self) -> None:
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
        self.tasks.clear()
        if event is None:
            self.summary.setText(self.tr("当前没有停电事件"))
        else:
            level = self.tr("响应级别 %1").replace("%1", event.level) if event.level else self.tr("未确认，预案未启动")
            self.summary.setText(f"{event.reason}\n{level}")
            lang = current_language()
            for task in event.tasks:
                department = Department(task["department"]).label(lang)
                title = pick(str(task.get("title_zh", "")), str(task.get("title_en", "")), lang)
                due = datetime_text(_moment(task.get("due_at")))
                self.tasks.addItem(self.tr("%1：%2（时限 %3）").replace("%1", department).replace("%2", title)
                                   .replace("%3", due))
        may = event is not None and event.outage_kind == "fault" \
            and may_command_outages(self._context.role, self._context.staff.department)
        moves = allowed_transitions("outage_event", event.state, self._context.role) if may and event else []
        self.confirm_button.setEnabled("active" in moves and event is not None and event.state == "predicted")
        self.restore_button.setEnabled("restored" in moves)

    def _move(self, target: str) -> None:
        event = self.selected()
        if event is None:
            return
        store, role = self._context.store, self._context.role
        self.confirm_button.setEnabled(False)
        self.restore_button.setEnabled(False)
        Operation(self, lambda: store.transition("outage_event", event.id, target, role),
                  changes={"outage_event"}).success(lambda _event: self._moved(target)).failure(self._failed).run()

    def _moved(self, target: str) -> None:
        self._context.notify_local_change()
        messages.info(self.tr("已确认停电事件，预案任务将由服务器开启") if target == "active"
                      else self.tr("已报告复电"))

    def _failed(self, error: BaseException) -> None:
        self._show_selected()
        text = expected_failure_text(error)
        if text is None:
            report_failure(error)
            return
        messages.warning(text)


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None
