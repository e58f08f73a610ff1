"""Live events over SSE and channel ingestion."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable
from typing import Any

import httpx
from httpx_sse import connect_sse
from sqlalchemy import create_engine, text

from backend.settings import database_url
from tests.backend.desk import Desk
from tests.backend.server_process import CHANNEL_KEY, ServerProcess

DeskFactory = Callable[[str], Desk]


def _listen(desk: Desk, scope: str, events: queue.Queue[tuple[str, dict[str, Any]]], stop: threading.Event,
            until: str) -> None:
    """Collect events until `stop` is set and an `until` event has arrived after it."""
    with httpx.Client(base_url=str(desk.client.base_url), timeout=httpx.Timeout(10, read=20)) as client, connect_sse(
        client, "GET", "/api/v1/sync/events", params={"scope": scope}, headers=desk.headers
    ) as source:
        for event in source.iter_sse():
            events.put((event.event, json.loads(event.data)))
            if stop.is_set() and event.event == until:
                return


def _next(events: queue.Queue[tuple[str, dict[str, Any]]], name: str) -> dict[str, Any]:
    while True:
        kind, data = events.get(timeout=10)
        if kind == name:
            return data


def test_listening_desk_is_told_to_pull_after_a_push(desk: DeskFactory) -> None:
    listener, writer = desk("hotline_a"), desk("clerk_a")
    events: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=_listen, args=(listener, "office:county-a", events, stop, "changed"), daemon=True)
    thread.start()
    first = _next(events, "changed")
    writer.new_customer()
    stop.set()
    later = _next(events, "changed")
    assert later["scope"] == "office:county-a" and later["cursor"] > first["cursor"]
    thread.join(15)


def test_hotline_call_pops_the_agents_screen(server: ServerProcess, desk: DeskFactory) -> None:
    agent, clerk = desk("hotline_a"), desk("clerk_a")
    customer = clerk.new_customer(phone="13700007777")
    events: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=_listen, args=(agent, "office:county-a", events, stop, "screen_pop"), daemon=True)
    thread.start()
    _next(events, "changed")
    call = {"call_id": f"call-{customer['id']}", "caller_number": "13700007777", "agent_username": "hotline_a",
            "at": "2026-03-02T01:00:00+00:00"}
    refused = httpx.post(f"{server.url}/api/v1/channels/hotline/calls", json=call)
    assert refused.status_code == 401
    answer = httpx.post(f"{server.url}/api/v1/channels/hotline/calls", json=call, headers={"X-Channel-Key": CHANNEL_KEY})
    assert answer.status_code == 200, answer.text
    assert answer.json()["customer_ids"] == [customer["id"]]
    stop.set()
    pop = _next(events, "screen_pop")
    assert pop["interaction_id"] == answer.json()["interaction_id"]
    assert pop["customer_ids"] == [customer["id"]]
    thread.join(15)


def test_app_request_creates_ticket_and_verification_once(server: ServerProcess, desk: DeskFactory) -> None:
    clerk = desk("clerk_a")
    customer = clerk.new_customer(id_number="11010519491231002X", name="张三")
    (account,) = clerk.push(clerk.mutation("account", "create", fields={
        "customer_id": customer["id"], "account_no": f"A{customer['id'][:8]}"}))
    assert account["status"] == "applied", account
    body = {
        "request_id": f"req-{customer['id']}", "account_no": f"A{customer['id'][:8]}",
        "id_number": "11010519491231002X", "name": "张三", "real_name_verified": True,
        "verification_ref": "app-ok-1", "type_code": "enquiry", "summary": "咨询电价",
        "fields": {"enquiry_topic": "tariff", "content": "电价多少"},
    }
    headers = {"X-Channel-Key": CHANNEL_KEY}
    unverified = httpx.post(f"{server.url}/api/v1/channels/app/requests", headers=headers,
                            json=body | {"request_id": f"unverified-{customer['id']}", "real_name_verified": False})
    assert unverified.status_code == 400 and unverified.json()["error"]["code"] == "not_verified", unverified.text
    first = httpx.post(f"{server.url}/api/v1/channels/app/requests", json=body, headers=headers)
    assert first.status_code == 200, first.text
    again = httpx.post(f"{server.url}/api/v1/channels/app/requests", json=body, headers=headers)
    assert again.json() == first.json()
    rows, _ = clerk.pull_all("office:county-a")
    ticket = rows[("ticket", first.json()["ticket_id"])]
    assert ticket["channel"] == "app" and ticket["number"] == first.json()["ticket_number"]
    methods = [d["method"] for (e, _), d in rows.items() if e == "verification" and d["customer_id"] == customer["id"]]
    assert methods == ["app_real_name"]
    # the efficiency monitor counts it at once, as a desk's ticket (it was left to the next push that touched it)
    engine = create_engine(database_url(str(server.db)))
    try:
        with engine.connect() as connection:
            counted = connection.execute(text("SELECT count(*) FROM efficiency_ticket WHERE ticket_id = :t"),
                                         {"t": first.json()["ticket_id"]}).scalar_one()
    finally:
        engine.dispose()
    assert counted == 1
