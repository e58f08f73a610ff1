"""The sync engine's lifetime: it never dies silently, and stop() outlasts the store call in flight."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from desktop.sync.client import ApiClient
from desktop.sync.engine import SyncEngine
from desktop.sync.status import SyncStatus
from desktop.sync.store_thread import run_in_store
from local_store import Store
from tests.e2e.harness import Backend, free_port

from .test_engine import KEY, accept, new_office, signed_in_engine


@pytest.mark.expect_error_log
def test_an_unexpected_error_is_logged_shown_and_the_engine_tries_again(
    backend: Backend, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    office, (user,) = new_office(backend, "clerk")
    failures: list[BaseException] = []
    statuses: list[SyncStatus] = []

    async def main() -> None:
        synced = asyncio.Event()

        def on_status(status: SyncStatus) -> None:
            statuses.append(status)
            if status.last_synced is not None and status.outbox == 0 and not status.syncing:
                synced.set()

        engine, store = await signed_in_engine(backend, tmp_path, user, on_failure=failures.append,
                                               on_status=on_status, live=False, interval=3600.0)
        real = store.pending_mutations
        calls = 0

        def broken_twice(limit: int = 200) -> list:  # type: ignore[type-arg]
            nonlocal calls
            calls += 1
            if calls <= 2:
                raise RuntimeError("the disk said no")
            return real(limit)

        store.pending_mutations = broken_twice  # type: ignore[method-assign]
        accept(store, office)
        running = asyncio.ensure_future(engine.run())
        try:
            await asyncio.wait_for(synced.wait(), timeout=60)
            assert not running.done(), "the engine ended"
        finally:
            await engine.stop()
            store.close()

    asyncio.run(main())
    assert [str(failure) for failure in failures] == ["the disk said no", "the disk said no"]
    unexpected = [r for r in caplog.records if "sync failed unexpectedly" in r.getMessage()]
    assert len(unexpected) == 2 and all(r.exc_info for r in unexpected)
    assert any(s.next_retry_in is not None for s in statuses)  # it waited (with backoff) before trying again


def test_stop_returns_only_after_the_store_call_in_flight_has_ended(tmp_path: Path) -> None:
    order: list[str] = []

    async def main() -> None:
        store = Store.open(tmp_path / "desk.db", KEY)
        client = ApiClient(f"http://127.0.0.1:{free_port()}")
        entered, release = threading.Event(), threading.Event()
        real = store.outbox_size

        def slow_outbox_size() -> int:
            entered.set()
            release.wait(30)
            try:
                return real()
            finally:
                order.append("store call ended")

        store.outbox_size = slow_outbox_size  # type: ignore[method-assign]
        engine = SyncEngine(store, client, scopes=[], live=False)
        running = asyncio.ensure_future(engine.run())
        await asyncio.get_running_loop().run_in_executor(None, entered.wait, 30)
        asyncio.get_running_loop().call_later(0.05, release.set)
        await engine.stop()
        order.append("stop returned")
        assert running.done()
        store.outbox_size = real  # type: ignore[method-assign]
        store.close()  # what sign-out does next: safe, nothing runs against it any more

    asyncio.run(main())
    assert order == ["store call ended", "stop returned"]


def test_a_cancelled_caller_waits_for_its_store_call() -> None:
    order: list[str] = []
    release = threading.Event()

    def store_call() -> None:
        release.wait(30)
        order.append("call ended")

    async def main() -> None:
        caller = asyncio.ensure_future(run_in_store(store_call))
        await asyncio.sleep(0)
        caller.cancel()
        asyncio.get_running_loop().call_later(0.05, release.set)
        with pytest.raises(asyncio.CancelledError):
            await caller
        order.append("caller cancelled")

    asyncio.run(main())
    assert order == ["call ended", "caller cancelled"]
