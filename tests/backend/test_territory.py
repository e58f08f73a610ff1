"""Surveys accepted at the desk carry their territory (辖区), read from the intake address; the dispatcher
can override it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.backend.coordination import seed, surveyor
from tests.backend.desk import Desk
from tests.backend.server_process import ServerProcess
from tests.backend.test_workflow import create_connection

DeskFactory = Callable[[str], Desk]


def _survey(desk: Desk, ticket_id: str) -> dict[str, Any]:
    rows, _ = desk.pull_all("office:county-a")
    (survey,) = [d for (kind, _id), d in rows.items() if kind == "survey_assignment" and d["ticket_id"] == ticket_id]
    return survey


def test_a_hall_accepted_survey_carries_the_territory_of_its_address(server: ServerProcess, desk: DeskFactory) -> None:
    seed(server, surveyor(territories=["城关镇", "河口镇"]))
    clerk, dispatcher = desk("clerk_a"), desk("dispatcher_a")
    ticket = create_connection(clerk)["record"]  # the form's installation address: 城关镇一号
    survey = _survey(dispatcher, ticket["id"])
    assert survey["territory"] == "城关镇"
    (moved,) = dispatcher.push(dispatcher.mutation("survey_assignment", "update", survey["id"],
                                                   fields={"territory": "河口镇"}, base={"territory": "城关镇"}))
    assert moved["status"] == "applied", moved
    assert _survey(dispatcher, ticket["id"])["territory"] == "河口镇"
