"""Hotline screen pop, from the telephony system to the agent's screen: the backend's channel
endpoint records the call and tells the signed-in agent's desk over the live stream; a known
number opens the caller's card, an unknown one the new-caller form."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import qasync
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from backend.db.migrate import upgrade
from backend.seeding import seed_demo
from backend.settings import database_url
from desktop.app import Desk, Options
from desktop.frontdesk import FrontDesk
from desktop.frontdesk.screen_pop import NewCallerForm
from desktop.settings import Settings
from tests.desktop.shell.test_desk import login_dialog, sign_in
from tests.desktop.support import OFFSCREEN_NOISE, MemoryKeyring
from tests.e2e.harness import Backend

pytestmark = [OFFSCREEN_NOISE, pytest.mark.slow]
CHANNEL_KEY = "telephony-test-key"


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    db = Path(tmp_path_factory.mktemp("hotline")) / "office.db"
    url = database_url(str(db))
    upgrade(url)
    seed_demo(url, seed=7, customers_per_office=40)
    mp = pytest.MonkeyPatch()
    mp.setenv("ONEWINDOW_CHANNEL_KEY", CHANNEL_KEY)  # the telephony system's key, read by the server process
    server = Backend(db).start()
    mp.undo()
    yield server
    server.stop()


def ring(backend: Backend, caller_number: str) -> dict[str, object]:
    """What the telephony system sends when a call reaches agent hotline1."""
    answer = httpx.post(
        f"{backend.url}/api/v1/channels/hotline/calls",
        headers={"X-Channel-Key": CHANNEL_KEY},
        json={"call_id": str(uuid.uuid4()), "caller_number": caller_number, "agent_username": "hotline1",
              "at": datetime.now(UTC).isoformat()},
        timeout=10,
    )
    answer.raise_for_status()
    return dict(answer.json())


def test_known_caller_opens_the_card_and_unknown_caller_the_new_caller_form(
    qtbot: QtBot, qapp: QApplication, desk_loop: qasync.QEventLoop, memory_keyring: MemoryKeyring,
    backend: Backend,
) -> None:
    desk = Desk(qapp, Settings(), Options(server=backend.url))
    run = asyncio.ensure_future(desk.run())
    sign_in(qtbot, "hotline1", "demo1234")
    qtbot.waitUntil(lambda: desk.engine is not None and desk.engine.status.last_synced is not None, timeout=60000)
    assert desk.window is not None and desk.store is not None and desk.staff is not None
    front = desk.window.areas["frontdesk"]
    assert isinstance(front, FrontDesk)

    # A customer of this agent's office calls from the number on file.
    office = desk.staff.office_id
    [(customer_id, phone)] = backend.query(
        "SELECT id, phone FROM customer WHERE office_id = ? AND phone IS NOT NULL ORDER BY id LIMIT 1", office)
    answer = ring(backend, phone)
    assert answer["customer_ids"] == [customer_id]
    qtbot.waitUntil(lambda: front.card.customer is not None and front.card.customer.id == customer_id,
                    timeout=15000)
    assert desk.window.navigation.currentItem().text() == "前台受理"

    # Nobody is known by this number: the new-caller form, pre-filled, records the caller.
    ring(backend, "13800000000")
    forms: list[NewCallerForm] = []

    def form_open() -> bool:
        forms[:] = [w for w in QApplication.topLevelWidgets() if isinstance(w, NewCallerForm) and w.isVisible()]
        forms.extend(w for w in front.findChildren(NewCallerForm) if w.isVisible() and w not in forms)
        return bool(forms)

    qtbot.waitUntil(form_open, timeout=15000)
    form = forms[0]
    assert form.findChild(QLineEdit, "newCallerPhone").text() == "13800000000"
    form.findChild(QLineEdit, "newCallerName").setText("王晓")
    form.findChild(QLineEdit, "newCallerAddress").setText("岚川县河口镇下塘村一组3号")
    form.submit()
    qtbot.waitUntil(lambda: front.card.customer is not None and front.card.customer.name == "王晓", timeout=10000)
    assert front.card.customer.phone == "13800000000"

    desk.sign_out()
    login_dialog(qtbot).reject()
    qtbot.waitUntil(run.done, timeout=20000)
