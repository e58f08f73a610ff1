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


@dataclass
class Played:
    """The outcome of playing a workflow: the stage tasks so far and the ticket state they imply."""

    tasks: list[StageTask]
    state: str
    closed_at: datetime | None
    satisfaction: int | None
    stage_of: dict[str, Stage] = field(default_factory=dict)  # task id -> its stage


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
    played = Played(tasks=[], state="accepted", closed_at=None, satisfaction=None)
    for stage in topological_order(workflow):
        if not all(p in done_at for p in stage.prerequisites):
            continue  # still blocked: the engine has not opened it
        opened = max((done_at[p] for p in stage.prerequisites), default=accepted_at)
        due = rules.stage_deadline(stage, opened, None, area, ctx.calendar)
        finish = (opened + _duration(ctx, stage, opened, area, quick)).replace(microsecond=0)
        if stage.limit is not None and stage.limit.working_days is not None:
            finish = _in_office_hours(finish, opened)
        department = str(stage.department)
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
    _settle(played, workflow.stages, done_at, cancel_at, now, satisfaction)
    return played


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
