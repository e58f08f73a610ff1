"""记录会议: a coordination meeting (日常协商 / 周例会 / 月调度) as held. Its list opens with the office's open
督办 actions (late ones first: domain.supervision.agenda_order), then the coordination list's stuck items; the
chair ticks what was discussed, writes the decisions and raises actions for departments. Saving writes the
meeting and its new actions in order (each queued for the server)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import messages
from desktop.context import DeskContext
from desktop.display import cell_text, date_edit, date_text, plain_label, plain_tooltip, text_counter
from desktop.i18n import current_language
from desktop.operations import Operation, report_failure
from desktop.supervision.action_dialog import ActionDialog, ActionDraft
from desktop.tickets import labels
from desktop.tickets.coordination import CoordinationReport, StuckItem
from domain import supervision
from domain.bounds import text_limit
from domain.errors import DomainError
from domain.records import Meeting, SupervisionAction

KIND_OF_PERIOD = {"daily": "daily", "weekly": "weekly", "monthly": "monthly", "custom": "weekly"}


@dataclass(frozen=True)
class AgendaItem:
    """A line of the meeting's list: an open 督办, or a stuck item of the coordination list."""

    action: SupervisionAction | None = None
    stuck: StuckItem | None = None

    @property
    def kind(self) -> str:
        return "action" if self.action is not None else "stuck"

    @property
    def ref(self) -> str:
        return self.action.id if self.action is not None else (self.stuck.ticket_number if self.stuck else "")

    @property
    def department(self) -> str:
        return self.action.department if self.action is not None else (self.stuck.department if self.stuck else "")


def agenda(actions: list[SupervisionAction], stuck: list[StuckItem], now: datetime) -> list[AgendaItem]:
    """The meeting's list: open actions first (late first), then the stuck items."""
    return [AgendaItem(action=a) for a in supervision.agenda_order(actions, now)] + [AgendaItem(stuck=s) for s in stuck]


class MeetingDialog(QDialog):
    def __init__(self, context: DeskContext, clock: Callable[[], datetime], report: CoordinationReport | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("meetingDialog")
        self.setWindowTitle(self.tr("记录协调会议"))
        self._context = context
        self._clock = clock
        self._report = report
        self.items: list[AgendaItem] = []
        self.new_actions: list[ActionDraft] = []
        self.saved_meeting: Meeting | None = None
        self.active_dialog: QDialog | None = None
        today = supervision.office_day(clock())
        self.kind = QComboBox(self)
        self.kind.setObjectName("meetingKind")
        self.kind.setAccessibleName(self.tr("会议类型"))
        for code, source in (("daily", self.tr("日常协商")), ("weekly", self.tr("周例会")), ("monthly", self.tr("月调度"))):
            self.kind.addItem(source, code)
        if report is not None:
            self.kind.setCurrentIndex(self.kind.findData(KIND_OF_PERIOD.get(report.period, "weekly")))
        self.held_on = date_edit(self)
        self.held_on.setObjectName("meetingDay")
        self.held_on.setAccessibleName(self.tr("会议日期"))
        self.held_on.setDate(QDate(today.year, today.month, today.day))
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("meetingTitle")
        self.title_edit.setAccessibleName(self.tr("会议名称"))
        self.title_edit.setMaxLength(text_limit("meeting.title"))
        self.title_edit.setPlaceholderText(self.tr("会议名称（不填则为会议类型）"))
        self.agenda = QTableWidget(0, 2, self)
        self.agenda.setObjectName("meetingItems")
        self.agenda.setAccessibleName(self.tr("会议事项"))
        self.agenda.setHorizontalHeaderLabels([self.tr("上会"), self.tr("事项")])
        self.agenda.verticalHeader().setVisible(False)
        self.agenda.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.agenda.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.agenda.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.agenda.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.agenda.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.raise_button = QPushButton(self.tr("对所选事项督办…"), self)
        self.raise_button.setObjectName("meetingRaiseAction")
        self.raise_button.clicked.connect(self.raise_for_selected)
        self.raised = QTableWidget(0, 3, self)
        self.raised.setObjectName("meetingActions")
        self.raised.setAccessibleName(self.tr("本次会议督办"))
        self.raised.setHorizontalHeaderLabels([self.tr("督办事项"), self.tr("承办部门"), self.tr("办结期限")])
        self.raised.verticalHeader().setVisible(False)
        self.raised.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.raised.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.raised.setMaximumHeight(self.raised.fontMetrics().height() * 7)
        self.decisions = QPlainTextEdit(self)
        self.decisions.setObjectName("meetingDecisions")
        self.decisions.setAccessibleName(self.tr("会议决定"))
        self.decisions.setTabChangesFocus(True)
        self.decisions.setMaximumHeight(self.decisions.fontMetrics().height() * 6)
        self.error = plain_label("", self)
        self.error.setObjectName("formError")
        self.error.setStyleSheet("color: #c62828;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("保存会议"))
        self.save_button.setObjectName("saveMeeting")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        head = QHBoxLayout()
        head.addWidget(self.kind)
        head.addWidget(self.held_on)
        head.addWidget(self.title_edit, 1)
        form.addRow(self.tr("会议(&M)"), head)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("会议清单（未办结督办在前）"), self))
        layout.addWidget(self.agenda, 2)
        layout.addWidget(self.raise_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(QLabel(self.tr("本次会议督办"), self))
        layout.addWidget(self.raised)
        layout.addWidget(QLabel(self.tr("会议决定"), self))
        layout.addWidget(self.decisions)
        layout.addWidget(text_counter(self.decisions, text_limit("meeting.decisions"), self))
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(900, 680)
        self._loading = True
        self.load()

    @property
    def loading(self) -> bool:
        return self._loading

    def load(self) -> None:
        store, office, now = self._context.store, self._context.office_id, self._clock()
        stuck = list(self._report.stuck) if self._report is not None else []

        def read() -> list[AgendaItem]:
            return agenda(store.supervision_actions(office, states=(supervision.OPEN,)), stuck, now)

        Operation(self, read).success(self._show).run()

    def text_of(self, item: AgendaItem) -> str:
        lang, now = current_language(), self._clock()
        if item.action is not None:
            action = item.action
            late = supervision.days_late(action.state, action.due_on, now)
            when = (self.tr("超期 %1 天").replace("%1", str(late)) if late
                    else self.tr("%1 前").replace("%1", date_text(action.due_on)))
            return (self.tr("【督办】%1（%2，%3）").replace("%1", action.title)
                    .replace("%2", labels.department_name(action.department, lang)).replace("%3", when))
        line = item.stuck
        assert line is not None
        return (f"{line.ticket_number} {line.ticket_type}「{line.stage}」{line.state}"
                f"（{labels.department_name(line.department, lang)}）")

    def _show(self, items: list[AgendaItem]) -> None:
        self.items = items
        self.agenda.setRowCount(len(items))
        for row, item in enumerate(items):
            tick = QTableWidgetItem()
            tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            tick.setCheckState(Qt.CheckState.Checked)
            self.agenda.setItem(row, 0, tick)
            words = self.text_of(item)
            text = QTableWidgetItem(cell_text(words))
            text.setToolTip(plain_tooltip(words))
            self.agenda.setItem(row, 1, text)
        self._loading = False

    def chosen_items(self) -> list[AgendaItem]:
        ticks = [self.agenda.item(row, 0) for row in range(len(self.items))]
        return [item for item, tick in zip(self.items, ticks, strict=True)
                if tick is not None and tick.checkState() == Qt.CheckState.Checked]

    def raise_for_selected(self) -> ActionDialog | None:
        rows = self.agenda.selectionModel().selectedRows()
        if not rows:
            self.error.setText(self.tr("请先在会议清单中选择一项。"))
            return None
        item = self.items[rows[0].row()]
        if item.kind == "action":
            self.error.setText(self.tr("该项已在督办中。"))
            return None
        ticket_id = item.stuck.ticket_id if item.stuck is not None else ""
        draft = ActionDraft(title=self.tr("协调：%1").replace("%1", self.text_of(item))[
                                : text_limit("supervision_action.title")],
                            department=item.department, source={"kind": "meeting", "ref": item.ref},
                            ticket_ids=[ticket_id] if ticket_id else [])
        dialog = ActionDialog(self._context, self._clock, draft, self, save=False)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._add_action)
        self.active_dialog = dialog
        dialog.open()
        return dialog

    def _add_action(self, draft: ActionDraft) -> None:
        self.new_actions.append(draft)
        row = self.raised.rowCount()
        self.raised.setRowCount(row + 1)
        for column, text in enumerate((draft.title, labels.department_name(draft.department, current_language()),
                                       date_text(draft.due_on))):
            self.raised.setItem(row, column, QTableWidgetItem(cell_text(text)))
        self.error.clear()

    def save(self) -> None:
        picked = self.held_on.date()
        held_on = date(picked.year(), picked.month(), picked.day())
        kind = str(self.kind.currentData())
        now = self._clock()
        try:
            supervision.check_meeting(kind, held_on, supervision.office_day(now))
        except DomainError as error:
            self.error.setText(error.message(current_language()))
            return
        store, staff = self._context.store, self._context.staff
        items = [{"kind": item.kind, "text": self.text_of(item), "ref": item.ref} for item in self.chosen_items()]
        title = self.title_edit.text().strip() or supervision.meeting_kind_label(kind, current_language())
        decisions, drafts = self.decisions.toPlainText().strip(), list(self.new_actions)

        def write() -> Meeting:
            meeting = store.record_meeting(office_id=staff.office_id, meeting_kind=kind, held_on=held_on, title=title,
                                           items=items, decisions=decisions, chair_id=staff.id)
            for draft in drafts:
                assert draft.due_on is not None and draft.department is not None
                store.create_action(office_id=staff.office_id, title=draft.title, department=draft.department,
                                    due_on=draft.due_on, detail=draft.detail, meeting_id=meeting.id,
                                    source=draft.source, ticket_ids=draft.ticket_ids, created_by=staff.id)
            return meeting

        self.save_button.setEnabled(False)
        Operation(self, write, changes={"meeting", "supervision_action"}).success(self._saved).failure(
            self._refused).run()

    def _saved(self, meeting: Meeting) -> None:
        self.saved_meeting = meeting
        self._context.notify_local_change()
        messages.info(self.tr("会议已记录：%1，督办 %2 项").replace("%1", meeting.title)
                      .replace("%2", str(len(self.new_actions))))
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, DomainError):
            self.error.setText(error.message(current_language()))
        else:
            report_failure(error)
