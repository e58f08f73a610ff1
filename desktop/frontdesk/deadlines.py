"""A ticket's promised deadline on the desk: the server's when synced, else the same rule the server uses (Qt-free).

Both sides ask `domain.sla.promised_deadline` with the ticket's own form, on a calendar built from
the same synced calendar rows (`Store.working_calendar()`), so what the receipt promises offline is
what the server stores and escalates on.
"""

from __future__ import annotations

from domain import sla
from domain.calendar import WorkingCalendar
from domain.catalogue import Catalogue, TicketType
from domain.errors import DomainError
from domain.records import Ticket


def promised_deadline(
    ticket: Ticket, ticket_type: TicketType, customer_area_class: str | None, calendar: WorkingCalendar
) -> sla.Deadline:
    """The deadline promised for `ticket` (accepted on this desk), as the server will compute it."""
    return sla.promised_deadline(
        ticket_type.time_limit, ticket.accepted_at, fields=ticket.fields, customer_area_class=customer_area_class,
        calendar=calendar,
    )


def ticket_deadline(
    ticket: Ticket, catalogue: Catalogue, calendar: WorkingCalendar, area_class: str | None = None
) -> sla.Deadline | None:
    """The server's deadline when it has one; for a ticket not yet synced, the promised one (None if its type
    is unknown here). `area_class` is the customer's; the ticket's own form comes first."""
    if ticket.due_at is not None:
        warn_at = ticket.warn_at if ticket.warn_at is not None else ticket.due_at
        return sla.Deadline(due_at=ticket.due_at, warn_at=warn_at, provisional=ticket.deadline_provisional)
    try:
        return promised_deadline(ticket, catalogue.ticket_type(ticket.type_code), area_class, calendar)
    except DomainError:  # a type this desk's catalogue does not know yet: no countdown rather than a wrong one
        return None
