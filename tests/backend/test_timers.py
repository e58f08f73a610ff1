"""Warning and overdue fire at the right instants, once, with two server processes on one database."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.backend.conftest import fresh_database, prepare
from tests.backend.desk import FIXED_NOW, Desk
from tests.backend.server_process import ServerProcess, start_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_servers(db_kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    tmp: Path = tmp_path_factory.mktemp(f"timers-{db_kind}")
    databases = fresh_database(db_kind, tmp)
    db = next(databases)
    prepare(db)
    first = start_server(db, tmp)
    second = start_server(db, tmp)
    try:
        yield first, second
    finally:
        first.stop()
        second.stop()
        for _ in databases:
            pass


def _set_clock(server: ServerProcess, now: datetime) -> None:
    response = httpx.post(f"{server.url}/api/v1/test/clock", json={"now": now.isoformat()})
    assert response.status_code == 200, response.text


def _alerts(desk: Desk, ticket_id: str) -> list[str]:
    desk.login("clerk_a")  # the injected clock moved: sign in at the new now
    rows, _ = desk.pull_all("office:county-a")
    # "时限预警：GD…（环节任务），已上报班长" → "时限预警@环节任务"; the ticket's other history lines are no alerts.
    return sorted(
        data["summary"].split("：", 1)[0] + "@" + data["summary"].rsplit("（", 1)[1].split("）")[0]
        for (entity, _id), data in rows.items()
        if entity == "interaction" and data["type"] == "ticket_step" and data["ticket_id"] == ticket_id
        and data["summary"].endswith("已上报班长")
    )


def test_warning_and_overdue_fire_once_at_their_instants(two_servers: tuple[ServerProcess, ServerProcess]) -> None:
    first, second = two_servers
    _set_clock(first, FIXED_NOW)
    clerk = Desk(first.url, "clerk_a")
    try:
        customer = clerk.new_customer()
        (created,) = clerk.push(
            clerk.mutation("ticket", "create", fields={
                "type_code": "service_request_reconnection", "channel": "hall", "customer_id": customer["id"],
                "fields": {"account_number": "0101234567", "contact_phone": "13800001111"},
                "accepted_at": FIXED_NOW.isoformat(),
            })
        )
        assert created["status"] == "applied", created
        ticket_id = created["record"]["id"]
        warn_at = FIXED_NOW + timedelta(minutes=1152)  # 0.8 of 1440 minutes
        due_at = FIXED_NOW + timedelta(minutes=1440)
        _set_clock(second, warn_at - timedelta(seconds=1))
        time.sleep(1.5)  # both processes' timer loops get a turn
        assert _alerts(clerk, ticket_id) == []
        _set_clock(second, warn_at)
        _set_clock(first, warn_at)
        time.sleep(1.5)
        assert _alerts(clerk, ticket_id) == ["时限预警@工单", "时限预警@环节任务"]
        _set_clock(first, due_at)  # due, not yet overdue
        time.sleep(1.5)
        assert _alerts(clerk, ticket_id) == ["时限预警@工单", "时限预警@环节任务"]
        _set_clock(second, due_at + timedelta(seconds=1))
        _set_clock(first, due_at + timedelta(seconds=2))
        time.sleep(1.5)
        assert _alerts(clerk, ticket_id) == [
            "已超时@工单", "已超时@环节任务", "时限预警@工单", "时限预警@环节任务",
        ]
        supervisor = Desk(second.url, "supervisor_a")
        try:
            audit = supervisor.client.get("/api/v1/audit", headers=supervisor.headers)
            assert audit.status_code == 200
            escalations = [e for e in audit.json()["entries"] if e["action"] == "sla_escalated"]
            assert len(escalations) == 4
            assert all(supervisor.session["staff"]["id"] in e["detail"]["supervisors"] for e in escalations)
        finally:
            supervisor.close()
    finally:
        clerk.close()
