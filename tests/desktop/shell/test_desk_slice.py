"""The thin slice through every layer, as a clerk meets it: sign in on the desk, the desk pulls the
office into its encrypted store, search finds a customer, a ticket accepted at the window reaches
the backend (online: final number at once; offline behind a cut link: provisional number, replaced
by the server's after the link returns)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import qasync
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QTableView
from pytestqt.qtbot import QtBot

from backend.embedded import EmbeddedServer
from desktop.app import Desk, Options
from desktop.frontdesk import FrontDesk
from desktop.settings import Settings
from desktop.sync.client import ApiClient
from domain.records import Ticket
from tests.desktop.frontdesk.test_intake import (
    COMPLAINT,
    CONNECTION,
    REPAIR,
    SERVICE_REQUEST,
    fill,
    tick_materials,
)
from tests.desktop.shell.test_desk import login_dialog, sign_in
from tests.desktop.support import OFFSCREEN_NOISE, MemoryKeyring
from tests.e2e.fault_proxy import FaultProxy

pytestmark = [OFFSCREEN_NOISE, pytest.mark.slow]
FAMILIES = [  # connection, repair and service request; the complaint runs online and offline below
    ("connection_residential", CONNECTION, ("identity", "property_proof")),
    ("repair", REPAIR, ()),
    ("service_request_other", SERVICE_REQUEST, ()),
]


@pytest.fixture(scope="module")
def backend(office_server: tuple[EmbeddedServer, str]) -> EmbeddedServer:
    return office_server[0]  # the demo office, in process (tests/desktop/shell/conftest.py)


@pytest.fixture
def link(backend: EmbeddedServer) -> Iterator[FaultProxy]:
    """The office's network link between the desk and the backend, which the test can cut."""
    proxy = FaultProxy(int(backend.url.rsplit(":", 1)[1]))
    proxy.start()
    yield proxy
    proxy.stop()


def server_ticket(backend: EmbeddedServer, ticket_id: str) -> Ticket | None:
    """What the backend holds for this ticket, read as another member of staff would see it."""

    async def read() -> Ticket | None:
        api = ApiClient(backend.url)
        try:
            session = await api.login("supervisor1", "demo1234", "slice-test-reader")
            scope = next(s for s in session.scopes if s.startswith("office:"))
            cursor, found = 0, None
            while True:
                page = await api.pull(scope, cursor, 5000)
                for change in page.changes:
                    if change.entity == "ticket" and change.id == ticket_id and change.data is not None:
                        found = Ticket.model_validate(change.data)
                cursor = page.cursor
                if not page.has_more:
                    return found
        finally:
            await api.aclose()

    # The desk's qasync loop runs on this thread; the reader gets a loop of its own on another.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, read()).result(timeout=60)


def test_sign_in_pull_search_accept_online_and_offline(
    qtbot: QtBot, qapp: QApplication, desk_loop: qasync.QEventLoop, memory_keyring: MemoryKeyring,
    backend: EmbeddedServer, link: FaultProxy,
) -> None:
    desk = Desk(qapp, Settings(), Options(server=link.url))
    run = asyncio.ensure_future(desk.run())
    sign_in(qtbot, "clerk1", "demo1234")
    qtbot.waitUntil(lambda: desk.engine is not None and desk.engine.status.last_synced is not None, timeout=60000)
    assert desk.window is not None and desk.store is not None
    store = desk.store

    # Search finds a customer the server sent; the card opens.
    front = desk.window.areas["frontdesk"]
    assert isinstance(front, FrontDesk)
    customer = next(t for t in store.ticket_queue(None, limit=50) if t.customer_id).customer_id
    record = store.customer(customer)
    assert record is not None
    box = front.findChild(QLineEdit, "customerSearch")
    box.setText(record.name)
    results = front.findChild(QTableView, "customerResults")
    qtbot.waitUntil(lambda: results.model().rowCount() > 0, timeout=10000)
    front.open_customer(record.id)
    qtbot.waitUntil(lambda: front.card.customer is not None and front.card.customer.id == record.id)

    # Online: accepted at the window, on the server at once with its final number.
    online = accept(qtbot, front, "营业厅排队时间过长（在线受理）")
    qtbot.waitUntil(lambda: (store.ticket(online.id) or online).number is not None, timeout=20000)
    final = store.ticket(online.id)
    assert final is not None and final.number and final.number.startswith("GD")
    on_server = server_ticket(backend, online.id)
    assert on_server is not None and on_server.number == final.number

    # Every other family is accepted online the same way and numbered by the server at once.
    for type_code, values, materials in FAMILIES:
        ticket = accept_family(qtbot, front, type_code, values, materials)
        qtbot.waitUntil(lambda t=ticket: (store.ticket(t.id) or t).number is not None, timeout=20000)

    # Offline: the link is cut; the ticket gets a provisional number and waits in the outbox.
    link.partition()
    offline = accept(qtbot, front, "营业厅排队时间过长（离线受理）")
    assert offline.provisional_number and offline.provisional_number.startswith("P-") and offline.number is None
    qtbot.waitUntil(lambda: desk.engine is not None and desk.engine.status.online is False, timeout=20000)
    assert store.outbox_size() >= 1
    assert store.ticket_by_number(offline.provisional_number) is not None

    # The link returns: the server's number replaces the provisional one; both stay searchable.
    link.heal()
    assert desk.engine is not None
    desk.engine.notify_local_change()
    qtbot.waitUntil(lambda: (store.ticket(offline.id) or offline).number is not None, timeout=60000)
    replaced = store.ticket(offline.id)
    assert replaced is not None and replaced.number and replaced.number != final.number
    assert store.ticket_by_number(offline.provisional_number).id == offline.id  # type: ignore[union-attr]
    assert store.ticket_by_number(replaced.number).id == offline.id  # type: ignore[union-attr]
    assert store.outbox_size() == 0
    on_server = server_ticket(backend, offline.id)
    assert on_server is not None and on_server.number == replaced.number
    assert on_server.provisional_number == offline.provisional_number

    # Signing out pushes what this clerk queued under their own session, before the next person signs in.
    store.add_note(offline.id, "客户来电补充说明", author_id=None, visibility="internal")
    assert store.outbox_size() == 1
    desk.sign_out()
    login_dialog(qtbot).reject()  # the login dialog shows once the old session has closed
    assert store.outbox_size() == 0
    qtbot.waitUntil(run.done, timeout=20000)
    assert run.result() == 0


def accept(qtbot: QtBot, front: FrontDesk, description: str) -> Ticket:
    """Accept a complaint for the customer on screen through the real intake dialog."""
    return accept_family(qtbot, front, "complaint", {**COMPLAINT, "description": description}, ())


def accept_family(qtbot: QtBot, front: FrontDesk, type_code: str, values: dict[str, Any],
                  materials: tuple[str, ...]) -> Ticket:
    """Accept a request of `type_code` for the customer on screen, filled in as a clerk would."""
    front.card.findChild(QPushButton, "newTicket").click()
    dialog = front.intake_dialog
    assert dialog is not None
    dialog.form.select_type(type_code)
    fill(qtbot, dialog, values)
    tick_materials(dialog, *materials)
    dialog.findChild(QPushButton, "acceptTicket").click()
    file_anyway = dialog.findChild(QPushButton, "fileAnyway")
    # The customer may have an open request of this type already: the clerk files this one anyway.
    qtbot.waitUntil(lambda: dialog.ticket is not None or file_anyway.isVisible(), timeout=10000)
    if dialog.ticket is None:
        file_anyway.click()
        qtbot.waitUntil(lambda: dialog.ticket is not None, timeout=10000)
    ticket = dialog.ticket
    assert ticket is not None
    dialog.close()
    return ticket
