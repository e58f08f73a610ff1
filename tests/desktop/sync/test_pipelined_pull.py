"""An initial sync of an office of many pages from a real server: pages are parsed on the store thread (never on
the caller's loop), applied in cursor order, and the desk ends equal to the server, search index included."""

from __future__ import annotations

import asyncio
import itertools
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from backend.bulk import bulk_insert
from backend.db.engine import open_database
from backend.settings import database_url
from desktop.sync import client as client_module
from desktop.sync.client import ApiClient
from desktop.sync.engine import SyncEngine
from domain.records import Customer
from domain.sync import PullPage, read_pull_page
from local_store import Store
from tests.e2e.harness import PASSWORD, Backend, create_users

KEY = bytes(range(32))
CUSTOMERS = 230
CHUNK = 40  # one server transaction per 40 customers: pages of a small limit split between them
_offices = itertools.count(1)


def seeded_office(backend: Backend) -> tuple[str, str]:
    office = f"pipelined-{next(_offices)}"
    user = f"{office}-clerk"
    create_users(backend.db, office, user)
    database = open_database(database_url(str(backend.db)))
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    try:
        records = [Customer(id=f"{office}-{n:04d}", office_id=office, name=f"客户{n}", address=f"和平里{n}号",
                            created_at=now) for n in range(CUSTOMERS)]
        for start in range(0, CUSTOMERS, CHUNK):
            with database.write() as session:
                bulk_insert(session, records[start:start + CHUNK], now)
    finally:
        database.dispose()
    return office, user


def test_pages_are_parsed_on_the_store_thread_and_applied_in_cursor_order(
    backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    office, user = seeded_office(backend)
    parsed_on: list[str] = []

    def recording_read(body: bytes) -> PullPage:
        parsed_on.append(threading.current_thread().name)
        return read_pull_page(body)

    monkeypatch.setattr(client_module, "read_pull_page", recording_read)
    store = Store.open(tmp_path / "desk.db", KEY)
    applied: list[tuple[int, bool]] = []
    apply = store.apply_pull_page

    def recording_apply(page: PullPage) -> None:
        applied.append((page.cursor, page.has_more))
        apply(page)

    store.apply_pull_page = recording_apply  # type: ignore[method-assign]
    scope = f"office:{office}"

    async def main() -> None:
        client = ApiClient(backend.url)
        try:
            await client.login(user, PASSWORD, store.client_id)
            engine = SyncEngine(store, client, scopes=[scope], page_limit=CHUNK, live=False)
            report = await engine.sync_once()
            assert report.pulled >= CUSTOMERS
            loop_thread = threading.current_thread().name
            assert parsed_on and loop_thread not in parsed_on
            assert set(parsed_on) == {name for name in parsed_on if name.startswith("store")}
        finally:
            await client.aclose()

    try:
        asyncio.run(main())
        cursors = [cursor for cursor, _ in applied]
        assert len(cursors) >= CUSTOMERS // CHUNK and cursors == sorted(set(cursors))
        assert [more for _, more in applied] == [True] * (len(applied) - 1) + [False]
        last_seq, checksum, count = backend.checksum(scope)
        local = store.verify_scope_checksum(scope)
        assert (store.cursor(scope), local.checksum, local.count) == (last_seq, checksum, count)
        assert store.scope_checksum(scope) == local
        assert [hit.customer_id for hit in store.search_customers("和平里217号")] == [f"{office}-0217"]
    finally:
        store.close()
