"""会议记录: the office's coordination meetings, newest first, each with its items, decisions and the 督办 it
raised (a supervisor's tab beside 督办跟踪)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.change_watch import ChangeWatch
from desktop.context import DeskContext
from desktop.display import cell_text, date_text
from desktop.i18n import current_language
from desktop.tickets import labels
from domain import supervision
from domain.records import Meeting, SupervisionAction
from domain.states import state_label

WATCHED = frozenset({"meeting", "supervision_action"})


class MeetingsList(QWidget):
    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meetingsList")
        self._context = context
        self.meetings: list[Meeting] = []
        self.raised: dict[str, list[SupervisionAction]] = {}
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("meetings")
        self.table.setAccessibleName(self.tr("会议记录"))
        self.table.setHorizontalHeaderLabels([self.tr("会议日期"), self.tr("会议类型"), self.tr("会议名称"),
                                              self.tr("上会事项"), self.tr("督办")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.detail = QPlainTextEdit(self)
        self.detail.setObjectName("meetingDetail")
        self.detail.setAccessibleName(self.tr("会议内容"))
        self.detail.setReadOnly(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail, 1)
        self.watch = ChangeWatch(self, WATCHED, self._read, self._show)
        self.watch.start()

    @property
    def loading(self) -> bool:
        return self.watch.busy

    def shutdown(self) -> None:
        self.watch.stop()

    def reload(self) -> None:
        self.watch.reread()

    def _read(self) -> Callable[[], tuple[list[Meeting], list[SupervisionAction]]]:
        store, office = self._context.store, self._context.office_id
        return lambda: (store.meetings(office), store.supervision_actions(office))

    def _show(self, read: tuple[list[Meeting], list[SupervisionAction]]) -> None:
        self.meetings, actions = read
        self.raised = {}
        for action in actions:
            if action.meeting_id is not None:
                self.raised.setdefault(action.meeting_id, []).append(action)
        lang = current_language()
        self.table.setRowCount(len(self.meetings))
        for row, meeting in enumerate(self.meetings):
            mine = self.raised.get(meeting.id, [])
            still_open = supervision.open_count(mine)
            cells = [date_text(meeting.held_on), supervision.meeting_kind_label(meeting.meeting_kind, lang),
                     cell_text(meeting.title), str(len(meeting.items)),
                     self.tr("%1 项（未办结 %2）").replace("%1", str(len(mine))).replace("%2", str(still_open))]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, meeting.id)
                self.table.setItem(row, column, item)
        self._show_selected()

    def select(self, meeting_id: str) -> bool:
        row = next((r for r, m in enumerate(self.meetings) if m.id == meeting_id), None)
        if row is not None:
            self.table.selectRow(row)
        return row is not None

    def _show_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        meeting = self.meetings[rows[0].row()] if rows and rows[0].row() < len(self.meetings) else None
        self.detail.setPlainText(self.text_of(meeting) if meeting is not None else "")

    def text_of(self, meeting: Meeting) -> str:
        lang = current_language()
        lines = [self.tr("上会事项：")]
        lines += [f"  · {item.get('text', '')}" for item in meeting.items if isinstance(item, dict)]
        lines += [self.tr("会议决定："), f"  {meeting.decisions}" if meeting.decisions else "  —", self.tr("督办：")]
        for action in self.raised.get(meeting.id, []):
            lines.append(f"  · {action.title}（{labels.department_name(action.department, lang)}，"
                         f"{date_text(action.due_on)}，{state_label('supervision_action', action.state, lang)}）")
        return "\n".join(lines)
