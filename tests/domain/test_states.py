"""State machines: legal moves, who may make them, and when a reason is required."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInput, InvalidTransition
from domain.roles import Department, Role, label
from domain.states import STATE_MACHINES, allowed_transitions, needs_reason, state_label, transition

KINDS = sorted(STATE_MACHINES)


@pytest.mark.parametrize(("kind", "current", "to", "role", "reason"), [
    ("ticket", "accepted", "in_progress", "department", None),
    ("ticket", "accepted", "closed", "hotline", None),
    ("ticket", "accepted", "cancelled", "clerk", "客户撤回申请"),
    ("ticket", "in_progress", "awaiting_visit", "department", None),
    ("ticket", "awaiting_visit", "closed", "hotline", None),
    ("ticket", "awaiting_visit", "in_progress", "clerk", "客户不满意"),
    ("ticket", "closed", "reopened", "hotline", "重复投诉"),
    ("stage_task", "open", "taken", "department", None),
    ("stage_task", "taken", "done", "department", None),
    ("stage_task", "taken", "returned", "department", "资料不全"),
    ("stage_task", "returned", "open", "department", None),
    ("stage_task", "taken", "transferred", "department", "非本部门业务"),
    ("stage_task", "taken", "escalated", "department", "需要协调"),
    ("stage_task", "escalated", "taken", "supervisor", None),
    ("stage_task", "open", "cancelled", "clerk", "工单已撤销"),
    ("repair_order", "dispatched", "received", "department", None),
    ("repair_order", "received", "on_site", "department", None),
    ("repair_order", "on_site", "repaired", "department", None),
    ("repair_order", "repaired", "archived", "hotline", None),
    ("repair_order", "received", "returned", "department", "非本班组辖区"),
    ("repair_order", "returned", "dispatched", "hotline", None),
    ("survey_assignment", "unassigned", "assigned", "dispatcher", None),
    ("survey_assignment", "assigned", "accepted", "department", None),
    ("survey_assignment", "accepted", "on_site", "department", None),
    ("survey_assignment", "on_site", "done", "department", None),
    ("survey_assignment", "accepted", "returned", "department", "客户不在"),
    ("survey_assignment", "returned", "assigned", "dispatcher", None),
    ("survey_assignment", "assigned", "cancelled", "dispatcher", "客户撤回"),
])
def test_legal_transitions(kind: str, current: str, to: str, role: str, reason: str | None) -> None:
    assert transition(kind, current, to, role, reason) == to


@pytest.mark.parametrize(("kind", "current", "to", "role", "reason", "field"), [
    ("ticket", "closed", "in_progress", "admin", "x", "state"),  # not a legal move for anyone
    ("ticket", "accepted", "awaiting_visit", "clerk", None, "state"),
    ("repair_order", "archived", "dispatched", "supervisor", "x", "state"),
    ("stage_task", "open", "taken", "clerk", None, "role"),
    ("stage_task", "escalated", "open", "department", None, "role"),  # a supervisor decides
    ("survey_assignment", "unassigned", "assigned", "department", None, "role"),
    ("ticket", "awaiting_visit", "closed", "department", None, "role"),
    ("ticket", "accepted", "cancelled", "clerk", None, "reason"),
    ("ticket", "accepted", "cancelled", "clerk", "   ", "reason"),
    ("stage_task", "taken", "returned", "department", "", "reason"),
    ("repair_order", "dispatched", "returned", "supervisor", None, "reason"),  # even a supervisor explains
    ("survey_assignment", "accepted", "returned", "department", None, "reason"),
])
def test_refused_transitions(kind: str, current: str, to: str, role: str, reason: str | None, field: str) -> None:
    with pytest.raises(InvalidTransition) as caught:
        transition(kind, current, to, role, reason)
    assert caught.value.field == field


def test_refusal_names_the_states_in_chinese_and_english() -> None:
    with pytest.raises(InvalidTransition) as caught:
        transition("ticket", "closed", "in_progress", "supervisor")
    assert caught.value.message_zh == "不能从「已归档」变为「处理中」"
    assert "'closed'" in caught.value.message_en and "'in progress'" in caught.value.message_en


def test_role_refusal_names_the_role() -> None:
    with pytest.raises(InvalidTransition) as caught:
        transition("stage_task", "open", "taken", "hotline")
    assert "95598坐席" in caught.value.message_zh and "待办" in caught.value.message_zh


def test_missing_reason_says_so() -> None:
    with pytest.raises(InvalidTransition) as caught:
        transition("ticket", "accepted", "cancelled", "clerk")
    assert caught.value.message_zh == "从「已受理」变为「已撤销」须填写原因"


@pytest.mark.parametrize(("kind", "current", "to", "role"), [
    ("parcel", "open", "taken", "clerk"),
    ("ticket", "lost", "closed", "clerk"),
    ("ticket", "accepted", "teleported", "clerk"),
    ("ticket", "accepted", "closed", "janitor"),
])
def test_unknown_names_are_bad_input(kind: str, current: str, to: str, role: str) -> None:
    with pytest.raises(InvalidInput):
        transition(kind, current, to, role, "reason")


@pytest.mark.parametrize(("kind", "current", "role", "expected"), [
    ("ticket", "accepted", "clerk", ["in_progress", "closed", "cancelled"]),
    ("ticket", "accepted", "department", ["in_progress"]),
    ("ticket", "cancelled", "admin", []),
    ("stage_task", "open", "department", ["taken", "transferred", "escalated"]),
    ("stage_task", "escalated", "department", []),
    ("stage_task", "escalated", "supervisor", ["open", "taken", "cancelled"]),
    ("repair_order", "returned", "hotline", ["dispatched", "archived"]),
    ("survey_assignment", "unassigned", "dispatcher", ["assigned", "cancelled"]),
    ("survey_assignment", "unassigned", "clerk", []),
])
def test_allowed_transitions(kind: str, current: str, role: str, expected: list[str]) -> None:
    assert allowed_transitions(kind, current, role) == expected


def test_supervisor_and_admin_may_make_every_legal_transition() -> None:
    for machine in STATE_MACHINES.values():
        for step in machine.transitions:
            for role in (Role.supervisor, Role.admin):
                assert transition(machine.kind, step.source, step.target, role, "原因") == step.target


def test_every_state_is_reachable_and_labelled() -> None:
    for machine in STATE_MACHINES.values():
        reached, frontier = {machine.initial}, [machine.initial]
        while frontier:
            current = frontier.pop()
            for target in allowed_transitions(machine.kind, current, Role.admin):
                if target not in reached:
                    reached.add(target)
                    frontier.append(target)
        assert reached == set(machine.states), machine.kind
        for state in machine.states:
            assert state_label(machine.kind, state) != state_label(machine.kind, state, "en")


def test_final_states() -> None:
    finals = {kind: machine.final_states for kind, machine in STATE_MACHINES.items()}
    assert finals == {"ticket": {"cancelled"}, "stage_task": {"done", "cancelled"},
                      "repair_order": {"archived"}, "survey_assignment": {"done", "cancelled"},
                      "supervision_action": {"done", "cancelled"}, "info_request": {"met", "withdrawn"},
                      "outage_event": {"cancelled"}, "planned_outage": {"cancelled"}}


def test_labels() -> None:
    assert state_label("repair_order", "on_site") == "到达现场"
    assert state_label("ticket", "awaiting_visit", "en") == "awaiting return visit"
    assert label(Role.hotline) == "95598坐席" and Role.dispatcher.label("en") == "Survey dispatcher"
    assert label(Department.operations) == "运检" and Department.metering.label("en") == "Metering"
    assert [d.label() for d in Department] == ["营销", "设计", "工程", "运检", "计量", "调度", "客服"]


def test_needs_reason() -> None:
    assert needs_reason("stage_task", "taken", "returned")
    assert not needs_reason("stage_task", "open", "taken")
    assert not needs_reason("ticket", "closed", "in_progress")


@given(
    kind=st.sampled_from(KINDS),
    steps=st.lists(st.tuples(st.sampled_from(list(Role)), st.integers(min_value=0, max_value=20)), max_size=40),
)
def test_random_walks_over_allowed_transitions_never_raise(kind: str, steps: list[tuple[Role, int]]) -> None:
    state = STATE_MACHINES[kind].initial
    for role, pick in steps:
        allowed = allowed_transitions(kind, state, role)
        if not allowed:
            continue
        target = allowed[pick % len(allowed)]
        state = transition(kind, state, target, role, "原因")
        assert state == target


@given(kind=st.sampled_from(KINDS), data=st.data())
def test_moves_outside_allowed_transitions_are_refused(kind: str, data: st.DataObject) -> None:
    machine = STATE_MACHINES[kind]
    current = data.draw(st.sampled_from(sorted(machine.states)))
    to = data.draw(st.sampled_from(sorted(machine.states)))
    role = data.draw(st.sampled_from(list(Role)))
    if to in allowed_transitions(kind, current, role):
        assert transition(kind, current, to, role, "原因") == to
        if needs_reason(kind, current, to):
            with pytest.raises(InvalidTransition):
                transition(kind, current, to, role)
    else:
        with pytest.raises(InvalidTransition):
            transition(kind, current, to, role, "原因")
