"""Time limits (时限) as data, and the deadline and warning point they give a ticket.

A limit is counted in working days (ends at the end of the N-th working day after
the day of acceptance), in wall-clock minutes, or in minutes by the customer's area
class (repair arrival: urban 45, rural 90, remote 120). Days are reckoned in the
office's time zone, whatever zone the acceptance time was recorded in.

A ticket's own limit runs from acceptance until the stage its workflow names `clock_stops_at` is
done (a repair: the crew's arrival). `ticket_clock` is the one answer to "where does this ticket's
own clock stand": running (judged now), or stopped (judged at the instant the stage was done, and no
longer 预警/超时 work); `clock_stop_stages` gives each ticket type's clock-stop stage, from which the
desk's and the server's SQL lists are written.

`promised_deadline` is the one answer to "when is this ticket (or its stage) due": the
desk prints it on the receipt and counts it down offline, the server stores it and arms
its escalation timers with it. Both ask it with the ticket's own form, so the area class
a fault was reported in (an anonymous rural call has no customer record) decides.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Literal, Protocol, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.calendar import WorkingCalendar
from domain.errors import InvalidInput
from domain.records import AreaClass

AREA_CLASSES: tuple[str, ...] = get_args(AreaClass)


def _office_zone() -> tzinfo:
    try:
        return ZoneInfo("Asia/Shanghai")
    except ZoneInfoNotFoundError:  # no tz database (bare Windows): China has had no DST since 1991
        return timezone(timedelta(hours=8), "CST")


OFFICE_ZONE: tzinfo = _office_zone()


_TICK = timedelta(microseconds=1)  # a datetime's resolution


class SlaState(StrEnum):
    ON_TIME = "on_time"
    WARNING = "warning"
    OVERDUE = "overdue"


@dataclass(frozen=True, kw_only=True)
class TimeLimit:
    """One time limit, versioned by its source text and effective date; exactly one measure is set."""

    working_days: int | None = None
    minutes: int | None = None
    minutes_by_area: Mapping[str, int] | None = None
    warning_fraction: float = 0.8
    source: str
    effective: date

    def __post_init__(self) -> None:
        measures = [m for m in (self.working_days, self.minutes, self.minutes_by_area) if m is not None]
        if len(measures) != 1:
            raise InvalidInput(
                "时限须且只能指定工作日、分钟或按地区分钟之一",
                "a time limit needs exactly one of working_days, minutes or minutes_by_area",
                field="time_limit",
            )
        if self.working_days is not None and (isinstance(self.working_days, bool) or self.working_days < 0):
            raise InvalidInput("工作日数不能为负数", "working_days cannot be negative", field="working_days")
        if self.minutes is not None and (isinstance(self.minutes, bool) or self.minutes <= 0):
            raise InvalidInput("分钟数须为正数", "minutes must be positive", field="minutes")
        if self.minutes_by_area is not None:
            unknown = sorted(set(self.minutes_by_area) - set(AREA_CLASSES))
            if unknown or not self.minutes_by_area:
                raise InvalidInput(
                    f"未知的地区类别：{unknown}",
                    f"minutes_by_area needs keys among {list(AREA_CLASSES)}, got {unknown or 'none'}",
                    field="minutes_by_area",
                )
            if any(isinstance(v, bool) or v <= 0 for v in self.minutes_by_area.values()):
                raise InvalidInput("分钟数须为正数", "minutes must be positive", field="minutes_by_area")
            # A frozen limit must not change if the caller later mutates the dict it passed.
            object.__setattr__(self, "minutes_by_area", MappingProxyType(dict(self.minutes_by_area)))
        if not 0 < self.warning_fraction < 1:
            raise InvalidInput(
                "预警比例须在 0 与 1 之间", "warning_fraction must be between 0 and 1", field="warning_fraction"
            )
        if not self.source.strip():
            raise InvalidInput("时限须注明依据", "a time limit must name its source", field="source")

    def __hash__(self) -> int:
        areas = tuple(sorted(self.minutes_by_area.items())) if self.minutes_by_area is not None else None
        return hash((self.working_days, self.minutes, areas, self.warning_fraction, self.source, self.effective))


@dataclass(frozen=True)
class Deadline:
    """When a ticket is due, when it turns to warning, and whether a guessed calendar year was used."""

    due_at: datetime
    warn_at: datetime
    provisional: bool


class LimitMeasure(Protocol):
    """What the deadline calculation reads of a limit: `TimeLimit` here, or the catalogue's `Limit`."""

    @property
    def working_days(self) -> int | None: ...
    @property
    def minutes(self) -> int | None: ...
    @property
    def minutes_by_area(self) -> Mapping[Any, int] | None: ...  # keys: area class names or their StrEnum
    @property
    def warning_fraction(self) -> float: ...


def deadline(
    limit: LimitMeasure,
    accepted_at: datetime,
    *,
    area_class: str | None = None,
    calendar: WorkingCalendar,
    zone: tzinfo = OFFICE_ZONE,
) -> Deadline:
    """The deadline of a ticket accepted at `accepted_at` (timezone-aware) under `limit`."""
    _require_aware(accepted_at, "accepted_at")
    if limit.working_days is not None:
        return _working_day_deadline(limit.working_days, limit.warning_fraction, accepted_at, calendar, zone)
    minutes = limit.minutes if limit.minutes is not None else _minutes_for_area(limit, area_class)
    due_at = accepted_at + timedelta(minutes=minutes)
    warn_at = accepted_at + (due_at - accepted_at) * limit.warning_fraction
    return Deadline(due_at=due_at, warn_at=warn_at, provisional=False)


def ticket_area_class(fields: Mapping[str, Any] | None, customer_area_class: str | None = None) -> str:
    """The area class a ticket is timed by: the one on its own form (where the fault is), else its
    customer's, else urban."""
    own = fields.get("area_class") if fields else None
    if isinstance(own, str) and own in AREA_CLASSES:
        return own
    if customer_area_class in AREA_CLASSES:
        assert customer_area_class is not None
        return customer_area_class
    return "urban"


def promised_deadline(
    limit: LimitMeasure,
    started_at: datetime,
    *,
    fields: Mapping[str, Any] | None,
    customer_area_class: str | None = None,
    calendar: WorkingCalendar,
    zone: tzinfo = OFFICE_ZONE,
) -> Deadline:
    """The deadline promised for a ticket (its type's limit from acceptance) or one of its stages
    (the stage's limit from opening), with `fields` the ticket's form."""
    area = ticket_area_class(fields, customer_area_class)
    return deadline(limit, started_at, area_class=area, calendar=calendar, zone=zone)


# `sla_state` written as comparisons of `now` with the deadline's two instants: each state holds
# exactly when all its comparisons do (the three are exclusive and cover every case, even a warning
# point after the due time). `sla_state` reads this table, and so does the desk's SQL form of the
# rule (local_store.queue), so the two cannot drift apart.
Instant = Literal["due_at", "warn_at"]
Comparison = Literal["<", "<=", ">", ">="]
STATE_COMPARISONS: Mapping[SlaState, tuple[tuple[Instant, Comparison], ...]] = MappingProxyType({
    SlaState.OVERDUE: (("due_at", ">"),),
    SlaState.WARNING: (("due_at", "<="), ("warn_at", ">=")),
    SlaState.ON_TIME: (("due_at", "<="), ("warn_at", "<")),
})
_COMPARE: Mapping[Comparison, Callable[[datetime, datetime], bool]] = MappingProxyType({
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge})


def sla_state(deadline: Deadline, now: datetime) -> SlaState:
    """On time before warn_at; warning from warn_at through due_at inclusive; overdue after due_at."""
    _require_aware(now, "now")
    instants = {"due_at": deadline.due_at, "warn_at": deadline.warn_at}
    for state, comparisons in STATE_COMPARISONS.items():
        if all(_COMPARE[op](now, instants[name]) for name, op in comparisons):
            return state
    raise AssertionError("STATE_COMPARISONS covers every instant")  # pragma: no cover


def finished_late(due_at: datetime | None, finished_at: datetime) -> bool:
    """Whether work finished at `finished_at` missed `due_at` (it was overdue when it finished); work
    without a limit is never late."""
    if due_at is None:
        return False
    return sla_state(Deadline(due_at=due_at, warn_at=due_at, provisional=False), finished_at) is SlaState.OVERDUE


def overdue_from(due_at: datetime) -> datetime:
    """The first instant `sla_state` calls overdue (the next one a datetime can hold after due_at):
    where the server's overdue timer is set, so escalation and the desk's colour turn together."""
    return due_at + _TICK


# ---- the ticket's own clock: running, or stopped by its workflow's clock-stop stage ----------------

CLOCK_STOP_STATE = "done"  # the stage-task state that stops the ticket's clock (as the server's timers)


class _StageTaskLike(Protocol):
    @property
    def stage_code(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def completed_at(self) -> datetime | None: ...


class _WorkflowLike(Protocol):
    @property
    def clock_stops_at(self) -> str | None: ...


class _TypeLike(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def workflow(self) -> _WorkflowLike: ...


class _CatalogueLike(Protocol):
    @property
    def types(self) -> Iterable[_TypeLike]: ...


def clock_stop_stages(catalogue: _CatalogueLike) -> Mapping[str, str]:
    """Each ticket type's clock-stop stage code (types whose clock never stops are left out)."""
    return MappingProxyType({t.code: t.workflow.clock_stops_at for t in catalogue.types
                             if t.workflow.clock_stops_at is not None})


@dataclass(frozen=True)
class ClockStop:
    """The ticket's clock stopped: its clock-stop stage is done, at `at` (None: done on this desk and
    not synced yet, so the server has not recorded the instant)."""

    at: datetime | None


def clock_stop(stage_code: str | None, tasks: Iterable[_StageTaskLike]) -> ClockStop | None:
    """Whether the ticket with these stage tasks has its clock stopped by `stage_code` (its type's
    clock-stop stage, None: it never stops): None while it runs; otherwise the first recorded instant
    a task of that stage was done."""
    if stage_code is None:
        return None
    done = [t for t in tasks if t.stage_code == stage_code and t.state == CLOCK_STOP_STATE]
    if not done:
        return None
    instants = [t.completed_at for t in done if t.completed_at is not None]
    return ClockStop(at=min(instants) if instants else None)


@dataclass(frozen=True)
class TicketClock:
    """Where a ticket's own clock stands. Running: `state` at now. Stopped: `state` at the stop
    instant (None when that instant is not known yet), and `late_by` how far past due it stopped."""

    stopped: bool
    state: SlaState | None
    late_by: timedelta | None = None

    @property
    def live_state(self) -> SlaState | None:
        """The state the 预警/超时 lists go by: a stopped clock is no longer warning or overdue work."""
        return None if self.stopped else self.state

    @property
    def stopped_late(self) -> bool:
        return self.stopped and self.state is SlaState.OVERDUE


def ticket_clock(deadline: Deadline, now: datetime, stop: ClockStop | None) -> TicketClock:
    """The ticket's own clock under `deadline`: running (judged at `now`) unless `stop` says its
    clock-stop stage is done; then judged at the stop instant, however late `now` is."""
    if stop is None:
        return TicketClock(stopped=False, state=sla_state(deadline, now))
    if stop.at is None:
        return TicketClock(stopped=True, state=None)
    state = sla_state(deadline, stop.at)
    late_by = stop.at - deadline.due_at if state is SlaState.OVERDUE else None
    return TicketClock(stopped=True, state=state, late_by=late_by)


def remaining(deadline: Deadline, now: datetime) -> timedelta:
    """Time left until due_at; negative once overdue."""
    _require_aware(now, "now")
    return deadline.due_at - now


def _working_day_deadline(
    n: int, fraction: float, accepted_at: datetime, calendar: WorkingCalendar, zone: tzinfo
) -> Deadline:
    accepted_local = accepted_at.astimezone(zone)
    accepted_day = accepted_local.date()
    due_day = calendar.add_working_days(accepted_day, n)
    due_at = _end_of_day(due_day, zone)
    if n == 0:
        warn_at = accepted_local + (due_at - accepted_local) * fraction
    else:
        # Warn at the end of working day floor(f·N): the last day boundary before f of the days
        # are used, so the warning always comes at least one whole working day before due
        # (the epsilon keeps 0.29 × 100, stored as 28.999…, from flooring to 28).
        warn_at = _end_of_day(calendar.add_working_days(accepted_day, math.floor(fraction * n + 1e-9)), zone)
    provisional = n > 0 and calendar.any_provisional(accepted_day + timedelta(days=1), due_day)
    return Deadline(due_at=due_at, warn_at=warn_at, provisional=provisional)


def _minutes_for_area(limit: LimitMeasure, area_class: str | None) -> int:
    assert limit.minutes_by_area is not None
    if area_class is None or area_class not in limit.minutes_by_area:
        raise InvalidInput(
            f"此时限按地区类别计算，缺少或未知的地区类别：{area_class}",
            f"this time limit depends on the area class; missing or unknown area class: {area_class}",
            field="area_class",
        )
    return limit.minutes_by_area[area_class]


def _end_of_day(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time.max, tzinfo=zone)


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(f"{name} 须带时区", f"{name} must be timezone-aware", field=name)
