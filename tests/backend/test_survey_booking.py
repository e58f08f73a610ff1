"""Booking surveys on the server: fields land with the transition, the hard rules and dispatch locks are re-checked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from domain.records import LeavePeriod
from tests.backend.coordination import local, seed, set_clock, survey, surveyor
from tests.backend.desk import FIXED_NOW, Desk
from tests.backend.server_process import ServerProcess

TUESDAY = (2026, 3, 3)


@pytest.fixture
def dispatchers(clocked_server: ServerProcess) -> Iterator[tuple[Desk, Desk]]:
    """Two dispatcher desks (two sessions), signed in at the fixed time."""
    set_clock(clocked_server, FIXED_NOW)
    first, second = Desk(clocked_server.url, "dispatcher_a"), Desk(clocked_server.url, "dispatcher_a")
    yield first, second
    first.close()
    second.close()


def book(desk: Desk, row: dict[str, Any] | Any, surveyor_id: str, start: datetime, minutes: int = 60,
         from_state: str = "unassigned") -> dict[str, Any]:
    fields = {"surveyor_id": surveyor_id, "start": start.isoformat(), "end": (start + timedelta(minutes=minutes)).isoformat()}
    (result,) = desk.push(desk.mutation("survey_assignment", "transition", row.id, fields=fields,
                                        transition={"from_state": from_state, "to_state": "assigned"}))
    return result


def test_a_booking_lands_with_its_transition(clocked_server: ServerProcess, dispatchers: tuple[Desk, Desk]) -> None:
    desk, _ = dispatchers
    worker, job = surveyor(), survey()
    seed(clocked_server, worker, job)
    result = book(desk, job, worker.id, local(*TUESDAY, 10))
    assert result["status"] == "applied", result
    record = result["record"]
    assert record["state"] == "assigned" and record["surveyor_id"] == worker.id
    assert datetime.fromisoformat(record["start"]) == local(*TUESDAY, 10)
    rows, _ = desk.pull_all("office:county-a")
    assert rows[("survey_assignment", job.id)]["surveyor_id"] == worker.id
    assert rows[("surveyor", worker.id)]["shift_start"] == "08:30:00"


def test_another_desk_booking_the_same_survey_is_already_assigned(
    clocked_server: ServerProcess, dispatchers: tuple[Desk, Desk]
) -> None:
    first, second = dispatchers
    one, two, job = surveyor(), surveyor(name="王勘查"), survey()
    seed(clocked_server, one, two, job)
    assert book(first, job, one.id, local(*TUESDAY, 10))["status"] == "applied"
    late = book(second, job, two.id, local(*TUESDAY, 14))
    assert late["status"] == "rejected" and late["code"] == "already_assigned"
    assert "another desk" in late["reason"] and late["record"]["surveyor_id"] == one.id


def test_hard_rules_are_rechecked_on_the_server(clocked_server: ServerProcess, dispatchers: tuple[Desk, Desk]) -> None:
    desk, _ = dispatchers
    worker = surveyor(daily_capacity=2, work_days=[0, 1, 2, 3, 4],
                      leave=[LeavePeriod(start=local(2026, 3, 4, 0), end=local(2026, 3, 5, 0), reason="年假")])
    booked = [survey(), survey()]
    seed(clocked_server, worker, *booked)
    assert book(desk, booked[0], worker.id, local(*TUESDAY, 9))["status"] == "applied"
    cases = [
        (survey(), local(*TUESDAY, 9, 30), "hard_rule:no_double_booking", "double booking"),
        (survey(), local(2026, 3, 4, 10), "surveyor_on_leave", "leave"),
        (survey(), local(2026, 3, 7, 10), "hard_rule:on_duty", "on duty"),  # a Saturday, off the roster
        (survey(territory="south"), local(*TUESDAY, 14), "hard_rule:territory", "territory"),
        (survey(required_skill="high_voltage"), local(*TUESDAY, 14), "hard_rule:skill", "qualification"),
        (survey(window_start=local(*TUESDAY, 15), window_end=local(*TUESDAY, 17)), local(*TUESDAY, 13),
         "hard_rule:time_window", "time window"),
    ]
    seed(clocked_server, *(job for job, *_ in cases))
    for job, start, code, words in cases:
        result = book(desk, job, worker.id, start)
        assert result["status"] == "rejected", (code, result)
        assert result["code"] == code and words in result["reason"] and worker.name in result["reason"]
        assert result["record"]["state"] == "unassigned" and result["record"]["surveyor_id"] is None
    assert book(desk, booked[1], worker.id, local(*TUESDAY, 13))["status"] == "applied"
    full = survey()
    seed(clocked_server, full)
    over = book(desk, full, worker.id, local(*TUESDAY, 15))
    assert over["code"] == "hard_rule:capacity", over


def test_a_separate_update_that_breaks_a_rule_leaves_the_row_as_it_was(
    clocked_server: ServerProcess, dispatchers: tuple[Desk, Desk]
) -> None:
    desk, _ = dispatchers
    worker, first, second = surveyor(), survey(), survey()
    seed(clocked_server, worker, first, second)
    assert book(desk, first, worker.id, local(*TUESDAY, 10))["status"] == "applied"
    booked = book(desk, second, worker.id, local(*TUESDAY, 13))["record"]
    clash = {"start": local(*TUESDAY, 10, 30).isoformat(), "end": local(*TUESDAY, 11, 30).isoformat()}
    base = {"start": booked["start"], "end": booked["end"]}
    (moved,) = desk.push(desk.mutation("survey_assignment", "update", second.id, fields=clash, base=base))
    assert moved["status"] == "rejected" and moved["code"] == "hard_rule:no_double_booking", moved
    assert datetime.fromisoformat(moved["record"]["start"]) == local(*TUESDAY, 13)
    rows, _ = desk.pull_all("office:county-a")
    assert datetime.fromisoformat(rows[("survey_assignment", second.id)]["start"]) == local(*TUESDAY, 13)


def _lock(desk: Desk, surveyor_ids: list[str], day: str, minutes: int = 5) -> Any:
    return desk.client.post("/api/v1/dispatch/locks", headers=desk.headers,
                            json={"surveyor_ids": surveyor_ids, "day": day, "minutes": minutes})


def test_a_dispatch_lock_holds_other_desks_off_until_released_or_expired(
    clocked_server: ServerProcess, dispatchers: tuple[Desk, Desk]
) -> None:
    planner, other = dispatchers
    worker, free_worker = surveyor(), surveyor(name="赵勘查")
    jobs = [survey() for _ in range(4)]
    seed(clocked_server, worker, free_worker, *jobs)
    taken = _lock(planner, [worker.id], "2026-03-03")
    assert taken.status_code == 200, taken.text
    assert datetime.fromisoformat(taken.json()["expires_at"]) == FIXED_NOW + timedelta(minutes=5)
    refused = _lock(other, [free_worker.id, worker.id], "2026-03-03")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "locked"
    assert _lock(other, [worker.id], "2026-03-04").status_code == 200  # another day is free
    blocked = book(other, jobs[0], worker.id, local(*TUESDAY, 10))
    assert blocked["status"] == "rejected" and blocked["code"] == "surveyor_locked", blocked
    assert book(other, jobs[1], free_worker.id, local(*TUESDAY, 10))["status"] == "applied"
    assert book(planner, jobs[2], worker.id, local(*TUESDAY, 10))["status"] == "applied"  # the holder books
    lock_id = taken.json()["lock_id"]
    assert other.client.delete(f"/api/v1/dispatch/locks/{lock_id}", headers=other.headers).status_code == 404
    assert planner.client.delete(f"/api/v1/dispatch/locks/{lock_id}", headers=planner.headers).status_code == 204
    assert book(other, jobs[0], worker.id, local(*TUESDAY, 14))["status"] == "applied"
    # a lock nobody releases expires by the (injected) clock
    assert _lock(planner, [free_worker.id], "2026-03-05", minutes=1).status_code == 200
    assert book(other, jobs[3], free_worker.id, local(2026, 3, 5, 10))["code"] == "surveyor_locked"
    set_clock(clocked_server, FIXED_NOW + timedelta(minutes=1, seconds=1))
    assert book(other, jobs[3], free_worker.id, local(2026, 3, 5, 10))["status"] == "applied"
    assert _lock(other, [free_worker.id], "2026-03-05").status_code == 200


def test_a_lock_names_surveyors_of_ones_own_office(clocked_server: ServerProcess, dispatchers: tuple[Desk, Desk]) -> None:
    desk, _ = dispatchers
    stranger = surveyor(office_id="county-b")
    seed(clocked_server, stranger)
    assert _lock(desk, [stranger.id], "2026-03-03").status_code == 403
    assert _lock(desk, ["nobody"], "2026-03-03").status_code == 404
    assert _lock(desk, [stranger.id], "2026-03-03", minutes=0).status_code == 400
