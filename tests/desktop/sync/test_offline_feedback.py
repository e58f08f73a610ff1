"""What the engine tells the desk at once: the outbox size when a change is saved (offline too), a
sync asked for while backing off, and provisional numbers the server replaced (issue 12)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from desktop.sync.backoff import Backoff
from desktop.sync.client import ApiClient
from desktop.sync.engine import SyncEngine
from desktop.sync.status import SyncStatus
from desktop.sync.tokens import MemoryTokenStore
from local_store import Store
from tests.desktop.sync.test_engine import KEY, accept, new_office, signed_in_engine
from tests.e2e.harness import Backend, free_port

SLOW = Backoff(base=3600.0, cap=3600.0)  # the next round would come only after the test's bound


async def _until(statuses: list[SyncStatus], changed: asyncio.Event, test: object) -> None:
    async def wait() -> None:
        while not any(test(s) for s in statuses):  # type: ignore[operator]
            changed.clear()
            await changed.wait()
    await asyncio.wait_for(wait(), timeout=30)


def _offline_engine(tmp_path: Path) -> tuple[SyncEngine, Store, list[SyncStatus], asyncio.Event]:
    store = Store.open(tmp_path / "desk.db", KEY)
    client = ApiClient(f"http://127.0.0.1:{free_port()}", timeout=httpx.Timeout(2.0),
                       token_store=MemoryTokenStore("kept-from-last-run"))
    statuses: list[SyncStatus] = []
    changed = asyncio.Event()

    def seen(status: SyncStatus) -> None:
        statuses.append(status)
        changed.set()

    engine = SyncEngine(store, client, scopes=["calendar"], on_status=seen, backoff=SLOW, interval=3600.0,
                        live=False)
    return engine, store, statuses, changed


def test_the_outbox_size_changes_when_a_change_is_saved_while_offline(tmp_path: Path) -> None:
    async def main() -> None:
        engine, store, statuses, changed = _offline_engine(tmp_path)
        task = asyncio.ensure_future(engine.run())
        try:
            await _until(statuses, changed, lambda s: s.online is False and not s.syncing)  # backing off now
            accept(store, "office-1")
            engine.notify_local_change()
            await _until(statuses, changed, lambda s: s.outbox == 1)
            assert engine.status.online is False
        finally:
            await engine.stop()
            await engine.client.aclose()
            store.close()
        assert task.done()

    asyncio.run(main())


def test_sync_now_tries_at_once_while_backing_off(tmp_path: Path) -> None:
    async def main() -> None:
        engine, store, statuses, changed = _offline_engine(tmp_path)
        task = asyncio.ensure_future(engine.run())
        try:
            await _until(statuses, changed, lambda s: s.online is False and not s.syncing)
            rounds = sum(1 for s in statuses if s.syncing)
            engine.notify_local_change()  # a change alone waits for the backoff...
            engine.sync_now()  # ...the user's F5 does not
            await _until(statuses, changed, lambda s: sum(1 for x in statuses if x.syncing) > rounds)
        finally:
            await engine.stop()
            await engine.client.aclose()
            store.close()
        assert task.done()

    asyncio.run(main())


def test_a_provisional_number_replaced_by_the_server_is_reported(backend: Backend, tmp_path: Path) -> None:
    office, (user,) = new_office(backend, "clerk")
    numbered: list[list[tuple[str, str]]] = []

    async def main() -> None:
        engine, store = await signed_in_engine(backend, tmp_path, user, on_numbered=numbered.append)
        try:
            await engine.sync_once()
            ticket_id = accept(store, office)
            provisional = store.ticket(ticket_id).provisional_number  # type: ignore[union-attr]
            await engine.sync_once()
            ticket = store.ticket(ticket_id)
            assert ticket is not None and ticket.number
            assert numbered == [[(provisional, ticket.number)]]
            assert provisional.startswith("P-") and ticket.number != provisional  # type: ignore[union-attr]
            await engine.sync_once()  # nothing new: nothing told again
            assert len(numbered) == 1
        finally:
            await engine.client.aclose()
            store.close()

    asyncio.run(main())


def test_the_outbox_size_follows_a_change_while_sync_is_paused(tmp_path: Path) -> None:
    """离线工作 stops the engine: no round will come, yet the size shown follows the outbox."""
    async def main() -> None:
        engine, store, statuses, changed = _offline_engine(tmp_path)
        try:
            accept(store, "office-1")
            engine.notify_local_change()
            await _until(statuses, changed, lambda s: s.outbox == 1)
            assert not any(s.syncing for s in statuses)  # read, not synced
        finally:
            await engine.stop()
            await engine.client.aclose()
            store.close()

    asyncio.run(main())
