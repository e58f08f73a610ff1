"""The domain rules the backend asks, behind one seam: catalogue, deadlines, state machines, calendar."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.db.records import CalendarDayRow
from backend.db.sync_tables import ScopeState
from domain import sla, ticket_rules
from domain.calendar import WorkingCalendar
from domain.catalogue import Catalogue, TicketType, load_catalogue
from domain.sync import CALENDAR_SCOPE
from domain.workflow import Limit, Stage

# States the engine itself moves things into (the state machines in domain.states allow them).
STAGE_DONE = "done"
TICKET_IN_PROGRESS = "in_progress"
TICKET_AWAITING_VISIT = "awaiting_visit"
TICKET_CLOSED = "closed"
FINAL_TICKET_STATES = ticket_rules.CLOSED_TICKET_STATES  # the one open-ticket rule


@functools.cache
def catalogue() -> Catalogue:
    return load_catalogue()


def ticket_type(code: str) -> TicketType:
    return catalogue().ticket_type(code)


def deadline(
    limit: Limit, start: datetime, fields: Mapping[str, Any] | None, customer_area_class: str | None,
    calendar: WorkingCalendar,
) -> sla.Deadline:
    """The ticket's promised deadline: the same `sla.promised_deadline` the desk prints on the receipt."""
    return sla.promised_deadline(limit, start, fields=fields, customer_area_class=customer_area_class,
                                 calendar=calendar)


def stage_deadline(
    stage: Stage, opened_at: datetime, fields: Mapping[str, Any] | None, customer_area_class: str | None,
    calendar: WorkingCalendar,
) -> sla.Deadline | None:
    if stage.limit is None:
        return None
    return deadline(stage.limit, opened_at, fields, customer_area_class, calendar)


def check_transition(kind: str, current: str, to: str, role: str, reason: str | None) -> Any:
    """Raises domain.errors.InvalidTransition when the move is illegal for `role`."""
    from domain import states  # type: ignore[attr-defined,unused-ignore]

    return states.transition(kind, current, to, role, reason)


_calendar_cache: dict[int, WorkingCalendar] = {}
_CALENDAR_KEY = "onewindow.calendar"  # session.info: the calendar this transaction read


def office_calendar(session: Session) -> WorkingCalendar:
    """The shipped calendar overlaid with the calendar days stored (and synced) in the database.

    Read once per transaction (a push of many tickets asks for it once per ticket and stage).
    """
    held = session.info.get(_CALENDAR_KEY)
    if held is not None:
        return held
    seq = session.execute(select(ScopeState.last_seq).where(ScopeState.scope == CALENDAR_SCOPE)).scalar() or 0
    cached = _calendar_cache.get(seq)
    if cached is not None:
        session.info[_CALENDAR_KEY] = cached
        return cached
    calendar = WorkingCalendar.default().with_days(session.execute(select(CalendarDayRow)).scalars())
    _calendar_cache.clear()
    _calendar_cache[seq] = calendar
    session.info[_CALENDAR_KEY] = calendar
    return calendar

