"""The tickets area keeps its place and its words (issue 12): completing a stage keeps the same ticket and
stage selected after the refresh, and a stage's state reads the same in the stage graph and the table."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop.tickets import TicketsArea
from desktop.tickets.queue_model import TICKET_ID_ROLE
from desktop.tickets.task_dialogs import CompleteDialog
from domain.states import STAGE_TASK
from local_store import Store
from tests.desktop.tickets.conftest import (
    DeskClock,
    Server,
    connection_ticket_rows,
    customer_data,
    make_context,
    staff_data,
    task_data,
)

pytestmark = [pytest.mark.usefixtures("desk_loop"),
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


@pytest.fixture
def area(qtbot: QtBot, server: Server, store: Store, desk_clock: DeskClock) -> Iterator[TicketsArea]:
    server.send(("staff", staff_data("s-mkt", "department", "marketing")), ("staff", staff_data("s-clerk", "clerk")),
                ("customer", customer_data(0)), *connection_ticket_rows(1), *connection_ticket_rows(2),
                *connection_ticket_rows(3))
    shown = TicketsArea(make_context(store, "s-mkt", "department", "marketing"), clock=desk_clock,
                        tick_ms=3_600_000)
    qtbot.addWidget(shown)
    qtbot.waitUntil(lambda: shown.notifier.ready and not shown.model.busy and len(shown.counts) == 5, timeout=5000)
    try:
        yield shown
    finally:
        shown.shutdown()


def selected_ticket(area: TicketsArea) -> str | None:
    rows = area.table.selectionModel().selectedRows()
    return area.model.data(rows[0], TICKET_ID_ROLE) if rows else None


def click(area: TicketsArea, name: str) -> None:
    button = area.detail.findChild(QPushButton, name)
    assert button is not None and button.isEnabled(), f"no button {name}"
    button.click()


def test_completing_a_stage_keeps_the_ticket_and_the_stage_selected(qtbot: QtBot, area: TicketsArea,
                                                                     store: Store) -> None:
    area.choose_queue("my_tasks")
    qtbot.waitUntil(lambda: not area.model.busy, timeout=5000)
    area.choose_queue("department")
    qtbot.waitUntil(lambda: not area.model.busy and area.model.total == 3, timeout=5000)
    row = area.model.row_of("tick-00002")
    assert row is not None
    area.table.selectRow(row)
    detail = area.detail
    qtbot.waitUntil(lambda: detail.bundle is not None and detail.bundle.ticket.id == "tick-00002", timeout=5000)
    detail.select_task("task-00002-survey")
    click(area, "stageAction_taken")
    qtbot.waitUntil(lambda: detail.bundle is not None and any(
        t.stage_code == "survey" and t.state == "taken" for t in detail.bundle.tasks), timeout=5000)
    qtbot.waitUntil(lambda: not area.model.busy, timeout=5000)
    assert selected_ticket(area) == "tick-00002"
    assert detail.selected_task() is not None and detail.selected_task().id == "task-00002-survey"

    # Now in 我的待办: completing the stage takes the ticket out of this queue, but not out of sight.
    area.choose_queue("my_tasks")
    qtbot.waitUntil(lambda: not area.model.busy and area.model.row_of("tick-00002") is not None, timeout=5000)
    area.open_ticket("tick-00002")
    qtbot.waitUntil(lambda: selected_ticket(area) == "tick-00002", timeout=5000)
    detail.select_task("task-00002-survey")
    click(area, "stageAction_done")
    dialog = detail.moves.active_dialog
    assert isinstance(dialog, CompleteDialog)
    dialog.outcome.setPlainText("现场具备装表条件")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: detail.bundle is not None and any(
        t.stage_code == "survey" and t.state == "done" for t in detail.bundle.tasks), timeout=5000)
    qtbot.waitUntil(lambda: not area.model.busy, timeout=5000)
    assert detail.bundle is not None and detail.bundle.ticket.id == "tick-00002"
    assert selected_ticket(area) in ("tick-00002", None)  # it may leave the queue; no other ticket is chosen
    chosen = detail.selected_task()
    assert chosen is not None and chosen.id == "task-00002-survey"


def test_a_ticket_leaving_the_queue_leaves_no_other_ticket_looking_chosen(qtbot: QtBot, area: TicketsArea) -> None:
    """Seen in the demo: completing the first row's stage took it out of 我的待办, the next ticket moved up into
    the same row and stayed highlighted while the detail still showed the completed one."""
    detail = area.detail
    for ticket_id in ("tick-00001", "tick-00002", "tick-00003"):  # three surveys taken: all three in 我的待办
        area.choose_queue("department")
        qtbot.waitUntil(lambda t=ticket_id: not area.model.busy and area.model.row_of(t) is not None, timeout=5000)
        area.open_ticket(ticket_id)
        qtbot.waitUntil(lambda t=ticket_id: detail.bundle is not None and detail.bundle.ticket.id == t, timeout=5000)
        detail.select_task(f"task-{ticket_id.removeprefix('tick-')}-survey")
        click(area, "stageAction_taken")
        qtbot.waitUntil(lambda: detail.bundle is not None and any(
            t.stage_code == "survey" and t.state == "taken" for t in detail.bundle.tasks), timeout=5000)
    area.choose_queue("my_tasks")
    qtbot.waitUntil(lambda: not area.model.busy and area.model.total == 3, timeout=5000)
    first = area.model.data(area.model.index(0, 0), TICKET_ID_ROLE)
    area.open_ticket(first)
    qtbot.waitUntil(lambda: selected_ticket(area) == first and detail.bundle is not None
                    and detail.bundle.ticket.id == first, timeout=5000)
    detail.select_task(f"task-{first.removeprefix('tick-')}-survey")
    click(area, "stageAction_done")
    dialog = detail.moves.active_dialog
    assert isinstance(dialog, CompleteDialog)
    dialog.outcome.setPlainText("现场具备装表条件")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not area.model.busy and area.model.total == 2, timeout=5000)
    assert area.model.row_of(first) is None
    assert detail.bundle is not None and detail.bundle.ticket.id == first  # still in sight
    assert selected_ticket(area) is None  # and no other ticket looks chosen


def test_a_stage_reads_the_same_in_the_graph_and_the_table(qtbot: QtBot, area: TicketsArea, server: Server) -> None:
    server.send(("stage_task", task_data(1, "contract", "marketing", state="taken", assignee_id="s-mkt", version=2)))
    area.open_ticket("tick-00001")
    detail = area.detail
    qtbot.waitUntil(lambda: detail.bundle is not None and detail.bundle.ticket.id == "tick-00001"
                    and any(t.state == "taken" for t in detail.bundle.tasks), timeout=5000)
    seen = 0
    for row in range(detail.tasks.rowCount()):
        task_id = detail.tasks.item(row, 0).data(Qt.ItemDataRole.UserRole)
        task = next(t for t in detail.bundle.tasks if t.id == task_id)
        in_table = detail.tasks.item(row, 2).text()
        assert in_table == STAGE_TASK.label(task.state, "zh")
        box_text = " ".join(line.text() for line in detail.graph.boxes[task.stage_code].childItems()
                            if hasattr(line, "text"))
        assert in_table in box_text, (task.stage_code, in_table, box_text)
        seen += 1
    assert seen == 3  # accept (已完成), survey (待办), contract (已接)
    assert "等待前置环节" in " ".join(  # metering has no task yet: it waits
        line.text() for line in detail.graph.boxes["metering"].childItems() if hasattr(line, "text"))


def test_take_and_complete_from_the_keyboard_with_the_keys_in_the_tooltips(qtbot: QtBot, area: TicketsArea) -> None:
    area.show()
    actions = area._context.actions  # noqa: SLF001 - the area's own registry, as the window's menu holds it
    area.open_ticket("tick-00003")
    detail = area.detail
    qtbot.waitUntil(lambda: detail.bundle is not None and detail.bundle.ticket.id == "tick-00003", timeout=5000)
    detail.select_task("task-00003-survey")
    take = detail.findChild(QPushButton, "stageAction_taken")
    assert take is not None and take.toolTip() == "接办（Ctrl+T）"
    actions.action("tickets.take").trigger()  # Ctrl+T
    qtbot.waitUntil(lambda: detail.bundle is not None and any(
        t.stage_code == "survey" and t.state == "taken" for t in detail.bundle.tasks), timeout=5000)
    detail.select_task("task-00003-survey")
    done = next(b for b in detail.findChildren(QPushButton, "stageAction_done") if b.isVisibleTo(detail))
    assert done.toolTip() == "完成（Ctrl+D）"
    actions.action("tickets.complete").trigger()  # Ctrl+D
    dialog = detail.moves.active_dialog
    assert isinstance(dialog, CompleteDialog)
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.outcome, timeout=5000)  # ready to type the result
    dialog.reject()


def test_the_keys_say_what_to_select_when_no_stage_can_move(qtbot: QtBot, area: TicketsArea) -> None:
    from desktop import messages
    from desktop.operations import drop_connection

    heard: list[str] = []

    def listen(_level: str, text: str, _details: str) -> None:
        heard.append(text)

    connection = messages.bridge().message.connect(listen)
    try:
        area.show()
        area._context.actions.action("tickets.complete").trigger()  # noqa: SLF001 - nothing chosen yet
    finally:
        drop_connection(connection)
    assert heard and "没有可完成的环节" in heard[-1]
