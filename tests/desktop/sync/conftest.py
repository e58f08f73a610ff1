"""The desk-sync suites' server: a real backend process with a test clock, one per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.harness.databases import create_users
from tests.harness.processes import ServerProcess


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    db = tmp_path_factory.mktemp("sync-backend") / "server.db"
    create_users(db, "warmup", "warmup")
    server = ServerProcess(db, test_clock=True).start()
    yield server
    server.stop()
