"""Identity verification by each method over a real store: outcome recorded, data unmasked, reveal audited."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop.context import DeskContext
from desktop.frontdesk import FrontDesk
from desktop.frontdesk.identity_checks import CardReading, SimulatedCardReader
from desktop.frontdesk.verify_dialog import VerifyIdentityDialog
from domain.sync import Mutation
from local_store import Store
from tests.desktop.support import OFFSCREEN_NOISE, EngineStub, settled

from .conftest import ManualClock, customer_data, make_context, open_card, type_text

pytestmark = OFFSCREEN_NOISE
ZHANG = customer_data(0)


def outbox(store: Store, entity: str) -> list[Mutation]:
    return [m for m in store.pending_mutations() if m.entity == entity]


def verifications(store: Store) -> list[dict]:
    return [m.fields for m in outbox(store, "verification")]


def audits(store: Store) -> list[dict]:
    return [m.fields for m in outbox(store, "audit")]


def open_dialog(qtbot: QtBot, desk: FrontDesk, customer_id: str = "cust-0") -> VerifyIdentityDialog:
    open_card(qtbot, desk, customer_id)
    desk.card.verify_button.click()
    dialog = desk.verify_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def closed(dialog: VerifyIdentityDialog) -> bool:
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def result(dialog: VerifyIdentityDialog) -> str:
    return dialog.findChild(QLabel, "verificationResult").text()


def assert_unmasked(qtbot: QtBot, desk: FrontDesk, store: Store, method: str) -> None:
    qtbot.waitUntil(lambda: desk.card.revealed)
    card = desk.card
    assert card.findChild(QLabel, "customerName").text() == ZHANG["name"]
    assert card.findChild(QLabel, "customerIdNumber").text() == ZHANG["id_number"]
    assert card.findChild(QLabel, "customerPhone").text() == ZHANG["phone"]
    [record] = verifications(store)
    assert (record["method"], record["outcome"], record["customer_id"]) == (method, "passed", "cust-0")
    [audit] = audits(store)
    assert audit["action"] == "customer.reveal" and audit["subject"] == "customer:cust-0"
    assert audit["detail"]["verification_id"] == record["id"]
    qtbot.waitUntil(lambda: any(e.kind == "verification" and e.record.id == record["id"]
                                for e in card.timeline_model.all_entries()))


def assert_still_masked(desk: FrontDesk) -> None:
    assert not desk.card.revealed
    assert desk.card.findChild(QLabel, "customerName").text() == "张*"


# ---- hall ---------------------------------------------------------------------------------------------


def test_hall_card_reader_passes_and_unmasks(qtbot: QtBot, desk: FrontDesk, store: Store) -> None:
    dialog = open_dialog(qtbot, desk)
    dialog.findChild(QPushButton, "readIdCard").click()
    qtbot.waitUntil(lambda: closed(dialog))
    assert_unmasked(qtbot, desk, store, "id_card_reader")
    assert verifications(store)[0]["channel"] == "hall"
    assert verifications(store)[0]["staff_id"] == "staff-1"


@pytest.fixture
def wrong_card_desk(qtbot: QtBot, context: DeskContext, clock: ManualClock) -> Iterator[FrontDesk]:
    other = customer_data(1)
    reader = SimulatedCardReader(CardReading(id_number=other["id_number"], name=other["name"]))
    screen = FrontDesk(context, clock=clock, card_reader=reader)
    qtbot.addWidget(screen)
    screen.show()
    yield screen


def test_someone_elses_card_fails_and_is_recorded(qtbot: QtBot, wrong_card_desk: FrontDesk, store: Store) -> None:
    dialog = open_dialog(qtbot, wrong_card_desk)
    dialog.read_card()
    qtbot.waitUntil(lambda: verifications(store) != [])
    qtbot.waitUntil(lambda: "未通过的核验已记录" in result(dialog))
    assert result(dialog).startswith("身份证号码与档案不一致，核验未通过。")
    assert verifications(store)[0]["outcome"] == "failed"
    assert verifications(store)[0]["method"] == "id_card_reader"
    assert dialog.isVisible() and audits(store) == []
    assert_still_masked(wrong_card_desk)


def test_without_a_reader_the_desk_says_so(qtbot: QtBot, context: DeskContext, clock: ManualClock,
                                           store: Store) -> None:
    """Outside demo mode no reader is simulated: the card tab says none was detected and cannot read."""
    desk = FrontDesk(context, clock=clock)
    qtbot.addWidget(desk)
    desk.show()
    assert desk.card_reader is None
    dialog = open_dialog(qtbot, desk)
    # It opens on the ID number, with the reason, and the card tab says the same.
    assert dialog.methods.currentIndex() == 1 and "未检测到读卡器" in result(dialog)
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.findChild(QLineEdit, "verifyIdNumber"))
    assert "未检测到读卡器" in dialog.findChild(QLabel, "noCardReader").text()
    assert not dialog.findChild(QPushButton, "readIdCard").isEnabled()
    dialog.read_card()
    assert "未检测到读卡器" in result(dialog)
    assert store.pending_mutations() == []


def test_demo_mode_simulates_a_reader_with_the_card_of_the_customer_on_screen(
        qtbot: QtBot, context: DeskContext, clock: ManualClock, store: Store) -> None:
    context.demo = True
    screen = FrontDesk(context, clock=clock)
    qtbot.addWidget(screen)
    screen.show()
    dialog = open_dialog(qtbot, screen)
    assert dialog.findChild(QLabel, "noCardReader") is None
    dialog.findChild(QPushButton, "readIdCard").click()
    qtbot.waitUntil(lambda: closed(dialog))
    assert_unmasked(qtbot, screen, store, "id_card_reader")


def test_no_card_on_the_reader_says_so_and_records_nothing(qtbot: QtBot, context: DeskContext, clock: ManualClock,
                                                           store: Store) -> None:
    screen = FrontDesk(context, clock=clock, card_reader=SimulatedCardReader())
    qtbot.addWidget(screen)
    screen.show()
    dialog = open_dialog(qtbot, screen)
    dialog.read_card()
    qtbot.waitUntil(lambda: "读卡器未读到身份证" in result(dialog))
    assert store.pending_mutations() == []


def test_id_number_and_name_pass(qtbot: QtBot, desk: FrontDesk, store: Store) -> None:
    dialog = open_dialog(qtbot, desk)
    dialog.methods.setCurrentIndex(1)
    type_text(qtbot, dialog.findChild(QLineEdit, "verifyIdNumber"), ZHANG["id_number"])
    type_text(qtbot, dialog.findChild(QLineEdit, "verifyIdName"), ZHANG["name"])
    dialog.findChild(QPushButton, "checkIdNumber").click()
    qtbot.waitUntil(lambda: closed(dialog))
    assert_unmasked(qtbot, desk, store, "id_number_name")


def test_wrong_name_fails_with_the_reason(qtbot: QtBot, desk: FrontDesk, store: Store) -> None:
    dialog = open_dialog(qtbot, desk)
    dialog.id_number_edit.setText(ZHANG["id_number"])
    dialog.id_name_edit.setText("张三")
    dialog.check_id_number()
    qtbot.waitUntil(lambda: verifications(store) != [])
    qtbot.waitUntil(lambda: "姓名与档案不一致" in result(dialog))
    assert verifications(store)[0]["outcome"] == "failed"
    assert_still_masked(desk)


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", "请填写身份证号码"), ("11010119800101", "身份证号码应为18位，当前为14位"),
     (ZHANG["id_number"][:17] + ("0" if ZHANG["id_number"][17] != "0" else "1"), "身份证号码校验位错误")],
)
def test_malformed_id_number_is_explained_and_not_recorded(qtbot: QtBot, desk: FrontDesk, store: Store, typed: str,
                                                          message: str) -> None:
    dialog = open_dialog(qtbot, desk)
    dialog.methods.setCurrentIndex(1)
    dialog.id_number_edit.setText(typed)
    dialog.id_name_edit.setText(ZHANG["name"])
    dialog.check_id_number()
    assert result(dialog) == message
    settled(qtbot)
    assert store.pending_mutations() == []
    assert dialog.id_number_edit.hasFocus()


# ---- hotline ------------------------------------------------------------------------------------------


@pytest.fixture
def hotline_desk(qtbot: QtBot, store: Store, engine: EngineStub, clock: ManualClock) -> FrontDesk:
    screen = FrontDesk(make_context(store, engine, role="hotline"), clock=clock)
    qtbot.addWidget(screen)
    screen.show()
    return screen


def test_hotline_account_name_and_id_tail_pass(qtbot: QtBot, hotline_desk: FrontDesk, store: Store) -> None:
    dialog = open_dialog(qtbot, hotline_desk)
    assert dialog.findChild(QPushButton, "readIdCard") is None  # no card reader on the phone
    type_text(qtbot, dialog.findChild(QLineEdit, "verifyAccountNo"), "3300000000")
    type_text(qtbot, dialog.findChild(QLineEdit, "verifyAccountName"), ZHANG["name"])
    tail = dialog.findChild(QLineEdit, "verifyIdTail")
    type_text(qtbot, tail, ZHANG["id_number"][-4:])
    qtbot.keyClick(tail, Qt.Key.Key_Return)  # Enter in the form checks
    qtbot.waitUntil(lambda: closed(dialog))
    assert_unmasked(qtbot, hotline_desk, store, "account_name_id_tail")
    assert verifications(store)[0]["channel"] == "hotline"


@pytest.mark.parametrize(
    ("account", "tail", "reason"),
    [("3300000001", ZHANG["id_number"][-4:], "该户号不属于此客户"), ("3300000000", "0000", "身份证号码后4位与档案不一致")],
)
def test_hotline_mismatch_fails_and_is_recorded(qtbot: QtBot, hotline_desk: FrontDesk, store: Store, account: str,
                                               tail: str, reason: str) -> None:
    dialog = open_dialog(qtbot, hotline_desk)
    dialog.account_edit.setText(account)
    dialog.account_name_edit.setText(ZHANG["name"])
    dialog.id_tail_edit.setText(tail)
    dialog.check_account()
    qtbot.waitUntil(lambda: reason in result(dialog))
    assert [v["outcome"] for v in verifications(store)] == ["failed"]
    assert_still_masked(hotline_desk)


def test_hotline_malformed_account_number_is_explained(qtbot: QtBot, hotline_desk: FrontDesk, store: Store) -> None:
    dialog = open_dialog(qtbot, hotline_desk)
    dialog.account_edit.setText("33-00")
    dialog.account_name_edit.setText(ZHANG["name"])
    dialog.id_tail_edit.setText("1234")
    dialog.check_account()
    assert result(dialog) == "户号格式不正确，应为10位数字"
    settled(qtbot)
    assert store.pending_mutations() == []


# ---- app ----------------------------------------------------------------------------------------------


def test_app_real_name_record_is_shown_and_can_be_used(qtbot: QtBot, desk: FrontDesk, store: Store) -> None:
    dialog = open_dialog(qtbot, desk)
    records = dialog.app_records
    assert records.count() == 1 and "APP-REF-1" in records.item(0).text()
    dialog.findChild(QPushButton, "useAppVerification").click()
    qtbot.waitUntil(lambda: closed(dialog))
    assert_unmasked(qtbot, desk, store, "app_real_name")
    assert verifications(store)[0]["evidence_ref"] == "verification:ver-app"


def test_a_customer_without_app_records_cannot_use_that_method(qtbot: QtBot, desk: FrontDesk, store: Store) -> None:
    dialog = open_dialog(qtbot, desk, "cust-2")
    assert dialog.app_records.count() == 0
    dialog.use_app_record()
    assert "请选择一条已通过的实名认证记录" in result(dialog)
    assert store.pending_mutations() == []


# ---- reveal -------------------------------------------------------------------------------------------


def test_each_reveal_is_audited(qtbot: QtBot, desk: FrontDesk, store: Store) -> None:
    dialog = open_dialog(qtbot, desk)
    dialog.read_card()
    qtbot.waitUntil(lambda: desk.card.revealed)
    reveal = desk.card.findChild(QPushButton, "revealCustomerData")
    reveal.click()  # hide
    assert not desk.card.revealed and desk.card.findChild(QLabel, "customerName").text() == "张*"
    assert len(audits(store)) == 1
    reveal.click()  # show again: a second audit entry
    qtbot.waitUntil(lambda: desk.card.revealed)
    assert len(audits(store)) == 2
