"""Fixtures for every desktop suite: the desk's qasync loop, garbage collected on the GUI thread, and a
keyring kept in memory."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import keyring
import pytest
import qasync
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop import garbage, i18n
from desktop.event_loop import DeskEventLoop
from tests.desktop.support import MemoryKeyring, drain


@pytest.fixture(scope="package", autouse=True)
def _garbage_collected_on_the_gui_thread() -> Iterator[None]:
    """As in the app (desktop/garbage.py): CPython must not collect in the store thread, where a cycle
    holding a Qt object (a closed test's qasync loop) would be destroyed off the GUI thread and crash
    the process later. Each test's garbage is collected here, on the GUI thread, after its teardown."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        if was_enabled:
            gc.enable()


@pytest.fixture(autouse=True)
def _the_desks_language(qapp: QApplication) -> None:
    """Every test starts in the language a desk starts in — Chinese, Qt's own words (key names, dialog
    buttons) included — whichever test ran before it and whatever language that one chose."""
    if i18n.current_language() != "zh_CN" or not i18n.qt_words_installed():
        i18n.install_language(qapp, "zh_CN")


@pytest.fixture(autouse=True)
def _collect_after_each_test() -> Iterator[None]:
    yield
    garbage.collect()  # the generations due, as CPython would have (a full collection costs ~0.1 s each time)


@pytest.fixture
def desk_loop(qapp: QApplication, qtbot: QtBot) -> Iterator[qasync.QEventLoop]:
    """The desk's one qasync loop on the GUI thread, running while Qt processes events.

    The app's loop runs inside `app.exec()`; here the tests spin Qt, so the loop is only *marked*
    running (what qasync does itself). Not `already_running=True`: its stop() calls app.exit(),
    which leaves Qt's quit flag set and breaks every later qtbot.wait in the session.

    Teardown, whatever happened in the test: the widgets pytest-qt closed are deleted now (their
    timers with them, their operations cancelled), the operations still running are waited for, and
    the loop is closed and its Qt objects deleted here, on the GUI thread.
    """
    loop = DeskEventLoop(qapp)
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)
    try:
        yield loop
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        drain(qtbot, loop)
    finally:
        try:
            _cancel_leftovers(qtbot, loop)
        finally:
            asyncio.events._set_running_loop(None)
            loop.close()  # DeskEventLoop deletes its Qt objects here, on the GUI thread
            asyncio.set_event_loop(None)


def _cancel_leftovers(qtbot: QtBot, loop: asyncio.AbstractEventLoop) -> None:
    """A test that failed may leave tasks behind: cancel them and let them end before the loop closes."""
    leftovers = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in leftovers:
        task.cancel()
    if leftovers:
        qtbot.waitUntil(lambda: all(task.done() for task in leftovers), timeout=30000)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
