"""A demo ticket's life so far: its stages played forward from acceptance to `now`, as the engine would have."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from backend import rules
from backend.demo.recipe import Slowdown
from domain.calendar import WorkingCalendar
from domain.catalogue import TicketType
from domain.records import StageTask
from domain.sla import OFFICE_ZONE
from domain.workflow import Stage, topological_order

_HALL_OPEN, _HALL_CLOSE = time(8, 30), time(17, 30)
_ANSWERED_ON_THE_SPOT = frozenset({"answer", "forward"})
# What the efficiency monitor observes of a stage (efficiency_event rows, as the push path records them): when
# it was taken, and whether it was sent back. Drawn from a generator of its own per ticket, so the rest of the
# seeded history does not shift with it. The figures are the demo's model of an office, not measurements:
_WAIT_SHARE = (0.05, 0.45)  # the part of a stage's time before someone takes it
_VISIT_WAIT_SHARE = (0.35, 0.9)  # return visits are made in batches: they wait longer
_SENT_BACK = 0.1  # a stage with a time limit is sent back (材料不全, 信息有误) and taken again
_ONE_AT_A_TIME = 0.95  # a demo department is one person: two independent stages opened at once are worked in turn


@dataclass(frozen=True)
class StageEvent:
    """One observed state change of a stage task (backend.efficiency.tables.EfficiencyEvent)."""

    office_id: str
    ticket_id: str
    stage_task_id: str
    from_state: str
    to_state: str
    at: datetime
    staff_id: str | None


@dataclass
class Played:
    """The outcome of playing a workflow: the stage tasks so far and the ticket state they imply."""

    tasks: list[StageTask]
    state: str
    closed_at: datetime | None
    satisfaction: int | None
    stage_of: dict[str, Stage] = field(default_factory=dict)  # task id -> its stage
    events: list[StageEvent] = field(default_factory=list)  # what the monitor would have observed


@dataclass(frozen=True)
class StageContext:
    rng: random.Random
    now: datetime
    calendar: WorkingCalendar
    assignees: dict[str, str]  # department -> staff id in this office
    results: dict[str, tuple[str, ...]]  # stage code -> result texts
    slowdown: Slowdown | None = None  # a stage that recently took longer (the recipe's story)


def _duration(ctx: StageContext, stage: Stage, opened: datetime, area: str, quick: bool) -> timedelta:
    """How long the department took: mostly well inside the limit, sometimes in the warning zone, a few late."""
    rng = ctx.rng
    if stage.limit is None or quick:
        return timedelta(minutes=rng.randint(2, 25))
    due = rules.deadline(stage.limit, opened, None, area, ctx.calendar).due_at
    u = rng.random()
    fraction = rng.uniform(0.05, 0.7) if u < 0.82 else rng.uniform(0.7, 1.0) if u < 0.94 else rng.uniform(1.02, 1.6)
    slow = ctx.slowdown
    if slow is not None and stage.code == slow.stage and ctx.now - opened <= timedelta(days=slow.days):
        fraction = rng.uniform(*slow.share_of_limit)  # waiting on the meter: every one late, none quick
    return (due - opened) * fraction


def _in_office_hours(moment: datetime, not_before: datetime) -> datetime:
    """Desk work is done in office hours: a finish at night moves into that day's opening hours."""
    local = moment.astimezone(OFFICE_ZONE)
    if _HALL_OPEN <= local.time() <= _HALL_CLOSE:
        return moment
    opening = datetime.combine(local.date(), _HALL_OPEN, OFFICE_ZONE)
    shifted = opening + timedelta(minutes=(local.hour * 60 + local.minute) % 540)
    return shifted if shifted > not_before else moment


def _result(ctx: StageContext, stage: Stage, satisfaction: int | None) -> dict[str, Any]:
    if stage.is_return_visit and satisfaction is not None:
        return {"satisfaction": satisfaction}
    texts = ctx.results.get(stage.code)
    return {"conclusion": ctx.rng.choice(texts)} if texts else {}


def play(
    ctx: StageContext,
    ticket_type: TicketType,
    *,
    ticket_id: str,
    office_id: str,
    accepted_at: datetime,
    area: str,
    cancel_at: datetime | None,
    new_id: Any,
) -> Played:
    """Open each stage when its prerequisites are done and finish it if its finish lies before `now`."""
    rng, now = ctx.rng, ctx.now
    workflow = ticket_type.workflow
    quick = workflow.code in _ANSWERED_ON_THE_SPOT and rng.random() < 0.7
    stop = min(now, cancel_at) if cancel_at is not None else now
    satisfaction = rng.choices((5, 4, 3, 2, 1), weights=(70, 20, 6, 3, 1))[0] if ticket_type.needs_return_visit else None
    done_at: dict[str, datetime] = {}
    opened_at: dict[str, datetime] = {}
    habits = random.Random(f"stage-events:{ticket_id}")
    played = Played(tasks=[], state="accepted", closed_at=None, satisfaction=None)
    for stage in topological_order(workflow):
        if not all(p in done_at for p in stage.prerequisites):
            continue  # still blocked: the engine has not opened it
        opened = max((done_at[p] for p in stage.prerequisites), default=accepted_at)
        opened_at[stage.code] = opened
        due = rules.stage_deadline(stage, opened, None, area, ctx.calendar)
        finish = (opened + _duration(ctx, stage, opened, area, quick)).replace(microsecond=0)
        department = str(stage.department)
        taken: datetime | None = None
        if stage.prerequisites:  # the acceptance stage is done at the window, never taken
            share = _VISIT_WAIT_SHARE if stage.is_return_visit else _WAIT_SHARE
            taken = (opened + (finish - opened) * habits.uniform(*share)).replace(microsecond=0)
            busy = [done_at[s.code] for s in played.stage_of.values()
                    if s.code in done_at and str(s.department) == department and opened_at.get(s.code) == opened
                    and s.code not in stage.prerequisites and stage.code not in s.prerequisites]
            if busy and habits.random() < _ONE_AT_A_TIME:  # the department's other task first
                work = finish - taken
                taken = max(taken, max(busy) + timedelta(minutes=habits.randint(5, 90)))
                finish = max(finish, taken + work)
        if stage.limit is not None and stage.limit.working_days is not None:
            finish = _in_office_hours(finish, taken or opened)  # never before the work began
        if taken is not None and taken > finish:
            taken = finish
        base: dict[str, Any] = {
            "id": new_id(opened),
            "office_id": office_id,
            "ticket_id": ticket_id,
            "stage_code": stage.code,
            "department": department,
            "opened_at": opened,
            "due_at": due.due_at if due else None,
            "warn_at": due.warn_at if due else None,
        }
        if finish <= stop:
            done_at[stage.code] = finish
            task = StageTask(
                **base, state="done", assignee_id=ctx.assignees.get(department), completed_at=finish,
                result=_result(ctx, stage, satisfaction),
            )
        elif cancel_at is not None and cancel_at <= now:
            task = StageTask(**base, state="cancelled", reason="工单已撤销")
        elif now - opened > timedelta(minutes=30) and rng.random() < 0.65:
            task = StageTask(**base, state="taken", assignee_id=ctx.assignees.get(department))
        else:
            task = StageTask(**base, state="open")
        played.tasks.append(task)
        played.stage_of[task.id] = stage
        if taken is not None and task.state in ("done", "taken"):
            _observe(played, habits, task, stage, taken, finish if task.state == "done" else None, now)
    _settle(played, workflow.stages, done_at, cancel_at, now, satisfaction)
    return played


def _observe(played: Played, habits: random.Random, task: StageTask, stage: Stage, taken: datetime,
             finish: datetime | None, now: datetime) -> None:
    """The state changes the push path would have recorded for this task: taken, perhaps sent back and taken
    again, done."""
    end = finish if finish is not None else now
    if taken > end:
        return  # not taken yet as of now
    staff = task.assignee_id

    def event(source: str, target: str, at: datetime) -> None:
        played.events.append(StageEvent(task.office_id, task.ticket_id, task.id, source, target, at, staff))

    event("open", "taken", taken)
    if stage.limit is not None and not stage.is_return_visit and habits.random() < _SENT_BACK and end - taken > \
            timedelta(minutes=30):
        back = (taken + (end - taken) * habits.uniform(0.1, 0.4)).replace(microsecond=0)
        again = (back + (end - back) * habits.uniform(0.2, 0.6)).replace(microsecond=0)
        event("taken", "returned", back)
        event("returned", "open", back + timedelta(minutes=1))
        event("open", "taken", max(again, back + timedelta(minutes=2)))
    if finish is not None:
        event("taken", "done", finish)


def _settle(
    played: Played,
    stages: tuple[Stage, ...],
    done_at: dict[str, datetime],
    cancel_at: datetime | None,
    now: datetime,
    satisfaction: int | None,
) -> None:
    """The ticket state the engine would have reached after these stage completions."""
    remaining = [s for s in stages if s.code not in done_at]
    if any(s.is_return_visit and s.code in done_at for s in stages):
        played.satisfaction = satisfaction
    if not remaining:
        played.state, played.closed_at = "closed", max(done_at.values())
    elif cancel_at is not None and cancel_at <= now:
        played.state, played.closed_at = "cancelled", cancel_at
    elif all(s.is_return_visit for s in remaining):
        played.state = "awaiting_visit"
    elif done_at:
        played.state = "in_progress"
