"""One office day as a batch-assignment model: who may take what, when, and what a plan costs.

Both the CP-SAT solver (batch.py) and the exhaustive reference (batch_exact.py) read this model,
so they optimise exactly the same thing. Times are whole minutes from the day's midnight.

Travel is modelled without knowing the order of the day (position-independent and conservative):
every on-site job reserves, just before it starts, the longest drive that could lead to it (from the
surveyor's base or any place this surveyor might visit that day). Any order the model allows then also
passes the travel rule of check_hard_rules.

Objective (all integers, lower is better), weights in BatchWeights:
- unassigned: unassigned × priority for every request left out;
- lateness:   lateness × priority × minutes finished after the soft target (due − safety margin);
- travel:     travel × minutes of drive from the surveyor's base to each on-site job;
- imbalance:  imbalance × (most jobs − fewest jobs) that day among surveyors on shift.
Priority is 1 for normal, 2 for urgent and 4 for emergency work.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from domain.dispatch.itinerary import travel_time
from domain.dispatch.models import Assignment, Location, Surveyor, SurveyRequest, office_day
from domain.dispatch.rules import DROPPED_IN_EMERGENCY, HardRule, outside_territory
from domain.errors import InvalidInput
from domain.sla import OFFICE_ZONE

PRIORITY: dict[str, int] = {"normal": 1, "urgent": 2, "emergency": 4}
DAY_MINUTES = 24 * 60
Span = tuple[int, int]  # [start, end) in minutes from the day's midnight


@dataclass(frozen=True)
class BatchWeights:
    """Leaving a request out costs more than any drive or delay it could cause, so the plan fills the day first."""

    unassigned: int = 1000
    lateness: int = 1
    travel: int = 1
    imbalance: int = 30
    safety_margin_minutes: int = 120

    def __post_init__(self) -> None:
        for name in ("unassigned", "lateness", "travel", "imbalance", "safety_margin_minutes"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0:
                raise InvalidInput(f"权重 {name} 必须是非负整数", f"weight {name} must be a non-negative integer",
                                   field=name)


@dataclass(frozen=True)
class Option:
    """Request `request` may go to surveyor `surveyor`, starting in [lo, hi], reserving `pad` minutes of drive first."""

    request: int
    surveyor: int
    lo: int
    hi: int
    pad: int
    travel: int  # minutes from the surveyor's base, the travel term of the objective


@dataclass(frozen=True)
class DayModel:
    day: date
    origin: datetime
    requests: tuple[SurveyRequest, ...]
    surveyors: tuple[Surveyor, ...]
    options: tuple[Option, ...]
    blocks: tuple[tuple[Span, ...], ...]  # per surveyor: leave and bookings already made (with their drive)
    room: tuple[int, ...]  # jobs each surveyor can still take that day
    existing_load: tuple[int, ...]  # jobs each surveyor already has that day
    on_shift: tuple[bool, ...]  # counted in the imbalance term
    weights: BatchWeights
    no_option: dict[int, HardRule] = field(default_factory=dict)  # request index -> why nobody can take it

    def duration(self, r: int) -> int:
        return self.requests[r].duration_minutes

    def priority(self, r: int) -> int:
        return PRIORITY[self.requests[r].urgency]

    def target(self, r: int) -> int:
        """The soft deadline in minutes: finishing after it costs `lateness` per minute."""
        return floor_minutes(self.requests[r].latest_end, self.origin) - self.weights.safety_margin_minutes

    def at(self, minute: int) -> datetime:
        return self.origin + timedelta(minutes=minute)

    def options_of(self, r: int) -> list[Option]:
        return [o for o in self.options if o.request == r]


@dataclass(frozen=True)
class Placement:
    request: int
    surveyor: int
    start: int


@dataclass(frozen=True)
class Cost:
    terms: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.terms.values())


def floor_minutes(moment: datetime, origin: datetime) -> int:
    return math.floor((moment - origin) / timedelta(minutes=1))


def ceil_minutes(moment: datetime, origin: datetime) -> int:
    return math.ceil((moment - origin) / timedelta(minutes=1))


def day_origin(day: date, aware: bool) -> datetime:
    return datetime.combine(day, time(0), tzinfo=OFFICE_ZONE if aware else None)


def drive(origin: Location, destination: Location, surveyor: Surveyor) -> int:
    return int(travel_time(origin, destination, surveyor.speed_kmh) / timedelta(minutes=1))


def longest_drive(origins: Sequence[Location], destination: Location, surveyor: Surveyor) -> int:
    """The longest of the drives from `origins` (travel time only grows with distance, so convert once)."""
    x, y = destination
    farthest = max((math.hypot(x - ox, y - oy) for ox, oy in origins), default=0.0)
    return math.ceil(round(farthest / surveyor.speed_kmh * 60, 6))


def _statically_allowed(request: SurveyRequest, surveyor: Surveyor) -> HardRule | None:
    emergency = request.urgency == "emergency"
    if outside_territory(request, surveyor) and not (emergency and HardRule.TERRITORY in DROPPED_IN_EMERGENCY):
        return HardRule.TERRITORY
    if request.required_skill and request.required_skill not in surveyor.skills:
        return HardRule.SKILL
    return None


def build_day_model(
    requests: Sequence[SurveyRequest],
    surveyors: Sequence[Surveyor],
    existing: Iterable[Assignment],
    day: date,
    *,
    now: datetime,
    weights: BatchWeights = BatchWeights(),
) -> DayModel:
    """The model of one office day. `existing` bookings of the requests being planned are ignored (they move)."""
    planned = {r.id for r in requests}
    if len(planned) != len(requests):
        raise InvalidInput("勘查单重复", "a survey request is listed twice", field="requests")
    if len({s.id for s in surveyors}) != len(surveyors):
        raise InvalidInput("勘查员重复", "a surveyor is listed twice", field="surveyors")
    origin = day_origin(day, now.tzinfo is not None)
    kept = [a for a in existing if a.request_id not in planned]
    not_before = ceil_minutes(now, origin)

    def minute(moment: datetime) -> int:
        return floor_minutes(moment, origin)

    shifts = [[(max(ceil_minutes(a, origin), 0), minute(b)) for a, b in s.shifts
               if minute(b) > 0 and ceil_minutes(a, origin) < DAY_MINUTES] for s in surveyors]
    mine = [[a for a in kept if a.surveyor_id == s.id] for s in surveyors]
    load = [sum(1 for a in jobs if office_day(a.start) == day) for jobs in mine]
    room = [max(0, s.daily_capacity - n) for s, n in zip(surveyors, load, strict=True)]
    allowed = [[_statically_allowed(r, s) for s in surveyors] for r in requests]

    blocks: list[tuple[Span, ...]] = []
    places: list[list[Location]] = []
    for i, s in enumerate(surveyors):
        nearby = [a for a in mine[i] if minute(a.end) > -DAY_MINUTES and minute(a.start) < 2 * DAY_MINUTES]
        candidates = [r.location for r, why in zip(requests, (row[i] for row in allowed), strict=True)
                      if why is None and r.mode == "on_site"]
        places.append([s.home_base, *candidates, *(a.location for a in nearby if a.location is not None)])
        busy = [(minute(a), ceil_minutes(b, origin)) for a, b in s.leave]
        for a in sorted(nearby, key=lambda a: a.start):
            start, end = minute(a.start), ceil_minutes(a.end, origin)
            pad = 0
            if a.location is not None:
                # the drive before a booked job, but never reaching back over what comes before it (it is fixed)
                before = max([b for _, b in busy if b <= start] + [lo for lo, hi in shifts[i] if lo <= start < hi]
                             + [min(start, not_before)])
                pad = max(0, min(longest_drive(places[i], a.location, s), start - before))
            busy.append((start - pad, end))
        blocks.append(_merged(busy))

    options: list[Option] = []
    no_option: dict[int, HardRule] = {}
    for ri, r in enumerate(requests):
        reasons: list[HardRule] = []
        placeable = False
        for si, s in enumerate(surveyors):
            if allowed[ri][si] is not None:
                reasons.append(allowed[ri][si])  # type: ignore[arg-type]
                continue
            if room[si] <= 0:
                reasons.append(HardRule.CAPACITY)
                continue
            if not shifts[si]:
                reasons.append(HardRule.ON_DUTY)
                continue
            on_site = r.mode == "on_site"
            pad = longest_drive(places[si], r.location, s) if on_site else 0
            base = drive(s.home_base, r.location, s) if on_site else 0
            latest_end = minute(r.latest_end)
            opens = ceil_minutes(r.window_start, origin) if r.window_start is not None else 0
            found = False
            for lo_shift, hi_shift in shifts[si]:
                lo = max(lo_shift + pad, not_before + pad, opens, 0)
                hi = min(hi_shift, latest_end) - r.duration_minutes
                hi = min(hi, DAY_MINUTES - 1)  # the job starts on this day (capacity is per day)
                if lo <= hi:
                    options.append(Option(ri, si, lo, hi, pad, base))
                    found = placeable = True
            if not found:
                reasons.append(HardRule.DUE_DATE if latest_end < DAY_MINUTES else HardRule.ON_DUTY)
        if not placeable:
            no_option[ri] = _first_reason(reasons)
    return DayModel(
        day=day, origin=origin, requests=tuple(requests), surveyors=tuple(surveyors), options=tuple(options),
        blocks=tuple(blocks), room=tuple(room), existing_load=tuple(load),
        on_shift=tuple(bool(s) for s in shifts), weights=weights, no_option=no_option,
    )


def _merged(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Overlapping busy stretches as one (leave over a booking, two bookings already clashing): a no-overlap needs disjoint fixed parts."""
    merged: list[Span] = []
    for a, b in sorted(s for s in spans if s[1] > s[0]):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return tuple(merged)


def _first_reason(reasons: list[HardRule]) -> HardRule:
    """The reason that stopped the most promising surveyor: the one declared last among the checks they reached."""
    order = list(HardRule)
    return max(reasons, key=order.index) if reasons else HardRule.ON_DUTY


def cost(model: DayModel, placements: Iterable[Placement]) -> Cost:
    """The objective of a plan, term by term (the exact value both solvers minimise)."""
    w = model.weights
    placed = list(placements)
    done = {p.request for p in placed}
    unassigned = sum(w.unassigned * model.priority(r) for r in range(len(model.requests)) if r not in done)
    lateness = travel = 0
    jobs = list(model.existing_load)
    for p in placed:
        end = p.start + model.duration(p.request)
        lateness += w.lateness * model.priority(p.request) * max(0, end - model.target(p.request))
        request, surveyor = model.requests[p.request], model.surveyors[p.surveyor]
        if request.mode == "on_site":
            travel += w.travel * drive(surveyor.home_base, request.location, surveyor)
        jobs[p.surveyor] += 1
    counted = [n for n, on in zip(jobs, model.on_shift, strict=True) if on]
    imbalance = w.imbalance * (max(counted) - min(counted)) if len(counted) > 1 else 0
    return Cost({"unassigned": unassigned, "lateness": lateness, "travel": travel, "imbalance": imbalance})


def earliest_fit(option: Option, duration: int, busy: Sequence[Span], not_before: int) -> int | None:
    """The first start in the option's range, not before `not_before`, whose drive + job overlaps nothing busy."""
    candidates = sorted({max(option.lo, not_before), *(end + option.pad for _, end in busy)})
    for start in candidates:
        if start < max(option.lo, not_before) or start > option.hi:
            continue
        reserved = (start - option.pad, start + duration)
        if all(reserved[1] <= a or b <= reserved[0] for a, b in busy):
            return start
    return None
