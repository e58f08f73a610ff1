"""The Qt-free rules of the tickets area: notification diffs, return-visit validation, stage progress."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from desktop.tickets.evaluation import ReturnVisit, peer_rating
from desktop.tickets.progress import StageStatus, stage_views
from desktop.tickets.watch import Snapshot, notices
from domain.catalogue import load_catalogue
from domain.errors import InvalidInput
from domain.records import Staff, StageTask, Ticket
from tests.desktop.tickets.conftest import START, staff_data, task_data, ticket_data

ME = Staff.model_validate(staff_data("s-meter", "department", "metering"))


def task(stage: str, department: str, **extra: Any) -> StageTask:
    return StageTask.model_validate(task_data(1, stage, department, **extra))


def snap(at_hours: float, *tasks: StageTask) -> Snapshot:
    return Snapshot(at=START + timedelta(hours=at_hours), tasks={t.id: t for t in tasks},
                    numbers={"tick-00001": "GD1"}, type_codes={"tick-00001": "connection_residential"})


def test_first_snapshot_is_a_baseline() -> None:
    assert notices(None, snap(0, task("metering", "metering")), ME) == []


def test_what_the_first_sync_brings_is_no_news() -> None:
    """A new desk signs in before it has caught up: the 15 tasks the initial sync brings were there before
    (the demo's department staff saw 15 identical 新任务 notices), what lands after it is news."""
    empty = replace(snap(0), before_first_sync=True)
    caught_up = snap(0, task("metering", "metering"))
    assert notices(empty, caught_up, ME) == []
    later = snap(1, task("metering", "metering"), task("survey", "metering").model_copy(update={"id": "task-2"}))
    assert [n.kind for n in notices(caught_up, later, ME)] == ["landed"]


def test_a_task_taken_by_a_colleague_leaves_my_queue_without_news() -> None:
    before = snap(0, task("metering", "metering"))
    after = snap(0, task("metering", "metering", state="taken", assignee_id="someone-else"))
    assert notices(before, after, ME) == []


def test_warning_then_overdue_fire_once_each() -> None:
    mine = task("metering", "metering")  # opened START-1h, warn after 1 day, due after 2 days
    kinds = []
    previous = snap(0, mine)
    for hours in (10, 23.5, 30, 47.5, 50):
        current = snap(hours, mine)
        kinds += [n.kind for n in notices(previous, current, ME)]
        previous = current
    assert kinds == ["warning", "overdue"]


def test_transfer_to_me_lands_in_my_queue() -> None:
    before = snap(0, task("survey", "marketing", state="taken", assignee_id="s-mkt"))
    after = snap(0, task("survey", "marketing", state="transferred", assignee_id="s-meter"))
    assert [n.kind for n in notices(before, after, ME)] == ["landed"]


def test_return_visit_needs_a_satisfaction_unless_unreachable() -> None:
    with pytest.raises(InvalidInput):
        ReturnVisit(outcome="resolved", satisfaction=None)
    with pytest.raises(InvalidInput):
        ReturnVisit(outcome="resolved", satisfaction=6)
    with pytest.raises(InvalidInput):
        ReturnVisit(outcome="resolved", satisfaction=5, lead_ratings={"metering": 0})
    with pytest.raises(InvalidInput):
        ReturnVisit(outcome="maybe", satisfaction=5)
    assert ReturnVisit(outcome="unreachable", satisfaction=None).summary() == "回访：联系不上客户"
    assert ReturnVisit(outcome="resolved", satisfaction=5).summary("en") == "Return visit: resolved; satisfaction 5/5"
    with pytest.raises(InvalidInput):
        peer_rating("marketing", True)


def test_stage_views_show_lateness_and_unknown_workflows() -> None:
    ticket = Ticket.model_validate(ticket_data(1))
    workflow = load_catalogue().ticket_type("connection_residential").workflow
    late = task("survey", "marketing", opened=START - timedelta(days=3))
    views = {v.code: v for v in stage_views(workflow, ticket, [late], START)}
    assert views["survey"].status is StageStatus.LATE and views["survey"].waited == timedelta(days=3)
    assert views["contract"].status is StageStatus.BLOCKED  # "accept" has no task here: nothing is done yet
    alone = stage_views(None, ticket, [late], START)
    assert [(v.code, v.depth, v.status) for v in alone] == [("survey", 0, StageStatus.LATE)]
