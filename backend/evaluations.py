"""Evaluations of a cross-department ticket: who may rate what, on a ticket of their own office."""

from __future__ import annotations

from backend.sync.mutation_kit import Rejected, Tx, applied, handles, refuse_existing, require_scope
from backend.sync.mutations import build_record
from domain.roles import EVALUATOR_ROLES, may_evaluate
from domain.sync import Mutation, MutationResult


@handles("evaluation", "create")
def create_evaluation(tx: Tx, mutation: Mutation) -> MutationResult:
    refuse_existing(tx, mutation, "评价已存在 / this evaluation exists")
    fields = mutation.fields
    evaluator = fields.get("evaluator")
    if evaluator not in EVALUATOR_ROLES:
        raise Rejected("invalid_input", "评价类型须为主责、互评或客户评价 / evaluator must be lead, peer or customer")
    if not may_evaluate(tx.who.role, str(evaluator), tx.who.department):
        raise Rejected("forbidden", "您的角色不能做此类评价 / your role may not give this kind of evaluation")
    score = fields.get("score")
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise Rejected("invalid_input", "评分须为 1 到 5 的整数 / the score must be a whole number from 1 to 5")
    ticket = tx.writer.get("ticket", str(fields.get("ticket_id") or ""))
    if ticket is None:
        raise Rejected("not_found", "工单不存在 / no such ticket")
    require_scope(tx, ticket.office_id)
    server_fields: dict[str, object] = {"office_id": ticket.office_id, "by": tx.who.staff_id}
    if tx.who.role == "department" and evaluator != "customer":
        server_fields["from_department"] = tx.who.department  # a department speaks only for itself
    record = build_record(tx, mutation, **server_fields)
    row = tx.writer.insert(record)
    return applied(mutation, "evaluation", row)
