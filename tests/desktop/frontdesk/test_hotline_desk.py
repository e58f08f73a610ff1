"""The hotline agent's side of the front desk: the new-caller form offers 查找已有客户 and 匿名受理 and puts
the call into the new customer's timeline; a phone request gets its number by SMS instead of a paper receipt;
what the desk knows is collected once (the caller's number, the account's address as the fault address)."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop.frontdesk import FrontDesk
from desktop.frontdesk.screen_pop import NewCallerForm
from domain.records import Interaction
from local_store import Store
from tests.desktop.support import OFFSCREEN_NOISE, EngineStub

from .conftest import ManualClock, make_context, open_card
from .test_intake import REPAIR, accept, fill, start_intake

pytestmark = OFFSCREEN_NOISE
CALLER = "13800000077"


@pytest.fixture
def hotline(qtbot: QtBot, store: Store, engine: EngineStub, clock: ManualClock) -> FrontDesk:
    screen = FrontDesk(make_context(store, engine, role="hotline"), clock=clock)
    qtbot.addWidget(screen)
    screen.show()
    return screen


def new_caller_form(qtbot: QtBot, desk: FrontDesk) -> NewCallerForm:
    desk.handle_screen_pop(CALLER, [], call_id="call-77")
    qtbot.waitUntil(lambda: any(f.isVisible() for f in desk.findChildren(NewCallerForm)))
    return next(f for f in desk.findChildren(NewCallerForm) if f.isVisible())


def gone(widget: NewCallerForm) -> bool:
    return not shiboken6.isValid(widget) or not widget.isVisible()


def test_a_new_caller_is_registered_with_the_call_in_their_timeline(qtbot: QtBot, hotline: FrontDesk,
                                                                    store: Store) -> None:
    form = new_caller_form(qtbot, hotline)
    form.findChild(QLineEdit, "newCallerName").setText("王晓")
    form.submit()
    qtbot.waitUntil(lambda: hotline.card.customer is not None and hotline.card.customer.name == "王晓")
    customer = hotline.card.customer
    calls = [e.record for e in store.customer_timeline(customer.id) if isinstance(e.record, Interaction)]
    assert [(c.type, c.call_id, c.caller_number) for c in calls] == [("call", "call-77", CALLER)]


def test_the_new_caller_form_can_search_existing_customers(qtbot: QtBot, hotline: FrontDesk) -> None:
    form = new_caller_form(qtbot, hotline)
    form.findChild(QPushButton, "searchExistingCaller").click()
    qtbot.waitUntil(lambda: gone(form))
    assert hotline.search.box.text() == CALLER
    assert hotline.focusWidget() is hotline.search.box  # where the focus is once the window is active again


def test_an_anonymous_caller_is_accepted_with_their_number_prefilled(qtbot: QtBot, hotline: FrontDesk,
                                                                     store: Store) -> None:
    open_card(qtbot, hotline, "cust-0")  # the previous caller's card is still on screen
    form = new_caller_form(qtbot, hotline)
    form.findChild(QPushButton, "anonymousCaller").click()
    qtbot.waitUntil(lambda: hotline.intake_dialog is not None and hotline.intake_dialog.isVisible())
    dialog = hotline.intake_dialog
    assert dialog.findChild(QLabel, "intakeCustomer").text() == "（未选择客户）"
    dialog.form.select_type("enquiry")
    assert dialog.form.editor("contact_phone").value() == CALLER  # collected once: the number they call from
    fill(qtbot, dialog, {"enquiry_topic": "tariff", "content": "峰谷电价怎么算"})
    accept(qtbot, dialog)
    assert dialog.ticket is not None and dialog.ticket.customer_id is None
    dialog.done(0)
    # That call's request is filed: the next form (another customer's) does not take the caller's number.
    later = start_intake(qtbot, hotline, "cust-4")
    later.form.select_type("enquiry")
    assert later.form.editor("contact_phone").value() is None


def test_a_phone_request_gets_its_number_by_sms_not_a_paper_receipt(qtbot: QtBot, hotline: FrontDesk,
                                                                   store: Store) -> None:
    dialog = start_intake(qtbot, hotline, "cust-4")
    dialog.form.select_type("repair")
    fill(qtbot, dialog, REPAIR)
    accept(qtbot, dialog)
    sms = dialog.findChild(QPushButton, "smsTicketNumber")
    assert sms.isVisible() and sms.isDefault() and sms.isEnabled()
    assert not dialog.findChild(QPushButton, "printReceipt").isVisible()
    assert not dialog.findChild(QPushButton, "saveReceipt").isVisible()
    sms.click()
    shown = dialog.findChild(QLabel, "smsRecorded")
    qtbot.waitUntil(shown.isVisible)
    # Queued for the server, which writes the text with its GD number (tests/desktop/frontdesk/test_sms_notice.py).
    assert "139****0004" in shown.text() and "待发送" in shown.text()
    assert dialog.ticket is not None
    steps = [i for i in store.ticket_interactions(dialog.ticket.id) if i.type == "ticket_step"]
    assert len(steps) == 1 and steps[0].summary == "短信告知工单编号（139****0004）：待发送"
    assert steps[0].customer_id == "cust-4"
    assert "13900000004" not in steps[0].summary  # the phone is masked in what is kept


def test_the_repair_form_takes_the_fault_address_from_the_account(qtbot: QtBot, desk: FrontDesk) -> None:
    dialog = start_intake(qtbot, desk, "cust-4")  # not verified: personal data stays masked, the address is not
    dialog.form.select_type("repair")
    assert dialog.form.editor("fault_address").value() == "北京市东城区和平里4号"
