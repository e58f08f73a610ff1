"""补充材料/信息 through the real window against a real office server: a repair filed on the hotline; 调度's
dispatcher, working its first stage with the link down, records that the customer must be asked again for what is
missing; it waits in the outbox, syncs with its author when the link returns, and the supervisor's 效能监控 shows
材料重复索要 moved by that ticket, its drill-down listing it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from desktop.efficiency import EfficiencyMonitor
from desktop.efficiency.area import DrillDialog
from desktop.tickets.area import TicketsArea
from desktop.tickets.info_requests import InfoRequestDialog
from tests.desktop.journeys.conftest import Journey
from tests.desktop.journeys.test_department import repair_from_the_hotline
from tests.desktop.journeys.test_efficiency_monitor import live, open_monitor, server_overview
from tests.desktop.support import OFFSCREEN_NOISE
from tests.e2e.fault_proxy import FaultProxy
from tests.e2e.harness import Backend

pytestmark = [OFFSCREEN_NOISE, pytest.mark.slow, pytest.mark.e2e]


def test_a_stage_asks_the_customer_again_and_the_monitor_shows_it(
    qtbot: QtBot, office: Backend, link: FaultProxy, desk_for: Callable[[str, str], Journey],
) -> None:
    journey = desk_for(link.url, "hotline1")
    ticket_id = repair_from_the_hotline(qtbot, office, journey)
    journey.synced()

    journey.switch_to("supervisor1")  # the monitor's period, and the figures before the request
    monitor = open_monitor(journey)
    start, end = monitor.chosen_period()
    qtbot.waitUntil(live(monitor, start, end), timeout=60000)
    before = server_overview(office, "supervisor1", start, end)["rollup"]
    assert before["accepted"] > 0

    journey.switch_to("dispatch1")  # 调度 works the repair's first stage
    area = journey.area("tickets")
    assert isinstance(area, TicketsArea)
    area.choose_queue("department")
    qtbot.waitUntil(lambda: area.model.row_of(ticket_id) is not None, timeout=30000)
    area.table.selectRow(area.model.row_of(ticket_id))  # type: ignore[arg-type]
    detail = area.detail
    qtbot.waitUntil(lambda: detail.bundle is not None and detail.bundle.ticket.id == ticket_id
                    and any(t.stage_code == "accept_dispatch" for t in detail.bundle.tasks), timeout=15000)
    stage = next(t for t in detail.bundle.tasks if t.stage_code == "accept_dispatch")  # type: ignore[union-attr]
    link.partition()  # offline from here: the request is saved on the desk and queued
    detail.select_task(stage.id)
    ask = next((b for b in detail.findChildren(QPushButton, "askInfoRequest") if b.isEnabled()), None)
    assert ask is not None, "补充材料/信息 is offered on the dispatcher's own stage"
    ask.click()
    dialog = detail.info_requests.active_dialog
    assert isinstance(dialog, InfoRequestDialog) and dialog.isVisible()
    assert dialog.addressee.currentData() == "customer"
    dialog.ok_button.click()  # nothing said yet: refused on the desk, nothing queued
    assert dialog.error.text() and journey.store.outbox_size() == 0
    dialog.detail.setPlainText("请客户提供表箱及进户线现场照片")
    dialog.reason.setText("报修地址与台账不符，无法判断故障点")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: detail.bundle is not None and len(detail.bundle.requests) == 1, timeout=15000)
    (request,) = detail.bundle.requests  # type: ignore[union-attr]
    assert detail.info_requests.table.rowCount() == 1
    assert any("向客户索要补充材料" in detail.history.item(row).text() for row in range(detail.history.count()))
    assert journey.store.outbox_size() == 1
    assert office.query("SELECT id FROM info_request WHERE id = ?", request.id) == []  # not on the server yet
    link.heal()
    journey.synced()
    [(author, department, state)] = office.query(
        "SELECT requested_by, department, state FROM info_request WHERE id = ?", request.id)
    assert (author, department, state) == (journey.desk.staff.id, "dispatch", "open")  # type: ignore[union-attr]

    after = server_overview(office, "supervisor1", start, end)["rollup"]
    assert after["tickets_asked_again"] == before["tickets_asked_again"] + 1
    assert after["customer_requests"] == before["customer_requests"] + 1
    assert after["materials_asked_again_per_thousand"] > (before["materials_asked_again_per_thousand"] or 0)

    journey.switch_to("supervisor1")
    monitor = open_monitor(journey)
    assert isinstance(monitor, EfficiencyMonitor)
    monitor.refresh()
    qtbot.waitUntil(live(monitor, start, end), timeout=60000)
    tile = monitor.tiles["materials_asked_again_per_thousand"]
    qtbot.waitUntil(lambda: tile.value.text() == monitor.number(after["materials_asked_again_per_thousand"],
                                                                "per_thousand"), timeout=60000)
    assert tile.value.text() != monitor.number(before["materials_asked_again_per_thousand"], "per_thousand")
    sharing = monitor.tiles["information_sharing_quality"]
    assert sharing.value.text() == monitor.number(after["information_sharing_quality"], "rate")

    # Double-click the tile: the tickets whose customer was asked again, this repair among them.
    qtbot.mouseDClick(tile, Qt.MouseButton.LeftButton)
    drill = next(w for w in QApplication.topLevelWidgets() if isinstance(w, DrillDialog) and w.isVisible())
    qtbot.waitUntil(lambda: drill.note.text().startswith("共"), timeout=30000)
    assert ticket_id in {t.id for t in drill.tickets}
    assert len(drill.tickets) == after["tickets_asked_again"], "the desk holds every ticket of its office"
    drill.close()
