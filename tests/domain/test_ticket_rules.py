"""Whole-ticket rules and the role policy, asked by desk and server alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from domain import roles, sla, ticket_rules
from domain.catalogue import load_catalogue
from domain.errors import InvalidTransition


@dataclass(frozen=True)
class Task:
    stage_code: str
    state: str


def workflow(type_code: str):  # type: ignore[no-untyped-def]
    return load_catalogue().ticket_type(type_code).workflow


def test_a_repair_cannot_be_closed_while_the_crew_has_not_arrived() -> None:
    tasks = [Task("accept_dispatch", "done"), Task("arrive", "taken")]
    assert ticket_rules.closing_blockers(workflow("repair"), tasks) == ["arrive"]
    with pytest.raises(InvalidTransition) as refused:
        ticket_rules.check_ticket_move("closed", workflow("repair"), tasks)
    assert refused.value.message_zh == "环节「到达现场」尚未完成，工单不能办结"
    ticket_rules.check_ticket_move("cancelled", workflow("repair"), tasks)  # cancelling is not closing


def test_stages_the_closing_finishes_do_not_block_it() -> None:
    # The return visit is recorded when closing; 归档 after it is the closing itself.
    tasks = [Task("accept_dispatch", "done"), Task("arrive", "done"), Task("repaired", "done"),
             Task("return_visit", "open")]
    assert ticket_rules.closing_blockers(workflow("repair"), tasks) == []
    assert ticket_rules.finished_by_closing(workflow("repair")) == {"return_visit", "archive"}
    # An enquiry is answered at the window or on the call: its reply is the window's own stage.
    assert ticket_rules.closing_blockers(workflow("enquiry"), [Task("accept", "done"), Task("reply", "open")]) == []
    # A connection's metering and archiving are other departments' work.
    blockers = ticket_rules.closing_blockers(workflow("connection_residential"),
                                             [Task("metering", "taken"), Task("archive", "open"),
                                              Task("survey", "cancelled")])
    assert blockers == ["metering", "archive"]


def test_open_ticket_and_sla_rules() -> None:
    now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert ticket_rules.is_open_state("awaiting_visit") and ticket_rules.is_open_state("reopened")
    assert not ticket_rules.is_open_state("closed") and not ticket_rules.is_open_state("cancelled")
    due, warn = now + timedelta(hours=1), now - timedelta(minutes=1)
    assert ticket_rules.ticket_sla("in_progress", due, warn, now) is sla.SlaState.WARNING
    assert ticket_rules.ticket_sla("closed", due, warn, now) is None
    assert ticket_rules.ticket_sla("accepted", None, None, now) is None
    assert ticket_rules.stage_sla("taken", now - timedelta(seconds=1), None, now) is sla.SlaState.OVERDUE
    assert ticket_rules.stage_sla("done", now - timedelta(seconds=1), None, now) is None


def test_role_policy_has_one_home() -> None:
    assert not roles.may_evaluate("clerk", "lead") and roles.may_evaluate("department", "lead")
    assert roles.may_evaluate("hotline", "customer") and not roles.may_evaluate("department", "customer")
    assert roles.may_evaluate("department", "customer", "service")  # 客服 makes the return visit
    assert roles.may_mutate("clerk", "ticket", "create") and not roles.may_mutate("dispatcher", "ticket", "create")
    assert not roles.may_mutate("clerk", "nonsense", "create")
    assert roles.may_see_area("dispatcher", "dispatch") and not roles.may_see_area("clerk", "dispatch")
    assert not roles.may_work_stage("department", "marketing", "operations")
    assert roles.may_work_stage("supervisor", None, "operations")
    assert roles.may_edit_note("s1", "s1") and not roles.may_edit_note("s2", "s1") and not roles.may_edit_note("s1", None)
