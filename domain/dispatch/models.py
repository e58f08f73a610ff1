"""What dispatch works on: survey requests, surveyors, their assignments and the scoring weights.

Places are (x_km, y_km) on the office's local grid. Times are datetimes, all naive
(office local time) or all aware; an office "day" is reckoned in the office's zone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal, get_args

from domain.errors import InvalidInput
from domain.sla import OFFICE_ZONE

Location = tuple[float, float]
Period = tuple[datetime, datetime]
Mode = Literal["on_site", "remote"]
Urgency = Literal["normal", "urgent", "emergency"]

MODES: tuple[str, ...] = get_args(Mode)
URGENCIES: tuple[str, ...] = get_args(Urgency)


def office_day(moment: datetime) -> date:
    """The office calendar day a moment falls on (aware moments are converted to the office zone)."""
    return moment.astimezone(OFFICE_ZONE).date() if moment.tzinfo is not None else moment.date()


def start_of_next_day(moment: datetime) -> datetime:
    """Midnight at the end of the office day `moment` falls on, in the same naive/aware style."""
    following = office_day(moment) + timedelta(days=1)
    return datetime.combine(following, time(0), tzinfo=OFFICE_ZONE if moment.tzinfo is not None else None)


def _check_location(location: Location, field: str) -> Location:
    if len(location) != 2 or not all(math.isfinite(float(c)) for c in location):
        raise InvalidInput(f"位置坐标无效：{location!r}", f"invalid location: {location!r}", field=field)
    return (float(location[0]), float(location[1]))


def _check_periods(periods: Sequence[Period], field: str, label_zh: str) -> tuple[Period, ...]:
    ordered = tuple(sorted((start, end) for start, end in periods))
    for start, end in ordered:
        if end <= start:
            raise InvalidInput(
                f"{label_zh}的结束时间必须晚于开始时间：{start:%Y-%m-%d %H:%M}",
                f"{field} must end after it starts: {start:%Y-%m-%d %H:%M}",
                field=field,
            )
    return ordered


@dataclass(frozen=True, kw_only=True)
class SurveyRequest:
    """One survey (现场勘查 / 远程勘查) waiting for a surveyor."""

    id: str
    ticket_id: str
    customer_id: str
    territory: str
    location: Location
    required_skill: str
    mode: Mode
    duration_minutes: int
    due_at: datetime
    urgency: Urgency = "normal"
    window_start: datetime | None = None
    window_end: datetime | None = None

    def __post_init__(self) -> None:
        if not self.id:
            raise InvalidInput("勘查单缺少编号", "survey request has no id", field="id")
        if self.mode not in MODES:
            raise InvalidInput(f"勘查方式无效：{self.mode}", f"unknown survey mode: {self.mode}", field="mode")
        if self.urgency not in URGENCIES:
            raise InvalidInput(f"紧急程度无效：{self.urgency}", f"unknown urgency: {self.urgency}", field="urgency")
        if self.duration_minutes <= 0:
            raise InvalidInput("勘查时长必须大于零", "survey duration must be positive", field="duration_minutes")
        object.__setattr__(self, "location", _check_location(self.location, "location"))
        if self.window_start is not None and self.window_end is not None and self.window_end <= self.window_start:
            raise InvalidInput("时间窗结束必须晚于开始", "time window must end after it starts", field="window_end")

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def latest_end(self) -> datetime:
        """The request must be finished by this time: its due date or the end of the customer's window."""
        return self.due_at if self.window_end is None else min(self.due_at, self.window_end)


@dataclass(frozen=True, kw_only=True)
class Surveyor:
    """A surveyor (勘查员 / 客户经理): where they may work, what they are qualified for, when they are on duty."""

    id: str
    name: str
    territories: frozenset[str]
    skills: frozenset[str]
    home_base: Location
    shifts: Sequence[Period]
    daily_capacity: int
    leave: Sequence[Period] = ()
    speed_kmh: float = 30.0

    def __post_init__(self) -> None:
        if not self.id:
            raise InvalidInput("勘查员缺少编号", "surveyor has no id", field="id")
        object.__setattr__(self, "territories", frozenset(self.territories))
        object.__setattr__(self, "skills", frozenset(self.skills))
        object.__setattr__(self, "home_base", _check_location(self.home_base, "home_base"))
        shifts = _check_periods(self.shifts, "shifts", "班次")
        for (_, earlier_end), (later_start, _) in zip(shifts, shifts[1:], strict=False):
            if later_start < earlier_end:
                raise InvalidInput(
                    f"班次重叠：{later_start:%Y-%m-%d %H:%M}", f"shifts overlap at {later_start:%Y-%m-%d %H:%M}",
                    field="shifts",
                )
        object.__setattr__(self, "shifts", shifts)
        object.__setattr__(self, "leave", _check_periods(self.leave, "leave", "请假"))
        if self.daily_capacity < 0:
            raise InvalidInput("当日容量不能为负数", "daily capacity cannot be negative", field="daily_capacity")
        if not (math.isfinite(self.speed_kmh) and self.speed_kmh > 0):
            raise InvalidInput("行驶速度必须大于零", "travel speed must be positive", field="speed_kmh")


@dataclass(frozen=True)
class Assignment:
    """A survey booked on a surveyor's day. `location` is None for remote work: the surveyor stays where they are."""

    request_id: str
    surveyor_id: str
    start: datetime
    end: datetime
    location: Location | None = None

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidInput("派工结束时间必须晚于开始时间", "assignment must end after it starts", field="end")
        if self.location is not None:
            object.__setattr__(self, "location", _check_location(self.location, "location"))

    @classmethod
    def of(cls, request: SurveyRequest, surveyor_id: str, start: datetime) -> Assignment:
        """The assignment that booking `request` for `surveyor_id` at `start` would create."""
        location = request.location if request.mode == "on_site" else None
        return cls(request.id, surveyor_id, start, start + request.duration, location)


@dataclass(frozen=True)
class Weights:
    """Soft-score weights; each term earns weight × merit (merit 0..1), so by default a perfect fit scores 100.

    travel 35: a short drive matters most day to day; workload 20: spread the day's jobs;
    urgency 30: finish well inside the time limit (×urgent_factor for urgent work);
    continuity 15: a surveyor who knows the customer is a plus, never decisive on its own.
    """

    travel: float = 35.0
    workload: float = 20.0
    urgency: float = 30.0
    continuity: float = 15.0
    urgent_factor: float = 2.0

    def __post_init__(self) -> None:
        for name in ("travel", "workload", "urgency", "continuity", "urgent_factor"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise InvalidInput(f"权重 {name} 必须是非负数", f"weight {name} must be a non-negative number", field=name)
