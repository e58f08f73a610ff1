"""The whole demo prefecture as records, from a seed: `generate()`."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime

from backend import rules
from backend.demo.activity import ActivityMaker
from backend.demo.clock import DEFAULT_NOW, check_now
from backend.demo.customers import iter_placed_customers
from backend.demo.evaluations import demo_evaluations
from backend.demo.fields import CHASED_TICKET
from backend.demo.grid import demo_grid, demo_outages
from backend.demo.info_requests import demo_info_requests
from backend.demo.meetings import demo_coordination
from backend.demo.organisation import DemoStaff, demo_offices, demo_staff, demo_surveyors
from backend.demo.recipe import county
from backend.demo.tickets import OfficeStaff, OfficeTickets, TicketDraft
from backend.demo.workflows import StageEvent
from domain import progress
from domain.calendar import WorkingCalendar
from domain.errors import InvalidInput
from domain.records import (
    Account,
    Customer,
    Evaluation,
    GridDevice,
    InfoRequest,
    Interaction,
    Meeting,
    Note,
    Office,
    OutageEvent,
    Record,
    StageTask,
    SupervisionAction,
    SurveyAssignment,
    Surveyor,
    Ticket,
    Verification,
)
from domain.sla import OFFICE_ZONE


@dataclass
class DemoData:
    """Every record of the demo, ready for a loader; staff carry their plain password apart."""

    offices: list[Office]
    staff: list[DemoStaff]
    customers: list[Customer]
    accounts: list[Account]
    tickets: list[Ticket]
    stage_tasks: list[StageTask]
    interactions: list[Interaction]
    verifications: list[Verification]
    notes: list[Note]
    surveyors: list[Surveyor]
    survey_assignments: list[SurveyAssignment]
    evaluations: list[Evaluation]
    stage_events: list[StageEvent] = field(default_factory=list)  # the monitor's observed history, not records
    meetings: list[Meeting] = field(default_factory=list)
    supervision_actions: list[SupervisionAction] = field(default_factory=list)
    info_requests: list[InfoRequest] = field(default_factory=list)  # 补充材料/信息 asked on stages
    grid_devices: list[GridDevice] = field(default_factory=list)
    outage_events: list[OutageEvent] = field(default_factory=list)

    def records(self) -> Iterator[Record]:
        """All records in an order that loads without dangling references (offices first)."""
        for f in fields(self):
            if f.name == "stage_events":
                continue
            for item in getattr(self, f.name):
                yield item.record if isinstance(item, DemoStaff) else item

    def ticket_counters(self) -> dict[str, int]:
        """The highest daily counter used per day (yyyymmdd), so the server numbers new tickets after them."""
        counters: dict[str, int] = {}
        for ticket in self.tickets:
            if ticket.number is not None:
                day, counter = ticket.number[2:10], int(ticket.number[10:])
                counters[day] = max(counters.get(day, 0), counter)
        return counters


def default_ticket_count(customers_per_office: int) -> int:
    return 0 if customers_per_office == 0 else min(320, max(60, customers_per_office // 8))


def generate(
    seed: int = 2026,
    customers_per_office: int = 2500,
    *,
    now: datetime = DEFAULT_NOW,
    tickets_per_office: int | None = None,
) -> DemoData:
    """The demo prefecture: two county offices, their staff, customers and the last 30 days of work.

    Pure and deterministic: the same seed and `now` give equal data.
    """
    check_now(now)
    ticket_count = default_ticket_count(customers_per_office) if tickets_per_office is None else tickets_per_office
    if ticket_count < 0:
        raise InvalidInput("工单数不能为负数", "tickets_per_office cannot be negative", field="tickets_per_office")
    calendar, catalogue = WorkingCalendar.default(), rules.catalogue()
    offices = demo_offices(seed, now=now)
    staff = demo_staff(seed, offices, now=now)
    data = DemoData(offices, staff, [], [], [], [], [], [], [], [], [], [])
    per_office: list[tuple[OfficeTickets, list[Surveyor], list[TicketDraft]]] = []
    for office in offices:
        placed = list(iter_placed_customers(seed, customers_per_office, office, now=now))
        for p in placed:
            data.customers.append(p.customer)
            data.accounts.extend(p.accounts)
        surveyors = demo_surveyors(seed, office, now=now)
        data.surveyors.extend(surveyors)
        source = OfficeTickets(
            seed, office, county(office.code), placed, _office_staff(staff, office), now, calendar, catalogue
        )
        per_office.append((source, surveyors, source.draw(ticket_count)))
    drafts = [d for _, _, office_drafts in per_office for d in office_drafts]
    _number(drafts)
    for draft in drafts:
        data.tickets.append(_ticket(draft))
        data.stage_tasks.extend(draft.played.tasks)
        data.stage_events.extend(draft.played.events)
    for source, surveyors, office_drafts in per_office:
        activity = ActivityMaker(source, surveyors).run(office_drafts)
        data.interactions.extend(activity.interactions)
        data.verifications.extend(activity.verifications)
        data.notes.extend(activity.notes)
        data.survey_assignments.extend(activity.survey_assignments)
        data.evaluations.extend(demo_evaluations(source, office_drafts))
        data.info_requests.extend(demo_info_requests(source, office_drafts))
    for office in offices:
        people = _office_staff(staff, office)
        meetings, actions = demo_coordination(seed, office, people.by_role.get("supervisor"), people.by_department,
                                              data.tickets, data.stage_tasks, now)
        data.meetings.extend(meetings)
        data.supervision_actions.extend(actions)
        data.grid_devices.extend(demo_grid(seed, office, now).devices)
    if customers_per_office:
        dispatchers = {o.id: _office_staff(staff, o).by_role.get("dispatcher") for o in offices}
        data.outage_events.extend(demo_outages(seed, offices, data.grid_devices, data.accounts, dispatchers, now))
    return data


def _office_staff(staff: list[DemoStaff], office: Office) -> OfficeStaff:
    mine = [s.record for s in staff if s.record.office_id == office.id]
    return OfficeStaff(
        by_role={s.role: s.id for s in mine if s.role != "department"},
        by_department={s.department: s.id for s in mine if s.role == "department" and s.department},
    )


def _number(drafts: list[TicketDraft]) -> None:
    """`GD` + yyyymmdd + a daily counter across offices in order of acceptance, as the server numbers."""
    counters: dict[str, int] = {}
    for draft in sorted(drafts, key=lambda d: (d.accepted_at, d.id)):
        day = draft.accepted_at.astimezone(OFFICE_ZONE).strftime("%Y%m%d")
        counters[day] = counters.get(day, 0) + 1
        draft.number = f"GD{day}{counters[day]:06d}"


def _ticket(draft: TicketDraft) -> Ticket:
    values = dict(draft.fields)
    if draft.chased is not None:
        values["fields"] = {**values["fields"], CHASED_TICKET: draft.chased.number}
    # The demo's codes follow from its seed (the ticket id), like every other demo value.
    code = progress.code_from_bytes(hashlib.sha256(f"progress:{draft.id}".encode()).digest())
    return Ticket(number=draft.number, progress_code=code, **values)
