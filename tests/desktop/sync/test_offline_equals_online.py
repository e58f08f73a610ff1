"""Offline equals online: a ticket's deadline and SLA state on the desk are the server's (issue 14).

For random tickets (every type the hall accepts, with the form's and the customer's area
classes), random office calendars and random clocks, the desk's own deadline for a ticket it
has not pushed yet (`desktop.frontdesk.deadlines.ticket_deadline` on `Store.working_calendar()`,
what the intake dialog prints and the card counts down) equals the one the server stores when
the ticket arrives (workflow engine on `backend.rules.office_calendar`), and the desk's SLA
state at any instant equals what the server's escalation timers have fired by then.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.db.engine import open_database
from backend.settings import database_url
from backend.store import Writer
from desktop.frontdesk.deadlines import ticket_deadline
from desktop.sync.backoff import Backoff
from desktop.sync.client import ApiClient
from desktop.sync.engine import SyncEngine
from domain import sla
from domain.catalogue import FieldType, TicketType, load_catalogue
from domain.records import CalendarDay
from local_store import Store
from tests.e2e.harness import PASSWORD, Backend, create_users

KEY = bytes(range(32))
CATALOGUE = load_catalogue()
HALL_TYPES = CATALOGUE.types_for_channel("hall")
# Timed by area class (the fault repair): drawn as often as all the others together.
AREA_TYPES = [t for t in HALL_TYPES if t.time_limit.minutes_by_area is not None]
_offices = itertools.count(1)


def form_for(ticket_type: TicketType, choose: Any) -> dict[str, Any]:
    """A valid form: every required field, and the area class whenever the type's form has one."""
    sample = {FieldType.text: "测试", FieldType.phone: "13800001111", FieldType.id_number: "11010519491231002X",
              FieldType.int: 10, FieldType.bool: False, FieldType.date: "2026-01-05"}
    fields: dict[str, Any] = {}
    for field in ticket_type.fields:
        if not field.required and field.name != "area_class":
            continue
        if field.type == FieldType.choice:
            fields[field.name] = choose(st.sampled_from([c.code for c in field.choices]))
        else:
            fields[field.name] = sample[field.type]
    return fields


def set_server_clock(backend: Backend, now: datetime) -> None:
    """Move the server's clock; it fires every timer due by then (200 a call, so call until done)."""
    while True:
        response = httpx.post(f"{backend.url}/api/v1/test/clock", json={"now": now.isoformat()}, timeout=30)
        response.raise_for_status()
        if int(response.json()["fired"]) < 200:
            return


def flip_server_days(backend: Backend, days: list[date]) -> None:
    """An admin's calendar edit on the server: each day turns from working to off or back."""
    database = open_database(database_url(str(backend.db)))
    try:
        with database.write() as session:
            writer = Writer(session, datetime.now(UTC))
            template = writer.get("calendar_day", "cal-2026-01-01")
            assert template is not None
            for day in days:
                row = writer.get("calendar_day", f"cal-{day.isoformat()}")
                if row is not None:
                    working = not row.working
                    writer.update("calendar_day", row, {"working": working, "name": "调休上班" if working else "停休"})
                    continue
                working = day.weekday() >= 5  # a plain weekday becomes a holiday, a weekend a make-up day
                writer.insert(CalendarDay(id=f"cal-{day.isoformat()}", office_id=template.office_id, day=day,
                                          working=working, name="调休上班" if working else "临时停休"))
            writer.finish()
    finally:
        database.dispose()


def server_state(backend: Backend, ticket_id: str) -> sla.SlaState:
    """What the server has escalated the ticket to: its fired warning and overdue timers."""
    fired = {kind for (kind,) in backend.query(
        "SELECT kind FROM sla_timer WHERE entity = 'ticket' AND entity_id = ? AND fired_at IS NOT NULL", ticket_id)}
    if "overdue" in fired:
        return sla.SlaState.OVERDUE
    return sla.SlaState.WARNING if "warning" in fired else sla.SlaState.ON_TIME


@pytest.fixture(scope="module")
def office(backend: Backend) -> str:
    name = f"parity-office-{next(_offices)}"
    create_users(backend.db, name, f"{name}-clerk")
    return name


@pytest.fixture(scope="module")
def desk_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, list[datetime]]]:
    """One desk for every example (its clock is the list's one item), as one desk lives through many days."""
    moment = [datetime(2026, 1, 5, tzinfo=UTC)]
    store = Store.open(tmp_path_factory.mktemp("parity-desk") / "desk.db", KEY, clock=lambda: moment[0])
    yield store, moment
    store.close()


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    ticket_type=st.sampled_from(HALL_TYPES) | st.sampled_from(AREA_TYPES),
    accepted_at=st.datetimes(min_value=datetime(2025, 12, 20), max_value=datetime(2027, 1, 31),
                             timezones=st.just(UTC)),
    customer_area=st.none() | st.sampled_from(sla.AREA_CLASSES),
    flipped=st.lists(st.integers(-2, 40), max_size=3, unique=True),
    data=st.data(),
)
def test_desk_deadline_and_sla_state_equal_the_servers(
    backend: Backend, office: str, desk_store: tuple[Store, list[datetime]], ticket_type: TicketType, accepted_at: datetime,
    customer_area: str | None, flipped: list[int], data: st.DataObject,
) -> None:
    store, moment = desk_store
    fields = form_for(ticket_type, data.draw)
    set_server_clock(backend, accepted_at)
    flip_server_days(backend, [accepted_at.astimezone(sla.OFFICE_ZONE).date() + timedelta(days=d) for d in flipped])

    async def accept_offline_then_push() -> tuple[sla.Deadline | None, Any]:
        client = ApiClient(backend.url)
        try:
            session = await client.login(f"{office}-clerk", PASSWORD, store.client_id)
            engine = SyncEngine(store, client, scopes=session.scopes, clock=lambda: accepted_at,
                                backoff=Backoff(base=0.01, cap=0.1))
            await engine.sync_once()  # the calendar edit arrives
            moment[0] = accepted_at
            customer = (store.create_customer(office_id=office, name="张三", area_class=customer_area)
                        if customer_area is not None else None)
            ticket = store.accept_ticket(
                type_code=ticket_type.code, channel="hall", office_id=office,
                customer_id=customer.id if customer else None, summary="", fields=fields,
                materials=list(ticket_type.materials),
            )
            on_desk = ticket_deadline(ticket, store.catalogue, store.working_calendar(), customer_area)
            report = await engine.sync_once()
            assert report.rejected == 0, store.conflicts()
            return on_desk, store.ticket(ticket.id)
        finally:
            await client.aclose()

    on_desk, synced = asyncio.run(accept_offline_then_push())
    assert on_desk is not None and synced is not None and synced.due_at is not None
    on_server = sla.Deadline(due_at=synced.due_at, warn_at=synced.warn_at or synced.due_at,
                             provisional=synced.deadline_provisional)
    assert on_desk == on_server

    span = on_desk.due_at - accepted_at
    instants = [on_desk.warn_at - timedelta(microseconds=1), on_desk.warn_at, on_desk.due_at,
                on_desk.due_at + timedelta(microseconds=1)]
    instants += [accepted_at + span * f for f in data.draw(st.lists(st.floats(0, 1.5), max_size=2))]
    for now in sorted(instants):
        set_server_clock(backend, now)
        assert sla.sla_state(on_desk, now) == server_state(backend, synced.id), now
