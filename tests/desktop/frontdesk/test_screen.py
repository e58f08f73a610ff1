"""The front desk screen as the main window wires it: F2/F3/F4 through the registered actions."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop import messages
from desktop.context import DeskContext
from desktop.frontdesk import FrontDesk
from desktop.operations import drop_connection
from tests.desktop.support import OFFSCREEN_NOISE

from .conftest import open_card

pytestmark = OFFSCREEN_NOISE


def test_f2_focuses_the_search_box(qtbot: QtBot, desk: FrontDesk, context: DeskContext) -> None:
    desk.search.box.setText("3300000001")
    desk.card_stack.setFocus()
    context.actions.action("frontdesk.search").trigger()
    assert desk.search.box.hasFocus()
    assert desk.search.box.selectedText() == "3300000001"


def test_f3_without_a_customer_says_what_to_do(qtbot: QtBot, desk: FrontDesk, context: DeskContext) -> None:
    said: list[tuple[str, str]] = []

    def hear(level: str, text: str, _details: str) -> None:
        said.append((level, text))

    connection = messages.bridge().message.connect(hear)
    try:
        context.actions.action("frontdesk.verify").trigger()
    finally:
        drop_connection(connection)
    assert desk.verify_dialog is None
    assert said == [("info", "请先查找并打开一位客户，再核验身份。")]


def test_f3_and_f4_open_the_dialogs_for_the_customer_on_screen(qtbot: QtBot, desk: FrontDesk,
                                                               context: DeskContext) -> None:
    open_card(qtbot, desk, "cust-1")
    context.actions.action("frontdesk.verify").trigger()
    assert desk.verify_dialog is not None and desk.verify_dialog.isVisible()
    desk.verify_dialog.reject()
    context.actions.action("frontdesk.new_ticket").trigger()
    assert desk.intake_dialog is not None and desk.intake_dialog.isVisible()


def test_key_controls_have_accessible_names(desk: FrontDesk) -> None:
    for name in ("customerSearch", "customerResults", "customerCard", "verifyIdentity", "newTicket",
                 "timelineChannel", "customerTimeline", "openTickets", "customerAccounts", "revealCustomerData"):
        [widget] = [w for w in desk.findChildren(QWidget) if w.objectName() == name]
        assert widget.accessibleName(), name
