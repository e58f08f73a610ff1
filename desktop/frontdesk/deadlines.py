"""A ticket's promised deadline on the desk: the server's when synced, else the catalogue limit (Qt-free)."""

from __future__ import annotations

from datetime import datetime

from domain import sla
from domain.calendar import WorkingCalendar
from domain.catalogue import Catalogue, TicketType
from domain.errors import DomainError
from domain.records import Ticket


def promised_deadline(
    ticket_type: TicketType, accepted_at: datetime, area_class: str | None, calendar: WorkingCalendar
) -> sla.Deadline:
    """The deadline the catalogue promises for a request accepted at `accepted_at`."""
    return sla.deadline(
        ticket_type.time_limit, accepted_at, area_class=area_class or "urban", calendar=calendar
    )


def ticket_deadline(
    ticket: Ticket, catalogue: Catalogue, calendar: WorkingCalendar, area_class: str | None = None
) -> sla.Deadline | None:
    """The server's deadline when it has one; for a ticket not yet synced, the catalogue's (None if unknown)."""
    if ticket.due_at is not None:
        warn_at = ticket.warn_at if ticket.warn_at is not None else ticket.due_at
        return sla.Deadline(due_at=ticket.due_at, warn_at=warn_at, provisional=ticket.deadline_provisional)
    area = ticket.fields.get("area_class") if isinstance(ticket.fields.get("area_class"), str) else area_class
    try:
        return promised_deadline(catalogue.ticket_type(ticket.type_code), ticket.accepted_at, area, calendar)
    except DomainError:  # a type this desk's catalogue does not know yet: no countdown rather than a wrong one
        return None
