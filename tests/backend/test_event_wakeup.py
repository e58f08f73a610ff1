"""Issue 14: a push wakes the live event streams at once, not at the hub's next poll.

The servers here poll every 60 s (ONEWINDOW_EVENTS_POLL_SECONDS), and a test waits at most 10 s for the
event: it arriving at all proves the wakeup — in-process after the push commits, and on PostgreSQL
across server processes through NOTIFY/LISTEN.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest
from httpx_sse import connect_sse
from sqlalchemy import make_url

from backend.sync.events import CHANNEL
from tests.backend.conftest import PG_ADMIN, fresh_database, prepare
from tests.backend.desk import Desk
from tests.backend.server_process import CHANNEL_KEY, ServerProcess, start_server

SCOPE = "office:county-a"
Events = queue.Queue[tuple[str, dict[str, Any]]]


@pytest.fixture(scope="module")
def slow_polling(db_kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, ...]]:
    """Two server processes on one fresh database, each polling for events only once a minute."""
    tmp = tmp_path_factory.mktemp(f"wakeup-{db_kind}")
    databases = fresh_database(db_kind, tmp)
    db = next(databases)
    prepare(db)
    servers: list[ServerProcess] = []
    try:
        with pytest.MonkeyPatch.context() as env:
            env.setenv("ONEWINDOW_EVENTS_POLL_SECONDS", "60")
            servers.append(start_server(db, tmp))
            if db_kind == "postgresql":  # SQLite is one process's embedded store: no second replica
                servers.append(start_server(db, tmp))
        yield tuple(servers)
    finally:
        for server in servers:
            server.stop()
        for _ in databases:
            pass


def _listen(desk: Desk, events: Events, stop: threading.Event, until: str = "changed") -> None:
    """Collect events until `stop` is set and an `until` event has arrived after it."""
    with httpx.Client(base_url=str(desk.client.base_url), timeout=httpx.Timeout(10, read=30)) as client, \
            connect_sse(client, "GET", "/api/v1/sync/events", params={"scope": SCOPE},
                        headers=desk.headers) as source:
        for event in source.iter_sse():
            events.put((event.event, json.loads(event.data)))
            if stop.is_set() and event.event == until:
                return


def _next_changed(events: Events) -> dict[str, Any]:
    while True:
        kind, data = events.get(timeout=10)  # far less than the 60 s poll
        if kind == "changed":
            return data


def _told_of_a_push(listener: Desk, writer: Desk) -> None:
    events: Events = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=_listen, args=(listener, events, stop), daemon=True)
    thread.start()
    try:
        first = _next_changed(events)  # the stream's opening event: the cursor it starts from
        writer.new_customer()
        later = _next_changed(events)
        assert later["scope"] == SCOPE and later["cursor"] > first["cursor"]
        stop.set()
        writer.new_customer()  # its event ends the listener
        thread.join(15)
        assert not thread.is_alive()
    finally:
        stop.set()
        listener.close()
        writer.close()


def test_a_push_wakes_the_stream_without_waiting_for_the_poll(slow_polling: tuple[ServerProcess, ...]) -> None:
    server = slow_polling[0]
    _told_of_a_push(Desk(server.url, "hotline_a"), Desk(server.url, "clerk_a"))


def test_a_push_on_one_replica_wakes_the_streams_of_another(db_kind: str,
                                                            slow_polling: tuple[ServerProcess, ...]) -> None:
    if db_kind != "postgresql":
        pytest.skip("replicas share PostgreSQL; an embedded SQLite server is one process")
    listening, writing = slow_polling
    _told_of_a_push(Desk(listening.url, "hotline_a"), Desk(writing.url, "clerk_a"))


def test_a_replica_listens_again_after_losing_its_listener_connection(db_kind: str,
                                                                       slow_polling: tuple[ServerProcess, ...]) -> None:
    """PostgreSQL ends the LISTEN connections (a restart, a failover): each hub connects again, listens, and
    polls once for what it may have missed — a push then still reaches the other replica's streams."""
    if db_kind != "postgresql":
        pytest.skip("LISTEN is PostgreSQL's")
    listening, writing = slow_polling
    database = make_url(listening.db).database
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        ended = 0
        for _ in range(200):  # each replica's listener connects as its server starts
            ended += len(admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND query = %s",
                (database, f"LISTEN {CHANNEL}")).fetchall())
            if ended >= 2:
                break
            admin.execute("SELECT pg_sleep(0.05)")
        assert ended >= 2
    _told_of_a_push(Desk(listening.url, "hotline_a"), Desk(writing.url, "clerk_a"))


def test_a_hotline_call_pops_the_agents_screen_without_waiting_for_the_poll(
        slow_polling: tuple[ServerProcess, ...]) -> None:
    """Not only pushes: any write that advances a scope wakes the streams (here the call's interaction)."""
    server = slow_polling[0]
    agent = Desk(server.url, "hotline_a")
    events: Events = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=_listen, args=(agent, events, stop, "screen_pop"), daemon=True)
    thread.start()
    try:
        _next_changed(events)
        stop.set()  # the pop's event ends the listener
        call = {"call_id": "call-wakeup", "caller_number": "13700006666", "agent_username": "hotline_a",
                "at": "2026-03-02T01:00:00+00:00"}
        answer = httpx.post(f"{server.url}/api/v1/channels/hotline/calls", json=call,
                            headers={"X-Channel-Key": CHANNEL_KEY})
        assert answer.status_code == 200, answer.text
        while True:
            kind, data = events.get(timeout=10)  # far less than the 60 s poll
            if kind == "screen_pop":
                break
        assert data["interaction_id"] == answer.json()["interaction_id"]
        thread.join(15)
        assert not thread.is_alive()
    finally:
        stop.set()
        agent.close()
