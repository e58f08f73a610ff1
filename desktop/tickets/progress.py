"""Where a ticket's workflow stands: each stage's status, depth in the graph and waiting time (Qt-free).

The workflow graph comes from the catalogue (domain.workflow); what happened comes from the
stage tasks the server opened. The desk only reads both, it never decides what opens next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain import sla, ticket_rules
from domain.records import StageTask, Ticket
from domain.workflow import Workflow, blocked_stages, open_stages, topological_order


class StageStatus(StrEnum):
    DONE = "done"
    OPEN = "open"  # may be worked now (a task is open, or the server has yet to open it)
    WARNING = "warning"
    LATE = "late"
    BLOCKED = "blocked"  # waits on prerequisites
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class StageView:
    code: str
    name_zh: str
    name_en: str
    department: str
    prerequisites: tuple[str, ...]
    depth: int
    status: StageStatus
    task: StageTask | None
    waited: timedelta | None  # how long the stage has waited (open: since opened; blocked: since it could be waiting)
    waiting_on: tuple[str, ...] = ()  # departments of the unfinished prerequisites, other than its own

    def name(self, lang: str = "zh") -> str:
        return self.name_en if lang.startswith("en") else self.name_zh


def task_sla(task: StageTask, now: datetime) -> sla.SlaState | None:
    return ticket_rules.stage_sla(task.state, task.due_at, task.warn_at, now)


def ticket_sla(ticket: Ticket, now: datetime) -> sla.SlaState | None:
    return ticket_rules.ticket_sla(ticket.state, ticket.due_at, ticket.warn_at, now,
                                   provisional=ticket.deadline_provisional)


_WORST = {None: 0, sla.SlaState.ON_TIME: 1, sla.SlaState.WARNING: 2, sla.SlaState.OVERDUE: 3}


def worst(*states: sla.SlaState | None) -> sla.SlaState | None:
    return max(states, key=lambda state: _WORST[state], default=None)


def _status_of_task(task: StageTask, now: datetime) -> StageStatus:
    if task.state == "done":
        return StageStatus.DONE
    if task.state == "cancelled":
        return StageStatus.CANCELLED
    state = task_sla(task, now)
    if state is sla.SlaState.OVERDUE:
        return StageStatus.LATE
    if state is sla.SlaState.WARNING:
        return StageStatus.WARNING
    return StageStatus.OPEN


def _depths(workflow: Workflow) -> dict[str, int]:
    depth: dict[str, int] = {}
    for stage in topological_order(workflow):
        depth[stage.code] = 1 + max((depth[p] for p in stage.prerequisites if p in depth), default=-1)
    return depth


def stage_views(workflow: Workflow | None, ticket: Ticket, tasks: Sequence[StageTask], now: datetime) -> list[StageView]:
    """Every stage of the ticket's workflow with its status; without a known workflow, the tasks alone."""
    latest = {task.stage_code: task for task in sorted(tasks, key=lambda t: (t.opened_at, t.id))}
    if workflow is None:
        return [
            StageView(task.stage_code, task.stage_code, task.stage_code, task.department, (), 0,
                      _status_of_task(task, now), task, _waited(task, now))
            for task in latest.values()
        ]
    done = {code for code, task in latest.items() if task.state == "done"}
    blocked = {stage.code for stage in blocked_stages(workflow, done)}
    may_start = {stage.code for stage in open_stages(workflow, done)}
    depth = _depths(workflow)
    by_code = {stage.code: stage for stage in workflow.stages}
    views: list[StageView] = []
    for stage in topological_order(workflow):
        task = latest.get(stage.code)
        waiting_on: tuple[str, ...] = ()
        waited: timedelta | None = None
        if task is not None:
            status = _status_of_task(task, now)
            waited = _waited(task, now)
        elif stage.code in blocked:
            status = StageStatus.BLOCKED
            unfinished = [by_code[p] for p in stage.prerequisites if p not in done and p in by_code]
            waiting_on = tuple(dict.fromkeys(str(p.department) for p in unfinished if p.department != stage.department))
            finished = [latest[p].completed_at for p in stage.prerequisites if p in done and latest[p].completed_at]
            since = max([ticket.accepted_at, *[f for f in finished if f is not None]])
            waited = max(now - since, timedelta(0))
        else:
            status = StageStatus.OPEN if stage.code in may_start else StageStatus.BLOCKED
        views.append(
            StageView(stage.code, stage.name_zh, stage.name_en, str(stage.department), tuple(stage.prerequisites),
                      depth[stage.code], status, task, waited, waiting_on)
        )
    return views


def _waited(task: StageTask, now: datetime) -> timedelta | None:
    if task.state in ("done", "cancelled"):
        return None
    return max(now - task.opened_at, timedelta(0))


def parallel_open(views: Sequence[StageView]) -> list[StageView]:
    """Stages that may be worked at the same time right now."""
    return [v for v in views if v.status in (StageStatus.OPEN, StageStatus.WARNING, StageStatus.LATE)]


def format_duration(span: timedelta, lang: str = "zh") -> str:
    """A waiting time a person reads at a glance: 3天4小时, 5小时12分, 40分."""
    minutes = int(abs(span).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if lang.startswith("en"):
        if days:
            return f"{days} d {hours} h"
        return f"{hours} h {mins} min" if hours else f"{mins} min"
    if days:
        return f"{days}天{hours}小时"
    return f"{hours}小时{mins}分" if hours else f"{mins}分"
