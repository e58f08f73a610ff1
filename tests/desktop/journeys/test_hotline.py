"""The hotline agent's call: the telephony system rings, the caller's card pops on the agent's desk, the
agent verifies the caller by 户号, name and the ID number's last four, and files a repair ticket that the
server numbers at once."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from PySide6.QtWidgets import QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop.frontdesk import FrontDesk
from desktop.frontdesk.screen_pop import NewCallerForm
from domain.masking import mask_phone
from tests.desktop.journeys.conftest import CHANNEL_KEY, Journey, accept_request, ring, type_into
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


def test_a_simulated_call_rings_through_the_channel_and_its_wrap_up_reaches_the_server(
    qtbot: QtBot, office: Backend, desk_for: Callable[[str, str], Journey],
) -> None:
    """模拟来电 as the demo runs it (here the office server stands in for the demo's embedded backend): a known
    customer's number pops their card and the call bar; 结束通话 with a wrap-up reaches the server on the call;
    the next simulated call is from an unknown number and opens the new-caller form."""
    journey = desk_for(office.url, "hotline1")
    front = journey.area("frontdesk")
    assert isinstance(front, FrontDesk)
    desk = journey.desk
    desk.embedded = SimpleNamespace(url=office.url, channel_key=CHANNEL_KEY)
    try:
        desk.simulate_call()
        qtbot.waitUntil(lambda: front.call_bar.active and front.card.customer is not None, timeout=15000)
        assert front.card.customer is not None and front.card.customer.phone == front.call_bar.caller_number
        call_id = front.call_bar.call_id
        assert call_id is not None and call_id.startswith("demo-")
        assert front.call_bar.caller_number not in front.call_bar.caller.text()  # masked: not verified
        front.call_bar.wrap_up.setCurrentIndex(0)
        front.call_bar.end_button.click()
        qtbot.waitUntil(lambda: not front.call_bar.isVisible(), timeout=10000)
        journey.synced()
        summaries = [s for (s,) in office.query("SELECT summary FROM interaction WHERE call_id = ?", call_id)]
        assert any(s.startswith("话后小结：咨询") for s in summaries), summaries

        desk.simulate_call()
        qtbot.waitUntil(lambda: any(f.isVisible() for f in front.findChildren(NewCallerForm)), timeout=15000)
        assert front.call_bar.active and front.call_bar.call_id != call_id
        next(f for f in front.findChildren(NewCallerForm) if f.isVisible()).reject()
    finally:
        desk.embedded = None  # not ours to stop
    journey.finish()


def test_a_second_call_during_the_first_keeps_the_first_wrap_up_and_both_reach_the_server(
    qtbot: QtBot, office: Backend, desk_for: Callable[[str, str], Journey],
) -> None:
    """A known customer calls; while the agent is on it (wrap-up code chosen, 结束通话 not pressed) a second call
    from an unknown number reaches the desk. The first call waits on the bar as 待小结 with its code; the agent
    ends the second call, signs out and in again (the first call's wrap-up is still there), then finishes it:
    both wrap-ups reach the server, each on its own call. The
    first call's own record in the customer's timeline reads as the call: masked number, time, wrap-up."""
    journey = desk_for(office.url, "hotline1")
    front = journey.area("frontdesk")
    assert isinstance(front, FrontDesk)
    desk = journey.desk
    desk.embedded = SimpleNamespace(url=office.url, channel_key=CHANNEL_KEY)
    bar = front.call_bar
    try:
        desk.simulate_call()  # a new desk's first simulated call is from a known customer, the next from nobody known
        qtbot.waitUntil(lambda: bar.active and front.card.customer is not None, timeout=15000)
        first_call, first_number = bar.call_id, bar.caller_number
        customer = front.card.customer
        assert first_call is not None and customer is not None
        bar.wrap_up.setCurrentIndex(bar.wrap_up.findData("repair"))

        desk.simulate_call()  # the second call, while the first is under way
        qtbot.waitUntil(lambda: any(f.isVisible() for f in front.findChildren(NewCallerForm)), timeout=15000)
        next(f for f in front.findChildren(NewCallerForm) if f.isVisible()).reject()
        second_call = bar.call_id
        assert second_call not in (None, first_call)
        [held] = bar.pending_calls()
        assert (held.call_id, held.code, held.customer_id) == (first_call, "repair", customer.id)
        [finish] = [b for b in bar.findChildren(QPushButton, "callBarFinishPending") if b.isVisible()]
        assert finish.isEnabled()  # the code chosen before the second call is still there

        bar.wrap_up.setCurrentIndex(bar.wrap_up.findData("enquiry"))
        bar.end_button.click()
        qtbot.waitUntil(lambda: not bar.active, timeout=10000)
        assert bar.isVisible()  # the first call's wrap-up is still to do

        # Signed out and back in before finishing it: the next session still has it, code and all.
        journey.switch_to("hotline1")
        front = journey.area("frontdesk")
        bar = front.call_bar
        qtbot.waitUntil(lambda: [c.call_id for c in bar.pending_calls()] == [first_call], timeout=15000)
        [finish] = [b for b in bar.findChildren(QPushButton, "callBarFinishPending") if b.isVisible()]
        assert finish.isEnabled() and bar.pending_calls()[0].code == "repair"
        finish.click()
        qtbot.waitUntil(lambda: not bar.isVisible(), timeout=10000)
        journey.synced()

        def on_server(call_id: str | None) -> list[str]:
            return [s for (s,) in office.query(
                "SELECT summary FROM interaction WHERE call_id = ? AND summary <> '' ORDER BY at", call_id)]

        assert [s[:7] for s in on_server(first_call)] == ["话后小结：报修"], on_server(first_call)
        assert [s[:7] for s in on_server(second_call)] == ["话后小结：咨询"], on_server(second_call)
        [(pop_id, pop_customer)] = office.query(
            "SELECT id, customer_id FROM interaction WHERE call_id = ? AND summary = ''", first_call)
        assert pop_customer == customer.id  # the screen pop's own record of the call, in their timeline

        # The card shows that record as the call it was.
        front.open_customer(customer.id)
        model = front.card.timeline_model

        def pop_text() -> str:
            for row in range(model.rowCount()):
                entry = model.entry(row)
                if entry is not None and entry.record.id == pop_id:
                    return str(model.index(row, model.SUMMARY).data())
            return ""

        qtbot.waitUntil(lambda: "话后小结：报修" in pop_text(), timeout=30000)
        assert pop_text().startswith(f"来电 {mask_phone(first_number)}") and first_number not in pop_text()
    finally:
        desk.embedded = None  # not ours to stop
    journey.finish()
