"""The desk's working calendar, built from the synced calendar_day rows by the server's own rule.

The server counts working-day deadlines on `WorkingCalendar.default().with_days(rows)`; the
desk builds the same from the same rows, so an office's calendar change reaches offline
deadlines and receipts with the next sync instead of only the server's.
"""

from __future__ import annotations

from sqlalchemy import func, select

from domain.calendar import WorkingCalendar
from domain.records import CalendarDay
from domain.sync import CALENDAR_SCOPE
from local_store.base import StoreBase
from local_store.rows import row_to_record
from local_store.schema import ENTITY_TABLES, sync_scope

_calendar_day = ENTITY_TABLES["calendar_day"]


class CalendarReads(StoreBase):
    # (calendar cursor, row count, calendar): rebuilt only when a pull or a resync moved the rows
    _calendar_held: tuple[int, int, WorkingCalendar] | None = None

    def working_calendar(self) -> WorkingCalendar:
        """The calendar this desk counts working-day deadlines on (the server's, as last synced)."""
        with self._read() as connection:
            cursor = connection.execute(
                select(sync_scope.c.cursor).where(sync_scope.c.scope == CALENDAR_SCOPE)
            ).scalar() or 0
            count = connection.execute(select(func.count()).select_from(_calendar_day)).scalar() or 0
            held = self._calendar_held
            if held is not None and held[:2] == (cursor, count):
                return held[2]
            days = [
                record for row in connection.execute(select(_calendar_day)).mappings()
                if isinstance(record := row_to_record("calendar_day", row), CalendarDay)
            ]
        calendar = WorkingCalendar.default().with_days(days)
        self._calendar_held = (cursor, count, calendar)
        return calendar
