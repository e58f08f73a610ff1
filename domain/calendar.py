"""The working-day calendar: which days count toward a working-day time limit.

Chinese public holidays come with make-up working days on weekends (调休), so a
working day is: a make-up working day, or a Monday–Friday that is not a holiday.
The calendar is data (one notice per year) that the backend owns, an admin can
extend, and desks receive by sync. For a year it has no notice for, the weekday
rule is used and every such day is flagged provisional — never an exception.

Every method takes dates; a `datetime` counts as the calendar day it shows (its own
`.date()`), so a caller holding an acceptance time converts it to the office's zone
first (`domain.sla` does). Comparing a datetime with the stored dates directly would
never match, and every holiday would silently count as a working day.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Protocol

from domain.errors import CatalogueError, InvalidInput

DATA_PACKAGE = "resources.calendar"
DATA_FILE = "cn_workdays.json"
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class CalendarRecords:
    """The calendar as plain records, for storage and sync; `from_records(**vars(r))` rebuilds it."""

    holidays: tuple[tuple[date, str], ...]
    workdays: tuple[date, ...]
    years: tuple[int, ...]


class CalendarDayLike(Protocol):
    """One stored calendar day (the synced `calendar_day` row): a holiday or a working day."""

    @property
    def day(self) -> date: ...
    @property
    def working(self) -> bool: ...
    @property
    def name(self) -> str | None: ...


class WorkingCalendar:
    """An immutable working-day calendar built from holiday and make-up working-day records."""

    __slots__ = ("_holidays", "_workdays", "_years")

    def __init__(self, holidays: Mapping[date, str], workdays: frozenset[date], years: frozenset[int]) -> None:
        self._holidays: Mapping[date, str] = MappingProxyType(dict(holidays))
        self._workdays = workdays
        self._years = years

    @classmethod
    def from_records(
        cls, holidays: Iterable[tuple[date, str]], workdays: Iterable[date], years: Iterable[int]
    ) -> WorkingCalendar:
        """Build a calendar; `years` are the years whose notices the records fully cover."""
        covered = frozenset(years)
        for year in covered:
            if not 1900 <= year <= 9998:
                raise InvalidInput(f"日历年份无效：{year}", f"invalid calendar year: {year}", field="years")
        holiday_names: dict[date, str] = {}
        for given, name in holidays:
            day = _day(given)
            _check_in_years(day, covered, "holidays")
            if not name.strip():
                raise InvalidInput(f"节假日 {day} 缺少名称", f"holiday {day} has no name", field="holidays")
            if holiday_names.get(day, name) != name:
                raise InvalidInput(
                    f"节假日 {day} 有两个名称", f"holiday {day} is given two names", field="holidays"
                )
            holiday_names[day] = name
        makeup = frozenset(_day(day) for day in workdays)
        for day in makeup:
            _check_in_years(day, covered, "workdays")
            if day.weekday() < 5:
                raise InvalidInput(
                    f"调休上班日 {day} 不是周末", f"make-up working day {day} is not a weekend day", field="workdays"
                )
            if day in holiday_names:
                raise InvalidInput(
                    f"{day} 既是节假日又是调休上班日",
                    f"{day} is both a holiday and a make-up working day",
                    field="workdays",
                )
        return cls(holiday_names, makeup, covered)

    @classmethod
    def default(cls) -> WorkingCalendar:
        """The calendar shipped with the application (the State Council notices), loaded once."""
        return _load_packaged()

    def extend_year(self, year: int, holidays: Iterable[tuple[date, str]], workdays: Iterable[date]) -> WorkingCalendar:
        """Return a calendar with `year` set to this notice; an existing year is replaced (a correction)."""
        new_year = WorkingCalendar.from_records(holidays, workdays, [year])
        kept_holidays = {day: name for day, name in self._holidays.items() if day.year != year}
        kept_workdays = {day for day in self._workdays if day.year != year}
        return WorkingCalendar(
            {**kept_holidays, **new_year._holidays},
            frozenset(kept_workdays | new_year._workdays),
            self._years | {year},
        )

    def with_days(self, days: Iterable[CalendarDayLike]) -> WorkingCalendar:
        """This calendar with every year the stored days mention set to those days.

        The backend and the desk both build their calendar this way from the same synced
        `calendar_day` rows, so a deadline is the same on either side of the wire.
        """
        by_year: dict[int, list[CalendarDayLike]] = {}
        for row in days:
            by_year.setdefault(_day(row.day).year, []).append(row)
        calendar = self
        for year, rows in sorted(by_year.items()):
            if year in calendar._years and all(calendar.is_working_day(r.day) == r.working for r in rows):
                continue
            calendar = calendar.extend_year(
                year,
                [(r.day, (r.name or "").strip() or "休息日") for r in rows if not r.working],
                [r.day for r in rows if r.working and _day(r.day).weekday() >= 5],
            )
        return calendar

    @property
    def known_years(self) -> tuple[int, ...]:
        """The years covered by an official notice, ascending."""
        return tuple(sorted(self._years))

    def is_provisional(self, day: date) -> bool:
        """True when no notice covers the day's year, so the weekday rule was guessed."""
        return _day(day).year not in self._years

    def any_provisional(self, first: date, last: date) -> bool:
        """True when any day from `first` to `last` (inclusive) is provisional."""
        return any(year not in self._years for year in range(_day(first).year, _day(last).year + 1))

    def is_working_day(self, day: date) -> bool:
        day = _day(day)
        if day in self._workdays:
            return True
        return day.weekday() < 5 and day not in self._holidays

    def holiday_name(self, day: date) -> str | None:
        """The holiday's name (e.g. 春节) when `day` is an official holiday, else None."""
        return self._holidays.get(_day(day))

    def add_working_days(self, start: date, n: int) -> date:
        """The N-th working day after `start`; the day of acceptance is never counted; n=0 gives `start`."""
        if n < 0:
            raise InvalidInput("工作日数不能为负数", "the number of working days cannot be negative", field="n")
        day = _day(start)
        counted = 0
        while counted < n:
            day += _ONE_DAY
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]: the inverse of add_working_days; negative when b is before a."""
        a, b = _day(a), _day(b)
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        day = a
        while day < b:
            day += _ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count

    def to_records(self) -> CalendarRecords:
        return CalendarRecords(
            holidays=tuple(sorted(self._holidays.items())),
            workdays=tuple(sorted(self._workdays)),
            years=self.known_years,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkingCalendar):
            return NotImplemented
        return self.to_records() == other.to_records()

    def __hash__(self) -> int:
        return hash(self.to_records())

    def __repr__(self) -> str:
        years = self.known_years
        span = f"{years[0]}..{years[-1]}" if years else "none"
        return f"WorkingCalendar(years={span}, holidays={len(self._holidays)}, workdays={len(self._workdays)})"


def _day(value: date) -> date:
    """The calendar day of a date or datetime (a datetime never equals the date it falls on)."""
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise InvalidInput(f"不是日期：{value!r}", f"not a date: {value!r}", field="day")
    return value


def _check_in_years(day: date, years: frozenset[int], field: str) -> None:
    if day.year not in years:
        raise InvalidInput(
            f"{day} 不在所列年份内", f"{day} is outside the years the records cover", field=field
        )


@cache
def _load_packaged() -> WorkingCalendar:
    text = files(DATA_PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8")
    try:
        document = json.loads(text)
        holidays = [(date.fromisoformat(row["date"]), str(row["name"])) for row in document["holidays"]]
        workdays = [date.fromisoformat(row["date"]) for row in document["workdays"]]
        years = [int(year) for year in document["years"]]
        return WorkingCalendar.from_records(holidays, workdays, years)
    except (ValueError, KeyError, TypeError) as error:
        raise CatalogueError(
            f"日历数据 {DATA_FILE} 有误：{error}", f"calendar data {DATA_FILE} is invalid: {error}"
        ) from error
