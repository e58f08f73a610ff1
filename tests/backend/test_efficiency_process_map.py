"""The process map over HTTP (GET /api/v1/efficiency/process-map), on SQLite and PostgreSQL: tickets of a type
worked through the real push path (so the observed events are the server's own), then mapped for the period
with the overview's role scoping, the ticket bound and clear refusals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.backend.desk import FIXED_NOW, Desk
from tests.backend.test_workflow import move, tasks_of
from tests.harness.processes import ServerProcess

TYPE = "service_request_meter_fault"  # accept → verify (计量) → return visit; used by no other backend test
DAY0 = datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday, a working day
FIELDS = {"account_number": "3100012345", "meter_symptom": None, "contact_phone": "13800138000"}


@pytest.fixture
def desks(clocked_server: ServerProcess) -> Iterator[dict[str, Desk]]:
    clocked_server.set_clock(DAY0)
    opened = {name: Desk(clocked_server.url, name) for name in ("clerk_a", "supervisor_a", "manager_a", "clerk_b")}
    try:
        yield opened
    finally:
        for desk in opened.values():
            desk.close()
        clocked_server.set_clock(FIXED_NOW)


def _symptom() -> str:
    from domain.catalogue import load_catalogue

    field = next(f for f in load_catalogue().ticket_type(TYPE).fields if f.name == "meter_symptom")
    return field.choices[0].code


def _create(clerk: Desk, at: datetime) -> str:
    customer = clerk.new_customer()
    (result,) = clerk.push(clerk.mutation("ticket", "create", fields={
        "type_code": TYPE, "channel": "hall", "customer_id": customer["id"], "summary": "电能表异常",
        "fields": {**FIELDS, "meter_symptom": _symptom()}, "materials": [], "accepted_at": at.isoformat()}))
    assert result["status"] == "applied", result
    return str(result["record"]["id"])


def _get(desk: Desk, **params: Any) -> httpx.Response:
    return desk.client.get("/api/v1/efficiency/process-map", params=params, headers=desk.headers)


def test_the_map_of_a_type_shows_variants_waiting_rework_and_shares(
        clocked_server: ServerProcess, desks: dict[str, Desk]) -> None:
    clerk, supervisor, manager = desks["clerk_a"], desks["supervisor_a"], desks["manager_a"]
    tickets = [_create(clerk, DAY0) for _ in range(5)]

    def at(minutes: int) -> None:
        clocked_server.set_clock(DAY0 + timedelta(minutes=minutes))
        for name, desk in desks.items():
            desk.login(name)  # the access token lives by the server's clock

    def step(ticket_id: str, to_state: str, reason: str | None = None) -> None:
        verify = tasks_of(supervisor, ticket_id)["verify"]
        assert move(supervisor, "stage_task", verify, to_state, reason)["status"] == "applied"

    at(30)
    for ticket_id in tickets:
        step(ticket_id, "taken")  # 30 minutes after the handoff from acceptance
    at(60)
    for ticket_id in tickets[:2]:
        step(ticket_id, "returned", "资料不全")  # two are sent back and taken again
        step(ticket_id, "open")
    at(90)
    for ticket_id in tickets[:2]:
        step(ticket_id, "taken")
    at(120)
    for ticket_id in tickets:
        step(ticket_id, "done")  # opens the return visit: the ticket awaits it
    at(240)
    for ticket_id in tickets:
        row = next(data for (entity, _id), data in clerk.pull_all("office:county-a")[0].items()
                   if entity == "ticket" and data["id"] == ticket_id)
        assert move(clerk, "ticket", row, "closed")["status"] == "applied"  # the visit is recorded: closed

    answer = _get(supervisor, type=TYPE, start="2026-06-01", end="2026-06-01")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["basis"], body["closed"], body["truncated"], body["offices"]) == ("closed_in_period", 5, False,
                                                                                    ["county-a"])
    result = body["map"]
    assert (result["tickets"], result["left_out"], result["mean_elapsed_minutes"]) == (5, 0, 240)
    variants = [([[(v["stage"], v["rounds"]) for v in s] for s in variant["steps"]], variant["count"])
                for variant in result["variants"]]
    assert variants == [([[("accept", 1)], [("verify", 1)], [("return_visit", 1)]], 3),
                        ([[("accept", 1)], [("verify", 2)], [("return_visit", 1)]], 2)]
    handoffs = {(h["from_stage"], h["to_stage"]): (h["count"], h["waiting_count"], h["mean_waiting_minutes"])
                for h in result["handoffs"]}
    assert handoffs == {("accept", "verify"): (5, 5, 30), ("verify", "return_visit"): (5, 0, None)}
    assert [(r["kind"], r["stage"], r["back_to"], r["count"], r["tickets"]) for r in result["rework"]] == [
        ("returned", "verify", "accept", 2, 2)]
    stages = {s["stage"]: s for s in result["stages"]}
    assert [s["stage"] for s in result["stages"]] == ["accept", "verify", "return_visit"]
    assert stages["verify"]["share_of_elapsed"] == 0.5 and stages["return_visit"]["share_of_elapsed"] == 0.5
    assert stages["verify"]["waiting_share"] == 0.25 and stages["verify"]["on_critical_path"]
    assert [f["code"] for f in stages["verify"]["suggestions"]] == ["rework"]  # 2 of 5 sent back

    bounded = _get(supervisor, type=TYPE, start="2026-06-01", end="2026-06-01", limit=3).json()
    assert (bounded["map"]["tickets"], bounded["closed"], bounded["truncated"]) == (3, 5, True)
    assert _get(manager, type=TYPE, start="2026-06-01", end="2026-06-01").json()["map"]["tickets"] == 5
    assert _get(supervisor, type=TYPE, start="2026-06-02", end="2026-06-30").json()["map"]["tickets"] == 0


def test_refusals_are_clear_and_scoped(desks: dict[str, Desk]) -> None:
    supervisor, clerk_b = desks["supervisor_a"], desks["clerk_b"]
    assert _get(clerk_b, type=TYPE).status_code == 403  # not a reader of the monitor
    assert _get(supervisor, type=TYPE, office="county-b").json()["error"]["code"] == "out_of_scope"
    unknown = _get(supervisor, type="no_such_type")
    assert unknown.status_code == 400 and "未知的业务类型" in unknown.text
    assert _get(supervisor).status_code == 400  # the type is required
    backwards = _get(supervisor, type=TYPE, start="2026-06-30", end="2026-06-01")
    assert backwards.status_code == 400 and "开始日期晚于结束日期" in backwards.text
    assert _get(supervisor, type=TYPE, limit=0).status_code == 400
