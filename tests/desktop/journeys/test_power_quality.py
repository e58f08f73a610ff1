"""电能质量 on a real office server (issue 17): monitoring data arrives through the ingestion endpoint, the
server warns and opens a governance ticket; on the desk 运检 (operations1) sees the point turn to warning with
its excursion and ticket, opens the ticket from the area, and 运检 and 营销 complete the governance stages
through the tickets area; completing 效果验证 closes the warning on the server and the area shows the point
normal again with the excursion closed. The last snapshot stays readable offline; only the roles of
domain.roles get the area."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop.power_quality import PowerQualityArea, data
from desktop.power_quality.area import ID_ROLE
from desktop.power_quality.monthly import MonthlyReport
from desktop.tickets.area import TicketsArea
from desktop.tickets.task_dialogs import CompleteDialog
from domain.records import StageTask
from tests.desktop.journeys.conftest import PASSWORD, Journey, serve_demo
from tests.desktop.support import OFFSCREEN_NOISE
from tests.e2e.fault_proxy import FaultProxy
from tests.e2e.harness import Backend

pytestmark = [OFFSCREEN_NOISE, pytest.mark.slow, pytest.mark.e2e]
MONITORING_KEY = "journey-monitoring-key"
POINT = "pq-demo-2"  # the demo's quiet supply (pq-demo-1 opens the demo with its own warning)
STAGES = [("diagnose", "operations1"), ("analyse", "operations1"), ("plan", "marketing1"),
          ("implement", "operations1"), ("verify", "marketing1")]


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    """The demo office with the monitoring system's key set, so the test can post intervals as it does (the
    package's `link` reaches this one)."""
    yield from serve_demo(tmp_path_factory, "pq-journey", seed=2026, customers=1500,
                          env={"ONEWINDOW_MONITORING_KEY": MONITORING_KEY})


def last_start(office: Backend, point: str) -> datetime:
    [(text,)] = office.query("SELECT max(start) FROM pq_interval WHERE point_id = ?", point)
    moment = datetime.fromisoformat(str(text))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def send_excursion(office: Backend, point: str) -> dict[str, Any]:
    """The monitoring system's next hour: THD 5.2 % in four of six intervals (the 10 kV limit is 4.0 %)."""
    after = last_start(office, point)
    intervals = [{"point_id": point, "start": (after + timedelta(minutes=10 * (n + 1))).isoformat(),
                  "voltage_deviation": [0.4, 0.2, 0.5], "thd": 5.2 if n in (0, 2, 4, 5) else 2.1, "unbalance": 0.7,
                  "plt": 0.4, "frequency_deviation": 0.01} for n in range(6)]
    answer = httpx.post(f"{office.url}/api/v1/channels/power-quality/intervals", json={"intervals": intervals},
                        headers={"X-Monitoring-Key": MONITORING_KEY}, timeout=30)
    answer.raise_for_status()
    return dict(answer.json())


def open_area(journey: Journey) -> PowerQualityArea:
    action = next(a for a in journey.window.area_actions if a.objectName() == "area.power_quality")
    action.trigger()  # 功能区 ▸ 电能质量
    assert journey.window.current_area == "power_quality"
    area = journey.area("power_quality")
    assert isinstance(area, PowerQualityArea) and area.objectName() == "powerQuality"
    return area


def live_after(area: PowerQualityArea, moment: datetime) -> Callable[[], bool]:
    return lambda: (area.snapshot is not None and not area.snapshot.cached and area.snapshot.fetched_at >= moment
                    and area.refresh_button.isEnabled())


def refreshed(qtbot: QtBot, area: PowerQualityArea) -> None:
    """刷新 pressed once the area is idle (the button is off while a read runs), and its answer shown."""
    qtbot.waitUntil(area.refresh_button.isEnabled, timeout=60000)
    asked = datetime.now(UTC)
    area.refresh_button.click()
    qtbot.waitUntil(live_after(area, asked), timeout=60000)


def server_month(office: Backend, username: str, customer_id: str, month: str) -> dict[str, Any]:
    """The customer's month as the server answers this person, asked without the desk."""
    with httpx.Client(base_url=office.url, timeout=30) as http:
        login = http.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD,
                                                      "client_id": "pq-report-test"})
        login.raise_for_status()
        answer = http.get(f"/api/v1/power-quality/customers/{customer_id}/month", params={"month": month},
                          headers={"Authorization": f"Bearer {login.json()['access_token']}"})
        answer.raise_for_status()
        return dict(answer.json())


def point_name(area: PowerQualityArea, point_id: str) -> str:
    assert area.snapshot is not None
    point = area.snapshot.point(point_id)
    assert point is not None
    return str(point["name"])


def cell(table: Any, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None, f"{table.objectName()} has no cell {row}, {column}"
    return str(item.text())


def point_row(area: PowerQualityArea, point_id: str) -> list[str]:
    for top in range(area.customers.topLevelItemCount()):
        parent = area.customers.topLevelItem(top)
        assert parent is not None
        for row in range(parent.childCount()):
            child = parent.child(row)
            if child is not None and child.data(0, ID_ROLE) == point_id:
                return [child.text(c) for c in range(area.customers.columnCount())]
    raise AssertionError(f"{point_id} is not listed")


def work_stage(qtbot: QtBot, journey: Journey, ticket_id: str, stage: str) -> None:
    """Take and complete one stage in 工单协同, as the department's staff member does."""
    journey.window.show_area("tickets")
    area = journey.area("tickets")
    assert isinstance(area, TicketsArea)
    qtbot.waitUntil(lambda: any(t.stage_code == stage and t.state == "open"
                                for t in journey.store.stage_tasks(ticket_id)), timeout=30000)
    area.open_ticket(ticket_id)
    detail = area.detail
    qtbot.waitUntil(lambda: detail.bundle is not None and detail.bundle.ticket.id == ticket_id and any(
        t.stage_code == stage and t.state == "open" for t in detail.bundle.tasks), timeout=15000)

    def task() -> StageTask:
        assert detail.bundle is not None
        return next(t for t in detail.bundle.tasks if t.stage_code == stage)

    for action, state in (("stageAction_taken", "taken"), ("stageAction_done", "done")):
        detail.select_task(task().id)
        button = detail.findChild(QPushButton, action)
        assert button is not None and button.isEnabled(), f"{action} is offered for {stage}"
        button.click()
        if state == "done":
            dialog = detail.moves.active_dialog
            assert isinstance(dialog, CompleteDialog)
            dialog.outcome.setPlainText(f"{stage}：已完成")
            dialog.ok_button.click()
        qtbot.waitUntil(lambda wanted=state: bool(task().state == wanted), timeout=15000)  # type: ignore[misc]
    journey.synced()


def test_data_in_warning_governance_and_verification_close_it_on_the_desk(
    qtbot: QtBot, office: Backend, desk_for: Callable[[str, str], Journey], tmp_path: Path,
) -> None:
    journey = desk_for(office.url, "operations1")
    area = open_area(journey)
    qtbot.waitUntil(live_after(area, datetime.min.replace(tzinfo=UTC)), timeout=60000)
    assert point_row(area, POINT)[2] == "正常"
    assert point_row(area, "pq-demo-1")[2].startswith("越限预警")  # the demo's live harmonics problem

    # The monitoring system sends an hour over the THD limit: the server warns and opens one ticket.
    answer = send_excursion(office, POINT)
    (warning,) = answer["warnings"]
    ticket_id = warning["ticket_id"]
    assert warning["limit_id"] == "harmonics.6_10kv" and warning["worst_value"] == 5.2

    # The area follows by itself: the warning's governance ticket reaches the desk by sync, and the area reads
    # the points again — the point in warning, its excursion with the evidence and the standard, the ticket.
    journey.synced()
    qtbot.waitUntil(lambda: point_row(area, POINT)[2] == "越限预警 (1)", timeout=60000)
    area.select_point(POINT)
    qtbot.waitUntil(lambda: area.excursions.rowCount() == 1, timeout=15000)
    cells = [cell(area.excursions, 0, c) for c in range(area.excursions.columnCount())]
    assert cells[0] == "预警中" and cells[1] == "电压总谐波畸变率 THD" and cells[2] == "5.2 / 4 %"
    assert "4/6 个10分钟越限" in cells[3] and cells[4].startswith("GB/T 14549-1993")
    # The trend of the point with the limit line of GB/T 14549 (4.0 %).
    qtbot.waitUntil(lambda: area.snapshot is not None and area.snapshot.trend(POINT, "week") is not None,
                    timeout=30000)
    area.show_figure("thd")
    assert area.chart.limit_values == [4.0] and area.chart.points > 0
    journey.synced()
    qtbot.waitUntil(lambda: any(g.ticket.id == ticket_id for g in area.governance), timeout=30000)
    row = next(r for r, g in enumerate(area.governance) if g.ticket.id == ticket_id)
    assert cell(area.tickets, row, 2).startswith("监测诊断")
    assert cell(area.excursions, 0, 5) == cell(area.tickets, row, 0)  # the ticket's number

    # 运检 opens the ticket from the area (it lands in 工单协同) and the departments work its stages.
    area.tickets.setFocus()
    area.tickets.setCurrentCell(row, 0)
    qtbot.keyClick(area.tickets, Qt.Key.Key_Return)  # as from the keyboard (a double-click does the same)
    assert journey.window.current_area == "tickets"
    for stage, who in STAGES:
        if journey.desk.staff is None or journey.desk.staff.username != who:
            journey.switch_to(who)
        assert office.query("SELECT open_key IS NOT NULL FROM pq_warning WHERE id = ?", warning["id"]) == [(1,)]
        work_stage(qtbot, journey, ticket_id, stage)

    # 效果验证 done: the server closed the warning with the stage, and the area shows the point normal again.
    qtbot.waitUntil(lambda: office.query("SELECT open_key IS NULL, closed_at IS NOT NULL FROM pq_warning WHERE id = ?",
                                         warning["id"]) == [(1, 1)], timeout=30000)
    assert office.query("SELECT state FROM ticket WHERE id = ?", ticket_id) == [("closed",)]
    area = open_area(journey)  # marketing1's area (营销: the account managers)
    refreshed(qtbot, area)
    assert point_row(area, POINT)[2] == "正常"
    area.select_point(POINT)
    qtbot.waitUntil(lambda: area.excursions.rowCount() == 1, timeout=15000)
    assert cell(area.excursions, 0, 0).startswith("已关闭")
    qtbot.waitUntil(lambda: all(g.ticket.id != ticket_id for g in area.governance), timeout=30000)

    # 营销 writes the customer's monthly report: the month judged per limit with its standard, the closed
    # warning, and the five stages with their results.
    customer = area.selected_customer()
    assert customer is not None
    month = str(area.report_month.currentData())
    area.export_report(customer[0], month, tmp_path / "report.pdf")
    qtbot.waitUntil(lambda: area.last_report is not None, timeout=60000)
    pdf = (tmp_path / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and b"STSong-Light" in pdf
    built = MonthlyReport(area).report(server_month(office, "marketing1", customer[0], month), "zh_CN",
                                       datetime.now(UTC))
    sections = {section.title: section for section in built.sections}
    compliance = sections["二、各项指标达标情况"].table
    assert compliance is not None
    thd = next(row for row in compliance.rows if row[0] == point_name(area, POINT) and row[1] == "电压总谐波畸变率 THD")
    assert thd[2] == "≤ 4%" and str(thd[3]).startswith("GB/T 14549-1993") and thd[4] == "95%概率值"
    excursions = sections["三、越限与预警"].table
    assert excursions is not None and any(str(row[6]).startswith("已消除") for row in excursions.rows)
    actions = sections["五、治理措施"].table
    assert actions is not None
    worked = [row for row in actions.rows if row[0] == cell(area.excursions, 0, 5)]
    assert [row[1] for row in worked] == ["监测诊断", "原因分析", "治理方案", "实施", "效果验证"]
    assert [row[5] for row in worked] == [f"{stage}：已完成" for stage, _who in STAGES]
    journey.finish()


def test_the_snapshot_stays_readable_offline_and_only_readers_get_the_area(
    qtbot: QtBot, office: Backend, link: FaultProxy, desk_for: Callable[[str, str], Journey], tmp_path: Path,
) -> None:
    journey = desk_for(link.url, "supervisor1")
    area = open_area(journey)
    qtbot.waitUntil(live_after(area, datetime.min.replace(tzinfo=UTC)), timeout=60000)
    area.select_point("pq-demo-1")
    qtbot.waitUntil(lambda: area.snapshot is not None and area.snapshot.trend("pq-demo-1", "week") is not None,
                    timeout=30000)
    fetched = area.snapshot.fetched_at  # type: ignore[union-attr]
    staff = journey.desk.staff
    assert staff is not None
    qtbot.waitUntil(lambda: (cached := data.Snapshot.from_json(journey.store.get_meta(data.cache_key(staff.id))))
                    is not None and "pq-demo-1|week" in cached.trends, timeout=15000)

    link.partition()  # the office's network is down: a new area on the same desk reads the saved snapshot
    again = PowerQualityArea(area._context)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.snapshot is not None and again.snapshot.cached, timeout=60000)
    qtbot.waitUntil(lambda: "离线" in again.status.text(), timeout=60000)
    assert again.snapshot is not None and again.snapshot.fetched_at == fetched
    again.select_point("pq-demo-1")
    qtbot.waitUntil(lambda: again.chart is not None and again.chart.points > 0, timeout=15000)
    assert again.chart.limit_values == [4.0]
    # A monthly report states the server's figures: offline it is refused with a sentence, and nothing written.
    chosen = again.selected_customer()
    assert chosen is not None
    again.export_report(chosen[0], str(again.report_month.currentData()), tmp_path / "offline.pdf")
    assert "须在线生成" in again.status.text() and not (tmp_path / "offline.pdf").exists()
    link.heal()
    journey.finish()

    clerk = desk_for(office.url, "clerk1")
    assert "power_quality" not in clerk.window.areas  # the front desk does not read power quality
    clerk.finish()
