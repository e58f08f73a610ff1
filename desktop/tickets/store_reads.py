"""What the tickets area reads from the store, in the area's own terms (Qt-free; runs in the store executor).

`QueueFilters` is how the queues and the narrowing bar describe a list; the store answers it through
`TicketFilters` (same SQL, same sort rule). Everything else is a thin call of the store's public reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from domain.records import Interaction, Note, Record, Staff, StageTask, Ticket
from domain.sync import Mutation
from local_store import ACTIVE_TASK_STATES, OPEN_TICKET_STATES, Store, TicketFilters
from local_store.queue import SlaList

__all__ = ["ACTIVE_TASK_STATES", "OPEN_TICKET_STATES", "QueueFilters", "SlaList"]


@dataclass(frozen=True)
class QueueFilters:
    """The store's TicketFilters plus what the tickets area narrows by on top of them."""

    base: TicketFilters = field(default_factory=TicketFilters)
    task_department: str | None = None  # tickets with an active stage task of this department
    task_assignee: str | None = None  # tickets with an active stage task taken by this staff member
    sla: SlaList | None = None  # the ticket or one of its active stages is in warning / overdue at `sla_at`
    sla_at: datetime | None = None
    customer_class: str | None = None

    def with_base(self, **changes: Any) -> QueueFilters:
        return replace(self, base=replace(self.base, **changes))

    def to_store(self) -> TicketFilters:
        """The one TicketFilters the store's queue query takes (the area's narrowing wins over the base's)."""
        base = self.base
        return replace(
            base,
            stage_department=self.task_department or base.stage_department,
            stage_assignee=self.task_assignee or base.stage_assignee,
            sla=self.sla or base.sla,
            sla_at=self.sla_at or base.sla_at,
            customer_class=self.customer_class or base.customer_class,
        )


def queue_page(store: Store, filters: QueueFilters, sort: str, offset: int, limit: int) -> list[Ticket]:
    """One page of the queue, sorted and filtered in SQL."""
    return store.ticket_queue(filters.to_store(), sort=sort, offset=offset, limit=limit)


def queue_count(store: Store, filters: QueueFilters) -> int:
    return store.ticket_count(filters.to_store())


def customer_names(store: Store, ids: Iterable[str | None]) -> dict[str, tuple[str, str]]:
    """(name, id_type) by customer id (the queue masks a person's name), for a page of tickets."""
    return store.customer_names_and_id_types(ids)


def active_tasks_of(store: Store, ticket_ids: Sequence[str]) -> dict[str, list[StageTask]]:
    """The active stage tasks of each ticket on a page (the queue's "current stage" and SLA columns)."""
    return store.active_stage_tasks(ticket_ids)


def ticket_notes(store: Store, ticket_id: str) -> list[Note]:
    return store.ticket_notes(ticket_id)


def ticket_interactions(store: Store, ticket_id: str) -> list[Interaction]:
    return store.ticket_interactions(ticket_id)


def office_staff(store: Store, office_id: str) -> list[Staff]:
    return store.office_staff(office_id)


def pending_for(store: Store, entity_ids: set[str], limit: int = 2000) -> list[Mutation]:
    """Outbox mutations on these rows not yet accepted by the server (shown as "waiting to sync")."""
    return [m for m in store.pending_mutations(limit=limit) if m.entity_id in entity_ids]


def followed_tasks(store: Store, staff: Staff) -> list[StageTask]:
    """Every stage task of the open tickets this person follows: accepted by them, or with a task of theirs.

    The notifier compares two of these snapshots.
    """
    return store.tasks_for(staff.office_id, staff.id, staff.department)


def tickets_by_id(store: Store, ids: Iterable[str]) -> dict[str, Ticket]:
    return store.tickets_by_id(ids)


def office_tasks_between(store: Store, office_id: str, start: datetime, end: datetime) -> list[StageTask]:
    """Stage tasks of the office still active, or opened or completed in [start, end): the coordination lists."""
    return store.stage_tasks_between(office_id, start, end)


def record_ids(records: Iterable[Record]) -> set[str]:
    return {record.id for record in records}
