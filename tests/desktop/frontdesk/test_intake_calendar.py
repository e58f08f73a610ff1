"""The desk counts working-day deadlines on the office calendar as synced, not on the shipped one (issue 14)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pytestqt.qtbot import QtBot

from desktop.frontdesk import FrontDesk
from domain.calendar import WorkingCalendar
from domain.sync import CALENDAR_SCOPE, Change, PullPage
from local_store import Store
from tests.desktop.support import OFFSCREEN_NOISE

from .conftest import open_card
from .test_intake import COMPLAINT, accept, fill, start_intake

pytestmark = OFFSCREEN_NOISE
CLOSED = date(2025, 3, 10)  # the office closes on the Monday the complaint would be due


def calendar_rows_of_2025(*changed: tuple[date, bool, str]) -> list[dict[str, Any]]:
    """The server's calendar_day rows for 2025 (the shipped notice), with `changed` days over them."""
    records = WorkingCalendar.default().to_records()
    days = {d: (False, name) for d, name in records.holidays if d.year == 2025}
    days |= {d: (True, "调休上班") for d in records.workdays if d.year == 2025}
    days |= {d: (working, name) for d, working, name in changed}
    return [{"id": f"cal-{d.isoformat()}", "office_id": "*", "version": 1, "day": d.isoformat(), "working": working,
             "name": name} for d, (working, name) in sorted(days.items())]


def sync_calendar(store: Store, rows: list[dict[str, Any]]) -> None:
    store.apply_pull_page(PullPage(
        scope=CALENDAR_SCOPE,
        changes=[Change(seq=i + 1, entity="calendar_day", id=row["id"], kind="upsert", version=1, data=row)
                 for i, row in enumerate(rows)],
        cursor=len(rows), has_more=False,
    ))


def test_the_receipt_and_the_card_count_on_the_synced_calendar(qtbot: QtBot, desk: FrontDesk, store: Store) -> None:
    assert WorkingCalendar.default().add_working_days(date(2025, 3, 3), 5) == CLOSED
    sync_calendar(store, calendar_rows_of_2025((CLOSED, False, "办公楼停电检修")))
    dialog = start_intake(qtbot, desk)
    dialog.form.select_type("complaint")
    fill(qtbot, dialog, COMPLAINT)
    accept(qtbot, dialog)
    assert dialog.deadline is not None and not dialog.deadline.provisional
    assert dict(dialog.receipt(dialog.ticket).lines)["承诺办结时限："] == "2025-03-11 23:59"
    open_card(qtbot, desk, "cust-4")
    model = desk.card.tickets_model
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert model.index(0, model.DUE).data() == "2025-03-11 23:59"


def test_a_later_calendar_sync_reaches_the_next_ticket(store: Store) -> None:
    assert store.working_calendar() == WorkingCalendar.default()
    sync_calendar(store, calendar_rows_of_2025((CLOSED, False, "办公楼停电检修")))
    assert not store.working_calendar().is_working_day(CLOSED)
    assert store.working_calendar().holiday_name(CLOSED) == "办公楼停电检修"
