"""SyncEngine with a real Store against a real backend process on loopback."""

from __future__ import annotations

import asyncio
import itertools
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from desktop.sync.backoff import Backoff
from desktop.sync.client import ApiClient
from desktop.sync.engine import SyncEngine
from desktop.sync.errors import Offline
from desktop.sync.status import SyncStatus
from desktop.sync.tokens import MemoryTokenStore
from local_store import Store
from tests.e2e.harness import PASSWORD, Backend, create_users, free_port

KEY = bytes(range(32))
FIXED_NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
_offices = itertools.count(1)


def new_office(backend: Backend, *users: str) -> tuple[str, list[str]]:
    office = f"eng-office-{next(_offices)}"
    names = [f"{office}-{u}" for u in users]
    create_users(backend.db, office, *names)
    return office, names


async def signed_in_engine(
    backend: Backend, home: Path, user: str, **options: object
) -> tuple[SyncEngine, Store]:
    store = Store.open(home / "desk.db", KEY)
    client = ApiClient(backend.url)
    session = await client.login(user, PASSWORD, store.client_id)
    engine = SyncEngine(store, client, scopes=session.scopes, clock=lambda: FIXED_NOW,
                        backoff=Backoff(base=0.01, cap=0.1), **options)  # type: ignore[arg-type]
    return engine, store


def accept(store: Store, office: str, summary: str = "enquiry") -> str:
    ticket = store.accept_ticket(type_code="enquiry", channel="hall", office_id=office, summary=summary,
                                 fields={"enquiry_topic": "tariff", "content": "how much"})
    return ticket.id


def test_initial_sync_push_and_pull_converge_with_progress(backend: Backend, tmp_path: Path) -> None:
    office, (user, *_) = new_office(backend, "clerk", "x", "y", "z")  # four transactions in the office scope
    seen: list[SyncStatus] = []

    async def main() -> None:
        engine, store = await signed_in_engine(backend, tmp_path, user, on_status=seen.append, page_limit=2)
        try:
            first = await engine.sync_once()
            assert first.pulled > 0 and first.pushed == 0
            ticket_id = accept(store, office)
            second = await engine.sync_once()
            assert (second.pushed, second.applied) == (1, 1)
            ticket = store.ticket(ticket_id)
            assert ticket is not None and ticket.number and ticket.provisional_number
            for scope in engine.scopes:
                last_seq, checksum, count = backend.checksum(scope)
                local = store.scope_checksum(scope)
                assert (store.cursor(scope), local.checksum, local.count) == (last_seq, checksum, count)
            assert engine.status.last_synced == FIXED_NOW and engine.status.online is True
            assert engine.status.outbox == 0
        finally:
            await engine.client.aclose()
            store.close()

    asyncio.run(main())
    progress = [s.initial for s in seen if s.initial is not None and s.initial.rows]
    assert progress, "initial sync reported no progress"
    assert progress[-1].percent == pytest.approx(100.0)
    assert any(p.total and p.rows < p.total for p in progress)  # the office arrives in several pages


def test_a_compacted_cursor_resyncs_and_keeps_the_outbox(backend: Backend, tmp_path: Path) -> None:
    office, (user,) = new_office(backend, "clerk")
    scope = f"office:{office}"

    async def main() -> None:
        engine, store = await signed_in_engine(backend, tmp_path, user)
        try:
            await engine.sync_once()
            create_users(backend.db, office, f"{office}-newcomer")  # the office moves on while we are away
            backend.execute("UPDATE scope_state SET horizon = last_seq WHERE scope = ?", scope)
            accept(store, office, "made offline")
            report = await engine.sync_once()
            assert scope in report.resynced
            assert report.applied == 1 and store.outbox_size() == 0
            last_seq, checksum, _ = backend.checksum(scope)
            assert (store.cursor(scope), store.scope_checksum(scope).checksum) == (last_seq, checksum)
        finally:
            await engine.client.aclose()
            store.close()

    asyncio.run(main())


@pytest.mark.expect_warning_log
def test_checksum_drift_triggers_one_resync_then_is_reported(
    backend: Backend, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    office, (user,) = new_office(backend, "clerk")
    scope = f"office:{office}"

    async def main() -> None:
        engine, store = await signed_in_engine(backend, tmp_path, user)
        try:
            await engine.sync_once()
            (real,) = backend.query("SELECT checksum FROM scope_state WHERE scope = ?", scope)[0]
            backend.execute("UPDATE scope_state SET checksum = ? WHERE scope = ?", "deadbeefdeadbeef", scope)
            try:
                with caplog.at_level(logging.WARNING, logger="desktop.sync.engine"):
                    report = await engine.sync_once()
            finally:
                backend.execute("UPDATE scope_state SET checksum = ? WHERE scope = ?", real, scope)
            assert report.resynced == (scope,) and report.drifted == (scope,)
            assert "drifted" in caplog.text
            assert (await engine.sync_once()).drifted == ()
        finally:
            await engine.client.aclose()
            store.close()

    asyncio.run(main())


def test_an_expired_access_token_mid_push_is_refreshed(backend: Backend, tmp_path: Path) -> None:
    office, (user,) = new_office(backend, "clerk")
    clock_moves: list[str] = []

    def age_the_token(point: str) -> None:
        if point == "after_push_apply" and not clock_moves:
            later = (datetime.now(UTC) + timedelta(minutes=20)).isoformat()
            backend.set_clock(later)  # the next batch meets a 401 token_expired
            clock_moves.append(later)

    async def main() -> None:
        engine, store = await signed_in_engine(backend, tmp_path, user, checkpoint=age_the_token, batch_size=2)
        try:
            await engine.sync_once()
            for n in range(5):
                accept(store, office, f"batch item {n}")
            before = engine.client.session
            report = await engine.sync_once()
            assert report.applied == 5 and store.outbox_size() == 0
            assert engine.client.session is not None and before is not None
            assert engine.client.session.access_token != before.access_token
        finally:
            await engine.client.aclose()
            store.close()

    try:
        asyncio.run(main())
    finally:
        backend.set_clock(datetime.now(UTC).isoformat())
    assert clock_moves


def test_live_changes_reach_a_running_desk(backend: Backend, tmp_path: Path) -> None:
    office, (user_a, user_b) = new_office(backend, "a", "b")
    statuses: list[SyncStatus] = []

    async def main() -> None:
        engine_a, store_a = await signed_in_engine(backend, tmp_path / "a", user_a)
        engine_b, store_b = await signed_in_engine(
            backend, tmp_path / "b", user_b, on_status=statuses.append, interval=3600.0
        )
        try:
            await engine_a.sync_once()
            running = asyncio.ensure_future(engine_b.run())
            for _ in range(200):  # wait for B's first round and its live stream
                if engine_b.status.last_synced is not None:
                    break
                await asyncio.sleep(0.05)
            ticket_id = accept(store_a, office, "seen live")
            await engine_a.sync_once()
            for _ in range(200):
                if await asyncio.get_running_loop().run_in_executor(None, store_b.ticket, ticket_id):
                    break
                await asyncio.sleep(0.05)
            assert store_b.ticket(ticket_id) is not None, "the periodic timer is an hour: only SSE can bring it"
            await engine_b.stop()
            assert running.done()
            assert engine_b.client._http.is_closed
        finally:
            await engine_a.client.aclose()
            store_a.close()
            store_b.close()

    asyncio.run(main())
    assert any(s.online for s in statuses)


def test_unreachable_server_is_offline_and_reported(tmp_path: Path) -> None:
    statuses: list[SyncStatus] = []

    async def main() -> None:
        store = Store.open(tmp_path / "desk.db", KEY)
        client = ApiClient(f"http://127.0.0.1:{free_port()}", timeout=httpx.Timeout(2.0),
                           token_store=MemoryTokenStore("kept-from-last-run"))
        engine = SyncEngine(store, client, scopes=["calendar"], on_status=statuses.append)
        try:
            with pytest.raises(Offline):
                await engine.sync_once()
        finally:
            await client.aclose()
            store.close()

    asyncio.run(main())
    assert statuses[-1].online is False and isinstance(statuses[-1].error, Offline)
