"""转待回访 follows the close rule: not while a mandatory stage is open (domain.ticket_rules)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from domain import ticket_rules
from domain.catalogue import load_catalogue
from domain.errors import InvalidTransition
from domain.workflow import Workflow


@dataclass(frozen=True)
class Task:
    stage_code: str
    state: str


def test_a_repair_does_not_go_to_its_return_visit_while_the_crew_has_not_arrived() -> None:
    workflow = load_catalogue().ticket_type("repair").workflow
    tasks = [Task("accept_dispatch", "done"), Task("arrive", "taken")]
    with pytest.raises(InvalidTransition) as refused:
        ticket_rules.check_ticket_move("awaiting_visit", workflow, tasks)
    assert refused.value.message_zh == "环节「到达现场」尚未完成，工单不能转待回访"
    assert "return visit" in refused.value.message_en and "arrive" not in refused.value.message_zh


def test_the_return_visit_itself_and_the_windows_stages_do_not_block_it() -> None:
    workflow = load_catalogue().ticket_type("repair").workflow
    done = [Task("accept_dispatch", "done"), Task("arrive", "done"), Task("repaired", "done"),
            Task("return_visit", "open")]
    ticket_rules.check_ticket_move("awaiting_visit", workflow, done)
    enquiry = load_catalogue().ticket_type("enquiry").workflow
    ticket_rules.check_ticket_move("awaiting_visit", enquiry, [Task("accept", "done"), Task("reply", "open")])


def test_the_same_stages_block_closing_and_the_return_visit() -> None:
    catalogue = load_catalogue()
    for ticket_type in catalogue.types:
        workflow = ticket_type.workflow
        for stage in workflow.stages:
            tasks = [Task(s.code, "open" if s.code == stage.code else "done") for s in workflow.stages]
            closing = _refused("closed", workflow, tasks)
            visit = _refused("awaiting_visit", workflow, tasks)
            assert closing == visit, (ticket_type.code, stage.code)


def _refused(to_state: str, workflow: Workflow, tasks: list[Task]) -> bool:
    try:
        ticket_rules.check_ticket_move(to_state, workflow, tasks)
    except InvalidTransition:
        return True
    return False


def test_moves_refused_for_the_same_open_stages_share_one_sentence() -> None:
    workflow = load_catalogue().ticket_type("repair").workflow
    tasks = [Task("accept_dispatch", "done"), Task("arrive", "taken")]
    refusals = ticket_rules.ticket_move_refusals(["awaiting_visit", "closed", "cancelled"], workflow, tasks)
    assert set(refusals) == {"awaiting_visit", "closed"}  # cancelling is not refused
    assert refusals["closed"] is refusals["awaiting_visit"]
    assert refusals["closed"].message_zh == "环节「到达现场」尚未完成，工单不能转待回访，也不能办结"
    assert refusals["closed"].message_en == \
        "the ticket cannot go to its return visit or be closed while a stage is open: Arrival on site"
    assert ticket_rules.ticket_move_refusals(["cancelled"], workflow, tasks) == {}
