"""A desk process killed in the middle of a many-page initial sync resumes from the last page it committed (the
next page downloads while one is applied: the kill may land with a download in flight) and converges."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from backend.bulk import bulk_insert
from backend.db.engine import open_database
from backend.settings import database_url
from desktop.sync.desk_runner import TEST_KEY
from domain.records import Customer
from local_store import Store, deferred_indexes
from local_store.engine import connect
from local_store.replay import driver
from tests.e2e.harness import Backend, assert_invariants, create_users, run_desk, settled
from tests.e2e.invariants import History

OFFICE = "initial-sync-office"
CUSTOMERS = 240
CHUNK = 40  # one server transaction per 40 customers: six pages of 40


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    db = tmp_path_factory.mktemp("initial-sync-faults") / "server.db"
    create_users(db, OFFICE, f"{OFFICE}-clerk")
    database = open_database(database_url(str(db)))
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    try:
        records = [Customer(id=f"c-{n:04d}", office_id=OFFICE, name=f"客户{n}", address=f"和平里{n}号",
                            created_at=now) for n in range(CUSTOMERS)]
        for start in range(0, CUSTOMERS, CHUNK):
            with database.write() as session:
                bulk_insert(session, records[start:start + CHUNK], now)
    finally:
        database.dispose()
    server = Backend(db).start()
    yield server
    server.stop()


def test_desk_killed_mid_initial_sync_resumes_from_its_last_committed_page(backend: Backend, tmp_path: Path) -> None:
    scope = f"office:{OFFICE}"
    user = f"{OFFICE}-clerk"
    killed = run_desk(tmp_path, backend.url, user, "--page-limit", str(CHUNK), "sync", fault="during_page_apply@4")
    assert killed.killed, killed.stderr
    raw = connect(tmp_path / "desk.db", TEST_KEY)  # as the kill left it: the pull had deferred its indexes
    try:
        assert "ix_customer_name" in deferred_indexes.pending(raw)
    finally:
        raw.close()
    store = Store.open(tmp_path / "desk.db", TEST_KEY)  # builds them before anything reads
    try:
        resumed_from = store.cursor(scope)
        with store._read() as connection:
            names = {name for (name,) in driver(connection).execute("SELECT name FROM sqlite_master")}
            assert {"ix_customer_name", "ix_customer_id_number", "ix_customer_phone"} <= names
            assert deferred_indexes.pending(driver(connection)) == []
    finally:
        store.close()
    last_seq, _, _ = backend.checksum(scope)
    assert 0 < resumed_from < last_seq  # the pages before the killed one stayed, the killed one did not
    history = History()
    desk = settled(run_desk(tmp_path, backend.url, user, "--page-limit", str(CHUNK), "sync"))
    history.observe(backend.db, {desk["store"]: desk})
    assert desk["cursors"][scope] == last_seq and desk["checksums"][scope]["count"] == CUSTOMERS + 2
    assert_invariants(backend, desk)
