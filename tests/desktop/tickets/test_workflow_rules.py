"""The detail offers only what the server takes: no close over an open mandatory stage (disabled, with
the reason), no 主责评价 from a role that may not give one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from desktop.context import DeskContext
from desktop.tickets.detail import TicketDetail
from desktop.tickets.task_dialogs import ReturnVisitDialog
from domain.catalogue import load_catalogue
from local_store import Store
from tests.desktop.tickets.conftest import DeskClock, Server, make_context, staff_data, task_data, ticket_data

pytestmark = [pytest.mark.usefixtures("desk_loop"),
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


@pytest.fixture
def open_detail(qtbot: QtBot, desk_clock: DeskClock) -> Iterator[object]:
    opened: list[TicketDetail] = []

    def show(context: DeskContext, ticket_id: str) -> TicketDetail:
        detail = TicketDetail(context, load_catalogue(), desk_clock)
        qtbot.addWidget(detail)
        opened.append(detail)
        detail.show_ticket(ticket_id)
        qtbot.waitUntil(lambda: detail.bundle is not None, timeout=5000)
        return detail

    yield show
    for detail in opened:
        detail.shutdown()


def test_closing_is_disabled_while_the_crew_has_not_arrived(server: Server, store: Store, open_detail) -> None:
    server.send(
        ("staff", staff_data("s-clerk", "clerk")),
        ("ticket", ticket_data(21, type_code="repair", channel="hotline", customer=None, state="in_progress")),
        ("stage_task", task_data(21, "accept_dispatch", "dispatch", state="done")),
        ("stage_task", task_data(21, "arrive", "operations", state="taken")),
    )
    detail = open_detail(make_context(store, "s-clerk", "clerk", None), "tick-00021")
    close = detail.findChild(QPushButton, "ticketAction_closed")
    assert close is not None and not close.isEnabled()
    assert "到达现场" in close.toolTip() and "不能办结" in close.toolTip()
    why = detail.findChild(QLabel, "ticketMoveRefusal")
    assert why is not None and why.text() == close.toolTip()
    cancel = detail.findChild(QPushButton, "ticketAction_cancelled")
    assert cancel is not None and cancel.isEnabled()  # cancelling is not closing
    close.click()
    assert store.outbox_size() == 0


def test_a_clerk_closing_at_the_window_is_not_offered_the_leads_rating(server: Server, store: Store,
                                                                         open_detail) -> None:
    server.send(
        ("staff", staff_data("s-clerk", "clerk")),
        ("ticket", ticket_data(22, type_code="complaint", state="awaiting_visit", customer=None)),
        ("stage_task", task_data(22, "accept", "service", state="done")),
        ("stage_task", task_data(22, "handle", "metering", state="done")),
        ("stage_task", task_data(22, "return_visit", "service", state="open")),
    )
    detail = open_detail(make_context(store, "s-clerk", "clerk", None), "tick-00022")
    close = detail.findChild(QPushButton, "ticketAction_closed")
    assert close is not None and close.isEnabled()  # the return visit is recorded by closing
    close.click()
    dialog = detail.moves.active_dialog
    assert isinstance(dialog, ReturnVisitDialog)
    assert list(dialog.ratings) == []  # 主责评价 is the departments': the server would refuse it from a clerk
    dialog.reject()
