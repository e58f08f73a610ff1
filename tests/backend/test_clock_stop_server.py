"""The server honours a stopped clock (the ticket's clock-stop stage done, e.g. a repair's 到达现场):
the efficiency overview's overdue backlog does not count it by its own deadline (the desk's 超时 list,
by domain.sla.ticket_clock), and demo seeding arms no ticket timer for it. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from backend.bulk import bulk_insert
from backend.db.engine import Database, open_database
from backend.db.migrate import upgrade
from backend.db.ops_tables import SlaTimer
from backend.db.records import StageTaskRow, TicketRow
from backend.efficiency.api import overdue_backlog
from backend.seeding import _arm_timers, seed_demo
from backend.settings import database_url
from domain import sla, ticket_rules
from domain.catalogue import load_catalogue
from domain.records import Office, Record, StageTask, Ticket
from tests.harness.databases import new_database

NOW = datetime(2026, 12, 7, 6, 30, tzinfo=UTC)
OFFICE = "county-x"
STOP_STAGES = sla.clock_stop_stages(load_catalogue())


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with new_database(str(request.param), tmp_path) as db:
        url = database_url(db)
        upgrade(url)
        opened = open_database(url)
        try:
            yield opened
        finally:
            opened.dispose()


def _repair(n: int, *, arrived: timedelta | None, arrive_state: str = "done",
            repair_due: timedelta | None = None) -> list[Record]:
    """A repair due three hours and twenty-five minutes ago; its 到达现场 done `arrived` after acceptance."""
    accepted = NOW - timedelta(hours=4, minutes=25)
    due = accepted + timedelta(minutes=60)
    ticket = Ticket(id=f"t-{n}", office_id=OFFICE, number=f"GD2026120700{n:04d}", type_code="repair",
                    channel="hotline", state="in_progress", accepted_at=accepted, due_at=due,
                    warn_at=accepted + timedelta(minutes=48))
    arrive = StageTask(id=f"t-{n}-arrive", office_id=OFFICE, ticket_id=ticket.id, stage_code="arrive",
                       department="operations", state=arrive_state, opened_at=accepted,
                       completed_at=accepted + arrived if arrived is not None and arrive_state == "done" else None)
    repair = StageTask(id=f"t-{n}-repair", office_id=OFFICE, ticket_id=ticket.id, stage_code="repair",
                       department="operations", state="open", opened_at=accepted,
                       due_at=NOW + repair_due if repair_due is not None else None,
                       warn_at=NOW + repair_due if repair_due is not None else None)
    return [ticket, arrive, repair]


def _rows(database: Database) -> list[Record]:
    rows: list[Record] = [Office(id=OFFICE, office_id=OFFICE, code=OFFICE, name="X", prefecture="")]
    rows += _repair(1, arrived=timedelta(minutes=40))  # arrived on time: stopped, not overdue work
    rows += _repair(2, arrived=timedelta(minutes=75))  # arrived late: stopped too
    rows += _repair(3, arrived=None, arrive_state="taken")  # still on the way: overdue
    rows += _repair(4, arrived=timedelta(minutes=40), repair_due=-timedelta(minutes=5))  # its 抢修 stage is late
    rows += _repair(5, arrived=timedelta(minutes=40), arrive_state="cancelled")  # a cancelled arrival stops nothing
    with database.write() as session:
        bulk_insert(session, rows, NOW)
    return rows


def test_the_backlog_leaves_out_tickets_whose_clock_has_stopped(database: Database) -> None:
    rows = _rows(database)
    with database.read() as session:
        found = overdue_backlog(session, [OFFICE], NOW)[OFFICE]
    assert sorted(found.ticket_ids) == ["t-3", "t-4", "t-5"]
    # the same as domain.sla says, ticket by ticket
    tasks = [r for r in rows if isinstance(r, StageTask)]
    expected = []
    for ticket in (r for r in rows if isinstance(r, Ticket)):
        mine = [t for t in tasks if t.ticket_id == ticket.id]
        assert ticket.due_at is not None and ticket.warn_at is not None
        clock = sla.ticket_clock(sla.Deadline(ticket.due_at, ticket.warn_at, False), NOW,
                                 sla.clock_stop(STOP_STAGES.get(ticket.type_code), mine))
        stages = [ticket_rules.stage_sla(t.state, t.due_at, t.warn_at, NOW) for t in mine]
        if sla.SlaState.OVERDUE in (clock.live_state, *stages):
            expected.append(ticket.id)
    assert sorted(found.ticket_ids) == sorted(expected) and found.count == len(expected)


def test_seeding_arms_no_ticket_timer_for_a_stopped_clock(database: Database) -> None:
    rows = _rows(database)
    data = SimpleNamespace(tickets=[r for r in rows if isinstance(r, Ticket)],
                           stage_tasks=[r for r in rows if isinstance(r, StageTask)])
    with database.write() as session:
        _arm_timers(session, data)
    with database.read() as session:
        armed = {(t.entity, t.entity_id) for t in session.execute(select(SlaTimer)).scalars()}
    assert {entity_id for entity, entity_id in armed if entity == "ticket"} == {"t-3", "t-5"}
    assert ("stage_task", "t-4-repair") in armed  # an open stage keeps its own timers


def test_the_seeded_demo_has_no_ticket_timer_for_a_ticket_whose_clock_has_stopped(tmp_path: Path) -> None:
    url = database_url(str(tmp_path / "demo.db"))
    upgrade(url)
    assert seed_demo(url, seed=7, customers_per_office=40).startswith("loaded")
    database = open_database(url)
    try:
        with database.read() as session:
            timers = {t.entity_id for t in session.execute(
                select(SlaTimer).where(SlaTimer.entity == "ticket", SlaTimer.cancelled.is_(False))).scalars()}
            tickets = {t.id: t for t in session.execute(select(TicketRow)).scalars()}
            tasks: dict[str, list[StageTaskRow]] = {}
            for task in session.execute(select(StageTaskRow)).scalars():
                tasks.setdefault(task.ticket_id, []).append(task)
    finally:
        database.dispose()
    stopped = {ticket_id for ticket_id, ticket in tickets.items() if ticket_rules.is_open(ticket)
               and sla.clock_stop(STOP_STAGES.get(ticket.type_code), tasks.get(ticket_id, ())) is not None}
    assert stopped, "the demo has open tickets whose clock-stop stage is done"
    assert timers and not timers & stopped
