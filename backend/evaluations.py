"""Evaluations of a cross-department ticket: who may rate what, on a ticket of their own office.

客户评价 is recorded by whoever makes the return visit: the front desk, or staff of the department that
owns the ticket's return-visit stage (from its workflow; 客服 when the workflow has none). 主责评价 and
协作互评 given by department staff speak for their own department, and nobody rates their own department.
Totals per department and month: backend.efficiency.api (weights per office)."""

from __future__ import annotations

from backend import rules
from backend.db.records import TicketRow
from backend.sync.mutation_kit import Rejected, Tx, applied, handles, refuse_existing, require_scope
from backend.sync.mutations import build_record
from domain.errors import DomainError
from domain.roles import EVALUATOR_ROLES, Department, Role, may_evaluate
from domain.sync import Mutation, MutationResult


def return_visit_department(ticket: TicketRow) -> str:
    """The department that owns the ticket's return-visit stage (客服 when its workflow has none)."""
    try:
        workflow = rules.ticket_type(ticket.type_code).workflow
    except DomainError:
        return str(Department.service)
    visit = next((stage for stage in workflow.stages if stage.is_return_visit), None)
    return str(visit.department) if visit is not None else str(Department.service)


@handles("evaluation", "create")
def create_evaluation(tx: Tx, mutation: Mutation) -> MutationResult:
    refuse_existing(tx, mutation, "评价已存在 / this evaluation exists")
    fields = mutation.fields
    evaluator = fields.get("evaluator")
    if evaluator not in EVALUATOR_ROLES:
        raise Rejected("invalid_input", "评价类型须为主责、互评或客户评价 / evaluator must be lead, peer or customer")
    score = fields.get("score")
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise Rejected("invalid_input", "评分须为 1 到 5 的整数 / the score must be a whole number from 1 to 5")
    ticket = tx.writer.get("ticket", str(fields.get("ticket_id") or ""))
    if ticket is None:
        raise Rejected("not_found", "工单不存在 / no such ticket")
    require_scope(tx, ticket.office_id)
    if not may_evaluate(tx.who.role, str(evaluator), tx.who.department, return_visit_department(ticket)):
        raise Rejected("forbidden", "您的角色不能做此类评价 / your role may not give this kind of evaluation")
    # staff record what they were told; only the app channel marks a rating as the customer's own in the app
    server_fields: dict[str, object] = {"office_id": ticket.office_id, "by": tx.who.staff_id, "channel": None}
    if tx.who.role == Role.department and evaluator != "customer":
        server_fields["from_department"] = tx.who.department  # a department speaks only for itself
    if evaluator != "customer":
        rated = fields.get("to_department")
        if not isinstance(rated, str) or rated not in {str(d) for d in Department}:
            raise Rejected("invalid_input", "请选择被评价的部门 / name the department rated")
        if rated == server_fields.get("from_department", fields.get("from_department")):
            raise Rejected("invalid_input", "不能评价本部门 / a department does not rate itself")
    record = build_record(tx, mutation, **server_fields)
    row = tx.writer.insert(record)
    return applied(mutation, "evaluation", row)
