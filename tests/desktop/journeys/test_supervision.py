"""Issue 15's coordination loop on a real office server (docs/coordination.md): a supervisor opens the monitor,
drills into an anomaly, creates a 督办 for a department from the alert; the department's staff find it under
我的督办 on their desk and close it with a result; the supervisor sees it closed, and the server holds it so."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.efficiency import EfficiencyMonitor
from desktop.efficiency.area import DrillDialog
from desktop.supervision.action_dialog import ActionDialog
from desktop.supervision.panel import ResultDialog
from desktop.tickets.area import TicketsArea
from tests.desktop.journeys.conftest import PASSWORD, Journey
from tests.desktop.journeys.test_efficiency_monitor import live, open_monitor
from tests.desktop.support import OFFSCREEN_NOISE
from tests.e2e.harness import Backend

pytestmark = [OFFSCREEN_NOISE, pytest.mark.slow, pytest.mark.e2e]
RESULT = "已逐件核查超期工单，责任到人，三日内清零"


def test_supervisor_assigns_a_supervision_action_from_an_alert_and_the_department_closes_it(
    qtbot: QtBot, office: Backend, desk_for: Callable[[str, str], Journey],
) -> None:
    from tests.backend.desk import Desk
    from tests.backend.test_workflow import CONNECTION_FIELDS

    journey = desk_for(office.url, "supervisor1")
    monitor = open_monitor(journey)
    assert isinstance(monitor, EfficiencyMonitor)
    qtbot.waitUntil(live(monitor, *monitor.chosen_period()), timeout=60000)
    boss, clerk = Desk(office.url, "supervisor1", PASSWORD), Desk(office.url, "clerk1", PASSWORD)

    def put_limit(limit: int) -> None:
        answer = boss.client.put("/api/v1/efficiency/rules/overdue_backlog", headers=boss.headers,
                                 json={"kind": "backlog_above", "params": {"limit": limit}})
        assert answer.status_code == 200, answer.text

    def backlog_alert() -> dict[str, Any] | None:
        return next((a for a in monitor.alerts if a["rule_code"] == "overdue_backlog"), None)

    try:
        # An anomaly: the backlog rule at 0 and a ticket overdue at once.
        put_limit(0)
        customer = clerk.new_customer()
        (created,) = clerk.push(clerk.mutation("ticket", "create", fields={
            "type_code": "connection_residential", "channel": "hall", "customer_id": customer["id"],
            "summary": "督办旅程的逾期新装", "fields": CONNECTION_FIELDS, "materials": ["identity", "property_proof"],
            "accepted_at": "2026-01-05T01:00:00+00:00"}))
        assert created["status"] == "applied", created
        qtbot.waitUntil(lambda: backlog_alert() is not None, timeout=60000)
        qtbot.waitUntil(lambda: created["entity_id"] in (backlog_alert() or {}).get("ticket_ids", []), timeout=60000)
        alert = backlog_alert()
        assert alert is not None

        # Drill into it: the tickets behind the alert, from the desk's own copy.
        journey.synced()
        row = monitor.alerts.index(alert)
        drill = monitor.open_alert(row)
        assert isinstance(drill, DrillDialog)
        qtbot.waitUntil(lambda: any(t.id == created["entity_id"] for t in drill.tickets), timeout=30000)
        drill.close()

        # 督办 from the alert: indicator and slice, evidence and tickets prefilled; the department chosen.
        monitor.alerts_table.selectRow(row)
        assert monitor.supervise_button.isVisibleTo(monitor)
        monitor.supervise_button.click()
        form = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ActionDialog) and w.isVisible())
        assert form.title_edit.text().startswith("超期积压") and "上限 0 件" in form.detail.toPlainText()
        assert created["entity_id"] in form.draft.ticket_ids and form.draft.source["alert_id"] == alert["id"]
        form.ok_button.click()  # no department yet: said on the form
        assert form.error.text() == "请选择承办部门"
        form.department.setCurrentIndex(form.department.findData("marketing"))
        with qtbot.waitSignal(form.saved, timeout=15000) as saved:
            form.ok_button.click()
        action = saved.args[0]
        qtbot.waitUntil(lambda: "已督办" in monitor.alert_status.text(), timeout=5000)
        journey.synced()
        assert office.query("SELECT state, department, created_by FROM supervision_action WHERE id = ?",
                            action.id) == [("open", "marketing", journey.desk.staff.id)]  # type: ignore[union-attr]

        # The marketing desk: 我的督办 lists it; 办结 with a result.
        journey.switch_to("marketing1")
        tickets = journey.area("tickets")
        assert isinstance(tickets, TicketsArea)
        assert tickets.supervision_button.isVisibleTo(tickets)
        qtbot.waitUntil(lambda: tickets.supervision_button.text().startswith("我的督办（"), timeout=30000)  # 我的督办（1）…
        tickets.supervision_button.click()
        assert tickets.supervision is not None
        panel = tickets.supervision.panel
        qtbot.waitUntil(lambda: not panel.loading and panel.select(action.id), timeout=30000)
        assert all(a.department == "marketing" for a in panel.shown_actions)
        # The alert's ticket is on the marketing desk too: its number shows, and it opens in 工单协同.
        row = next(r for r, a in enumerate(panel.shown_actions) if a.id == action.id)
        number = office.query("SELECT number FROM ticket WHERE id = ?", created["entity_id"])[0][0]
        # The alert names every overdue ticket of the office (one or, as the demo's deadlines pass, several):
        # the cell shows one of their numbers and how many; the menu offers each.
        cell = panel.table.item(row, 6).text()  # type: ignore[union-attr]
        numbers = {n for (n,) in office.query(
            f"SELECT number FROM ticket WHERE id IN ({', '.join('?' * len(action.ticket_ids))})", *action.ticket_ids)}
        assert number in numbers and any(cell.startswith(n) for n in numbers)
        assert len(action.ticket_ids) == 1 or cell.endswith(f"等 {len(action.ticket_ids)} 件")
        menu = panel.tickets_menu()
        assert menu is not None
        chosen = next(a for a in menu.actions() if a.text() == number)
        menu.close()
        chosen.trigger()
        qtbot.waitUntil(lambda: tickets.detail.bundle is not None
                        and tickets.detail.bundle.ticket.id == created["entity_id"], timeout=30000)
        panel.select(action.id)
        dialog = panel.close_selected()
        assert isinstance(dialog, ResultDialog)
        dialog.result_edit.setPlainText(RESULT)
        dialog.ok_button.click()
        qtbot.waitUntil(lambda: (journey.store.supervision_action(action.id) or action).state == "done", timeout=15000)
        journey.synced()
        assert office.query("SELECT state, result FROM supervision_action WHERE id = ?", action.id) == [("done", RESULT)]
        tickets.supervision.close()

        # The supervisor sees it closed, with the department's result.
        journey.switch_to("supervisor1")
        tickets = journey.area("tickets")
        assert tickets.supervision_button.text().startswith("督办跟踪")
        panel = tickets.open_supervision().panel
        panel.scope.setCurrentIndex(panel.scope.findData("all"))
        qtbot.waitUntil(lambda: not panel.loading and panel.select(action.id), timeout=30000)
        row = next(r for r, a in enumerate(panel.shown_actions) if a.id == action.id)
        assert panel.table.item(row, 3).text().startswith("已办结")  # type: ignore[union-attr]
        assert panel.table.item(row, 4).text() == RESULT  # type: ignore[union-attr]
        assert f"办结：{RESULT}" in panel.history.text() and "待上传" not in panel.history.text()
        tickets.supervision.close()  # type: ignore[union-attr]
    finally:
        put_limit(20)  # the office's default again; the other journeys raise their own
        for open_alert in boss.client.get("/api/v1/efficiency/alerts", headers=boss.headers).json():
            if open_alert.get("rule_code") == "overdue_backlog":
                boss.client.post(f"/api/v1/efficiency/alerts/{open_alert['id']}/resolve", headers=boss.headers,
                                 json={"note": "督办旅程结束"})
        boss.close()
        clerk.close()
    journey.finish()
