"""Live events: ONE poller per process reads scope_state and screen_pop and fans out to its streams.

Nothing here is state another replica needs: every replica polls the database itself,
and a desk whose stream breaks simply reconnects (and pulls) on any replica.

The poller does not wait for its interval when something changed: a write (a push, a channel's ticket
or call, a timer) that committed in this process wakes it at once (`announce()`, an in-process signal),
and on PostgreSQL the write also sends `NOTIFY onewindow_changes` in its transaction, which every
replica's hub LISTENs for on a connection of its own. The interval's poll stays as the fallback
(a lost listener connection, a write from outside the server).

A stream lives no longer than its sign-in: every poll re-reads the sessions of the open streams, and a
stream whose session was revoked (logout, password change, disabled account, refresh reuse) or expired
is closed before anything else reaches it. A session has at most one stream per scope: a new one (a
desk reconnecting) closes the old.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import weakref
from collections.abc import AsyncIterator, Iterable
from typing import Any

import psycopg
from sqlalchemy import Engine, event, func, make_url, select, text
from sqlalchemy.orm import Session

from backend.db.auth_tables import AuthSession
from backend.db.engine import Database
from backend.db.ops_tables import ScreenPop
from backend.db.records import StaffRow
from backend.db.sync_tables import ScopeState
from backend.settings import Clock

log = logging.getLogger(__name__)
Queue = asyncio.Queue[tuple[str, dict[str, Any]]]
_CLOSE = "close"  # the sentinel event that ends a stream
_RUNNING: weakref.WeakSet[EventHub] = weakref.WeakSet()  # this process's hubs, for end_all_streams()
CHANNEL = "onewindow_changes"  # the PostgreSQL notification channel a write announces its commit on
_RELISTEN_SECONDS = (0.5, 1.0, 2.0, 5.0, 10.0)  # backoff of the listener's reconnects


_NOTIFY = text(f"SELECT pg_notify('{CHANNEL}', :scope)")
_ANNOUNCED = "onewindow_announced"  # session.info: this transaction wakes the hubs at its commit


def announce(session: Session, scopes: Iterable[str]) -> None:
    """A writing transaction advanced `scopes` (backend.sync.changes calls this for every writer). Once it
    commits, this process's hubs on its database poll at once; on PostgreSQL every replica's hub hears the
    NOTIFY sent here, which PostgreSQL delivers at commit. A rolled-back transaction announces nothing."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    if engine.dialect.name != "sqlite":
        for scope in sorted(set(scopes)):
            session.execute(_NOTIFY, {"scope": scope})
    if not session.info.get(_ANNOUNCED):
        session.info[_ANNOUNCED] = True

        def committed(done: Session) -> None:
            done.info.pop(_ANNOUNCED, None)
            _wake(engine)

        event.listen(session, "after_commit", committed, once=True)


def _wake(engine: Engine) -> None:
    """Safe from any thread."""
    for hub in list(_RUNNING):
        if hub.database.write_engine is engine:
            hub.wake_threadsafe()


def end_all_streams() -> None:
    """The server is stopping (SIGTERM): end every open stream now and refuse new ones, so the graceful
    shutdown does not wait for desks that would otherwise listen for ever. Safe from a signal handler."""
    for hub in list(_RUNNING):
        hub.end_streams_threadsafe()


class EventHub:
    def __init__(self, database: Database, poll_seconds: float, ping_seconds: float, clock: Clock) -> None:
        self._database = database
        self._poll_seconds = poll_seconds
        self.ping_seconds = ping_seconds
        self._clock = clock
        self._by_scope: dict[str, set[Queue]] = {}
        self._by_staff: dict[str, set[Queue]] = {}
        self._by_session: dict[str, dict[str, Queue]] = {}  # session id → scope → its one stream
        self._seqs: dict[str, int] = {}
        self._last_pop = 0
        self._task: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ending = False

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._last_pop = await asyncio.to_thread(self._newest_pop)
        self._task = asyncio.create_task(self._run(), name="onewindow-events")
        if not self._database.is_sqlite:
            self._listener = asyncio.create_task(self._listen(), name="onewindow-events-listen")
        _RUNNING.add(self)

    def open_streams(self) -> int:
        """How many desks' streams this process holds open (the operations metrics)."""
        return sum(len(streams) for streams in self._by_session.values())

    @property
    def database(self) -> Database:
        return self._database

    def wake_threadsafe(self) -> None:
        """Poll now (from any thread); wakes that come while a poll runs make one more poll."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed in between: nothing to wake
                loop.call_soon_threadsafe(self._wake.set)

    def end_streams_threadsafe(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.end_streams)

    def end_streams(self) -> None:
        self._ending = True
        for streams in list(self._by_session.values()):
            for queue in list(streams.values()):
                _close(queue)

    async def stop(self) -> None:
        _RUNNING.discard(self)
        for task in (self._listener, self._task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    def _newest_pop(self) -> int:
        with self._database.read() as session:
            return int(session.execute(select(func.max(ScreenPop.id))).scalar() or 0)

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                if self._by_scope or self._by_staff:
                    scopes, pops, ended = await asyncio.to_thread(
                        self._poll, sorted(self._by_scope), sorted(self._by_session))
                    for session_id in ended:
                        self._close_session(session_id)
                    self._fan_out(scopes, pops)
            except asyncio.CancelledError:
                raise
            except Exception:  # the database may be briefly away; keep polling
                log.exception("event poll failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._poll_seconds)

    async def _listen(self) -> None:
        """PostgreSQL: LISTEN on a dedicated connection and wake the poller on every notification, so a push
        committed by another replica reaches this one's streams at once. Reconnects with backoff."""
        dsn = make_url(self._database.url).set(drivername="postgresql").render_as_string(hide_password=False)
        failures = 0
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as connection:
                    await connection.execute(f"LISTEN {CHANNEL}")
                    failures = 0
                    self._wake.set()  # whatever committed while nobody listened
                    async for _ in connection.notifies():
                        self._wake.set()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the database is away: polling carries on meanwhile
                delay = _RELISTEN_SECONDS[min(failures, len(_RELISTEN_SECONDS) - 1)]
                failures += 1
                log.warning("event listener lost its connection (%s); again in %.1f s", type(error).__name__, delay)
                await asyncio.sleep(delay)

    def _poll(self, scopes: list[str], sessions: list[str]) -> tuple[dict[str, int], list[ScreenPop], set[str]]:
        now = self._clock()
        with self._database.read() as session:
            alive = set(session.execute(
                select(AuthSession.id).join(StaffRow, StaffRow.id == AuthSession.staff_id).where(
                    AuthSession.id.in_(sessions), AuthSession.revoked_at.is_(None), AuthSession.expires_at > now,
                    StaffRow.active.is_(True))
            ).scalars()) if sessions else set()
            seqs = {
                scope: seq
                for scope, seq in session.execute(
                    select(ScopeState.scope, ScopeState.last_seq).where(ScopeState.scope.in_(scopes))
                ).all()
            } if scopes else {}
            pops = list(
                session.execute(select(ScreenPop).where(ScreenPop.id > self._last_pop).order_by(ScreenPop.id)).scalars()
            )
        return seqs, pops, set(sessions) - alive

    def _close_session(self, session_id: str) -> None:
        """The session ended: its streams get nothing more, only the close."""
        for queue in list(self._by_session.get(session_id, {}).values()):
            _close(queue)

    def _fan_out(self, seqs: dict[str, int], pops: list[ScreenPop]) -> None:
        for scope, seq in seqs.items():
            if seq > self._seqs.get(scope, 0):
                self._seqs[scope] = seq
                for queue in self._by_scope.get(scope, ()):
                    queue.put_nowait(("changed", {"scope": scope, "cursor": seq}))
        for pop in pops:
            self._last_pop = max(self._last_pop, pop.id)
            for queue in self._by_staff.get(pop.staff_id, ()):
                queue.put_nowait(("screen_pop", pop.payload))

    async def stream(self, scope: str, staff_id: str, session_id: str, current: int) -> AsyncIterator[str]:
        """The text/event-stream of one desk: changed events for `scope`, screen pops for the staff member,
        until the session ends, the same session opens another stream of this scope, or the server stops."""
        if self._ending:
            return
        queue: Queue = asyncio.Queue()
        mine = self._by_session.setdefault(session_id, {})
        if scope in mine:
            _close(mine[scope])
        mine[scope] = queue
        self._by_scope.setdefault(scope, set()).add(queue)
        self._by_staff.setdefault(staff_id, set()).add(queue)
        self._seqs[scope] = max(self._seqs.get(scope, 0), current)
        try:
            yield _event("changed", {"scope": scope, "cursor": current})
            while True:
                try:
                    name, data = await asyncio.wait_for(queue.get(), timeout=self.ping_seconds)
                except TimeoutError:
                    yield ": ping\n\n"
                    continue
                if name == _CLOSE:
                    return
                yield _event(name, data)
        finally:
            self._by_scope[scope].discard(queue)
            if not self._by_scope[scope]:
                del self._by_scope[scope]
            self._by_staff[staff_id].discard(queue)
            if not self._by_staff[staff_id]:
                del self._by_staff[staff_id]
            if mine.get(scope) is queue:
                del mine[scope]
            if not mine and self._by_session.get(session_id) is mine:
                del self._by_session[session_id]


def _close(queue: Queue) -> None:
    """Drop what the stream has not sent yet and end it."""
    while not queue.empty():
        queue.get_nowait()
    queue.put_nowait((_CLOSE, {}))


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
