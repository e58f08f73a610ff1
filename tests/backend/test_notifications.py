"""Customer notifications (issue 12/18): the ticket number by SMS, requested through the desk's push and sent
by the server exactly once — across a replayed push and a restart of the server process — with the server's
GD number in the text; a bad number or a role that may not contact customers is refused and stores nothing."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, select, update
from sqlalchemy.engine import Engine

from backend.db.desk_tables import SmsMessage
from backend.db.notification_tables import OutboundMessage
from backend.db.records import NotificationRow
from backend.settings import database_url
from domain.notifications import interaction_id
from domain.sla import OFFICE_ZONE
from tests.backend.conftest import fresh_database, prepare
from tests.backend.desk import FIXED_NOW, Desk
from tests.backend.server_process import ServerProcess, start_server

DeskFactory = Callable[[str], Desk]
PHONE = "13800001111"


def repair_ticket(agent: Desk) -> dict[str, Any]:
    fields = {"fault_address": "河西村三组", "area_class": "rural", "fault_type": "no_power", "contact_phone": PHONE}
    return agent.mutation("ticket", "create", fields={
        "type_code": "repair", "channel": "hotline", "summary": "停电", "fields": fields, "materials": [],
        "accepted_at": FIXED_NOW.isoformat(), "provisional_number": "P-hot-7",
    })


def sms_request(agent: Desk, ticket_id: str, phone: str = PHONE) -> dict[str, Any]:
    return agent.mutation("notification", "create", fields={
        "ticket_id": ticket_id, "template": "ticket_accepted", "phone": phone,
        "requested_at": FIXED_NOW.isoformat(), "office_id": agent.office,
    })


def wait_for(condition: Callable[[], Any], timeout: float = 60.0) -> Any:
    """Poll until `condition()` is truthy (the server's sender runs in its own loop)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


def notification_row(agent: Desk, notification_id: str) -> dict[str, Any] | None:
    rows, _page = agent.pull_all(f"office:{agent.office}")
    return rows.get(("notification", notification_id))


def state_of(agent: Desk, notification_id: str, wanted: str) -> Callable[[], bool]:
    def check() -> bool:
        row = notification_row(agent, notification_id)
        return row is not None and row["state"] == wanted
    return check


def messages(engine: Engine, key: str) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        return [(row.phone, row.text) for row in connection.execute(
            select(SmsMessage.phone, SmsMessage.text).where(SmsMessage.reference == key))]


def count(engine: Engine, model: Any) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(model)).scalar_one())


@pytest.fixture
def own_server(db_kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], ServerProcess]]:
    """A database of this test's own and a way to (re)start a server process on it."""
    databases = fresh_database(db_kind, tmp_path)
    db = next(databases)
    prepare(db)
    monkeypatch.setenv("ONEWINDOW_NOTIFICATION_POLL_SECONDS", "0.1")
    started: list[ServerProcess] = []

    def start() -> ServerProcess:
        server = start_server(db, tmp_path)
        started.append(server)
        answer = httpx.post(f"{server.url}/api/v1/test/clock", json={"now": FIXED_NOW.isoformat()})
        assert answer.status_code == 200, answer.text
        return server

    yield start
    for server in started:
        server.stop()
    for _ in databases:
        pass


def test_the_ticket_number_is_sent_once_across_a_replayed_push_and_a_restart(own_server: Callable[[],
                                                                              ServerProcess]) -> None:
    server = own_server()
    engine = create_engine(database_url(server.db))
    agent = Desk(server.url, "hotline_a")
    ticket = repair_ticket(agent)
    request = sms_request(agent, ticket["entity_id"])
    pushed = [ticket, request]
    ticket_result, request_result = agent.push(*pushed)
    assert ticket_result["status"] == "applied" and request_result["status"] == "applied", request_result
    assert request_result["record"]["state"] == "queued"  # what the desk shows until the server has sent it
    number = ticket_result["record"]["number"]
    assert number.startswith("GD")

    wait_for(state_of(agent, request["entity_id"], "sent"))
    ((phone, text),) = messages(engine, request["mutation_id"])
    due = datetime.fromisoformat(ticket_result["record"]["due_at"]).astimezone(OFFICE_ZONE).strftime("%Y-%m-%d %H:%M")
    assert phone == PHONE
    assert text == f"您的故障报修已受理，工单编号{number}，承诺{due}前办结。进度查询请拨打95598。"  # the GD number, not P-
    row = notification_row(agent, request["entity_id"])
    assert row is not None and row["sent_at"] is not None and row["attempts"] == 1 and row["reason"] is None
    history, _page = agent.pull_all(f"office:{agent.office}")
    line = history[("interaction", interaction_id(request["entity_id"]))]
    assert line["ticket_id"] == ticket["entity_id"] and line["summary"] == "短信告知工单编号（138****1111）：已发送"

    # The same push again (the desk never heard the answer): the ledger answers, nothing new is queued.
    replay = agent.push(*pushed)
    assert [r["status"] for r in replay] == ["applied", "applied"]
    assert count(engine, OutboundMessage) == 1

    # The process stops after handing the message over but before recording it (its row is left `sending`).
    server.stop()
    with engine.begin() as connection:
        connection.execute(update(OutboundMessage).where(OutboundMessage.request_id == request["mutation_id"])
                           .values(state="sending", lease_until=FIXED_NOW.replace(year=2025)))
    agent.close()

    server = own_server()
    agent = Desk(server.url, "hotline_a")
    assert [r["status"] for r in agent.push(*pushed)] == ["applied", "applied"]  # replayed after the restart
    # Handed over again under the same key: the gateway keeps one message.
    wait_for(lambda: messages(engine, request["mutation_id"]) and _outbound_state(engine, request["mutation_id"])
             == "sent")
    # A later request goes out too, which shows the sender has been round since the restart.
    later = sms_request(agent, ticket["entity_id"], "13900002222")
    (later_result,) = agent.push(later)
    assert later_result["status"] == "applied", later_result
    wait_for(state_of(agent, later["entity_id"], "sent"))
    assert len(messages(engine, request["mutation_id"])) == 1
    assert len(messages(engine, later["mutation_id"])) == 1
    assert count(engine, OutboundMessage) == 2
    agent.close()
    engine.dispose()
    log = "".join(path.read_text() for path in server.log_path.parent.glob("server-*.log"))
    assert PHONE not in log and "13900002222" not in log and number not in log  # neither numbers nor texts


def _outbound_state(engine: Engine, request_id: str) -> str | None:
    with engine.connect() as connection:
        return connection.execute(select(OutboundMessage.state).where(
            OutboundMessage.request_id == request_id)).scalar_one_or_none()


@pytest.mark.parametrize(("phone", "words"), [("010-62345678", "固定电话"), ("12345", "手机号码"), ("", "电话")])
def test_a_number_that_cannot_take_an_sms_is_refused_and_nothing_is_stored(
    server: ServerProcess, desk: DeskFactory, phone: str, words: str,
) -> None:
    agent = desk("hotline_a")
    (ticket_result,) = agent.push(repair_ticket(agent))
    request = sms_request(agent, ticket_result["entity_id"], phone)
    engine = create_engine(database_url(server.db))
    before = count(engine, OutboundMessage), count(engine, NotificationRow)
    (result,) = agent.push(request)
    assert result["status"] == "rejected" and result["code"] == "invalid_input"
    assert words in result["reason"] and "SMS" in result["reason"]
    assert (count(engine, OutboundMessage), count(engine, NotificationRow)) == before
    assert notification_row(agent, request["entity_id"]) is None
    engine.dispose()


@pytest.mark.parametrize("username", ["dispatcher_a", "marketing_a"])
def test_a_role_that_does_not_contact_customers_is_refused(server: ServerProcess, desk: DeskFactory,
                                                          username: str) -> None:
    agent = desk("hotline_a")
    (ticket_result,) = agent.push(repair_ticket(agent))
    other = desk(username)
    request = sms_request(other, ticket_result["entity_id"])
    engine = create_engine(database_url(server.db))
    before = count(engine, OutboundMessage)
    (result,) = other.push(request)
    assert result["status"] == "rejected" and result["code"] == "forbidden", result
    assert count(engine, OutboundMessage) == before
    engine.dispose()


def test_a_ticket_of_another_office_is_out_of_reach(server: ServerProcess, desk: DeskFactory) -> None:
    agent = desk("hotline_a")
    (ticket_result,) = agent.push(repair_ticket(agent))
    stranger = desk("clerk_b")
    (result,) = stranger.push(sms_request(stranger, ticket_result["entity_id"]))
    assert result["status"] == "rejected" and result["code"] == "out_of_scope", result
