"""Shell fixtures: the desk's qasync loop, a real encrypted Store in tmp_path, a keyring kept in memory,
a fast argon2 hasher, and a store holding one rejected change (a conflict for the inbox)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import pytest
import qasync
from argon2 import PasswordHasher
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from domain.sync import Change, MutationResult, PullPage
from local_store import Store

OFFICE = "office-s"
SCOPE = f"office:{OFFICE}"
NOW = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)
# The offscreen platform says so whenever a shown window's size hints change; nothing to fix in the desk.
OFFSCREEN_NOISE = pytest.mark.qt_log_ignore(r"This plugin does not support (propagateSizeHints|raise)\(\)")


class StoreClock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


class EngineStub:
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


def fast_hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def drain(qtbot: QtBot, loop: asyncio.AbstractEventLoop) -> None:
    qtbot.waitUntil(lambda: all(task.done() for task in asyncio.all_tasks(loop)), timeout=10000)


@pytest.fixture
def desk_loop(qapp: QApplication, qtbot: QtBot) -> Iterator[qasync.QEventLoop]:
    """The desk's qasync loop, marked running while the tests spin Qt (see tests/desktop/frontdesk/conftest.py)."""
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)
    yield loop
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


def ticket_data(n: int, **overrides: Any) -> dict[str, Any]:
    data = {"id": f"tick-{n}", "office_id": OFFICE, "version": 1, "number": f"GD{20250000 + n}",
            "type_code": "repair", "channel": "hotline", "state": "accepted", "summary": f"原始摘要{n}",
            "accepted_at": (NOW - timedelta(hours=1)).isoformat(),
            "due_at": (NOW + timedelta(hours=2)).isoformat(), "warn_at": (NOW + timedelta(hours=1)).isoformat()}
    return data | overrides


@pytest.fixture
def store(tmp_path: Path, qtbot: QtBot, desk_loop: qasync.QEventLoop) -> Iterator[Store]:
    opened = Store.open(tmp_path / "desk.db", os.urandom(32), clock=StoreClock(), desk_code="S1")
    changes = [Change(seq=n + 1, entity="ticket", id=f"tick-{n}", kind="upsert", version=1, data=ticket_data(n))
               for n in range(3)]
    opened.apply_pull_page(PullPage(scope=SCOPE, changes=changes, cursor=3, has_more=False))
    try:
        yield opened
    finally:
        drain(qtbot, desk_loop)
        opened.close()


def reject_summary_change(store: Store, n: int, mine: str, theirs: str) -> None:
    """Queue a summary change on ticket n, then have the server reject it with its own newer row."""
    store.update_fields("ticket", f"tick-{n}", {"summary": mine})
    mutation = store.pending_mutations()[-1]
    server_row = ticket_data(n, version=2, summary=theirs, state="in_progress")
    store.apply_push_results([MutationResult(
        mutation_id=mutation.mutation_id, status="rejected", entity="ticket", entity_id=f"tick-{n}",
        version=2, record=server_row, code="stale_version", reason="服务器上的工单已被他人修改，你的修改未保存。",
    )])
