"""The process map's reader (`GET /api/v1/efficiency/process-map`, route in backend.efficiency.api).

Which tickets: those of the type **closed** in the period (office days, both ends included) in the offices
the caller reads — a closed ticket's path is complete, so variants compare like with like; a ticket still
open would show a path cut short. The most recently closed `limit` (at most `MAX_TICKETS`) are mapped and
the answer says when more closed (`truncated`). Their stage tasks and observed state changes
(`efficiency_event`) are read in chunks and handed to the pure `domain.process_map.process_map`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend import rules
from backend.db.base import table_of
from backend.db.records import StageTaskRow, TicketRow
from backend.efficiency.tables import EfficiencyEvent
from domain.catalogue_model import TicketType
from domain.process_map import ProcessMap, TicketHistory, process_map
from domain.sla import OFFICE_ZONE

MAX_TICKETS = 2000  # a map over more would not read better and costs a scan of their stages
_CHUNK = 500
_TICKETS = table_of(TicketRow)
_STAGES = table_of(StageTaskRow)
_EVENTS = table_of(EfficiencyEvent)


class ProcessMapAnswer(BaseModel):
    start: date
    end: date
    type_code: str
    offices: list[str]  # office codes read
    basis: str  # which tickets: "closed_in_period"
    limit: int
    closed: int  # tickets of the type closed in the period (all of them, even past the limit)
    truncated: bool  # more closed than `limit`: the most recently closed were mapped
    map: ProcessMap


def read_process_map(session: Session, offices: Sequence[Any], ticket_type: TicketType, start: date, end: date,
                     limit: int) -> ProcessMapAnswer:
    lower = datetime.combine(start, time(), OFFICE_ZONE)
    upper = datetime.combine(end + timedelta(days=1), time(), OFFICE_ZONE)
    office_ids = [o.id for o in offices]
    tickets = list(session.execute(
        select(_TICKETS.c.id, _TICKETS.c.type_code, _TICKETS.c.state, _TICKETS.c.accepted_at, _TICKETS.c.closed_at)
        .where(_TICKETS.c.office_id.in_(office_ids), _TICKETS.c.type_code == ticket_type.code,
               _TICKETS.c.state == "closed", _TICKETS.c.closed_at >= lower, _TICKETS.c.closed_at < upper)
        .order_by(_TICKETS.c.closed_at.desc(), _TICKETS.c.id)
        .limit(limit + 1)))
    truncated = len(tickets) > limit
    closed = len(tickets)
    if truncated:
        tickets = tickets[:limit]
        closed = _count_closed(session, office_ids, ticket_type.code, lower, upper)
    stages: dict[str, list[Any]] = {}
    events: dict[str, list[Any]] = {}
    ids = [t.id for t in tickets]
    for first in range(0, len(ids), _CHUNK):
        chunk = ids[first:first + _CHUNK]
        _group(stages, session.execute(select(_STAGES).where(_STAGES.c.ticket_id.in_(chunk))))
        _group(events, session.execute(select(_EVENTS).where(_EVENTS.c.ticket_id.in_(chunk))))
    histories = [TicketHistory(t, stages.get(t.id, []), events.get(t.id, [])) for t in tickets]
    mapped = process_map(histories, ticket_type, rules.office_calendar(session))
    return ProcessMapAnswer(start=start, end=end, type_code=ticket_type.code, offices=[o.code for o in offices],
                            basis="closed_in_period", limit=limit, closed=closed, truncated=truncated, map=mapped)


def _count_closed(session: Session, office_ids: list[str], type_code: str, lower: datetime, upper: datetime) -> int:
    return int(session.execute(
        select(func.count()).select_from(_TICKETS)
        .where(_TICKETS.c.office_id.in_(office_ids), _TICKETS.c.type_code == type_code,
               _TICKETS.c.state == "closed", _TICKETS.c.closed_at >= lower, _TICKETS.c.closed_at < upper)
    ).scalar() or 0)


def _group(into: dict[str, list[Any]], rows: Iterable[Any]) -> None:
    for row in rows:
        into.setdefault(row.ticket_id, []).append(row)
