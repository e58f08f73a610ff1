"""The desk-sync suites' server: a real backend process with a test clock, one per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.harness import Backend, create_users


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    db = tmp_path_factory.mktemp("sync-backend") / "server.db"
    create_users(db, "warmup", "warmup")
    server = Backend(db, test_clock=True).start()
    yield server
    server.stop()
