"""An office's calendar change reaches the desk's deadlines with the next sync (issue 14).

The desk used to sync calendar rows and never read them: offline deadlines and receipts were
counted on the shipped calendar while the server counted on its own rows.
"""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, date, datetime
from pathlib import Path

from backend.db.engine import open_database
from backend.settings import database_url
from backend.store import Writer
from desktop.frontdesk.deadlines import ticket_deadline
from desktop.sync.backoff import Backoff
from desktop.sync.client import ApiClient
from desktop.sync.engine import SyncEngine
from domain import sla
from domain.calendar import WorkingCalendar
from local_store import Store
from tests.e2e.harness import PASSWORD, Backend, create_users

KEY = bytes(range(32))
# Friday before Qingming 2026 (4–6 April off), 10:00 in the office's zone.
ACCEPTED = datetime(2026, 4, 3, 2, 0, tzinfo=UTC)
_offices = itertools.count(1)


def change_server_calendar(backend: Backend, day: date, *, working: bool) -> None:
    """What an admin's calendar edit does on the server: the row changes and enters the calendar scope's log."""
    database = open_database(database_url(str(backend.db)))
    try:
        with database.write() as session:
            writer = Writer(session, datetime.now(UTC))
            row = writer.get("calendar_day", f"cal-{day.isoformat()}")
            assert row is not None, "the shipped calendar is stored as rows"
            writer.update("calendar_day", row, {"working": working, "name": "调休上班" if working else "休息日"})
            writer.finish()
    finally:
        database.dispose()


def test_a_server_calendar_change_moves_the_desks_deadline(backend: Backend, tmp_path: Path) -> None:
    office = f"calendar-office-{next(_offices)}"
    create_users(backend.db, office, f"{office}-clerk")
    shipped = WorkingCalendar.default()
    assert shipped.add_working_days(date(2026, 4, 3), 1) == date(2026, 4, 7)
    backend.set_clock(ACCEPTED.isoformat())

    async def main() -> None:
        store = Store.open(tmp_path / "desk.db", KEY, clock=lambda: ACCEPTED)
        client = ApiClient(backend.url)
        try:
            session = await client.login(f"{office}-clerk", PASSWORD, store.client_id)
            engine = SyncEngine(store, client, scopes=session.scopes, clock=lambda: ACCEPTED,
                                backoff=Backoff(base=0.01, cap=0.1))
            await engine.sync_once()
            assert store.working_calendar() == shipped  # the rows the server seeded are the shipped calendar

            # The office works Qingming Monday (6 April): the server's calendar row changes.
            change_server_calendar(backend, date(2026, 4, 6), working=True)
            await engine.sync_once()

            ticket = store.accept_ticket(type_code="enquiry", channel="hall", office_id=office, summary="电价",
                                         fields={"enquiry_topic": "tariff", "content": "电价多少"})
            on_desk = ticket_deadline(ticket, store.catalogue, store.working_calendar())
            assert on_desk is not None
            assert (await engine.sync_once()).applied == 1
            synced = store.ticket(ticket.id)
            assert synced is not None and synced.due_at is not None and synced.number
            on_server = sla.Deadline(due_at=synced.due_at, warn_at=synced.warn_at or synced.due_at,
                                     provisional=synced.deadline_provisional)
            assert on_desk == on_server
            assert on_server.due_at.astimezone(sla.OFFICE_ZONE).date() == date(2026, 4, 6)
        finally:
            await client.aclose()
            store.close()

    asyncio.run(main())
