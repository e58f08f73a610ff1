"""Reads the tickets area needs that local_store/reading.py does not offer yet (Qt-free).

Everything here runs in the store executor. It narrows the store's own queue query
(`TicketFilters`, same SQL, same sort rule) with what the queues need on top: stage-task
scopes (my tasks, my department's), SLA lists that include late stages, the customer class.
These belong in local_store/reading.py; until then they use the store's read connection.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Select, and_, exists, func, or_, select

from domain.errors import InvalidInput
from domain.records import Interaction, Note, Record, Staff, StageTask, Ticket
from domain.sync import Mutation
from local_store import Store, TicketFilters
from local_store.reading import QUEUE_SORTS, _queue_where
from local_store.rows import iso_utc, row_to_record
from local_store.schema import ENTITY_TABLES

_ticket = ENTITY_TABLES["ticket"]
_task = ENTITY_TABLES["stage_task"]
_customer = ENTITY_TABLES["customer"]

OPEN_TICKET_STATES: tuple[str, ...] = ("accepted", "in_progress", "awaiting_visit", "reopened")
ACTIVE_TASK_STATES: tuple[str, ...] = ("open", "taken", "returned", "transferred", "escalated")
SlaList = Literal["warning", "overdue"]


@dataclass(frozen=True)
class QueueFilters:
    """The store's TicketFilters plus what the tickets area narrows by on top of them."""

    base: TicketFilters = field(default_factory=TicketFilters)
    task_department: str | None = None  # tickets with an active stage task of this department
    task_assignee: str | None = None  # tickets with an active stage task taken by this staff member
    sla: SlaList | None = None  # the ticket or one of its active stages is in warning / overdue at `sla_at`
    sla_at: datetime | None = None
    customer_class: str | None = None

    @property
    def plain(self) -> bool:
        """True when the store's own query answers it."""
        return not (self.task_department or self.task_assignee or self.sla or self.customer_class)

    def with_base(self, **changes: Any) -> QueueFilters:
        return replace(self, base=replace(self.base, **changes))


def _sla_clause(kind: SlaList, at: datetime) -> Any:
    now = iso_utc(at)
    task_in_scope = and_(_task.c.ticket_id == _ticket.c.id, _task.c.state.in_(ACTIVE_TASK_STATES))
    if kind == "overdue":
        mine = _ticket.c.due_at < now
        stage = exists().where(task_in_scope, _task.c.due_at < now)
    else:
        mine = and_(_ticket.c.warn_at <= now, _ticket.c.due_at >= now)
        stage = exists().where(task_in_scope, _task.c.warn_at <= now, _task.c.due_at >= now)
    return and_(_ticket.c.state.in_(OPEN_TICKET_STATES), or_(mine, stage))


def _where(statement: Select[Any], filters: QueueFilters) -> Select[Any]:
    statement = _queue_where(statement, filters.base)
    if filters.task_department or filters.task_assignee:
        task = and_(_task.c.ticket_id == _ticket.c.id, _task.c.state.in_(ACTIVE_TASK_STATES))
        if filters.task_department:
            task = and_(task, _task.c.department == filters.task_department)
        if filters.task_assignee:
            task = and_(task, _task.c.assignee_id == filters.task_assignee)
        statement = statement.where(exists().where(task))
    if filters.sla is not None:
        if filters.sla_at is None:
            raise InvalidInput("预警/超时列表须指定时间", "an SLA list needs a time", field="sla_at")
        statement = statement.where(_sla_clause(filters.sla, filters.sla_at))
    if filters.customer_class:
        statement = statement.where(
            exists().where(_customer.c.id == _ticket.c.customer_id, _customer.c.customer_class == filters.customer_class)
        )
    return statement


def _records(store: Store, entity: str, statement: Select[Any]) -> list[Any]:
    with store._read() as connection:  # the store's pooled read connection (see module docstring)
        return [row_to_record(entity, row) for row in connection.execute(statement).mappings()]


def queue_page(store: Store, filters: QueueFilters, sort: str, offset: int, limit: int) -> list[Ticket]:
    """One page of the queue, sorted and filtered in SQL; the store answers plain filters itself."""
    if filters.plain:
        return store.ticket_queue(filters.base, sort=sort, offset=offset, limit=limit)
    name = sort.lstrip("-")
    if name not in QUEUE_SORTS:
        raise InvalidInput(f"不能按「{name}」排序", f"cannot sort the queue by {name!r}", field="sort")
    column = _ticket.c[name]
    order = column.desc() if sort.startswith("-") else column.asc()
    statement = _where(select(_ticket), filters).order_by(order, _ticket.c.id).offset(max(offset, 0))
    return _records(store, "ticket", statement.limit(max(limit, 0)))


def queue_count(store: Store, filters: QueueFilters) -> int:
    if filters.plain:
        return store.ticket_count(filters.base)
    with store._read() as connection:
        statement = _where(select(func.count()).select_from(_ticket), filters)
        return int(connection.execute(statement).scalar_one())


def customer_names(store: Store, ids: Iterable[str | None]) -> dict[str, str]:
    """Names only (the queue masks them): two columns, no record building, for a page of tickets."""
    wanted = sorted({i for i in ids if i})
    found: dict[str, str] = {}
    with store._read() as connection:
        for start in range(0, len(wanted), 500):  # stay under SQLite's bound-parameter limit
            statement = select(_customer.c.id, _customer.c.name).where(_customer.c.id.in_(wanted[start : start + 500]))
            found.update({row.id: row.name for row in connection.execute(statement)})
    return found


_TASK_COLUMNS = ("id", "office_id", "version", "ticket_id", "stage_code", "department", "state", "assignee_id",
                 "opened_at", "due_at", "warn_at")


def active_tasks_of(store: Store, ticket_ids: Sequence[str]) -> dict[str, list[StageTask]]:
    """The active stage tasks of each ticket on a page (the queue's "current stage" and SLA columns)."""
    by_ticket: dict[str, list[StageTask]] = {ticket_id: [] for ticket_id in ticket_ids}
    columns = [_task.c[name] for name in _TASK_COLUMNS]
    with store._read() as connection:
        for start in range(0, len(ticket_ids), 500):
            statement = (
                select(*columns)
                .where(_task.c.ticket_id.in_(list(ticket_ids[start : start + 500])),
                       _task.c.state.in_(ACTIVE_TASK_STATES))
                .order_by(_task.c.opened_at, _task.c.id)
            )
            for row in connection.execute(statement).mappings():
                task = StageTask.model_validate(dict(row))
                by_ticket[task.ticket_id].append(task)
    return by_ticket


def ticket_notes(store: Store, ticket_id: str) -> list[Note]:
    table = ENTITY_TABLES["note"]
    return _records(store, "note", select(table).where(table.c.ticket_id == ticket_id).order_by(table.c.at, table.c.id))


def ticket_interactions(store: Store, ticket_id: str) -> list[Interaction]:
    table = ENTITY_TABLES["interaction"]
    statement = select(table).where(table.c.ticket_id == ticket_id).order_by(table.c.at, table.c.id)
    return _records(store, "interaction", statement)


def office_staff(store: Store, office_id: str) -> list[Staff]:
    table = ENTITY_TABLES["staff"]
    statement = (
        select(table)
        .where(table.c.office_id == office_id, table.c.active.is_(True))
        .order_by(table.c.department, table.c.display_name)
    )
    return _records(store, "staff", statement)


def pending_for(store: Store, entity_ids: set[str], limit: int = 2000) -> list[Mutation]:
    """Outbox mutations on these rows not yet accepted by the server (shown as "waiting to sync")."""
    return [m for m in store.pending_mutations(limit=limit) if m.entity_id in entity_ids]


def followed_tasks(store: Store, staff: Staff) -> list[StageTask]:
    """Every stage task of the open tickets this person follows: accepted by them, or with a task of theirs.

    The notifier compares two of these snapshots.
    """
    mine = _task.c.assignee_id == staff.id
    if staff.department:
        mine = or_(mine, _task.c.department == staff.department)
    involved = select(_task.c.ticket_id).where(mine)
    followed = select(_ticket.c.id).where(
        _ticket.c.office_id == staff.office_id,
        _ticket.c.state.in_(OPEN_TICKET_STATES),
        or_(_ticket.c.accepted_by == staff.id, _ticket.c.id.in_(involved)),
    )
    statement = select(_task).where(_task.c.ticket_id.in_(followed)).order_by(_task.c.opened_at, _task.c.id)
    return _records(store, "stage_task", statement)


def tickets_by_id(store: Store, ids: Iterable[str]) -> dict[str, Ticket]:
    wanted = sorted(set(ids))
    found: dict[str, Ticket] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for record in _records(store, "ticket", select(_ticket).where(_ticket.c.id.in_(chunk))):
            found[record.id] = record
    return found


def office_tasks_between(store: Store, office_id: str, start: datetime, end: datetime) -> list[StageTask]:
    """Stage tasks of the office still active, or opened or completed in [start, end): the coordination lists."""
    lower, upper = iso_utc(start), iso_utc(end)
    statement = select(_task).where(
        _task.c.office_id == office_id,
        or_(
            _task.c.state.in_(ACTIVE_TASK_STATES),
            and_(_task.c.opened_at >= lower, _task.c.opened_at < upper),
            and_(_task.c.completed_at >= lower, _task.c.completed_at < upper),
        ),
    )
    return _records(store, "stage_task", statement.order_by(_task.c.opened_at, _task.c.id))


def record_ids(records: Iterable[Record]) -> set[str]:
    return {record.id for record in records}
