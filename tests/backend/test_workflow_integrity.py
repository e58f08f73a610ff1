"""Workflow integrity on the server: no close over an open mandatory stage, no orphan tasks or survey
requests on a finished ticket, every state change in the ticket's history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.backend.desk import Desk
from tests.backend.test_workflow import create_connection, move, tasks_of

DeskFactory = Callable[[str], Desk]


def _rows(desk: Desk, entity: str, ticket_id: str) -> list[dict[str, Any]]:
    rows, _ = desk.pull_all("office:county-a")
    return [data for (kind, _id), data in rows.items() if kind == entity and data.get("ticket_id") == ticket_id]


def _is_move(interaction: dict[str, Any]) -> bool:
    """A state change in the history (SLA alerts are ticket steps too, when the shared server's clock passes them)."""
    return bool(interaction["type"] == "ticket_step" and " → " in interaction["summary"])


def test_a_ticket_with_an_open_mandatory_stage_cannot_be_closed(desk: DeskFactory) -> None:
    clerk = desk("clerk_a")
    ticket = create_connection(clerk)["record"]
    refused = move(clerk, "ticket", ticket, "closed")
    assert refused["status"] == "rejected" and refused["code"] == "invalid_transition"
    assert "尚未完成" in refused["reason"] and "勘查" in refused["reason"] and "stage is open" in refused["reason"]
    assert refused["record"]["state"] == "accepted"
    assert {t["state"] for t in tasks_of(clerk, ticket["id"]).values()} == {"done", "open"}


def test_cancelling_withdraws_stage_tasks_and_survey_requests_and_is_in_the_history(desk: DeskFactory) -> None:
    clerk, dispatcher = desk("clerk_a"), desk("dispatcher_a")
    ticket = create_connection(clerk)["record"]
    (survey,) = _rows(dispatcher, "survey_assignment", ticket["id"])
    assert survey["state"] == "unassigned"  # in the dispatch queue
    cancelled = move(clerk, "ticket", ticket, "cancelled", "客户撤回申请")
    assert cancelled["status"] == "applied", cancelled
    (survey,) = _rows(dispatcher, "survey_assignment", ticket["id"])
    assert survey["state"] == "cancelled"  # out of the queue, on every desk that pulls
    assert {t["stage_code"]: t["state"] for t in tasks_of(clerk, ticket["id"]).values()} == \
        {"accept": "done", "survey": "cancelled", "contract": "cancelled"}
    steps = [i for i in _rows(clerk, "interaction", ticket["id"]) if _is_move(i)]
    assert [s["summary"] for s in steps] == ["工单：已受理 → 已撤销（客户撤回申请）"]
    assert steps[0]["staff_id"] == clerk.session["staff"]["id"]  # the server names who did it


def test_stage_moves_are_in_the_history(desk: DeskFactory) -> None:
    clerk, marketing = desk("clerk_a"), desk("marketing_a")
    ticket = create_connection(clerk)["record"]
    taken = move(marketing, "stage_task", tasks_of(marketing, ticket["id"])["survey"], "taken")
    move(marketing, "stage_task", taken["record"], "done")
    steps = sorted(i["summary"] for i in _rows(clerk, "interaction", ticket["id"]) if _is_move(i))
    assert steps == sorted(["环节「现场勘查」：待办 → 已接", "环节「现场勘查」：已接 → 已完成", "工单：已受理 → 处理中"])
