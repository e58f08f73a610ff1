"""The ticket number by SMS after a phone request (issue 12, issue 18's first customer notification).

The desk queues the request in its outbox with the ticket's history line (待发送); the server sends the SMS
with its own GD number once the desk syncs and the state comes back (已发送 / 发送失败（原因）) — shown on
the intake's done page and in the ticket's history. A number that cannot take an SMS stores nothing."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, select

from backend.db.desk_tables import SmsMessage
from backend.settings import database_url
from desktop.frontdesk import FrontDesk
from desktop.sync.backoff import Backoff
from desktop.sync.client import ApiClient
from desktop.sync.engine import SyncEngine
from desktop.sync.errors import Offline
from domain.errors import InvalidInput
from domain.notifications import interaction_id
from domain.records import Notification
from domain.sync import Change, MutationResult, PullPage
from local_store import Store
from tests.backend.conftest import prepare
from tests.backend.server_process import PASSWORD, ServerProcess, start_server
from tests.desktop.support import OFFSCREEN_NOISE, EngineStub
from tests.e2e.fault_proxy import FaultProxy

from .conftest import SCOPE, ManualClock, make_context
from .test_intake import REPAIR, accept, fill, start_intake

pytestmark = OFFSCREEN_NOISE
KEY = bytes(range(32))
CALLER_FORM = {"fault_address": "河西村三组", "area_class": "rural", "fault_type": "no_power",
               "contact_phone": "13800001111"}


# ---- the done page, on a desk whose server answers by pull pages ----------------------------------


@pytest.fixture
def hotline(qtbot: QtBot, store: Store, engine: EngineStub, clock: ManualClock) -> FrontDesk:
    screen = FrontDesk(make_context(store, engine, role="hotline"), clock=clock)
    qtbot.addWidget(screen)
    screen.show()
    return screen


def server_says(store: Store, notification: Notification, **changes: Any) -> None:
    """A sync round as the engine runs it: the outbox is pushed (the server applies it as sent), then the
    server's notification row comes back in a pull page."""
    results = []
    for mutation in store.pending_mutations():
        row = store._one(mutation.entity, mutation.entity_id)  # noqa: SLF001 - the row the server stores
        assert row is not None
        results.append(MutationResult(mutation_id=mutation.mutation_id, status="applied", entity=mutation.entity,
                                      entity_id=mutation.entity_id, version=1,
                                      record={**row.model_dump(mode="json"), "version": 1}))
    store.apply_push_results(results)
    data = {**notification.model_dump(mode="json"), "version": 2, **changes}
    seq = store.cursor(SCOPE) + 1
    store.apply_pull_page(PullPage(scope=SCOPE, cursor=seq, has_more=False, changes=[
        Change(seq=seq, entity="notification", id=notification.id, kind="upsert", version=2, data=data)]))


def test_the_done_page_queues_the_sms_and_shows_what_the_server_did(qtbot: QtBot, hotline: FrontDesk,
                                                                     store: Store, engine: EngineStub) -> None:
    from desktop.operations import changes

    dialog = start_intake(qtbot, hotline, "cust-4")
    dialog.form.select_type("repair")
    fill(qtbot, dialog, REPAIR)
    accept(qtbot, dialog)
    sms = dialog.findChild(QPushButton, "smsTicketNumber")
    assert sms.isVisible() and sms.isEnabled()
    nudges = engine.nudges
    sms.click()
    shown = dialog.findChild(QLabel, "smsRecorded")
    qtbot.waitUntil(shown.isVisible)
    # The desk is offline (no engine status): queued, to be sent by the server once the desk syncs.
    assert shown.text() == "短信告知工单编号（139****0004）：待发送（联网同步后由服务器发送）"
    assert not sms.isEnabled() and engine.nudges > nudges
    assert dialog.ticket is not None
    (request,) = [m for m in store.pending_mutations() if m.entity == "notification"]
    assert request.op == "create" and request.fields["phone"] == "13900000004"
    assert request.fields["ticket_id"] == dialog.ticket.id and request.fields["state"] == "queued"
    notification = store.notification(request.entity_id)
    assert notification is not None
    line = next(i for i in store.ticket_interactions(dialog.ticket.id) if i.id == interaction_id(notification.id))
    assert line.summary == "短信告知工单编号（139****0004）：待发送" and "13900000004" not in line.summary
    outbox = [m.entity for m in store.pending_mutations()]
    assert outbox.index("interaction") < outbox.index("notification")  # the line is on the server first

    server_says(store, notification, state="sent", attempts=1, sent_at="2025-03-03T01:00:05+00:00")
    changes().announce({"notification"})
    qtbot.waitUntil(lambda: shown.text() == "短信告知工单编号（139****0004）：已发送")
    assert not sms.isEnabled()


def test_a_failed_sms_shows_its_reason_and_may_be_asked_again(qtbot: QtBot, hotline: FrontDesk,
                                                              store: Store) -> None:
    from desktop.operations import changes

    dialog = start_intake(qtbot, hotline, "cust-4")
    dialog.form.select_type("repair")
    fill(qtbot, dialog, REPAIR)
    accept(qtbot, dialog)
    sms = dialog.findChild(QPushButton, "smsTicketNumber")
    sms.click()
    shown = dialog.findChild(QLabel, "smsRecorded")
    qtbot.waitUntil(shown.isVisible)
    notification = dialog.receipts.notification
    assert notification is not None
    server_says(store, notification, state="failed", attempts=1, reason="短信网关拒收：HTTP 400")
    changes().announce({"notification"})
    qtbot.waitUntil(lambda: shown.text() == "短信告知工单编号（139****0004）：发送失败（短信网关拒收：HTTP 400）")
    assert sms.isEnabled()  # the agent may try again (say, after checking the number with the caller)


def test_a_number_that_cannot_take_an_sms_stores_nothing(store: Store) -> None:
    ticket = store.accept_ticket(type_code="repair", channel="hotline", office_id="office-1",
                                 fields=CALLER_FORM, materials=[])
    queued = store.outbox_size()
    for phone, words in (("010-62345678", "固定电话"), ("12345", "手机号码"), ("", "电话")):
        with pytest.raises(InvalidInput) as refused:
            store.request_sms(ticket.id, phone, staff_id="staff-1")
        assert words in refused.value.message_zh and refused.value.message_zh.startswith("无法发送短信")
    assert store.outbox_size() == queued
    assert store.ticket_notifications(ticket.id) == []
    assert [i for i in store.ticket_interactions(ticket.id) if i.type == "ticket_step"] == []


# ---- offline, then the link comes back: a real server sends it --------------------------------------


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ServerProcess]:
    db = str(tmp_path / "office.db")
    prepare(db)
    monkeypatch.setenv("ONEWINDOW_NOTIFICATION_POLL_SECONDS", "0.1")
    server = start_server(db, tmp_path, test_clock=False)
    yield server
    server.stop()


def test_an_offline_desk_queues_the_sms_and_the_server_sends_it_when_the_link_returns(
    office: ServerProcess, tmp_path: Path,
) -> None:
    link = FaultProxy(office.port)
    link.start()
    store = Store.open(tmp_path / "desk.db", KEY)

    async def journey() -> tuple[Notification, str]:
        client = ApiClient(link.url)
        try:
            session = await client.login("hotline_a", PASSWORD, store.client_id)
            engine = SyncEngine(store, client, scopes=session.scopes, backoff=Backoff(base=0.01, cap=0.1))
            await engine.sync_once()
            office_id = str(session.staff["office_id"])
            link.partition()
            ticket = store.accept_ticket(type_code="repair", channel="hotline", office_id=office_id,
                                         fields=CALLER_FORM, materials=[], accepted_by=str(session.staff["id"]))
            notification = store.request_sms(ticket.id, "138 0000 1111", staff_id=str(session.staff["id"]))
            assert notification.state == "queued" and notification.phone == "13800001111"
            with pytest.raises(Offline):
                await engine.sync_once()
            assert store.notification(notification.id).state == "queued"  # type: ignore[union-attr]
            assert {m.entity for m in store.pending_mutations()} >= {"ticket", "notification", "interaction"}
            link.heal()
            deadline = time.monotonic() + 60
            while (store.notification(notification.id) or notification).state == "queued":
                assert time.monotonic() < deadline, "the server did not send the SMS"
                await engine.sync_once()
                await asyncio.sleep(0.05)
            number = (store.ticket(ticket.id) or ticket).number
            assert number is not None and number.startswith("GD")
            sent = store.notification(notification.id)
            assert sent is not None
            return sent, number
        finally:
            await client.aclose()

    try:
        # The desk's sync runs on a loop of its own (this suite's Qt loop is already running here).
        with ThreadPoolExecutor(1) as worker:
            sent, number = worker.submit(asyncio.run, journey()).result(timeout=180)
        assert sent.state == "sent" and sent.sent_at is not None and sent.attempts == 1
        line = next(i for i in store.ticket_interactions(sent.ticket_id) if i.id == interaction_id(sent.id))
        assert line.summary == "短信告知工单编号（138****1111）：已发送"
        assert store.outbox_size() == 0 and store.conflicts() == []
    finally:
        store.close()
        link.stop()
    engine = create_engine(database_url(office.db))
    with engine.connect() as connection:
        texts = list(connection.execute(select(SmsMessage.text).where(SmsMessage.phone == "13800001111")).scalars())
    engine.dispose()
    assert len(texts) == 1 and number in texts[0] and "P-" not in texts[0]
