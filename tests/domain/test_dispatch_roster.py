"""Rosters on the office calendar: one rule for the desk's board and the server's re-check."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from domain.calendar import WorkingCalendar
from domain.dispatch.roster import roster_shifts, surveyor_from_record, works_on
from domain.records import LeavePeriod, Surveyor
from domain.sla import OFFICE_ZONE

CALENDAR = WorkingCalendar.default()


def roster(**changes: object) -> Surveyor:
    return Surveyor.model_validate({"id": "s1", "office_id": "o1", "name": "测量员"} | changes)


def test_the_office_calendar_decides_holidays_and_make_up_days() -> None:
    weekdays, weekends = roster(), roster(work_days=[5, 6])
    assert not works_on(weekdays, date(2025, 4, 4), CALENDAR)  # 清明, a Friday
    assert works_on(weekdays, date(2025, 4, 27), CALENDAR)  # the Sunday made up for 劳动节
    assert not works_on(weekdays, date(2025, 3, 8), CALENDAR)  # a plain Saturday
    assert works_on(weekends, date(2025, 3, 8), CALENDAR) and not works_on(weekends, date(2025, 3, 4), CALENDAR)
    assert not works_on(weekends, date(2025, 4, 5), CALENDAR)  # a weekend inside the holiday
    assert works_on(weekdays, date(2025, 4, 4), None)  # no calendar: the weekday rule


def test_shifts_are_in_the_office_zone_and_may_run_overnight() -> None:
    night = roster(shift_start=time(22, 0), shift_end=time(6, 0), work_days=[0])
    (shift,) = roster_shifts(night, [date(2025, 3, 3), date(2025, 3, 4)], CALENDAR)  # Monday, Tuesday
    assert shift == (datetime(2025, 3, 3, 22, tzinfo=OFFICE_ZONE), datetime(2025, 3, 4, 6, tzinfo=OFFICE_ZONE))


def test_the_dispatch_view_keeps_leave_and_drops_empty_periods() -> None:
    away = LeavePeriod(start=datetime(2025, 3, 4, 1, tzinfo=UTC), end=datetime(2025, 3, 4, 5, tzinfo=UTC))
    empty = LeavePeriod(start=datetime(2025, 3, 5, 1, tzinfo=UTC), end=datetime(2025, 3, 5, 1, tzinfo=UTC))
    surveyor = surveyor_from_record(roster(leave=[away, empty], speed_kmh=45.0), [date(2025, 3, 4)], CALENDAR)
    assert surveyor.leave == ((away.start, away.end),)
    assert surveyor.speed_kmh == 45.0 and len(surveyor.shifts) == 1
