"""Booking a survey on the server: survey_assignment transitions and updates, re-checked against the
dispatch locks and the hard rules (domain.dispatch), because another desk may have booked meanwhile."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from backend import rules
from backend.db.records import SurveyAssignmentRow, SurveyorRow
from backend.dispatch_locks import held_by_others
from backend.store import row_to_record, row_to_wire
from backend.sync.mutation_kit import Rejected, Tx, applied, handles, load
from backend.sync.mutations import update_merged
from backend.workflow_engine import check_intent, fields_with_transition
from domain import records, ticket_rules
from domain.dispatch import Assignment, HardRule, RuleViolation, Surveyor, SurveyRequest, check_hard_rules
from domain.dispatch.models import office_day
from domain.dispatch.roster import surveyor_from_record
from domain.sla import OFFICE_ZONE
from domain.sync import Mutation, MutationResult

OPEN_STATES = ticket_rules.QUEUED_SURVEY_STATES
BOOKED_STATES = ticket_rules.BOOKED_SURVEY_STATES | {"done"}
ASSIGNED = "assigned"
PLACED = ("surveyor_id", "start", "end")
# The travel estimate depends on the desk's "now" and map: the desk checks it, the server does not.
NOT_RECHECKED = frozenset({HardRule.TRAVEL_GAP})
_NO_DUE_DATE = timedelta(days=3650)


@handles("survey_assignment", "transition")
def transition_survey(tx: Tx, mutation: Mutation) -> MutationResult:
    row = load(tx, "survey_assignment", mutation.entity_id)
    intent = mutation.transition
    if intent is not None and intent.to_state == ASSIGNED and intent.from_state in OPEN_STATES and row.state in BOOKED_STATES:
        raise Rejected("already_assigned", "该勘查单已由其他派工台派出 / another desk booked this survey meanwhile",
                       row_to_wire("survey_assignment", row))
    to_state = check_intent(tx, "survey_assignment", row, mutation)
    changes = fields_with_transition(tx, "survey_assignment", row, mutation)
    before = _placement(row)
    after = {**before, **changes, "state": to_state}
    guard_booking(tx, row, before, after, recheck=to_state == ASSIGNED)
    tx.writer.update("survey_assignment", row, {**changes, "state": to_state})
    return applied(mutation, "survey_assignment", row)


@handles("survey_assignment", "update")
def update_survey(tx: Tx, mutation: Mutation) -> MutationResult:
    row = load(tx, "survey_assignment", mutation.entity_id)
    record, before = row_to_wire("survey_assignment", row), _placement(row)
    result = update_merged(tx, mutation)
    after = _placement(row)
    if any(before[name] != after[name] for name in PLACED):
        # A rejection rolls the mutation's savepoint back, so the desk gets the row as it was.
        guard_booking(tx, row, before, after, recheck=after["state"] in BOOKED_STATES - {"done"}, record=record)
    return result


def _placement(row: SurveyAssignmentRow) -> dict[str, Any]:
    return {"surveyor_id": row.surveyor_id, "start": row.start, "end": row.end, "mode": row.mode, "state": row.state}


def guard_booking(
    tx: Tx, row: SurveyAssignmentRow, before: dict[str, Any], after: dict[str, Any], *, recheck: bool,
    record: dict[str, Any] | None = None,
) -> None:
    """Refuse a move that touches a surveyor's day another desk holds, or a booking that breaks a hard rule."""
    record = record if record is not None else row_to_wire("survey_assignment", row)
    touched = {(p["surveyor_id"], office_day(p["start"])) for p in (before, after)
               if p["surveyor_id"] is not None and p["start"] is not None}
    locked = held_by_others(tx.session, tx.who, touched, tx.now)
    if locked is not None:
        name = _surveyor_name(tx, locked.surveyor_id)
        until = locked.expires_at.astimezone(OFFICE_ZONE)
        raise Rejected(
            "surveyor_locked",
            f"{name} {locked.day} 的排班正由其他派工台锁定（至 {until:%H:%M}）/ "
            f"{name}'s day {locked.day} is being planned on another desk until {until:%H:%M}",
            record,
        )
    if not recheck or after["surveyor_id"] is None or after["start"] is None:
        return
    surveyor = tx.writer.get("surveyor", after["surveyor_id"], lock=True)  # one booking of a surveyor at a time
    if surveyor is None or surveyor.office_id != row.office_id:
        raise Rejected("not_found", "勘查员不存在 / no such surveyor in this office", record)
    broken = _broken_rules(tx, row, surveyor, after)
    if broken:
        first = next((v for v in broken if v.rule is HardRule.LEAVE), broken[0])
        code = "surveyor_on_leave" if first.rule is HardRule.LEAVE else f"hard_rule:{first.rule.value}"
        raise Rejected(code, f"不能派给 {surveyor.name}：{first.message('zh')} / "
                             f"cannot assign to {surveyor.name}: {first.message('en')}", record)


def _surveyor_name(tx: Tx, surveyor_id: str) -> str:
    found = tx.session.get(SurveyorRow, surveyor_id)
    return found.name if found is not None else surveyor_id


def _broken_rules(tx: Tx, row: SurveyAssignmentRow, surveyor_row: SurveyorRow, after: dict[str, Any]) -> list[RuleViolation]:
    start: datetime = after["start"]
    end: datetime = after["end"] or start + timedelta(minutes=row.duration_minutes)
    if end <= start:
        raise Rejected("invalid_input", "派工结束时间必须晚于开始时间 / the booking must end after it starts",
                       row_to_wire("survey_assignment", row))
    surveyor = domain_surveyor(tx, surveyor_row, office_day(start))
    location = ((row.location_x_km, row.location_y_km)
                if row.location_x_km is not None and row.location_y_km is not None else surveyor.home_base)
    request = SurveyRequest(
        id=row.id, ticket_id=row.ticket_id, customer_id=row.customer_id or "", territory=row.territory or "",
        location=location, required_skill=row.required_skill or "", mode=after["mode"],
        duration_minutes=max(1, round((end - start) / timedelta(minutes=1))),
        due_at=row.due_at or end + _NO_DUE_DATE, urgency=row.urgency,  # type: ignore[arg-type]
        window_start=row.window_start, window_end=row.window_end,
    )
    skipped = set(NOT_RECHECKED)
    if row.territory is None:
        skipped.add(HardRule.TERRITORY)
    if row.required_skill is None:
        skipped.add(HardRule.SKILL)
    return [v for v in check_hard_rules(request, surveyor, _bookings(tx, row, surveyor.id, start), start)
            if v.rule not in skipped]


def domain_surveyor(tx: Tx, row: SurveyorRow, day: date) -> Surveyor:
    """The dispatch view of a surveyor around `day`: the roster on the office calendar, leave, capacity."""
    record = row_to_record("surveyor", row)
    assert isinstance(record, records.Surveyor)
    days = [day + timedelta(days=k) for k in (-1, 0, 1)]
    return surveyor_from_record(record, days, rules.office_calendar(tx.session))


def _bookings(tx: Tx, row: SurveyAssignmentRow, surveyor_id: str, start: datetime) -> list[Assignment]:
    """The surveyor's other bookings near the day (the rules look at that day and its neighbours)."""
    near = (start - timedelta(days=2), start + timedelta(days=2))
    others = tx.session.execute(
        select(SurveyAssignmentRow).where(
            SurveyAssignmentRow.surveyor_id == surveyor_id, SurveyAssignmentRow.id != row.id,
            SurveyAssignmentRow.state.in_(sorted(BOOKED_STATES)),
            SurveyAssignmentRow.start.is_not(None), SurveyAssignmentRow.start >= near[0],
            SurveyAssignmentRow.start <= near[1],
        )
    ).scalars()
    found = []
    for other in others:
        begins: datetime | None = other.start
        if begins is None:
            continue
        end = other.end or begins + timedelta(minutes=other.duration_minutes)
        if end <= begins:
            continue
        place = ((other.location_x_km, other.location_y_km)
                 if other.mode == "on_site" and other.location_x_km is not None and other.location_y_km is not None
                 else None)
        found.append(Assignment(other.id, surveyor_id, begins, end, place))
    return found
