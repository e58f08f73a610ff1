"""Rules about a ticket as a whole, asked by desk and server alike: is it open, which of its stages
are still unfinished, may it be closed now, which survey requests a cancellation withdraws, and
what SLA state a ticket or a stage task is in.

A ticket is closed (办结, its state reads 已归档) once the work is done. Every stage is mandatory
except those the closing itself finishes: the front desk's own stages (客服: acceptance, the
answer given at the window or on the call, the return visit recorded when closing) and whatever
follows a return visit (归档 is the closing). Any other stage still open blocks the close, and
it blocks handing the ticket to its return visit (待回访) too: the customer is called back only once
the mandatory work is done.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from domain import sla
from domain.errors import InvalidTransition
from domain.roles import Department
from domain.workflow import Stage, Workflow

# A closed ticket can be reopened, so the state machine does not call it final; it is not open either.
CLOSED_TICKET_STATES = frozenset({"closed", "cancelled"})
TICKET_CLOSED = "closed"
TICKET_CANCELLED = "cancelled"
TICKET_AWAITING_VISIT = "awaiting_visit"
# Stage task states in which the work is finished (nothing more happens to the task).
FINISHED_STAGE_STATES = frozenset({"done", "cancelled"})
# Survey assignments still waiting in the dispatch queue (nobody booked them yet, or they came back).
QUEUED_SURVEY_STATES = frozenset({"unassigned", "returned"})
# Survey assignments booked on a surveyor's day.
BOOKED_SURVEY_STATES = frozenset({"assigned", "accepted", "on_site"})


class _TaskLike(Protocol):
    @property
    def stage_code(self) -> str: ...

    @property
    def state(self) -> str: ...


def is_open_state(state: str) -> bool:
    return state not in CLOSED_TICKET_STATES


class _Stateful(Protocol):
    @property
    def state(self) -> str: ...


def is_open(ticket: _Stateful) -> bool:
    """Whether a ticket (anything with a `state`) is still being worked."""
    return is_open_state(ticket.state)


def is_unfinished_stage(state: str) -> bool:
    return state not in FINISHED_STAGE_STATES


def finished_by_closing(workflow: Workflow) -> frozenset[str]:
    """Codes of the stages that closing the ticket finishes: the window's own stages, return visits,
    and every stage that follows a return visit."""
    by_code = {s.code: s for s in workflow.stages}
    found: set[str] = set()

    def after_visit(stage: Stage, seen: frozenset[str] = frozenset()) -> bool:
        if stage.is_return_visit:
            return True
        return any(p in by_code and p not in seen and after_visit(by_code[p], seen | {stage.code})
                   for p in stage.prerequisites)

    for stage in workflow.stages:
        if stage.department == Department.service or after_visit(stage):
            found.add(stage.code)
    return frozenset(found)


def closing_blockers(workflow: Workflow | None, tasks: Iterable[_TaskLike]) -> list[str]:
    """Stage codes whose unfinished tasks forbid closing the ticket (workflow order; unknown stages block too)."""
    closing = finished_by_closing(workflow) if workflow is not None else frozenset()
    order = {s.code: n for n, s in enumerate(workflow.stages)} if workflow is not None else {}
    open_codes = {t.stage_code for t in tasks if is_unfinished_stage(t.state) and t.stage_code not in closing}
    return sorted(open_codes, key=lambda code: (order.get(code, len(order)), code))


# The moves the open-stage rule refuses, in the order a refusal names them: (Chinese, English verb phrase).
_NEEDS_MANDATORY_DONE: dict[str, tuple[str, str]] = {
    TICKET_AWAITING_VISIT: ("转待回访", "go to its return visit"),
    TICKET_CLOSED: ("办结", "be closed"),
}


def check_close(workflow: Workflow | None, tasks: Iterable[_TaskLike]) -> None:
    """Raises InvalidTransition naming the open stages when the ticket may not be closed yet."""
    check_ticket_move(TICKET_CLOSED, workflow, tasks)


def check_awaiting_visit(workflow: Workflow | None, tasks: Iterable[_TaskLike]) -> None:
    """Raises InvalidTransition naming the open stages when the ticket may not go to its return visit yet."""
    check_ticket_move(TICKET_AWAITING_VISIT, workflow, tasks)


def check_ticket_move(to_state: str, workflow: Workflow | None, tasks: Iterable[_TaskLike]) -> None:
    """The whole-ticket rules beyond the state machine: closing, and handing the ticket to its return
    visit, both need its mandatory stages done."""
    refused = ticket_move_refusals([to_state], workflow, tasks).get(to_state)
    if refused is not None:
        raise refused


def ticket_move_refusals(targets: Iterable[str], workflow: Workflow | None,
                         tasks: Iterable[_TaskLike]) -> dict[str, InvalidTransition]:
    """Which of `targets` the whole-ticket rules forbid now, each with its refusal. Moves refused for
    the same open stages share one sentence (环节「到达现场」尚未完成，工单不能转待回访，也不能办结),
    so a desk offering both says it once."""
    wanted = set(targets)
    moves = [target for target in _NEEDS_MANDATORY_DONE if target in wanted]
    blockers = closing_blockers(workflow, tasks) if moves else []
    if not blockers:
        return {}
    names_zh = "、".join(_stage_name(workflow, code, "zh") for code in blockers)
    names_en = ", ".join(_stage_name(workflow, code, "en") for code in blockers)
    verbs_zh = "，也".join("不能" + _NEEDS_MANDATORY_DONE[move][0] for move in moves)
    verbs_en = " or ".join(_NEEDS_MANDATORY_DONE[move][1] for move in moves)
    refusal = InvalidTransition(f"环节「{names_zh}」尚未完成，工单{verbs_zh}",
                                f"the ticket cannot {verbs_en} while a stage is open: {names_en}", field="state")
    return {move: refusal for move in moves}


def _stage_name(workflow: Workflow | None, code: str, lang: str) -> str:
    if workflow is None:
        return code
    stage = next((s for s in workflow.stages if s.code == code), None)
    return stage.name(lang) if stage is not None else code


# ---- SLA state of a ticket or a stage task (the one place that knows when a record has none) ----

def ticket_sla(state: str, due_at: datetime | None, warn_at: datetime | None, now: datetime,
               *, provisional: bool = False) -> sla.SlaState | None:
    """None for a ticket that is closed or has no deadline yet; otherwise domain.sla's state."""
    if due_at is None or not is_open_state(state):
        return None
    deadline = sla.Deadline(due_at=due_at, warn_at=warn_at if warn_at is not None else due_at, provisional=provisional)
    return sla.sla_state(deadline, now)


def stage_sla(state: str, due_at: datetime | None, warn_at: datetime | None, now: datetime) -> sla.SlaState | None:
    """None for a finished stage task or one without a limit; otherwise domain.sla's state."""
    if due_at is None or not is_unfinished_stage(state):
        return None
    deadline = sla.Deadline(due_at=due_at, warn_at=warn_at if warn_at is not None else due_at, provisional=False)
    return sla.sla_state(deadline, now)
