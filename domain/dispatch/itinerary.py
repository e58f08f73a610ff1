"""A surveyor's day on the road: which shift a job falls in, where they set out from, when they can arrive."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.dispatch.models import Assignment, Location, Period, Surveyor


def travel_time(origin: Location, destination: Location, speed_kmh: float) -> timedelta:
    """Straight-line estimate, rounded up to whole minutes so suggested starts stay on the minute."""
    km = math.hypot(destination[0] - origin[0], destination[1] - origin[1])
    return timedelta(minutes=math.ceil(round(km / speed_kmh * 60, 6)))


def own_assignments(surveyor_id: str, assignments: Iterable[Assignment], except_request: str) -> list[Assignment]:
    """This surveyor's bookings in time order, leaving out the request being placed (it may be moving)."""
    mine = [a for a in assignments if a.surveyor_id == surveyor_id and a.request_id != except_request]
    return sorted(mine, key=lambda a: (a.start, a.end))


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
    surveyor: Surveyor, mine: Sequence[Assignment], shift: Period, destination: Location | None, at: datetime
) -> Leg:
    """The surveyor leaves after the last job of this shift that ends by `at` (or from home at shift start)."""
    depart, origin = shift[0], surveyor.home_base
    origin_end: datetime | None = None
    for a in mine:
        if shift[0] < a.end <= at:
            depart = max(depart, a.end)
            if a.location is not None and (origin_end is None or a.end >= origin_end):
                origin, origin_end = a.location, a.end
    drive = timedelta(0) if destination is None else travel_time(origin, destination, surveyor.speed_kmh)
    return Leg(origin, depart, depart + drive)
