"""The supervisor's morning: the desk opens on the tickets, the overdue list shows what is late, the
coordination list (协调清单) of the week gathers what is stuck between departments, and it is exported to
Excel for the coordination meeting."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop.tickets import coordination_dialog
from desktop.tickets.area import TicketsArea
from tests.desktop.journeys.conftest import Journey
from tests.desktop.support import OFFSCREEN_NOISE
from tests.e2e.harness import Backend

pytestmark = [OFFSCREEN_NOISE, pytest.mark.slow, pytest.mark.e2e]


def test_supervisor_lands_on_the_lists_and_exports_the_coordination_list(
    qtbot: QtBot, office: Backend, desk_for: Callable[[str, str], Journey], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    journey = desk_for(office.url, "supervisor1")
    assert journey.window.current_area == "tickets"  # the supervisor lands on the lists, not the front desk
    area = journey.area("tickets")
    assert isinstance(area, TicketsArea)

    # The overdue list: as many rows as its count says.
    area.choose_queue("overdue")
    qtbot.waitUntil(lambda: "overdue" in area.counts, timeout=15000)
    qtbot.waitUntil(lambda: area.total_label.text() == f"共 {area.counts['overdue']} 件", timeout=15000)

    # The week's coordination list, exported for the meeting (the save dialog answers with a path).
    area.findChild(QPushButton, "openCoordination").click()
    dialog = area.coordination
    assert dialog is not None and dialog.isVisible()
    dialog.period.setCurrentIndex(dialog.period.findData("weekly"))
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.report.period == "weekly", timeout=15000)
    report = dialog.report
    assert report is not None and "（周）" in dialog.title.text()
    target = tmp_path / "coordination.xlsx"
    monkeypatch.setattr(coordination_dialog.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_args, **_kwargs: (str(target), "")))
    dialog.findChild(QPushButton, "exportXlsx").click()
    qtbot.waitUntil(target.exists, timeout=15000)
    qtbot.waitUntil(lambda: journey.window.message_label.text().startswith("已导出"), timeout=15000)

    from openpyxl import load_workbook

    workbook = load_workbook(target, read_only=True)
    stuck_sheet = workbook.worksheets[0]
    rows = list(stuck_sheet.iter_rows(values_only=True))
    assert "跨部门协调清单" in str(rows[0][0])
    assert len([r for r in rows[2:] if any(cell is not None for cell in r)]) == len(report.stuck)
    workbook.close()
    dialog.close()
    journey.finish()
