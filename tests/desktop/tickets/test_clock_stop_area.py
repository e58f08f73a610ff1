"""The tickets area honours a stopped clock: a repair whose crew arrived (到达现场 done) reads
「已停止计时」 in the detail header instead of 已超时, and is not on the supervisor's 超时 list, while
a repair still waiting for its crew is."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from pytestqt.qtbot import QtBot

from desktop.tickets import TicketsArea
from desktop.tickets.queue_model import COLUMNS
from domain import sla
from local_store import Store
from tests.desktop.tickets.conftest import (
    START,
    DeskClock,
    Server,
    customer_data,
    iso,
    make_context,
    staff_data,
    task_data,
    ticket_data,
)

pytestmark = [pytest.mark.usefixtures("desk_loop"),
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]

OPENED = START - timedelta(hours=1)


def repair(n: int, arrive_state: str, arrived: timedelta | None = None) -> list[tuple[str, dict]]:
    """A repair due 45 minutes after acceptance; its crew arrived `arrived` after acceptance."""
    done = {"completed_at": iso(OPENED + arrived)} if arrived is not None else {}
    return [
        ("ticket", ticket_data(n, type_code="repair", channel="hotline", accepted=OPENED,
                               due=timedelta(minutes=45), warn=timedelta(minutes=36))),
        ("stage_task", task_data(n, "arrive", "operations", state=arrive_state, opened=OPENED,
                                 due=timedelta(minutes=45), warn=timedelta(minutes=36), **done)),
        ("stage_task", task_data(n, "repair", "operations", opened=OPENED, due=None, warn=None)),
    ]


@pytest.fixture
def area(qtbot: QtBot, server: Server, store: Store, desk_clock: DeskClock) -> Iterator[TicketsArea]:
    server.send(("staff", staff_data("s-boss", "supervisor")), ("customer", customer_data(0)),
                *repair(1, "done", timedelta(minutes=6)), *repair(2, "done", timedelta(minutes=62)),
                *repair(3, "taken"))
    desk_clock.advance(hours=3, minutes=25)
    built = TicketsArea(make_context(store, "s-boss", "supervisor", None), clock=desk_clock, tick_ms=3_600_000)
    qtbot.addWidget(built)
    qtbot.waitUntil(lambda: built.notifier.ready and not built.model.busy and len(built.counts) == 5, timeout=5000)
    yield built
    built.shutdown()


def test_only_the_repair_still_waiting_for_its_crew_is_overdue(qtbot: QtBot, area: TicketsArea) -> None:
    assert area.counts["overdue"] == 1 and area.counts["warning"] == 0
    area.choose_queue("overdue")
    qtbot.waitUntil(lambda: not area.model.busy and area.model.rowCount() == 1, timeout=5000)
    assert area.model.row_at(0).ticket.id == "tick-00003"


@pytest.mark.parametrize(("ticket_id", "header"), [
    ("tick-00001", "（已停止计时，按时）"),
    ("tick-00002", "（已停止计时，超时 17分）"),
])
def test_the_detail_header_shows_the_stopped_clock(qtbot: QtBot, area: TicketsArea, ticket_id: str,
                                                   header: str) -> None:
    area.open_ticket(ticket_id)
    qtbot.waitUntil(lambda: area.detail.bundle is not None and area.detail.bundle.ticket.id == ticket_id,
                    timeout=5000)
    area.detail.tick()
    text = area.detail.countdown.text()
    assert text.endswith(header) and "已超时" not in text
    assert area.detail.countdown.property("slaState") == ""


def test_the_waiting_repair_still_counts_as_overdue_in_the_header(qtbot: QtBot, area: TicketsArea) -> None:
    area.open_ticket("tick-00003")
    qtbot.waitUntil(lambda: area.detail.bundle is not None, timeout=5000)
    assert area.detail.countdown.property("slaState") == "overdue"
    assert "已超时 3小时40分" in area.detail.countdown.text()


def test_the_office_queue_shows_stopped_clocks_not_a_running_overdue(qtbot: QtBot, area: TicketsArea) -> None:
    """本单位工单 listed the repairs whose crew had arrived as 超时 3小时… in red, while the 超时 list left them out."""
    area.choose_queue("office")
    qtbot.waitUntil(lambda: not area.model.busy and area.model.rowCount() == 3, timeout=5000)
    due = next(i for i, column in enumerate(COLUMNS) if column.key == "due")
    shown = {}
    for row in range(area.model.rowCount()):
        queued = area.model.row_at(row)
        shown[queued.ticket.id] = (area.model.data(area.model.index(row, due)), area.model.sla_of(queued))
    assert shown["tick-00001"] == ("已停止计时（按时）", None)
    assert shown["tick-00002"] == ("已停止计时（超时17分）", None)
    text, state = shown["tick-00003"]
    assert text.startswith("超时 ") and state is sla.SlaState.OVERDUE
