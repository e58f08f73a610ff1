"""The grid and outage events over real HTTP (docs/outage.md), on SQLite and PostgreSQL: an admin imports the
grid, accounts take their 台区, dispatch enters a planned outage (short notice warned, bad input refused with
nothing stored), repair command confirms a fault event (the plan's tasks open) and restores it, the hotline's
lookup finds the live event of a caller; who may do what; the rows reach the office's desks and no other."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from tests.backend.desk import FIXED_NOW, Desk

DeskFactory = Callable[[str], Desk]


def push_one(desk: Desk, entity: str, op: str, entity_id: str | None = None, **extra: Any) -> dict[str, Any]:
    (result,) = desk.push(desk.mutation(entity, op, entity_id, **extra))
    return result


class SmallGrid:
    """F ─┬─ B ─┬─ T1, T2 ;  F ── T3 — fresh ids per test (the server is shared)."""

    def __init__(self, admin: Desk, clerk: Desk) -> None:
        tag = uuid.uuid4().hex[:8]
        self.f, self.b = f"F-{tag}", f"B-{tag}"
        self.t1, self.t2, self.t3 = f"T1-{tag}", f"T2-{tag}", f"T3-{tag}"
        for device, kind, parent, area in ((self.f, "feeder", None, "rural"), (self.b, "branch", self.f, "rural"),
                                           (self.t1, "transformer", self.b, "rural"),
                                           (self.t2, "transformer", self.b, "rural"),
                                           (self.t3, "transformer", self.f, "rural")):
            result = push_one(admin, "grid_device", "create", device, fields={
                "device_kind": kind, "parent_id": parent, "name": f"设备{device}", "area_class": area})
            assert result["status"] == "applied", result
        customer = clerk.new_customer(name="赵医院")
        self.accounts: dict[str, str] = {}
        for n, transformer in enumerate((self.t1, self.t1, self.t2, self.t3)):
            result = push_one(clerk, "account", "create", fields={
                "customer_id": customer["id"], "account_no": f"9{uuid.uuid4().int % 10**9:09d}",
                "transformer_id": transformer, "important": n == 0})
            assert result["status"] == "applied", result
            self.accounts[f"{transformer}#{n}"] = result["entity_id"]

    def account_on(self, transformer: str) -> str:
        return next(a for key, a in self.accounts.items() if key.startswith(f"{transformer}#"))


def stored(desk: Desk, entity: str, entity_id: str) -> dict[str, Any] | None:
    rows, _ = desk.pull_all(f"office:{desk.office}")
    return rows.get((entity, entity_id))


def planned_fields(grid: SmallGrid, start: datetime, **overrides: Any) -> dict[str, Any]:
    return {"outage_kind": "planned", "device_ids": [grid.b], "reason": "10kV线路检修",
            "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=6)).isoformat(), **overrides}


def test_a_planned_outage_on_short_notice_is_warned_and_counts_who_is_inside(desk: DeskFactory) -> None:
    admin, clerk, dispatcher = desk("admin_a"), desk("clerk_a"), desk("dispatcher_a")
    grid = SmallGrid(admin, clerk)
    short = push_one(dispatcher, "outage_event", "create",
                     fields=planned_fields(grid, FIXED_NOW + timedelta(days=3), state="active", accounts_affected=99))
    assert short["status"] == "applied", short
    record = short["record"]
    assert record["state"] == "scheduled"  # the server sets state and counts, whatever the desk sent
    assert record["accounts_affected"] == 3 and record["important_affected"] == 1
    assert "7 天" in record["notice_warning"] and "7 d" in record["notice_warning"]
    assert record["created_by"] == dispatcher.session["staff"]["id"]

    in_time = push_one(dispatcher, "outage_event", "create", fields=planned_fields(grid, FIXED_NOW + timedelta(days=8)))
    assert in_time["status"] == "applied" and in_time["record"]["notice_warning"] is None

    # Temporary maintenance: 24 h notice, only because an important customer is inside B.
    temporary = push_one(dispatcher, "outage_event", "create", fields=planned_fields(
        grid, FIXED_NOW + timedelta(hours=5), outage_kind="temporary"))
    assert "重要客户" in temporary["record"]["notice_warning"]
    quiet = push_one(dispatcher, "outage_event", "create", fields=planned_fields(
        grid, FIXED_NOW + timedelta(hours=5), outage_kind="temporary", device_ids=[grid.t3]))
    assert quiet["record"]["notice_warning"] is None and quiet["record"]["accounts_affected"] == 1

    # The event reaches another desk of the office by pull, and no desk of another office.
    seen = stored(clerk, "outage_event", short["entity_id"])
    assert seen is not None and seen["device_ids"] == [grid.b]
    other, _ = desk("clerk_b").pull_all(f"office:{desk('clerk_b').office}")
    assert ("outage_event", short["entity_id"]) not in other and ("grid_device", grid.f) not in other
    assert stored(clerk, "grid_device", grid.t1)["parent_id"] == grid.b  # type: ignore[index]


def test_bad_input_is_refused_and_nothing_is_stored(desk: DeskFactory) -> None:
    admin, clerk, dispatcher = desk("admin_a"), desk("clerk_a"), desk("dispatcher_a")
    grid = SmallGrid(admin, clerk)
    start = FIXED_NOW + timedelta(days=9)
    cases = [
        (planned_fields(grid, start, ends_at=(start - timedelta(hours=1)).isoformat()), "结束时间"),
        (planned_fields(grid, start, device_ids=["nowhere"]), "没有设备"),
        (planned_fields(grid, start, device_ids=[]), "停电范围"),
        (planned_fields(grid, start, reason="  "), "原因"),
        (planned_fields(grid, start, reason="长" * 201), "200"),
        (planned_fields(grid, start, outage_kind="arrears"), "停电类型"),
        (planned_fields(grid, start, ends_at=None), "结束时间"),
    ]
    for fields, needle in cases:
        result = push_one(dispatcher, "outage_event", "create", fields=fields)
        assert result["status"] == "rejected" and result["code"] == "invalid_input", (fields, result)
        assert needle in result["reason"], (needle, result["reason"])
        assert stored(dispatcher, "outage_event", result["entity_id"]) is None

    # The grid stays whole: a 台区 under a 台区, a parent of nowhere, an account on a switch.
    for fields in ({"device_kind": "transformer", "parent_id": grid.t1, "name": "x"},
                   {"device_kind": "branch", "parent_id": "nowhere", "name": "x"},
                   {"device_kind": "feeder", "parent_id": None, "name": " "}):
        result = push_one(admin, "grid_device", "create", fields=fields)
        assert result["status"] == "rejected" and result["code"] == "invalid_input", result
        assert stored(admin, "grid_device", result["entity_id"]) is None
    customer = clerk.new_customer()
    result = push_one(clerk, "account", "create", fields={"customer_id": customer["id"], "account_no": "9000000001",
                                                          "transformer_id": grid.b})
    assert result["status"] == "rejected" and "台区" in result["reason"]


def test_who_may_do_what(desk: DeskFactory) -> None:
    admin, clerk = desk("admin_a"), desk("clerk_a")
    grid = SmallGrid(admin, clerk)
    fields = planned_fields(grid, FIXED_NOW + timedelta(days=10))
    for name in ("clerk_a", "hotline_a", "marketing_a", "manager_a"):
        result = push_one(desk(name), "outage_event", "create", fields=fields)
        assert result["status"] == "rejected" and result["code"] in {"forbidden", "read_only"}, (name, result)
    for name in ("dispatcher_a", "supervisor_a"):
        assert push_one(desk(name), "outage_event", "create", fields=fields)["status"] == "applied", name
    device = push_one(desk("dispatcher_a"), "grid_device", "create",
                      fields={"device_kind": "feeder", "name": "擅自添加的线路"})
    assert device["status"] == "rejected" and device["code"] == "forbidden"
    assert push_one(desk("clerk_b"), "outage_event", "create", fields=fields)["status"] == "rejected"


def test_a_fault_is_confirmed_with_its_plan_found_by_the_hotline_and_restored(desk: DeskFactory) -> None:
    admin, clerk, dispatcher, hotline = desk("admin_a"), desk("clerk_a"), desk("dispatcher_a"), desk("hotline_a")
    grid = SmallGrid(admin, clerk)
    created = push_one(dispatcher, "outage_event", "create", fields={
        "outage_kind": "fault", "device_ids": [grid.b], "reason": "分支熔断器跌落", "starts_at": FIXED_NOW.isoformat()})
    assert created["status"] == "applied", created
    event_id = created["entity_id"]
    assert created["record"]["state"] == "predicted" and created["record"]["tasks"] == []

    def lookup(account: str, who: Desk = hotline) -> Any:
        response = who.client.get("/api/v1/outages/lookup", params={"account_id": account}, headers=who.headers)
        assert response.status_code == 200, response.text
        return response.json()["event"]

    assert lookup(grid.account_on(grid.t1))["id"] == event_id  # a predicted event is told to callers too
    assert lookup(grid.account_on(grid.t3)) is None  # T3 hangs from the feeder, outside the branch

    def move(source: str, target: str, reason: str | None = None) -> dict[str, Any]:
        return push_one(dispatcher, "outage_event", "transition", event_id,
                        transition={"from_state": source, "to_state": target, "reason": reason})

    confirmed = move("predicted", "active")
    assert confirmed["status"] == "applied", confirmed
    record = confirmed["record"]
    assert record["level"] == "III"  # an important customer inside raises it
    assert record["confirmed_by"] == dispatcher.session["staff"]["id"]
    tasks = {t["code"]: t for t in record["tasks"]}
    assert {t["department"] for t in record["tasks"]} == {"dispatch", "operations", "service", "marketing"}
    confirmed_at = datetime.fromisoformat(record["confirmed_at"])
    assert datetime.fromisoformat(tasks["arrive"]["due_at"]) - confirmed_at == timedelta(minutes=90)  # rural
    assert datetime.fromisoformat(record["ends_at"]) - confirmed_at == timedelta(minutes=90 + 240)

    # A nested, more specific event wins for its callers.
    nested = push_one(dispatcher, "outage_event", "create", fields={
        "outage_kind": "fault", "device_ids": [grid.t2], "reason": "台区变压器烧毁", "starts_at": FIXED_NOW.isoformat()})
    assert lookup(grid.account_on(grid.t2))["id"] == nested["entity_id"]
    assert lookup(grid.account_on(grid.t1))["id"] == event_id

    updated = push_one(dispatcher, "outage_event", "update", event_id,
                       fields={"reason": "分支熔断器跌落，已更换", "ends_at": (FIXED_NOW + timedelta(hours=2)).isoformat()},
                       base={"reason": "分支熔断器跌落", "ends_at": record["ends_at"]})
    assert updated["status"] == "applied" and updated["record"]["reason"] == "分支熔断器跌落，已更换"
    assert lookup(grid.account_on(grid.t1))["reason"] == "分支熔断器跌落，已更换"
    refused = push_one(dispatcher, "outage_event", "update", event_id, fields={"reason": " "}, base={})
    assert refused["status"] == "rejected" and stored(dispatcher, "outage_event", event_id)["reason"] == "分支熔断器跌落，已更换"  # type: ignore[index]

    restored = move("active", "restored")
    assert restored["status"] == "applied" and restored["record"]["restored_at"] is not None
    assert lookup(grid.account_on(grid.t1)) is None
    assert move("restored", "active")["code"] == "invalid_transition"  # re-opening needs a reason
    reopened = move("restored", "active", "来电仍在继续")
    assert reopened["status"] == "applied" and reopened["record"]["restored_at"] is None
    assert reopened["record"]["tasks"] == record["tasks"]  # the plan opened once

    # The prefecture's reader has no screen pop; another office's desk cannot look into this one.
    manager = desk("manager_a")
    response = manager.client.get("/api/v1/outages/lookup", params={"account_id": grid.account_on(grid.t1)},
                                   headers=manager.headers)
    assert response.status_code == 403
    other = desk("clerk_b")
    response = other.client.get("/api/v1/outages/lookup", params={"account_id": grid.account_on(grid.t1)},
                                headers=other.headers)
    assert response.status_code in (403, 404)


def test_calls_linked_to_a_live_event_are_counted_once_with_their_callers(desk: DeskFactory) -> None:
    admin, clerk, dispatcher, hotline = desk("admin_a"), desk("clerk_a"), desk("dispatcher_a"), desk("hotline_a")
    grid = SmallGrid(admin, clerk)
    event = push_one(dispatcher, "outage_event", "create", fields={
        "outage_kind": "fault", "device_ids": [grid.f], "reason": "线路跳闸", "starts_at": FIXED_NOW.isoformat()})
    event_id = event["entity_id"]
    first, second = clerk.new_customer(name="钱一"), clerk.new_customer(name="孙二")

    def call(customer: dict[str, Any], **overrides: Any) -> dict[str, Any]:
        return hotline.mutation("interaction", "create", fields={
            "customer_id": customer["id"], "channel": "hotline", "type": "call", "at": FIXED_NOW.isoformat(),
            "summary": "家中停电", "outage_event_id": event_id, **overrides})

    once = call(first)
    results = hotline.push(once, call(first), call(second))
    assert [r["status"] for r in results] == ["applied"] * 3, results
    assert hotline.push(once)[0]["status"] == "applied"  # a replayed push is answered from the ledger
    record = stored(hotline, "outage_event", event_id)
    assert record is not None and record["call_count"] == 3 and record["caller_count"] == 2

    # Over or unknown events, and contacts that are not calls or visits, are refused and not counted.
    refused = hotline.push(call(first, type="ticket_step"), call(first, outage_event_id="no-such-event"))
    assert [r["status"] for r in refused] == ["rejected", "rejected"], refused
    push_one(dispatcher, "outage_event", "transition", event_id, transition={"from_state": "predicted",
                                                                             "to_state": "active"})
    push_one(dispatcher, "outage_event", "transition", event_id, transition={"from_state": "active",
                                                                             "to_state": "restored"})
    late = hotline.push(call(second))[0]
    assert late["status"] == "rejected" and "普通报修" in late["reason"]
    assert stored(hotline, "outage_event", event_id)["call_count"] == 3  # type: ignore[index]
    for result in refused + [late]:
        assert stored(hotline, "interaction", result["entity_id"]) is None
