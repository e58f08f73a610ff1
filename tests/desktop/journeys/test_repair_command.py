"""Repair command on the outage board against the real demo server (issue 16): 调度 of the second county registers a
planned outage on a 台区 (the server counts who is inside), then begins the demo's planned outage (asked first, since the window is still ahead); the server opens the emergency plan's parallel
tasks and the board shows them; restoration is reported and the event leaves the board."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop.outage import OutageBoard
from desktop.outage.plan_dialog import PlannedOutageDialog
from tests.desktop.journeys.conftest import Journey
from tests.desktop.support import OFFSCREEN_NOISE
from tests.e2e.harness import Backend

pytestmark = [OFFSCREEN_NOISE, pytest.mark.slow, pytest.mark.e2e]


def test_dispatch_begins_a_planned_outage_and_reports_restoration(
    qtbot: QtBot, office: Backend, desk_for: Callable[[str, str], Journey],
) -> None:
    journey = desk_for(office.url, "dispatch2")
    journey.window.show_area("outage")
    board = journey.area("outage")
    assert isinstance(board, OutageBoard)
    qtbot.waitUntil(lambda: any(board.model.event_at(r).outage_kind == "planned"  # type: ignore[union-attr]
                                for r in range(board.model.rowCount())), timeout=30000)
    row = next(r for r in range(board.model.rowCount())
               if board.model.event_at(r).outage_kind == "planned")  # type: ignore[union-attr]
    board.table.selectRow(row)
    planned = board.selected()
    assert planned is not None and planned.state == "scheduled" and not planned.tasks

    board.plan_button.click()
    qtbot.waitUntil(lambda: isinstance(board.active_dialog, PlannedOutageDialog), timeout=15000)
    dialog = board.active_dialog
    assert isinstance(dialog, PlannedOutageDialog)
    area = dialog.area.topLevelItem(0)
    while area.childCount():
        area = area.child(0)  # down to a 台区
    area.setCheckState(0, Qt.CheckState.Checked)
    dialog.reason.setText("台区低压线路改造")
    assert dialog.ok_button.isEnabled(), dialog.preview.text()
    inside = int(area.text(1))
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: office.query(
        "SELECT state, accounts_affected, notice_warning FROM outage_event WHERE reason = ?", "台区低压线路改造")
        == [("scheduled", inside, None)], timeout=30000)  # 8 days ahead: the notice period is met
    board.table.selectRow(next(r for r in range(board.model.rowCount())
                               if board.model.event_at(r).id == planned.id))  # type: ignore[union-attr]
    assert board.confirm_button.text() == "开始停电(&S)"
    board.confirm_button.click()
    box = board.active_box
    assert box is not None  # the demo's window is days ahead
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: office.query("SELECT state FROM outage_event WHERE id = ?", planned.id) == [("active",)],
                    timeout=30000)

    def shown() -> bool:
        event = board.selected()
        return event is not None and event.id == planned.id and event.state == "active" and board.tasks.count() > 0

    qtbot.waitUntil(shown, timeout=30000)  # the plan's tasks, opened by the server, came back with the pull
    departments = {board.tasks.item(n).text().split("：")[0] for n in range(board.tasks.count())}
    assert {"调度", "运检", "客服", "营销"} <= departments  # one window, the departments in parallel
    assert board.restore_button.isEnabled()
    board.restore_button.click()
    qtbot.waitUntil(lambda: office.query("SELECT state FROM outage_event WHERE id = ?", planned.id) == [("restored",)],
                    timeout=30000)
    qtbot.waitUntil(lambda: all(board.model.event_at(r).id != planned.id  # type: ignore[union-attr]
                                for r in range(board.model.rowCount())), timeout=30000)
    journey.finish()
