"""The queue's SQL form of the SLA rule (预警/超时 lists) says what domain.sla says, for every ticket and
stage-task state, every deadline shape (no due time, no warning point, a warning point after the due
time) and the exact boundary instants."""

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
from domain.states import STAGE_TASK, TICKET
from local_store import Store, TicketFilters
from local_store.queue import sla_state_sql
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


# ---- the store's 预警/超时 lists, table-driven over every state ------------------------------------

def _ticket(n: int, state: str, due: timedelta | None, warn: timedelta | None) -> dict[str, Any]:
    return {"id": f"tick-{n:03d}", "office_id": OFFICE, "version": 1, "number": f"GD{20250000 + n}",
            "type_code": "repair", "channel": "hotline", "customer_id": None, "state": state,
            "accepted_at": "2025-03-01T00:00:00Z", "due_at": iso_utc(_at(due)), "warn_at": iso_utc(_at(warn))}


def _task(n: int, ticket_n: int, state: str, due: timedelta | None, warn: timedelta | None) -> dict[str, Any]:
    return {"id": f"task-{n:03d}", "office_id": OFFICE, "version": 1, "ticket_id": f"tick-{ticket_n:03d}",
            "stage_code": "arrive", "department": "operations", "state": state,
            "opened_at": "2025-03-01T00:00:00Z", "due_at": iso_utc(_at(due)), "warn_at": iso_utc(_at(warn))}


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
    store.apply_pull_page(page(changes, cursor=len(changes)))
    assert expected[sla.SlaState.WARNING] and expected[sla.SlaState.OVERDUE]
    for state, ids in expected.items():
        filters = TicketFilters(sla=state.value, sla_at=NOW)  # type: ignore[arg-type]
        found = {t.id for t in store.ticket_queue(filters, sort="number", limit=1000)}
        assert found == ids, state
        assert store.ticket_count(filters) == len(ids)
