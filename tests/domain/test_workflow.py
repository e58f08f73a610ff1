"""Workflow DAGs: which stages may start, the critical path, and whether it fits a limit."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from domain.catalogue import load_catalogue
from domain.errors import InvalidInput
from domain.roles import Department
from domain.workflow import (
    AreaClass,
    Limit,
    Stage,
    Sureness,
    Workflow,
    blocked_stages,
    clocked_stages,
    critical_path,
    find_cycle,
    fits_limit,
    is_complete,
    open_stages,
    topological_order,
)

EFFECTIVE = date(2025, 1, 1)


def days(n: int) -> Limit:
    return Limit(working_days=n, sure=Sureness.practice, source="test", effective=EFFECTIVE)


def stage(code: str, *prerequisites: str, limit: int | None = None) -> Stage:
    return Stage(code=code, name_zh=code, name_en=code, department=Department.marketing,
                 prerequisites=prerequisites, limit=days(limit) if limit is not None else None)


def diamond(clock_stops_at: str | None = None) -> Workflow:
    """a → (b ∥ c) → d → e"""
    return Workflow(code="diamond", name_zh="菱形", name_en="Diamond", clock_stops_at=clock_stops_at, stages=(
        stage("a", limit=1), stage("b", "a", limit=5), stage("c", "a", limit=2), stage("d", "b", "c", limit=1),
        stage("e", "d", limit=9)))


def codes(stages: list[Stage]) -> list[str]:
    return [s.code for s in stages]


def test_open_stages_progression() -> None:
    workflow = diamond()
    assert codes(open_stages(workflow, set())) == ["a"]
    assert codes(blocked_stages(workflow, set())) == ["b", "c", "d", "e"]
    assert codes(open_stages(workflow, {"a"})) == ["b", "c"]  # parallel
    assert codes(open_stages(workflow, {"a", "b"})) == ["c"]  # d still waits on c
    assert codes(blocked_stages(workflow, {"a", "b"})) == ["d", "e"]
    assert codes(open_stages(workflow, {"a", "b", "c"})) == ["d"]
    assert not is_complete(workflow, {"a", "b", "c", "d"})
    assert is_complete(workflow, {"a", "b", "c", "d", "e"})
    assert open_stages(workflow, {"a", "b", "c", "d", "e"}) == []


def test_high_voltage_connection_progression() -> None:
    workflow = load_catalogue().ticket_type("connection_hv_single").workflow
    done = {"accept", "survey", "supply_plan", "design_review", "mid_inspection", "completion_inspection"}
    assert "metering" in codes(blocked_stages(workflow, done))  # grid works, contract, fees not done yet
    done |= {"fees", "contract", "grid_works", "dispatch_agreement"}
    assert codes(open_stages(workflow, done)) == ["metering"]


def test_critical_path_is_the_longest_chain() -> None:
    assert critical_path(diamond()) == (["a", "b", "d", "e"], 16)


def test_critical_path_stops_where_the_clock_stops() -> None:
    workflow = diamond(clock_stops_at="d")
    assert clocked_stages(workflow) == {"a", "b", "c", "d"}
    assert critical_path(workflow) == (["a", "b", "d"], 7)
    assert fits_limit(workflow, 7) and not fits_limit(workflow, 6)
    assert fits_limit(workflow, days(7)) and not fits_limit(workflow, days(6))


def test_critical_path_of_an_empty_clock() -> None:
    workflow = Workflow(code="w", name_zh="w", name_en="w", stages=(stage("a"), stage("b", "a")))
    assert critical_path(workflow) == (["a"], 0)


def test_critical_path_by_area() -> None:
    repair = load_catalogue().ticket_type("repair")
    assert critical_path(repair.workflow, area=AreaClass.urban) == (["accept_dispatch", "arrive"], 45)
    assert critical_path(repair.workflow, area=AreaClass.rural)[1] == 90
    assert critical_path(repair.workflow)[1] == 120  # worst case when the area is not known
    assert fits_limit(repair.workflow, repair.time_limit)
    assert len({repair.workflow, repair.workflow.model_copy()}) == 1  # by-area limits stay hashable
    assert not fits_limit(repair.workflow, 44, area=AreaClass.urban)


def test_topological_order_keeps_prerequisites_first() -> None:
    for ticket_type in load_catalogue().types:
        seen: set[str] = set()
        for item in topological_order(ticket_type.workflow):
            assert set(item.prerequisites) <= seen, (ticket_type.code, item.code)
            seen.add(item.code)
        assert seen == {s.code for s in ticket_type.workflow.stages}


def test_topological_order_keeps_declaration_order_for_ties() -> None:
    workflow = Workflow(code="w", name_zh="w", name_en="w", stages=(stage("late", "early"), stage("early")))
    assert codes(topological_order(workflow)) == ["early", "late"]
    assert codes(topological_order(diamond())) == ["a", "b", "c", "d", "e"]


def test_cycles_are_found_and_refused() -> None:
    looped = Workflow(code="loop", name_zh="环", name_en="Loop",
                      stages=(stage("a", "c"), stage("b", "a"), stage("c", "b"), stage("d")))
    assert find_cycle(looped.stages) == ["a", "b", "c", "a"]
    assert find_cycle([stage("self", "self")]) == ["self", "self"]
    assert find_cycle(diamond().stages) is None
    with pytest.raises(InvalidInput):
        topological_order(looped)


def test_unknown_stage_is_refused() -> None:
    with pytest.raises(InvalidInput):
        diamond().stage("z")


@pytest.mark.parametrize("measures", [
    {"working_days": 1, "minutes": 30},
    {},
    {"minutes_by_area": {"urban": 45, "rural": 90}},
    {"minutes": 0},
    {"working_days": -1},
])
def test_limit_needs_exactly_one_sound_measure(measures: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Limit.model_validate({**measures, "sure": "official", "source": "test", "effective": EFFECTIVE})


def test_limit_amounts() -> None:
    by_area = Limit(minutes_by_area={AreaClass.urban: 45, AreaClass.rural: 90, AreaClass.remote: 120},
                    sure=Sureness.official,
                    source="test", effective=EFFECTIVE)
    assert (by_area.unit, by_area.amount(AreaClass.rural), by_area.amount()) == ("minutes", 90, 120)
    assert (days(3).unit, days(3).amount(AreaClass.urban)) == ("working_days", 3)
    assert AreaClass.remote.label() == "特殊边远"


@given(data=st.data())
def test_completing_any_open_stage_always_finishes_the_workflow(data: st.DataObject) -> None:
    ticket_type = data.draw(st.sampled_from(load_catalogue().types))
    workflow = ticket_type.workflow
    done: set[str] = set()
    while not is_complete(workflow, done):
        startable = open_stages(workflow, done)
        assert startable, f"{ticket_type.code} is stuck with {sorted(done)}"
        chosen = data.draw(st.sampled_from(startable))
        assert set(chosen.prerequisites) <= done
        done.add(chosen.code)
        assert {s.code for s in open_stages(workflow, done) + blocked_stages(workflow, done)} == (
            {s.code for s in workflow.stages} - done)
