"""The whole tickets area: queues with counts, the clock passing warning and overdue points, notifications."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from pytestqt.qtbot import QtBot

from desktop import messages
from desktop.operations import changes, drop_connection
from desktop.tickets import TicketsArea
from desktop.tickets.queue_model import SLA_COLUMN, SLA_ROLE
from local_store import Store
from tests.desktop.tickets.conftest import (
    START,
    DeskClock,
    Server,
    customer_data,
    make_context,
    staff_data,
    task_data,
    ticket_data,
)

pytestmark = [pytest.mark.usefixtures("desk_loop"),
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


@pytest.fixture
def heard() -> Iterator[list[tuple[str, str]]]:
    said: list[tuple[str, str]] = []

    def listen(level: str, text: str, _details: str) -> None:
        said.append((level, text))

    connection = messages.bridge().message.connect(listen)
    yield said
    drop_connection(connection)


@pytest.fixture
def open_area(qtbot: QtBot, desk_clock: DeskClock) -> Iterator[object]:
    opened: list[TicketsArea] = []

    def build(store: Store, staff_id: str, role: str, department: str | None) -> TicketsArea:
        area = TicketsArea(make_context(store, staff_id, role, department), clock=desk_clock, tick_ms=3_600_000)
        qtbot.addWidget(area)
        opened.append(area)
        qtbot.waitUntil(lambda: area.notifier.ready and not area.model.busy and len(area.counts) == 5, timeout=5000)
        return area

    yield build
    for area in opened:
        area.shutdown()


def repair_rows(n: int, opened=START) -> list[tuple[str, dict]]:
    """A repair: the ticket's clock (10 h, warning at 8 h) and the crew's arrival stage with the same limits."""
    return [
        ("ticket", ticket_data(n, type_code="repair", channel="hotline", accepted=opened,
                               due=timedelta(hours=10), warn=timedelta(hours=8))),
        ("stage_task", task_data(n, "arrive", "operations", opened=opened, due=timedelta(hours=10),
                                 warn=timedelta(hours=8))),
    ]


def test_passing_the_warning_and_overdue_points_shows_everywhere(qtbot: QtBot, server: Server, store: Store,
                                                                 desk_clock: DeskClock, open_area, heard) -> None:
    server.send(("staff", staff_data("s-ops", "department", "operations")), ("customer", customer_data(0)),
                *repair_rows(3))
    area = open_area(store, "s-ops", "department", "operations")
    area.choose_queue("department")
    qtbot.waitUntil(lambda: not area.model.busy and area.model.rowCount() == 1, timeout=5000)
    area.open_ticket("tick-00003")
    qtbot.waitUntil(lambda: area.detail.bundle is not None, timeout=5000)
    cell = area.model.index(0, SLA_COLUMN)
    assert area.model.data(cell, SLA_ROLE) == "on_time"
    assert area.detail.countdown.property("slaState") == "on_time"
    assert area.counts["warning"] == 0 and area.counts["overdue"] == 0
    assert area.notifier.history == []

    desk_clock.advance(hours=8, minutes=30)
    area.tick()
    qtbot.waitUntil(lambda: area.counts.get("warning") == 1, timeout=5000)
    assert area.model.data(cell, SLA_ROLE) == "warning"
    assert area.detail.countdown.property("slaState") == "warning"
    assert "剩余 1小时30分" in area.detail.countdown.text()
    assert [n.kind for n, _ in area.notifier.history] == ["warning"]
    assert ("warning", "预警：工单 GD20250303000003 的「到达现场」环节（运检）即将超时") in heard
    assert area.notifications.count() == 1

    desk_clock.advance(hours=2)
    area.tick()
    qtbot.waitUntil(lambda: area.counts.get("overdue") == 1 and area.counts.get("warning") == 0, timeout=5000)
    assert area.model.data(cell, SLA_ROLE) == "overdue"
    assert area.detail.countdown.property("slaState") == "overdue"
    assert "已超时 30分" in area.detail.countdown.text()
    assert [n.kind for n, _ in area.notifier.history] == ["warning", "overdue"]
    assert area.detail.graph.boxes["arrive"].status.value == "late"
    area.choose_queue("overdue")
    qtbot.waitUntil(lambda: not area.model.busy and area.model.rowCount() == 1, timeout=5000)


def test_new_task_and_a_finished_stage_i_wait_on_are_announced(qtbot: QtBot, server: Server, store: Store,
                                                               open_area, heard) -> None:
    server.send(("staff", staff_data("s-meter", "department", "metering")), ("customer", customer_data(0)),
                ("ticket", ticket_data(4)),
                ("stage_task", task_data(4, "survey", "marketing")),
                ("stage_task", task_data(4, "contract", "marketing", state="done")),
                ("stage_task", task_data(4, "metering_prep", "metering", state="done")))
    area = open_area(store, "s-meter", "department", "metering")
    assert area.notifier.history == []
    # the server completes the survey and opens metering; the sync engine announces what moved
    server.send(("stage_task", task_data(4, "survey", "marketing", state="done", version=2,
                                         completed_at=START.isoformat())),
                ("stage_task", task_data(4, "metering", "metering")))
    changes().announce({"stage_task"})
    qtbot.waitUntil(lambda: len(area.notifier.history) == 2, timeout=5000)
    texts = sorted(text for _, text in area.notifier.history)
    assert texts == ["工单 GD20250303000004 的「现场勘查」环节已由营销完成",
                     "新任务：工单 GD20250303000004 的「装表接电」环节（计量）"]
    assert {("info", t) for t in texts} <= set(heard)
    qtbot.waitUntil(lambda: area.counts.get("my_tasks") == 0 and area.counts.get("department") == 1, timeout=5000)
    assert area.queues.item(1).text() == "本部门待办（1）"


def test_filter_bar_narrows_the_chosen_queue(qtbot: QtBot, server: Server, store: Store, open_area) -> None:
    server.send(("staff", staff_data("s-sup", "supervisor")), ("customer", customer_data(0)),
                ("customer", customer_data(1, "01")),
                ("ticket", ticket_data(1, channel="hall")), ("ticket", ticket_data(2, channel="hotline", customer=1,
                                                                                   type_code="repair")),
                ("ticket", ticket_data(3, channel="hotline", customer=None, type_code="complaint")))
    area = open_area(store, "s-sup", "supervisor", None)
    assert area.queue_id == "office" and area.model.total == 3
    area.channel_filter.setCurrentIndex(area.channel_filter.findData("hotline"))
    qtbot.waitUntil(lambda: not area.model.busy and area.model.total == 2, timeout=5000)
    area.class_filter.setCurrentIndex(area.class_filter.findData("01"))
    qtbot.waitUntil(lambda: not area.model.busy and area.model.total == 1, timeout=5000)
    area.class_filter.setCurrentIndex(0)
    area.type_filter.setCurrentIndex(area.type_filter.findData("complaint"))
    qtbot.waitUntil(lambda: not area.model.busy and area.model.total == 1, timeout=5000)
    assert area.model.data(area.model.index(0, 4)) == "（匿名）"
    area.type_filter.setCurrentIndex(0)
    area.channel_filter.setCurrentIndex(0)
    area.number_filter.setText("gd20250303000002")
    qtbot.waitUntil(lambda: not area.model.busy and area.model.total == 1, timeout=5000)
    area.table.selectRow(0)
    qtbot.waitUntil(lambda: area.detail.bundle is not None and area.detail.bundle.ticket.id == "tick-00002",
                    timeout=5000)
    for name in ("ticketQueue", "ticketQueues", "ticketDetail", "stageGraph"):
        widget = area.findChild(object, name)
        assert widget is not None and widget.accessibleName()
