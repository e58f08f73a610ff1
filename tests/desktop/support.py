"""Helpers shared by the desktop suites: the offscreen noise marker, a stub engine, a memory keyring."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import keyring.backend
import pytest
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from desktop.operations import in_flight

# The offscreen platform says so whenever a shown window's size hints change or it is raised;
# nothing to fix in the desk.
OFFSCREEN_NOISE = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)\(\)")


class EngineStub:
    """Stands in for the sync engine where a test only needs to see that the desk asked for a push."""

    def __init__(self) -> None:
        self.nudges = 0

    def notify_local_change(self) -> None:
        self.nudges += 1


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring for tests: the desk stores its store key and refresh token here."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


def drain(qtbot: QtBot, loop: asyncio.AbstractEventLoop, timeout: int = 30000) -> None:
    """Wait until every operation in flight has landed (and every other task on the loop has ended)."""
    qtbot.waitUntil(lambda: in_flight() == 0 and all(task.done() for task in asyncio.all_tasks(loop)),
                    timeout=timeout)


def settled(qtbot: QtBot, timeout: int = 30000) -> None:
    """Before checking that nothing happened: every operation in flight has landed and the events it posted
    are delivered (instead of a fixed wait, which proves nothing under load)."""
    qtbot.waitUntil(lambda: in_flight() == 0, timeout=timeout)
    QCoreApplication.sendPostedEvents()
    QCoreApplication.processEvents()
    qtbot.waitUntil(lambda: in_flight() == 0, timeout=timeout)


def wait(qtbot: QtBot, work: Awaitable[Any], timeout: int = 30000) -> Any:
    """Run a coroutine on the desk's loop until it is done (Qt keeps spinning); its result."""
    task = asyncio.ensure_future(work)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()
