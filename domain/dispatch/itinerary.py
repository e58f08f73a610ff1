"""A surveyor's day on the road: which shift a job falls in, where they set out from, when they can arrive."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property

from domain.dispatch.models import Assignment, Location, Period, Surveyor, office_day


def travel_time(origin: Location, destination: Location, speed_kmh: float) -> timedelta:
    """Straight-line estimate, rounded up to whole minutes so suggested starts stay on the minute."""
    km = math.hypot(destination[0] - origin[0], destination[1] - origin[1])
    return timedelta(minutes=math.ceil(round(km / speed_kmh * 60, 6)))


@dataclass(frozen=True)
class Timetable:
    """One surveyor's bookings in time order, and how many fall on each office day."""

    jobs: tuple[Assignment, ...]

    @cached_property
    def _per_day(self) -> Counter[date]:
        return Counter(office_day(a.start) for a in self.jobs)

    def booked_on(self, day: date) -> int:
        return self._per_day[day]


def own_assignments(surveyor_id: str, assignments: Iterable[Assignment], except_request: str) -> Timetable:
    """This surveyor's bookings, leaving out the request being placed (it may be moving)."""
    mine = [a for a in assignments if a.surveyor_id == surveyor_id and a.request_id != except_request]
    return Timetable(tuple(sorted(mine, key=lambda a: (a.start, a.end))))


def shift_covering(surveyor: Surveyor, start: datetime, end: datetime) -> Period | None:
    return next(((s, e) for s, e in surveyor.shifts if s <= start and end <= e), None)


def shift_at(surveyor: Surveyor, moment: datetime) -> Period | None:
    return next(((s, e) for s, e in surveyor.shifts if s <= moment < e), None)


@dataclass(frozen=True)
class Leg:
    """The drive to a job: from where, leaving when, arriving when."""

    origin: Location
    depart: datetime
    arrive: datetime

    @property
    def minutes(self) -> float:
        return (self.arrive - self.depart) / timedelta(minutes=1)


def leg_to(
    surveyor: Surveyor,
    mine: Sequence[Assignment],
    shift: Period,
    destination: Location | None,
    at: datetime,
    now: datetime | None = None,
) -> Leg:
    """The surveyor leaves after the last job of this shift that ends by `at` (or from home at shift start).

    `now`, when given, is the earliest anyone can set out: a plan made at 09:00 cannot have left at 08:30.
    """
    depart, origin = shift[0] if now is None else max(shift[0], now), surveyor.home_base
    origin_end: datetime | None = None
    for a in mine:
        if shift[0] < a.end <= at:
            depart = max(depart, a.end)
            if a.location is not None and (origin_end is None or a.end >= origin_end):
                origin, origin_end = a.location, a.end
    drive = timedelta(0) if destination is None else travel_time(origin, destination, surveyor.speed_kmh)
    return Leg(origin, depart, depart + drive)
