"""The moves offered on a ticket and its stage tasks, and the forms each asks for before it runs.

What is offered comes from domain.states.allowed_transitions for the signed-in role; each move
runs through the Operation helper, lands in the outbox (works offline) and asks the sync
engine to push.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from desktop import messages
from desktop.context import DeskContext
from desktop.i18n import current_language
from desktop.operations import Operation
from desktop.tickets import stage_work
from desktop.tickets.evaluation import (
    collaborating_departments,
    is_return_visit_stage,
    lead_department,
    needs_return_visit,
)
from desktop.tickets.task_dialogs import CompleteDialog, ReasonDialog, ReturnVisitDialog, TransferDialog
from domain.catalogue import Catalogue
from domain.errors import DomainError
from domain.records import Staff, StageTask, Ticket
from domain.roles import may_evaluate, may_work_stage
from domain.states import allowed_transitions, needs_reason
from domain.ticket_rules import ticket_move_refusals
from domain.workflow import Workflow

CHANGED_KINDS = ("ticket", "stage_task", "note")


@dataclass(frozen=True)
class Move:
    kind: str  # "ticket" | "stage_task"
    target: str
    text: str  # translated button text
    refusal: str = ""  # why the move is not possible now (shown on the disabled button); empty when it is


class TicketActions(QObject):
    """Runs moves for the detail widget; `done` fires after a move has been written locally."""

    done = Signal()

    def __init__(self, context: DeskContext, catalogue: Catalogue, parent: QWidget) -> None:
        super().__init__(parent)
        self._context = context
        self._catalogue = catalogue
        self._parent = parent
        self.active_dialog: QDialog | None = None  # the open form, if any (tests fill it in)

    # ---- what is offered ------------------------------------------------------------------------

    def stage_moves(self, task: StageTask) -> list[Move]:
        staff = self._context.staff
        if not may_work_stage(staff.role, staff.department, task.department):
            return []  # another department's stage: the server would refuse it
        texts = {"taken": self.tr("接办"), "done": self.tr("完成"), "returned": self.tr("回退"),
                 "transferred": self.tr("转派"), "escalated": self.tr("升级"), "cancelled": self.tr("取消"),
                 "open": self.tr("重新开放")}
        return [Move("stage_task", target, texts.get(target, target))
                for target in _allowed("stage_task", task.state, staff.role)]

    def ticket_moves(self, ticket: Ticket, tasks: Sequence[StageTask] = ()) -> list[Move]:
        """The moves the role may make; one the ticket's rules forbid now (办结 or 转待回访 over an open
        mandatory stage: domain.ticket_rules.check_ticket_move) is offered disabled, with the reason."""
        texts = {"in_progress": self.tr("开始办理"), "awaiting_visit": self.tr("转待回访"), "closed": self.tr("办结"),
                 "cancelled": self.tr("撤销"), "reopened": self.tr("重启")}
        if ticket.state == "awaiting_visit":
            texts["in_progress"] = self.tr("退回重办")
        allowed = _allowed("ticket", ticket.state, self._context.staff.role)
        # Moves refused for the same open stages share one sentence, so the detail says it once.
        refusals = ticket_move_refusals(allowed, self._workflow(ticket), tasks)
        language = current_language()
        return [Move("ticket", target, texts.get(target, target),
                     refusals[target].message(language) if target in refusals else "")
                for target in allowed]

    def _workflow(self, ticket: Ticket) -> Workflow | None:
        try:
            return self._catalogue.ticket_type(ticket.type_code).workflow
        except DomainError:
            return None

    # ---- running them ---------------------------------------------------------------------------

    def run_stage_move(self, target: str, task: StageTask, ticket: Ticket, tasks: Sequence[StageTask],
                       stage_name: str, staff_list: Sequence[Staff]) -> None:
        store, staff = self._context.store, self._context.staff
        if target == "taken":
            self._run(lambda: stage_work.take_task(store, task, staff), self.tr("已接办"))
        elif target == "done" and is_return_visit_stage(ticket, task.stage_code, self._catalogue):
            self._ask_visit(ticket, tasks, lambda visit: self._run(
                lambda: stage_work.complete_task(store, task, staff, {}, ticket, visit), self.tr("回访已记录")))
        elif target == "done":
            lead = lead_department(ticket, self._catalogue)
            dialog = CompleteDialog(stage_name, lead if lead is not None and lead != task.department else None,
                                    self._parent)
            self._open(dialog, lambda: self._run(
                partial(stage_work.complete_task, store, task, staff, dialog.collect()), self.tr("环节已完成")))
        elif target == "transferred":
            transfer = TransferDialog([p for p in staff_list if p.id != staff.id], self._parent)
            self._open(transfer, lambda: self._run(
                partial(stage_work.move_task, store, task, target, staff, *transfer.collect_transfer()),
                self.tr("已转派")))
        elif needs_reason("stage_task", task.state, target):
            reason_dialog = ReasonDialog(self._title(target), self._parent)
            self._open(reason_dialog, lambda: self._run(
                partial(stage_work.move_task, store, task, target, staff, reason_dialog.collect()), self.tr("已提交")))
        else:
            self._run(lambda: stage_work.move_task(store, task, target, staff), self.tr("已提交"))

    def run_ticket_move(self, target: str, ticket: Ticket, tasks: Sequence[StageTask]) -> None:
        store, staff = self._context.store, self._context.staff
        if target == "closed" and needs_return_visit(ticket, self._catalogue):
            self._ask_visit(ticket, tasks, lambda visit: self._run(
                lambda: stage_work.move_ticket(store, ticket, target, staff, visit=visit), self.tr("工单已办结")))
        elif needs_reason("ticket", ticket.state, target):
            dialog = ReasonDialog(self._title(target), self._parent)
            self._open(dialog, lambda: self._run(
                partial(stage_work.move_ticket, store, ticket, target, staff, dialog.collect()), self.tr("已提交")))
        else:
            self._run(lambda: stage_work.move_ticket(store, ticket, target, staff), self.tr("已提交"))

    def add_note(self, ticket: Ticket, body: str, customer_visible: bool) -> None:
        store, staff = self._context.store, self._context.staff
        done = self.tr("已答复客户") if customer_visible else self.tr("备注已保存")
        self._run(lambda: stage_work.add_note(store, ticket, staff, body, customer_visible), done)

    # ---- helpers --------------------------------------------------------------------------------

    def _title(self, target: str) -> str:
        titles = {"returned": self.tr("回退原因"), "cancelled": self.tr("取消原因"), "escalated": self.tr("升级原因"),
                  "in_progress": self.tr("重办原因"), "reopened": self.tr("重启原因"), "open": self.tr("退回原因")}
        return titles.get(target, self.tr("填写原因"))

    def _ask_visit(self, ticket: Ticket, tasks: Sequence[StageTask], then: Callable[[Any], None]) -> None:
        # 主责评价 is offered only to a role the server takes it from (a clerk closing at the window is not one).
        rated = (collaborating_departments(ticket, tasks, self._catalogue)
                 if may_evaluate(self._context.staff.role, "lead") else [])
        dialog = ReturnVisitDialog(lead_department(ticket, self._catalogue), rated, self._parent)
        self._open(dialog, lambda: then(dialog.collect()))

    def _open(self, dialog: QDialog, on_accept: Callable[[], None]) -> None:
        self.active_dialog = dialog
        dialog.accepted.connect(on_accept)
        dialog.finished.connect(lambda _code: self._forget(dialog))
        dialog.open()

    def _forget(self, dialog: QDialog) -> None:
        if self.active_dialog is dialog:
            self.active_dialog = None
        dialog.deleteLater()

    def _run(self, work: Callable[[], Any], done_text: str) -> None:
        def written(_result: Any) -> None:
            self._context.notify_local_change()
            messages.info(done_text)
            self.done.emit()

        Operation(self._parent, work, changes=CHANGED_KINDS).success(written).run()


def _allowed(kind: str, state: str, role: str) -> list[str]:
    try:
        return allowed_transitions(kind, state, role)
    except DomainError:  # a state or role this desk does not know yet: offer nothing rather than guess
        return []
