"""The emergency linkage plan: levels by thresholds, parallel tasks with their limits, who is told."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import InvalidInput
from domain.outage.plan import estimated_restoration, load_plan, open_tasks, parse_plan, response_level
from domain.roles import Department
from domain.workflow import AreaClass
from tests.domain.outage_grid import T0

PLAN = load_plan()


def test_the_level_is_the_highest_whose_any_threshold_is_met() -> None:
    assert response_level(PLAN, 40, 0, 1).code == "IV"
    assert response_level(PLAN, 40, 1, 1).code == "III"  # a hospital inside raises it
    assert response_level(PLAN, 2500, 0, 1).code == "III"
    assert response_level(PLAN, 100, 0, 13).code == "II"
    assert response_level(PLAN, 150_000, 0, 0).code == "I"


def test_confirming_opens_parallel_tasks_for_dispatch_operations_service_and_marketing() -> None:
    level = PLAN.level_named("IV")
    tasks = open_tasks(PLAN, level, "rural", T0)
    assert {t.department for t in tasks} == {Department.dispatch, Department.operations, Department.service,
                                            Department.marketing}
    due = {t.code: t.due_at - T0 for t in tasks}
    assert due["arrive"] == timedelta(minutes=90)
    assert due["restore"] == timedelta(minutes=90 + 240)
    assert due["publish"] == timedelta(minutes=15)


@pytest.mark.parametrize(("area", "minutes"), [("urban", 45), ("rural", 90), ("remote", 120)])
def test_the_crew_arrival_limit_follows_the_area_class(area: str, minutes: int) -> None:
    for level in PLAN.level:
        arrive = next(t for t in open_tasks(PLAN, level, area, T0) if t.code == "arrive")
        assert arrive.due_at - T0 == timedelta(minutes=minutes)
        assert arrive.department is Department.operations


def test_who_is_told_at_each_step() -> None:
    assert "customers" in PLAN.level_named("IV").informed("restored")
    assert "supervisor" not in PLAN.level_named("IV").informed("confirmed")
    assert "prefecture" in PLAN.level_named("II").informed("confirmed")
    assert PLAN.level_named("IV").informed("on_site") == ()
    assert all(len(lv.checklist) == len(lv.checklist_en) > 0 for lv in PLAN.level)


def test_the_first_estimate_is_the_official_limits_end_to_end() -> None:
    assert estimated_restoration(PLAN, AreaClass.urban, T0) - T0 == timedelta(minutes=45 + 180)


def test_an_unknown_level_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput, match="no response level 'V'"):
        PLAN.level_named("V")


MINIMAL = """
version = "t"
effective = 2026-12-01
[arrival]
urban = 45
rural = 90
remote = 120
[restoration]
urban = 180
rural = 240
remote = 240
[[level]]
code = "IV"
name_zh = "一般"
name_en = "general"
customers = 0
important = 0
hours = 0
  [[level.task]]
  code = "arrive"
  department = "operations"
  title_zh = "到达"
  title_en = "arrive"
  arrival = true
"""


def test_a_minimal_plan_parses() -> None:
    assert parse_plan(MINIMAL).level_named("IV").task[0].arrival


@pytest.mark.parametrize(("bad", "needle"), [
    (MINIMAL.replace("remote = 120\n", ""), "arrival"),
    (MINIMAL.replace("arrival = true", "arrival = true\n  minutes = 30"), "exactly one"),
    (MINIMAL.replace('department = "operations"', 'department = "kitchen"'), "department"),
    (MINIMAL.replace("customers = 0", "customers = 5"), "zero thresholds"),
    (MINIMAL.replace('code = "IV"', 'code = "V"'), "code"),
    (MINIMAL + '[[level]]\ncode = "IV"\nname_zh = "x"\nname_en = "x"\ncustomers = 0\nimportant = 0\nhours = 0\n'
     '[[level.task]]\ncode = "a"\ndepartment = "service"\ntitle_zh = "x"\ntitle_en = "x"\nminutes = 5\n', "once each"),
    ("version = [", "TOML"),
])
def test_a_bad_plan_is_refused_saying_what_is_wrong(bad: str, needle: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_plan(bad)
    assert needle in caught.value.message_en
