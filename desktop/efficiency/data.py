"""What the efficiency monitor reads (Qt-free): the server's overview and evaluations for a period, the
previous period of the same length, and the daily series behind the trend chart, kept as one snapshot that
the desk's store caches so the last one stays readable offline (docs/efficiency-desk.md)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from domain import indicators as ind
from domain.anomalies import AnomalyRule, Target, targets
from domain.records import Ticket
from domain.sla import OFFICE_ZONE

SNAPSHOT_VERSION = 1
PARALLEL_REQUESTS = 4
DRILL_LIMIT = 500

Better = Literal["up", "down"]


@dataclass(frozen=True)
class Kpi:
    """One tile: which indicator, how it reads, and which way is better."""

    key: str  # the Indicators field
    title: str  # source text (Chinese), translated where shown
    kind: Literal["rate", "count", "rating", "days", "minutes", "per_thousand", "trips"]
    better: Better
    drill: str  # what the drill-down lists (see drill_tickets)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks `text` for pyside6-lupdate under `context`; returns it unchanged (keeps this module Qt-free)."""
    return text


KPIS: tuple[Kpi, ...] = (
    Kpi("ticket_on_time_rate", QT_TRANSLATE_NOOP("EfficiencyMonitor", "按时办结率"), "rate", "up", "closed"),
    Kpi("overdue_backlog", QT_TRANSLATE_NOOP("EfficiencyMonitor", "超期积压"), "count", "down", "overdue"),
    Kpi("first_time_resolution_rate", QT_TRANSLATE_NOOP("EfficiencyMonitor", "一次办结率"), "rate", "up", "closed"),
    Kpi("mean_customer_rating", QT_TRANSLATE_NOOP("EfficiencyMonitor", "客户评价均分"), "rating", "up", "accepted"),
    Kpi("dissatisfied_share", QT_TRANSLATE_NOOP("EfficiencyMonitor", "不满意占比"), "rate", "down", "accepted"),
    Kpi("working_days_saved", QT_TRANSLATE_NOOP("EfficiencyMonitor", "并行节省工作日"), "days", "up", "closed"),
    Kpi("online_share", QT_TRANSLATE_NOOP("EfficiencyMonitor", "线上受理占比"), "rate", "up", "online"),
    # 价值创造: customer trips a hall-only process would have needed and these did not (domain.indicators.trips_avoided)
    Kpi("trips_avoided", QT_TRANSLATE_NOOP("EfficiencyMonitor", "客户少跑次数"), "trips", "up", "trips"),
    Kpi("mean_response_minutes", QT_TRANSLATE_NOOP("EfficiencyMonitor", "协同响应时间"), "minutes", "down", "accepted"),
    # 补充材料/信息 (domain.info_requests): where "collected once, shared by all" broke
    Kpi("materials_asked_again_per_thousand", QT_TRANSLATE_NOOP("EfficiencyMonitor", "材料重复索要"), "per_thousand",
        "down", "asked_again"),
    Kpi("information_sharing_quality", QT_TRANSLATE_NOOP("EfficiencyMonitor", "信息共享质量"), "rate", "up", "asked"),
)


# ---- periods ----


def this_month(today: date) -> tuple[date, date]:
    return today.replace(day=1), today


def last_month(today: date) -> tuple[date, date]:
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The same number of days just before `start` (a calendar month compares with the month before)."""
    if start.day == 1 and (end + timedelta(days=1)).day == 1:
        return last_month(start)
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


buckets = ind.trend_buckets  # the trend's points: the server's series answers the same ones


def today_in_office(now: datetime) -> date:
    return now.astimezone(OFFICE_ZONE).date()


# ---- the snapshot ----


@dataclass(frozen=True)
class Slice:
    """Which part the tiles and the trend show: everything, one ticket type or one department."""

    kind: Literal["all", "type", "department"] = "all"
    value: str | None = None


@dataclass
class Snapshot:
    start: date
    end: date
    office: str | None  # None: every office the caller reads (a supervisor: their own)
    fetched_at: datetime
    overview: dict[str, Any]
    previous: dict[str, Any]
    daily: list[tuple[date, date, dict[str, Any]]]
    evaluations: list[dict[str, Any]]
    rules: list[dict[str, Any]] = field(default_factory=list)  # the one office's rules and targets; [] for several
    cached: bool = False  # read back from the store, not from the server
    version: int = field(default=SNAPSHOT_VERSION)

    def to_json(self) -> str:
        return json.dumps({
            "version": self.version, "start": self.start.isoformat(), "end": self.end.isoformat(),
            "office": self.office, "fetched_at": self.fetched_at.isoformat(), "overview": self.overview,
            "previous": self.previous, "evaluations": self.evaluations, "rules": self.rules,
            "daily": [[a.isoformat(), b.isoformat(), part] for a, b, part in self.daily],
        }, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | None) -> Snapshot | None:
        """The cached snapshot, or None when there is none or it is of another version or unreadable."""
        if not text:
            return None
        try:
            raw = json.loads(text)
            if raw.get("version") != SNAPSHOT_VERSION:
                return None
            return cls(
                start=date.fromisoformat(raw["start"]), end=date.fromisoformat(raw["end"]), office=raw["office"],
                fetched_at=datetime.fromisoformat(raw["fetched_at"]), overview=raw["overview"],
                previous=raw["previous"], evaluations=raw["evaluations"], rules=list(raw.get("rules") or []),
                daily=[(date.fromisoformat(a), date.fromisoformat(b), part) for a, b, part in raw["daily"]],
                cached=True,
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    # -- reading it --

    def offices(self) -> list[dict[str, Any]]:
        return list(self.overview.get("offices", []))

    def indicators(self, where: Slice, overview: dict[str, Any] | None = None) -> dict[str, Any] | None:
        return slice_indicators(self.overview if overview is None else overview, where)

    def evaluation_office(self) -> dict[str, Any] | None:
        """The one office whose multi-party ranking is shown: the chosen one, or the only one read. Several
        offices together have no ranking (each office ranks its own departments with its own weights)."""
        if self.office is None:
            return self.evaluations[0] if len(self.evaluations) == 1 else None
        return next((o for o in self.evaluations if o.get("office_id") == self.office), None)

    def department_rates(self) -> dict[str, dict[str, Any]]:
        """Per department, its indicators of the period (the overview's by_department rows)."""
        return {str(row["department"]): row.get("indicators", {}) for row in self.overview.get("by_department", [])
                if row.get("department")}

    def department_order(self) -> list[str]:
        """Departments as ranked: by the month's multi-party rank, then the unranked by stage on-time rate."""
        scores, rates = self.department_scores(), self.department_rates()
        return sorted(set(scores) | set(rates), key=lambda d: (
            scores.get(d, {}).get("rank") is None, scores.get(d, {}).get("rank") or 0,
            -(rates.get(d, {}).get("stage_on_time_rate") or 0.0), d))

    def department_scores(self) -> dict[str, dict[str, Any]]:
        """Per department, the month's weighted multi-party score and rank (see evaluation_office)."""
        office = self.evaluation_office()
        return {} if office is None else {d["department"]: d for d in office.get("departments", [])}


def slice_indicators(overview: dict[str, Any], where: Slice) -> dict[str, Any] | None:
    if where.kind == "all":
        return overview.get("rollup")
    rows = overview.get("by_type" if where.kind == "type" else "by_department", [])
    key = "type_code" if where.kind == "type" else "department"
    found = next((row["indicators"] for row in rows if row.get(key) == where.value), None)
    if found is None and overview.get("rollup") is not None:
        return {}  # nothing measured for this slice in the period
    return found


def cache_key(staff_id: str) -> str:
    """The store's meta key holding this staff member's last snapshot."""
    return f"efficiency_snapshot:{staff_id}"


def _trim(overview: dict[str, Any]) -> dict[str, Any]:
    """What a trend point keeps: the roll-up and the slices the pickers offer (not the per-stage rows)."""
    return {k: overview.get(k) for k in ("rollup", "offices", "by_department", "by_type")}


async def fetch_snapshot(client: Any, start: date, end: date, office: str | None, now: datetime) -> Snapshot:
    """The period's overview, the previous period's, the trend's points (one request: the server's series) and
    the month's evaluations (of the period's last month). `client` is the desk's ApiClient; failures are its
    SyncErrors."""
    gate = asyncio.Semaphore(PARALLEL_REQUESTS)

    async def overview(first: date, last: date) -> dict[str, Any]:
        async with gate:
            answer: dict[str, Any] = await client.efficiency_overview(first, last, office)
        return answer

    async def evaluations() -> list[dict[str, Any]]:
        async with gate:
            answer: list[dict[str, Any]] = await client.efficiency_evaluations(end.strftime("%Y-%m"), office)
        return answer

    async def series() -> list[dict[str, Any]]:
        async with gate:
            answer: list[dict[str, Any]] = await client.efficiency_series(start, end, office)
        return answer

    before = previous_period(start, end)
    # Every request's failure is collected (none left unretrieved in a task), the first one raised.
    answers = await asyncio.gather(overview(start, end), overview(*before), evaluations(), series(),
                                   return_exceptions=True)
    failed = next((a for a in answers if isinstance(a, BaseException)), None)
    if failed is not None:
        raise failed
    main, prior, scores, points = answers
    offices = [o.get("office_id") for o in main.get("offices", [])]
    one = office or (offices[0] if len(offices) == 1 else None)
    # Targets are an office's own: several offices side by side have none to show.
    rules: list[dict[str, Any]] = await client.efficiency_rules(one) if one else []
    return Snapshot(start=start, end=end, office=office, fetched_at=now, overview=main, previous=prior,
                    daily=[(date.fromisoformat(p["start"]), date.fromisoformat(p["end"]), _trim(p)) for p in points],
                    evaluations=scores, rules=rules)


def tile_targets(rules: Sequence[dict[str, Any]]) -> dict[str, Target]:
    """Each tile's target from the office's rules as the server sent them (domain.anomalies.targets)."""
    parsed = [AnomalyRule(str(r["code"]), str(r["kind"]), str(r["indicator"]), dict(r.get("params") or {}),
                          bool(r.get("enabled", True))) for r in rules]
    return targets(parsed)


# ---- trend ----


def change(current: float | None, previous: float | None) -> float | None:
    if current is None or previous is None:
        return None
    return float(current) - float(previous)


def is_better(delta: float, better: Better) -> bool | None:
    if delta == 0:
        return None
    return (delta > 0) == (better == "up")


# ---- drill-down: the tickets behind a number, from the desk's own synced copy ----


def _in_period(moment: datetime | None, start: date, end: date) -> bool:
    return moment is not None and start <= moment.astimezone(OFFICE_ZONE).date() <= end


def drill_tickets(store: Any, office_id: str, drill: str, start: date, end: date, now: datetime,
                  type_code: str | None = None, department: str | None = None) -> list[Ticket]:
    """The office's tickets on this desk behind a number: `overdue` open and past a deadline now; `closed`
    closed (办结, not cancelled) in the period; `accepted` accepted in the period; `online` accepted on the app or WeChat in the
    period; `worked` (with a department) every ticket whose stage of it was active or worked in the period;
    `asked_again` accepted in the period and its customer asked for more materials since (材料重复索要); `asked`
    with a stage done in the period on which the customer or another department was asked again (信息共享质量);
    `trips` accepted in the period and sparing the customer a trip (客户少跑次数: accepted online, a request between
    departments, a remote survey done). A department keeps the tickets with a stage of that department active or worked in the period.
    Newest first, at most DRILL_LIMIT. Runs on the store thread."""
    from local_store import TicketFilters

    types = (type_code,) if type_code else None
    if drill == "overdue":
        found = store.ticket_queue(TicketFilters(office_id=office_id, type_codes=types, stage_department=department,
                                                 sla="overdue", sla_at=now), sort="-accepted_at", limit=DRILL_LIMIT)
        return list(found)
    lower = datetime.combine(start, time(), OFFICE_ZONE)
    upper = datetime.combine(end + timedelta(days=1), time(), OFFICE_ZONE)
    if drill == "asked":
        asked = store.asked_stage_ids(office_id)
        done = [task for task in store.stage_tasks_between(office_id, lower, upper)
                if task.id in asked and task.state == "done" and _in_period(task.completed_at, start, end)
                and (department is None or task.department == department)]
        found = [t for t in store.tickets_by_id({task.ticket_id for task in done}).values()
                 if not types or t.type_code in types]
        found.sort(key=lambda t: (t.accepted_at, t.id), reverse=True)
        return found[:DRILL_LIMIT]
    if department is not None:
        tasks = store.stage_tasks_between(office_id, lower, upper)
        ids = {task.ticket_id for task in tasks if task.department == department}
        candidates: Sequence[Ticket] = list(store.tickets_by_id(ids).values())
        if types:
            candidates = [t for t in candidates if t.type_code in types]
    else:
        candidates, offset = [], 0
        while True:  # newest first: stop at the first page that reaches before the period
            page = store.ticket_queue(TicketFilters(office_id=office_id, type_codes=types), sort="-accepted_at",
                                      offset=offset, limit=1000)
            candidates.extend(page)
            if len(page) < 1000 or (drill != "closed" and page[-1].accepted_at.astimezone(OFFICE_ZONE).date() < start):
                break
            offset += 1000
    if drill == "worked":  # the department's stages in the period, whatever became of the ticket
        kept = list(candidates)
    elif drill == "closed":
        # 办结 as the server counts it (domain.indicators.ticket_facts): a cancelled ticket has a closed_at too
        kept = [t for t in candidates if t.state == "closed" and _in_period(t.closed_at, start, end)]
    else:
        kept = [t for t in candidates if _in_period(t.accepted_at, start, end)]
        if drill == "online":
            kept = [t for t in kept if str(t.channel) in ind.ONLINE_CHANNELS]
        elif drill == "asked_again":
            asked_again = store.asked_ticket_ids(office_id, "customer")
            kept = [t for t in kept if t.id in asked_again]
        elif drill == "trips":
            sparing = store.tickets_sparing_trips(office_id)
            kept = [t for t in kept if str(t.channel) in ind.ONLINE_CHANNELS or t.id in sparing]
    kept.sort(key=lambda t: (t.accepted_at, t.id), reverse=True)
    return kept[:DRILL_LIMIT]


# ---- anomaly alerts (backend.efficiency.alerts) ----

ALERT_POLL_MS = 20_000  # while the area is open: an alert raised on the server shows within this (< 60 s)
ALERT_INDICATORS: dict[str, str] = {  # indicator → its name (source text, translated where shown)
    "ticket_on_time_rate": QT_TRANSLATE_NOOP("EfficiencyMonitor", "按时办结率"),
    "stage_on_time_rate": QT_TRANSLATE_NOOP("EfficiencyMonitor", "环节按时率"),
    "overdue_backlog": QT_TRANSLATE_NOOP("EfficiencyMonitor", "超期积压"),
    "median_stage_working_minutes": QT_TRANSLATE_NOOP("EfficiencyMonitor", "环节办理时长中位数"),
}


def tiles_in_alert(alerts: Sequence[dict[str, Any]]) -> set[str]:
    """The tiles (KPI keys) whose indicator has an unresolved alert."""
    keys = {kpi.key for kpi in KPIS}
    return {str(a["indicator"]) for a in alerts if a.get("state") != "resolved" and a.get("indicator") in keys}


def alert_tickets(store: Any, ticket_ids: Sequence[str]) -> list[Ticket]:
    """The tickets an alert names, from the desk's synced copy, newest first. Runs on the store thread."""
    found = list(store.tickets_by_id(ticket_ids).values())
    found.sort(key=lambda t: (t.accepted_at, t.id), reverse=True)
    return found[:DRILL_LIMIT]
