"""Around the demo tickets: contacts on every channel, identity checks, notes and survey bookings."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from backend.demo import ids, recipe
from backend.demo.customers import PlacedCustomer
from backend.demo.people import PeopleMaker
from backend.demo.tickets import OfficeTickets, TicketDraft
from domain.records import (
    Channel,
    Interaction,
    Note,
    StageTask,
    SurveyAssignment,
    Surveyor,
    Verification,
)
from domain.sla import OFFICE_ZONE

CONTACT_HISTORY_DAYS = 180
_FIRST_SLOT, _SLOT_MINUTES = time(9, 0), 75
_REMOTE_SURVEY_TYPES = frozenset({"connection_residential", "capacity_increase_residential", "change_other"})
_SURVEY_CONCLUSIONS = ("具备供电条件", "需新立电杆一基", "表箱需更换", "需增设表箱", "线路需改造后接入")
_STEP_INTERACTIONS = {  # stage code -> interaction type recorded when it is done
    "survey": "field_visit", "on_site": "field_visit", "arrive": "field_visit", "metering": "ticket_step",
    "restore": "ticket_step", "repaired": "ticket_step", "reply": "ticket_step", "test": "ticket_step",
}


@dataclass
class Activity:
    interactions: list[Interaction] = field(default_factory=list)
    verifications: list[Verification] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    survey_assignments: list[SurveyAssignment] = field(default_factory=list)


@dataclass
class ActivityMaker:
    source: OfficeTickets
    surveyors: list[Surveyor]
    rng: random.Random = field(init=False)
    maker: PeopleMaker = field(init=False)
    out: Activity = field(default_factory=Activity)
    _bookings: dict[tuple[str, str], int] = field(default_factory=dict)  # (surveyor, day) -> jobs booked
    details: random.Random = field(init=False)  # survey places, lengths and windows: apart from the main stream
    _failed_shown: bool = False  # the office's history shows at least one failed identity check

    def __post_init__(self) -> None:
        src = self.source
        self.rng = random.Random(f"demo:{src.seed}:{src.county.office_code}:activity")
        self.details = random.Random(f"demo:{src.seed}:{src.county.office_code}:survey-details")
        self.maker = PeopleMaker(
            self.rng, src.county, recipe.places(), recipe.names(), src.now.astimezone(OFFICE_ZONE).date()
        )

    def new_id(self, at: datetime) -> str:
        return ids.uuid7_at(self.rng, at)

    def run(self, drafts: list[TicketDraft]) -> Activity:
        for draft in drafts:
            self._acceptance(draft)
            self._steps(draft)
            self._notes(draft)
            for task in draft.played.tasks:
                if draft.played.stage_of[task.id].is_survey:
                    self._survey(draft, task)
        self._contacts(drafts)
        return self.out

    def _interaction(
        self, at: datetime, channel: Channel, kind: str, summary: str, *, customer_id: str | None,
        staff_id: str | None = None, ticket_id: str | None = None, phone: str | None = None,
    ) -> None:
        call_id = caller = None
        if kind == "call":
            call_id = f"CTI{at.astimezone(OFFICE_ZONE):%Y%m%d%H%M%S}{self.rng.randrange(10_000):04d}"
            caller = phone or self.maker.mobile()
        self.out.interactions.append(
            Interaction(
                id=self.new_id(at), office_id=self.source.office.id, customer_id=customer_id, channel=channel,
                type=kind, at=at, staff_id=staff_id, summary=summary, ticket_id=ticket_id,  # type: ignore[arg-type]
                call_id=call_id, caller_number=caller,
            )
        )

    def _acceptance(self, draft: TicketDraft) -> None:
        rng, staff = self.rng, self.source.staff.by_role
        channel: Channel = draft.channel  # type: ignore[assignment]
        customer = draft.placed.customer if draft.placed is not None else None
        phone = draft.fields["fields"].get("contact_phone") or (customer.phone if customer else None)
        talk_starts = draft.accepted_at - timedelta(minutes=rng.randint(2, 8))
        kind = {"hall": "visit", "hotline": "call"}.get(channel, "app_request")
        self._interaction(
            talk_starts, channel, kind, draft.fields["summary"], customer_id=customer.id if customer else None,
            staff_id=draft.fields["accepted_by"], ticket_id=draft.id, phone=phone,
        )
        if customer is None or rng.random() > 0.6:
            return
        checked_at = talk_starts + timedelta(minutes=1)
        if channel == "hall":
            method, ref = rng.choice(("id_card_reader",) * 5 + ("id_number_name",)), None
        elif channel == "hotline":
            # a caller who got the ID tail wrong, then passed by SMS code: 5 %, and at least one per office
            if rng.random() < 0.05 or not self._failed_shown:
                self._failed_shown = True
                self._verification(customer.id, channel, "account_name_id_tail", checked_at, "failed", staff.get("hotline"))
                checked_at += timedelta(minutes=1)
                method, ref = "sms_code", f"SMS{rng.randrange(10**8):08d}"
            else:
                method, ref = "account_name_id_tail", None
        else:
            method, ref = "app_real_name", f"WSGW-RN-{rng.getrandbits(48):012X}"
        self._verification(customer.id, channel, method, checked_at, "passed", draft.fields["accepted_by"], ref)

    def _verification(
        self, customer_id: str, channel: Channel, method: str, at: datetime, outcome: str,
        staff_id: str | None, evidence_ref: str | None = None,
    ) -> None:
        self.out.verifications.append(
            Verification(
                id=self.new_id(at), office_id=self.source.office.id, customer_id=customer_id, channel=channel,
                method=method, evidence_ref=evidence_ref, staff_id=staff_id, at=at, outcome=outcome,  # type: ignore[arg-type]
            )
        )

    def _steps(self, draft: TicketDraft) -> None:
        customer_id = draft.fields["customer_id"]
        for task in draft.played.tasks:
            if task.state != "done" or task.completed_at is None:
                continue
            stage = draft.played.stage_of[task.id]
            if stage.is_return_visit and customer_id is not None:
                score = task.result.get("satisfaction")
                self._interaction(
                    task.completed_at, "hotline", "call", f"回访：客户评价{score}分", customer_id=customer_id,
                    staff_id=task.assignee_id, ticket_id=draft.id,
                    phone=draft.placed.customer.phone if draft.placed is not None else None,
                )
            elif stage.code in _STEP_INTERACTIONS:
                self._interaction(
                    task.completed_at, draft.channel, _STEP_INTERACTIONS[stage.code],  # type: ignore[arg-type]
                    f"「{stage.name_zh}」环节已完成", customer_id=customer_id, staff_id=task.assignee_id, ticket_id=draft.id,
                )

    def _notes(self, draft: TicketDraft) -> None:
        rng, texts, now = self.rng, recipe.tickets(), self.source.now
        end = draft.fields["closed_at"] or now
        for visibility, share, pool in (("internal", 0.25, texts.internal_notes), ("customer", 0.1, texts.customer_notes)):
            if rng.random() < share:
                at = draft.accepted_at + (end - draft.accepted_at) * rng.uniform(0.05, 0.95)
                author = next((t.assignee_id for t in draft.played.tasks if t.assignee_id), draft.fields["accepted_by"])
                self.out.notes.append(
                    Note(
                        id=self.new_id(at), office_id=self.source.office.id, ticket_id=draft.id, author_id=author,
                        visibility=visibility, body=rng.choice(pool), at=at,  # type: ignore[arg-type]
                    )
                )

    def _survey(self, draft: TicketDraft, task: StageTask) -> None:
        rng, now = self.rng, self.source.now
        code = draft.ticket_type.code
        mode = "remote" if code in _REMOTE_SURVEY_TYPES and rng.random() < 0.2 else "on_site"
        skill = "high_voltage" if "_hv_" in code else "remote_video" if mode == "remote" else "low_voltage"
        territory = draft.town.name
        surveyor: Surveyor | None = None
        start = end = None
        if task.state == "done" and task.completed_at is not None:
            state, end = "done", task.completed_at
            start = end - timedelta(minutes=rng.choice((45, 60, 75, 90)))
            surveyor = self._surveyor_for(territory, skill, end)
        elif task.state == "cancelled":
            state = "cancelled"
        elif task.state == "taken" and rng.random() < 0.2:
            state, start = "on_site", now - timedelta(minutes=rng.randint(10, 50))
            end, surveyor = start + timedelta(minutes=75), self._surveyor_for(territory, skill, start, on_duty=True)
        elif draft.fresh and task.state == "open":  # accepted in the last hours: nobody has placed it yet
            state = "unassigned"
        elif task.state == "taken" or rng.random() < 0.3:  # most new surveys wait in the dispatcher's queue
            state = "accepted" if task.state == "taken" else "assigned"
            surveyor = self._surveyor_for(territory, skill, self._next_day(), on_duty=True)
            if surveyor is not None:
                start = self._next_slot(surveyor)
                end = start + timedelta(minutes=_SLOT_MINUTES - 15)
        else:
            state = "unassigned"
        if state not in ("unassigned", "cancelled") and surveyor is None:
            state, start, end = "unassigned", None, None
        self.out.survey_assignments.append(
            SurveyAssignment(
                id=self.new_id(task.opened_at), office_id=self.source.office.id, ticket_id=draft.id,
                stage_task_id=task.id, surveyor_id=surveyor.id if surveyor is not None else None,
                mode=mode, state=state, territory=territory, required_skill=skill,  # type: ignore[arg-type]
                start=start, end=end, **self._survey_details(draft, task, mode, skill, state, start, end),
            )
        )

    def _survey_details(self, draft: TicketDraft, task: StageTask, mode: str, skill: str, state: str,
                        start: datetime | None, end: datetime | None) -> dict[str, Any]:
        """Where (near the customer's town), how long, by when (the survey stage), how urgent, any time window."""
        rng, now = self.details, self.source.now
        if start is not None and end is not None:
            minutes = int((end - start) / timedelta(minutes=1))
        else:
            minutes = 30 if mode == "remote" else 120 if skill == "high_voltage" else rng.choice((45, 60, 60, 90))
        due = task.due_at
        open_ = state not in ("done", "cancelled")
        urgent = open_ and due is not None and due - now < timedelta(hours=24)
        window_start = window_end = None
        if state == "unassigned" and rng.random() < 0.3:  # the customer is only home in the afternoon
            day = self._next_day()
            window_start = datetime.combine(day, time(14, 0), OFFICE_ZONE)
            window_end = datetime.combine(day, time(17, 30), OFFICE_ZONE)
        outcome: dict[str, Any] = {}
        if state == "done":
            outcome = {"conclusion": rng.choice(_SURVEY_CONCLUSIONS), "photos": rng.randint(2, 8)}
        return {
            "customer_id": draft.fields["customer_id"],
            "location_x_km": round(draft.town.x_km + rng.uniform(-1.5, 1.5), 2),
            "location_y_km": round(draft.town.y_km + rng.uniform(-1.5, 1.5), 2),
            "duration_minutes": max(15, minutes), "due_at": due, "urgency": "urgent" if urgent else "normal",
            "window_start": window_start, "window_end": window_end, "outcome": outcome,
        }

    def _next_day(self) -> date:
        src = self.source
        return src.calendar.add_working_days(src.now.astimezone(OFFICE_ZONE).date(), 1)

    def _surveyor_for(
        self, territory: str, skill: str, when: datetime | date | None, *, on_duty: bool = False
    ) -> Surveyor | None:
        """The least-booked qualified surveyor covering the town (any qualified one if none covers it); for work
        from now on, only those rostered that day and not on leave."""
        qualified = [s for s in self.surveyors if skill in s.skills]
        if on_duty and when is not None:
            qualified = [s for s in qualified if _on_duty(s, when)]
        local = [s for s in qualified if territory in s.territories] or qualified
        if not local:
            return None
        if isinstance(when, datetime) or when is None:
            day = (when or self.source.now).astimezone(OFFICE_ZONE).date().isoformat()
        else:
            day = when.isoformat()
        return min(local, key=lambda s: (self._bookings.get((s.id, day), 0), s.id))

    def _next_slot(self, surveyor: Surveyor) -> datetime:
        """The surveyor's next free slot on the next working day, filling the day from 09:00."""
        day = self._next_day()
        booked = self._bookings.get((surveyor.id, day.isoformat()), 0)
        self._bookings[(surveyor.id, day.isoformat())] = booked + 1
        return datetime.combine(day, _FIRST_SLOT, OFFICE_ZONE) + timedelta(minutes=_SLOT_MINUTES * booked)

    def _contacts(self, drafts: list[TicketDraft]) -> None:
        """Contacts that ended without a ticket: earlier visits, calls and app use on customers' timelines."""
        rng, src, contacts = self.rng, self.source, recipe.tickets().contacts
        people: list[PlacedCustomer | None] = [d.placed for d in drafts if d.placed is not None and rng.random() < 0.3]
        if src.customers:
            people += [src.customers[int(rng.random() * len(src.customers))] for _ in range(len(drafts) * 2 // 3)]
        people += [None] * (len(drafts) // 12)  # callers nobody could identify
        for placed in people:
            kind = rng.choices(("visit", "call", "app_request"), weights=(35, 45, 20))[0] if placed else "call"
            at = src.now - timedelta(seconds=rng.uniform(600, CONTACT_HISTORY_DAYS * 86400))
            if kind == "visit":
                at = datetime.combine(at.astimezone(OFFICE_ZONE).date(), time(8, 30), OFFICE_ZONE)
                at += timedelta(minutes=rng.uniform(0, 540))
                at = at if at < src.now else at - timedelta(days=1)
            channel: Channel = "hall" if kind == "visit" else "hotline" if kind == "call" else rng.choice(("app", "wechat"))
            staff_id = src.staff.by_role.get("clerk" if kind == "visit" else "hotline" if kind == "call" else "")
            self._interaction(
                at.replace(microsecond=0), channel, kind, rng.choice(contacts[kind]),
                customer_id=placed.customer.id if placed else None, staff_id=staff_id,
                phone=placed.customer.phone if placed else None,
            )


def _on_duty(surveyor: Surveyor, when: datetime | date) -> bool:
    """Rostered on that weekday and not on leave then (the whole day when only a day is given)."""
    if isinstance(when, datetime):
        first = last = when
    else:
        first = datetime.combine(when, time(0), OFFICE_ZONE)
        last = first + timedelta(days=1)
    day = first.astimezone(OFFICE_ZONE).date()
    if day.weekday() not in surveyor.work_days:
        return False
    return not any(leave.start <= last and first < leave.end for leave in surveyor.leave)
