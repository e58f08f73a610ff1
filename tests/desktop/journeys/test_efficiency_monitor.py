"""效能监控 on a real office server: the supervisor's tiles read the server's own overview, the last snapshot
stays readable offline with its time, only the roles of domain.roles get the area, and a supervisor opens
the monitor, changes the period and drills from a number into the tickets behind it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import httpx
import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.efficiency import EfficiencyMonitor, data
from desktop.efficiency.area import DrillDialog
from desktop.tickets.area import TicketsArea
from domain.sla import OFFICE_ZONE
from tests.desktop.journeys.conftest import PASSWORD, Journey
from tests.desktop.support import OFFSCREEN_NOISE
from tests.e2e.fault_proxy import FaultProxy
from tests.e2e.harness import Backend

pytestmark = [OFFSCREEN_NOISE, pytest.mark.slow, pytest.mark.e2e]


def server_overview(office: Backend, username: str, start: date, end: date) -> dict[str, Any]:
    """What the server answers this person for the period, asked without the desk."""
    with httpx.Client(base_url=office.url, timeout=30) as http:
        login = http.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD,
                                                      "client_id": "efficiency-test"})
        login.raise_for_status()
        answer = http.get("/api/v1/efficiency/overview", params={"start": start.isoformat(), "end": end.isoformat()},
                          headers={"Authorization": f"Bearer {login.json()['access_token']}"})
        answer.raise_for_status()
        return dict(answer.json())


def open_monitor(journey: Journey) -> EfficiencyMonitor:
    action = next(a for a in journey.window.area_actions if a.objectName() == "area.efficiency")
    action.trigger()  # 功能区 ▸ 效能监控 (its Ctrl+number)
    assert journey.window.current_area == "efficiency"
    monitor = journey.area("efficiency")
    assert isinstance(monitor, EfficiencyMonitor) and monitor.objectName() == "efficiencyMonitor"
    return monitor


def live(monitor: EfficiencyMonitor, start: date, end: date) -> Callable[[], bool]:
    def ready() -> bool:
        s = monitor.snapshot
        return s is not None and not s.cached and (s.start, s.end) == (start, end) and not monitor._loading
    return ready


def percent(value: float) -> str:
    return QLocale().toString(value * 100, "f", 1) + "%"


def test_tiles_show_the_servers_overview_and_the_snapshot_stays_readable_offline(
    qtbot: QtBot, office: Backend, link: FaultProxy, desk_for: Callable[[str, str], Journey],
) -> None:
    journey = desk_for(link.url, "supervisor1")
    assert journey.area("efficiency").trend_chart is None  # the charts wait until the area is first opened
    monitor = open_monitor(journey)
    start, end = monitor.chosen_period()
    qtbot.waitUntil(live(monitor, start, end), timeout=60000)

    truth = server_overview(office, "supervisor1", start, end)
    assert len(truth["offices"]) == 1  # a supervisor reads their own office
    rollup = truth["rollup"]
    assert rollup["accepted"] > 0, "the demo office accepted nothing this month: the monitor would show nothing"
    for key, kind in (("ticket_on_time_rate", "rate"), ("first_time_resolution_rate", "rate"),
                      ("overdue_backlog", "count"), ("online_share", "rate"), ("mean_customer_rating", "rating")):
        assert monitor.tiles[key].value.text() == monitor.number(rollup[key], kind), key
    if rollup["ticket_on_time_rate"] is not None:
        assert monitor.tiles["ticket_on_time_rate"].value.text() == percent(rollup["ticket_on_time_rate"])
    assert all(tile.target.text() == "目标：未设定" for tile in monitor.tiles.values())
    assert "数据时间：" in monitor.status.text()
    # The trend has a point per day of the period, the ranking a row per department the server measured.
    assert len(monitor.trend_chart.labels) == (end - start).days + 1
    assert monitor.ranking.rowCount() == len({row["department"] for row in truth["by_department"]}
                                             | set(monitor.snapshot.department_scores()))  # type: ignore[union-attr]

    # A slice: one ticket type's indicators, the same as the server's by_type row.
    busiest = max(truth["by_type"], key=lambda row: row["indicators"]["accepted"])
    monitor.slice_kind.setCurrentIndex(monitor.slice_kind.findData("type"))
    monitor.slice_value.setCurrentIndex(monitor.slice_value.findData(busiest["type_code"]))
    assert monitor.tiles["first_time_resolution_rate"].value.text() == monitor.number(
        busiest["indicators"]["first_time_resolution_rate"], "rate")
    monitor.slice_kind.setCurrentIndex(monitor.slice_kind.findData("all"))

    # Offline: a new monitor on the same desk store reads the cached snapshot and says when it was taken.
    fetched = monitor.snapshot.fetched_at  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: journey.store.get_meta(data.cache_key(journey.desk.staff.id)) is not None,  # type: ignore[union-attr]
                    timeout=15000)
    link.partition()
    again = EfficiencyMonitor(monitor._context)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.snapshot is not None and again.snapshot.cached and not again._loading,
                    timeout=60000)
    qtbot.waitUntil(lambda: "离线快照" in again.status.text(), timeout=60000)
    from desktop.display import datetime_text

    assert datetime_text(fetched) in again.status.text()
    assert again.tiles["ticket_on_time_rate"].value.text() == monitor.number(rollup["ticket_on_time_rate"], "rate")
    again.close()
    link.heal()


@pytest.mark.parametrize("username", ["clerk1", "marketing1", "dispatcher1"])
def test_only_the_monitors_roles_get_the_area(
    office: Backend, desk_for: Callable[[str, str], Journey], username: str,
) -> None:
    journey = desk_for(office.url, username)
    assert "efficiency" not in journey.window.areas
    assert not any(a.objectName() == "area.efficiency" for a in journey.window.area_actions)


def test_manager_lands_on_the_monitor_and_sees_the_offices_side_by_side(
    qtbot: QtBot, office: Backend, desk_for: Callable[[str, str], Journey],
) -> None:
    journey = desk_for(office.url, "manager")
    assert journey.window.current_area == "efficiency"
    monitor = journey.area("efficiency")
    start, end = monitor.chosen_period()
    qtbot.waitUntil(live(monitor, start, end), timeout=60000)
    truth = server_overview(office, "manager", start, end)
    assert monitor.offices_table.rowCount() == len(truth["offices"])
    if len(truth["offices"]) > 1:
        assert monitor.office.isVisibleTo(monitor) and monitor.office.count() == len(truth["offices"]) + 1


def test_supervisor_changes_the_period_and_drills_into_a_number(
    qtbot: QtBot, office: Backend, desk_for: Callable[[str, str], Journey],
) -> None:
    journey = desk_for(office.url, "supervisor1")
    monitor = open_monitor(journey)
    qtbot.waitUntil(live(monitor, *monitor.chosen_period()), timeout=60000)

    # 上月: the tiles, the trend and the comparison now speak of last month.
    monitor.period.setCurrentIndex(monitor.period.findData("last_month"))
    first, last = data.last_month(data.today_in_office(monitor._clock()))
    qtbot.waitUntil(live(monitor, first, last), timeout=60000)
    assert monitor.chosen_period() == (first, last)
    truth = server_overview(office, "supervisor1", first, last)["rollup"]
    assert monitor.tiles["ticket_on_time_rate"].value.text() == monitor.number(truth["ticket_on_time_rate"], "rate")
    assert len(monitor.trend_chart.labels) == (last - first).days + 1

    # A range the server refuses (longer than three years) says why and keeps last month on screen.
    monitor.choose_period("custom", date(2020, 1, 1), last)
    qtbot.waitUntil(lambda: "服务器拒绝了请求" in monitor.status.text() and not monitor._loading, timeout=30000)
    assert "三年" in monitor.status.text()
    assert monitor.snapshot is not None and (monitor.snapshot.start, monitor.snapshot.end) == (first, last)
    monitor.choose_period("last_month")
    qtbot.waitUntil(live(monitor, first, last), timeout=60000)

    # Double-click the ranking's first department: the tickets one of its stages worked in the period.
    first_department = monitor.department_order[0]
    cell = monitor.ranking.visualItemRect(monitor.ranking.item(0, 1))
    # A person's double-click starts with a press (QTest's double-click alone leaves the view no pressed cell).
    qtbot.mouseClick(monitor.ranking.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
    qtbot.mouseDClick(monitor.ranking.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
    by_department = next(w for w in QApplication.topLevelWidgets() if isinstance(w, DrillDialog) and w.isVisible())
    qtbot.waitUntil(lambda: by_department.note.text().startswith("共"), timeout=30000)
    worked = {t.ticket_id for t in journey.store.stage_tasks_between(journey.desk.staff.office_id, *(  # type: ignore[union-attr]
        datetime.combine(day, time(), OFFICE_ZONE) for day in (first, last + timedelta(days=1))))
        if t.department == first_department}
    assert by_department.tickets and {t.id for t in by_department.tickets} == worked
    by_department.close()

    # Double-click 一次办结率: the tickets closed in the period, each opening in the tickets area.
    tile = monitor.tiles["first_time_resolution_rate"]
    qtbot.mouseDClick(tile, Qt.MouseButton.LeftButton)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, DrillDialog) and w.isVisible())
    qtbot.waitUntil(lambda: dialog.note.text().startswith("共"), timeout=30000)
    assert dialog.table.rowCount() == len(dialog.tickets) == truth["closed"], (
        "the desk holds every ticket of its office: the list behind the number is as long as the server's count")
    assert all(t.closed_at is not None and first <= data.today_in_office(t.closed_at) <= last
               for t in dialog.tickets)
    chosen = dialog.tickets[0]
    dialog._chosen(0, 0)
    assert journey.window.current_area == "tickets"
    tickets = journey.area("tickets")
    assert isinstance(tickets, TicketsArea)
    qtbot.waitUntil(lambda: tickets.detail.bundle is not None and tickets.detail.bundle.ticket.id == chosen.id,
                    timeout=30000)
