"""The desk's sync engine: pushes the outbox, pulls each scope, stays live, retries politely.

Plain asyncio (no Qt): the desktop wraps it, desk processes and tests run it headless.
Every store call is blocking SQLite, so it runs on the one store thread (`store_thread.run_in_store`);
`stop()` returns only once the call in flight has ended, so the caller may close the store next.
An unexpected error (a bug, a broken store) never ends the engine silently: it is logged, handed to
`on_failure` (the desk shows it in the status bar) and the engine tries again with backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from desktop.sync import errors
from desktop.sync.backoff import Backoff
from desktop.sync.client import ApiClient
from desktop.sync.errors import Offline, ProtocolTooOld, ServerError, SessionExpired, SyncError, Throttled
from desktop.sync.gc_pause import without_collection
from desktop.sync.messages import ChangedEvent, ScreenPopEvent, StreamOpened
from desktop.sync.status import InitialSyncProgress, SyncReport, SyncStatus, estimate_seconds_left
from desktop.sync.store import SyncStore
from desktop.sync.store_thread import run_in_store
from desktop.sync.uploads import AttachmentStore, upload_pending
from domain.records import RECORD_TYPES
from domain.sync import Mutation, PullPage, PushRequest, ScopeChecksum

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_PUSH_BATCH = 200
# A long pull (an initial sync, days of catching up) doubles its page size while pages come back full, up
# to this many changes: each page is one local transaction, and fewer, bigger commits rewrite the store's
# index pages fewer times. Small pulls keep `page_limit`. The server's own bound is backend.sync.pull.MAX_LIMIT.
CATCH_UP_PAGE_LIMIT = 20_000
# An initial sync knows its size: its pages stay small enough for at least this many, so the next page
# downloads while one is applied for most of the pull (two big pages would leave the first download and the
# last apply alone, each half of a small office's sync).
INITIAL_PAGES = 8
# A scope that keeps asking for a resync right after one is broken; stop rather than loop.
MAX_RESYNCS_PER_SCOPE = 2


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class _Tally:
    pushed: int = 0
    applied: int = 0
    merged: int = 0
    rejected: int = 0
    pulled: int = 0
    resynced: list[str] = field(default_factory=list)
    drifted: list[str] = field(default_factory=list)

    def freeze(self) -> SyncReport:
        return SyncReport(
            self.pushed, self.applied, self.merged, self.rejected, self.pulled,
            tuple(self.resynced), tuple(self.drifted),
        )


class SyncEngine:
    def __init__(
        self,
        store: SyncStore,
        client: ApiClient,
        *,
        scopes: list[str],
        clock: Callable[[], datetime] = system_clock,
        monotonic: Callable[[], float] = time.monotonic,
        on_status: Callable[[SyncStatus], None] | None = None,
        screen_pop: Callable[[ScreenPopEvent], None] | None = None,
        reauthenticate: Callable[[], Awaitable[bool]] | None = None,
        checkpoint: Callable[[str], None] | None = None,
        on_changes: Callable[[frozenset[str]], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        batch_size: int = MAX_PUSH_BATCH,
        page_limit: int = 1000,
        interval: float = 30.0,
        backoff: Backoff | None = None,
        live: bool = True,
        close_client: bool = True,
        author: str | None = None,
        # Provisional ticket numbers the server replaced after a push: [(P-…, GD…)], to tell the user.
        on_numbered: Callable[[list[tuple[str, str]]], None] | None = None,
    ) -> None:
        self.store = store
        # The signed-in staff id: only their changes go out under their session (docs/authorship.md); None: all.
        self.author = author
        self.client = client
        self.scopes = list(scopes)
        self.batch_size = max(1, min(batch_size, MAX_PUSH_BATCH))
        self.page_limit = page_limit
        self.interval = interval
        self.live = live
        self._clock = clock
        self._monotonic = monotonic
        self._on_status = on_status
        self._screen_pop = screen_pop
        self._reauthenticate = reauthenticate
        self._checkpoint_hook = checkpoint
        self._on_changes = on_changes
        self._on_failure = on_failure
        self._on_numbered = on_numbered
        self._backoff = backoff or Backoff()
        self._close_client = close_client
        self._status = SyncStatus()
        self._lock = asyncio.Lock()
        self._local_change = asyncio.Event()
        self._remote_change = asyncio.Event()
        self._signed_in = asyncio.Event()
        self._outbox_touched = asyncio.Event()  # the desk queued a change: show the new outbox size now
        self._sync_asked = asyncio.Event()  # the user asked to sync now: try even while backing off
        self._idle_refresh: asyncio.Task[None] | None = None
        self._known_cursor: dict[str, int] = {}
        self._page_cap = max(page_limit, CATCH_UP_PAGE_LIMIT)
        self._run_task: asyncio.Task[None] | None = None
        self._popped: dict[str, None] = {}

    # ---- status ----

    @property
    def status(self) -> SyncStatus:
        return self._status

    def _set_status(self, **changes: Any) -> None:
        self._status = replace(self._status, **changes)
        if self._on_status is not None:
            try:
                self._on_status(self._status)
            except Exception:
                log.exception("status callback failed")

    def _announce(self, kinds: set[str] | frozenset[str]) -> None:
        """Tell the screens which entity kinds this round changed, so each re-reads only what it shows."""
        if kinds and self._on_changes is not None:
            try:
                self._on_changes(frozenset(kinds))
            except Exception:
                log.exception("changes callback failed")

    def _checkpoint(self, name: str) -> None:
        if self._checkpoint_hook is not None:
            self._checkpoint_hook(name)

    async def _io(self, fn: Callable[..., T], *args: Any) -> T:
        return await run_in_store(fn, *args)

    async def _refresh_outbox_size(self) -> None:
        self._set_status(outbox=await self._io(self._outbox_size))

    def _outbox_size(self) -> int:
        """What this session has to push (others' changes wait for their own session)."""
        total = self.store.outbox_size()  # also keeps the store's clear-text count of the whole outbox current
        return total if self.author is None else self.store.deliverable_size(self.author)

    def _pending(self) -> list[Mutation]:
        if self.author is None:
            return self.store.pending_mutations(self.batch_size)
        return self.store.pending_mutations(self.batch_size, self.author)

    # ---- one round ----

    async def sync_once(self) -> SyncReport:
        """Push the whole outbox, then pull every scope to the server's head and verify its checksum."""
        async with self._lock:
            tally = _Tally()
            self._set_status(syncing=True)
            try:
                await self._push_outbox(tally)
                await self._upload_attachments()
                for scope in self.scopes:
                    await self._pull_scope(scope, tally)
                # After a resync the outbox survives; replay anything that is still (or newly) waiting.
                if await self._io(self._outbox_size):
                    await self._push_outbox(tally)
                    for scope in self.scopes:
                        await self._pull_scope(scope, tally)
            except Offline as exc:
                self._set_status(online=False, error=exc)
                raise
            except SyncError as exc:
                self._set_status(error=exc)
                raise
            finally:
                self._set_status(syncing=False, initial=None)
                with contextlib.suppress(Exception):
                    await self._refresh_outbox_size()
            last = [await self._io(self.store.last_synced, s) for s in self.scopes]
            known = [t for t in last if t is not None]
            self._set_status(
                online=True, error=None, auth_required=False,
                last_synced=min(known) if len(known) == len(last) and known else self._status.last_synced,
            )
            return tally.freeze()

    async def _push_outbox(self, tally: _Tally) -> None:
        previous_first: str | None = None
        while True:
            batch = await self._io(self._pending)
            if not batch:
                return
            if batch[0].mutation_id == previous_first:
                raise RuntimeError(f"the outbox did not shrink after applying results for {previous_first}")
            previous_first = batch[0].mutation_id
            request = PushRequest(
                schema_version=self.store.schema_version, client_id=self.store.client_id, mutations=batch
            )
            self._checkpoint("before_push")
            response = await self.client.push(request)
            self._set_status(online=True)
            self._checkpoint("after_push_response_before_apply")
            await self._io(self.store.apply_push_results, response.results)
            self._checkpoint("after_push_apply")
            self._tell_numbered(batch, response.results)
            self._announce({result.entity for result in response.results})
            tally.pushed += len(batch)
            for result in response.results:
                if result.status == "applied":
                    tally.applied += 1
                elif result.status == "merged":
                    tally.merged += 1
                else:
                    tally.rejected += 1
            conflicts = sum(1 for r in response.results if r.status == "rejected" or r.conflicts)
            self._set_status(conflicts=self._status.conflicts + conflicts)
            await self._refresh_outbox_size()

    def _tell_numbered(self, batch: list[Mutation], results: list[Any]) -> None:
        provisional = {m.entity_id: m.fields.get("provisional_number") for m in batch
                       if m.entity == "ticket" and m.op == "create"}
        numbered = [(str(provisional[r.entity_id]), r.ticket_number) for r in results
                    if r.ticket_number and provisional.get(r.entity_id) and r.status in ("applied", "merged")]
        if numbered and self._on_numbered is not None:
            try:
                self._on_numbered(numbered)
            except Exception:
                log.exception("numbered callback failed")

    async def _upload_attachments(self) -> None:
        """The bytes follow their metadata records (pushed just now); failures wait for the next round."""
        if isinstance(self.store, AttachmentStore) and await upload_pending(self.store, self.client, self._io):
            self._announce({"attachment"})

    async def _pull_scope(self, scope: str, tally: _Tally) -> None:
        resyncs = 0
        verified_once = False
        while True:
            cursor = await self._io(self.store.cursor, scope)
            outcome = await self._pull_pages(scope, cursor, tally)
            if outcome == "resync":
                resyncs += 1
                if resyncs > MAX_RESYNCS_PER_SCOPE:
                    raise ServerError(0, f"scope {scope} keeps asking for a resync")
                await self._io(self.store.reset_scope, scope)
                self._announce(frozenset(RECORD_TYPES))
                self._known_cursor.pop(scope, None)
                tally.resynced.append(scope)
                continue
            assert isinstance(outcome, ScopeChecksum)
            local = await self._io(self.store.scope_checksum, scope)
            if outcome.cursor == local.cursor and outcome.checksum != local.checksum:
                if verified_once or resyncs >= MAX_RESYNCS_PER_SCOPE:
                    log.warning("scope %s still differs from the server after a resync", scope)
                    tally.drifted.append(scope)
                    break
                log.warning("scope %s drifted from the server (%s != %s); resyncing", scope,
                            local.checksum, outcome.checksum)
                verified_once = True
                resyncs += 1
                await self._io(self.store.reset_scope, scope)
                self._announce(frozenset(RECORD_TYPES))
                tally.resynced.append(scope)
                continue
            break
        await self._io(self.store.mark_synced, scope, self._clock())

    async def _pull_pages(self, scope: str, cursor: int, tally: _Tally) -> ScopeChecksum | str:
        """Pull pages until the head; the next page downloads while this one is applied."""
        initial = cursor == 0
        started = self._monotonic()
        total: int | None = None
        rows = 0
        limit = self.page_limit
        growth_cap = self._page_cap
        fetch = asyncio.ensure_future(self._fetch_page(scope, cursor, limit))
        try:
            if initial:  # the scope's size, asked while the first page downloads
                total = (await self.client.checksum(scope)).count
                self._set_status(initial=InitialSyncProgress(scope, 0, total, None))
                if total:
                    growth_cap = max(self.page_limit, min(growth_cap, total // INITIAL_PAGES))
            while True:
                page: PullPage = await fetch
                if page.must_resync:
                    if cursor == 0 and not page.changes:
                        raise ServerError(0, f"server asks to resync scope {scope} from 0")
                    return "resync"
                if page.has_more:
                    limit = min(limit * 2, self._page_cap, growth_cap)
                    fetch = asyncio.ensure_future(self._fetch_page(scope, page.cursor, limit))
                self._checkpoint("before_page_apply")
                await self._io(without_collection, self.store.apply_pull_page, page)  # desktop.sync.gc_pause
                self._checkpoint("after_page_apply")
                self._announce({change.entity for change in page.changes})
                cursor = page.cursor
                self._known_cursor[scope] = cursor
                rows += len(page.changes)
                tally.pulled += len(page.changes)
                if initial:
                    left = estimate_seconds_left(rows, total, self._monotonic() - started)
                    self._set_status(initial=InitialSyncProgress(scope, rows, total, left))
                if not page.has_more:
                    if page.checksum is not None:
                        return ScopeChecksum(scope=scope, cursor=page.cursor, checksum=page.checksum,
                                             count=page.count or 0)
                    return await self.client.checksum(scope)
        finally:
            if not fetch.done():
                fetch.cancel()
            await asyncio.gather(fetch, return_exceptions=True)

    async def _fetch_page(self, scope: str, cursor: int, limit: int) -> PullPage:
        try:
            return await self.client.pull(scope, cursor, limit)
        except errors.RequestRefused as exc:
            if exc.status != 422 or limit <= self.page_limit:
                raise
            # A server that takes no pages this big (an older one): stay at the configured size.
            self._page_cap = self.page_limit
            return await self.client.pull(scope, cursor, self.page_limit)

    # ---- long-running ----

    def notify_local_change(self) -> None:
        """The desk wrote to its outbox: push soon (unless backing off from a failure); the outbox size
        shown is read again at once, online or not."""
        self._local_change.set()
        self._outbox_touched.set()
        running = self._run_task is not None and not self._run_task.done()
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # a headless caller outside any loop: the next round reads it
            return
        if not running and (self._idle_refresh is None or self._idle_refresh.done()):
            # Paused (离线工作): no round will come, but the size shown still follows the outbox.
            self._idle_refresh = asyncio.ensure_future(self._refresh_while_paused())

    async def _refresh_while_paused(self) -> None:
        try:
            await self._refresh_outbox_size()
        except Exception:  # the store may be closing with the session; the next run reads it again
            log.debug("reading the outbox size while paused failed", exc_info=True)

    def sync_now(self) -> None:
        """The user asked to sync (F5): try now, even while backing off after a failure."""
        self._sync_asked.set()
        self._local_change.set()

    def notify_signed_in(self) -> None:
        """The user signed in again after `auth_required`: resume syncing."""
        self._set_status(auth_required=False)
        self._signed_in.set()

    async def run(self) -> None:
        """Sync on local changes, on live `changed` events and every `interval` seconds, until stopped."""
        self._run_task = asyncio.current_task()
        # The server streams one scope per connection.
        listeners = [asyncio.ensure_future(self._listen(scope)) for scope in self.scopes] if self.live else []
        listeners.append(asyncio.ensure_future(self._watch_outbox()))
        try:
            try:
                await self._refresh_outbox_size()
            except Exception as exc:  # the loop below retries the store; say so and go on
                self._unexpected(exc, "reading the outbox size failed", 0.0)
            await self._loop()
        finally:
            for listener in listeners:
                listener.cancel()
            await asyncio.gather(*listeners, return_exceptions=True)
            if self._close_client:
                await self.client.aclose()
            self._set_status(syncing=False)

    async def stop(self) -> None:
        """Cancel `run()` and wait for it to finish, including the store call in flight (it ends in its
        thread before `run()` returns), so the caller may close the store next."""
        task = self._run_task
        if task is not None and not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        if self._idle_refresh is not None:
            await asyncio.gather(self._idle_refresh, return_exceptions=True)

    async def _loop(self) -> None:
        failures = 0
        while True:
            self._local_change.clear()
            self._remote_change.clear()
            self._sync_asked.clear()
            delay = self.interval
            try:
                await self.sync_once()
                failures = 0
                self._set_status(next_retry_in=None)
            except SessionExpired as exc:
                await self._await_sign_in(exc)
                continue
            except ProtocolTooOld:
                delay = max(self.interval, 3600.0)
            except SyncError as exc:
                if exc.retryable:
                    failures += 1
                    retry_after = exc.retry_after if isinstance(exc, Throttled) else None
                    delay = self._backoff.delay(failures, retry_after)
                    self._set_status(next_retry_in=delay)
                if isinstance(exc, Offline):  # a normal state for this desk, shown in the status bar
                    log.info("sync: offline: %s", exc)
                else:
                    log.warning("sync failed: %s", exc)
            except Exception as exc:  # a bug or a broken store: never end the engine silently
                failures += 1
                delay = self._backoff.delay(failures)
                self._set_status(syncing=False, next_retry_in=delay)
                self._unexpected(exc, "sync failed unexpectedly", delay)
            await self._wait(delay, local_wakes=failures == 0)

    def _unexpected(self, exc: Exception, what: str, retry_in: float) -> None:
        """Log an unexpected failure with its traceback and hand it to the desk (its status bar)."""
        log.error("%s; trying again in %.1f s", what, retry_in, exc_info=exc)
        if self._on_failure is not None:
            try:
                self._on_failure(exc)
            except Exception:
                log.exception("failure callback failed")

    async def _await_sign_in(self, exc: SessionExpired) -> None:
        """Ask the headless re-authenticator if there is one, else wait for `notify_signed_in()`."""
        self._set_status(auth_required=True, error=exc)
        if self._reauthenticate is not None:
            try:
                if await self._reauthenticate():
                    self._set_status(auth_required=False, error=None)
                    return
            except SyncError as again:
                log.warning("signing in again failed: %s", again)
                await asyncio.sleep(self._backoff.delay(1))
                return
        self._signed_in.clear()
        await self._signed_in.wait()

    async def _wait(self, delay: float, *, local_wakes: bool) -> None:
        waits = [asyncio.ensure_future(self._remote_change.wait()), asyncio.ensure_future(self._sync_asked.wait())]
        if local_wakes:
            waits.append(asyncio.ensure_future(self._local_change.wait()))
        try:
            await asyncio.wait(waits, timeout=delay, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waits:
                waiter.cancel()
            await asyncio.gather(*waits, return_exceptions=True)

    async def _watch_outbox(self) -> None:
        """Each local change shows in the outbox size when it is saved, not at the next sync round."""
        while True:
            await self._outbox_touched.wait()
            self._outbox_touched.clear()
            try:
                await self._refresh_outbox_size()
            except Exception as exc:  # the sync round reads it again; say so and go on
                self._unexpected(exc, "reading the outbox size failed", 0.0)

    def _first_sight(self, event: ScreenPopEvent) -> bool:
        """Each scope's stream may carry the agent's screen pops: show each call once."""
        if event.interaction_id in self._popped:
            return False
        self._popped[event.interaction_id] = None
        while len(self._popped) > 256:
            self._popped.pop(next(iter(self._popped)))
        return True

    async def _listen(self, scope: str) -> None:
        failures = 0
        while True:
            try:
                async for event in self.client.events([scope]):
                    failures = 0
                    if isinstance(event, StreamOpened):
                        self._set_status(online=True)
                        self._remote_change.set()  # we may have missed changes while disconnected
                    elif isinstance(event, ChangedEvent):
                        if event.cursor > self._known_cursor.get(event.scope, -1):
                            self._remote_change.set()
                    elif isinstance(event, ScreenPopEvent) and self._first_sight(event):
                        try:
                            if self._screen_pop is not None:
                                self._screen_pop(event)
                        except Exception:
                            log.exception("screen pop callback failed")
                failures += 1
            except SessionExpired:
                failures += 1
                self._remote_change.set()  # the main loop owns signing in again
            except Offline:
                failures += 1
                self._set_status(online=False)
            except SyncError as exc:
                failures += 1
                log.warning("live event stream failed: %s", exc)
            except Exception as exc:  # a bug: the stream must not end silently either
                failures += 1
                self._unexpected(exc, f"live event stream for {scope} failed unexpectedly",
                                 self._backoff.delay(failures))
            await asyncio.sleep(self._backoff.delay(failures))
