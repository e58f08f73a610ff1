"""Fixtures for every desktop suite: the desk's qasync loop and a keyring kept in memory."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import keyring
import pytest
import qasync
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.frontdesk.search import DEBOUNCE_MS
from tests.desktop.support import MemoryKeyring, drain

SETTLE_MS = 2 * DEBOUNCE_MS


@pytest.fixture
def desk_loop(qapp: QApplication, qtbot: QtBot) -> Iterator[qasync.QEventLoop]:
    """The desk's one qasync loop on the GUI thread, running while Qt processes events.

    The app's loop runs inside `app.exec()`; here the tests spin Qt, so the loop is only *marked*
    running (what qasync does itself). Not `already_running=True`: its stop() calls app.exit(),
    which leaves Qt's quit flag set and breaks every later qtbot.wait in the session.
    """
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)
    yield loop
    drain(qtbot, loop)
    # Timers the test left pending (the search box's debounce) fire now, while the loop still runs,
    # rather than in a later test after this loop has closed.
    qtbot.wait(SETTLE_MS)
    drain(qtbot, loop)
    asyncio.events._set_running_loop(None)
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
