"""Coordination lists from a real store, and their export to files others can open."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from pytestqt.qtbot import QtBot

from desktop import messages
from desktop.tickets.coordination import coordination_report, period_bounds
from desktop.tickets.coordination_dialog import CoordinationDialog
from desktop.tickets.export import write_pdf, write_xlsx
from domain.catalogue import load_catalogue
from local_store import Store
from tests.desktop.tickets.conftest import (
    OFFICE,
    START,
    Server,
    customer_data,
    iso,
    make_context,
    task_data,
    ticket_data,
)


@pytest.fixture
def busy_office(server: Server) -> Server:
    """A connection waiting on metering for three days, a survey sent back, and rated finished work."""
    server.send(
        ("customer", customer_data(0)),
        ("ticket", ticket_data(1)),
        ("stage_task", task_data(1, "survey", "marketing", state="done", completed_at=iso(START - timedelta(hours=2)),
                                 result={"peer_rating": {"department": "marketing", "score": 4}})),
        ("stage_task", task_data(1, "metering", "metering", opened=START - timedelta(days=3))),
        ("ticket", ticket_data(2)),
        ("stage_task", task_data(2, "survey", "marketing", state="returned", reason="地址有误")),
        ("stage_task", task_data(2, "grid_works", "engineering", opened=START - timedelta(hours=1))),
        ("ticket", ticket_data(3, type_code="repair")),
        ("stage_task", task_data(3, "return_visit", "service", state="done", completed_at=iso(START - timedelta(hours=1)),
                                 result={"return_visit": {"lead_ratings": {"dispatch": 5}}})),
        ("stage_task", task_data(3, "arrive", "operations", state="done", completed_at=iso(START - timedelta(minutes=10)),
                                 due=timedelta(minutes=30))),
    )
    return server


def test_period_bounds_follow_the_office_calendar() -> None:
    now = datetime(2025, 3, 5, 17, 0, tzinfo=UTC)  # Thursday 01:00 in the office zone
    day = period_bounds("daily", now)
    assert [d.isoformat() for d in day] == ["2025-03-06T00:00:00+08:00", "2025-03-07T00:00:00+08:00"]
    week = period_bounds("weekly", now)
    assert week[0].date().isoformat() == "2025-03-03" and week[1] - week[0] == timedelta(days=7)
    month = period_bounds("monthly", now)
    assert (month[0].date().isoformat(), month[1].date().isoformat()) == ("2025-03-01", "2025-04-01")


def test_lists_find_cross_department_stalls_and_lateness(store: Store, busy_office: Server) -> None:
    report = coordination_report(store, load_catalogue(), OFFICE, "weekly", START + timedelta(days=1))
    stuck = {(item.ticket_number, item.stage, item.department, item.overdue) for item in report.stuck}
    assert stuck == {("GD20250303000001", "装表接电", "metering", True),
                     ("GD20250303000002", "现场勘查", "marketing", False)}
    returned = next(i for i in report.stuck if i.department == "marketing")
    assert returned.reason == "地址有误" and returned.state == "已回退"
    lines = {line.department: line for line in report.departments}
    assert (lines["operations"].completed, lines["operations"].completed_late) == (1, 1)
    assert lines["operations"].on_time_rate == 0.0
    assert lines["dispatch"].lead_rating == 5 and lines["marketing"].peer_rating == 4
    assert (lines["metering"].active, lines["metering"].overdue_now) == (1, 1)


def test_exports_are_readable_files(store: Store, busy_office: Server, tmp_path: Path) -> None:
    report = coordination_report(store, load_catalogue(), OFFICE, "monthly", START + timedelta(days=1))
    workbook = openpyxl.load_workbook(write_xlsx(report, tmp_path / "list.xlsx"))
    assert workbook.sheetnames == ["跨部门卡点", "各部门超时统计"]
    stuck = workbook["跨部门卡点"]
    assert stuck["A1"].value.startswith("跨部门协调清单（月）")
    assert [c.value for c in stuck[2]][:3] == ["工单号", "业务类型", "环节"]
    assert {stuck.cell(row=r, column=1).value for r in range(3, stuck.max_row + 1)} == {
        "GD20250303000001", "GD20250303000002"}
    pdf = write_pdf(report, tmp_path / "list.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and b"STSong-Light" in pdf and len(pdf) > 2000
    english = coordination_report(store, load_catalogue(), OFFICE, "daily", START, lang="en")
    assert openpyxl.load_workbook(write_xlsx(english, tmp_path / "en.xlsx")).sheetnames[0] == \
        "Stuck between departments"


def test_the_pdf_writes_a_typed_reason_as_text(store: Store, busy_office: Server, tmp_path: Path) -> None:
    """A reason typed with angle brackets broke the PDF: reportlab read it as markup ("<b" unclosed: parse error)."""
    report = coordination_report(store, load_catalogue(), OFFICE, "monthly", START + timedelta(days=1))
    hostile = replace(report, stuck=[replace(item, reason="<b>地址有误 & 电压 < 198V") for item in report.stuck])
    pdf = write_pdf(hostile, tmp_path / "list.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-64:]


@pytest.mark.usefixtures("desk_loop")
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_dialog_shows_the_lists_and_exports_them(qtbot: QtBot, store: Store, busy_office: Server,
                                                 tmp_path: Path) -> None:
    context = make_context(store, "s-sup", "supervisor", None)
    dialog = CoordinationDialog(context, load_catalogue(), lambda: START + timedelta(days=1))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=5000)
    assert dialog.report.period == "daily"  # type: ignore[union-attr]
    assert dialog.stuck.rowCount() == 2 and dialog.departments.rowCount() == 3  # the day's work only
    dialog.period.setCurrentIndex(dialog.period.findData("monthly"))
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.report.period == "monthly", timeout=5000)
    assert dialog.departments.rowCount() == 6
    with qtbot.waitSignal(messages.bridge().message, timeout=5000) as said:
        dialog.export_to(tmp_path / "monthly.xlsx", "xlsx")
    assert said.args is not None and said.args[1].startswith("已导出")
    assert openpyxl.load_workbook(tmp_path / "monthly.xlsx")["各部门超时统计"].max_row == 8
