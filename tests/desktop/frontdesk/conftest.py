"""Front desk fixtures: a running qasync loop, a real encrypted Store in tmp_path filled the way the
server fills it (pull pages), a DeskContext, and the FrontDesk screen on a fixed clock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.actions import ActionRegistry
from desktop.context import DeskContext
from desktop.frontdesk import FrontDesk
from desktop.frontdesk.identity_checks import CardReading, SimulatedCardReader
from desktop.settings import Settings
from domain.identity import resident_id_check_char
from domain.records import Staff
from domain.sync import Change, PullPage
from local_store import Store
from tests.desktop.support import EngineStub, drain
from tests.harness.clocks import DESK_EPOCH, FixedClock, TickingClock

OFFICE = "office-1"
SCOPE = f"office:{OFFICE}"
# The screen's clock: Monday 3 March 2025, 09:00 in the office (01:00 UTC).
NOW = DESK_EPOCH
NAMES = ["张伟", "王秀英", "李建国", "欧阳明月"]
ManualClock = FixedClock  # the screen's clock: moves only when the test advances it
StoreClock = TickingClock  # the store's clock: one second further per reading, so every write has its own time


def resident_id(serial: int) -> str:
    first17 = f"11010119800101{serial % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def customer_data(n: int) -> dict[str, Any]:
    return {
        "id": f"cust-{n}", "office_id": OFFICE, "version": 1, "name": NAMES[n % 4] + ("" if n < 4 else str(n)),
        "id_type": "resident", "id_number": resident_id(n), "phone": f"1390000{n:04d}",
        "address": f"北京市东城区和平里{n}号", "customer_class": "03", "area_class": "urban",
    }


def account_data(n: int) -> dict[str, Any]:
    return {"id": f"acct-{n}", "office_id": OFFICE, "version": 1, "customer_id": f"cust-{n}",
            "account_no": f"{3300000000 + n}", "address": f"北京市东城区和平里{n}号", "meter_no": f"M{n:06d}",
            "arrears_cents": 12345 if n == 1 else 0}


def ticket_data(n: int, **overrides: Any) -> dict[str, Any]:
    data = {"id": f"tick-{n}", "office_id": OFFICE, "version": 1, "number": f"GD{20250000 + n}",
            "type_code": "repair", "channel": "hotline", "customer_id": f"cust-{n}", "state": "accepted",
            "accepted_at": (NOW - timedelta(hours=1)).isoformat(),
            "due_at": (NOW + timedelta(hours=2)).isoformat(), "warn_at": (NOW + timedelta(hours=1)).isoformat()}
    return data | overrides


def seed_changes() -> list[tuple[str, dict[str, Any]]]:
    changes: list[tuple[str, dict[str, Any]]] = []
    for n in range(4):
        changes += [("customer", customer_data(n)), ("account", account_data(n)), ("ticket", ticket_data(n))]
    # Customer 4 has nothing open yet.
    changes += [("customer", customer_data(4)), ("account", account_data(4))]
    # Customer 0 also has a closed complaint, a hall visit, a hotline call and an app real-name record.
    changes.append(("ticket", ticket_data(10, id="tick-10", number="GD20250010", type_code="complaint",
                                          channel="hall", customer_id="cust-0", state="closed")))
    changes.append(("interaction", {"id": "int-1", "office_id": OFFICE, "version": 1, "customer_id": "cust-0",
                                    "channel": "hall", "type": "visit", "at": (NOW - timedelta(days=2)).isoformat(),
                                    "summary": "咨询电价"}))
    changes.append(("interaction", {"id": "int-2", "office_id": OFFICE, "version": 1, "customer_id": "cust-0",
                                    "channel": "hotline", "type": "call", "at": (NOW - timedelta(days=1)).isoformat(),
                                    "summary": "报修停电"}))
    changes.append(("verification", {"id": "ver-app", "office_id": OFFICE, "version": 1, "customer_id": "cust-0",
                                     "channel": "app", "method": "app_real_name", "evidence_ref": "APP-REF-1",
                                     "at": (NOW - timedelta(days=3)).isoformat(), "outcome": "passed"}))
    return changes


def pull_page(changes: list[tuple[str, dict[str, Any]]]) -> PullPage:
    return PullPage(
        scope=SCOPE,
        changes=[Change(seq=i + 1, entity=entity, id=data["id"], kind="upsert", version=data["version"], data=data)
                 for i, (entity, data) in enumerate(changes)],
        cursor=len(changes),
        has_more=False,
    )


@pytest.fixture(autouse=True)
def _desk_loop_running(desk_loop: qasync.QEventLoop) -> qasync.QEventLoop:
    """Every front-desk test runs with the desk's loop."""
    return desk_loop


@pytest.fixture
def store(tmp_path: Path, qtbot: QtBot, desk_loop: qasync.QEventLoop) -> Iterator[Store]:
    opened = Store.open(tmp_path / "desk.db", os.urandom(32), clock=StoreClock(), desk_code="D1")
    opened.apply_pull_page(pull_page(seed_changes()))
    try:
        yield opened
    finally:
        drain(qtbot, desk_loop)  # no store work may outlive the store
        opened.close()


@pytest.fixture
def engine() -> EngineStub:
    return EngineStub()


def make_context(store: Store, engine: EngineStub, role: str = "clerk") -> DeskContext:
    settings = Settings()
    staff = Staff(id="staff-1", office_id=OFFICE, username="clerk1", display_name="王小明", role=role)
    return DeskContext(store=store, staff=staff, settings=settings, actions=ActionRegistry(settings), engine=engine)


@pytest.fixture
def context(store: Store, engine: EngineStub) -> DeskContext:
    return make_context(store, engine)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def desk(qtbot: QtBot, context: DeskContext, clock: ManualClock) -> FrontDesk:
    """The front desk with a simulated ID card reader holding the card of the customer on screen."""
    screen = FrontDesk(context, clock=clock, card_reader=SimulatedCardReader(source=lambda: on_screen_card(screen)))
    qtbot.addWidget(screen)
    screen.show()
    return screen


def on_screen_card(screen: FrontDesk) -> CardReading | None:
    customer = screen.card.customer
    return CardReading(customer.id_number, customer.name) if customer and customer.id_number else None


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type like a clerk: ASCII key by key, Chinese committed by the input method (QTest only knows ASCII)."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def open_card(qtbot: QtBot, desk: FrontDesk, customer_id: str = "cust-0") -> None:
    desk.open_customer(customer_id)
    qtbot.waitUntil(lambda: desk.card.customer is not None and desk.card.customer.id == customer_id)
