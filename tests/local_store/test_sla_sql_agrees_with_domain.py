"""The queue's SQL form of the SLA rule (预警/超时 lists) says what domain.sla says, for every ticket and
stage-task state, every deadline shape (no due time, no warning point, a warning point after the due
time), the exact boundary instants, and a ticket's clock stopped by its clock-stop stage (domain.sla's
ticket_clock: a repair whose crew arrived is no longer warning or overdue work by its own deadline)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import product
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Integer, MetaData, Table, Text, create_engine, delete, insert, select
from sqlalchemy.engine import Connection

from domain import sla, ticket_rules
from domain.catalogue import load_catalogue
from domain.states import STAGE_TASK, TICKET
from local_store import Store, TicketFilters
from local_store.queue import clock_running_sql, sla_state_sql
from local_store.rows import iso_utc

from .conftest import OFFICE, page

NOW = datetime(2025, 3, 5, 8, 0, tzinfo=UTC)
TICK = timedelta(microseconds=1)
OFFSETS = (None, -TICK, timedelta(0), TICK)  # around NOW; None: the column is empty


def _at(offset: timedelta | None) -> datetime | None:
    return None if offset is None else NOW + offset


# ---- the SQL expression against domain.sla on arbitrary instants ---------------------------------

_rows = Table("deadline", MetaData(), Column("id", Integer, primary_key=True), Column("due_at", Text),
              Column("warn_at", Text))


@pytest.fixture(scope="module")
def sqlite() -> Iterator[Connection]:
    engine = create_engine("sqlite://")
    _rows.metadata.create_all(engine)
    with engine.connect() as connection:
        yield connection


def _sql_states(connection: Connection, due_at: datetime | None, warn_at: datetime | None,
                now: datetime) -> set[sla.SlaState]:
    connection.execute(delete(_rows))
    connection.execute(insert(_rows).values(id=1, due_at=iso_utc(due_at), warn_at=iso_utc(warn_at)))
    return {state for state in sla.SlaState
            if connection.execute(select(_rows.c.id).where(sla_state_sql(state, _rows.c.due_at, _rows.c.warn_at,
                                                                           now))).first() is not None}


instants = st.integers(min_value=-5, max_value=5).map(lambda n: NOW + n * TICK) | st.datetimes(
    min_value=datetime(2001, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC))


@settings(max_examples=300, deadline=None)
@given(due_at=st.none() | instants, warn_at=st.none() | instants, now=instants)
def test_the_sql_form_is_domain_slas_state(sqlite: Connection, due_at: datetime | None, warn_at: datetime | None,
                                           now: datetime) -> None:
    expected = ticket_rules.stage_sla("open", due_at, warn_at, now)
    assert _sql_states(sqlite, due_at, warn_at, now) == ({expected} if expected is not None else set())


# ---- the clock-stop SQL against domain.sla.ticket_clock on arbitrary tickets and stage tasks --------

STOP_STAGES = sla.clock_stop_stages(load_catalogue())
_clock_meta = MetaData()
_tickets = Table("ticket", _clock_meta, Column("id", Text, primary_key=True), Column("type_code", Text),
                 Column("due_at", Text), Column("warn_at", Text))
_tasks = Table("stage_task", _clock_meta, Column("id", Integer, primary_key=True), Column("ticket_id", Text),
               Column("stage_code", Text), Column("state", Text), Column("completed_at", Text))


@pytest.fixture(scope="module")
def clock_db() -> Iterator[Connection]:
    engine = create_engine("sqlite://")
    _clock_meta.create_all(engine)
    with engine.connect() as connection:
        yield connection


class _Task:
    def __init__(self, stage_code: str, state: str, completed_at: datetime | None) -> None:
        self.stage_code, self.state, self.completed_at = stage_code, state, completed_at


type_codes = st.sampled_from(sorted({*(t.code for t in load_catalogue().types), "no_such_type"}))
stage_codes = st.sampled_from(sorted({*STOP_STAGES.values(), "accept", "repair", "visit"}))
tasks = st.lists(st.tuples(stage_codes, st.sampled_from(sorted(STAGE_TASK.states)), st.none() | instants),
                 max_size=4)


@settings(max_examples=300, deadline=None)
@given(type_code=type_codes, due_at=st.none() | instants, warn_at=st.none() | instants, now=instants,
       task_rows=tasks)
def test_the_sql_clock_is_domain_slas_ticket_clock(clock_db: Connection, type_code: str, due_at: datetime | None,
                                                   warn_at: datetime | None, now: datetime,
                                                   task_rows: list[tuple[str, str, datetime | None]]) -> None:
    clock_db.execute(delete(_tasks))
    clock_db.execute(delete(_tickets))
    clock_db.execute(insert(_tickets).values(id="t", type_code=type_code, due_at=iso_utc(due_at),
                                             warn_at=iso_utc(warn_at)))
    for n, (stage, state, done_at) in enumerate(task_rows):
        clock_db.execute(insert(_tasks).values(id=n, ticket_id="t", stage_code=stage, state=state,
                                               completed_at=iso_utc(done_at)))
    found = {state for state in sla.SlaState if clock_db.execute(select(_tickets.c.id).where(
        sla_state_sql(state, _tickets.c.due_at, _tickets.c.warn_at, now),
        clock_running_sql(_tickets, _tasks))).first() is not None}
    expected: sla.SlaState | None = None
    if due_at is not None:
        deadline = sla.Deadline(due_at=due_at, warn_at=warn_at if warn_at is not None else due_at, provisional=False)
        stop = sla.clock_stop(STOP_STAGES.get(type_code), [_Task(*row) for row in task_rows])
        expected = sla.ticket_clock(deadline, now, stop).live_state
    assert found == ({expected} if expected is not None else set())


def test_a_catalogue_whose_clocks_never_stop_writes_a_clock_that_always_runs(clock_db: Connection) -> None:
    clock_db.execute(delete(_tasks))
    clock_db.execute(delete(_tickets))
    clock_db.execute(insert(_tickets).values(id="t", type_code="repair", due_at=None, warn_at=None))
    clock_db.execute(insert(_tasks).values(id=1, ticket_id="t", stage_code="arrive", state="done"))
    assert clock_db.execute(select(_tickets.c.id).where(clock_running_sql(_tickets, _tasks, {}))).first()
    assert not clock_db.execute(select(_tickets.c.id).where(clock_running_sql(_tickets, _tasks))).first()


# ---- the store's 预警/超时 lists, table-driven over every state ------------------------------------

def _ticket(n: int, state: str, due: timedelta | None, warn: timedelta | None) -> dict[str, Any]:
    return {"id": f"tick-{n:03d}", "office_id": OFFICE, "version": 1, "number": f"GD{20250000 + n}",
            "type_code": "repair", "channel": "hotline", "customer_id": None, "state": state,
            "accepted_at": "2025-03-01T00:00:00Z", "due_at": iso_utc(_at(due)), "warn_at": iso_utc(_at(warn))}


def _task(n: int, ticket_n: int, state: str, due: timedelta | None, warn: timedelta | None,
          stage_code: str = "arrive", completed_at: datetime | None = None) -> dict[str, Any]:
    return {"id": f"task-{n:03d}", "office_id": OFFICE, "version": 1, "ticket_id": f"tick-{ticket_n:03d}",
            "stage_code": stage_code, "department": "operations", "state": state,
            "opened_at": "2025-03-01T00:00:00Z", "due_at": iso_utc(_at(due)), "warn_at": iso_utc(_at(warn)),
            "completed_at": iso_utc(completed_at)}


def test_the_warning_and_overdue_lists_hold_what_domain_says(store: Store) -> None:
    changes: list[tuple[str, dict[str, Any]]] = []
    expected: dict[sla.SlaState, set[str]] = {sla.SlaState.WARNING: set(), sla.SlaState.OVERDUE: set()}
    n = 0
    for state, due, warn in product(TICKET.states, OFFSETS, OFFSETS):  # the ticket's own deadline
        n += 1
        changes.append(("ticket", _ticket(n, state, due, warn)))
        own = ticket_rules.ticket_sla(state, _at(due), _at(warn), NOW)
        if own in expected:
            expected[own].add(f"tick-{n:03d}")
    for ticket_state in ("accepted", "closed"):  # one of its stages' deadlines; the ticket has none
        for task_state, due, warn in product(STAGE_TASK.states, OFFSETS, OFFSETS):
            n += 1
            changes.append(("ticket", _ticket(n, ticket_state, None, None)))
            changes.append(("stage_task", _task(n, n, task_state, due, warn)))
            stage = ticket_rules.stage_sla(task_state, _at(due), _at(warn), NOW)
            if stage in expected and ticket_rules.is_open_state(ticket_state):
                expected[stage].add(f"tick-{n:03d}")
    # A repair whose clock-stop stage (到达现场) is done, on time or late, with a later stage still open:
    # by its own deadline it is on no list however late now is; its open stage's deadline still counts.
    for arrived, repair_due in product((-timedelta(hours=1), timedelta(hours=1), None), (None, -TICK, TICK)):
        n += 1
        changes.append(("ticket", _ticket(n, "in_progress", -timedelta(hours=3), -timedelta(hours=4))))
        changes.append(("stage_task", _task(n, n, "done", None, None, "arrive",
                                             NOW + arrived - timedelta(hours=3) if arrived is not None else None)))
        changes.append(("stage_task", _task(1000 + n, n, "open", repair_due, repair_due, "repair")))
        stage = ticket_rules.stage_sla("open", _at(repair_due), _at(repair_due), NOW)
        if stage in expected:
            expected[stage].add(f"tick-{n:03d}")
    store.apply_pull_page(page(changes, cursor=len(changes)))
    assert expected[sla.SlaState.WARNING] and expected[sla.SlaState.OVERDUE]
    for state, ids in expected.items():
        filters = TicketFilters(sla=state.value, sla_at=NOW)  # type: ignore[arg-type]
        found = {t.id for t in store.ticket_queue(filters, sort="number", limit=1000)}
        assert found == ids, state
        assert store.ticket_count(filters) == len(ids)
