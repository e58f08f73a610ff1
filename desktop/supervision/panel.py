"""我的督办 (department staff: their department's actions) and 督办跟踪 (a supervisor: the office's), with 办结
(close with a result note), 撤销 (a supervisor, with a reason) and 新建督办; and the notices about them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import messages
from desktop.change_watch import ChangeWatch
from desktop.context import DeskContext
from desktop.display import cell_text, date_text, datetime_text, plain_label, plain_tooltip, text_counter
from desktop.i18n import current_language
from desktop.operations import Operation, report_failure
from desktop.supervision.action_dialog import ActionDialog, ActionDraft
from desktop.supervision.meetings import MeetingsList
from desktop.supervision.watch import follows
from desktop.tickets import labels
from desktop.tickets.task_dialogs import ReasonDialog, _Form
from domain import supervision
from domain.bounds import text_limit
from domain.errors import DomainError
from domain.records import SupervisionAction
from domain.roles import Role, may_close_action, may_supervise
from domain.states import state_label

ACTION_ID_ROLE = Qt.ItemDataRole.UserRole
WATCHED = frozenset({"supervision_action"})


class ResultDialog(_Form):
    """办结: what was done, in a sentence or more (required)."""

    def __init__(self, action: SupervisionAction, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("办结督办"), parent)
        self.setObjectName("closeActionDialog")
        what = QLabel(action.title, self)
        what.setTextFormat(Qt.TextFormat.PlainText)
        what.setWordWrap(True)
        self.result_edit = QPlainTextEdit(self)
        self.result_edit.setObjectName("actionResult")
        self.result_edit.setAccessibleName(self.tr("办理结果"))
        self.result_edit.setTabChangesFocus(True)
        self.form.addRow(self.tr("督办事项"), what)
        self.form.addRow(self.tr("办理结果(&R)"), self.result_edit)
        self.form.addRow("", text_counter(self.result_edit, text_limit("supervision_action.result"), self))
        self.result_edit.textChanged.connect(lambda: self.ok_button.setEnabled(bool(self.result_edit.toPlainText().strip())))
        self.ok_button.setEnabled(False)

    def first_field(self) -> QWidget | None:
        return self.result_edit

    def collect(self) -> str:
        return supervision.check_result(self.result_edit.toPlainText())


class ActionsPanel(QWidget):
    """The actions this person follows, open ones first; reread whenever a 督办 row changes."""

    ticket_chosen = Signal(str)  # a ticket of an action, to open in 工单协同

    def __init__(self, context: DeskContext, clock: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supervisionPanel")
        self._context = context
        self._clock = clock
        staff = context.staff
        self.supervising = may_supervise(staff.role)
        self.department = staff.department if staff.role == Role.department else None
        self.shown_actions: list[SupervisionAction] = []
        self.ticket_numbers: dict[str, str] = {}
        self.staff_names: dict[str, str] = {}
        self.active_dialog: QDialog | None = None
        self.heading = QLabel(self.tr("督办跟踪") if self.supervising else self.tr("我的督办"), self)
        self.heading.setObjectName("supervisionHeading")
        self.heading.setStyleSheet("font-weight: 600;")
        self.scope = QComboBox(self)
        self.scope.setObjectName("actionScope")
        self.scope.setAccessibleName(self.tr("督办范围"))
        self.scope.addItem(self.tr("未办结"), "open")
        self.scope.addItem(self.tr("全部"), "all")
        self.scope.currentIndexChanged.connect(lambda _i: self.reload())
        self.new_button = QPushButton(self.tr("新建督办…"), self)
        self.new_button.setObjectName("newAction")
        self.new_button.clicked.connect(lambda: self.new_action())
        self.new_button.setVisible(self.supervising)
        self.close_button = QPushButton(self.tr("办结…"), self)
        self.close_button.setObjectName("closeAction")
        self.close_button.clicked.connect(self.close_selected)
        self.cancel_button = QPushButton(self.tr("撤销…"), self)
        self.cancel_button.setObjectName("cancelAction")
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.cancel_button.setVisible(self.supervising)
        self.tickets_button = QPushButton(self.tr("查看工单"), self)
        self.tickets_button.setObjectName("actionTickets")
        self.tickets_button.clicked.connect(self.show_tickets_menu)
        self.table = QTableWidget(0, 7, self)
        self.table.setObjectName("supervisionActions")
        self.table.setAccessibleName(self.tr("督办事项"))
        self.table.setHorizontalHeaderLabels([self.tr("督办事项"), self.tr("承办部门"), self.tr("办结期限"),
                                              self.tr("状态"), self.tr("办理结果"), self.tr("来源"),
                                              self.tr("涉及工单")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.cellDoubleClicked.connect(lambda _r, _c: self.close_selected())
        self.history = QLabel(self)
        self.history.setObjectName("actionHistory")
        self.history.setAccessibleName(self.tr("督办经过"))
        self.history.setTextFormat(Qt.TextFormat.PlainText)
        self.history.setWordWrap(True)
        self.status = plain_label("", self)
        self.status.setObjectName("supervisionStatus")
        bar = QHBoxLayout()
        bar.addWidget(self.heading)
        bar.addWidget(self.scope)
        bar.addStretch(1)
        for button in (self.tickets_button, self.new_button, self.close_button, self.cancel_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.history)
        layout.addWidget(self.status)
        self.watch = ChangeWatch(self, WATCHED, self._read, self._show)
        self._update_buttons()
        self.watch.start()

    @property
    def loading(self) -> bool:
        return self.watch.busy

    def shutdown(self) -> None:
        self.watch.stop()

    def reload(self) -> None:
        self.watch.reread()

    def _read(self) -> Callable[[], tuple[list[SupervisionAction], dict[str, str]]]:
        store, staff = self._context.store, self._context.staff
        states = (supervision.OPEN,) if self.scope.currentData() == "open" else None
        department, names = self.department, self.staff_names

        def read() -> tuple[list[SupervisionAction], dict[str, str]]:
            if not follows(staff):
                return [], {}
            actions = store.supervision_actions(staff.office_id, department=department, states=states)
            tickets = store.tickets_by_id({t for a in actions for t in a.ticket_ids})
            names.update({p.id: p.display_name for p in store.office_staff(staff.office_id, include_inactive=True)})
            return actions, {tid: t.number or t.provisional_number or tid for tid, t in tickets.items()}

        return read

    def _show(self, read: tuple[list[SupervisionAction], dict[str, str]]) -> None:
        actions, self.ticket_numbers = read
        now, lang = self._clock(), current_language()
        chosen = self.selected()
        self.shown_actions = supervision.agenda_order(actions, now) + [a for a in actions if a.state != supervision.OPEN]
        self.table.setRowCount(len(self.shown_actions))
        late_count = 0
        for row, action in enumerate(self.shown_actions):
            late_count += int(supervision.is_late(action.state, action.due_on, now))
            cells = [cell_text(action.title), labels.department_name(action.department, lang),
                     date_text(action.due_on), self.state_text(action, now),
                     cell_text(action.result or action.reason or ""), self._source_text(action),
                     self.tickets_text(action)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ACTION_ID_ROLE, action.id)
                if column in (0, 4) and text:
                    item.setToolTip(plain_tooltip(action.detail if column == 0 and action.detail else text))
                if column == 3 and supervision.is_late(action.state, action.due_on, now):
                    item.setForeground(QColor("#c62828"))
                self.table.setItem(row, column, item)
        open_count = supervision.open_count(self.shown_actions)
        self.status.setText(self.tr("未办结 %1 项，其中超期 %2 项").replace("%1", str(open_count))
                            .replace("%2", str(late_count)))
        if chosen is not None:
            self.select(chosen.id)
        self._update_buttons()

    def tickets_text(self, action: SupervisionAction) -> str:
        """The ticket's number, or the first one this desk holds and how many in all."""
        numbers = [self.ticket_numbers.get(t, "") for t in action.ticket_ids]
        known = [n for n in numbers if n]
        if not action.ticket_ids:
            return ""
        if len(action.ticket_ids) == 1 and known:
            return known[0]
        return self.tr("%1 等 %2 件").replace("%1", known[0] if known else "—").replace(
            "%2", str(len(action.ticket_ids)))

    def state_text(self, action: SupervisionAction, now: datetime) -> str:
        if supervision.is_late(action.state, action.due_on, now):
            days = supervision.days_late(action.state, action.due_on, now)
            return self.tr("已超期 %1 天").replace("%1", str(days))
        label = state_label("supervision_action", action.state, current_language())
        if action.closed_at is not None:
            return f"{label}（{date_text(action.closed_at)}）"
        return label

    def _source_text(self, action: SupervisionAction) -> str:
        kind = action.source.get("kind") if isinstance(action.source, dict) else None
        names = {"alert": self.tr("异常预警"), "coordination": self.tr("协调清单"), "meeting": self.tr("协调会议")}
        return names.get(str(kind), self.tr("直接督办")) if not action.meeting_id else self.tr("协调会议")

    # ---- selection and moves ----

    def selected(self) -> SupervisionAction | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        cell = self.table.item(rows[0].row(), 0)
        action_id = cell.data(ACTION_ID_ROLE) if cell is not None else None
        return next((a for a in self.shown_actions if a.id == action_id), None)

    def select(self, action_id: str) -> bool:
        row = next((r for r, a in enumerate(self.shown_actions) if a.id == action_id), None)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def _update_buttons(self) -> None:
        action, staff = self.selected(), self._context.staff
        is_open = action is not None and action.state == supervision.OPEN
        self.close_button.setEnabled(
            is_open and action is not None and may_close_action(staff.role, staff.department, action.department))
        self.cancel_button.setEnabled(is_open and self.supervising)
        self.tickets_button.setEnabled(action is not None and any(t in self.ticket_numbers for t in action.ticket_ids))
        self.history.setText(self.history_text(action) if action is not None else "")

    def history_text(self, action: SupervisionAction) -> str:
        """Who assigned it and when, the server's reminder, who closed or cancelled it and how."""
        def who(staff_id: str | None) -> str:
            return self.staff_names.get(staff_id or "", "") or self.tr("（未知）")

        lines = [self.tr("%1 于 %2 督办，要求 %3 前办结").replace("%1", who(action.created_by))
                 .replace("%2", datetime_text(action.created_at)).replace("%3", date_text(action.due_on))]
        if action.detail:
            lines[0] += self.tr("：%1").replace("%1", action.detail)
        if action.reminded_at is not None:
            lines.append(self.tr("%1 系统提醒：已超期").replace("%1", datetime_text(action.reminded_at)))
        if action.state != supervision.OPEN and action.closed_at is None:  # this desk's move, not yet on the server
            lines.append(self.tr("%1，待上传：%2").replace("%1", state_label(
                "supervision_action", action.state, current_language())).replace("%2", action.result or action.reason or ""))
        elif action.state == supervision.DONE:
            lines.append(self.tr("%1 于 %2 办结：%3").replace("%1", who(action.closed_by))
                         .replace("%2", datetime_text(action.closed_at)).replace("%3", action.result or ""))
        elif action.state == supervision.CANCELLED:
            lines.append(self.tr("%1 于 %2 撤销：%3").replace("%1", who(action.closed_by))
                         .replace("%2", datetime_text(action.closed_at)).replace("%3", action.reason or ""))
        return "\n".join(lines)

    def show_tickets_menu(self) -> None:
        menu = self.tickets_menu()
        if menu is not None:
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            menu.popup(self.tickets_button.mapToGlobal(self.tickets_button.rect().bottomLeft()))

    def tickets_menu(self) -> QMenu | None:
        """The selected action's tickets held on this desk; choosing one opens it in 工单协同."""
        action = self.selected()
        if action is None:
            return None
        menu = QMenu(self)
        menu.setObjectName("actionTicketsMenu")
        for ticket_id in action.ticket_ids:
            if ticket_id in self.ticket_numbers:
                chosen = menu.addAction(self.ticket_numbers[ticket_id])
                chosen.triggered.connect(lambda _checked=False, t=ticket_id: self.ticket_chosen.emit(t))
        return menu

    def new_action(self, draft: ActionDraft | None = None) -> ActionDialog:
        dialog = ActionDialog(self._context, self._clock, draft, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda action: messages.info(self.tr("已督办：%1").replace("%1", action.title)))
        self.active_dialog = dialog
        dialog.open()
        return dialog

    def close_selected(self) -> ResultDialog | None:
        action = self.selected()
        if action is None or not self.close_button.isEnabled():
            return None
        dialog = ResultDialog(action, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._move(action, supervision.DONE, result=dialog.collect()))
        self.active_dialog = dialog
        dialog.open()
        return dialog

    def cancel_selected(self) -> ReasonDialog | None:
        action = self.selected()
        if action is None or not self.cancel_button.isEnabled():
            return None
        dialog = ReasonDialog(self.tr("撤销督办"), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._move(action, supervision.CANCELLED, reason=dialog.collect()))
        self.active_dialog = dialog
        dialog.open()
        return dialog

    def _move(self, action: SupervisionAction, to: str, *, result: str = "", reason: str = "") -> None:
        store, staff = self._context.store, self._context.staff

        def write() -> SupervisionAction:
            if to == supervision.DONE:
                return store.close_action(action.id, result, role=staff.role, department=staff.department)
            return store.cancel_action(action.id, reason, role=staff.role)

        Operation(self, write, changes=WATCHED).success(lambda _a: self._context.notify_local_change()).failure(
            self._refused).run()

    def _refused(self, error: BaseException) -> None:
        if isinstance(error, DomainError):
            messages.warning(error.message(current_language()))
        else:
            report_failure(error)


class SupervisionDialog(QDialog):
    """The panel in a window of its own, opened from the tickets area."""

    def __init__(self, context: DeskContext, clock: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supervisionDialog")
        self.panel = ActionsPanel(context, clock, self)
        self.setWindowTitle(self.panel.heading.text())
        layout = QVBoxLayout(self)
        self.meetings: MeetingsList | None = None
        if self.panel.supervising:  # the supervisor's history of meetings beside the actions
            self.tabs = QTabWidget(self)
            self.tabs.setObjectName("supervisionTabs")
            self.tabs.addTab(self.panel, self.tr("督办事项"))
            self.meetings = MeetingsList(context, self.tabs)
            self.tabs.addTab(self.meetings, self.tr("会议记录"))
            layout.addWidget(self.tabs)
        else:
            layout.addWidget(self.panel)
        self.resize(1000, 560)

    def shutdown(self) -> None:
        self.panel.shutdown()
        if self.meetings is not None:
            self.meetings.shutdown()
