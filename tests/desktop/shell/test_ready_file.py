"""The desk says when it is ready (ONEWINDOW_READY_FILE, for the memory benchmark): only once its main
window is shown and its first sync round is over, and only when the variable asks for it."""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import qasync
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from backend.db.migrate import upgrade
from backend.seeding import seed_demo
from backend.settings import database_url
from desktop import ready
from desktop.app import Desk, Options
from desktop.settings import Settings
from desktop.sync.errors import Offline
from desktop.sync.status import SyncStatus
from tests.desktop.shell.test_desk import login_dialog
from tests.desktop.support import OFFSCREEN_NOISE, MemoryKeyring
from tests.e2e.harness import Backend

pytestmark = [OFFSCREEN_NOISE]


def test_the_file_waits_for_both_the_window_and_the_end_of_the_first_round(tmp_path: Path) -> None:
    async def scenario() -> None:
        report = ready.ReadyReport(tmp_path / "ready")
        report.sync_status(SyncStatus())  # the outbox size, before any round: not the end of one
        report.shown()
        await asyncio.sleep(0)
        assert not (tmp_path / "ready").exists()
        report.sync_status(SyncStatus(syncing=True))
        await asyncio.sleep(0)
        assert not (tmp_path / "ready").exists()
        report.sync_status(SyncStatus(syncing=False))  # the round's end, its outcome not told yet
        await asyncio.sleep(0)
        assert not (tmp_path / "ready").exists()
        report.sync_status(SyncStatus(syncing=False, last_synced=datetime(2026, 3, 2, tzinfo=UTC)))
        while not report.written:
            await asyncio.sleep(0)
        assert (tmp_path / "ready").read_text().split() == [str(os.getpid()), "ready"]
        assert not (tmp_path / "ready.part").exists()

    asyncio.run(scenario())


def test_a_round_over_before_the_window_is_shown_waits_for_the_window(tmp_path: Path) -> None:
    async def scenario() -> None:
        report = ready.ReadyReport(tmp_path / "ready")
        report.sync_status(SyncStatus(syncing=True))
        report.sync_status(SyncStatus(syncing=False, online=False, error=Offline("refused")))  # offline
        await asyncio.sleep(0)
        assert not (tmp_path / "ready").exists()
        report.shown()
        while not report.written:
            await asyncio.sleep(0)
        assert (tmp_path / "ready").exists()

    asyncio.run(scenario())


def test_without_the_variable_nothing_is_watched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ready.ENV, raising=False)
    assert ready.from_environment() is None
    monkeypatch.setenv(ready.ENV, "  ")
    assert ready.from_environment() is None


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    db = Path(tmp_path_factory.mktemp("ready")) / "office.db"
    url = database_url(str(db))
    upgrade(url)
    seed_demo(url, seed=5, customers_per_office=10)
    server = Backend(db).start()
    yield server
    server.stop()


@pytest.mark.slow
def test_the_desk_writes_the_file_with_its_window_open_and_its_first_sync_done(
    qtbot: QtBot, qapp: QApplication, desk_loop: qasync.QEventLoop, memory_keyring: MemoryKeyring,
    backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    gc.collect()  # earlier desks' Qt objects go here, not mid-test
    marker = tmp_path / "ready"
    monkeypatch.setenv(ready.ENV, str(marker))
    desk = Desk(qapp, Settings(), Options(demo=True, server=backend.url, user="clerk1"))
    run = asyncio.ensure_future(desk.run())
    qtbot.waitUntil(marker.exists, timeout=60000)
    window, engine = desk.window, desk.engine
    assert window is not None and window.isVisible()
    assert engine is not None and engine.status.last_synced is not None  # the first round pulled to the head
    assert desk.store is not None and desk.store.cursor(engine.scopes[0]) > 0
    assert marker.read_text().split() == [str(os.getpid()), "ready"]
    desk.sign_out()
    login_dialog(qtbot).reject()
    qtbot.waitUntil(run.done, timeout=20000)
    assert run.result() == 0
