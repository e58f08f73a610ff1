"""新建督办: the form a supervisor fills (often prefilled from an anomaly alert or a coordination-list line),
checked with domain.supervision before anything is written; saving queues the action for the server."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from desktop.context import DeskContext
from desktop.display import date_edit, plain_label, text_counter
from desktop.i18n import current_language
from desktop.tickets import labels
from desktop.tickets.task_dialogs import _Form
from domain import supervision
from domain.bounds import text_limit
from domain.errors import DomainError
from domain.records import SupervisionAction
from domain.roles import Department

DEFAULT_DAYS = 3  # a 督办 is due in three days unless the supervisor says otherwise


@dataclass
class ActionDraft:
    """What the form opens with: from an alert, a list line, a meeting item, or nothing."""

    title: str = ""
    detail: str = ""
    department: str | None = None
    due_on: date | None = None
    source: dict[str, Any] = field(default_factory=dict)
    ticket_ids: list[str] = field(default_factory=list)
    meeting_id: str | None = None


def draft_from_alert(alert: dict[str, Any], indicator: str, where: str, evidence: str) -> ActionDraft:
    """An anomaly alert as a 督办: its indicator and slice in the title, its evidence, its tickets."""
    slice_ = alert.get("slice") if isinstance(alert.get("slice"), dict) else {}
    department = slice_.get("department") if isinstance(slice_, dict) else None
    return ActionDraft(
        title=f"{indicator}（{where}）"[: text_limit("supervision_action.title")],
        detail=evidence[: text_limit("supervision_action.detail")],
        department=str(department) if department else None,
        source={"kind": "alert", "alert_id": str(alert.get("id", "")), "indicator": str(alert.get("indicator", "")),
                "rule_code": str(alert.get("rule_code", "")), "slice": dict(slice_ or {})},
        ticket_ids=[str(t) for t in (alert.get("ticket_ids") or [])][:100],
    )


class ActionDialog(_Form):
    """The 督办 form; `saved` carries the action once it is in the desk store (and queued for the server)."""

    saved = Signal(object)

    def __init__(self, context: DeskContext, clock: Callable[[], datetime], draft: ActionDraft | None = None,
                 parent: QWidget | None = None, *, save: bool = True) -> None:
        super().__init__(self.tr("新建督办"), parent)
        self.setObjectName("actionDialog")
        self._context = context
        self._clock = clock
        self._save = save
        self.draft = draft or ActionDraft()
        lang = current_language()
        today = supervision.office_day(clock())
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("actionTitle")
        self.title_edit.setAccessibleName(self.tr("督办事项"))
        self.title_edit.setText(self.draft.title)
        self.department = QComboBox(self)
        self.department.setObjectName("actionDepartment")
        self.department.setAccessibleName(self.tr("承办部门"))
        self.department.addItem(self.tr("（请选择）"), None)
        for department in Department:
            self.department.addItem(labels.department_name(str(department), lang), str(department))
        if self.draft.department:
            self.department.setCurrentIndex(max(self.department.findData(self.draft.department), 0))
        self.due = date_edit(self, minimum=today)
        self.due.setObjectName("actionDue")
        self.due.setAccessibleName(self.tr("办结期限"))
        self.due.setMaximumDate(_qdate(today + supervision.ACTION_LONGEST))
        self.due.setDate(_qdate(self.draft.due_on or today + timedelta(days=DEFAULT_DAYS)))
        self.detail = QPlainTextEdit(self)
        self.detail.setObjectName("actionDetail")
        self.detail.setAccessibleName(self.tr("督办要求"))
        self.detail.setTabChangesFocus(True)
        self.detail.setPlainText(self.draft.detail)
        self.detail.setMaximumHeight(self.detail.fontMetrics().height() * 6)
        self.origin = plain_label(self._origin_text(), self)  # a coordination line's reason is typed text
        self.origin.setObjectName("actionOrigin")
        self.origin.setWordWrap(True)
        self.form.addRow(self.tr("督办事项(&T)"), self.title_edit)
        self.form.addRow("", text_counter(self.title_edit, text_limit("supervision_action.title"), self))
        self.form.addRow(self.tr("承办部门(&D)"), self.department)
        self.form.addRow(self.tr("办结期限(&U)"), self.due)
        self.form.addRow(self.tr("督办要求(&R)"), self.detail)
        self.form.addRow(self.tr("来源"), self.origin)
        self.resize(520, self.sizeHint().height())

    def _origin_text(self) -> str:
        kind = self.draft.source.get("kind")
        names = {"alert": self.tr("异常预警"), "coordination": self.tr("协调清单"), "meeting": self.tr("协调会议")}
        text = names.get(str(kind), self.tr("直接督办"))
        if self.draft.ticket_ids:
            text += self.tr("，涉及工单 %1 件").replace("%1", str(len(self.draft.ticket_ids)))
        return text

    def collect(self) -> ActionDraft:
        """The form as a draft, checked with the server's own rule (raises DomainError saying what is wrong)."""
        picked = self.due.date()
        due = date(picked.year(), picked.month(), picked.day())
        department = self.department.currentData()
        title = supervision.check_action(self.title_edit.text(), str(department or ""), due, self._clock())
        return ActionDraft(title=title, detail=self.detail.toPlainText().strip(), department=str(department),
                           due_on=due, source=self.draft.source, ticket_ids=self.draft.ticket_ids,
                           meeting_id=self.draft.meeting_id)

    def _try_accept(self) -> None:
        try:
            draft = self.collect()
        except DomainError as error:
            self.error.setText(error.message(current_language()))
            return
        if not self._save:  # a meeting keeps it until the meeting is saved
            self.saved.emit(draft)
            self.accept()
            return
        store, staff, due = self._context.store, self._context.staff, draft.due_on
        assert due is not None

        def write() -> SupervisionAction:
            return store.create_action(office_id=staff.office_id, title=draft.title, department=str(draft.department),
                                       due_on=due, detail=draft.detail,
                                       meeting_id=draft.meeting_id, source=draft.source, ticket_ids=draft.ticket_ids,
                                       created_by=staff.id)

        self.save(self._context, write, {"supervision_action"}, self.saved.emit)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
