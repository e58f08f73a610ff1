"""A ticket's state follows its first taken stage (issue 12): 已受理 → 处理中 when someone takes a stage,
not only when a stage is done; the change is in the ticket's history."""

from __future__ import annotations

from collections.abc import Callable

from tests.backend.desk import Desk
from tests.backend.test_workflow import create_connection, move, tasks_of

DeskFactory = Callable[[str], Desk]


def test_taking_the_first_stage_puts_the_ticket_in_progress(desk: DeskFactory) -> None:
    clerk, marketing = desk("clerk_a"), desk("marketing_a")
    ticket = create_connection(clerk)["record"]
    assert ticket["state"] == "accepted"
    tasks = tasks_of(marketing, ticket["id"])
    taken = move(marketing, "stage_task", tasks["survey"], "taken")
    assert taken["status"] == "applied", taken
    rows, _ = clerk.pull_all("office:county-a")
    assert rows[("ticket", ticket["id"])]["state"] == "in_progress"

    # The second stage taken changes nothing more.
    again = move(marketing, "stage_task", tasks["contract"], "taken")
    assert again["status"] == "applied", again
    rows, _ = clerk.pull_all("office:county-a")
    assert rows[("ticket", ticket["id"])]["state"] == "in_progress"
    steps = [r["summary"] for (entity, _id), r in rows.items()
             if entity == "interaction" and r.get("ticket_id") == ticket["id"] and r.get("type") == "ticket_step"]
    assert sum("处理中" in step for step in steps) == 1, steps  # in 历史, once
