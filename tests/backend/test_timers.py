"""Warning and overdue fire at the right instants, once, with two server processes on one database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from tests.backend.desk import FIXED_NOW, Desk
from tests.harness.processes import ServerProcess, serving
from tests.harness.waiting import wait_until

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_servers(db_kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    with serving(db_kind, tmp_path_factory.mktemp(f"timers-{db_kind}"), replicas=2) as (first, second):
        yield first, second


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
    first.set_clock(FIXED_NOW)
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
        # Moving the shared injected clock (one row both processes read) runs the timers due at once in the process
        # asked, before it answers: setting it through both processes makes both race to fire the same timers,
        # besides their own timer loops. The alerts are then read until they are what the instant makes due.
        second.set_clock(warn_at - timedelta(seconds=1))
        first.set_clock(warn_at - timedelta(seconds=1))
        assert _alerts(clerk, ticket_id) == []
        second.set_clock(warn_at)
        first.set_clock(warn_at)
        warned = ["时限预警@工单", "时限预警@环节任务"]
        wait_until(lambda: _alerts(clerk, ticket_id) == warned, what="both warnings", interval=0.2)
        first.set_clock(due_at)  # due, not yet overdue
        second.set_clock(due_at)
        assert _alerts(clerk, ticket_id) == warned
        second.set_clock(due_at + timedelta(seconds=1))
        first.set_clock(due_at + timedelta(seconds=2))
        overdue = ["已超时@工单", "已超时@环节任务", *warned]
        wait_until(lambda: _alerts(clerk, ticket_id) == overdue, what="both overdue alerts", interval=0.2)
        # fired once: nothing more after both processes ran their timers again at a later instant
        second.set_clock(due_at + timedelta(seconds=3))
        first.set_clock(due_at + timedelta(seconds=3))
        assert _alerts(clerk, ticket_id) == overdue
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
