"""The hotline agent's call: the telephony system rings, the caller's card pops on the agent's desk, the
agent verifies the caller by 户号, name and the ID number's last four, and files a repair ticket that the
server numbers at once."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop.frontdesk import FrontDesk
from tests.desktop.journeys.conftest import Journey, accept_request, ring, type_into
from tests.desktop.support import OFFSCREEN_NOISE
from tests.e2e.harness import Backend

pytestmark = [OFFSCREEN_NOISE, pytest.mark.slow, pytest.mark.e2e]


def test_hotline_call_pops_the_card_verify_and_file_a_repair(
    qtbot: QtBot, office: Backend, desk_for: Callable[[str, str], Journey],
) -> None:
    journey = desk_for(office.url, "hotline1")
    assert journey.window.current_area == "frontdesk"  # the agent lands on the front desk
    front = journey.area("frontdesk")
    assert isinstance(front, FrontDesk)
    assert journey.desk.staff is not None
    [(customer_id, phone)] = office.query(
        "SELECT c.id, c.phone FROM customer c JOIN account a ON a.customer_id = c.id WHERE c.office_id = ? "
        "AND c.phone IS NOT NULL AND c.id_number IS NOT NULL ORDER BY c.id DESC LIMIT 1",
        journey.desk.staff.office_id)

    # The call reaches the agent: the caller's card pops.
    answer = ring(office, phone)
    assert answer["customer_ids"] == [customer_id]
    qtbot.waitUntil(lambda: front.card.customer is not None and front.card.customer.id == customer_id, timeout=15000)
    customer = front.card.customer
    assert customer is not None and customer.id_number and not front.card.revealed
    qtbot.waitUntil(lambda: bool(front.card.accounts), timeout=10000)
    account = front.card.accounts[0]

    # Verified on the phone: 户号, name and the last four of the ID number.
    journey.press("frontdesk.verify")
    dialog = front.verify_dialog
    assert dialog is not None and dialog.isVisible()
    type_into(qtbot, dialog.findChild(QLineEdit, "verifyAccountNo"), account.account_no)
    type_into(qtbot, dialog.findChild(QLineEdit, "verifyAccountName"), customer.name)
    type_into(qtbot, dialog.findChild(QLineEdit, "verifyIdTail"), customer.id_number[-4:])
    dialog.findChild(QPushButton, "checkAccount").click()
    qtbot.waitUntil(lambda: front.card.revealed, timeout=15000)

    # A repair ticket, on the hotline channel, numbered by the server.
    ticket = accept_request(qtbot, front, "repair", {
        "fault_address": account.address or customer.address or "岚川县城关镇", "area_class": "urban",
        "fault_type": "no_power", "contact_phone": phone})
    assert ticket.channel == "hotline"
    qtbot.waitUntil(lambda: (journey.store.ticket(ticket.id) or ticket).number is not None, timeout=30000)
    [(number, channel, type_code)] = office.query("SELECT number, channel, type_code FROM ticket WHERE id = ?",
                                                  ticket.id)
    assert number.startswith("GD") and (channel, type_code) == ("hotline", "repair")
    journey.finish()
