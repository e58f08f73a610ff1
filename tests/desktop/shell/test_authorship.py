"""Issue 14, true authorship (docs/authorship.md), end to end: two staff on one desk against a real server.

clerk1 works offline and signs out offline; hotline1 signs in and works: hotline1's session pushes only
hotline1's changes, and the status bar says whose changes wait for whom. clerk1 signs in again later:
clerk1's changes go out under clerk1's own session, and the server's ledger and audit name clerk1."""

from __future__ import annotations

import asyncio

import pytest
import qasync
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from backend.db.engine import open_database
from backend.db.ops_tables import AuditEntry
from backend.embedded import EmbeddedServer
from desktop.app import Desk, Options
from desktop.settings import Settings
from local_store import Store
from tests.backend.ledger import deliveries
from tests.desktop.shell.test_desk import finish, login_dialog, sign_in
from tests.desktop.support import OFFSCREEN_NOISE, MemoryKeyring

pytestmark = [OFFSCREEN_NOISE, pytest.mark.slow]
AUDIT_ACTION = "authorship_probe"


def synced_as(desk: Desk, username: str) -> bool:
    engine = desk.engine
    return (desk.staff is not None and desk.staff.username == username and engine is not None
            and engine.status.last_synced is not None and engine.status.initial is None)


def signed_out(qtbot: QtBot, desk: Desk) -> None:
    desk.sign_out()
    login_dialog(qtbot)
    qtbot.waitUntil(lambda: desk.window is None, timeout=20000)


def audit_staff(url: str, subject: str) -> list[str | None]:
    database = open_database(url)
    try:
        with database.read() as session:
            return list(session.execute(select(AuditEntry.staff_id).where(
                AuditEntry.action == AUDIT_ACTION, AuditEntry.subject == subject)).scalars())
    finally:
        database.dispose()


def test_each_persons_offline_changes_go_out_under_their_own_session_and_name(
    qtbot: QtBot, qapp: QApplication, desk_loop: qasync.QEventLoop, memory_keyring: MemoryKeyring,
    office_server: tuple[EmbeddedServer, str],
) -> None:
    server, url = office_server
    desk = Desk(qapp, Settings(), Options(server=server.url))
    run = asyncio.ensure_future(desk.run())

    # clerk1 signs in online, then works offline and signs out without the network.
    sign_in(qtbot, "clerk1", "demo1234")
    qtbot.waitUntil(lambda: synced_as(desk, "clerk1"), timeout=60000)
    store = desk.store
    assert isinstance(store, Store) and desk.staff is not None
    clerk, office = desk.staff.id, desk.staff.office_id
    desk.work_offline(True)
    qtbot.waitUntil(lambda: desk._engine_task is not None and desk._engine_task.done(), timeout=20000)
    store.create_customer(office_id=office, name="张晓明", phone="13900011111")
    store.append_audit(AUDIT_ACTION, "clerk1-offline", {}, clerk)
    clerks = [m.mutation_id for m in store.pending_mutations()]
    assert len(clerks) == 2
    signed_out(qtbot, desk)
    assert store.outbox_size() == 2  # signing out offline pushed nothing

    # hotline1 signs in on the same desk and works online.
    sign_in(qtbot, "hotline1", "demo1234")
    qtbot.waitUntil(lambda: synced_as(desk, "hotline1"), timeout=60000)
    assert desk.staff is not None and desk.window is not None
    hotline = desk.staff.id
    waiting = desk.window.sync_status.waiting
    assert not waiting.isHidden() and "clerk1" in waiting.text() and "2" in waiting.text()
    store.append_audit(AUDIT_ACTION, "hotline1-online", {}, hotline)
    (hotlines,) = [m.mutation_id for m in store.pending_mutations() if m.mutation_id not in clerks]
    assert desk.engine is not None
    desk.engine.notify_local_change()
    qtbot.waitUntil(lambda: store.outbox_size() == 2 and desk.engine is not None
                    and desk.engine.status.outbox == 0, timeout=30000)
    pushed = deliveries(url, [*clerks, hotlines])
    assert set(pushed) == {hotlines}  # hotline1's session carried hotline1's change only
    assert (pushed[hotlines].author, pushed[hotlines].session_staff_id) == (hotline, hotline)
    assert audit_staff(url, "hotline1-online") == [hotline]
    assert audit_staff(url, "clerk1-offline") == []

    # clerk1 signs in again: clerk1's own session delivers clerk1's changes, under clerk1's name.
    signed_out(qtbot, desk)
    sign_in(qtbot, "clerk1", "demo1234")
    qtbot.waitUntil(lambda: synced_as(desk, "clerk1") and store.outbox_size() == 0, timeout=60000)
    assert desk.window is not None and desk.window.sync_status.waiting.isHidden()
    pushed = deliveries(url, clerks)
    assert set(pushed) == set(clerks)
    for delivery in pushed.values():
        assert delivery.status == "applied"
        assert (delivery.author, delivery.staff_id, delivery.session_staff_id) == (clerk, clerk, clerk)
    assert audit_staff(url, "clerk1-offline") == [clerk]
    finish(qtbot, desk, run)
