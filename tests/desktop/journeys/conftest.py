"""The journeys' real parts: one office server process (the demo office, a telephony key for screen pops),
a network link each test can cut, and a desk driven through its login dialog and window as a person does."""

from __future__ import annotations

import asyncio
import gc
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from backend.db.migrate import upgrade
from backend.seeding import seed_demo
from backend.settings import database_url
from desktop.app import Desk, Options
from desktop.login import LoginDialog
from desktop.main_window import MainWindow
from desktop.settings import Settings
from local_store import Store
from tests.desktop.shell.test_desk import login_dialog, sign_in
from tests.desktop.support import MemoryKeyring
from tests.e2e.fault_proxy import FaultProxy
from tests.e2e.harness import Backend

CHANNEL_KEY = "journey-telephony-key"
PASSWORD = "demo1234"


def serve_demo(tmp_path_factory: pytest.TempPathFactory, name: str, *, seed: int, customers: int,
               env: dict[str, str] | None = None) -> Iterator[Backend]:
    """`onewindow-server serve` on a freshly seeded demo office (a fixture yields from it)."""
    db = Path(tmp_path_factory.mktemp(name)) / "office.db"
    url = database_url(str(db))
    upgrade(url)
    seed_demo(url, seed=seed, customers_per_office=customers)
    server = Backend(db, env=dict(env or {})).start()
    yield server
    server.stop()


@pytest.fixture(scope="package")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    """The demo office the journeys share, each with its own desk; the telephony system's key is set."""
    yield from serve_demo(tmp_path_factory, "journeys", seed=12, customers=40,
                          env={"ONEWINDOW_CHANNEL_KEY": CHANNEL_KEY})


@pytest.fixture
def link(office: Backend) -> Iterator[FaultProxy]:
    """The office's network between the desk and the server, which a test can cut and restore."""
    proxy = FaultProxy(office.port)
    proxy.start()
    yield proxy
    proxy.stop()


@pytest.fixture(autouse=True)
def collect_on_the_gui_thread() -> None:
    """Earlier desks' Qt objects are collected here, on the GUI thread, not by a store thread mid-journey."""
    gc.collect()


@dataclass
class Journey:
    """A desk signed in through its login dialog, with its window open and its first sync done."""

    qtbot: QtBot
    desk: Desk
    run: asyncio.Task[int]

    @property
    def window(self) -> MainWindow:
        assert self.desk.window is not None
        return self.desk.window

    @property
    def store(self) -> Store:
        assert self.desk.store is not None
        return self.desk.store

    def area(self, area_id: str) -> Any:
        return self.window.areas[area_id]

    def press(self, action_id: str) -> None:
        """A menu command or its shortcut (F3, F4, F5, Ctrl+1 ...), as the window's action runs it."""
        self.window.actions_registry.action(action_id).trigger()

    def synced(self, timeout: int = 60000) -> None:
        """Wait for a sync round that finished after now with nothing left to push (the desk's engine, not a
        sleep). A round already under way when the change was saved may finish without it; the engine then
        runs another, so "finished" alone was a race (the hotline wrap-up once missed the server)."""
        engine = self.desk.engine
        assert engine is not None
        before = engine.status.last_synced

        def done() -> bool:
            status = self.desk.engine.status if self.desk.engine is not None else None
            return (status is not None and status.last_synced is not None and status.last_synced != before
                    and status.outbox == 0 and not status.syncing)

        engine.notify_local_change()
        self.qtbot.waitUntil(done, timeout=timeout)

    def switch_to(self, username: str) -> None:
        """Sign out (the outbox is pushed under this person's session) and let the next person sign in."""
        self.desk.sign_out()
        sign_in(self.qtbot, username, PASSWORD)
        self.qtbot.waitUntil(lambda: self.desk.window is not None and self.desk.staff is not None
                             and self.desk.staff.username == username, timeout=30000)
        self.first_sync()

    def first_sync(self) -> None:
        self.qtbot.waitUntil(lambda: self.desk.engine is not None and self.desk.engine.status.last_synced is not None,
                             timeout=60000)

    def finish(self) -> None:
        self.desk.sign_out()
        login_dialog(self.qtbot).reject()
        self.qtbot.waitUntil(self.run.done, timeout=30000)
        assert self.run.result() == 0


def open_desk(qtbot: QtBot, qapp: QApplication, url: str, username: str) -> Journey:
    desk = Desk(qapp, Settings(), Options(server=url))
    journey = Journey(qtbot, desk, asyncio.ensure_future(desk.run()))
    sign_in(qtbot, username, PASSWORD)
    qtbot.waitUntil(lambda: desk.window is not None, timeout=30000)
    journey.first_sync()
    return journey


@pytest.fixture
def desk_for(qtbot: QtBot, qapp: QApplication, desk_loop: qasync.QEventLoop, memory_keyring: MemoryKeyring):
    """open_desk bound to this test's loop and keyring; a desk a failed step left running is closed."""
    opened: list[Journey] = []

    def open_for(url: str, username: str) -> Journey:
        journey = open_desk(qtbot, qapp, url, username)
        opened.append(journey)
        return journey

    yield open_for
    for journey in opened:
        if journey.run.done():
            continue
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible() and not isinstance(widget, LoginDialog):
                widget.reject()
        journey.desk.sign_out()
        login_dialog(qtbot).reject()
        qtbot.waitUntil(journey.run.done, timeout=30000)


def ring(office: Backend, caller_number: str, agent: str = "hotline1") -> dict[str, Any]:
    """What the telephony system sends when a call reaches an agent."""
    answer = httpx.post(
        f"{office.url}/api/v1/channels/hotline/calls",
        headers={"X-Channel-Key": CHANNEL_KEY},
        json={"call_id": str(uuid.uuid4()), "caller_number": caller_number, "agent_username": agent,
              "at": datetime.now(UTC).isoformat()},
        timeout=10,
    )
    answer.raise_for_status()
    return dict(answer.json())


def top_level(kind: type[QWidget]) -> QWidget | None:
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Keys for ASCII (what a keyboard sends); Chinese is committed as the input method would."""
    from tests.desktop.frontdesk.conftest import type_text

    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    type_text(qtbot, widget, text)


def fill_form(qtbot: QtBot, dialog: Any, values: dict[str, Any]) -> None:
    """Fill the intake form's fields by name as a clerk would: pick, tick or type."""
    from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLineEdit, QPlainTextEdit

    for name, value in values.items():
        widget = next((w for kind in (QLineEdit, QPlainTextEdit, QComboBox, QCheckBox, QDateEdit)
                       if (w := dialog.findChild(kind, f"field_{name}")) is not None), None)
        assert widget is not None, f"the form has no field {name}"
        if isinstance(widget, QDateEdit):
            dialog.form.editor(name).set_value(value or None)
        elif isinstance(widget, QComboBox):
            index = widget.findData(value)
            assert index >= 0, f"{name} offers no {value!r}"
            widget.setCurrentIndex(index)
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value)
        else:
            widget.clear()
            type_into(qtbot, widget, value)


def accept_request(qtbot: QtBot, front: Any, type_code: str, values: dict[str, Any], materials: tuple[str, ...] = (),
                   *, close: bool = True) -> Any:
    """F4 on the customer's card, the request filled in and accepted (filed anyway if one is open already)."""
    from PySide6.QtWidgets import QCheckBox, QPushButton

    front.card.findChild(QPushButton, "newTicket").click()
    dialog = front.intake_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.form.select_type(type_code)
    fill_form(qtbot, dialog, values)
    for code in materials:
        dialog.findChild(QCheckBox, f"material_{code}").setChecked(True)
    dialog.findChild(QPushButton, "acceptTicket").click()
    file_anyway = dialog.findChild(QPushButton, "fileAnyway")
    qtbot.waitUntil(lambda: dialog.ticket is not None or file_anyway.isVisible(), timeout=15000)
    if dialog.ticket is None:
        file_anyway.click()
        qtbot.waitUntil(lambda: dialog.ticket is not None, timeout=15000)
    ticket = dialog.ticket
    if close:
        dialog.close()
    return ticket
