"""Hard rules (硬性规则): a surveyor who breaks any of them may not take the survey at that time."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from domain.dispatch.itinerary import Timetable, leg_to, own_assignments, shift_covering
from domain.dispatch.models import Assignment, Surveyor, SurveyRequest, office_day
from domain.errors import InvalidInput
from domain.language import is_english, pick
from domain.sla import OFFICE_ZONE


class HardRule(Enum):
    """Declared in the order they are reported: who may do it, when they are free, when the customer needs it."""

    TERRITORY = "territory"
    SKILL = "skill"
    ON_DUTY = "on_duty"
    LEAVE = "leave"
    CAPACITY = "capacity"
    TIME_WINDOW = "time_window"
    DUE_DATE = "due_date"
    NO_DOUBLE_BOOKING = "no_double_booking"
    TRAVEL_GAP = "travel_gap"

    @property
    def label_zh(self) -> str:
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LABELS[self][1]

    def label(self, language: str = "zh") -> str:
        return pick(self.label_zh, self.label_en, language)


_LABELS: dict[HardRule, tuple[str, str]] = {
    HardRule.TERRITORY: ("辖区", "territory"),
    HardRule.SKILL: ("资质", "qualification"),
    HardRule.ON_DUTY: ("在岗", "on duty"),
    HardRule.LEAVE: ("请假", "leave"),
    HardRule.CAPACITY: ("当日容量", "daily capacity"),
    HardRule.TIME_WINDOW: ("时间窗", "time window"),
    HardRule.DUE_DATE: ("期限", "due date"),
    HardRule.NO_DOUBLE_BOOKING: ("时段冲突", "double booking"),
    HardRule.TRAVEL_GAP: ("路程衔接", "travel time"),
}

# Emergency work goes to whoever gets there first, whatever their territory (DOMAIN.md, Dispatch).
DROPPED_IN_EMERGENCY: frozenset[HardRule] = frozenset({HardRule.TERRITORY})


def outside_territory(request: SurveyRequest, surveyor: Surveyor) -> bool:
    """The territory rule: on-site work in a town the surveyor does not cover. A remote (video) survey is done
    from where the surveyor is, so any qualified surveyor of the office may take it; an empty territory is not
    known yet (the server skips the rule too)."""
    return bool(request.territory) and request.mode == "on_site" and request.territory not in surveyor.territories


@dataclass(frozen=True)
class RuleViolation:
    rule: HardRule
    detail_zh: str
    detail_en: str

    def message(self, language: str = "zh") -> str:
        if is_english(language):
            return f"{self.rule.label_en}: {self.detail_en}"
        return f"{self.rule.label_zh}：{self.detail_zh}"


def _at(moment: datetime) -> str:
    local = moment.astimezone(OFFICE_ZONE) if moment.tzinfo is not None else moment
    return f"{local:%Y-%m-%d %H:%M}"


def check_hard_rules(
    request: SurveyRequest,
    surveyor: Surveyor,
    existing_assignments: Iterable[Assignment],
    start: datetime,
    *,
    now: datetime | None = None,
) -> list[RuleViolation]:
    """Every hard rule booking `request` for `surveyor` at `start` would break; empty means allowed.

    Without `now` the day is planned ahead (the surveyor sets out at shift start); with it, nobody leaves before `now`.
    """
    mine = own_assignments(surveyor.id, existing_assignments, request.id)
    return violations(request, surveyor, mine, start, now)


Detail = Callable[[], tuple[str, str]]


def violations(
    request: SurveyRequest, surveyor: Surveyor, mine: Timetable, start: datetime, now: datetime | None,
    *, explain: bool = True,
) -> list[RuleViolation]:
    """check_hard_rules over this surveyor's own bookings; without `explain` the details are left empty (fast)."""
    end = start + request.duration
    found: list[RuleViolation] = []

    def broken(rule: HardRule, detail: Detail) -> None:
        if not (request.urgency == "emergency" and rule in DROPPED_IN_EMERGENCY):
            found.append(RuleViolation(rule, *detail()) if explain else RuleViolation(rule, "", ""))

    # An empty territory or skill is not known yet (the server skips those rules too): no requirement.
    if outside_territory(request, surveyor):
        broken(HardRule.TERRITORY, lambda: (f"不负责辖区 {request.territory}",
                                            f"does not cover territory {request.territory}"))
    if request.required_skill and request.required_skill not in surveyor.skills:
        broken(HardRule.SKILL, lambda: (f"不具备 {request.required_skill} 资质",
                                        f"not qualified for {request.required_skill}"))
    shift = shift_covering(surveyor, start, end)
    if shift is None:
        broken(HardRule.ON_DUTY, lambda: (f"{_at(start)}–{_at(end)} 不在排班内", f"not on shift {_at(start)}–{_at(end)}"))
    leave = next(((s, e) for s, e in surveyor.leave if start < e and s < end), None)
    if leave is not None:
        off, back = leave
        broken(HardRule.LEAVE, lambda: (f"{_at(off)}–{_at(back)} 请假", f"on leave {_at(off)}–{_at(back)}"))
    day = office_day(start)
    booked = mine.booked_on(day)
    if booked >= surveyor.daily_capacity:
        broken(HardRule.CAPACITY, lambda: (f"{day} 已派 {booked} 单，容量 {surveyor.daily_capacity} 单",
                                           f"{booked} jobs already on {day}, capacity {surveyor.daily_capacity}"))
    opens, closes = request.window_start, request.window_end
    if opens is not None and start < opens:
        broken(HardRule.TIME_WINDOW, lambda: (f"早于客户约定的 {_at(opens)}",
                                              f"before the customer's window opens at {_at(opens)}"))
    if closes is not None and end > closes:
        broken(HardRule.TIME_WINDOW, lambda: (f"晚于客户约定的 {_at(closes)}",
                                              f"after the customer's window closes at {_at(closes)}"))
    if end > request.due_at:
        broken(HardRule.DUE_DATE, lambda: (f"{_at(end)} 完成，超过期限 {_at(request.due_at)}",
                                           f"would finish {_at(end)}, after the due date {_at(request.due_at)}"))
    clash = next((a for a in mine.jobs if start < a.end and a.start < end), None)
    if clash is not None:
        other = clash
        broken(HardRule.NO_DOUBLE_BOOKING, lambda: (
            f"与 {other.request_id}（{_at(other.start)}–{_at(other.end)}）冲突",
            f"overlaps {other.request_id} ({_at(other.start)}–{_at(other.end)})"))
    if shift is not None:
        for detail in _travel_problems(request, surveyor, mine.jobs, shift, start, now):
            broken(HardRule.TRAVEL_GAP, detail)
    return found


def _travel_problems(
    request: SurveyRequest, surveyor: Surveyor, mine: Sequence[Assignment], shift: tuple[datetime, datetime],
    start: datetime, now: datetime | None,
) -> list[Detail]:
    """The drive into this job, and the drive from it to the next on-site job, must both fit.

    The next job is judged against the plan (everyone sets out at shift start), whatever `now` is: at 11:00 a
    surveyor due across town at 11:15 is already on the road, so a job at the home base then would make them
    late even though someone leaving only at 11:00 would be late anyway. Judged so, a start allowed with `now`
    is allowed without it, and the server (which plans without `now`) accepts what the desk suggests."""
    problems: list[Detail] = []
    if request.mode == "on_site":
        leg = leg_to(surveyor, mine, shift, request.location, start, now)
        if leg.arrive > start:
            problems.append(lambda: (f"需行驶约 {leg.minutes:.0f} 分钟，最早 {_at(leg.arrive)} 到达",
                                     f"needs about {leg.minutes:.0f} min on the road, earliest arrival {_at(leg.arrive)}"))
    booking = Assignment.of(request, surveyor.id, start)
    following = next((a for a in mine if a.location is not None and booking.end <= a.start < shift[1]), None)
    if following is not None:
        late = leg_to(surveyor, [*mine, booking], shift, following.location, following.start)
        on_time_without = leg_to(surveyor, mine, shift, following.location, following.start)
        if late.arrive > following.start and on_time_without.arrive <= following.start:
            nxt = following
            problems.append(lambda: (f"将赶不上下一单 {nxt.request_id}（{_at(nxt.start)}）",
                                     f"would be late for the next job {nxt.request_id} at {_at(nxt.start)}"))
    return problems


def validate_assignment(
    request: SurveyRequest,
    surveyor: Surveyor,
    assignments: Iterable[Assignment],
    start: datetime,
    *,
    now: datetime | None = None,
) -> None:
    """A manual booking (drag and drop) is refused with the first rule it breaks."""
    broken = check_hard_rules(request, surveyor, assignments, start, now=now)
    if broken:
        first = broken[0]
        raise InvalidInput(
            f"不能派给 {surveyor.name}：{first.message('zh')}",
            f"cannot assign to {surveyor.name}: {first.message('en')}",
            field=first.rule.value,
        )
