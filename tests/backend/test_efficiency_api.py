"""The efficiency monitor's read API over HTTP, scoped by role: a supervisor reads their office, the
prefecture manager (read-only) every office side by side with the roll-up; weights per office."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from tests.backend.desk import Desk
from tests.backend.test_workflow import create_connection

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
