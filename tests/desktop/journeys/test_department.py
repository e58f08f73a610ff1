"""Department staff work their stage of a cross-department ticket: a repair filed on the hotline waits in
调度's queue; the dispatcher of the repair team takes the 受理派工 stage, completes it with a result, and the
next stage (到达现场, 运检's) opens — on the desk at once and on the server after the sync."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop.frontdesk import FrontDesk
from desktop.tickets.area import TicketsArea
from desktop.tickets.progress import StageStatus
from desktop.tickets.task_dialogs import CompleteDialog
from tests.desktop.journeys.conftest import Journey, accept_request, type_into
from tests.desktop.support import OFFSCREEN_NOISE
from tests.e2e.harness import Backend

pytestmark = [OFFSCREEN_NOISE, pytest.mark.slow, pytest.mark.e2e]


def repair_from_the_hotline(qtbot: QtBot, office: Backend, journey: Journey) -> str:
    front = journey.area("frontdesk")
    assert isinstance(front, FrontDesk) and journey.desk.staff is not None
    [(customer_id, account_no, address)] = office.query(
        "SELECT c.id, a.account_no, a.address FROM customer c JOIN account a ON a.customer_id = c.id "
        "WHERE c.office_id = ? ORDER BY c.id LIMIT 1 OFFSET 5", journey.desk.staff.office_id)
    type_into(qtbot, front.search.box, account_no)
    qtbot.keyClick(front.search.box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: front.card.customer is not None and front.card.customer.id == customer_id, timeout=15000)
    ticket = accept_request(qtbot, front, "repair", {
        "fault_address": address or "岚川县城关镇", "area_class": "urban", "fault_type": "no_power",
        "contact_phone": "13900000005"})
    qtbot.waitUntil(lambda: (journey.store.ticket(ticket.id) or ticket).number is not None, timeout=30000)
    return str(ticket.id)


def click(area: TicketsArea, name: str) -> None:
    button = area.detail.findChild(QPushButton, name)
    assert button is not None and button.isEnabled(), f"{name} is offered"
    button.click()


def test_take_complete_and_the_next_stage_opens(
    qtbot: QtBot, office: Backend, desk_for: Callable[[str, str], Journey],
) -> None:
    journey = desk_for(office.url, "hotline1")
    ticket_id = repair_from_the_hotline(qtbot, office, journey)

    journey.switch_to("dispatch1")  # 调度: the repair's first stage is theirs
    assert journey.window.current_area == "tickets"  # department staff land on the tickets
    area = journey.area("tickets")
    assert isinstance(area, TicketsArea)
    area.choose_queue("department")  # 本部门待办
    qtbot.waitUntil(lambda: area.model.row_of(ticket_id) is not None, timeout=30000)
    area.table.selectRow(area.model.row_of(ticket_id))  # type: ignore[arg-type]
    detail = area.detail
    qtbot.waitUntil(lambda: detail.bundle is not None and detail.bundle.ticket.id == ticket_id
                    and any(t.stage_code == "accept_dispatch" for t in detail.bundle.tasks), timeout=15000)

    def task(stage: str):  # type: ignore[no-untyped-def]
        assert detail.bundle is not None
        return next((t for t in detail.bundle.tasks if t.stage_code == stage), None)

    # 接办
    detail.select_task(task("accept_dispatch").id)
    click(area, "stageAction_taken")
    qtbot.waitUntil(lambda: task("accept_dispatch").state == "taken", timeout=15000)

    # 完成, with the result
    detail.select_task(task("accept_dispatch").id)
    click(area, "stageAction_done")
    dialog = detail.moves.active_dialog
    assert isinstance(dialog, CompleteDialog)
    dialog.outcome.setPlainText("已派抢修二班，预计40分钟到达")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: task("accept_dispatch").state == "done", timeout=15000)
    qtbot.waitUntil(lambda: detail.graph.boxes["accept_dispatch"].status is StageStatus.DONE, timeout=15000)
    assert area.detail.bundle is not None and area.detail.bundle.ticket.id == ticket_id  # the selection stays

    # The next stage opens: 到达现场, for 运检.
    assert detail.graph.boxes["arrive"].status is StageStatus.OPEN
    qtbot.waitUntil(lambda: journey.store.outbox_size() == 0, timeout=30000)
    qtbot.waitUntil(lambda: office.query(
        "SELECT state FROM stage_task WHERE ticket_id = ? AND stage_code = 'arrive'", ticket_id) == [("open",)],
        timeout=30000)
    assert office.query("SELECT state FROM stage_task WHERE ticket_id = ? AND stage_code = 'accept_dispatch'",
                        ticket_id) == [("done",)]
    qtbot.waitUntil(lambda: task("arrive") is not None and task("arrive").state == "open", timeout=30000)
    journey.finish()


def test_a_department_sees_where_it_stands_in_the_months_evaluation(
    qtbot: QtBot, office: Backend, desk_for: Callable[[str, str], Journey]
) -> None:
    """主责评价, 协作互评 and 客户评价 totalled per department with the office's weights, ranked — and visible to
    the departments themselves (issue 15), here 营销 (marketing1), bold among the others."""
    journey = desk_for(office.url, "marketing1")
    area = journey.area("tickets")
    assert isinstance(area, TicketsArea) and area.scores_button.isVisibleTo(area)
    area.scores_button.click()
    dialog = area.department_scores
    assert dialog is not None and dialog.isVisible()
    def loaded() -> bool:
        return "名" in dialog.status.text() or "尚无评价" in dialog.status.text()

    qtbot.waitUntil(loaded, timeout=30000)
    if "尚无评价" in dialog.status.text():  # early in a month the demo's history may rate nobody yet: last month
        dialog.status.setText("")
        dialog.month.setCurrentIndex(1)
        qtbot.waitUntil(loaded, timeout=30000)
    ranked = [line for line in dialog.departments if line.get("rank") is not None]
    assert ranked and [line["rank"] for line in ranked] == sorted(line["rank"] for line in ranked)
    own = next(row for row in range(dialog.table.rowCount()) if dialog.table.item(row, 1).text() == "营销")
    assert dialog.table.item(own, 1).font().bold() and not dialog.table.item((own + 1) % dialog.table.rowCount(),
                                                                            1).font().bold()
    assert "权重：主责 0.40" in dialog.weights.text()
    journey.finish()
    clerk = desk_for(office.url, "clerk1").area("tickets")
    assert not clerk.scores_button.isVisibleTo(clerk)  # the front desk has no department to rate
