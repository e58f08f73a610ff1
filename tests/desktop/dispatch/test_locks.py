"""Two dispatch boards on two desks against one real backend: the server's dispatch lock between them.

Desk A runs a batch: the covered surveyors are locked on the server until A's review is closed; desk B's
batch start and B's drop onto a locked surveyor are refused naming A. With the server gone, a batch still
runs on the desk's own lock and the status line says so.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import qasync
from pytestqt.qtbot import QtBot

from backend.bulk import bulk_insert
from backend.db.engine import open_database
from backend.db.migrate import upgrade
from backend.seeding import create_user
from backend.settings import database_url
from desktop.actions import ActionRegistry
from desktop.context import DeskContext
from desktop.dispatch import DispatchBoard
from desktop.settings import Settings
from desktop.sync.client import ApiClient
from desktop.sync.engine import SyncEngine
from domain.records import Staff, SurveyAssignment, Surveyor
from local_store import Store
from tests.desktop.dispatch.conftest import NOW, Said, office_time
from tests.desktop.dispatch.test_board import drop
from tests.desktop.support import OFFSCREEN_NOISE, settled, wait
from tests.e2e.harness import PASSWORD, Backend

pytestmark = [OFFSCREEN_NOISE, pytest.mark.slow]

OFFICE = "county-d"
DAY = date(2025, 3, 4)
PLANNERS = {"disp_a": "派工员甲", "disp_b": "派工员乙"}


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[Backend]:
    db = tmp_path / "office.db"
    url = database_url(str(db))
    upgrade(url)
    for username, name in PLANNERS.items():
        create_user(url, username=username, role="dispatcher", office=OFFICE, password=PASSWORD, display_name=name)
    crew = [Surveyor(id=f"sv-{n}", office_id=OFFICE, name=name, territories=["城关"], skills=["low_voltage"],
                     daily_capacity=4) for n, name in enumerate(("李勘查", "王勘查"))]
    surveys = [SurveyAssignment(id=f"sa-{n}", office_id=OFFICE, ticket_id=f"tick-{n}", territory="城关",
                                required_skill="low_voltage", duration_minutes=60, location_x_km=3.0,
                                location_y_km=4.0, due_at=office_time(17, day=1)) for n in (1, 2)]
    database = open_database(url)
    try:
        with database.write() as session:
            bulk_insert(session, [*crew, *surveys], datetime.now(NOW.tzinfo))
    finally:
        database.dispose()
    server = Backend(db).start()
    yield server
    server.stop()


@dataclass
class Desk:
    store: Store
    api: ApiClient
    board: DispatchBoard | None = None


def open_desk(qtbot: QtBot, tmp_path: Path, backend: Backend, username: str) -> Desk:
    """A signed-in desk, synced once, showing its dispatch board on the fixed day."""
    store = Store.open(tmp_path / f"{username}.db", os.urandom(32), desk_code=username.replace("_", "").upper())
    api = ApiClient(backend.url)
    session = wait(qtbot, api.login(username, PASSWORD, store.client_id))
    engine = SyncEngine(store, api, scopes=list(session.scopes), live=False, close_client=False)
    wait(qtbot, engine.sync_once())
    settings = Settings()
    context = DeskContext(store=store, staff=Staff.model_validate(session.staff), settings=settings,
                          actions=ActionRegistry(settings), engine=engine)
    board = DispatchBoard(context, clock=lambda: NOW, batch_time_limit_s=5.0)
    qtbot.addWidget(board)
    board.resize(1400, 800)
    board.show()
    qtbot.waitUntil(lambda: board.day is not None and board.queue_model.rowCount() == 2, timeout=10000)
    return Desk(store, api, board)


@pytest.fixture
def desks(qtbot: QtBot, desk_loop: qasync.QEventLoop, tmp_path: Path, backend: Backend) -> Iterator[list[Desk]]:
    opened: list[Desk] = []
    yield opened
    for desk in opened:  # the boards themselves are qtbot's to close
        wait(qtbot, desk.api.aclose())
        desk.store.close()


def held_on_server(qtbot: QtBot, desk: Desk) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = wait(qtbot, desk.api.dispatch_locks(DAY))
    return rows


def test_a_batch_run_on_one_desk_holds_the_other_desk_off_naming_who(
    qtbot: QtBot, tmp_path: Path, backend: Backend, desks: list[Desk], said: Said
) -> None:
    a = open_desk(qtbot, tmp_path, backend, "disp_a")
    b = open_desk(qtbot, tmp_path, backend, "disp_b")
    desks += [a, b]
    assert a.board is not None and b.board is not None

    a.board.batch_button.click()
    qtbot.waitUntil(lambda: a.board is not None and a.board.proposal_dialog is not None, timeout=30000)
    assert a.board.locks.on_server and "服务器" in a.board.lock_status.text()
    seen_by_b = held_on_server(qtbot, b)
    assert {row["surveyor_id"] for row in seen_by_b} == {"sv-0", "sv-1"}
    assert {row["holder_name"] for row in seen_by_b} == {"派工员甲"} and not any(row["mine"] for row in seen_by_b)

    b.board.batch_button.click()  # refused: desk A holds these surveyors
    qtbot.waitUntil(lambda: any("派工员甲" in line for line in said.warnings()), timeout=10000)
    assert "派工员甲" in said.warnings()[-1] and "正在为这些勘查员派工" in said.warnings()[-1]
    qtbot.waitUntil(lambda: b.board is not None and b.board.batch_button.isEnabled(), timeout=5000)
    assert b.board.locked == frozenset() and b.board.proposal_dialog is None

    said.lines.clear()
    drop(b.board, "sa-1", "sv-0", 10)  # a manual drop onto a surveyor A is planning
    qtbot.waitUntil(lambda: bool(said.warnings()), timeout=10000)
    assert "派工员甲" in said.warnings()[-1]
    settled(qtbot)
    record = b.store.survey_assignment("sa-1")
    assert record is not None and record.state == "unassigned" and b.store.pending_mutations() == []

    dialog = a.board.proposal_dialog
    assert dialog is not None
    dialog.reject()  # A cancels the review: the lock goes
    qtbot.waitUntil(lambda: a.board is not None and a.board.locked == frozenset(), timeout=5000)
    qtbot.waitUntil(lambda: held_on_server(qtbot, b) == [], timeout=10000)
    assert a.board.lock_status.text() == ""

    drop(b.board, "sa-1", "sv-0", 10)  # now B's drop books (and lets its own short lock go)
    qtbot.waitUntil(lambda: (r := b.store.survey_assignment("sa-1")) is not None and r.surveyor_id == "sv-0",
                    timeout=10000)
    qtbot.waitUntil(lambda: held_on_server(qtbot, a) == [], timeout=10000)


def test_accepting_the_review_releases_the_lock(
    qtbot: QtBot, tmp_path: Path, backend: Backend, desks: list[Desk]
) -> None:
    a = open_desk(qtbot, tmp_path, backend, "disp_a")
    desks.append(a)
    assert a.board is not None
    a.board.batch_button.click()
    qtbot.waitUntil(lambda: a.board is not None and a.board.proposal_dialog is not None, timeout=30000)
    mine = held_on_server(qtbot, a)
    assert len(mine) == 2 and all(row["mine"] for row in mine)
    first_lock = a.board.locks.lock_id
    a.board.locks._renewal.timeout.emit()  # the review stays open: the lock is renewed on the server
    qtbot.waitUntil(lambda: a.board is not None and a.board.locks.lock_id not in (None, first_lock), timeout=10000)
    assert len(held_on_server(qtbot, a)) == 2
    dialog = a.board.proposal_dialog
    assert dialog is not None
    dialog.accept_all.click()
    qtbot.waitUntil(lambda: all((r := a.store.survey_assignment(f"sa-{n}")) is not None and r.state == "assigned"
                                for n in (1, 2)), timeout=10000)
    qtbot.waitUntil(lambda: held_on_server(qtbot, a) == [], timeout=10000)
    assert a.board is not None and a.board.batch_button.isEnabled()


def test_offline_a_batch_runs_on_the_desk_lock_and_says_so(
    qtbot: QtBot, tmp_path: Path, backend: Backend, desks: list[Desk]
) -> None:
    a = open_desk(qtbot, tmp_path, backend, "disp_a")
    desks.append(a)
    assert a.board is not None
    backend.stop()  # the link is gone
    a.board.batch_button.click()
    qtbot.waitUntil(lambda: a.board is not None and a.board.proposal_dialog is not None, timeout=30000)
    assert not a.board.locks.on_server and "离线" in a.board.lock_status.text()
    assert a.board.locked == frozenset({"sv-0", "sv-1"})
    dialog = a.board.proposal_dialog
    assert dialog is not None
    dialog.accept_all.click()  # offline dispatch still books, through the outbox
    qtbot.waitUntil(lambda: len(a.store.pending_mutations()) == 2, timeout=10000)
    assert a.board.locked == frozenset() and a.board.lock_status.text() == ""
