"""故障研判 on the server (docs/outage.md), two processes on one database, SQLite and PostgreSQL: repair calls from
one 台区 become one predicted event, judged by both processes and stored once; more calls from the next 台区 under
the same branch switch make one branch event that absorbs the first (cancelled, its linked call moved); a lone
call elsewhere stays an ordinary repair."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from tests.backend.desk import FIXED_NOW, Desk
from tests.harness.processes import ServerProcess, serving

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_servers(db_kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    with serving(db_kind, tmp_path_factory.mktemp(f"prediction-{db_kind}"), replicas=2) as (first, second):
        yield first, second


def _push_one(desk: Desk, entity: str, op: str, entity_id: str | None = None, **extra: Any) -> dict[str, Any]:
    (result,) = desk.push(desk.mutation(entity, op, entity_id, **extra))
    assert result["status"] == "applied", result
    return result


def _grid(admin: Desk, clerk: Desk) -> tuple[dict[str, str], dict[str, list[str]]]:
    """F ─┬─ B ─┬─ T1, T2 ;  F ── T3, four accounts on each 台区."""
    tag = uuid.uuid4().hex[:8]
    ids = {name: f"{name}-{tag}" for name in ("F", "B", "T1", "T2", "T3")}
    for name, kind, parent in (("F", "feeder", None), ("B", "branch", "F"), ("T1", "transformer", "B"),
                               ("T2", "transformer", "B"), ("T3", "transformer", "F")):
        _push_one(admin, "grid_device", "create", ids[name], fields={
            "device_kind": kind, "parent_id": ids[parent] if parent else None, "name": f"设备{name}",
            "area_class": "urban"})
    accounts: dict[str, list[str]] = {}
    for name in ("T1", "T2", "T3"):
        for n in range(4):
            customer = clerk.new_customer(name=f"{name}客户{n}")
            result = _push_one(clerk, "account", "create", fields={
                "customer_id": customer["id"], "account_no": f"8{uuid.uuid4().int % 10**9:09d}",
                "transformer_id": ids[name]})
            accounts.setdefault(name, []).append(result["entity_id"])
    return ids, accounts


def _repair(agent: Desk, account_id: str, minute: int) -> None:
    _push_one(agent, "ticket", "create", fields={
        "type_code": "repair", "channel": "hotline", "account_id": account_id, "summary": "家里停电",
        "fields": {"fault_address": "岚城镇", "area_class": "urban", "fault_type": "no_power",
                   "contact_phone": "13800001111"},
        "materials": [], "accepted_at": (FIXED_NOW + timedelta(minutes=minute)).isoformat()})


def _events(desk: Desk, devices: set[str]) -> dict[str, dict[str, Any]]:
    rows, _ = desk.pull_all(f"office:{desk.office}")
    return {data["device_ids"][0]: data for (entity, _id), data in rows.items()
            if entity == "outage_event" and set(data["device_ids"]) <= devices}


def test_repair_calls_become_one_predicted_event_then_one_larger_one(
        two_servers: tuple[ServerProcess, ServerProcess]) -> None:
    first, second = two_servers
    for server in (first, second):
        server.set_clock(FIXED_NOW)
    admin, clerk, agent = Desk(first.url, "admin_a"), Desk(first.url, "clerk_a"), Desk(second.url, "hotline_a")
    try:
        ids, accounts = _grid(admin, clerk)
        devices = set(ids.values())
        for n in range(3):
            _repair(agent, accounts["T1"][n], minute=n + 1)
        _repair(agent, accounts["T3"][0], minute=2)  # a lone call on another 台区
        for server in (second, first):  # both processes judge the same window
            server.set_clock(FIXED_NOW + timedelta(minutes=4))
        events = _events(clerk, devices)
        assert list(events) == [ids["T1"]]  # one event, on the 台区, none for the lone call
        t1 = events[ids["T1"]]
        assert (t1["outage_kind"], t1["state"], t1["call_count"], t1["caller_count"]) == ("fault", "predicted", 3, 3)
        assert t1["accounts_affected"] == 4 and t1["reason"]
        lookup = agent.client.get("/api/v1/outages/lookup", headers=agent.headers,
                                  params={"account_id": accounts["T1"][3]})
        assert lookup.json()["event"]["id"] == t1["id"]  # the next caller hears of it
        linked = _push_one(agent, "interaction", "create", fields={
            "channel": "hotline", "type": "call", "at": (FIXED_NOW + timedelta(minutes=5)).isoformat(),
            "summary": "停电报修", "outage_event_id": t1["id"]})

        for n in range(3):
            _repair(agent, accounts["T2"][n], minute=6 + n)
        first.set_clock(FIXED_NOW + timedelta(minutes=9))
        second.set_clock(FIXED_NOW + timedelta(minutes=9))
        events = _events(clerk, devices)
        assert set(events) == {ids["T1"], ids["B"]}
        assert events[ids["T1"]]["state"] == "cancelled"  # absorbed: the branch switch explains both 台区
        branch = events[ids["B"]]
        assert branch["state"] == "predicted" and branch["accounts_affected"] == 8
        assert branch["call_count"] == 3 + 4  # its own three, and the first event's three and one linked call
        rows, _ = clerk.pull_all(f"office:{clerk.office}")
        assert rows[("interaction", linked["entity_id"])]["outage_event_id"] == branch["id"]
        lookup = agent.client.get("/api/v1/outages/lookup", headers=agent.headers,
                                  params={"account_id": accounts["T1"][3]})
        assert lookup.json()["event"]["id"] == branch["id"]

        second.set_clock(FIXED_NOW + timedelta(minutes=10))  # judged again: nothing new
        assert _events(clerk, devices).keys() == {ids["T1"], ids["B"]}
    finally:
        for desk in (admin, clerk, agent):
            desk.close()
