"""The hall clerk's day: find the customer by ID number, verify them (no reader on this desk: ID number and
name), accept a request at the one window with its final number, print the receipt with a preview, and
keep accepting while the office's link is down, the provisional number replaced once it returns."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop.frontdesk import FrontDesk
from domain.records import Customer, Ticket
from tests.desktop.journeys.conftest import Journey, accept_request, type_into
from tests.desktop.support import OFFSCREEN_NOISE
from tests.e2e.fault_proxy import FaultProxy
from tests.e2e.harness import Backend

pytestmark = [OFFSCREEN_NOISE, pytest.mark.slow, pytest.mark.e2e]
COMPLAINT = {"complaint_class": "service"}


def walk_in(office: Backend, journey: Journey) -> Customer:
    """A customer of the clerk's office who brings their ID card (the test reads its number from the record)."""
    assert journey.desk.staff is not None
    [(customer_id,)] = office.query(
        "SELECT c.id FROM customer c JOIN account a ON a.customer_id = c.id WHERE c.office_id = ? "
        "AND c.id_number IS NOT NULL ORDER BY c.id LIMIT 1", journey.desk.staff.office_id)
    customer = journey.store.customer(customer_id)
    assert customer is not None and customer.id_number
    return customer


def find_and_verify(qtbot: QtBot, journey: Journey, customer: Customer) -> FrontDesk:
    front = journey.area("frontdesk")
    assert isinstance(front, FrontDesk)
    journey.press("frontdesk.search")  # F2
    type_into(qtbot, front.search.box, customer.id_number or "")
    qtbot.keyClick(front.search.box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: front.card.customer is not None and front.card.customer.id == customer.id, timeout=15000)
    assert not front.card.revealed
    journey.press("frontdesk.verify")  # F3
    dialog = front.verify_dialog
    assert dialog is not None and dialog.isVisible()
    # No ID card reader is attached to this desk: the dialog says so and opens on the ID number.
    assert "未检测到读卡器" in dialog.findChild(QLabel, "verificationResult").text()
    assert dialog.methods.currentIndex() == 1
    type_into(qtbot, dialog.findChild(QLineEdit, "verifyIdNumber"), customer.id_number or "")
    type_into(qtbot, dialog.findChild(QLineEdit, "verifyIdName"), customer.name)
    dialog.findChild(QPushButton, "checkIdNumber").click()
    qtbot.waitUntil(lambda: front.card.revealed, timeout=15000)
    return front


def accept_complaint(qtbot: QtBot, front: FrontDesk, description: str) -> Ticket:
    return accept_request(qtbot, front, "complaint", {**COMPLAINT, "description": description})


def numbered(journey: Journey, ticket: Ticket) -> Callable[[], bool]:
    return lambda: (journey.store.ticket(ticket.id) or ticket).number is not None


def test_clerk_finds_verifies_and_accepts_online_then_offline(
    qtbot: QtBot, office: Backend, link: FaultProxy, desk_for: Callable[[str, str], Journey],
) -> None:
    journey = desk_for(link.url, "clerk1")
    assert journey.window.current_area == "frontdesk"  # the clerk lands on the front desk
    customer = walk_in(office, journey)
    front = find_and_verify(qtbot, journey, customer)

    # Online: accepted at the window, numbered by the server at once.
    online = accept_complaint(qtbot, front, "营业厅排队时间过长（在线受理）")
    qtbot.waitUntil(numbered(journey, online), timeout=30000)
    final = journey.store.ticket(online.id)
    assert final is not None and final.number is not None and final.number.startswith("GD")
    assert office.query("SELECT number FROM ticket WHERE id = ?", online.id) == [(final.number,)]

    # The link goes down: the next request gets a provisional number and waits in the outbox.
    link.partition()
    qtbot.waitUntil(lambda: journey.desk.engine is not None and journey.desk.engine.status.online is False,
                    timeout=30000)
    offline = accept_complaint(qtbot, front, "营业厅排队时间过长（离线受理）")
    assert offline.provisional_number and offline.provisional_number.startswith("P-") and offline.number is None
    assert journey.store.outbox_size() >= 1

    # The link returns: the server's number replaces the provisional one; both stay searchable.
    link.heal()
    journey.press("sync.now")  # F5
    qtbot.waitUntil(numbered(journey, offline), timeout=60000)
    replaced = journey.store.ticket(offline.id)
    assert replaced is not None and replaced.number and replaced.number.startswith("GD")
    assert journey.store.ticket_by_number(offline.provisional_number).id == offline.id  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: journey.store.outbox_size() == 0, timeout=30000)
    assert office.query("SELECT number, provisional_number FROM ticket WHERE id = ?", offline.id) == [
        (replaced.number, offline.provisional_number)]
    journey.finish()


def test_clerk_prints_the_receipt_with_a_preview(
    qtbot: QtBot, office: Backend, link: FaultProxy, desk_for: Callable[[str, str], Journey],
) -> None:
    journey = desk_for(link.url, "clerk1")
    customer = walk_in(office, journey)
    front = find_and_verify(qtbot, journey, customer)
    ticket = accept_request(qtbot, front, "complaint", {**COMPLAINT, "description": "打印回执"}, close=False)
    dialog = front.intake_dialog
    assert dialog is not None and ticket is not None
    try:
        preview = next((b for b in dialog.findChildren(QPushButton) if "打印预览" in b.text()), None)
        assert preview is not None, "the done page offers 打印预览"
        preview.click()

        def previewing() -> bool:
            return any(isinstance(w, QPrintPreviewDialog) and w.isVisible() for w in QApplication.topLevelWidgets())

        qtbot.waitUntil(previewing, timeout=15000)
        # Online: the receipt carries the server's number, the office's name and the customer's full name.
        receipt = dialog.receipts.last_receipt
        assert receipt is not None and receipt.ticket_number.startswith("GD"), receipt
        assert receipt.heading and dict(receipt.lines)["客户："] == customer.name
        for shown in QApplication.topLevelWidgets():
            if isinstance(shown, QPrintPreviewDialog):
                shown.reject()
    finally:
        dialog.close()
        journey.finish()


def test_clerk_registers_a_new_applicant_and_accepts_in_the_same_visit(
    qtbot: QtBot, office: Backend, link: FaultProxy, desk_for: Callable[[str, str], Journey],
) -> None:
    journey = desk_for(link.url, "clerk1")
    front = journey.area("frontdesk")
    assert isinstance(front, FrontDesk) and front.card.customer is None
    applicant_id = "110101199003071233"  # 北京东城, born 1990-03-07
    ticket = accept_request(qtbot, front, "connection_residential", {
        "customer_name": "柳青禾", "id_number": applicant_id, "address": "岚川县城关镇新华路12号",
        "contact_phone": "13900000012", "requested_kw": "6", "phases": "single"}, ("identity", "property_proof"))
    try:
        assert ticket.customer_id is not None, "the applicant is registered as a customer with the request"
        customer = journey.store.customer(ticket.customer_id)
        assert customer is not None and customer.id_number == applicant_id
        qtbot.waitUntil(lambda: office.query("SELECT id_number FROM customer WHERE id = ?", ticket.customer_id)
                        == [(applicant_id,)], timeout=30000)
    finally:
        journey.finish()
