"""What the dispatch board reads and writes, as domain.dispatch objects (Qt-free; runs in the store executor).

Shifts come from each surveyor's roster: the same shift on each day of `work_days` that the office
calendar calls working (a make-up working day 调休 counts as a weekday; a public holiday is off), minus
their leave. A survey's place, length, due time, window and urgency come from its SurveyAssignment;
only what the server left empty is filled here, each in one place:
- place: the middle of the territory (the mean base of the surveyors covering it);
- due time: the survey stage task's due_at, else the ticket's, else five days from now.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from domain import records, ticket_rules
from domain.calendar import WorkingCalendar
from domain.dispatch import Assignment, Location, Surveyor, SurveyRequest
from domain.dispatch.roster import surveyor_from_record
from domain.errors import InvalidInput
from domain.sla import OFFICE_ZONE
from local_store import ConflictEntry, Store

OPEN_STATES = tuple(sorted(ticket_rules.QUEUED_SURVEY_STATES))
BOOKED_STATES = tuple(sorted(ticket_rules.BOOKED_SURVEY_STATES))
DAYS_BEFORE, DAYS_AFTER = 1, 8  # the rules look at bookings and shifts around the day shown


@dataclass(frozen=True)
class QueueItem:
    """One row of the unassigned queue: the survey plus what the dispatcher reads about it."""

    request: SurveyRequest
    record: records.SurveyAssignment
    ticket_number: str
    customer_class: str | None


@dataclass(frozen=True)
class DispatchDay:
    day: date
    surveyors: tuple[Surveyor, ...]
    queue: tuple[QueueItem, ...]
    assignments: tuple[Assignment, ...]  # every booking near the day (the rules look at neighbours)
    requests: dict[str, SurveyRequest] = field(default_factory=dict)  # every survey by assignment id, booked or not
    records: dict[str, records.SurveyAssignment] = field(default_factory=dict)
    conflicts: tuple[ConflictEntry, ...] = ()

    def surveyor(self, surveyor_id: str) -> Surveyor | None:
        return next((s for s in self.surveyors if s.id == surveyor_id), None)


class DispatchData:
    def __init__(self, store: Store, office_id: str, *, clock: Callable[[], datetime],
                 calendar: WorkingCalendar | None = None) -> None:
        self._store = store
        self._office_id = office_id
        self._clock = clock
        self._calendar = calendar  # None: the office calendar as synced, the one the server re-checks bookings on

    # ---- reading ---------------------------------------------------------------------------------

    def load_day(self, day: date) -> DispatchDay:
        with self._store.snapshot():  # one state: a sync landing mid-load must not drop a survey from both lists
            return self._load_day(day)

    def _load_day(self, day: date) -> DispatchDay:
        now = self._clock()
        calendar = self._calendar or self._store.working_calendar()
        surveyors = tuple(self._surveyor(s, day, calendar) for s in self._store.surveyors(self._office_id))
        centres = _territory_centres(surveyors)
        first = datetime.combine(day - timedelta(days=DAYS_BEFORE), time(0), OFFICE_ZONE)
        last = datetime.combine(day + timedelta(days=DAYS_AFTER), time(0), OFFICE_ZONE)
        rows = self._store.survey_assignments(self._office_id, states=OPEN_STATES) + self._store.survey_assignments(
            self._office_id, states=BOOKED_STATES, start_before=last, end_after=first)
        tickets = self._store.tickets_by_id(r.ticket_id for r in rows)
        requests: dict[str, SurveyRequest] = {}
        queue: list[QueueItem] = []
        booked: list[Assignment] = []
        for row in rows:
            ticket = tickets.get(row.ticket_id)
            request = self._request(row, ticket, centres, now)
            requests[row.id] = request
            if row.state in OPEN_STATES or row.surveyor_id is None or row.start is None or row.end is None:
                customer_id = row.customer_id or (ticket.customer_id if ticket else None)
                customer = self._store.customer(customer_id) if customer_id else None
                number = (ticket.number or ticket.provisional_number or "") if ticket else ""
                queue.append(QueueItem(request, row, number, customer.customer_class if customer else None))
            else:
                booked.append(Assignment(row.id, row.surveyor_id, row.start, row.end,
                                         request.location if row.mode == "on_site" else None))
        queue.sort(key=lambda item: (item.request.due_at, item.ticket_number))
        conflicts = tuple(c for c in self._store.conflicts() if c.mutation.entity == "survey_assignment")
        return DispatchDay(day, surveyors, tuple(queue), tuple(booked), requests,
                           {r.id: r for r in rows}, conflicts)

    def _surveyor(self, record: records.Surveyor, day: date, calendar: WorkingCalendar) -> Surveyor:
        days = [day + timedelta(days=k) for k in range(-DAYS_BEFORE, DAYS_AFTER)]
        return surveyor_from_record(record, days, calendar)

    def _request(self, row: records.SurveyAssignment, ticket: records.Ticket | None,
                 centres: dict[str, Location], now: datetime) -> SurveyRequest:
        territory = row.territory or ""
        location = centres.get(territory, (0.0, 0.0))
        if row.location_x_km is not None and row.location_y_km is not None:
            location = (row.location_x_km, row.location_y_km)
        due = row.due_at or self._due(row, ticket) or now + timedelta(days=5)
        return SurveyRequest(
            id=row.id, ticket_id=row.ticket_id,
            customer_id=row.customer_id or (ticket.customer_id if ticket else None) or "",
            territory=territory, location=location, required_skill=row.required_skill or "", mode=row.mode,
            duration_minutes=max(1, row.duration_minutes), due_at=due, urgency=row.urgency,
            window_start=row.window_start, window_end=row.window_end,
        )

    def _due(self, row: records.SurveyAssignment, ticket: records.Ticket | None) -> datetime | None:
        if row.stage_task_id is not None and ticket is not None:
            task = next((t for t in self._store.stage_tasks(ticket.id) if t.id == row.stage_task_id), None)
            if task is not None and task.due_at is not None:
                return task.due_at
        return ticket.due_at if ticket is not None else None

    # ---- writing (each one outbox mutation, so it works offline) ----------------------------------

    def assign(self, assignment: Assignment, role: str, *, mode: str | None = None) -> records.Record:
        """Book (or move) a survey: a transition to `assigned` from the queue, a field update when already booked."""
        current = self._record(assignment.request_id)
        changes: dict[str, Any] = {"surveyor_id": assignment.surveyor_id, "start": assignment.start,
                                   "end": assignment.end}
        if mode is not None and mode != current.mode:
            changes["mode"] = mode
        if current.state in OPEN_STATES:
            # one outbox write: the server applies the booking's fields with the transition, atomically
            return self._store.transition("survey_assignment", current.id, "assigned", role, fields=changes)
        if current.state in BOOKED_STATES:
            return self._store.update_fields("survey_assignment", current.id, changes)
        raise InvalidInput(f"该勘查单已是「{current.state}」，不能派工", f"the survey is {current.state} and cannot be booked",
                           field="state")

    def assign_all(self, assignments: Iterable[Assignment], role: str) -> int:
        """Accept a batch proposal: one mutation per booking, all queued in order."""
        count = 0
        for assignment in assignments:
            self.assign(assignment, role)
            count += 1
        return count

    def unassign(self, assignment_id: str, role: str) -> records.Record:
        return self._store.transition("survey_assignment", assignment_id, "unassigned", role)

    def record_remote_outcome(self, assignment_id: str, outcome: str, photos: Iterable[tuple[str, str]],
                              author_id: str | None) -> records.Note:
        """A remote survey's result as an internal note on the ticket; photos listed by name and sha256."""
        current = self._record(assignment_id)
        lines = [f"远程勘查结果：{outcome.strip()}"]
        lines += [f"照片：{name}（sha256 {digest}）" for name, digest in photos]
        return self._store.add_note(current.ticket_id, "\n".join(lines), author_id=author_id)

    def set_territory(self, assignment_id: str, territory: str) -> records.Record:
        """The dispatcher's territory (辖区) for a survey, over what the intake address gave."""
        current = self._record(assignment_id)
        if current.state not in OPEN_STATES:
            raise InvalidInput("只能修改待派工勘查单的辖区", "only a survey in the queue can change territory",
                               field="territory")
        return self._store.update_fields("survey_assignment", current.id, {"territory": territory})

    def convert_to_on_site(self, assignment_id: str, role: str) -> records.Record:
        """A remote survey that needs a visit goes back to the queue as an on-site survey."""
        current = self._record(assignment_id)
        if current.state == "assigned":
            self._store.transition("survey_assignment", current.id, "unassigned", role)
        return self._store.update_fields("survey_assignment", current.id, {"mode": "on_site"})

    def _record(self, assignment_id: str) -> records.SurveyAssignment:
        found = self._store.survey_assignment(assignment_id)
        if found is None or found.office_id != self._office_id:
            raise InvalidInput("找不到该勘查单", f"no survey assignment {assignment_id!r}", field="assignment_id")
        return found


def _territory_centres(surveyors: Iterable[Surveyor]) -> dict[str, Location]:
    sums: dict[str, tuple[float, float, int]] = {}
    for s in surveyors:
        for territory in s.territories:
            x, y, n = sums.get(territory, (0.0, 0.0, 0))
            sums[territory] = (x + s.home_base[0], y + s.home_base[1], n + 1)
    return {t: (x / n, y / n) for t, (x, y, n) in sums.items()}
