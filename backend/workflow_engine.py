"""The cross-department workflow engine: ticket creation, transitions, stage completion.

A ticket create validates against the catalogue, takes the next ticket number, computes
its deadline with domain.sla on the office calendar and opens the workflow's first
stages as tasks. Completing a stage opens every stage whose prerequisites are now all
done (parallel stages open together); when only return-visit stages remain the ticket
waits for the visit, and when none remain it is closed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend import power_quality_governance, rules, timers
from backend.db.records import CustomerRow, StageTaskRow, SurveyAssignmentRow, SurveyorRow, TicketRow
from backend.db.sync_tables import TicketCounter
from backend.store import row_to_wire, validated_changes
from backend.sync.changes import dialect_insert
from backend.sync.mutation_kit import Rejected, Tx, applied, handles, load
from backend.sync.mutations import build_record
from backend.timers import Armed
from domain import progress, states, ticket_rules
from domain.catalogue import TicketType
from domain.errors import DomainError, InvalidTransition
from domain.intake import check_ticket_input
from domain.merge import not_editable
from domain.records import Interaction, Record, StageTask, SurveyAssignment
from domain.roles import may_work_stage
from domain.sla import OFFICE_ZONE
from domain.sync import Mutation, MutationResult
from domain.territory import ticket_territory
from domain.workflow import Stage, Workflow, open_stages

_NAMESPACE = uuid.UUID("6f1d8a0e-3c0b-4a55-8f0e-2d6b1b7a9c42")
ACCEPT_STAGE = "accept"
STAGE_TAKEN = "taken"
TICKET_ACCEPTED = "accepted"
TICKET_CANCELLED = "cancelled"
_STEP_LIMIT = 500  # characters of a history line
# Survey assignments a closed or cancelled ticket takes back: queued, or booked and not yet visited.
_WITHDRAWN_SURVEYS = ticket_rules.QUEUED_SURVEY_STATES | {"assigned", "accepted"}
TICKET_DESK_FIELDS = (
    "type_code", "channel", "customer_id", "account_id", "summary", "fields", "materials",
    "accepted_at", "provisional_number", "linked_ticket_id",
)


def next_ticket_number(session: Session, now: datetime) -> str:
    """`GD` + yyyymmdd (office zone) + a 6-digit daily counter, unique across offices."""
    day = now.astimezone(OFFICE_ZONE).strftime("%Y%m%d")
    statement = dialect_insert(session)(TicketCounter).values(day=day, last=1)
    last = session.execute(
        statement.on_conflict_do_update(index_elements=["day"], set_={"last": TicketCounter.last + 1})
        .returning(TicketCounter.last)
    ).scalar_one()
    return f"GD{day}{last:06d}"


@handles("ticket", "create")
def create_ticket(tx: Tx, mutation: Mutation) -> MutationResult:
    if tx.writer.get("ticket", mutation.entity_id) is not None:
        raise Rejected("exists", "工单已存在 / a ticket with this id exists")
    data = {name: mutation.fields[name] for name in TICKET_DESK_FIELDS if name in mutation.fields}
    data.setdefault("office_id", mutation.fields.get("office_id", tx.who.office_id))
    fields, materials = data.get("fields") or {}, data.get("materials") or []
    if not isinstance(fields, dict) or not isinstance(materials, list):
        raise Rejected("invalid_input", "业务表单或材料格式无效 / fields must be an object and materials a list")
    try:
        ticket_type, data["fields"] = check_ticket_input(
            rules.catalogue(), str(data.get("type_code")), str(data.get("channel")), fields, materials
        )
    except DomainError as error:
        raise Rejected("invalid_input", f"{error.message_zh} / {error.message_en}") from None
    area: str | None = None  # the customer's; the ticket's own form comes first (sla.ticket_area_class)
    customer_id = data.get("customer_id")
    if customer_id is not None:
        customer = tx.session.get(CustomerRow, customer_id)
        if customer is None or customer.office_id != data["office_id"]:
            raise Rejected("not_found", "客户不存在 / no such customer in this office")
        area = customer.area_class
    data["progress_code"] = _progress_code(tx.session, mutation.fields.get("progress_code"))
    draft = build_record(tx, mutation.model_copy(update={"fields": data}), state="accepted")
    calendar = rules.office_calendar(tx.session)
    due = rules.deadline(ticket_type.time_limit, draft.accepted_at, draft.fields, area, calendar)  # type: ignore[attr-defined]
    record = draft.model_copy(
        update={
            "number": next_ticket_number(tx.session, tx.now),
            "accepted_by": tx.who.staff_id,
            "due_at": due.due_at,
            "warn_at": due.warn_at,
            "deadline_provisional": due.provisional,
        }
    )
    row = tx.writer.insert(record)
    accepted = _acceptance(row, ticket_type)
    done = {task.stage_code for task in accepted}
    _open_next(tx, row, ticket_type, done=done, existing=set(done), opened_at=row.accepted_at, area=area,
               with_rows=accepted, with_timers=[("ticket", row, row.id)])
    power_quality_governance.ticket_created(tx, row)  # a voltage ticket of a monitored customer: its data
    return applied(mutation, "ticket", row, ticket_number=row.number)


def _progress_code(session: Session, sent: object) -> str:
    """The desk's lookup code (checked; it is on a receipt already), or a fresh one when the creator sent none
    (a channel, an older desk) or when the desk's is taken — a 1 in 10^17 event that must not lose the request."""
    if sent is not None:
        try:
            code = progress.check_code(sent)
        except DomainError as error:
            raise Rejected("invalid_input", f"{error.message_zh} / {error.message_en}") from None
        if session.execute(select(TicketRow.id).where(TicketRow.progress_code == code)).first() is None:
            return code
    while True:
        code = progress.new_code()
        if session.execute(select(TicketRow.id).where(TicketRow.progress_code == code)).first() is None:
            return code


def _acceptance(ticket: TicketRow, ticket_type: TicketType) -> list[StageTask]:
    """The acceptance stage happened at the desk when the ticket was taken: its task is born done."""
    return [
        StageTask(
            id=_stage_task_id(ticket.id, stage.code), office_id=ticket.office_id, ticket_id=ticket.id,
            stage_code=stage.code, department=str(stage.department), state=rules.STAGE_DONE,
            assignee_id=ticket.accepted_by, opened_at=ticket.accepted_at, completed_at=ticket.accepted_at,
        )
        for stage in ticket_type.workflow.stages
        if stage.code == ACCEPT_STAGE and not stage.prerequisites
    ]


def _stage_task_id(ticket_id: str, stage_code: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{ticket_id}:{stage_code}"))


def _open_next(
    tx: Tx, ticket: TicketRow, ticket_type: TicketType, *, done: set[str], existing: set[str],
    opened_at: datetime, area: str | None, with_rows: Sequence[Record] = (), with_timers: Sequence[Armed] = (),
) -> list[Stage]:
    """Create tasks for the stages that may start now and have no task yet, and arm their timers
    (with `with_rows` and `with_timers` of the caller: one insert per kind, one timer upsert)."""
    calendar = rules.office_calendar(tx.session)
    opened: list[Stage] = []
    rows: list[Record] = list(with_rows)
    tasks: list[StageTask] = []
    for stage in open_stages(ticket_type.workflow, done):
        if stage.code in existing:
            continue
        due = rules.stage_deadline(stage, opened_at, ticket.fields, area, calendar)
        task = StageTask(
            id=_stage_task_id(ticket.id, stage.code),
            office_id=ticket.office_id,
            ticket_id=ticket.id,
            stage_code=stage.code,
            department=str(stage.department),
            opened_at=opened_at,
            due_at=due.due_at if due else None,
            warn_at=due.warn_at if due else None,
        )
        tasks.append(task)
        rows.append(task)
        if stage.is_survey:
            rows.append(
                SurveyAssignment(
                    id=str(uuid.uuid5(_NAMESPACE, f"{task.id}:survey")),
                    office_id=ticket.office_id,
                    ticket_id=ticket.id,
                    stage_task_id=task.id,
                    customer_id=ticket.customer_id,
                    due_at=task.due_at,
                    territory=_territory(tx, ticket),
                )
            )
        opened.append(stage)
    if rows:
        tx.writer.insert_many(rows)
    timers.schedule_many(tx.session, [*with_timers, *(("stage_task", task, ticket.id) for task in tasks)])
    return opened


def _territory(tx: Tx, ticket: TicketRow) -> str | None:
    """The ticket's territory (辖区) among its office's surveyors' territories, from the address taken at
    intake (domain.territory); None when no address names one (the dispatcher sets it on the board)."""
    known = {name for names in tx.session.execute(
        select(SurveyorRow.territories).where(SurveyorRow.office_id == ticket.office_id)).scalars() for name in names}
    account = tx.writer.get("account", ticket.account_id) if ticket.account_id else None
    customer = tx.session.get(CustomerRow, ticket.customer_id) if ticket.customer_id else None
    return ticket_territory(ticket.fields, account.address if account is not None else None,
                            customer.address if customer is not None else None, known)


def check_intent(tx: Tx, kind: str, row: Any, mutation: Mutation) -> str:
    """The target state of a transition intent; rejected when stale or not allowed for the pusher's role."""
    intent = mutation.transition
    if intent is None:
        raise Rejected("invalid_input", "缺少状态变更意图 / a transition needs from_state and to_state")
    if intent.from_state != row.state:
        raise Rejected(
            "stale_state",
            f"状态已变为「{row.state}」/ the {kind} is now {row.state}, not {intent.from_state}",
            row_to_wire(kind, row),
        )
    try:
        rules.check_transition(kind, row.state, intent.to_state, tx.who.role, intent.reason)
    except InvalidTransition as error:
        raise Rejected("invalid_transition", f"{error.message_zh} / {error.message_en}", row_to_wire(kind, row)) from None
    return intent.to_state


@handles("ticket", "transition")
def transition_ticket(tx: Tx, mutation: Mutation) -> MutationResult:
    row = load(tx, "ticket", mutation.entity_id)
    to_state = check_intent(tx, "ticket", row, mutation)
    tasks = list(tx.session.execute(
        select(StageTaskRow).where(StageTaskRow.ticket_id == row.id).with_for_update()).scalars())
    workflow = _workflow_of(row)
    try:
        ticket_rules.check_ticket_move(to_state, workflow, tasks)
    except InvalidTransition as error:
        raise Rejected("invalid_transition", f"{error.message_zh} / {error.message_en}", row_to_wire("ticket", row)) from None
    reason = mutation.transition.reason if mutation.transition else None
    from_state = row.state
    changes: dict[str, Any] = {"state": to_state}
    if to_state in rules.FINAL_TICKET_STATES:
        changes["closed_at"] = tx.now
        timers.cancel_ticket(tx.session, row.id)
    tx.writer.update("ticket", row, changes)
    record_step(tx, row, _ticket_step("ticket", from_state, to_state, reason))
    if to_state == TICKET_CANCELLED:
        _cancel_stages(tx, row, tasks, reason)
        power_quality_governance.ticket_cancelled(tx, row, reason)
    elif to_state == rules.TICKET_CLOSED:
        _finish_with_closing(tx, row, tasks, workflow)
    if to_state in rules.FINAL_TICKET_STATES:
        withdraw_surveys(tx, row)
    return applied(mutation, "ticket", row)


def _workflow_of(ticket: TicketRow) -> Workflow | None:
    try:
        return rules.ticket_type(ticket.type_code).workflow
    except DomainError:
        return None


def _ticket_step(kind: str, from_state: str, to_state: str, reason: str | None, subject: str = "") -> str:
    """The history line of a state change: who and when are the interaction's own fields."""
    what = subject or states.STATE_MACHINES[kind].name_zh
    text = f"{what}：{_label(kind, from_state)} → {_label(kind, to_state)}"
    return f"{text}（{reason.strip()}）" if reason and reason.strip() else text


def _label(kind: str, state: str) -> str:
    try:
        return states.state_label(kind, state)
    except DomainError:
        return state


def record_step(tx: Tx, ticket: TicketRow, summary: str, at: datetime | None = None) -> None:
    """Every state change of a ticket or its stages is an interaction on the ticket: its history (历史)
    names the change, the staff member the server authenticated and the server's time."""
    tx.writer.insert(Interaction(
        id=str(uuid.uuid4()), office_id=ticket.office_id, customer_id=ticket.customer_id,
        channel=ticket.channel,  # type: ignore[arg-type]  # a stored ticket's channel is one of Channel
        type="ticket_step", at=at or tx.now, staff_id=tx.who.staff_id, summary=summary[:_STEP_LIMIT],
        ticket_id=ticket.id,
    ))


def _cancel_stages(tx: Tx, ticket: TicketRow, tasks: Sequence[StageTaskRow], reason: str | None) -> None:
    """A cancelled ticket's unfinished stage tasks follow it, so no desk keeps working them."""
    for task in tasks:
        if not ticket_rules.is_unfinished_stage(task.state):
            continue
        tx.writer.update("stage_task", task, {"state": TICKET_CANCELLED, "reason": reason or "工单已撤销 / ticket cancelled"})
        timers.cancel(tx.session, "stage_task", task.id)


def _finish_with_closing(tx: Tx, ticket: TicketRow, tasks: Sequence[StageTaskRow], workflow: Workflow | None) -> None:
    """The stages closing finishes (the window's answer, the return visit, archiving) are done with it:
    no task stays open on a closed ticket."""
    closing = ticket_rules.finished_by_closing(workflow) if workflow is not None else frozenset()
    for task in tasks:
        if not ticket_rules.is_unfinished_stage(task.state):
            continue
        done = task.stage_code in closing
        changes: dict[str, Any] = ({"state": rules.STAGE_DONE, "completed_at": tx.now} if done else
                                   {"state": TICKET_CANCELLED, "reason": "工单已办结 / the ticket was closed"})
        if done and task.assignee_id is None:
            changes["assignee_id"] = tx.who.staff_id
        tx.writer.update("stage_task", task, changes)
        timers.cancel(tx.session, "stage_task", task.id)


def withdraw_surveys(tx: Tx, ticket: TicketRow) -> None:
    """A closed or cancelled ticket's survey requests leave the dispatch queue (and surveyors' days
    they were booked on, unless the surveyor is already on site)."""
    pending = tx.session.execute(
        select(SurveyAssignmentRow).where(
            SurveyAssignmentRow.ticket_id == ticket.id,
            SurveyAssignmentRow.state.in_(sorted(_WITHDRAWN_SURVEYS)),
        ).with_for_update()
    ).scalars()
    for survey in pending:
        tx.writer.update("survey_assignment", survey, {"state": TICKET_CANCELLED})


def fields_with_transition(tx: Tx, kind: str, row: Any, mutation: Mutation) -> dict[str, Any]:
    """The editable fields a transition carries, checked and typed, to apply in the same write."""
    refused = not_editable(kind, mutation.fields)
    if refused:
        raise Rejected(
            "not_editable", f"这些字段不能修改 / these fields cannot be edited: {', '.join(refused)}", row_to_wire(kind, row)
        )
    try:
        return validated_changes(kind, row, dict(mutation.fields))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise Rejected("invalid_input", f"字段值无效 / invalid value: {where}: {first['msg']}", row_to_wire(kind, row)) from None


@handles("stage_task", "transition")
def transition_stage(tx: Tx, mutation: Mutation) -> MutationResult:
    task = load(tx, "stage_task", mutation.entity_id)
    check_stage_owner(tx, task)
    to_state = check_intent(tx, "stage_task", task, mutation)
    ticket_state = tx.session.execute(select(TicketRow.state).where(TicketRow.id == task.ticket_id)).scalar()
    if ticket_state in rules.FINAL_TICKET_STATES and to_state != TICKET_CANCELLED:
        raise Rejected("invalid_transition", "工单已结束，环节不能再变更 / the ticket is closed or cancelled: its stages are final",
                       row_to_wire("stage_task", task))
    changes = fields_with_transition(tx, "stage_task", task, mutation)
    if to_state == STAGE_TAKEN and "assignee_id" not in changes:
        changes["assignee_id"] = tx.who.staff_id
    reason = mutation.transition.reason if mutation.transition else None
    if reason:
        changes["reason"] = reason
    from_state = task.state
    move_stage(tx, task, to_state, changes, step=(from_state, reason))
    return applied(mutation, "stage_task", task)


def check_stage_owner(tx: Tx, task: StageTaskRow) -> None:
    """Department staff change only their own department's stages (state, result or assignee)."""
    if not may_work_stage(tx.who.role, tx.who.department, task.department):
        raise Rejected("forbidden", "此环节属于其他部门 / this stage belongs to another department",
                       row_to_wire("stage_task", task))


def move_stage(tx: Tx, task: StageTaskRow, to_state: str, changes: dict[str, Any],
               step: tuple[str, str | None] | None = None) -> None:
    """Write a stage task's new state (and fields); a completed stage opens the stages that follow it.
    The change goes into the ticket's history (`step`: the state it left and the reason given)."""
    ticket = tx.writer.get("ticket", task.ticket_id, lock=True)
    assert ticket is not None
    from_state, reason = step if step is not None else (task.state, None)
    changes = {**changes, "state": to_state}
    if to_state == rules.STAGE_DONE:
        changes["completed_at"] = tx.now
    tx.writer.update("stage_task", task, changes)
    record_step(tx, ticket, _ticket_step("stage_task", from_state, to_state, reason, _stage_name(ticket, task)))
    if to_state == STAGE_TAKEN and ticket.state == TICKET_ACCEPTED:
        # Someone has started on it: the ticket is in progress from its first taken stage, not its first done one.
        tx.writer.update("ticket", ticket, {"state": rules.TICKET_IN_PROGRESS})
        record_step(tx, ticket, _ticket_step("ticket", TICKET_ACCEPTED, ticket.state, None))
    if to_state == rules.STAGE_DONE:
        timers.cancel(tx.session, "stage_task", task.id)
        _after_stage_done(tx, ticket, task)
        power_quality_governance.stage_done(tx, ticket, task)


def _after_stage_done(tx: Tx, ticket: TicketRow, task: StageTaskRow) -> None:
    ticket_type = rules.ticket_type(ticket.type_code)
    workflow = ticket_type.workflow
    tasks = list(tx.session.execute(select(StageTaskRow).where(StageTaskRow.ticket_id == ticket.id)).scalars())
    done = {t.stage_code for t in tasks if t.state == rules.STAGE_DONE}
    if workflow.clock_stops_at is not None and workflow.clock_stops_at in done:
        timers.cancel(tx.session, "ticket", ticket.id)
    area = None
    if ticket.customer_id:
        customer = tx.session.get(CustomerRow, ticket.customer_id)
        area = customer.area_class if customer is not None else None
    _open_next(tx, ticket, ticket_type, done=done, existing={t.stage_code for t in tasks}, opened_at=tx.now, area=area)
    if ticket.state in rules.FINAL_TICKET_STATES:
        return
    remaining = [s for s in workflow.stages if s.code not in done]
    before = ticket.state
    if not remaining:
        tx.writer.update("ticket", ticket, {"state": rules.TICKET_CLOSED, "closed_at": tx.now})
        timers.cancel_ticket(tx.session, ticket.id)
        withdraw_surveys(tx, ticket)
    elif all(s.is_return_visit for s in remaining) and ticket.state != rules.TICKET_AWAITING_VISIT:
        tx.writer.update("ticket", ticket, {"state": rules.TICKET_AWAITING_VISIT})
    elif ticket.state == TICKET_ACCEPTED:  # completed without being taken first (e.g. by a supervisor)
        tx.writer.update("ticket", ticket, {"state": rules.TICKET_IN_PROGRESS})
    if ticket.state != before:
        record_step(tx, ticket, _ticket_step("ticket", before, ticket.state, None))


def _stage_name(ticket: TicketRow, task: StageTaskRow) -> str:
    workflow = _workflow_of(ticket)
    stage = next((s for s in workflow.stages if s.code == task.stage_code), None) if workflow is not None else None
    return f"环节「{stage.name_zh if stage is not None else task.stage_code}」"
