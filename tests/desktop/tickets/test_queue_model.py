"""TicketQueueModel over a real store: paging, SQL sorting and filtering, in-place refresh, SLA colours."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from desktop.tickets.queue_model import SLA_COLUMN, SLA_ROLE, TICKET_ID_ROLE, TicketQueueModel
from desktop.tickets.queues import Narrowing, queue_filters
from desktop.tickets.store_reads import QueueFilters
from domain.records import Staff
from local_store import Store, TicketFilters
from tests.desktop.tickets.conftest import (
    OFFICE,
    START,
    DeskClock,
    Server,
    customer_data,
    staff_data,
    task_data,
    ticket_data,
)

pytestmark = pytest.mark.usefixtures("desk_loop")


def fill(server: Server, count: int) -> None:
    rows = [("customer", customer_data(0)), ("customer", customer_data(1, "01"))]
    for n in range(count):
        rows.append(("ticket", ticket_data(
            n, type_code=("repair", "complaint", "connection_residential")[n % 3],
            channel=("hall", "hotline")[n % 2], state=("accepted", "in_progress", "closed")[n % 3],
            customer=n % 2, accepted=START - timedelta(minutes=n))))
    for start in range(0, len(rows), 400):
        server.send(*rows[start:start + 400])


def loaded(qtbot: QtBot, model: TicketQueueModel, filters: QueueFilters) -> TicketQueueModel:
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.set_filters(filters)
    qtbot.waitUntil(lambda: not model.busy, timeout=5000)
    return model


def numbers(model: TicketQueueModel) -> list[str]:
    return [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def test_pages_with_fetch_more_until_every_row_is_loaded(qtbot: QtBot, qtmodeltester, store: Store,
                                                         server: Server, desk_clock: DeskClock) -> None:
    fill(server, 450)
    model = loaded(qtbot, TicketQueueModel(store, clock=desk_clock, page_size=200),
                   QueueFilters(base=TicketFilters(office_id=OFFICE)))
    assert model.rowCount() == 200 and model.total == 450 and model.canFetchMore(QModelIndex())
    pages: list[int] = []
    model.rowsInserted.connect(lambda parent, first, last: pages.append(last - first + 1))
    qtmodeltester.check(model)  # the Qt tester itself asks for more
    while model.busy or model.canFetchMore(QModelIndex()):
        if not model.busy:
            model.fetchMore(QModelIndex())
        qtbot.waitUntil(lambda: not model.busy, timeout=5000)
    assert pages == [200, 50] and model.rowCount() == 450 and not model.canFetchMore(QModelIndex())
    # newest first by default; ids never repeat across pages
    ids = [model.data(model.index(r, 0), TICKET_ID_ROLE) for r in range(model.rowCount())]
    assert len(set(ids)) == 450 and ids[0] == "tick-00000"


def test_sorts_and_filters_in_sql(qtbot: QtBot, qtmodeltester, store: Store, server: Server,
                                  desk_clock: DeskClock) -> None:
    fill(server, 60)
    model = loaded(qtbot, TicketQueueModel(store, clock=desk_clock), QueueFilters(base=TicketFilters(office_id=OFFICE)))
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.sort(0, Qt.SortOrder.AscendingOrder)
    assert numbers(model) == sorted(numbers(model)) and numbers(model)[0] == "GD20250303000000"
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.sort(0, Qt.SortOrder.DescendingOrder)
    assert numbers(model)[0] == "GD20250303000059"
    qtbot.waitUntil(lambda: not model.busy, timeout=5000)
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.sort(4, Qt.SortOrder.AscendingOrder)  # the customer column is not sortable in SQL: nothing happens
    assert not model.busy and resets == [] and model.sort_key == "-number"

    narrowed = Narrowing(channel="hotline", type_code="repair").apply(QueueFilters(base=TicketFilters(office_id=OFFICE)))
    loaded(qtbot, model, narrowed)
    assert model.rowCount() == model.total == store.ticket_count(narrowed.base) == 10
    assert {model.data(model.index(r, 3)) for r in range(model.rowCount())} == {"95598热线"}
    assert {model.data(model.index(r, 1)) for r in range(model.rowCount())} == {"故障报修"}

    high_voltage = Narrowing(customer_class="01").apply(QueueFilters(base=TicketFilters(office_id=OFFICE)))
    loaded(qtbot, model, high_voltage)
    assert model.total == 30
    assert {model.data(model.index(r, 4)) for r in range(model.rowCount())} == {"王**"}

    closed = Narrowing(state="closed").apply(QueueFilters(base=TicketFilters(office_id=OFFICE)))
    loaded(qtbot, model, closed)
    assert model.total == 20 and {model.data(model.index(r, 2)) for r in range(model.rowCount())} == {"已归档"}


def test_task_queues_follow_department_and_assignee(qtbot: QtBot, qtmodeltester, store: Store, server: Server,
                                                    desk_clock: DeskClock) -> None:
    server.send(
        ("customer", customer_data(0)),
        ("ticket", ticket_data(1)), ("ticket", ticket_data(2)), ("ticket", ticket_data(3)),
        ("stage_task", task_data(1, "survey", "marketing", state="taken", assignee_id="s-mkt")),
        ("stage_task", task_data(2, "metering", "metering")),
        ("stage_task", task_data(3, "survey", "marketing", state="done")),
    )
    me = Staff.model_validate(staff_data("s-meter", "department", "metering"))
    model = loaded(qtbot, TicketQueueModel(store, clock=desk_clock), queue_filters("department", me, START))
    qtmodeltester.check(model)
    assert numbers(model) == ["GD20250303000002"]
    assert model.data(model.index(0, 5)) == "计量"
    mkt = Staff.model_validate(staff_data("s-mkt", "department", "marketing"))
    loaded(qtbot, model, queue_filters("my_tasks", mkt, START))
    assert numbers(model) == ["GD20250303000001"]


def test_changes_update_rows_in_place_without_a_reset(qtbot: QtBot, qtmodeltester, store: Store, server: Server,
                                                      desk_clock: DeskClock) -> None:
    fill(server, 5)
    model = loaded(qtbot, TicketQueueModel(store, clock=desk_clock), QueueFilters(base=TicketFilters(office_id=OFFICE)))
    qtmodeltester.check(model)
    resets: list[bool] = []
    changed: list[int] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.dataChanged.connect(lambda top, bottom, roles=(): changed.append(top.row()))
    server.send(("ticket", ticket_data(2, type_code="repair", state="awaiting_visit", customer=0,
                                       accepted=START - timedelta(minutes=2), version=2)))
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.refresh()
    assert resets == [] and changed == [2]
    assert model.data(model.index(2, 2)) == "待回访"
    inserted: list[int] = []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append(first))
    server.send(("ticket", ticket_data(9, accepted=START + timedelta(minutes=1))))
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.refresh()
    assert resets == [] and inserted == [5] and model.total == 6
    assert model.data(model.index(0, 0)) == "GD20250303000009"


def test_countdown_turns_to_warning_then_overdue_as_the_clock_moves(qtbot: QtBot, qtmodeltester, store: Store,
                                                                    server: Server, desk_clock: DeskClock) -> None:
    server.send(("customer", customer_data(0)),
                ("ticket", ticket_data(1, accepted=START, due=timedelta(hours=10), warn=timedelta(hours=8))))
    model = loaded(qtbot, TicketQueueModel(store, clock=desk_clock), QueueFilters(base=TicketFilters(office_id=OFFICE)))
    qtmodeltester.check(model)
    cell = model.index(0, SLA_COLUMN)
    assert model.data(cell, SLA_ROLE) == "on_time" and model.data(cell) == "剩余 10小时0分"
    desk_clock.advance(hours=8, minutes=30)
    model.tick()
    assert model.data(cell, SLA_ROLE) == "warning" and model.data(cell) == "剩余 1小时30分"
    assert model.data(cell, Qt.ItemDataRole.BackgroundRole).name() == "#fff3cd"
    desk_clock.advance(hours=2)
    model.tick()
    assert model.data(cell, SLA_ROLE) == "overdue" and model.data(cell) == "超时 30分"


def test_an_empty_queue_after_a_full_one_says_its_total_is_zero(qtbot: QtBot, store: Store, server: Server,
                                                               desk_clock: DeskClock) -> None:
    """The total beside the queue (共 N 件) followed a full list into an empty one unchanged (seen on the
    supervisor's 超时 list after 预警)."""
    fill(server, 6)
    model = TicketQueueModel(store, clock=desk_clock)
    totals: list[int] = []
    model.totalChanged.connect(totals.append)
    loaded(qtbot, model, QueueFilters(base=TicketFilters(office_id=OFFICE)))
    qtbot.waitUntil(lambda: totals[-1:] == [6], timeout=5000)
    loaded(qtbot, model, Narrowing(type_code="no-such-type").apply(QueueFilters(base=TicketFilters(office_id=OFFICE))))
    qtbot.waitUntil(lambda: totals[-1:] == [0], timeout=5000)
    assert model.rowCount() == 0
