"""Shell fixtures: the desk's qasync loop, a real encrypted Store in tmp_path, a keyring kept in memory,
a fast argon2 hasher, a store holding one rejected change (a conflict for the inbox), and an in-process demo
office server per module (on a copy of the demo office seeded once per session, tests/harness/embedded.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import qasync
from argon2 import PasswordHasher
from pytestqt.qtbot import QtBot

from backend.embedded import EmbeddedServer
from domain.sync import Change, MutationResult, PullPage
from local_store import Store
from tests.desktop.support import drain
from tests.harness.clocks import DESK_EPOCH, TickingClock
from tests.harness.embedded import DemoTemplate

OFFICE = "office-s"
SCOPE = f"office:{OFFICE}"
NOW = DESK_EPOCH
StoreClock = TickingClock  # the store's clock: a second further at every reading, from NOW


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> DemoTemplate:
    """The demo office (what the desk's demo mode serves), seeded once for the session."""
    return DemoTemplate(tmp_path_factory.mktemp("demo-template"))


@pytest.fixture(scope="module")
def office_server(demo_template: DemoTemplate,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmbeddedServer, str]]:
    """An in-process demo office server on a database of this module's own; and that database's URL."""
    server, url = demo_template.start_copy(tmp_path_factory.mktemp("backend"))
    yield server, url
    server.stop()


def fast_hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


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
