"""Issue 13 item 5: a live event stream ends with its session, and a session has one stream per scope."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

import httpx
from httpx_sse import connect_sse

from tests.backend.desk import Desk
from tests.backend.server_process import PASSWORD

DeskFactory = Callable[[str], Desk]
ENDED = "(ended)"


def _listen(desk: Desk, headers: dict[str, str], events: queue.Queue[str]) -> None:
    """Every event name as it arrives, then ENDED when the server closes the stream."""
    try:
        with httpx.Client(base_url=str(desk.client.base_url), timeout=httpx.Timeout(10, read=60)) as client, \
                connect_sse(client, "GET", "/api/v1/sync/events", params={"scope": "office:county-a"},
                            headers=headers) as source:
            for event in source.iter_sse():
                events.put(event.event)
    finally:
        events.put(ENDED)


def _open(desk: Desk) -> tuple[queue.Queue[str], threading.Thread]:
    events: queue.Queue[str] = queue.Queue()
    thread = threading.Thread(target=_listen, args=(desk, dict(desk.headers), events), daemon=True)
    thread.start()
    assert events.get(timeout=10) == "changed"  # the stream is open
    return events, thread


def _ends(events: queue.Queue[str]) -> bool:
    while True:
        if events.get(timeout=10) == ENDED:
            return True


def test_logout_closes_the_stream(desk: DeskFactory) -> None:
    agent = desk("hotline_a")
    events, thread = _open(agent)
    assert agent.client.post("/api/v1/auth/logout", headers=agent.headers).status_code == 204
    assert _ends(events)
    thread.join(10)


def test_password_change_closes_every_stream_of_the_account(desk: DeskFactory) -> None:
    one, two = desk("dispatcher_a"), desk("dispatcher_a")
    events, thread = _open(two)
    new = "dispatch anew 42"
    assert one.client.post("/api/v1/auth/password", json={"old_password": PASSWORD, "new_password": new},
                           headers=one.headers).status_code == 204
    try:
        assert _ends(events)
        thread.join(10)
    finally:
        one.login("dispatcher_a", new)
        assert one.client.post("/api/v1/auth/password", json={"old_password": new, "new_password": PASSWORD},
                               headers=one.headers).status_code == 204


def test_a_second_stream_of_one_session_and_scope_replaces_the_first(desk: DeskFactory) -> None:
    agent = desk("clerk_a")
    first, first_thread = _open(agent)
    second, second_thread = _open(agent)
    assert _ends(first)
    first_thread.join(10)
    assert second.empty()  # the new one is still open
    assert agent.client.post("/api/v1/auth/logout", headers=agent.headers).status_code == 204
    assert _ends(second)
    second_thread.join(10)
