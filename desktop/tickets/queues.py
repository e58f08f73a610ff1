"""The named queues of the tickets area and the filters each stands for (Qt-free)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from desktop.tickets.store_reads import OPEN_TICKET_STATES, QueueFilters
from domain.records import Staff
from local_store import TicketFilters


@dataclass(frozen=True)
class QueueSpec:
    id: str
    title: str  # source text (Chinese), translated where shown


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks `text` for pyside6-lupdate under `context` and returns it unchanged (keeps this module Qt-free)."""
    return text


QUEUES: tuple[QueueSpec, ...] = (
    QueueSpec("my_tasks", QT_TRANSLATE_NOOP("TicketsArea", "我的待办")),
    QueueSpec("department", QT_TRANSLATE_NOOP("TicketsArea", "本部门待办")),
    QueueSpec("office", QT_TRANSLATE_NOOP("TicketsArea", "本单位工单")),
    QueueSpec("warning", QT_TRANSLATE_NOOP("TicketsArea", "预警")),
    QueueSpec("overdue", QT_TRANSLATE_NOOP("TicketsArea", "超时")),
)


def queue_filters(queue_id: str, staff: Staff, now: datetime) -> QueueFilters:
    """What a named queue shows for this person at this moment."""
    office = TicketFilters(office_id=staff.office_id)
    if queue_id == "my_tasks":
        return QueueFilters(base=office, task_assignee=staff.id)
    if queue_id == "department":
        if staff.department is None:  # supervisors and front staff: every open ticket of the office
            return QueueFilters(base=TicketFilters(office_id=staff.office_id, states=OPEN_TICKET_STATES))
        return QueueFilters(base=office, task_department=staff.department)
    if queue_id == "warning":
        return QueueFilters(base=office, sla="warning", sla_at=now)
    if queue_id == "overdue":
        return QueueFilters(base=office, sla="overdue", sla_at=now)
    if queue_id == "office":
        return QueueFilters(base=office)
    raise KeyError(queue_id)


@dataclass(frozen=True)
class Narrowing:
    """The filter bar under the queue list: each field narrows whichever queue is chosen."""

    channel: str | None = None
    type_code: str | None = None
    state: str | None = None
    customer_class: str | None = None
    number_prefix: str | None = None

    def apply(self, filters: QueueFilters) -> QueueFilters:
        base_changes: dict[str, object] = {}
        if self.channel:
            base_changes["channel"] = self.channel
        if self.type_code:
            base_changes["type_codes"] = (self.type_code,)
        if self.state:
            states = filters.base.states
            base_changes["states"] = (self.state,) if states is None or self.state in states else ()
        if self.number_prefix:
            base_changes["number_prefix"] = self.number_prefix
        narrowed = filters.with_base(**base_changes) if base_changes else filters
        if self.customer_class:
            narrowed = replace(narrowed, customer_class=self.customer_class)
        return narrowed
