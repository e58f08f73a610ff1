"""A desk shared by two offices' staff (issue 13 item 7): after a clerk of another office signs in, the
first office's customers are neither searchable nor kept in the store (the outbox staying is
tests/local_store/test_session_scopes.py)."""

from __future__ import annotations

import asyncio

import pytest
import qasync
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from backend.db.engine import open_database
from backend.db.records import CustomerRow, StaffRow
from backend.embedded import EmbeddedServer
from desktop.app import Desk, Options
from desktop.settings import Settings
from tests.desktop.shell.test_desk import finish, login_dialog, sign_in
from tests.desktop.support import OFFSCREEN_NOISE, MemoryKeyring

pytestmark = [OFFSCREEN_NOISE, pytest.mark.slow]


def id_number_in_office_of(url: str, username: str) -> str:
    database = open_database(url)
    try:
        with database.read() as session:
            office = session.execute(select(StaffRow.office_id).where(StaffRow.username == username)).scalar_one()
            number = session.execute(select(CustomerRow.id_number).where(
                CustomerRow.office_id == office, CustomerRow.id_number.is_not(None)).limit(1)).scalar_one()
    finally:
        database.dispose()
    return str(number)


def synced(desk: Desk) -> bool:
    engine = desk.engine
    return engine is not None and engine.status.last_synced is not None and engine.status.initial is None


def test_another_office_signing_in_sees_none_of_the_first_offices_customers(
    qtbot: QtBot, qapp: QApplication, desk_loop: qasync.QEventLoop, memory_keyring: MemoryKeyring,
    office_server: tuple[EmbeddedServer, str],
) -> None:
    server, url = office_server
    first_office, second_office = id_number_in_office_of(url, "clerk1"), id_number_in_office_of(url, "clerk2")
    desk = Desk(qapp, Settings(), Options(server=server.url))
    run = asyncio.ensure_future(desk.run())
    sign_in(qtbot, "clerk1", "demo1234")
    qtbot.waitUntil(lambda: synced(desk), timeout=60000)
    store = desk.store
    assert store is not None
    (first_hit,) = store.search_customers(first_office)
    assert store.customer(first_hit.customer_id) is not None
    desk.sign_out()
    login_dialog(qtbot)
    qtbot.waitUntil(lambda: desk.window is None, timeout=20000)
    sign_in(qtbot, "clerk2", "demo1234")
    qtbot.waitUntil(lambda: synced(desk) and desk.staff is not None and desk.staff.username == "clerk2",
                    timeout=60000)
    assert store.search_customers(first_office) == []
    assert [hit.customer_id for hit in store.search_customers(second_office)]
    assert store.customer(first_hit.customer_id) is None  # dropped from the store, not only hidden
    finish(qtbot, desk, run)
