"""The HTTP SMS gateway against a real (tiny) provider on loopback: what it sends, what counts as failure,
and — through a real server process configured for it — a transient failure tried again later under the
same idempotency key, a refusal failing the message with its reason for the desk."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from backend.sms import HttpSmsGateway, SmsDeliveryError
from tests.backend.conftest import fresh_database, prepare
from tests.backend.desk import FIXED_NOW, Desk
from tests.backend.server_process import ServerProcess, free_port, start_server
from tests.backend.test_notifications import (
    PHONE,
    notification_row,
    repair_ticket,
    sms_request,
    state_of,
    wait_for,
)

TOKEN = "provider-token-1"


@dataclass
class Provider:
    """An SMS provider's endpoint: answers with the scripted statuses in turn (then 200), keeps each request."""

    statuses: list[int] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def answer(self, headers: dict[str, str], body: dict[str, Any]) -> int:
        with self.lock:
            self.requests.append({"headers": headers, "body": body})
            return self.statuses.pop(0) if self.statuses else 200

    def taken(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.requests)


@pytest.fixture
def provider() -> Iterator[Provider]:
    state = Provider()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server hook's name
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            status = state.answer({k.lower(): v for k, v in self.headers.items()}, body)
            payload = json.dumps({"ok": 200 <= status < 300}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/sms/send"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(10)


def test_the_gateway_posts_json_with_the_token_and_the_key(provider: Provider) -> None:
    gateway = HttpSmsGateway(provider.url, TOKEN, timeout=10)
    gateway.send(PHONE, "您的故障报修已受理", reference="n-1", at=FIXED_NOW, key="req-1")
    (request,) = provider.taken()
    assert request["headers"]["authorization"] == f"Bearer {TOKEN}"
    assert request["headers"]["idempotency-key"] == "req-1"
    assert request["headers"]["content-type"] == "application/json"
    assert request["body"] == {"to": PHONE, "text": "您的故障报修已受理", "reference": "n-1", "id": "req-1",
                               "at": FIXED_NOW.isoformat()}


@pytest.mark.parametrize(("status", "transient"), [(400, False), (401, False), (404, False), (429, True),
                                                   (500, True), (503, True)])
def test_an_answer_other_than_2xx_is_a_failure(provider: Provider, status: int, transient: bool) -> None:
    provider.statuses.append(status)
    with pytest.raises(SmsDeliveryError) as failure:
        HttpSmsGateway(provider.url, TOKEN).send(PHONE, "正文", reference="n-1", at=FIXED_NOW, key="req-1")
    assert failure.value.transient is transient
    assert failure.value.reason == f"短信网关拒收：HTTP {status}"
    assert PHONE not in str(failure.value) and "正文" not in str(failure.value)


def test_no_provider_listening_is_a_transient_failure() -> None:
    gateway = HttpSmsGateway(f"http://127.0.0.1:{free_port()}/sms", TOKEN, timeout=5)
    with pytest.raises(SmsDeliveryError) as failure:
        gateway.send(PHONE, "正文", reference="n-1", at=FIXED_NOW, key="req-1")
    assert failure.value.transient and failure.value.reason.startswith("无法连接短信网关")


def test_the_gateway_needs_its_address_and_token() -> None:
    with pytest.raises(SystemExit, match="ONEWINDOW_SMS_URL"):
        HttpSmsGateway("", TOKEN)
    with pytest.raises(SystemExit, match="ONEWINDOW_SMS_TOKEN"):
        HttpSmsGateway("http://127.0.0.1:1/sms", "")


@pytest.fixture
def provider_server(db_kind: str, tmp_path: Path, provider: Provider,
                    monkeypatch: pytest.MonkeyPatch) -> Iterator[ServerProcess]:
    """A server process whose SMS gateway is the loopback provider (configured as an office would)."""
    databases = fresh_database(db_kind, tmp_path)
    db = next(databases)
    prepare(db)
    monkeypatch.setenv("ONEWINDOW_SMS_GATEWAY", "http")
    monkeypatch.setenv("ONEWINDOW_SMS_URL", provider.url)
    monkeypatch.setenv("ONEWINDOW_SMS_TOKEN", TOKEN)
    monkeypatch.setenv("ONEWINDOW_NOTIFICATION_POLL_SECONDS", "0.1")
    server = start_server(db, tmp_path)
    set_clock(server, 0)
    yield server
    server.stop()
    for _ in databases:
        pass


def set_clock(server: ServerProcess, seconds: float) -> None:
    answer = httpx.post(f"{server.url}/api/v1/test/clock",
                        json={"now": (FIXED_NOW + timedelta(seconds=seconds)).isoformat()})
    assert answer.status_code == 200, answer.text


def test_a_busy_provider_is_tried_again_later_and_a_refusal_fails_the_message(
    provider_server: ServerProcess, provider: Provider,
) -> None:
    agent = Desk(provider_server.url, "hotline_a")
    provider.statuses.append(503)
    ticket = repair_ticket(agent)
    request = sms_request(agent, ticket["entity_id"])
    ticket_result, _ = agent.push(ticket, request)
    wait_for(lambda: len(provider.taken()) == 1)
    row = notification_row(agent, request["entity_id"])
    assert row is not None and row["state"] == "queued"  # 待发送 until the provider takes it
    set_clock(provider_server, 29)  # the first retry waits 30 seconds
    assert len(provider.taken()) == 1
    set_clock(provider_server, 31)
    wait_for(state_of(agent, request["entity_id"], "sent"))
    first, second = provider.taken()
    key = request["mutation_id"]
    assert first["headers"]["idempotency-key"] == second["headers"]["idempotency-key"] == key
    assert ticket_result["record"]["number"] in second["body"]["text"] and second["body"]["to"] == PHONE
    assert notification_row(agent, request["entity_id"])["attempts"] == 2  # type: ignore[index]

    provider.statuses.append(400)  # the provider refuses this one for good: no retry
    refused = sms_request(agent, ticket["entity_id"], "13900003333")
    agent.push(refused)
    wait_for(state_of(agent, refused["entity_id"], "failed"))
    row = notification_row(agent, refused["entity_id"])
    assert row is not None and row["reason"] == "短信网关拒收：HTTP 400" and row["attempts"] == 1
    assert len(provider.taken()) == 3
    agent.close()
    log = provider_server.log_path.read_text()
    assert PHONE not in log and "13900003333" not in log and TOKEN not in log
