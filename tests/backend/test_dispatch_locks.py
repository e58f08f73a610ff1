"""Listing dispatch locks: who plans which surveyor on a day, so a desk can name the holder when refused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.backend.coordination import seed, set_clock, surveyor
from tests.backend.desk import FIXED_NOW, Desk
from tests.backend.server_process import ServerProcess


@pytest.fixture
def desks(clocked_server: ServerProcess) -> Iterator[tuple[Desk, Desk, Desk]]:
    """A dispatcher and a supervisor of county-a, and a clerk of county-b, signed in at the fixed time."""
    set_clock(clocked_server, FIXED_NOW)
    signed_in = (Desk(clocked_server.url, "dispatcher_a"), Desk(clocked_server.url, "supervisor_a"),
                 Desk(clocked_server.url, "clerk_b"))
    yield signed_in
    for desk in signed_in:
        desk.close()


def _lock(desk: Desk, surveyor_ids: list[str], day: str, minutes: int = 5) -> Any:
    return desk.client.post("/api/v1/dispatch/locks", headers=desk.headers,
                            json={"surveyor_ids": surveyor_ids, "day": day, "minutes": minutes})


def _held(desk: Desk, day: str) -> list[dict[str, Any]]:
    response = desk.client.get("/api/v1/dispatch/locks", headers=desk.headers, params={"day": day})
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def test_live_locks_name_their_holder_and_expire_from_the_list(
    clocked_server: ServerProcess, desks: tuple[Desk, Desk, Desk]
) -> None:
    planner, boss, stranger = desks
    one, two, three = surveyor(), surveyor(name="王勘查"), surveyor(name="赵勘查")
    seed(clocked_server, one, two, three)
    assert _lock(planner, [one.id, two.id], "2026-03-03", minutes=2).status_code == 200
    assert _lock(boss, [three.id], "2026-03-03", minutes=10).status_code == 200
    assert _lock(planner, [three.id], "2026-03-04").status_code == 200  # another day: not listed below

    seen = {row["surveyor_id"]: row for row in _held(boss, "2026-03-03")}
    assert set(seen) == {one.id, two.id, three.id}
    assert seen[one.id]["holder_name"] == seen[two.id]["holder_name"] != seen[three.id]["holder_name"]
    assert not seen[one.id]["mine"] and seen[three.id]["mine"]
    assert datetime.fromisoformat(seen[one.id]["expires_at"]) == FIXED_NOW + timedelta(minutes=2)
    assert seen[one.id]["staff_id"] == planner.session["staff"]["id"]
    refused = _lock(boss, [one.id], "2026-03-03")
    assert refused.status_code == 409 and seen[one.id]["holder_name"] in refused.json()["error"]["message"]

    assert _held(stranger, "2026-03-03") == []  # another office's locks are not shown
    set_clock(clocked_server, FIXED_NOW + timedelta(minutes=2, seconds=1))
    assert [row["surveyor_id"] for row in _held(planner, "2026-03-03")] == [three.id]  # the 2-minute lock ran out


def test_listing_needs_a_day(clocked_server: ServerProcess, desks: tuple[Desk, Desk, Desk]) -> None:
    planner, _, _ = desks
    assert planner.client.get("/api/v1/dispatch/locks", headers=planner.headers).status_code == 400
    bad = planner.client.get("/api/v1/dispatch/locks", headers=planner.headers, params={"day": "tuesday"})
    assert bad.status_code == 400
