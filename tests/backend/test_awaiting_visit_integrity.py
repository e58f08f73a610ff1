"""The server refuses 转待回访 while a mandatory stage is open (domain.ticket_rules), and the history
holds every state change it did apply, none it refused."""

from __future__ import annotations

from collections.abc import Callable

from tests.backend.desk import Desk
from tests.backend.test_workflow import create_connection, move, tasks_of

DeskFactory = Callable[[str], Desk]


def _moves_in_history(desk: Desk, ticket_id: str) -> list[str]:
    rows, _ = desk.pull_all("office:county-a")
    return [data["summary"] for (kind, _id), data in rows.items()
            if kind == "interaction" and data.get("ticket_id") == ticket_id
            and data["type"] == "ticket_step" and " → " in data["summary"]]


def test_awaiting_visit_is_refused_while_the_survey_is_open(desk: DeskFactory) -> None:
    clerk = desk("clerk_a")
    ticket = create_connection(clerk)["record"]
    started = move(clerk, "ticket", ticket, "in_progress")
    assert started["status"] == "applied", started
    refused = move(clerk, "ticket", started["record"], "awaiting_visit")
    assert refused["status"] == "rejected" and refused["code"] == "invalid_transition"
    assert "勘查" in refused["reason"] and "不能转待回访" in refused["reason"] and "return visit" in refused["reason"]
    assert refused["record"]["state"] == "in_progress"
    assert {t["state"] for t in tasks_of(clerk, ticket["id"]).values()} == {"done", "open"}
    assert _moves_in_history(clerk, ticket["id"]) == ["工单：已受理 → 处理中"]
