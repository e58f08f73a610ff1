"""The ticket queue's filters and their SQL: the ticket's own columns, the stage tasks inside it, its customer."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Select, String, and_, case, exists, func, literal, not_, or_, true

from domain import sla, ticket_rules
from domain.catalogue import load_catalogue
from domain.errors import InvalidInput
from domain.states import STAGE_TASK, TICKET
from local_store.rows import iso_utc
from local_store.schema import ENTITY_TABLES

_ticket = ENTITY_TABLES["ticket"]
_task = ENTITY_TABLES["stage_task"]
_customer = ENTITY_TABLES["customer"]

QUEUE_SORTS = frozenset({"accepted_at", "due_at", "number", "state", "type_code", "channel"})
# The open-ticket and unfinished-stage rules are domain.ticket_rules'; SQL needs them as lists of states.
OPEN_TICKET_STATES: tuple[str, ...] = tuple(s for s in TICKET.states if ticket_rules.is_open_state(s))
ACTIVE_TASK_STATES: tuple[str, ...] = tuple(s for s in STAGE_TASK.states if ticket_rules.is_unfinished_stage(s))
SlaList = Literal["warning", "overdue"]


@dataclass(frozen=True)
class TicketFilters:
    """What the ticket queue shows; every field narrows it (None: no narrowing)."""

    office_id: str | None = None
    states: tuple[str, ...] | None = None
    type_codes: tuple[str, ...] | None = None
    channel: str | None = None
    customer_id: str | None = None
    due_before: datetime | None = None  # overdue or warning lists
    number_prefix: str | None = None
    stage_department: str | None = None  # with an active stage task of this department
    stage_assignee: str | None = None  # with an active stage task taken by this staff member
    sla: SlaList | None = None  # open, and the ticket or one of its active stages is in warning / overdue at sla_at
    sla_at: datetime | None = None
    customer_class: str | None = None


_SQL_COMPARE: dict[sla.Comparison, Callable[[Any, Any], Any]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def sla_state_sql(state: sla.SlaState, due_at: Any, warn_at: Any, now: datetime) -> Any:
    """SQL true where a record with these deadline columns is in `state` at `now`: domain.sla's own
    comparisons (sla.STATE_COMPARISONS) as SQL; a missing warning point is the due time, as in
    domain.ticket_rules. Rows without a due time match no state (NULL compares false)."""
    at = literal(iso_utc(now), String)
    instants = {"due_at": due_at, "warn_at": func.coalesce(warn_at, due_at)}
    return and_(*(_SQL_COMPARE[op](at, instants[name]) for name, op in sla.STATE_COMPARISONS[state]))


def clock_running_sql(ticket: Any, task: Any, stages: Mapping[str, str] | None = None) -> Any:
    """SQL true where a ticket's own clock still runs (domain.sla.clock_stop is None): no task of its
    type's clock-stop stage (`stages`, by default domain.sla.clock_stop_stages of the catalogue) is
    done. `ticket` and `task` are the ticket and stage-task tables (the desk's or the server's)."""
    stages = sla.clock_stop_stages(load_catalogue()) if stages is None else stages
    if not stages:
        return true()
    stop_stage = case(dict(stages), value=ticket.c.type_code, else_=None)
    return not_(exists().where(task.c.ticket_id == ticket.c.id, task.c.state == sla.CLOCK_STOP_STATE,
                               task.c.stage_code == stop_stage))


def _sla_clause(kind: SlaList, at: datetime) -> Any:
    state = sla.SlaState(kind)
    task_in_scope = and_(_task.c.ticket_id == _ticket.c.id, _task.c.state.in_(ACTIVE_TASK_STATES))
    # The ticket's own deadline counts only while its clock runs (domain.sla.ticket_clock's live_state).
    mine = and_(sla_state_sql(state, _ticket.c.due_at, _ticket.c.warn_at, at), clock_running_sql(_ticket, _task))
    stage = exists().where(task_in_scope, sla_state_sql(state, _task.c.due_at, _task.c.warn_at, at))
    return and_(_ticket.c.state.in_(OPEN_TICKET_STATES), or_(mine, stage))


def _own_columns(statement: Select[Any], filters: TicketFilters) -> Select[Any]:
    if filters.office_id is not None:
        statement = statement.where(_ticket.c.office_id == filters.office_id)
    if filters.states is not None:
        statement = statement.where(_ticket.c.state.in_(filters.states))
    if filters.type_codes is not None:
        statement = statement.where(_ticket.c.type_code.in_(filters.type_codes))
    if filters.channel is not None:
        statement = statement.where(_ticket.c.channel == filters.channel)
    if filters.customer_id is not None:
        statement = statement.where(_ticket.c.customer_id == filters.customer_id)
    if filters.due_before is not None:
        statement = statement.where(_ticket.c.due_at < iso_utc(filters.due_before))
    if filters.number_prefix:
        prefix = filters.number_prefix.strip().upper()
        top = prefix + "\U0010ffff"
        statement = statement.where(
            or_(
                (_ticket.c.number >= prefix) & (_ticket.c.number < top),
                (_ticket.c.provisional_number >= prefix) & (_ticket.c.provisional_number < top),
            )
        )
    return statement


def queue_where(statement: Select[Any], filters: TicketFilters) -> Select[Any]:
    """`statement` (over the ticket table) narrowed by every filter that is set."""
    statement = _own_columns(statement, filters)
    if filters.stage_department or filters.stage_assignee:
        task = and_(_task.c.ticket_id == _ticket.c.id, _task.c.state.in_(ACTIVE_TASK_STATES))
        if filters.stage_department:
            task = and_(task, _task.c.department == filters.stage_department)
        if filters.stage_assignee:
            task = and_(task, _task.c.assignee_id == filters.stage_assignee)
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


def queue_order(sort: str) -> list[Any]:
    """ORDER BY for a queue sort name (`-` for descending), ties broken by id."""
    name = sort.lstrip("-")
    if name not in QUEUE_SORTS:
        raise InvalidInput(f"不能按「{name}」排序", f"cannot sort the queue by {name!r}", field="sort")
    column = _ticket.c[name]
    return [column.desc() if sort.startswith("-") else column.asc(), _ticket.c.id]
