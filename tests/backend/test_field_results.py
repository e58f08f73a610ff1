"""Survey results from the field devices close the survey and move the workflow on."""

from __future__ import annotations

import httpx

from tests.backend.coordination import local, seed, set_clock, surveyor
from tests.backend.desk import FIXED_NOW, Desk
from tests.backend.server_process import CHANNEL_KEY, ServerProcess
from tests.backend.test_workflow import create_connection, tasks_of


def test_a_field_result_completes_the_survey_stage(clocked_server: ServerProcess) -> None:
    set_clock(clocked_server, FIXED_NOW)
    clerk, dispatcher = Desk(clocked_server.url, "clerk_a"), Desk(clocked_server.url, "dispatcher_a")
    try:
        ticket = create_connection(clerk)["record"]
        rows, _ = dispatcher.pull_all("office:county-a")
        (job,) = [d for (e, _), d in rows.items() if e == "survey_assignment" and d["ticket_id"] == ticket["id"]]
        assert job["customer_id"] == ticket["customer_id"] and job["due_at"] is not None
        worker = surveyor(staff_id=dispatcher.session["staff"]["id"])
        seed(clocked_server, worker)
        start = local(2026, 3, 2, 14)
        (booked,) = dispatcher.push(dispatcher.mutation(
            "survey_assignment", "transition", job["id"],
            fields={"surveyor_id": worker.id, "start": start.isoformat()},
            transition={"from_state": "unassigned", "to_state": "assigned"}))
        assert booked["status"] == "applied", booked
        body = {"assignment_id": job["id"], "outcome": {"capacity_kw": 8, "remark": "表位已具备"},
                "completed_at": local(2026, 3, 2, 15).isoformat()}
        url = f"{clocked_server.url}/api/v1/channels/field/survey-results"
        assert httpx.post(url, json=body).status_code == 401
        answer = httpx.post(url, json=body, headers={"X-Channel-Key": CHANNEL_KEY})
        assert answer.status_code == 200, answer.text
        assert answer.json()["state"] == "done" and answer.json()["stage_task_state"] == "done"
        again = httpx.post(url, json=body, headers={"X-Channel-Key": CHANNEL_KEY})
        assert again.json() == answer.json()
        rows, _ = clerk.pull_all("office:county-a")
        stored = rows[("survey_assignment", job["id"])]
        assert stored["state"] == "done" and stored["outcome"]["capacity_kw"] == 8
        tasks = tasks_of(clerk, ticket["id"])
        assert tasks["survey"]["state"] == "done" and tasks["survey"]["result"]["survey"]["remark"] == "表位已具备"
        assert rows[("ticket", ticket["id"])]["state"] == "in_progress"
        missing = httpx.post(url, json={**body, "assignment_id": "nope"}, headers={"X-Channel-Key": CHANNEL_KEY})
        assert missing.status_code == 404
    finally:
        clerk.close()
        dispatcher.close()


def test_a_result_for_an_unbooked_survey_is_refused(clocked_server: ServerProcess) -> None:
    set_clock(clocked_server, FIXED_NOW)
    clerk = Desk(clocked_server.url, "clerk_a")
    try:
        ticket = create_connection(clerk)["record"]
        rows, _ = clerk.pull_all("office:county-a")
        (job,) = [d for (e, _), d in rows.items() if e == "survey_assignment" and d["ticket_id"] == ticket["id"]]
        answer = httpx.post(f"{clocked_server.url}/api/v1/channels/field/survey-results",
                            json={"assignment_id": job["id"], "outcome": {}, "completed_at": FIXED_NOW.isoformat()},
                            headers={"X-Channel-Key": CHANNEL_KEY})
        assert answer.status_code == 409 and answer.json()["error"]["code"] == "conflict"
        assert tasks_of(clerk, ticket["id"])["survey"]["state"] == "open"
    finally:
        clerk.close()


def test_a_remote_survey_done_is_a_customer_trip_avoided(clocked_server: ServerProcess) -> None:
    """客户少跑次数: the dispatcher books the survey as a video survey (the customer stays home); the field result
    closes it and the ticket's facts count one trip avoided at once, as a rebuild would (hall application: 0)."""
    from sqlalchemy import create_engine, text

    from backend.settings import database_url

    set_clock(clocked_server, FIXED_NOW)
    clerk, dispatcher = Desk(clocked_server.url, "clerk_a"), Desk(clocked_server.url, "dispatcher_a")
    engine = create_engine(database_url(str(clocked_server.db)))

    def trips(ticket_id: str) -> int:
        with engine.connect() as connection:
            stored = connection.execute(text("SELECT facts FROM efficiency_ticket WHERE ticket_id = :t"),
                                        {"t": ticket_id}).scalar_one()
        import json
        entries = json.loads(stored) if isinstance(stored, str) else stored
        return sum(int(entry[6].get("trips_avoided", 0)) for entry in entries)

    try:
        ticket = create_connection(clerk)["record"]
        rows, _ = dispatcher.pull_all("office:county-a")
        (job,) = [d for (e, _), d in rows.items() if e == "survey_assignment" and d["ticket_id"] == ticket["id"]]
        worker = surveyor(staff_id=dispatcher.session["staff"]["id"], skills=["low_voltage", "remote_video"])
        seed(clocked_server, worker)
        (booked,) = dispatcher.push(dispatcher.mutation(
            "survey_assignment", "transition", job["id"],
            fields={"surveyor_id": worker.id, "start": local(2026, 3, 2, 14).isoformat(), "mode": "remote"},
            transition={"from_state": "unassigned", "to_state": "assigned"}))
        assert booked["status"] == "applied", booked
        assert trips(ticket["id"]) == 0  # booked, not done: no trip avoided yet
        body = {"assignment_id": job["id"], "outcome": {"remark": "视频勘查：表位已具备"},
                "completed_at": local(2026, 3, 2, 15).isoformat()}
        answer = httpx.post(f"{clocked_server.url}/api/v1/channels/field/survey-results", json=body,
                            headers={"X-Channel-Key": CHANNEL_KEY})
        assert answer.status_code == 200, answer.text
        assert trips(ticket["id"]) == 1
    finally:
        engine.dispose()
        clerk.close()
        dispatcher.close()
