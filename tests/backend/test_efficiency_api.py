"""The efficiency monitor's read API over HTTP, scoped by role: a supervisor reads their office, the
prefecture manager (read-only) every office side by side with the roll-up; weights per office."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from tests.backend.desk import Desk
from tests.backend.test_workflow import CONNECTION_FIELDS, create_connection
from tests.harness.waiting import wait_until

DeskFactory = Callable[[str], Desk]


def _get(desk: Desk, path: str, **params: Any) -> httpx.Response:
    return desk.client.get(f"/api/v1/efficiency/{path}", params=params, headers=desk.headers)


def test_supervisor_reads_their_office_and_the_manager_every_office(desk: DeskFactory) -> None:
    clerk, supervisor, manager = desk("clerk_a"), desk("supervisor_a"), desk("manager_a")
    create_connection(clerk)  # accepted 2026-03-02 in the hall
    own = _get(supervisor, "overview", start="2026-03-01", end="2026-03-31")
    assert own.status_code == 200, own.text
    body = own.json()
    assert [o["office_id"] for o in body["offices"]] == ["county-a"]
    assert body["offices"][0]["indicators"]["accepted"] >= 1
    assert body["rollup"] == body["offices"][0]["indicators"]
    assert _get(supervisor, "overview", office="county-b").json()["error"]["code"] == "out_of_scope"

    side_by_side = _get(manager, "overview", start="2026-03-01", end="2026-03-31").json()
    offices = {o["office_id"]: o["indicators"] for o in side_by_side["offices"]}
    assert {"county-a", "county-b"} <= set(offices)
    assert side_by_side["rollup"]["accepted"] == sum(i["accepted"] for i in offices.values())
    assert _get(manager, "overview", office="county-b").status_code == 200

    assert _get(clerk, "overview").status_code == 403
    bad = _get(supervisor, "overview", start="2026-03-31", end="2026-03-01")
    assert bad.status_code == 400 and "开始日期晚于结束日期" in bad.text


def test_weights_are_set_by_the_supervisor_and_read_with_the_ranking(desk: DeskFactory) -> None:
    supervisor, manager, marketing = desk("supervisor_a"), desk("manager_a"), desk("marketing_a")

    def put(who: Desk, **body: Any) -> httpx.Response:
        return who.client.put("/api/v1/efficiency/weights", json=body, headers=who.headers)

    assert put(manager, lead=0.5, peer=0.25, customer=0.25).status_code == 403  # read-only
    zero = put(supervisor, lead=0, peer=0, customer=0)
    assert zero.status_code == 400 and "权重之和须大于 0" in zero.text
    assert put(supervisor, lead=0.5, peer=0.25, customer=0.25, office_id="county-b").status_code == 403
    assert put(supervisor, lead=0.5, peer=0.25, customer=0.25).status_code == 200
    mine = _get(marketing, "evaluations", month="2026-03")
    assert mine.status_code == 200, mine.text
    (office,) = mine.json()
    assert office["office_id"] == "county-a" and office["weights"] == {"lead": 0.5, "peer": 0.25, "customer": 0.25}
    assert _get(marketing, "evaluations", office="county-b").status_code == 403
    assert {o["office_id"] for o in _get(manager, "evaluations", month="2026-03").json()} >= {"county-a", "county-b"}
    assert _get(supervisor, "evaluations", month="March").status_code == 400
    assert put(supervisor, lead=0.4, peer=0.3, customer=0.3).status_code == 200  # the shared server's default again


def _accepted_long_ago(clerk: Desk) -> None:
    customer = clerk.new_customer()
    (result,) = clerk.push(clerk.mutation("ticket", "create", fields={
        "type_code": "connection_residential", "channel": "hall", "customer_id": customer["id"], "summary": "新装",
        "fields": CONNECTION_FIELDS, "materials": ["identity", "property_proof"],
        "accepted_at": "2026-01-05T01:00:00+00:00"}))
    assert result["status"] == "applied", result


def test_an_alert_raised_after_a_push_is_acknowledged_and_resolved_with_a_note(desk: DeskFactory) -> None:
    """The server's runner evaluates the office a few seconds after a push; one alert per rule × slice."""
    clerk, supervisor, manager = desk("clerk_a"), desk("supervisor_a"), desk("manager_a")
    rules = _get(supervisor, "rules")
    assert rules.status_code == 200 and {r["code"] for r in rules.json()} >= {"overdue_backlog", "stage_time"}

    def put_rule(who: Desk, **body: Any) -> httpx.Response:
        return who.client.put("/api/v1/efficiency/rules/overdue_backlog", json=body, headers=who.headers)

    assert put_rule(manager, kind="backlog_above", params={"limit": 0}).status_code == 403
    bad = put_rule(supervisor, kind="backlog_above", params={"limit": -1})
    assert bad.status_code == 400 and "limit" in bad.text
    _accepted_long_ago(clerk)  # due weeks before the server's clock
    assert put_rule(supervisor, kind="backlog_above", params={"limit": 0}).status_code == 200
    create_connection(clerk)  # any push: the office is evaluated again a few seconds later

    def backlog_alerts() -> list[dict[str, Any]]:
        return [a for a in _get(supervisor, "alerts").json() if a["rule_code"] == "overdue_backlog"]

    (alert,) = wait_until(backlog_alerts, timeout=60, what="the backlog alert")
    assert alert["office_id"] == "county-a" and alert["state"] == "open"
    assert alert["evidence"]["limit"] == 0 and alert["evidence"]["value"] == len(alert["ticket_ids"]) > 0
    _accepted_long_ago(clerk)  # one more overdue: the open alert's evidence follows, no second alert
    wait_until(lambda: [a for a in backlog_alerts() if a["evidence"]["value"] == alert["evidence"]["value"] + 1],
               timeout=60, what="the alert refreshed")
    assert len(backlog_alerts()) == 1
    assert any(a["id"] == alert["id"] for a in _get(manager, "alerts").json())  # the manager reads it

    def act(who: Desk, action: str, note: str) -> httpx.Response:
        return who.client.post(f"/api/v1/efficiency/alerts/{alert['id']}/{action}", json={"note": note},
                               headers=who.headers)

    assert act(manager, "acknowledge", "看到了").status_code == 403
    assert act(supervisor, "acknowledge", "  ").status_code == 400
    acknowledged = act(supervisor, "acknowledge", "已安排营销部清理积压")
    assert acknowledged.status_code == 200 and acknowledged.json()["state"] == "acknowledged"
    assert act(supervisor, "acknowledge", "again").status_code == 409
    assert put_rule(supervisor, kind="backlog_above", params={"limit": 20}).status_code == 200  # the default again
    resolved = act(supervisor, "resolve", "积压已清理")
    assert resolved.status_code == 200 and resolved.json()["resolve_note"] == "积压已清理"
    assert act(supervisor, "resolve", "again").status_code == 409
    assert backlog_alerts() == []
    history = _get(supervisor, "alerts", include_resolved="true").json()
    assert any(a["id"] == alert["id"] and a["state"] == "resolved" for a in history)
    entries = supervisor.client.get("/api/v1/audit", params={"limit": 1000}, headers=supervisor.headers).json()
    actions = {(e["action"], e["subject"]) for e in entries["entries"]}
    assert {("efficiency_alert.acknowledge", alert["id"]), ("efficiency_alert.resolve", alert["id"]),
            ("efficiency_rule.set", "overdue_backlog")} <= actions


def test_a_supervisor_sets_a_tiles_target_as_a_rule_that_never_fires(desk: DeskFactory) -> None:
    supervisor, manager = desk("supervisor_a"), desk("manager_a")

    def put_target(who: Desk, **body: Any) -> httpx.Response:
        return who.client.put("/api/v1/efficiency/rules/target_online_share",
                              json={"kind": "target", "indicator": "online_share", **body}, headers=who.headers)

    assert put_target(manager, params={"value": 0.3}).status_code == 403
    bad = put_target(supervisor, params={"value": 30})  # a share, not a percentage
    assert bad.status_code == 400 and "online_share 的目标值须为 0–1 之间的数" in bad.text
    assert put_target(supervisor, params={"value": 0.3}).status_code == 200
    (target,) = [r for r in _get(supervisor, "rules").json() if r["code"] == "target_online_share"]
    assert target == {"code": "target_online_share", "kind": "target", "indicator": "online_share",
                      "params": {"value": 0.3}, "enabled": True, "default": False}
    assert put_target(supervisor, params={"value": 0.3}, enabled=False).status_code == 200  # as before


def test_the_trend_series_is_one_overview_per_point_in_one_request(desk: DeskFactory) -> None:
    clerk, manager = desk("clerk_a"), desk("manager_a")
    create_connection(clerk)
    create_connection(clerk)

    def without_now(answer: dict[str, Any]) -> dict[str, Any]:
        """The overdue backlog is a figure of the moment asked (each request its own): left out of the comparison."""
        def strip(indicators: dict[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in indicators.items() if k != "overdue_backlog"}
        return {"start": answer["start"], "end": answer["end"], "rollup": strip(answer["rollup"]),
                "offices": [{**o, "indicators": strip(o["indicators"])} for o in answer["offices"]],
                **{part: [{**row, "indicators": strip(row["indicators"])} for row in answer[part]]
                   for part in ("by_department", "by_stage", "by_type")}}

    series = _get(manager, "series", start="2026-02-27", end="2026-03-04")
    assert series.status_code == 200, series.text
    points = series.json()
    assert [(p["start"], p["end"]) for p in points] == [(f"2026-0{m}-{d:02d}",) * 2 for m, d in
                                                         ((2, 27), (2, 28), (3, 1), (3, 2), (3, 3), (3, 4))]
    for point in points:
        alone = _get(manager, "overview", start=point["start"], end=point["end"]).json()
        assert without_now(point) == without_now(alone)
    assert sum(p["rollup"]["accepted"] for p in points) == \
        _get(manager, "overview", start="2026-02-27", end="2026-03-04").json()["rollup"]["accepted"] >= 2
    weeks = _get(manager, "series", start="2026-01-01", end="2026-03-31").json()  # 90 days: by 7 days
    assert len(weeks) == 13 and (weeks[0]["start"], weeks[0]["end"]) == ("2026-01-01", "2026-01-07")
    assert weeks[-1]["end"] == "2026-03-31"
    assert _get(clerk, "series").status_code == 403
