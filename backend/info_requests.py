"""补充材料/信息 on the server (domain.info_requests): who may ask on which stage, what a request must say,
who marks it met; every change audited, the efficiency facts refreshed by the push path (backend.efficiency.facts).

A desk records a request (possibly offline) on a stage its department works; the server sets the office, the
asking department (the stage's, whatever the desk sent), who asked, and keeps the desk's time of asking
within bounds (offline work: up to 30 days back). It is met (`open → met`) when what was asked arrives,
marked by who received it (domain.roles.may_answer_info_request); the server sets who and when. One asked by
mistake is withdrawn (`open → withdrawn`) with a reason by the asking department or a supervisor
(domain.roles.may_withdraw_info_request); the efficiency facts then ignore it (domain.indicators).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from backend import rules
from backend.audit import append_audit
from backend.store import row_to_wire
from backend.sync.mutation_kit import Rejected, Tx, applied, handles, load, refuse_existing, require_scope
from backend.sync.mutations import build_record
from backend.workflow_engine import check_intent
from domain import info_requests
from domain.errors import DomainError
from domain.merge import not_editable
from domain.roles import may_answer_info_request, may_request_info, may_withdraw_info_request
from domain.sync import Mutation, MutationResult

_ASKED_PAST = timedelta(days=30)
_ASKED_FUTURE = timedelta(minutes=10)


def _asked_at(tx: Tx, fields: dict[str, Any], accepted_at: datetime) -> datetime:
    """The desk's time of asking, when it is believable (not before the ticket, not far off); else now."""
    text = fields.get("requested_at")
    try:
        stated = datetime.fromisoformat(text) if isinstance(text, str) else tx.now
    except ValueError:
        raise Rejected("invalid_input", "索要时间无效 / invalid time of the request") from None
    if stated.tzinfo is None or not max(tx.now - _ASKED_PAST, accepted_at) <= stated <= tx.now + _ASKED_FUTURE:
        return tx.now
    return stated


def _audit(tx: Tx, action: str, row: Any, detail: dict[str, Any]) -> None:
    append_audit(tx.session, office_id=row.office_id, staff_id=tx.who.staff_id, action=action,
                 subject=row.id, detail=detail, at=tx.now, now=tx.now)


@handles("info_request", "create")
def create_info_request(tx: Tx, mutation: Mutation) -> MutationResult:
    refuse_existing(tx, mutation, "补充材料/信息记录已存在 / this request exists")
    fields = mutation.fields
    stage = tx.writer.get("stage_task", str(fields.get("stage_task_id") or ""))
    if stage is None:
        raise Rejected("not_found", "环节不存在 / no such stage")
    require_scope(tx, stage.office_id)
    if fields.get("ticket_id") != stage.ticket_id:
        raise Rejected("invalid_input", "环节不属于此工单 / the stage is not of this ticket")
    ticket = tx.writer.get("ticket", stage.ticket_id)
    if ticket is None:
        raise Rejected("not_found", "工单不存在 / no such ticket")
    if not may_request_info(tx.who.role, tx.who.department, stage.department):
        raise Rejected("forbidden", "只有办理此环节的部门可以索要补充材料/信息 / only the department working this stage "
                                    "may ask for more materials or information")
    try:
        ticket_type = rules.ticket_type(ticket.type_code)
    except DomainError:
        ticket_type = None
    materials = fields.get("materials", [])
    if not isinstance(materials, list) or not all(isinstance(m, str) for m in materials):
        raise Rejected("invalid_input", "材料须为材料代码列表 / materials must be a list of material codes")
    try:
        checked = info_requests.check_request(
            addressee=str(fields.get("addressee")), stage_department=stage.department, stage_state=stage.state,
            to_department=fields.get("to_department") if isinstance(fields.get("to_department"), str) else None,
            materials=materials, detail=str(fields.get("detail") or ""), reason=str(fields.get("reason") or ""),
            known_materials=info_requests.askable_materials(ticket_type))
    except DomainError as error:
        raise Rejected("invalid_input", f"{error.message_zh} / {error.message_en}") from None
    record = build_record(
        tx, mutation, office_id=stage.office_id, department=stage.department, addressee=checked.addressee,
        to_department=checked.to_department, materials=list(checked.materials), detail=checked.detail,
        reason=checked.reason, state=info_requests.OPEN, requested_by=tx.who.staff_id,
        requested_at=_asked_at(tx, fields, ticket.accepted_at), met_at=None, met_by=None, met_note=None)
    row = tx.writer.insert(record)
    _audit(tx, "info_request.create", row, {"ticket_id": row.ticket_id, "stage_task_id": row.stage_task_id,
                                            "addressee": row.addressee, "to_department": row.to_department,
                                            "materials": list(row.materials)})
    return applied(mutation, "info_request", row)


@handles("info_request", "transition")
def move_info_request(tx: Tx, mutation: Mutation) -> MutationResult:
    row = load(tx, "info_request", mutation.entity_id)
    if mutation.transition is not None and mutation.transition.to_state == info_requests.WITHDRAWN:
        return _withdraw(tx, mutation, row)
    if not may_answer_info_request(tx.who.role, tx.who.department, row.department, row.addressee, row.to_department):
        raise Rejected("forbidden", "您不能确认此项已补齐 / you may not mark this request met",
                       row_to_wire("info_request", row))
    to_state = check_intent(tx, "info_request", row, mutation)
    refused = not_editable("info_request", mutation.fields)
    if refused:
        raise Rejected("not_editable", f"这些字段不能修改 / these fields cannot be edited: {', '.join(refused)}",
                       row_to_wire("info_request", row))
    note = mutation.fields.get("met_note")
    try:
        cleaned = info_requests.check_answer(note if isinstance(note, str) else None)
    except DomainError as error:
        raise Rejected("invalid_input", f"{error.message_zh} / {error.message_en}",
                       row_to_wire("info_request", row)) from None
    tx.writer.update("info_request", row, {"state": to_state, "met_at": tx.now, "met_by": tx.who.staff_id,
                                           "met_note": cleaned or None})
    _audit(tx, f"info_request.{to_state}", row, {"ticket_id": row.ticket_id, "addressee": row.addressee})
    return applied(mutation, "info_request", row)


def _withdraw(tx: Tx, mutation: Mutation, row: Any) -> MutationResult:
    """撤回: the request was asked by mistake; the asking department or a supervisor takes it back with a reason."""
    if not may_withdraw_info_request(tx.who.role, tx.who.department, row.department):
        raise Rejected("forbidden", "只有索要的部门或主管可以撤回 / only the department that asked or a supervisor may "
                                    "withdraw this request", row_to_wire("info_request", row))
    to_state = check_intent(tx, "info_request", row, mutation)
    refused = not_editable("info_request", mutation.fields)
    if refused:
        raise Rejected("not_editable", f"这些字段不能修改 / these fields cannot be edited: {', '.join(refused)}",
                       row_to_wire("info_request", row))
    try:
        reason = info_requests.check_withdrawal(row.state, mutation.transition.reason if mutation.transition else None)
    except DomainError as error:
        raise Rejected("invalid_input", f"{error.message_zh} / {error.message_en}",
                       row_to_wire("info_request", row)) from None
    tx.writer.update("info_request", row, {"state": to_state, "withdrawn_at": tx.now, "withdrawn_by": tx.who.staff_id,
                                           "withdrawn_reason": reason})
    _audit(tx, "info_request.withdrawn", row, {"ticket_id": row.ticket_id, "addressee": row.addressee,
                                                "reason": reason})
    return applied(mutation, "info_request", row)
