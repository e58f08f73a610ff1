"""SMS code verification in the identity dialog against a real backend process: the server texts the code
(read back here through the --test-clock endpoint), checks it and writes the Verification; the card unmasks."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import qasync
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from desktop.actions import ActionRegistry
from desktop.context import DeskContext
from desktop.frontdesk import FrontDesk
from desktop.frontdesk.identity_checks import ResendCountdown, SmsCheck, clean_sms_code
from desktop.frontdesk.verify_dialog import VerifyIdentityDialog
from desktop.settings import Settings
from desktop.sync.client import ApiClient
from desktop.sync.tokens import MemoryTokenStore
from domain.errors import InvalidInput
from domain.records import Staff
from domain.sync import PullPage
from local_store import Store
from tests.backend.coordination import set_clock
from tests.backend.desk import FIXED_NOW, Desk
from tests.desktop.support import OFFSCREEN_NOISE
from tests.harness.databases import PASSWORD, prepare
from tests.harness.ports import dead_url
from tests.harness.processes import ServerProcess, start_server

pytestmark = OFFSCREEN_NOISE
OFFICE = "county-s"
PHONE = "13712345678"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    tmp = tmp_path_factory.mktemp("sms-verification")
    db = str(tmp / "server.db")
    prepare(db, {"clerk_s": ("clerk", OFFICE, None, "赵柜员"), "hotline_s": ("hotline", OFFICE, None, "王坐席")})
    process = start_server(db, tmp)
    yield process
    process.stop()


class OnlineEngine:
    """The part of the sync engine the dialog uses: the signed-in client."""

    def __init__(self, client: ApiClient) -> None:
        self.client = client

    def notify_local_change(self) -> None:
        pass


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def wait_for(qtbot: QtBot, coroutine: Coroutine[Any, Any, Any]) -> Any:
    task = asyncio.ensure_future(coroutine)
    qtbot.waitUntil(task.done, timeout=15000)
    return task.result()


def pull_office(desk: Desk, store: Store) -> None:
    cursor, more = 0, True
    while more:
        response = desk.pull(f"office:{OFFICE}", cursor)
        assert response.status_code == 200, response.text
        page = PullPage.model_validate_json(response.content)
        store.apply_pull_page(page)
        cursor, more = page.cursor, page.has_more


@pytest.fixture
def customer(server: ServerProcess) -> dict[str, Any]:
    """A new customer with a phone on file, created through the server's push path."""
    set_clock(server, FIXED_NOW)
    clerk = Desk(server.url, "clerk_s")
    try:
        return clerk.new_customer(name="张伟", phone=PHONE)
    finally:
        clerk.close()


@pytest.fixture
def desk_store(tmp_path: Path, server: ServerProcess, customer: dict[str, Any], qtbot: QtBot,
               desk_loop: qasync.QEventLoop) -> Iterator[Store]:
    store = Store.open(tmp_path / "desk.db", os.urandom(32), desk_code="H1")
    reader = Desk(server.url, "hotline_s")
    try:
        pull_office(reader, store)
    finally:
        reader.close()
    yield store
    store.close()


@pytest.fixture
def agent(server: ServerProcess, qtbot: QtBot, desk_loop: qasync.QEventLoop) -> Iterator[ApiClient]:
    client = ApiClient(server.url)
    wait_for(qtbot, client.login("hotline_s", PASSWORD, "desk-sms"))
    yield client
    wait_for(qtbot, client.aclose())


def hotline_context(store: Store, staff: dict[str, Any], engine: Any) -> DeskContext:
    settings = Settings()
    return DeskContext(store=store, staff=Staff.model_validate(staff), settings=settings,
                       actions=ActionRegistry(settings), engine=engine)


def open_card(qtbot: QtBot, desk: FrontDesk, customer_id: str) -> None:
    desk.open_customer(customer_id)
    qtbot.waitUntil(lambda: desk.card.customer is not None and desk.card.customer.id == customer_id)


def open_sms(qtbot: QtBot, desk: FrontDesk, customer_id: str) -> VerifyIdentityDialog:
    open_card(qtbot, desk, customer_id)
    dialog = desk.open_verification()
    assert dialog is not None
    dialog.methods.setCurrentWidget(dialog.sms_tab)
    return dialog


def make_desk(qtbot: QtBot, context: DeskContext) -> FrontDesk:
    desk = FrontDesk(context, clock=lambda: FIXED_NOW)
    qtbot.addWidget(desk)
    desk.show()
    return desk


def result(dialog: VerifyIdentityDialog) -> str:
    return dialog.findChild(QLabel, "verificationResult").text()


def last_code(server: ServerProcess, customer_id: str) -> str:
    response = httpx.get(f"{server.url}/api/v1/test/sms", params={"customer_id": customer_id})
    assert response.status_code == 200, response.text
    code: str = response.json()["code"]
    return code


def send(qtbot: QtBot, dialog: VerifyIdentityDialog) -> None:
    dialog.findChild(QPushButton, "sendSmsCode").click()
    qtbot.waitUntil(lambda: "已发送" in result(dialog), timeout=10000)


def check(qtbot: QtBot, dialog: VerifyIdentityDialog, code: str) -> None:
    dialog.sms_code_edit.clear()
    qtbot.keyClicks(dialog.sms_code_edit, code)
    dialog.findChild(QPushButton, "checkSmsCode").click()
    qtbot.waitUntil(lambda: "正在核对" not in result(dialog), timeout=10000)


def test_right_code_passes_and_unmasks_the_card(qtbot: QtBot, server: ServerProcess, customer: dict[str, Any],
                                                desk_store: Store, agent: ApiClient) -> None:
    assert agent.session is not None
    context = hotline_context(desk_store, agent.session.staff, OnlineEngine(agent))
    desk = make_desk(qtbot, context)
    open_card(qtbot, desk, customer["id"])
    clock = FakeMonotonic()  # the resend countdown's clock
    assert desk.card.customer is not None
    dialog = VerifyIdentityDialog(context, desk.card.customer, desk.card.accounts, desk.card_reader, [], desk,
                                  resend_clock=clock)
    dialog.verified.connect(desk.card.mark_verified)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.methods.setCurrentWidget(dialog.sms_tab)
    assert "137****5678" in dialog.sms_hint.text() and PHONE not in dialog.sms_hint.text()
    assert not dialog.findChild(QLabel, "smsOffline").isVisibleTo(dialog)

    send(qtbot, dialog)
    button = dialog.send_sms_button
    assert "137****5678" in result(dialog)
    assert not button.isEnabled() and button.text() == "重新发送（60秒）"
    clock.now += 59.2
    dialog.refresh_send_button()
    assert not button.isEnabled() and button.text() == "重新发送（1秒）"
    clock.now += 1
    dialog.refresh_send_button()
    assert button.isEnabled() and button.text() == "发送验证码(&S)"

    code = last_code(server, customer["id"])
    with qtbot.waitSignal(dialog.verified, timeout=10000) as passed:
        check(qtbot, dialog, code)
    verification = passed.args[0]
    assert (verification.method, verification.outcome, verification.customer_id) == (
        "sms_code", "passed", customer["id"])
    qtbot.waitUntil(lambda: desk.card.revealed, timeout=10000)
    assert desk.card.findChild(QLabel, "customerName").text() == "张伟"
    assert desk.card.findChild(QLabel, "customerPhone").text() == PHONE
    pending = desk_store.pending_mutations()
    assert not [m for m in pending if m.entity == "verification"]  # the server wrote it, not this desk
    [audit] = [m.fields for m in pending if m.entity == "audit"]
    assert audit["detail"]["verification_id"] == verification.id and audit["detail"]["method"] == "sms_code"
    assert not dialog.isVisible()


def test_wrong_code_expired_and_too_many_tries_say_why(qtbot: QtBot, server: ServerProcess,
                                                       customer: dict[str, Any], desk_store: Store,
                                                       agent: ApiClient) -> None:
    assert agent.session is not None
    desk = make_desk(qtbot, hotline_context(desk_store, agent.session.staff, OnlineEngine(agent)))
    dialog = open_sms(qtbot, desk, customer["id"])
    send(qtbot, dialog)
    code = last_code(server, customer["id"])
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)

    check(qtbot, dialog, "12 3")
    assert "6位数字验证码" in result(dialog)
    check(qtbot, dialog, wrong)
    assert "验证码不正确，还可再试 4 次。" in result(dialog) and "已记录" in result(dialog)
    assert dialog.isVisible() and not desk.card.revealed and dialog.last_outcome is not None
    assert dialog.last_outcome.reason == "wrong_code"

    set_clock(server, FIXED_NOW + timedelta(minutes=6))
    check(qtbot, dialog, code)
    assert "验证码已过期" in result(dialog) and not desk.card.revealed

    set_clock(server, FIXED_NOW + timedelta(minutes=7))  # past the server's one-code-a-minute limit
    dialog._resend.reset()  # the desk's own 60 s limit is covered above; here the server's rules are under test
    dialog.refresh_send_button()
    send(qtbot, dialog)
    code = last_code(server, customer["id"])
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    for _ in range(5):
        check(qtbot, dialog, wrong)
    assert "输错次数过多" in result(dialog) and not desk.card.revealed


def test_unreachable_server_says_sms_needs_the_network(qtbot: QtBot, customer: dict[str, Any],
                                                       desk_store: Store, agent: ApiClient) -> None:
    assert agent.session is not None
    # A desk that signed in earlier, whose link is now down: every request ends in Offline.
    down = ApiClient(dead_url(), token_store=MemoryTokenStore("refresh-token"))
    desk = make_desk(qtbot, hotline_context(desk_store, agent.session.staff, OnlineEngine(down)))
    dialog = open_sms(qtbot, desk, customer["id"])
    offline = dialog.findChild(QLabel, "smsOffline")
    dialog.findChild(QPushButton, "sendSmsCode").click()
    qtbot.waitUntil(lambda: offline.isVisibleTo(dialog), timeout=10000)
    assert "需要连接服务器" in offline.text() and "户号、姓名与证件后4位" in offline.text()
    assert "无法连接服务器" in result(dialog)
    assert dialog.send_sms_button.isEnabled()  # nothing was sent: the agent may retry when the link is back
    dialog.findChild(QPushButton, "useOtherMethod").click()
    assert dialog.methods.currentWidget().findChild(type(dialog.account_edit), "verifyAccountNo") is not None
    wait_for(qtbot, down.aclose())


def test_desk_without_engine_offers_the_other_method(qtbot: QtBot, customer: dict[str, Any],
                                                     desk_store: Store, agent: ApiClient) -> None:
    assert agent.session is not None
    desk = make_desk(qtbot, hotline_context(desk_store, agent.session.staff, None))
    dialog = open_sms(qtbot, desk, customer["id"])
    assert dialog.findChild(QLabel, "smsOffline").isVisibleTo(dialog)
    assert not dialog.send_sms_button.isEnabled() and not dialog.check_sms_button.isEnabled()
    check(qtbot, dialog, "123456")  # Enter in the field must not reach for a server either
    assert not desk.card.revealed and dialog.isVisible()


# ---- Qt-free pieces ------------------------------------------------------------------------------


def test_code_input_is_six_digits() -> None:
    assert clean_sms_code(" １２３ ４５６ ") == "123456"
    for bad in ("", "12345", "1234567", "12a456"):
        with pytest.raises(InvalidInput) as error:
            clean_sms_code(bad)
        assert error.value.field == "sms_code"


def test_server_answer_becomes_a_check() -> None:
    record = {"id": "v1", "office_id": OFFICE, "version": 1, "customer_id": "c1", "channel": "hotline",
              "method": "sms_code", "evidence_ref": "sms:wrong_code", "staff_id": "s1",
              "at": FIXED_NOW.isoformat(), "outcome": "failed"}
    failed = SmsCheck.from_answer({"outcome": "failed", "reason": "wrong_code", "attempts_left": 3,
                                   "verification": record})
    assert (failed.outcome.passed, failed.outcome.reason, failed.attempts_left) == (False, "wrong_code", 3)
    odd = SmsCheck.from_answer({"outcome": "failed", "reason": "something_new", "verification": record})
    assert odd.outcome.reason == "no_code" and odd.attempts_left == 0
    passed = SmsCheck.from_answer({"outcome": "passed", "reason": "passed", "attempts_left": 0,
                                   "verification": record | {"outcome": "passed"}})
    assert passed.outcome.passed and passed.outcome.method == "sms_code" and passed.verification.id == "v1"


def test_resend_countdown_counts_on_its_clock() -> None:
    clock = FakeMonotonic()
    countdown = ResendCountdown(60, clock)
    assert countdown.seconds_left() == 0
    countdown.start()
    assert countdown.seconds_left() == 60
    clock.now += 0.5
    assert countdown.seconds_left() == 60
    clock.now += 59.5
    assert countdown.seconds_left() == 0
    countdown.start()
    countdown.reset()
    assert countdown.seconds_left() == 0
