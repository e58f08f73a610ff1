"""Sign-out drops the dispatch board: its batch lock stops renewing and is let go on the server."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from desktop.operations import in_flight, settle
from tests.desktop.dispatch.test_locks import Desk, backend, desks, held_on_server, open_desk  # noqa: F401
from tests.desktop.support import OFFSCREEN_NOISE, wait
from tests.e2e.harness import Backend

pytestmark = [OFFSCREEN_NOISE, pytest.mark.slow]


def test_shutdown_lets_the_batch_lock_go_and_stops_renewing(
    qtbot: QtBot, tmp_path: Path, backend: Backend, desks: list[Desk]  # noqa: F811
) -> None:
    a = open_desk(qtbot, tmp_path, backend, "disp_a")
    desks.append(a)
    assert a.board is not None
    a.board.batch_button.click()
    qtbot.waitUntil(lambda: a.board is not None and a.board.proposal_dialog is not None, timeout=30000)
    assert a.board.locks.on_server and held_on_server(qtbot, a)

    a.board.shutdown()
    assert not any(timer.isActive() for timer in a.board.locks.findChildren(QTimer))
    wait(qtbot, settle())  # the unlock request is counted like any operation
    assert in_flight() == 0
    assert held_on_server(qtbot, a) == []
