"""Anomaly alerts of the efficiency monitor: rules per office (data, editable), their evaluation on the
server, and the alerts they raise (acknowledged or resolved with a note, audited).

Evaluation (`evaluate_office`) feeds `domain.anomalies` with figures read from the facts tables and
stores one alert per rule × slice while it stays unresolved (a unique `open_key`): a finding on a
slice that already has an open alert refreshes its evidence and tickets instead of raising another.

When: the push path's fact upkeep marks the touched office dirty (`mark_dirty`, in memory, no I/O);
`AlertRunner` evaluates a dirty office at most once every `DEBOUNCE_SECONDS` and every office every
`SWEEP_SECONDS` (rules over "today" change with the clock alone). A push therefore never waits for an
evaluation, and an alert exists a few seconds after the push that caused it.
"""

from __future__ import annotations

import logging
import threading
import time as monotonic
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.audit import append_audit
from backend.auth import Principal
from backend.background import BackgroundLoop
from backend.context import AppContext, context, principal
from backend.db.base import table_of
from backend.db.records import OfficeRow, StageTaskRow, TicketRow
from backend.efficiency import api
from backend.efficiency.tables import AnomalyRuleRow, EfficiencyAlert, EfficiencyFact, EfficiencyHistogram
from backend.http_errors import FORBIDDEN, OUT_OF_SCOPE, ApiError
from domain import anomalies as an
from domain import indicators as ind
from domain.errors import InvalidInput
from domain.roles import may_handle_alerts
from domain.sla import OFFICE_ZONE

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/efficiency", tags=["efficiency"])
_FACTS = table_of(EfficiencyFact)
_HIST = table_of(EfficiencyHistogram)
DEBOUNCE_SECONDS = 3.0
SWEEP_SECONDS = 300.0
_MAX_TICKETS = 200
_OPEN_STATES = ("open", "acknowledged")

# ---- dirty offices, marked by the push path (keyed by the engine so several apps in one process part) ----

_dirty: dict[int, set[str]] = {}
_dirty_lock = threading.Lock()


def mark_dirty(session: Session, office_id: str) -> None:
    with _dirty_lock:
        _dirty.setdefault(id(session.get_bind()), set()).add(office_id)


def _take_dirty(engine: Any) -> set[str]:
    with _dirty_lock:
        return _dirty.pop(id(engine), set())


# ---- rules ----


def office_rules(session: Session, office_id: str) -> tuple[list[an.AnomalyRule], set[str]]:
    """The office's effective rules and the codes it stored."""
    stored = [an.AnomalyRule(r.code, r.kind, r.indicator, dict(r.params), r.enabled)
              for r in session.execute(select(AnomalyRuleRow).where(AnomalyRuleRow.office_id == office_id)
                                       .order_by(AnomalyRuleRow.code)).scalars()]
    return an.effective_rules(stored), {r.code for r in stored}


# ---- evaluation ----


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), OFFICE_ZONE)


def _daily_on_time(session: Session, office_id: str, indicator: str, first: date, last: date) -> dict[date, tuple[int, int]]:
    on_time, with_limit = (("stages_on_time", "stages_with_limit") if indicator == "stage_on_time_rate"
                           else ("closed_on_time", "closed_with_limit"))
    rows = session.execute(
        select(_FACTS.c.day, func.sum(_FACTS.c[on_time]), func.sum(_FACTS.c[with_limit]))
        .where(_FACTS.c.office_id == office_id, _FACTS.c.day >= first, _FACTS.c.day <= last)
        .group_by(_FACTS.c.day))
    return {day: (int(a or 0), int(b or 0)) for day, a, b in rows}


def _late_tickets(session: Session, office_id: str, indicator: str, since: datetime) -> list[str]:
    if indicator == "stage_on_time_rate":
        statement = select(StageTaskRow.ticket_id).where(
            StageTaskRow.office_id == office_id, StageTaskRow.completed_at >= since,
            StageTaskRow.due_at.is_not(None), StageTaskRow.completed_at > StageTaskRow.due_at)
    else:
        statement = select(TicketRow.id).where(
            TicketRow.office_id == office_id, TicketRow.closed_at >= since,
            TicketRow.due_at.is_not(None), TicketRow.closed_at > TicketRow.due_at)
    return sorted(set(session.execute(statement.limit(_MAX_TICKETS * 4)).scalars()))[:_MAX_TICKETS]


def _histograms(session: Session, office_id: str, first: date, last: date) -> dict[tuple[str, str], dict[int, int]]:
    out: dict[tuple[str, str], dict[int, int]] = {}
    for department, stage, bucket, n in session.execute(
        select(_HIST.c.department, _HIST.c.stage_code, _HIST.c.bucket, func.sum(_HIST.c["count"]))
        .where(_HIST.c.office_id == office_id, _HIST.c.day >= first, _HIST.c.day <= last,
               _HIST.c.stage_code != ind.ANY)
        .group_by(_HIST.c.department, _HIST.c.stage_code, _HIST.c.bucket)
    ):
        out.setdefault((department, stage), {})[int(bucket)] = int(n or 0)
    return out


def _slow_stage_tickets(session: Session, office_id: str, department: str, stage: str, since: datetime,
                        threshold: float) -> list[str]:
    """Tickets of the slice's stage tasks completed since `since` that took longer than the threshold."""
    from backend import rules as office_rules_module  # the office calendar (working time)

    calendar = office_rules_module.office_calendar(session)
    rows = session.execute(select(StageTaskRow.ticket_id, StageTaskRow.opened_at, StageTaskRow.completed_at).where(
        StageTaskRow.office_id == office_id, StageTaskRow.department == department,
        StageTaskRow.stage_code == stage, StageTaskRow.completed_at >= since))
    slow = {ticket_id for ticket_id, opened, completed in rows
            if completed is not None and ind.bucket_upper_minutes(ind.duration_bucket(ind.working_minutes(opened, completed, calendar)))
            > threshold}
    return sorted(slow)[:_MAX_TICKETS]


def findings(session: Session, office_id: str, now: datetime) -> list[tuple[an.Finding, list[str]]]:
    """Every enabled rule of the office evaluated at `now`, with the tickets behind each finding."""
    today = now.astimezone(OFFICE_ZONE).date()
    rules, _ = office_rules(session, office_id)
    out: list[tuple[an.Finding, list[str]]] = []
    for rule in rules:
        if not rule.enabled:
            continue
        if rule.kind == "on_time_below_target":
            first = today - timedelta(days=int(rule.params["days"]) - 1)
            found = an.on_time_below_target(rule, _daily_on_time(session, office_id, rule.indicator, first, today), today)
            if found is not None:
                out.append((found, _late_tickets(session, office_id, rule.indicator, _midnight(first))))
        elif rule.kind == "backlog_above":
            backlog = api.overdue_backlog(session, [office_id], now)
            found = an.backlog_above(rule, backlog[office_id].count)
            if found is not None:
                out.append((found, backlog[office_id].ticket_ids[:_MAX_TICKETS]))
        elif rule.kind == "stage_time_mad":
            recent_first = today - timedelta(days=int(rule.params["recent_days"]) - 1)
            baseline_first = recent_first - timedelta(weeks=int(rule.params["baseline_weeks"]))
            recent = _histograms(session, office_id, recent_first, today)
            baseline = _histograms(session, office_id, baseline_first, recent_first - timedelta(days=1))
            for found in an.stage_time_mad(rule, recent, baseline):
                out.append((found, _slow_stage_tickets(
                    session, office_id, found.slice["department"], found.slice["stage_code"],
                    _midnight(recent_first), float(found.evidence["threshold"]))))
    return out


def evaluate_office(ctx: AppContext, office_id: str) -> int:
    """Evaluate the office's rules now; raise new alerts, refresh open ones. Returns alerts raised."""
    now = ctx.now()
    with ctx.database.read() as session:  # most evaluations find nothing: no write, no writer lock
        found_now = findings(session, office_id, now)
    if not found_now:
        return 0
    with ctx.database.write() as session:
        # Replicas evaluate the same office: the office row's lock makes them take turns, so the second reads the
        # alert the first raised (READ COMMITTED) and refreshes it instead of breaking the unique open_key.
        # SQLite's writes are one at a time already.
        session.execute(select(OfficeRow.id).where(OfficeRow.id == office_id).with_for_update())
        raised = 0
        for found, tickets in found_now:
            key = f"{found.rule_code}|{found.slice_key}"
            existing = session.execute(select(EfficiencyAlert).where(
                EfficiencyAlert.office_id == office_id, EfficiencyAlert.open_key == key)).scalar_one_or_none()
            if existing is not None:
                existing.evidence, existing.ticket_ids, existing.updated_at = dict(found.evidence), tickets, now
                continue
            session.add(EfficiencyAlert(
                id=str(uuid.uuid4()), office_id=office_id, rule_code=found.rule_code, indicator=found.indicator,
                slice=dict(found.slice), evidence=dict(found.evidence), ticket_ids=tickets, state="open",
                open_key=key, raised_at=now, updated_at=now))
            append_audit(session, office_id=office_id, staff_id=None, action="efficiency_alert.raised", subject=key,
                         detail={"indicator": found.indicator, "slice": dict(found.slice)}, at=now, now=now)
            raised += 1
        return raised


def evaluate_all(ctx: AppContext) -> int:
    with ctx.database.read() as session:
        offices = list(session.execute(select(OfficeRow.id).order_by(OfficeRow.id)).scalars())
    return sum(evaluate_office(ctx, office_id) for office_id in offices)


class AlertRunner(BackgroundLoop):
    """The background loop: dirty offices at most every DEBOUNCE_SECONDS, all offices every SWEEP_SECONDS."""

    name = "onewindow-efficiency-alerts"

    def __init__(self, ctx: AppContext, debounce: float = DEBOUNCE_SECONDS, sweep: float = SWEEP_SECONDS) -> None:
        super().__init__()
        self._ctx, self._debounce, self._sweep = ctx, debounce, sweep
        self._swept: float | None = None

    def run_dirty(self) -> int:
        return sum(evaluate_office(self._ctx, o) for o in sorted(_take_dirty(self._ctx.database.write_engine)))

    def step(self) -> int:
        if self._swept is None or monotonic.monotonic() - self._swept >= self._sweep:
            _take_dirty(self._ctx.database.write_engine)
            self._swept = monotonic.monotonic()
            evaluate_all(self._ctx)
            return 0
        return self.run_dirty()

    def interval(self) -> float:
        return self._debounce


# ---- API ----


class RuleOut(BaseModel):
    code: str
    kind: str
    indicator: str
    params: dict[str, float]
    enabled: bool
    default: bool  # the office has not changed it


class RuleBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(max_length=32)
    indicator: str | None = Field(default=None, max_length=64)
    params: dict[str, float] = Field(default_factory=dict, max_length=10)
    enabled: bool = True
    office_id: str | None = Field(default=None, max_length=64)


class Alert(BaseModel):
    id: str
    office_id: str
    rule_code: str
    indicator: str
    slice: dict[str, Any]
    evidence: dict[str, Any]
    ticket_ids: list[str]
    state: str
    raised_at: datetime
    updated_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    acknowledge_note: str | None
    resolved_at: datetime | None
    resolved_by: str | None
    resolve_note: str | None


class NoteBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field(max_length=1000)


def _alert(row: EfficiencyAlert) -> Alert:
    return Alert.model_validate(row, from_attributes=True)


def _office_for_change(session: Session, who: Principal, office_id: str | None) -> str:
    if not may_handle_alerts(who.role):
        raise FORBIDDEN
    office_id = office_id or who.office_id
    if not who.may_see_office(office_id):
        raise OUT_OF_SCOPE
    if session.get(OfficeRow, office_id) is None:
        raise ApiError(404, "not_found", "营业单位不存在 / no such office")
    return office_id


@router.get("/rules", response_model=list[RuleOut])
def get_rules(office: str | None = Query(default=None, max_length=64), who: Principal = Depends(principal),
              ctx: AppContext = Depends(context)) -> list[RuleOut]:
    with ctx.database.read() as session:
        (chosen, *_) = api.readable_offices(session, who, office or who.office_id)
        rules, stored = office_rules(session, chosen.id)
        return [RuleOut(code=r.code, kind=r.kind, indicator=r.indicator, params=dict(r.params), enabled=r.enabled,
                        default=r.code not in stored) for r in rules]


@router.put("/rules/{code}", response_model=RuleOut)
def put_rule(code: str, body: RuleBody, who: Principal = Depends(principal),
             ctx: AppContext = Depends(context)) -> RuleOut:
    if not may_handle_alerts(who.role):
        raise FORBIDDEN
    try:
        rule = an.validate_rule(code, body.kind, body.indicator, body.params, body.enabled)
    except InvalidInput as error:
        raise ApiError(400, "invalid_input", f"{error.message_zh} / {error.message_en}") from None
    now = ctx.now()
    with ctx.database.write() as session:
        office_id = _office_for_change(session, who, body.office_id)
        row = session.get(AnomalyRuleRow, (office_id, code))
        if row is None:
            row = AnomalyRuleRow(office_id=office_id, code=code)
            session.add(row)
        row.kind, row.indicator, row.params, row.enabled = rule.kind, rule.indicator, dict(rule.params), rule.enabled
        row.updated_at, row.updated_by = now, who.staff_id
        append_audit(session, office_id=office_id, staff_id=who.staff_id, action="efficiency_rule.set", subject=code,
                     detail={"kind": rule.kind, "params": dict(rule.params), "enabled": rule.enabled}, at=now, now=now)
    return RuleOut(code=code, kind=rule.kind, indicator=rule.indicator, params=dict(rule.params),
                   enabled=rule.enabled, default=False)


@router.get("/alerts", response_model=list[Alert])
def get_alerts(office: str | None = Query(default=None, max_length=64),
               include_resolved: bool = Query(default=False),
               limit: int = Query(default=200, ge=1, le=1000),
               who: Principal = Depends(principal), ctx: AppContext = Depends(context)) -> list[Alert]:
    """Alerts of the offices the caller reads (see docs/efficiency.md), newest first."""
    with ctx.database.read() as session:
        ids = [o.id for o in api.readable_offices(session, who, office)]
        statement = select(EfficiencyAlert).where(EfficiencyAlert.office_id.in_(ids))
        if not include_resolved:
            statement = statement.where(EfficiencyAlert.state.in_(_OPEN_STATES))
        rows = session.execute(statement.order_by(EfficiencyAlert.raised_at.desc(), EfficiencyAlert.id)
                               .limit(limit)).scalars()
        return [_alert(r) for r in rows]


def _handle(alert_id: str, body: NoteBody, who: Principal, ctx: AppContext, action: str) -> Alert:
    if not may_handle_alerts(who.role):
        raise FORBIDDEN
    note = body.note.strip()
    if not note:
        raise ApiError(400, "invalid_input", "请填写说明 / a note is required")
    now = ctx.now()
    with ctx.database.write() as session:
        row = session.get(EfficiencyAlert, alert_id)
        if row is None:
            raise ApiError(404, "not_found", "预警不存在 / no such alert")
        _office_for_change(session, who, row.office_id)
        if row.state == "resolved":
            raise ApiError(409, "conflict", "预警已解除 / the alert is already resolved")
        if action == "acknowledge":
            if row.state == "acknowledged":
                raise ApiError(409, "conflict", "预警已确认 / the alert is already acknowledged")
            row.state, row.acknowledged_at, row.acknowledged_by, row.acknowledge_note = \
                "acknowledged", now, who.staff_id, note
        else:
            row.state, row.resolved_at, row.resolved_by, row.resolve_note, row.open_key = \
                "resolved", now, who.staff_id, note, None
        row.updated_at = now
        append_audit(session, office_id=row.office_id, staff_id=who.staff_id, action=f"efficiency_alert.{action}",
                     subject=row.id, detail={"note": note, "rule_code": row.rule_code, "slice": dict(row.slice)},
                     at=now, now=now)
        session.flush()
        return _alert(row)


@router.post("/alerts/{alert_id}/acknowledge", response_model=Alert)
def acknowledge(alert_id: str, body: NoteBody, who: Principal = Depends(principal),
                ctx: AppContext = Depends(context)) -> Alert:
    return _handle(alert_id, body, who, ctx, "acknowledge")


@router.post("/alerts/{alert_id}/resolve", response_model=Alert)
def resolve(alert_id: str, body: NoteBody, who: Principal = Depends(principal),
            ctx: AppContext = Depends(context)) -> Alert:
    return _handle(alert_id, body, who, ctx, "resolve")

