"""补充材料/信息 over real HTTP against a server process, on SQLite and PostgreSQL: the request syncs like any
record — the author set by the server, pulled by another desk of the office and by no desk of another, a replayed
push answered from the ledger without a second row, 已补齐 by the window."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.backend.desk import FIXED_NOW, Desk
from tests.backend.test_workflow import create_connection

DeskFactory = Callable[[str], Desk]


def survey_stage(desk: Desk, ticket_id: str) -> dict[str, Any]:
    rows, _ = desk.pull_all(f"office:{desk.office}")
    return next(row for (kind, _id), row in rows.items()
                if kind == "stage_task" and row["ticket_id"] == ticket_id and row["stage_code"] == "survey")


def test_a_request_syncs_once_to_its_office_and_is_met_at_the_window(desk: DeskFactory) -> None:
    clerk, marketing, boss, elsewhere = desk("clerk_a"), desk("marketing_a"), desk("supervisor_a"), desk("clerk_b")
    ticket = create_connection(clerk)
    stage = survey_stage(marketing, ticket["entity_id"])
    create = marketing.mutation("info_request", "create", fields={
        "ticket_id": ticket["entity_id"], "stage_task_id": stage["id"], "addressee": "customer",
        "materials": ["property_proof"], "detail": "请带原件", "reason": "复印件与现场地址不符",
        "requested_at": FIXED_NOW.isoformat(), "requested_by": "someone-else"})
    (first,) = marketing.push(create)
    assert first["status"] == "applied", first
    (again,) = marketing.push(create)  # the response was lost and the desk sends the same mutation again
    assert again == first

    rows, _ = boss.pull_all(f"office:{boss.office}")
    mine = [row for (kind, _id), row in rows.items() if kind == "info_request" and row["ticket_id"] == ticket["entity_id"]]
    assert len(mine) == 1
    (seen,) = mine
    assert seen["requested_by"] == marketing.session["staff"]["id"] and seen["department"] == "marketing"
    other, _ = elsewhere.pull_all(f"office:{elsewhere.office}")
    assert ("info_request", first["entity_id"]) not in other
    refused = elsewhere.push(elsewhere.mutation("info_request", "transition", first["entity_id"],
                                                transition={"from_state": "open", "to_state": "met"}))[0]
    assert refused["status"] == "rejected" and refused["code"] == "out_of_scope"

    (met,) = clerk.push(clerk.mutation("info_request", "transition", first["entity_id"], fields={"met_note": "已补交"},
                                       transition={"from_state": "open", "to_state": "met"}))
    assert met["status"] == "applied", met
    rows, _ = marketing.pull_all(f"office:{marketing.office}")
    after = rows[("info_request", first["entity_id"])]
    assert (after["state"], after["met_by"], after["met_note"]) == ("met", clerk.session["staff"]["id"], "已补交")
