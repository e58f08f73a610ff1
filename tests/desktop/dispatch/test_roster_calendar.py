"""The dispatch board rosters surveyors on the office calendar as synced: the one the server re-checks on."""

from __future__ import annotations

from datetime import date

from desktop.dispatch.data import DispatchData
from domain.calendar import WorkingCalendar
from domain.sync import CALENDAR_SCOPE, Change, PullPage
from local_store import Store
from tests.desktop.dispatch.conftest import NOW, OFFICE, Server, surveyor_data

TUESDAY = date(2025, 3, 4)
CLOSED = date(2025, 3, 5)  # the office declares the Wednesday a day off


def sync_calendar_with(store: Store, day: date, name: str) -> None:
    records = WorkingCalendar.default().to_records()
    days = {d: (False, n) for d, n in records.holidays if d.year == 2025}
    days |= {d: (True, "调休上班") for d in records.workdays if d.year == 2025}
    days[day] = (False, name)
    rows = [{"id": f"cal-{d.isoformat()}", "office_id": "*", "version": 1, "day": d.isoformat(), "working": w,
             "name": n} for d, (w, n) in sorted(days.items())]
    store.apply_pull_page(PullPage(
        scope=CALENDAR_SCOPE, cursor=len(rows), has_more=False,
        changes=[Change(seq=i + 1, entity="calendar_day", id=r["id"], kind="upsert", version=1, data=r)
                 for i, r in enumerate(rows)],
    ))


def test_a_synced_day_off_takes_the_surveyors_off_the_board(store: Store, server: Server) -> None:
    server.send(("surveyor", surveyor_data(0, skills=["low_voltage"])))
    board = DispatchData(store, OFFICE, clock=lambda: NOW)
    on_shift = {start.date() for start, _ in board.load_day(TUESDAY).surveyors[0].shifts}
    assert CLOSED in on_shift
    sync_calendar_with(store, CLOSED, "办公楼停电检修")
    on_shift = {start.date() for start, _ in board.load_day(TUESDAY).surveyors[0].shifts}
    assert CLOSED not in on_shift and TUESDAY in on_shift
