"""The survey dispatcher's morning: a connection accepted at the hall reaches the dispatch board with its
territory; the system suggests surveyors and explains why; taking the top suggestion books it (at the
surveyor's earliest feasible start); the rest of the queue goes through a batch proposal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop.dispatch import DispatchBoard
from desktop.frontdesk import FrontDesk
from domain.calendar import WorkingCalendar
from domain.dispatch import SurveyRequest
from domain.sla import OFFICE_ZONE
from tests.desktop.journeys.conftest import Journey, accept_request, type_into
from tests.desktop.support import OFFSCREEN_NOISE
from tests.e2e.harness import Backend

pytestmark = [OFFSCREEN_NOISE, pytest.mark.slow, pytest.mark.e2e]


def survey_day() -> date:
    """The next working day in the office: surveyors are on shift all of it, whatever the hour now."""
    return WorkingCalendar.default().add_working_days(datetime.now(OFFICE_ZONE).date(), 1)


def accept_connection_at_the_hall(qtbot: QtBot, office: Backend, journey: Journey, day: date) -> str:
    """The clerk accepts a residential connection for a customer of the office; its id once numbered."""
    front = journey.area("frontdesk")
    assert isinstance(front, FrontDesk) and journey.desk.staff is not None
    [(customer_id, account_no)] = office.query(
        "SELECT c.id, a.account_no FROM customer c JOIN account a ON a.customer_id = c.id "
        "WHERE c.office_id = ? AND c.id_number IS NOT NULL ORDER BY c.id LIMIT 1 OFFSET 3",
        journey.desk.staff.office_id)
    type_into(qtbot, front.search.box, account_no)
    qtbot.keyClick(front.search.box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: front.card.customer is not None and front.card.customer.id == customer_id, timeout=15000)
    customer = front.card.customer
    assert customer is not None and customer.id_number
    ticket = accept_request(qtbot, front, "connection_residential", {
        "customer_name": customer.name, "id_number": customer.id_number,
        "address": customer.address or "岚川县城关镇新华路8号", "contact_phone": customer.phone or "13900000008",
        "requested_kw": "8", "phases": "single", "preferred_survey_date": day.isoformat()},
        ("identity", "property_proof"))
    qtbot.waitUntil(lambda: (journey.store.ticket(ticket.id) or ticket).number is not None, timeout=30000)
    return str(ticket.id)


def dispatcher_board(qtbot: QtBot, office: Backend, desk_for: Callable[[str, str], Journey]
                     ) -> tuple[Journey, DispatchBoard, SurveyRequest]:
    """A connection accepted at the hall, then the dispatcher at the same desk with that survey selected."""
    day = survey_day()
    journey = desk_for(office.url, "clerk1")
    ticket_id = accept_connection_at_the_hall(qtbot, office, journey, day)
    journey.switch_to("dispatcher1")
    assert journey.window.current_area == "dispatch"  # the dispatcher lands on the board
    board = journey.area("dispatch")
    assert isinstance(board, DispatchBoard)
    board.date_edit.setDate(QDate(day.year, day.month, day.day))

    def queue_row() -> int:
        return next((row for row in range(board.queue_model.rowCount())
                     if (item := board.queue_model.item(row)) is not None and item.request.ticket_id == ticket_id), -1)

    qtbot.waitUntil(lambda: queue_row() >= 0, timeout=30000)
    row = queue_row()
    item = board.queue_model.item(row)
    assert item is not None
    board.queue_view.setFocus()
    board.queue_view.selectRow(row)
    return journey, board, item.request


def test_hall_ticket_reaches_the_board_with_its_territory(
    qtbot: QtBot, office: Backend, desk_for: Callable[[str, str], Journey],
) -> None:
    journey, board, request = dispatcher_board(qtbot, office, desk_for)
    assert request.territory  # taken from the account's address at intake (辖区)
    assert board.territory_choice.currentText() == request.territory
    journey.finish()


def test_taking_the_top_suggestion_books_the_hall_survey(
    qtbot: QtBot, office: Backend, desk_for: Callable[[str, str], Journey],
) -> None:
    journey, board, request = dispatcher_board(qtbot, office, desk_for)
    qtbot.waitUntil(lambda: board.suggestion_model.rowCount() > 0 or bool(board.explanation.text()), timeout=15000)
    assert board.suggestion_model.rowCount() > 0, board.explanation.text()
    assert board.explanation.text()  # the top suggestion explains its score
    board.suggestion_view.setFocus()
    board.suggestion_view.setCurrentIndex(board.suggestion_model.index(0, 0))
    qtbot.keyClick(board.suggestion_view, Qt.Key.Key_Return)  # Enter takes it
    qtbot.waitUntil(lambda: board.day is not None and any(
        a.request_id == request.id for a in board.day.assignments), timeout=15000)
    assert not board.refusal.isVisible()
    journey.synced()
    [(surveyor, state)] = office.query("SELECT surveyor_id, state FROM survey_assignment WHERE id = ?", request.id)
    assert surveyor is not None and state != "unassigned"
    journey.finish()


def test_batch_proposal_books_the_queue(
    qtbot: QtBot, office: Backend, desk_for: Callable[[str, str], Journey],
) -> None:
    """The day's queue through a batch proposal, reviewed and accepted; every kept booking reaches the server."""
    day = survey_day()
    journey = desk_for(office.url, "dispatcher1")
    board = journey.area("dispatch")
    assert isinstance(board, DispatchBoard)
    board.date_edit.setDate(QDate(day.year, day.month, day.day))
    qtbot.waitUntil(lambda: board.day is not None and board.day.day == day and board.queue_model.rowCount() > 0,
                    timeout=30000)
    before = office.query("SELECT count(*) FROM survey_assignment WHERE surveyor_id IS NOT NULL")[0][0]
    board.batch_button.click()
    qtbot.waitUntil(lambda: board.proposal_dialog is not None, timeout=60000)
    proposal = board.proposal_dialog
    assert proposal is not None
    kept = len(proposal.model.kept())
    assert kept > 0
    proposal.findChild(QPushButton, "acceptProposal").click()
    qtbot.waitUntil(lambda: board.proposal_dialog is None, timeout=15000)

    def booked_on_the_server() -> int:
        return int(office.query("SELECT count(*) FROM survey_assignment WHERE surveyor_id IS NOT NULL")[0][0])

    try:
        qtbot.waitUntil(lambda: booked_on_the_server() == before + kept, timeout=30000)
    finally:
        assert [c.reason for c in journey.store.conflicts()] == []  # no booking came back refused
    qtbot.waitUntil(lambda: journey.store.outbox_size() == 0, timeout=30000)
    journey.finish()
