"""Fixtures for the tickets area: a real encrypted Store fed by pull pages, a qasync loop, a settable clock."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from desktop.actions import ActionRegistry
from desktop.context import DeskContext
from desktop.settings import Settings
from domain.records import Staff
from domain.sync import Change, PullPage
from local_store import Store
from tests.harness.clocks import DESK_EPOCH, FixedClock

OFFICE = "office-t"
SCOPE = f"office:{OFFICE}"
START = DESK_EPOCH  # a Monday, 09:00 in the office zone
DeskClock = FixedClock  # a clock the test moves by hand; readings never advance on their own


@pytest.fixture
def desk_clock() -> DeskClock:
    return DeskClock()


@pytest.fixture
def store(tmp_path: Path, desk_clock: DeskClock) -> Iterator[Store]:
    opened = Store.open(tmp_path / "desk.db", os.urandom(32), clock=desk_clock, desk_code="T1")
    try:
        yield opened
    finally:
        opened.close()


# ---- rows as the server sends them -------------------------------------------------------------

def iso(moment: datetime) -> str:
    return moment.isoformat()


def staff_data(staff_id: str, role: str, department: str | None = None) -> dict[str, Any]:
    return {"id": staff_id, "office_id": OFFICE, "version": 1, "username": staff_id,
            "display_name": {"s-meter": "计量李工", "s-mkt": "营销王工", "s-clerk": "柜员赵"}.get(staff_id, staff_id),
            "role": role, "department": department}


def customer_data(n: int, customer_class: str = "03") -> dict[str, Any]:
    return {"id": f"cust-{n}", "office_id": OFFICE, "version": 1, "name": ["张伟", "王秀英", "欧阳明月"][n % 3],
            "phone": f"1390000{n:04d}", "customer_class": customer_class}


def ticket_data(n: int, *, type_code: str = "connection_residential", channel: str = "hall", state: str = "in_progress",
                customer: int | None = 0, accepted: datetime = START - timedelta(hours=1),
                due: timedelta = timedelta(days=5), warn: timedelta = timedelta(days=4), **extra: Any) -> dict[str, Any]:
    data = {"id": f"tick-{n:05d}", "office_id": OFFICE, "version": 1, "number": f"GD20250303{n:06d}",
            "type_code": type_code, "channel": channel, "customer_id": f"cust-{customer}" if customer is not None else None,
            "state": state, "accepted_at": iso(accepted), "accepted_by": "s-clerk",
            "due_at": iso(accepted + due), "warn_at": iso(accepted + warn)}
    return data | extra


def task_data(ticket_n: int, stage: str, department: str, *, state: str = "open",
              opened: datetime = START - timedelta(hours=1), due: timedelta | None = timedelta(days=2),
              warn: timedelta | None = timedelta(days=1), version: int = 1, **extra: Any) -> dict[str, Any]:
    data = {"id": f"task-{ticket_n:05d}-{stage}", "office_id": OFFICE, "version": version,
            "ticket_id": f"tick-{ticket_n:05d}", "stage_code": stage, "department": department, "state": state,
            "opened_at": iso(opened), "due_at": iso(opened + due) if due else None,
            "warn_at": iso(opened + warn) if warn else None}
    return data | extra


class Server:
    """Sends pull pages to the desk's store the way the sync engine applies them."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._seq = itertools.count(1)

    def send(self, *rows: tuple[str, dict[str, Any]]) -> None:
        changes = [Change(seq=next(self._seq), entity=entity, id=data["id"], kind="upsert",
                          version=data["version"], data=data) for entity, data in rows]
        self.store.apply_pull_page(PullPage(scope=SCOPE, changes=changes, cursor=changes[-1].seq, has_more=False))
        self.store.mark_synced(SCOPE, START)  # caught up, as the sync engine records after a round


@pytest.fixture
def server(store: Store) -> Server:
    return Server(store)


def connection_ticket_rows(n: int, **ticket: Any) -> list[tuple[str, dict[str, Any]]]:
    """A residential connection as the server opens it: acceptance done, survey and contract in parallel."""
    return [
        ("ticket", ticket_data(n, **ticket)),
        ("stage_task", task_data(n, "accept", "marketing", state="done", due=None, warn=None,
                                 completed_at=iso(START - timedelta(hours=1)))),
        ("stage_task", task_data(n, "survey", "marketing")),
        ("stage_task", task_data(n, "contract", "marketing")),
    ]


@pytest.fixture
def office(server: Server) -> Server:
    """Staff, customers and one residential connection ticket (tick-00001)."""
    server.send(
        ("staff", staff_data("s-clerk", "clerk")),
        ("staff", staff_data("s-mkt", "department", "marketing")),
        ("staff", staff_data("s-meter", "department", "metering")),
        ("customer", customer_data(0)),
        ("customer", customer_data(1, "01")),
        *connection_ticket_rows(1),
    )
    return server


class CountingEngine:
    def __init__(self) -> None:
        self.pushes_asked = 0

    def notify_local_change(self) -> None:
        self.pushes_asked += 1


def make_context(store: Store, staff_id: str, role: str, department: str | None) -> DeskContext:
    staff = Staff.model_validate(staff_data(staff_id, role, department))
    settings = Settings()
    return DeskContext(store=store, staff=staff, settings=settings, actions=ActionRegistry(settings),
                       engine=CountingEngine())


@pytest.fixture
def marketing_context(qapp: QApplication, store: Store) -> DeskContext:
    return make_context(store, "s-mkt", "department", "marketing")
