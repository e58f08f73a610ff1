"""Dispatch screens say a time the desk's one way (desktop.display: 2026-12-08 14:00, office zone), not
`12-08 14:00`: suggestions, the conflict panel's versions and its suggested fix."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.dispatch import DispatchBoard
from desktop.dispatch.suggestion_model import SuggestionModel
from desktop.display import datetime_text
from domain.dispatch import Suggestion
from domain.sync import MutationResult
from local_store import Store
from tests.desktop.dispatch.conftest import survey_rows
from tests.desktop.dispatch.test_board import booked, drop
from tests.desktop.support import OFFSCREEN_NOISE

pytestmark = OFFSCREEN_NOISE

DESKTOP = Path(__file__).resolve().parents[3] / "desktop"
FULL = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
DATE_PART = re.compile(r"%[Yymdb]")
TIME_PART = re.compile(r"%[HIM]")
SHORT = re.compile(r"(?<!\d{4}-)\b\d{2}-\d{2} \d{2}:\d{2}")


def test_a_suggestions_start_reads_as_date_and_time_in_the_office_zone(qapp: object) -> None:
    start = datetime(2026, 12, 8, 6, 0, tzinfo=UTC)  # 14:00 in the office
    model = SuggestionModel()
    model.set_suggestions([Suggestion("sv-1", start, start, 80.0, ())], {"sv-1": "李勘查"})
    assert model.data(model.index(0, 1), Qt.ItemDataRole.DisplayRole) == "2026-12-08 14:00"


def test_a_rejected_booking_says_its_times_the_desks_way(qtbot: QtBot, board: DispatchBoard, store: Store) -> None:
    drop(board, "sa-1", "sv-0", 10)
    mine = booked(qtbot, store, "sa-1", "sv-0")
    mutation = store.pending_mutations()[0]
    server_row = survey_rows(1)[2][1] | {"version": 2}
    store.apply_push_results([MutationResult(mutation_id=mutation.mutation_id, status="rejected",
                                             entity="survey_assignment", entity_id="sa-1", code="surveyor_on_leave",
                                             reason="勘查员当天请假", record=server_row)])
    board.refresh()
    qtbot.waitUntil(lambda: board.conflicts.list.count() == 1, timeout=5000)
    text = board.conflicts.list.item(0).text()
    fix = board.conflicts.fixes()[0]
    assert fix is not None and mine.start is not None
    assert f"李勘查 {datetime_text(mine.start)}" in text
    assert f"{datetime_text(fix.start)} 开始" in text
    assert FULL.search(text) and not SHORT.search(text)
    assert "（已派工）" in text and "（待派工）" in text and "assigned" not in text  # states in words too


def _own_datetime_formats(path: Path) -> list[str]:
    """strftime formats and f-string specs (`{x:%m-%d %H:%M}`) in a desk module that write a date with a
    time of day: those read the desk's one way through desktop.display.datetime_text. (A bare time on the
    day board, a month in a request's parameters or a chart's day ticks are other things.)"""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        spec = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "strftime" \
                and node.args and isinstance(node.args[0], ast.Constant):
            spec = str(node.args[0].value)
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = ast.unparse(node.format_spec)
        if spec and DATE_PART.search(spec) and TIME_PART.search(spec):
            found.append(f"{path.relative_to(DESKTOP.parent)}:{node.lineno}: {spec}")
    return found


def test_only_desktop_display_writes_a_date_with_a_time() -> None:
    formats = [hit for path in sorted(DESKTOP.rglob("*.py")) if path.name != "display.py"
               for hit in _own_datetime_formats(path)]
    assert formats == []
