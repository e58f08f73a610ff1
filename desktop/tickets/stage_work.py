"""What the stage and ticket buttons do to the store (Qt-free; each runs in the store executor).

Every move is a state transition intent in the outbox (it works offline); the fields that belong
to the move (the assignee on taking, the result on completing) travel with it in the same
mutation, so the server applies both or neither. The move is checked with domain.states first,
so a refused move writes nothing.
"""

from __future__ import annotations

from typing import Any

from desktop.tickets.evaluation import ReturnVisit, record_peer_rating, record_return_visit
from domain.records import Note, Staff, StageTask, Ticket
from domain.states import transition as check_transition
from local_store import Store


def take_task(store: Store, task: StageTask, staff: Staff) -> StageTask:
    check_transition("stage_task", task.state, "taken", staff.role)
    moved = store.transition("stage_task", task.id, "taken", staff.role, fields={"assignee_id": staff.id})
    assert isinstance(moved, StageTask)
    return moved


def complete_task(store: Store, task: StageTask, staff: Staff, result: dict[str, Any],
                  ticket: Ticket | None = None, visit: ReturnVisit | None = None) -> StageTask:
    """Record the result (and the return visit, if this is one), then mark the stage done."""
    check_transition("stage_task", task.state, "done", staff.role)
    merged = {**task.result, **result, **(visit.as_result() if visit is not None else {})}
    fields = {"result": merged} if merged != task.result else None
    moved = store.transition("stage_task", task.id, "done", staff.role, fields=fields)
    record_peer_rating(store, task, merged, staff.id)
    if visit is not None and ticket is not None:
        _record_visit(store, ticket, staff, visit)
    assert isinstance(moved, StageTask)
    return moved


def move_task(store: Store, task: StageTask, to_state: str, staff: Staff, reason: str | None = None,
              assignee_id: str | None = None) -> StageTask:
    """Return, transfer, escalate, cancel or reopen a stage task; a transfer may name who receives it."""
    reason = reason.strip() if reason else None
    check_transition("stage_task", task.state, to_state, staff.role, reason)
    moved = store.transition("stage_task", task.id, to_state, staff.role, reason)
    if assignee_id is not None and assignee_id != task.assignee_id:
        moved = store.update_fields("stage_task", task.id, {"assignee_id": assignee_id})
    assert isinstance(moved, StageTask)
    return moved


def move_ticket(store: Store, ticket: Ticket, to_state: str, staff: Staff, reason: str | None = None,
                visit: ReturnVisit | None = None) -> Ticket:
    """A ticket-level move; closing after the visit records it first."""
    reason = reason.strip() if reason else None
    check_transition("ticket", ticket.state, to_state, staff.role, reason)
    if visit is not None:
        _record_visit(store, ticket, staff, visit)
    moved = store.transition("ticket", ticket.id, to_state, staff.role, reason)
    assert isinstance(moved, Ticket)
    return moved


def _record_visit(store: Store, ticket: Ticket, staff: Staff, visit: ReturnVisit) -> Note:
    """主责评价 and 客户评价 as Evaluation records, the customer's score on the ticket, a note in its history."""
    return record_return_visit(store, ticket, visit, staff.id)


def add_note(store: Store, ticket: Ticket, staff: Staff, body: str, customer_visible: bool) -> Note:
    return store.add_note(ticket.id, body, author_id=staff.id, visibility="customer" if customer_visible else "internal")
