"""A surveyor's roster on the office calendar: which days they work, their shifts, and the
dispatch view of a surveyor record. One rule for the desk's board and the server's re-check."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from domain.calendar import WorkingCalendar
from domain.dispatch.models import Surveyor
from domain.records import Surveyor as SurveyorRecord
from domain.sla import OFFICE_ZONE


def works_on(record: SurveyorRecord, day: date, calendar: WorkingCalendar | None) -> bool:
    """On the roster that day: 调休 make-up days count as weekdays, public holidays are off."""
    weekday = day.weekday()
    if calendar is None:
        return weekday in record.work_days
    if calendar.is_working_day(day):
        return weekday in record.work_days or (weekday >= 5 and any(d < 5 for d in record.work_days))
    if calendar.holiday_name(day) is not None:
        return False
    return weekday in record.work_days  # a weekend on a roster that includes it


def roster_shifts(
    record: SurveyorRecord, days: Iterable[date], calendar: WorkingCalendar | None
) -> list[tuple[datetime, datetime]]:
    """The shift on each rostered day, in the office's zone; a shift ending before it starts runs overnight."""
    overnight = timedelta(days=1) if record.shift_end <= record.shift_start else timedelta(0)
    return [
        (datetime.combine(d, record.shift_start, OFFICE_ZONE), datetime.combine(d, record.shift_end, OFFICE_ZONE) + overnight)
        for d in days
        if works_on(record, d, calendar)
    ]


def surveyor_from_record(record: SurveyorRecord, days: Iterable[date], calendar: WorkingCalendar | None) -> Surveyor:
    """The dispatch view of a synced surveyor over `days`: roster shifts, leave, capacity, speed."""
    return Surveyor(
        id=record.id, name=record.name, territories=frozenset(record.territories), skills=frozenset(record.skills),
        home_base=(record.home_x_km, record.home_y_km), shifts=roster_shifts(record, days, calendar),
        daily_capacity=record.daily_capacity, leave=[(p.start, p.end) for p in record.leave if p.end > p.start],
        speed_kmh=record.speed_kmh,
    )
