"""The working-day calendar against the official notices (as carried by chinesecalendar)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from chinese_calendar.constants import Holiday
from chinese_calendar.constants import holidays as package_holidays
from chinese_calendar.constants import workdays as package_workdays
from hypothesis import given
from hypothesis import strategies as st

from domain.calendar import WorkingCalendar
from domain.errors import InvalidInput


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar.default()


def _days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


@pytest.mark.parametrize("year", range(2004, 2027))
def test_every_day_matches_the_package(calendar: WorkingCalendar, year: int) -> None:
    mismatches = [d for d in _days_of(year) if calendar.is_working_day(d) != chinese_calendar.is_workday(d)]
    assert mismatches == []
    assert not any(calendar.is_provisional(d) for d in _days_of(year))


def test_packaged_records_equal_the_package(calendar: WorkingCalendar) -> None:
    records = calendar.to_records()
    expected_holidays = tuple((d, Holiday(name).chinese) for d, name in sorted(package_holidays.items()))
    assert records.holidays == expected_holidays
    assert records.workdays == tuple(sorted(package_workdays))
    assert records.years == tuple(range(2004, 2027))
    assert calendar.known_years == tuple(range(2004, 2027))


@pytest.mark.parametrize("sunday", [date(2024, 2, 4), date(2025, 1, 26), date(2026, 1, 4)])
def test_make_up_sunday_is_a_working_day(calendar: WorkingCalendar, sunday: date) -> None:
    assert sunday.weekday() == 6
    assert chinese_calendar.is_workday(sunday)
    assert calendar.is_working_day(sunday)


def test_make_up_saturday_and_weekday_holiday(calendar: WorkingCalendar) -> None:
    saturday = date(2026, 2, 14)
    assert saturday.weekday() == 5 and chinese_calendar.is_workday(saturday)
    assert calendar.is_working_day(saturday)
    assert not calendar.is_working_day(date(2026, 2, 16))  # Monday of the 2026 Spring Festival
    assert calendar.holiday_name(date(2026, 2, 16)) == "春节"
    assert calendar.holiday_name(date(2026, 2, 24)) is None


def test_five_working_days_across_the_2026_spring_festival(calendar: WorkingCalendar) -> None:
    # Accepted Fri 13 Feb: Sat 14 (调休) is day 1, 15–23 Feb are holidays, then 24, 25, 26, 27.
    assert calendar.add_working_days(date(2026, 2, 13), 5) == date(2026, 2, 27)
    assert chinese_calendar.find_workday(5, date(2026, 2, 13)) == date(2026, 2, 27)
    assert calendar.working_days_between(date(2026, 2, 13), date(2026, 2, 27)) == 5


def test_day_of_acceptance_is_not_counted(calendar: WorkingCalendar) -> None:
    monday = date(2025, 3, 3)
    assert calendar.add_working_days(monday, 0) == monday
    assert calendar.add_working_days(monday, 1) == date(2025, 3, 4)
    assert calendar.add_working_days(date(2025, 3, 7), 1) == date(2025, 3, 10)  # Friday → Monday
    assert calendar.add_working_days(date(2025, 3, 8), 1) == date(2025, 3, 10)  # Saturday → Monday


def test_negative_working_days_are_refused(calendar: WorkingCalendar) -> None:
    with pytest.raises(InvalidInput) as caught:
        calendar.add_working_days(date(2025, 3, 3), -1)
    assert caught.value.field == "n"


def test_uncovered_year_uses_weekdays_and_is_provisional(calendar: WorkingCalendar) -> None:
    new_year_2027 = date(2027, 1, 1)  # a Friday, surely a holiday, but no notice yet
    assert calendar.is_provisional(new_year_2027)
    assert calendar.is_working_day(new_year_2027)
    assert not calendar.is_working_day(date(2027, 1, 2))
    assert calendar.add_working_days(date(2026, 12, 30), 5) == date(2027, 1, 6)
    assert calendar.is_provisional(date(2003, 6, 2)) and calendar.is_working_day(date(2003, 6, 2))
    assert calendar.any_provisional(date(2026, 12, 31), date(2027, 1, 1))
    assert not calendar.any_provisional(date(2026, 1, 1), date(2026, 12, 31))


def test_extend_year_adds_a_notice_without_changing_the_original(calendar: WorkingCalendar) -> None:
    extended = calendar.extend_year(2027, [(date(2027, 1, 1), "元旦")], [])
    assert extended.known_years[-1] == 2027
    assert not extended.is_provisional(date(2027, 1, 1))
    assert not extended.is_working_day(date(2027, 1, 1))
    assert extended.add_working_days(date(2026, 12, 30), 5) == date(2027, 1, 7)
    assert calendar.is_provisional(date(2027, 1, 1))  # the original is untouched
    assert calendar.add_working_days(date(2026, 12, 30), 5) == date(2027, 1, 6)


def test_extend_year_replaces_a_known_year() -> None:
    base = WorkingCalendar.from_records([(date(2030, 1, 1), "元旦")], [date(2030, 1, 5)], [2030, 2031])
    corrected = base.extend_year(2030, [(date(2030, 1, 2), "元旦")], [])
    assert corrected.is_working_day(date(2030, 1, 1))
    assert not corrected.is_working_day(date(2030, 1, 2))
    assert not corrected.is_working_day(date(2030, 1, 5))  # the old make-up Saturday is gone
    assert corrected.known_years == (2030, 2031)


def test_records_round_trip(calendar: WorkingCalendar) -> None:
    records = calendar.to_records()
    rebuilt = WorkingCalendar.from_records(records.holidays, records.workdays, records.years)
    assert rebuilt == calendar
    assert rebuilt != calendar.extend_year(2027, [], [])


@pytest.mark.parametrize(
    ("holidays", "workdays", "years", "field"),
    [
        ([(date(2030, 1, 1), "元旦")], [], [2031], "holidays"),
        ([], [date(2030, 1, 5)], [2031], "workdays"),
        ([], [date(2030, 1, 7)], [2030], "workdays"),  # a Monday cannot be a make-up working day
        ([(date(2030, 1, 5), "元旦")], [date(2030, 1, 5)], [2030], "workdays"),
        ([(date(2030, 1, 1), "元旦"), (date(2030, 1, 1), "春节")], [], [2030], "holidays"),
        ([(date(2030, 1, 1), " ")], [], [2030], "holidays"),
        ([], [], [0], "years"),
    ],
)
def test_inconsistent_records_are_refused(
    holidays: list[tuple[date, str]], workdays: list[date], years: list[int], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        WorkingCalendar.from_records(holidays, workdays, years)
    assert caught.value.field == field


def test_extend_year_refuses_records_of_another_year(calendar: WorkingCalendar) -> None:
    with pytest.raises(InvalidInput):
        calendar.extend_year(2027, [(date(2028, 1, 1), "元旦")], [])


def test_default_is_loaded_once() -> None:
    assert WorkingCalendar.default() is WorkingCalendar.default()


def test_runtime_does_not_import_chinesecalendar() -> None:
    code = (
        "import sys\n"
        "from domain.calendar import WorkingCalendar\n"
        "import domain.sla\n"
        "WorkingCalendar.default().is_working_day(__import__('datetime').date(2026, 2, 14))\n"
        "assert 'chinese_calendar' not in sys.modules, 'chinese_calendar was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


covered_or_not = st.dates(min_value=date(2002, 1, 1), max_value=date(2028, 12, 31))


@given(start=covered_or_not, n=st.integers(min_value=0, max_value=120))
def test_add_working_days_is_strictly_monotonic_and_lands_on_working_days(start: date, n: int) -> None:
    calendar = WorkingCalendar.default()
    end = calendar.add_working_days(start, n)
    following = calendar.add_working_days(start, n + 1)
    assert following > end >= start
    assert calendar.is_working_day(following)
    if n >= 1:
        assert calendar.is_working_day(end)
    assert calendar.working_days_between(start, end) == n
    assert calendar.working_days_between(end, start) == -n


# ---- a datetime is the day it shows (issue 14: holidays were silently ignored) ----------------------

def test_a_datetime_start_counts_holidays(calendar: WorkingCalendar) -> None:
    # Friday before the 2026 Spring Festival: 14 Feb (Sat) is a make-up day, 15–23 Feb are off.
    assert calendar.add_working_days(datetime(2026, 2, 13, 16, 30), 5) == date(2026, 2, 27)
    assert calendar.add_working_days(datetime(2026, 2, 13, 16, 30), 5) == calendar.add_working_days(
        date(2026, 2, 13), 5)


def test_every_method_treats_a_datetime_as_its_day(calendar: WorkingCalendar) -> None:
    holiday = datetime(2026, 2, 16, 9, 0)
    assert not calendar.is_working_day(holiday)
    assert calendar.holiday_name(holiday) == "春节"
    assert calendar.is_working_day(datetime(2026, 2, 14, 8, 0))  # make-up Saturday
    assert calendar.working_days_between(datetime(2026, 2, 13, 23, 0), datetime(2026, 2, 27, 1, 0)) == 5
    assert not calendar.is_provisional(datetime(2026, 12, 31, 23, 59))


@given(st.datetimes(min_value=datetime(2004, 1, 1), max_value=datetime(2026, 11, 30)), st.integers(0, 40))
def test_datetime_and_date_agree(moment: datetime, n: int) -> None:
    calendar = WorkingCalendar.default()
    assert calendar.add_working_days(moment, n) == calendar.add_working_days(moment.date(), n)
    assert calendar.is_working_day(moment) == calendar.is_working_day(moment.date())


def test_records_given_as_datetimes_are_days() -> None:
    calendar = WorkingCalendar.from_records([(datetime(2030, 1, 2, 12, 0), "假")], [datetime(2030, 1, 5, 8, 0)], [2030])
    assert not calendar.is_working_day(date(2030, 1, 2))
    assert calendar.is_working_day(date(2030, 1, 5))


def test_a_non_date_is_refused(calendar: WorkingCalendar) -> None:
    with pytest.raises(InvalidInput):
        calendar.is_working_day("2026-02-16")  # type: ignore[arg-type]


# ---- the synced calendar rows ---------------------------------------------------------------------

@dataclass(frozen=True)
class _Row:
    day: date
    working: bool
    name: str | None


def _rows_of(calendar: WorkingCalendar) -> list[_Row]:
    records = calendar.to_records()
    return [_Row(d, False, n) for d, n in records.holidays] + [_Row(d, True, "调休上班") for d in records.workdays]


def test_the_shipped_rows_rebuild_the_shipped_calendar(calendar: WorkingCalendar) -> None:
    assert calendar.with_days(_rows_of(calendar)) == calendar
    assert calendar.with_days([]) == calendar


def test_a_changed_row_changes_its_year_only(calendar: WorkingCalendar) -> None:
    rows = _rows_of(calendar) + [_Row(date(2026, 3, 4), False, "office closure")]
    changed = calendar.with_days(rows)
    assert not changed.is_working_day(date(2026, 3, 4))
    assert changed.holiday_name(date(2026, 3, 4)) == "office closure"
    assert changed.add_working_days(date(2026, 3, 3), 1) == date(2026, 3, 5)
    assert all(changed.is_working_day(d) == calendar.is_working_day(d) for d in _days_of(2025))
    # a holiday turned back into a working day
    assert not calendar.is_working_day(date(2026, 10, 7))
    back = calendar.with_days([r if r.day != date(2026, 10, 7) else _Row(r.day, True, None) for r in rows])
    assert back.is_working_day(date(2026, 10, 7))


def test_rows_for_a_new_year_end_its_provisional_days(calendar: WorkingCalendar) -> None:
    extended = calendar.with_days([_Row(date(2027, 1, 1), False, "元旦"), _Row(date(2027, 1, 2), False, " ")])
    assert 2027 in extended.known_years and not extended.is_provisional(date(2027, 5, 5))
    assert extended.holiday_name(date(2027, 1, 2)) == "休息日"
