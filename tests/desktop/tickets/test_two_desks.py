"""Two department desks, each a real ticket detail over its own store and sync engine, against one
backend process: design and engineering each complete their parallel stage with the detail's
buttons, and after syncing both graphs show the next stage (mid-inspection) open."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from desktop.actions import ActionRegistry
from desktop.context import DeskContext
from desktop.settings import Settings
from desktop.tickets.detail import TicketDetail
from desktop.tickets.stage_graph import StageStatus
from desktop.tickets.task_dialogs import CompleteDialog
from domain.catalogue import load_catalogue
from domain.records import Staff
from tests.desktop.support import OFFSCREEN_NOISE, wait
from tests.e2e.harness import Backend
from tests.e2e.test_collaboration import (
    HV_CONNECTION,
    HV_MATERIALS,
    Desk,
    open_desk,
    start_office,
)

pytestmark = [OFFSCREEN_NOISE, pytest.mark.slow]


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[Backend]:
    server = start_office(tmp_path / "office.db")
    yield server
    server.stop()


def detail_for(qtbot: QtBot, desk: Desk, session_staff: dict[str, Any], ticket_id: str) -> TicketDetail:
    settings = Settings()
    context = DeskContext(store=desk.store, staff=Staff.model_validate(session_staff), settings=settings,
                          actions=ActionRegistry(settings), engine=desk.engine)
    detail = TicketDetail(context, load_catalogue(), lambda: datetime.now(UTC))
    qtbot.addWidget(detail)
    detail.show_ticket(ticket_id)
    qtbot.waitUntil(lambda: detail.bundle is not None, timeout=5000)
    return detail


def complete_with_buttons(qtbot: QtBot, detail: TicketDetail, task_id: str, outcome: str) -> None:
    detail.select_task(task_id)
    detail.findChild(QPushButton, "stageAction_taken").click()
    qtbot.waitUntil(lambda: next(t for t in detail.bundle.tasks if t.id == task_id).state == "taken", timeout=5000)
    detail.select_task(task_id)
    detail.findChild(QPushButton, "stageAction_done").click()
    dialog = detail.moves.active_dialog
    assert isinstance(dialog, CompleteDialog)
    dialog.outcome.setPlainText(outcome)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: next(t for t in detail.bundle.tasks if t.id == task_id).state == "done", timeout=5000)


def test_parallel_stages_completed_on_two_desks_open_the_next_stage_on_both(
    qtbot: QtBot, qapp: QApplication, desk_loop: qasync.QEventLoop, tmp_path: Path, backend: Backend,
) -> None:
    desks = {name: open_desk(tmp_path, name, backend.url) for name in ("hall", "mkt", "design", "eng")}
    staff: dict[str, dict[str, Any]] = {}
    details: list[TicketDetail] = []
    try:
        for name, desk in desks.items():
            wait(qtbot, desk.sign_in())
            staff[name] = dict(desk.api.session.staff) if desk.api.session else {}
        hall, mkt, design, eng = (desks[name] for name in ("hall", "mkt", "design", "eng"))
        ticket = hall.store.accept_ticket(type_code="connection_hv_single", channel="hall", office_id=hall.office_id,
                                          fields=HV_CONNECTION, materials=HV_MATERIALS)
        wait(qtbot, hall.sync())
        wait(qtbot, mkt.sync())
        mkt.work(mkt.tasks(ticket.id)["survey"], "现场具备供电条件")
        wait(qtbot, mkt.sync())
        mkt.work(mkt.tasks(ticket.id)["supply_plan"], "供电方案已答复")
        wait(qtbot, mkt.sync())
        wait(qtbot, design.sync())
        wait(qtbot, eng.sync())

        # Each department completes its own parallel stage with the buttons of its own desk.
        design_detail = detail_for(qtbot, design, staff["design"], ticket.id)
        eng_detail = detail_for(qtbot, eng, staff["eng"], ticket.id)
        details += [design_detail, eng_detail]
        for detail in details:
            boxes = detail.graph.boxes
            assert boxes["design_review"].status is StageStatus.OPEN and boxes["grid_works"].status is StageStatus.OPEN
            assert boxes["mid_inspection"].status is StageStatus.BLOCKED
        complete_with_buttons(qtbot, design_detail, design.tasks(ticket.id)["design_review"].id, "设计审查通过")
        complete_with_buttons(qtbot, eng_detail, eng.tasks(ticket.id)["grid_works"].id, "配套工程完工")
        for _ in range(2):  # push each, then pull the other's
            wait(qtbot, design.sync())
            wait(qtbot, eng.sync())

        # The next stage is open on both desks' graphs; the two completions are done on both.
        for detail in details:
            detail.reload()
            qtbot.waitUntil(lambda d=detail: "mid_inspection" in {t.stage_code for t in d.bundle.tasks}, timeout=5000)
            assert detail.graph.boxes["mid_inspection"].status is StageStatus.OPEN
            assert detail.graph.boxes["design_review"].status is StageStatus.DONE
            assert detail.graph.boxes["grid_works"].status is StageStatus.DONE
    finally:
        for detail in details:
            detail.shutdown()
        for desk in desks.values():
            wait(qtbot, desk.api.aclose())
            desk.store.close()
