"""Deadlines, warning points and SLA states for working-day and wall-clock time limits."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.calendar import WorkingCalendar
from domain.errors import InvalidInput
from domain.sla import (
    Deadline,
    SlaState,
    TimeLimit,
    deadline,
    overdue_from,
    promised_deadline,
    remaining,
    sla_state,
    ticket_area_class,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
EFFECTIVE = date(2021, 1, 1)
TICK = timedelta(microseconds=1)


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar.default()


def working_days(n: int) -> TimeLimit:
    return TimeLimit(working_days=n, source="十项承诺 art. 6", effective=EFFECTIVE)


REPAIR_ARRIVAL = TimeLimit(
    minutes_by_area={"urban": 45, "rural": 90, "remote": 120}, source="十项承诺 art. 3", effective=EFFECTIVE
)


def end_of(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=SHANGHAI)


def test_five_working_days_before_the_2026_spring_festival(calendar: WorkingCalendar) -> None:
    accepted = datetime(2026, 2, 13, 16, 30, tzinfo=SHANGHAI)
    result = deadline(working_days(5), accepted, calendar=calendar)
    assert result.due_at == end_of(date(2026, 2, 27))
    assert result.due_at.utcoffset() == timedelta(hours=8)
    assert result.warn_at == end_of(date(2026, 2, 26))  # end of working day floor(0.8 × 5) = 4
    assert not result.provisional


def test_acceptance_day_is_taken_in_the_office_zone(calendar: WorkingCalendar) -> None:
    # 17:30 UTC on Thursday is 01:30 on Friday in Shanghai: Friday is the day of acceptance.
    accepted = datetime(2026, 2, 12, 17, 30, tzinfo=UTC)
    assert deadline(working_days(5), accepted, calendar=calendar).due_at == end_of(date(2026, 2, 27))


@pytest.mark.parametrize(
    ("n", "warn_day", "due_day"),
    [
        (1, date(2025, 3, 3), date(2025, 3, 4)),  # floor(0.8) = 0: end of the day of acceptance
        (6, date(2025, 3, 7), date(2025, 3, 11)),  # floor(4.8) = 4
        (22, date(2025, 3, 26), date(2025, 4, 2)),  # floor(17.6) = 17
    ],
)
def test_warning_point_of_working_day_limits(
    calendar: WorkingCalendar, n: int, warn_day: date, due_day: date
) -> None:
    accepted = datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI)  # a Monday with no holiday near
    result = deadline(working_days(n), accepted, calendar=calendar)
    assert (result.warn_at, result.due_at) == (end_of(warn_day), end_of(due_day))
    assert accepted < result.warn_at < result.due_at


def test_zero_working_days_is_due_at_the_end_of_the_day(calendar: WorkingCalendar) -> None:
    accepted = datetime(2025, 3, 3, 14, 0, tzinfo=SHANGHAI)
    result = deadline(working_days(0), accepted, calendar=calendar)
    assert result.due_at == end_of(date(2025, 3, 3))
    assert accepted < result.warn_at < result.due_at
    assert not result.provisional


def test_deadline_into_an_uncovered_year_is_provisional(calendar: WorkingCalendar) -> None:
    accepted = datetime(2026, 12, 30, 10, 0, tzinfo=SHANGHAI)
    result = deadline(working_days(5), accepted, calendar=calendar)
    assert result.provisional
    assert result.due_at == end_of(date(2027, 1, 6))
    extended = calendar.extend_year(2027, [(date(2027, 1, 1), "元旦")], [])
    confirmed = deadline(working_days(5), accepted, calendar=extended)
    assert not confirmed.provisional
    assert confirmed.due_at == end_of(date(2027, 1, 7))


def test_deadline_within_a_covered_year_next_to_an_uncovered_one(calendar: WorkingCalendar) -> None:
    accepted = datetime(2026, 12, 29, 10, 0, tzinfo=SHANGHAI)
    assert not deadline(working_days(2), accepted, calendar=calendar).provisional  # due Thu 31 Dec
    assert deadline(working_days(3), accepted, calendar=calendar).provisional


@pytest.mark.parametrize(("area", "minutes"), [("urban", 45), ("rural", 90), ("remote", 120)])
def test_repair_arrival_by_area_class(calendar: WorkingCalendar, area: str, minutes: int) -> None:
    accepted = datetime(2026, 2, 17, 3, 0, tzinfo=SHANGHAI)  # holidays and nights do not matter
    result = deadline(REPAIR_ARRIVAL, accepted, area_class=area, calendar=calendar)
    assert result.due_at == accepted + timedelta(minutes=minutes)
    assert result.warn_at == accepted + timedelta(minutes=minutes * 0.8)
    assert not result.provisional


@pytest.mark.parametrize("area", [None, "suburban"])
def test_area_limit_needs_a_known_area_class(calendar: WorkingCalendar, area: str | None) -> None:
    accepted = datetime(2026, 2, 17, 3, 0, tzinfo=SHANGHAI)
    with pytest.raises(InvalidInput) as caught:
        deadline(REPAIR_ARRIVAL, accepted, area_class=area, calendar=calendar)
    assert caught.value.field == "area_class"


def test_wall_clock_limit_with_its_own_warning_fraction(calendar: WorkingCalendar) -> None:
    limit = TimeLimit(minutes=24 * 60, warning_fraction=0.5, source="practice", effective=EFFECTIVE)
    accepted = datetime(2026, 5, 1, 8, 0, tzinfo=SHANGHAI)
    result = deadline(limit, accepted, calendar=calendar)
    assert result.due_at == datetime(2026, 5, 2, 8, 0, tzinfo=SHANGHAI)
    assert result.warn_at == datetime(2026, 5, 1, 20, 0, tzinfo=SHANGHAI)


def test_state_changes_exactly_at_warn_at_and_due_at() -> None:
    due = datetime(2026, 3, 6, 23, 59, 59, 999999, tzinfo=SHANGHAI)
    warn = datetime(2026, 3, 5, 23, 59, 59, 999999, tzinfo=SHANGHAI)
    target = Deadline(due_at=due, warn_at=warn, provisional=False)
    assert sla_state(target, warn - TICK) is SlaState.ON_TIME
    assert sla_state(target, warn) is SlaState.WARNING
    assert sla_state(target, due) is SlaState.WARNING
    assert sla_state(target, due + TICK) is SlaState.OVERDUE
    assert sla_state(target, (due + TICK).astimezone(UTC)) is SlaState.OVERDUE
    assert [state.value for state in SlaState] == ["on_time", "warning", "overdue"]


def test_remaining_counts_down_and_goes_negative() -> None:
    due = datetime(2026, 3, 6, 12, 0, tzinfo=SHANGHAI)
    target = Deadline(due_at=due, warn_at=due - timedelta(hours=1), provisional=False)
    assert remaining(target, due - timedelta(minutes=30)) == timedelta(minutes=30)
    assert remaining(target, due + timedelta(minutes=5)) == -timedelta(minutes=5)


def test_naive_datetimes_are_refused(calendar: WorkingCalendar) -> None:
    naive = datetime(2026, 3, 6, 12, 0)
    with pytest.raises(InvalidInput) as caught:
        deadline(working_days(5), naive, calendar=calendar)
    assert caught.value.field == "accepted_at"
    target = Deadline(due_at=naive.replace(tzinfo=SHANGHAI), warn_at=naive.replace(tzinfo=SHANGHAI), provisional=False)
    with pytest.raises(InvalidInput):
        sla_state(target, naive)
    with pytest.raises(InvalidInput):
        remaining(target, naive)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "time_limit"),
        ({"working_days": 5, "minutes": 45}, "time_limit"),
        ({"working_days": -1}, "working_days"),
        ({"minutes": 0}, "minutes"),
        ({"minutes_by_area": {"suburban": 30}}, "minutes_by_area"),
        ({"minutes_by_area": {}}, "minutes_by_area"),
        ({"minutes_by_area": {"urban": -5}}, "minutes_by_area"),
        ({"minutes": 45, "warning_fraction": 1.0}, "warning_fraction"),
        ({"minutes": 45, "warning_fraction": 0.0}, "warning_fraction"),
        ({"minutes": 45, "source": " "}, "source"),
    ],
)
def test_bad_time_limits_are_refused(kwargs: dict[str, object], field: str) -> None:
    arguments: dict[str, object] = {"source": "practice", "effective": EFFECTIVE, **kwargs}
    with pytest.raises(InvalidInput) as caught:
        TimeLimit(**arguments)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_time_limit_is_frozen_and_hashable() -> None:
    areas = {"urban": 45, "rural": 90}
    limit = TimeLimit(minutes_by_area=areas, source="十项承诺 art. 3", effective=EFFECTIVE)
    areas["urban"] = 1
    assert limit.minutes_by_area == {"urban": 45, "rural": 90}
    same = TimeLimit(minutes_by_area={"urban": 45, "rural": 90}, source="十项承诺 art. 3", effective=EFFECTIVE)
    assert limit == same and hash(limit) == hash(same)
    with pytest.raises(AttributeError):
        limit.minutes = 5  # type: ignore[misc]


# ---- the promised deadline: the ticket's own form decides its area class ------------------------

@pytest.mark.parametrize(
    ("fields", "customer_area", "expected"),
    [
        ({"area_class": "rural"}, None, "rural"),  # an anonymous fault call from a village
        ({"area_class": "rural"}, "urban", "rural"),  # a townsman's fault at his village plot
        ({}, "remote", "remote"),
        ({"area_class": "suburban"}, "rural", "rural"),  # not a class: the record's
        ({"area_class": 3}, None, "urban"),
        (None, None, "urban"),
        ({}, "nowhere", "urban"),
    ],
)
def test_ticket_area_class(fields: dict[str, object] | None, customer_area: str | None, expected: str) -> None:
    assert ticket_area_class(fields, customer_area) == expected


def test_promised_deadline_times_an_anonymous_rural_call_by_its_form(calendar: WorkingCalendar) -> None:
    accepted = datetime(2026, 2, 17, 3, 0, tzinfo=SHANGHAI)
    result = promised_deadline(REPAIR_ARRIVAL, accepted, fields={"area_class": "rural"}, calendar=calendar)
    assert result.due_at == accepted + timedelta(minutes=90)
    assert promised_deadline(REPAIR_ARRIVAL, accepted, fields={}, calendar=calendar).due_at == accepted + timedelta(
        minutes=45)


def test_overdue_from_is_the_first_overdue_instant() -> None:
    due = datetime(2026, 3, 9, 23, 59, 59, 999999, tzinfo=SHANGHAI)
    limit = Deadline(due_at=due, warn_at=due - timedelta(days=1), provisional=False)
    turn = overdue_from(due)
    assert sla_state(limit, turn) is SlaState.OVERDUE
    assert sla_state(limit, turn - timedelta(microseconds=1)) is SlaState.WARNING
