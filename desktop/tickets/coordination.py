"""The daily / weekly / monthly coordination lists a supervisor runs (Qt-free).

Two lists: items stuck between departments (a stage overdue, sent back, escalated, or waiting
longer than a threshold on a ticket that more than one department works), and, per department,
its workload, overdue stages, lateness in the period and the collaboration ratings it received.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import mean
from typing import Literal

from desktop.tickets import labels, store_reads
from desktop.tickets.evaluation import lead_department
from desktop.tickets.progress import task_sla
from domain import sla
from domain.catalogue import Catalogue
from domain.errors import DomainError
from domain.records import StageTask, Ticket
from domain.sla import OFFICE_ZONE
from domain.supervision import check_range
from local_store import Store

Period = Literal["daily", "weekly", "monthly", "custom"]
PERIOD_NAMES: dict[str, tuple[str, str]] = {"daily": ("日", "daily"), "weekly": ("周", "weekly"),
                                            "monthly": ("月", "monthly"), "custom": ("自定义", "custom range")}
STUCK_STATES = ("returned", "escalated", "transferred")


@dataclass(frozen=True)
class StuckItem:
    ticket_number: str
    ticket_type: str
    stage: str
    department: str  # who holds it
    lead_department: str  # who waits on it
    state: str
    waited: timedelta
    due_at: datetime | None
    overdue: bool
    reason: str
    ticket_id: str = ""


@dataclass(frozen=True)
class DepartmentLine:
    department: str
    active: int
    overdue_now: int
    completed: int
    completed_late: int
    lead_rating: float | None  # average 主责评价 it received
    peer_rating: float | None  # average 协作互评 it received (as the lead)

    @property
    def on_time_rate(self) -> float | None:
        return (self.completed - self.completed_late) / self.completed if self.completed else None


@dataclass(frozen=True)
class CoordinationReport:
    period: Period
    start: datetime
    end: datetime
    office_id: str
    stuck: list[StuckItem]
    departments: list[DepartmentLine]
    lang: str = "zh"

    def title(self) -> str:
        zh, en = PERIOD_NAMES[self.period]
        span = f"{labels.local_time(self.start)[:10]} – {labels.local_time(self.end - timedelta(seconds=1))[:10]}"
        if self.lang.startswith("en"):
            return f"Cross-department coordination list ({en}), {span}"
        return f"跨部门协调清单（{zh}），{span}"


@dataclass
class _Tally:
    active: int = 0
    overdue: int = 0
    completed: int = 0
    late: int = 0
    lead: list[int] = field(default_factory=list)
    peer: list[int] = field(default_factory=list)

    def line(self, department: str) -> DepartmentLine:
        return DepartmentLine(department, self.active, self.overdue, self.completed, self.late,
                              _average(self.lead), _average(self.peer))


def range_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """A custom range of office days, both included, checked by domain.supervision.check_range (start ≤ end,
    at most a year); raises InvalidInput saying what is wrong."""
    check_range(first, last)
    return (datetime.combine(first, time.min, tzinfo=OFFICE_ZONE),
            datetime.combine(last + timedelta(days=1), time.min, tzinfo=OFFICE_ZONE))


def period_bounds(period: Period, now: datetime) -> tuple[datetime, datetime]:
    """The calendar day, week (from Monday) or month containing `now`, in the office's zone."""
    local = now.astimezone(OFFICE_ZONE).date()
    if period == "daily":
        first, after = local, local + timedelta(days=1)
    elif period == "weekly":
        first = local - timedelta(days=local.weekday())
        after = first + timedelta(days=7)
    else:
        first = local.replace(day=1)
        after = (first + timedelta(days=32)).replace(day=1)
    return (datetime.combine(first, time.min, tzinfo=OFFICE_ZONE), datetime.combine(after, time.min, tzinfo=OFFICE_ZONE))


def _stage_name(ticket: Ticket | None, code: str, catalogue: Catalogue, lang: str) -> str:
    if ticket is None:
        return code
    try:
        return catalogue.ticket_type(ticket.type_code).workflow.stage(code).name(lang)
    except DomainError:
        return code


def build_report(tasks: Iterable[StageTask], tickets: Mapping[str, Ticket], catalogue: Catalogue, *,
                 period: Period, start: datetime, end: datetime, now: datetime, office_id: str,
                 stuck_after: timedelta = timedelta(days=2), lang: str = "zh") -> CoordinationReport:
    tasks = list(tasks)
    by_ticket: dict[str, list[StageTask]] = defaultdict(list)
    for task in tasks:
        by_ticket[task.ticket_id].append(task)
    stuck: list[StuckItem] = []
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    for task in tasks:
        ticket = tickets.get(task.ticket_id)
        tally = tallies[task.department]
        active = task.state in store_reads.ACTIVE_TASK_STATES
        late_now = active and task_sla(task, now) is sla.SlaState.OVERDUE
        if active:
            tally.active += 1
            tally.overdue += int(late_now)
        if task.state == "done" and task.completed_at is not None and start <= task.completed_at < end:
            tally.completed += 1
            tally.late += int(sla.finished_late(task.due_at, task.completed_at))
        _collect_ratings(task, tallies)
        if ticket is None or not active:
            continue
        lead = lead_department(ticket, catalogue) or ""
        involved = {t.department for t in by_ticket[task.ticket_id]} | {lead}
        waited = max(now - task.opened_at, timedelta(0))
        if len(involved) > 1 and (late_now or task.state in STUCK_STATES or waited >= stuck_after):
            stuck.append(StuckItem(
                ticket_number=ticket.number or ticket.provisional_number or ticket.id,
                ticket_type=labels.ticket_type_name(ticket.type_code, lang),
                stage=_stage_name(ticket, task.stage_code, catalogue, lang),
                department=task.department, lead_department=lead,
                state=labels.state_name("stage_task", task.state, lang), waited=waited, due_at=task.due_at,
                overdue=late_now, reason=task.reason or "", ticket_id=ticket.id))
    stuck.sort(key=lambda item: (not item.overdue, -item.waited.total_seconds()))
    departments = [tally.line(name) for name, tally in sorted(tallies.items())]
    return CoordinationReport(period, start, end, office_id, stuck, departments, lang)


def _collect_ratings(task: StageTask, tallies: Mapping[str, _Tally]) -> None:
    visit = task.result.get("return_visit") if isinstance(task.result, dict) else None
    if isinstance(visit, dict) and isinstance(visit.get("lead_ratings"), dict):
        for department, score in visit["lead_ratings"].items():
            if isinstance(score, int):
                tallies[department].lead.append(score)
    peer = task.result.get("peer_rating") if isinstance(task.result, dict) else None
    if isinstance(peer, dict) and isinstance(peer.get("score"), int) and isinstance(peer.get("department"), str):
        tallies[peer["department"]].peer.append(peer["score"])


def _average(values: list[int]) -> float | None:
    return round(mean(values), 2) if values else None


def coordination_report(store: Store, catalogue: Catalogue, office_id: str, period: Period, now: datetime,
                        lang: str = "zh", between: tuple[date, date] | None = None) -> CoordinationReport:
    """Read the office's stages for the period (or the custom days `between`, both included) and build both
    lists (runs in the store executor)."""
    start, end = period_bounds(period, now) if between is None else range_bounds(*between)
    tasks = store_reads.office_tasks_between(store, office_id, start, end)
    tickets = store_reads.tickets_by_id(store, {t.ticket_id for t in tasks})
    return build_report(tasks, tickets, catalogue, period=period, start=start, end=end, now=now,
                        office_id=office_id, lang=lang)
