"""A walk-in applicant who is not a customer yet (新装): F4 with no customer opens the intake on a new
connection, the applicant's ID card (or the clerk's typing) fills the form, and accepting registers them
as a customer with the request in the same visit; their card opens behind the dialog."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from desktop.context import DeskContext
from desktop.frontdesk import FrontDesk
from desktop.frontdesk.identity_checks import CardReading, SimulatedCardReader
from desktop.frontdesk.screen import DEMO_WALK_IN_ID, DEMO_WALK_IN_NAME
from local_store import Store
from tests.desktop.support import OFFSCREEN_NOISE

from .conftest import ManualClock, resident_id
from .test_intake import accept, fill, tick_materials

pytestmark = OFFSCREEN_NOISE
APPLICANT_ID = resident_id(321)
APPLICANT = {"address": "北京市东城区新华路12号", "contact_phone": "13900000012", "requested_kw": "6",
             "phases": "single"}


@pytest.fixture
def reader() -> SimulatedCardReader:
    return SimulatedCardReader()


@pytest.fixture
def hall(qtbot: QtBot, context: DeskContext, clock: ManualClock, reader: SimulatedCardReader) -> FrontDesk:
    screen = FrontDesk(context, clock=clock, card_reader=reader)
    qtbot.addWidget(screen)
    screen.show()
    return screen


def new_customers(store: Store) -> list[dict]:
    return [m.fields for m in store.pending_mutations() if m.entity == "customer" and m.op == "create"]


def test_f4_without_a_customer_registers_the_applicant_from_the_id_card(
    qtbot: QtBot, hall: FrontDesk, store: Store, reader: SimulatedCardReader, context: DeskContext,
) -> None:
    assert hall.card.customer is None
    context.actions.action("frontdesk.new_ticket").trigger()  # F4
    dialog = hall.intake_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.form.ticket_type.code == "connection_residential"  # a stranger at the counter: 新装
    assert "新装申请人" in dialog.findChild(QLabel, "applicantHint").text()
    reader.place(CardReading(id_number=APPLICANT_ID, name="柳青禾"))
    dialog.findChild(QPushButton, "readApplicantCard").click()
    assert dialog.form.editor("customer_name").value() == "柳青禾"
    assert dialog.form.editor("id_number").value() == APPLICANT_ID
    fill(qtbot, dialog, APPLICANT)
    tick_materials(dialog, "identity", "property_proof")
    accept(qtbot, dialog)
    ticket = dialog.ticket
    assert ticket is not None and ticket.customer_id is not None
    customer = store.customer(ticket.customer_id)
    assert customer is not None and (customer.name, customer.id_number, customer.phone) == (
        "柳青禾", APPLICANT_ID, "13900000012")
    # Queued in order: the customer first, so the server knows them when the ticket arrives.
    entities = [m.entity for m in store.pending_mutations()]
    assert entities.index("customer") < entities.index("ticket")
    assert [e.record.method for e in store.customer_timeline(customer.id) if e.kind == "verification"] == [
        "id_card_reader"]
    assert dict(dialog.receipt(ticket).lines)["客户："] == "柳青禾"  # their own name, in full
    qtbot.waitUntil(lambda: hall.card.customer is not None and hall.card.customer.id == customer.id)


def test_an_applicant_typed_by_hand_who_is_already_a_customer_is_not_registered_twice(
    qtbot: QtBot, hall: FrontDesk, store: Store, context: DeskContext,
) -> None:
    known = store.customer("cust-2")
    assert known is not None and known.id_number
    context.actions.action("frontdesk.new_ticket").trigger()
    dialog = hall.intake_dialog
    assert dialog is not None
    fill(qtbot, dialog, {"customer_name": known.name, "id_number": known.id_number, **APPLICANT})
    tick_materials(dialog, "identity", "property_proof")
    accept(qtbot, dialog)
    assert dialog.ticket is not None and dialog.ticket.customer_id == "cust-2"
    assert new_customers(store) == []


def test_other_requests_without_a_customer_stay_anonymous(qtbot: QtBot, hall: FrontDesk, store: Store,
                                                          context: DeskContext) -> None:
    context.actions.action("frontdesk.new_ticket").trigger()
    dialog = hall.intake_dialog
    assert dialog is not None
    dialog.form.select_type("complaint")
    fill(qtbot, dialog, {"complaint_class": "service", "description": "营业厅排队时间过长"})
    accept(qtbot, dialog)
    assert dialog.ticket is not None and dialog.ticket.customer_id is None
    assert new_customers(store) == []


def test_the_demo_reader_hands_over_a_walk_in_applicants_card(qtbot: QtBot, context: DeskContext,
                                                             clock: ManualClock) -> None:
    context.demo = True  # the simulated reader exists only in demo mode
    screen = FrontDesk(context, clock=clock)
    qtbot.addWidget(screen)
    screen.show()
    dialog = screen.open_intake()
    dialog.findChild(QPushButton, "readApplicantCard").click()
    assert dialog.form.editor("customer_name").value() == DEMO_WALK_IN_NAME
    assert dialog.form.editor("id_number").value() == DEMO_WALK_IN_ID
    dialog.done(0)
