"""The detail offers 转待回访 disabled, saying why, while a mandatory stage is open (domain.ticket_rules)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from desktop.tickets.detail import TicketDetail
from domain.catalogue import load_catalogue
from domain.errors import InvalidTransition
from local_store import Store
from tests.desktop.tickets.conftest import DeskClock, Server, make_context, staff_data, task_data, ticket_data

pytestmark = [pytest.mark.usefixtures("desk_loop"),
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


@pytest.fixture
def detail_of(qtbot: QtBot, desk_clock: DeskClock, store: Store) -> Iterator[object]:
    opened: list[TicketDetail] = []

    def show(ticket_id: str) -> TicketDetail:
        detail = TicketDetail(make_context(store, "s-clerk", "clerk", None), load_catalogue(), desk_clock)
        qtbot.addWidget(detail)
        opened.append(detail)
        detail.show_ticket(ticket_id)
        qtbot.waitUntil(lambda: detail.bundle is not None, timeout=5000)
        return detail

    yield show
    for detail in opened:
        detail.shutdown()


def test_awaiting_visit_is_disabled_with_the_reason_while_the_crew_has_not_arrived(
        server: Server, store: Store, detail_of) -> None:
    server.send(
        ("staff", staff_data("s-clerk", "clerk")),
        ("ticket", ticket_data(31, type_code="repair", channel="hotline", customer=None, state="in_progress")),
        ("stage_task", task_data(31, "accept_dispatch", "dispatch", state="done")),
        ("stage_task", task_data(31, "arrive", "operations", state="taken")),
    )
    detail = detail_of("tick-00031")
    visit = detail.findChild(QPushButton, "ticketAction_awaiting_visit")
    assert visit is not None and not visit.isEnabled()
    assert visit.toolTip() == "环节「到达现场」尚未完成，工单不能转待回访，也不能办结"
    close = detail.findChild(QPushButton, "ticketAction_closed")
    assert close is not None and not close.isEnabled() and close.toolTip() == visit.toolTip()
    why = detail.findChild(QLabel, "ticketMoveRefusal")
    assert why is not None and why.text() == visit.toolTip()  # refused for the same stage: said once
    visit.click()
    assert store.outbox_size() == 0
    with pytest.raises(InvalidTransition, match="不能转待回访"):  # the store asks the same rule (offline too)
        store.transition("ticket", "tick-00031", "awaiting_visit", role="clerk")
    ticket = store.ticket("tick-00031")
    assert store.outbox_size() == 0 and ticket is not None and ticket.state == "in_progress"


def test_awaiting_visit_is_offered_once_the_mandatory_stages_are_done(server: Server, store: Store,
                                                                       detail_of) -> None:
    server.send(
        ("staff", staff_data("s-clerk", "clerk")),
        ("ticket", ticket_data(32, type_code="repair", channel="hotline", customer=None, state="in_progress")),
        ("stage_task", task_data(32, "accept_dispatch", "dispatch", state="done")),
        ("stage_task", task_data(32, "arrive", "operations", state="done")),
        ("stage_task", task_data(32, "repaired", "operations", state="done")),
        ("stage_task", task_data(32, "return_visit", "service", state="open")),
    )
    detail = detail_of("tick-00032")
    visit = detail.findChild(QPushButton, "ticketAction_awaiting_visit")
    assert visit is not None and visit.isEnabled() and visit.toolTip() == ""
