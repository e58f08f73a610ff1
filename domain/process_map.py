"""Process map (流程图) from what really happened: process mining of the stage histories of one ticket type.

The study asks to "绘制业务流程图，逐环节分析价值贡献，取消无价值环节，合并相似环节"; this draws it from
data. Input: closed tickets of one type, each with its stage tasks (opened / completed) and the state changes
observed on them (`efficiency_event`: a stage taken, sent back `returned`, the ticket reopened). Output:

- **variants**: the ordered steps each ticket actually went through, most common first. A step is a group of
  stages whose working intervals [opened, completed) overlap in a chain (run in parallel); a stage sent back
  k times shows `rounds` = k + 1. Count, share of the tickets, mean and median elapsed working time.
- **handoffs** (the arrows): stage A → stage B when A's completion opened B — of B's prerequisites in the
  workflow the one completed last at or before B opened (any stage completed by then when none is). Waiting
  on the arrow = working time from A's completion to B's first take (`taken`); only where the take was
  observed (a stage finished by the ticket's closing, or history from before events were observed, has none).
- **rework loops**: a stage sent back (`→ returned`), drawn back to the stage that handed it over; the ticket
  sent back from the return visit (`awaiting_visit → in_progress`) drawn from the return-visit stage; the
  ticket reopened after closing (`closed → reopened`). Occurrences and tickets.
- **per stage**: tickets, mean and median working time (opened → completed, `domain.indicators.working_minutes`
  on the office calendar), waiting share (Σ opened → first take / Σ opened → completed, where observed), share
  of elapsed time (Σ its working time inside the ticket's accepted → closed / Σ those tickets' elapsed working
  time, so within [0, 1]), the share of its tickets in which it lay on the elapsed critical path (the chain of
  handoffs back from the stage completed last) and `on_critical_path` when that share is at least one half.

Suggestions on a stage (flags a supervisor can act on), each needing at least `MIN_TICKETS` tickets with the
stage (fewer tickets prove nothing), thresholds as module constants:

- `parallel` 可并行 — with another stage A of the same tickets such that neither is a prerequisite of the
  other, directly or through others, in the workflow (neither needs the other's output), yet in at least
  `SERIAL_SHARE` (90 %) of the tickets with both, this stage's work began (first take; opened when no take was
  observed) at or after A was completed: they could run side by side but are worked one after the other.
- `merge` 可合并 — A hands over to this stage in at least `MERGE_HANDOFF_SHARE` (80 %) of its tickets, A is of
  the same department, and this stage's median working time is at most `MERGE_NEGLIGIBLE_SHARE` (5 %) of the
  median elapsed working time of its tickets: one department passing work to itself for next to no work.
- `waiting` 等待占比高 — the waiting share (opened → first take) is at least `WAITING_SHARE` (50 %), over at
  least `MIN_TICKETS` tickets with the take observed: the stage mostly sits in a queue.
- `rework` 返工多 — sent back in at least `REWORK_SHARE` (10 %) of its tickets.

Left out: tickets not closed (their path is unfinished), stage tasks not done (cancelled ones did no work);
whether a stage adds value for the customer (no data says so: `取消无价值环节` stays the supervisor's call);
working hours (the calendar knows working days: a working day counts all its 24 hours).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Literal

from pydantic import BaseModel, ConfigDict

from domain.calendar import WorkingCalendar
from domain.catalogue_model import TicketType
from domain.errors import InvalidInput
from domain.indicators import (  # the shapes the facts read too
    EventLike,
    StageLike,
    TicketLike,
    working_minutes,
)
from domain.sla import OFFICE_ZONE
from domain.workflow import Workflow, topological_order

MIN_TICKETS = 5
SERIAL_SHARE = 0.9
MERGE_HANDOFF_SHARE = 0.8
MERGE_NEGLIGIBLE_SHARE = 0.05
WAITING_SHARE = 0.5
REWORK_SHARE = 0.1
CRITICAL_SHARE = 0.5

SuggestionCode = Literal["parallel", "merge", "waiting", "rework"]
ReworkKind = Literal["returned", "visit_rework", "reopened"]


# ---- inputs: anything with these attributes (ORM rows, synced records, test fixtures) ----


@dataclass(frozen=True)
class TicketHistory:
    ticket: TicketLike
    stages: Sequence[StageLike]
    events: Sequence[EventLike] = ()


# ---- outputs ----


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StageVisit(_Model):
    stage: str
    rounds: int = 1  # 1 + times sent back


class Variant(_Model):
    steps: list[list[StageVisit]]  # in order; a step of several stages ran in parallel
    count: int
    share: float
    mean_elapsed_minutes: float
    median_elapsed_minutes: float


class Suggestion(_Model):
    code: SuggestionCode
    other_stage: str | None = None  # parallel: the stage it waits for; merge: the stage to merge into
    value: float  # the measured share behind the flag (serial share, work share, waiting share, rework share)


class StageStats(_Model):
    stage: str
    department: str
    position: float  # mean step index in the tickets' variants: the map's left-to-right order
    tickets: int
    mean_working_minutes: float
    median_working_minutes: float
    waiting_observed: int  # tickets whose first take was observed
    waiting_share: float | None
    share_of_elapsed: float | None
    critical_share: float
    on_critical_path: bool
    sent_back: int  # times sent back
    sent_back_tickets: int
    suggestions: list[Suggestion]


class Handoff(_Model):
    from_stage: str
    to_stage: str
    count: int
    waiting_count: int
    mean_waiting_minutes: float | None
    median_waiting_minutes: float | None


class ReworkLoop(_Model):
    kind: ReworkKind
    stage: str | None  # the stage sent back (None: the ticket reopened)
    back_to: str | None  # the stage the loop returns to (None: unknown or itself)
    count: int
    tickets: int


class Thresholds(_Model):
    min_tickets: int = MIN_TICKETS
    serial_share: float = SERIAL_SHARE
    merge_handoff_share: float = MERGE_HANDOFF_SHARE
    merge_negligible_share: float = MERGE_NEGLIGIBLE_SHARE
    waiting_share: float = WAITING_SHARE
    rework_share: float = REWORK_SHARE
    critical_share: float = CRITICAL_SHARE


class ProcessMap(_Model):
    type_code: str
    workflow: str
    tickets: int  # closed tickets mapped
    left_out: int  # histories given that were not closed
    mean_elapsed_minutes: float | None
    median_elapsed_minutes: float | None
    variants: list[Variant]
    stages: list[StageStats]  # in map order
    handoffs: list[Handoff]
    rework: list[ReworkLoop]
    thresholds: Thresholds


# ---- one ticket ----


@dataclass
class _Task:
    code: str
    department: str
    opened: datetime
    completed: datetime
    order: int  # topological index in the workflow (unknown stages last)
    taken: datetime | None = None
    returned: int = 0
    minutes: int = 0  # working time opened → completed
    inside: int = 0  # the part inside the ticket's accepted → closed
    waiting: int | None = None  # opened → first take, when the take was observed
    handoff_wait: int | None = None  # the enabling stage's completion → first take


@dataclass
class _Path:
    elapsed: int
    tasks: dict[str, _Task]
    steps: list[list[_Task]]
    enabler: dict[str, str]  # stage → the stage whose completion opened it
    critical: set[str]
    visit_rework: int
    reopened: int


def _ticket_path(history: TicketHistory, workflow: Workflow, index: dict[str, int], calendar: WorkingCalendar,
                 zone: tzinfo) -> _Path:
    ticket = history.ticket
    assert ticket.closed_at is not None
    by_id: dict[str, _Task] = {}
    for stage in history.stages:
        if stage.state != "done" or stage.completed_at is None:
            continue
        order = index.get(stage.stage_code, len(index))
        task = _Task(stage.stage_code, stage.department, stage.opened_at, max(stage.completed_at, stage.opened_at),
                     order)
        current = next((t for t in by_id.values() if t.code == stage.stage_code), None)
        if current is None or task.completed > current.completed:  # one task per stage; the later one if two
            by_id = {k: v for k, v in by_id.items() if v is not current}
            by_id[stage.id] = task
    visit_rework = reopened = 0
    for event in sorted(history.events, key=lambda e: e.at):
        if event.stage_task_id is None:
            if event.from_state == "awaiting_visit" and event.to_state == "in_progress":
                visit_rework += 1
            elif event.from_state == "closed" and event.to_state == "reopened":
                reopened += 1
            continue
        found = by_id.get(event.stage_task_id)
        if found is None:
            continue
        if event.to_state == "taken" and found.taken is None:
            found.taken = event.at
        elif event.to_state == "returned":
            found.returned += 1
    tasks = {t.code: t for t in by_id.values()}
    ordered = sorted(tasks.values(), key=lambda t: (t.opened, t.completed, t.order, t.code))
    steps: list[list[_Task]] = []
    step_end: datetime | None = None
    for task in ordered:  # overlapping working intervals form one parallel step
        if steps and step_end is not None and task.opened < step_end:
            steps[-1].append(task)
            step_end = max(step_end, task.completed)
        else:
            steps.append([task])
            step_end = task.completed
    for step in steps:
        step.sort(key=lambda t: (t.order, t.code))
    prerequisites = {s.code: set(s.prerequisites) for s in workflow.stages}
    enabler: dict[str, str] = {}
    for task in ordered:
        before = [t for t in ordered if t is not task and t.completed <= task.opened]
        wanted = [t for t in before if t.code in prerequisites.get(task.code, set())] or before
        if wanted:
            enabler[task.code] = max(wanted, key=lambda t: (t.completed, t.order)).code
    critical: set[str] = set()
    if ordered:
        code: str | None = max(ordered, key=lambda t: (t.completed, t.order)).code
        while code is not None and code not in critical:
            critical.add(code)
            code = enabler.get(code)
    for task in ordered:
        task.minutes = working_minutes(task.opened, task.completed, calendar, zone)
        task.inside = working_minutes(max(task.opened, ticket.accepted_at), min(task.completed, ticket.closed_at),
                                      calendar, zone)
        if task.taken is not None:
            task.waiting = working_minutes(task.opened, min(task.taken, task.completed), calendar, zone)
            source = enabler.get(task.code)
            if source is not None:
                task.handoff_wait = working_minutes(tasks[source].completed, task.taken, calendar, zone)
    elapsed = working_minutes(ticket.accepted_at, ticket.closed_at, calendar, zone)
    return _Path(elapsed, tasks, steps, enabler, critical, visit_rework, reopened)


def _ancestors(workflow: Workflow) -> dict[str, set[str]]:
    """Every stage's prerequisites, directly or through others."""
    out: dict[str, set[str]] = {}
    for stage in topological_order(workflow):
        found: set[str] = set()
        for p in stage.prerequisites:
            found |= {p} | out.get(p, set())
        out[stage.code] = found
    return out


def _mean(values: Sequence[int]) -> float:
    return sum(values) / len(values) if values else 0.0


def _median(values: Sequence[int]) -> float:
    return float(statistics.median(values)) if values else 0.0


# ---- the map ----


def process_map(histories: Iterable[TicketHistory], ticket_type: TicketType, calendar: WorkingCalendar,
                zone: tzinfo = OFFICE_ZONE) -> ProcessMap:
    """The process map of these tickets of `ticket_type` (see the module docstring for every measure and
    heuristic). Histories of another type are refused; tickets not closed are counted in `left_out`."""
    workflow = ticket_type.workflow
    index = {s.code: i for i, s in enumerate(topological_order(workflow))}
    ancestors = _ancestors(workflow)
    paths: list[_Path] = []
    left_out = 0
    for history in histories:
        ticket = history.ticket
        if ticket.type_code != ticket_type.code:
            raise InvalidInput(f"工单 {ticket.id} 不是「{ticket_type.name_zh}」", f"ticket {ticket.id} is not of type "
                               f"{ticket_type.code}", field="type")
        if ticket.state != "closed" or ticket.closed_at is None:
            left_out += 1
            continue
        paths.append(_ticket_path(history, workflow, index, calendar, zone))

    variants = _variants(paths)
    handoffs = _handoffs(paths)
    stages = _stages(paths, workflow, index, ancestors, handoffs)
    elapsed = [p.elapsed for p in paths]
    return ProcessMap(
        type_code=ticket_type.code, workflow=workflow.code, tickets=len(paths), left_out=left_out,
        mean_elapsed_minutes=_mean(elapsed) if elapsed else None,
        median_elapsed_minutes=_median(elapsed) if elapsed else None,
        variants=variants, stages=stages, handoffs=handoffs, rework=_rework(paths, workflow), thresholds=Thresholds())


def _variants(paths: Sequence[_Path]) -> list[Variant]:
    groups: dict[tuple[tuple[tuple[str, int], ...], ...], list[int]] = defaultdict(list)
    for path in paths:
        key = tuple(tuple((t.code, t.returned + 1) for t in step) for step in path.steps)
        groups[key].append(path.elapsed)
    ranked = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    return [Variant(steps=[[StageVisit(stage=code, rounds=rounds) for code, rounds in step] for step in key],
                    count=len(elapsed), share=len(elapsed) / len(paths), mean_elapsed_minutes=_mean(elapsed),
                    median_elapsed_minutes=_median(elapsed))
            for key, elapsed in ranked]


def _handoffs(paths: Sequence[_Path]) -> list[Handoff]:
    counts: Counter[tuple[str, str]] = Counter()
    waits: dict[tuple[str, str], list[int]] = defaultdict(list)
    for path in paths:
        for to, source in path.enabler.items():
            counts[(source, to)] += 1
            wait = path.tasks[to].handoff_wait
            if wait is not None:
                waits[(source, to)].append(wait)
    out = []
    for (source, to), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        found = waits.get((source, to), [])
        out.append(Handoff(from_stage=source, to_stage=to, count=count, waiting_count=len(found),
                           mean_waiting_minutes=_mean(found) if found else None,
                           median_waiting_minutes=_median(found) if found else None))
    return out


def _rework(paths: Sequence[_Path], workflow: Workflow) -> list[ReworkLoop]:
    counts: Counter[tuple[str, str | None, str | None]] = Counter()
    tickets: Counter[tuple[str, str | None, str | None]] = Counter()
    visit = next((s.code for s in workflow.stages if s.is_return_visit), None)
    key: tuple[str, str | None, str | None]
    for path in paths:
        for task in path.tasks.values():
            if task.returned:
                key = ("returned", task.code, path.enabler.get(task.code))
                counts[key] += task.returned
                tickets[key] += 1
        if path.visit_rework:
            stage = visit if visit in path.tasks else None
            key = ("visit_rework", stage, path.enabler.get(stage) if stage is not None else None)
            counts[key] += path.visit_rework
            tickets[key] += 1
        if path.reopened:
            key = ("reopened", None, None)
            counts[key] += path.reopened
            tickets[key] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    return [ReworkLoop(kind=kind, stage=stage, back_to=back_to, count=count,  # type: ignore[arg-type]
                       tickets=tickets[(kind, stage, back_to)])
            for (kind, stage, back_to), count in ranked]


def _stages(paths: Sequence[_Path], workflow: Workflow, index: dict[str, int], ancestors: dict[str, set[str]],
            handoffs: Sequence[Handoff]) -> list[StageStats]:
    having: dict[str, list[_Path]] = defaultdict(list)
    positions: dict[str, list[int]] = defaultdict(list)
    for path in paths:
        for position, step in enumerate(path.steps):
            for task in step:
                having[task.code].append(path)
                positions[task.code].append(position)
    out = []
    for code, mine in having.items():
        tasks = [p.tasks[code] for p in mine]
        minutes = [t.minutes for t in tasks]
        observed = [t for t in tasks if t.waiting is not None]
        observed_minutes = sum(t.minutes for t in observed)
        waiting_share = (sum(t.waiting or 0 for t in observed) / observed_minutes) if observed_minutes else None
        elapsed = sum(p.elapsed for p in mine)
        share = sum(t.inside for t in tasks) / elapsed if elapsed else None
        critical = sum(1 for p in mine if code in p.critical) / len(mine)
        sent_back = sum(t.returned for t in tasks)
        sent_back_tickets = sum(1 for t in tasks if t.returned)
        stats = StageStats(
            stage=code, department=tasks[-1].department, position=_mean(positions[code]), tickets=len(mine),
            mean_working_minutes=_mean(minutes), median_working_minutes=_median(minutes),
            waiting_observed=len(observed), waiting_share=waiting_share, share_of_elapsed=share,
            critical_share=critical, on_critical_path=critical >= CRITICAL_SHARE, sent_back=sent_back,
            sent_back_tickets=sent_back_tickets, suggestions=[])
        out.append(stats)
    by_code = {s.stage: s for s in out}
    flagged = []
    for stats in out:
        flags = _suggestions(stats, having, ancestors, handoffs, by_code)
        flagged.append(stats.model_copy(update={"suggestions": flags}))
    flagged.sort(key=lambda s: (s.position, index.get(s.stage, len(index)), s.stage))
    return flagged


def _suggestions(stats: StageStats, having: dict[str, list[_Path]], ancestors: dict[str, set[str]],
                 handoffs: Sequence[Handoff], by_code: dict[str, StageStats]) -> list[Suggestion]:
    code = stats.stage
    if stats.tickets < MIN_TICKETS:
        return []
    flags: list[Suggestion] = []
    mine = having[code]
    best: tuple[float, str] | None = None
    for other in sorted(having):
        if other == code or other in ancestors.get(code, set()) or code in ancestors.get(other, set()):
            continue
        if other not in ancestors or code not in ancestors:
            continue  # a stage the workflow does not know: nothing says whether they depend on each other
        both = [p for p in mine if other in p.tasks]
        if len(both) < MIN_TICKETS:
            continue
        serial = sum(1 for p in both if (p.tasks[code].taken or p.tasks[code].opened) >= p.tasks[other].completed)
        share = serial / len(both)
        if share >= SERIAL_SHARE and (best is None or share > best[0]):
            best = (share, other)
    if best is not None:
        flags.append(Suggestion(code="parallel", other_stage=best[1], value=best[0]))
    incoming = [h for h in handoffs if h.to_stage == code]
    if incoming:
        main = max(incoming, key=lambda h: (h.count, h.from_stage))
        source = by_code.get(main.from_stage)
        handoff_share = main.count / stats.tickets
        elapsed = _median([p.elapsed for p in mine])
        work_share = stats.median_working_minutes / elapsed if elapsed else 0.0
        if source is not None and source.department == stats.department and handoff_share >= MERGE_HANDOFF_SHARE \
                and work_share <= MERGE_NEGLIGIBLE_SHARE:
            flags.append(Suggestion(code="merge", other_stage=main.from_stage, value=work_share))
    if stats.waiting_observed >= MIN_TICKETS and stats.waiting_share is not None and \
            stats.waiting_share >= WAITING_SHARE:
        flags.append(Suggestion(code="waiting", value=stats.waiting_share))
    rework_share = stats.sent_back_tickets / stats.tickets
    if rework_share >= REWORK_SHARE:
        flags.append(Suggestion(code="rework", value=rework_share))
    return flags
