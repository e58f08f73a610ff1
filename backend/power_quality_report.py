"""A customer's month of power quality, the figures behind the desk's monthly report (docs/power-quality.md):
per monitoring point the month judged the standard's way (domain.power_quality.compliance: every value, or
the 95 % probability value, within each limit that applies there — a contract's in place of the standard's),
GB/T 30137's sag counts, the warnings open during the month, and the governance tickets they opened with the
stages worked and their results. Read only by those who read power quality, for their offices' customers.

`GET /api/v1/power-quality/customers/{customer_id}/month?month=YYYY-MM`
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import or_, select

from backend import rules
from backend.auth import Principal
from backend.context import AppContext, context, principal
from backend.db.power_quality_tables import PqInterval, PqPoint, PqWarning
from backend.db.records import CustomerRow, OfficeRow, StageTaskRow, TicketRow
from backend.http_errors import ApiError
from backend.power_quality import WarningOut, interval_of, point_of, readable_offices
from domain import power_quality as pq
from domain.errors import DomainError
from domain.sla import OFFICE_ZONE

router = APIRouter(prefix="/api/v1/power-quality", tags=["power quality"])
MONTH_PATTERN = r"^[12]\d{3}-(0[1-9]|1[0-2])$"  # years 1000–2999: no year 0 (a date cannot hold it)


class ComplianceOut(BaseModel):
    limit_id: str
    quantity: str
    what: str  # thd, odd, even, dev_a ..., unbalance, plt, frequency_deviation, deviation_sum
    basis: str  # "interval": every value; "p95": the 95 % probability value
    standard: str
    clause: str
    sure: str
    source: str  # "standard" or "contract"
    text_zh: str
    text_en: str
    intervals: int
    within_share: float
    p95: float
    worst: float
    bound: float
    ok: bool


class SagCount(BaseModel):
    residual_band: int
    duration_band: int
    count: int


class PointMonth(BaseModel):
    id: str
    name: str
    nominal_kv: float
    intervals: int  # received for the month
    expected: int  # 10-minute slots in the month (up to now for the current month)
    compliance: list[ComplianceOut]
    sags: list[SagCount]
    warnings: list[WarningOut]  # open at some time during the month


class StageOut(BaseModel):
    code: str
    name_zh: str
    name_en: str
    department: str
    state: str
    completed_at: datetime | None
    outcome: str


class ActionOut(BaseModel):
    ticket_id: str
    number: str | None
    state: str
    accepted_at: datetime
    closed_at: datetime | None
    stages: list[StageOut]


class CustomerMonth(BaseModel):
    customer_id: str
    customer_name: str
    office_name: str  # the supplier's office that issues the report
    month: str
    start: datetime
    end: datetime
    limits_version: str
    sag_residual_bands: list[float]
    sag_duration_bands_ms: list[int]
    points: list[PointMonth]
    actions: list[ActionOut]


def month_bounds(month: str, now: datetime) -> tuple[datetime, datetime, datetime]:
    """The month's first and next month's first instant in the office zone, and where its data ends (now, for
    the current month)."""
    first = date.fromisoformat(f"{month}-01")
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    start = datetime.combine(first, time(), OFFICE_ZONE)
    end = datetime.combine(following, time(), OFFICE_ZONE)
    return start, end, min(end, max(start, now))


@router.get("/customers/{customer_id}/month", response_model=CustomerMonth)
def get_customer_month(customer_id: str, month: str = Query(pattern=MONTH_PATTERN),
                       who: Principal = Depends(principal), ctx: AppContext = Depends(context)) -> CustomerMonth:
    now = ctx.now()
    start, end, until = month_bounds(month, now)
    if start > now:
        raise ApiError(400, "invalid_input", "该月尚未开始 / that month has not begun")
    table = pq.load_limits()
    with ctx.database.read() as session:
        customer = session.get(CustomerRow, customer_id)
        if customer is None or customer.office_id not in readable_offices(session, who):
            raise ApiError(404, "not_found", "客户不存在 / no such customer")
        office = session.get(OfficeRow, customer.office_id)
        points = list(session.execute(select(PqPoint).where(PqPoint.customer_id == customer_id)
                                      .order_by(PqPoint.name)).scalars())
        out: list[PointMonth] = []
        ticket_ids: list[str] = []
        for row in points:
            history = [interval_of(r) for r in session.execute(select(PqInterval).where(
                PqInterval.point_id == row.id, PqInterval.start >= start, PqInterval.start < end)
                .order_by(PqInterval.start)).scalars()]
            judged = pq.compliance(history, pq.limits_for(point_of(row), table))
            warnings = list(session.execute(select(PqWarning).where(
                PqWarning.point_id == row.id, PqWarning.opened_at < end,
                or_(PqWarning.closed_at.is_(None), PqWarning.closed_at >= start)).order_by(PqWarning.opened_at))
                .scalars())
            ticket_ids += [w.ticket_id for w in warnings if w.ticket_id]
            out.append(PointMonth(
                id=row.id, name=row.name, nominal_kv=row.nominal_kv, intervals=len(history),
                expected=int((until - start).total_seconds() // (pq.INTERVAL_MINUTES * 60)),
                compliance=[_compliance_out(c) for c in judged],
                sags=[SagCount(residual_band=r, duration_band=d, count=n)
                      for (r, d), n in sorted(pq.sag_counts(history, table).items())],
                warnings=[WarningOut.model_validate(w, from_attributes=True) for w in warnings]))
        return CustomerMonth(
            customer_id=customer.id, customer_name=customer.name, office_name=office.name if office else "",
            month=month, start=start, end=end,
            limits_version=table.version, sag_residual_bands=list(table.sags.residual_bands),
            sag_duration_bands_ms=list(table.sags.duration_bands_ms), points=out,
            actions=_actions(session, ticket_ids))


def _compliance_out(found: pq.Compliance) -> ComplianceOut:
    limit = found.limit
    return ComplianceOut(limit_id=limit.id, quantity=limit.quantity, what=found.what, basis=limit.basis,
                         standard=limit.standard, clause=limit.clause, sure=limit.sure, source=limit.source,
                         text_zh=limit.text_zh, text_en=limit.text_en, intervals=found.intervals,
                         within_share=found.within_share, p95=found.p95, worst=found.worst, bound=found.bound,
                         ok=found.ok)


def _actions(session: Any, ticket_ids: list[str]) -> list[ActionOut]:
    """The governance tickets of the month's warnings (and any tickets renewed from them), stage by stage."""
    if not ticket_ids:
        return []
    tickets = list(session.execute(select(TicketRow).where(TicketRow.id.in_(ticket_ids))
                                   .order_by(TicketRow.accepted_at)).scalars())
    tasks: dict[str, list[StageTaskRow]] = {}
    for task in session.execute(select(StageTaskRow).where(StageTaskRow.ticket_id.in_(ticket_ids))).scalars():
        tasks.setdefault(task.ticket_id, []).append(task)
    out = []
    for ticket in tickets:
        try:
            stages = {s.code: s for s in rules.ticket_type(ticket.type_code).workflow.stages}
        except DomainError:
            stages = {}
        order = list(stages)
        rows = sorted(tasks.get(ticket.id, []), key=lambda t: (order.index(t.stage_code)
                                                                if t.stage_code in order else len(order), t.opened_at))
        out.append(ActionOut(
            ticket_id=ticket.id, number=ticket.number, state=ticket.state, accepted_at=ticket.accepted_at,
            closed_at=ticket.closed_at,
            stages=[StageOut(code=t.stage_code, name_zh=stages[t.stage_code].name_zh if t.stage_code in stages
                             else t.stage_code, name_en=stages[t.stage_code].name_en if t.stage_code in stages
                             else t.stage_code, department=t.department, state=t.state, completed_at=t.completed_at,
                             outcome=str((t.result or {}).get("outcome") or "")[:500]) for t in rows]))
    return out
