"""The efficiency monitor's read API, scoped by role (domain.roles.may_read_office): a supervisor reads
their office, a prefecture manager every office of the prefecture side by side with the roll-up, an admin
every office. Figures come from the maintained sums (backend.efficiency.facts), never from a scan of the
tickets, except the overdue backlog: the open tickets overdue now by domain.sla's rule (a live count,
so that it agrees with the desk's 超时 list; a ticket whose clock-stop stage is done counts only by an
overdue open stage). Definitions: domain.indicators."""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import and_, case, exists, func, literal, not_, or_, select, true
from sqlalchemy.orm import Session

from backend.auth import Principal
from backend.context import AppContext, context, principal
from backend.db.base import UTCDateTime, table_of
from backend.db.records import OfficeRow, StageTaskRow, TicketRow
from backend.efficiency.process_map import MAX_TICKETS, ProcessMapAnswer, read_process_map
from backend.efficiency.tables import EfficiencyFact, EfficiencyHistogram, EvaluationWeight
from backend.http_errors import FORBIDDEN, OUT_OF_SCOPE, ApiError
from backend.sync.changes import dialect_insert
from domain import indicators as ind
from domain import sla, ticket_rules
from domain.catalogue import load_catalogue
from domain.errors import InvalidInput
from domain.roles import Role, may_read_office, may_see_area, may_set_evaluation_weights
from domain.sla import OFFICE_ZONE
from domain.states import STAGE_TASK, TICKET

router = APIRouter(prefix="/api/v1/efficiency", tags=["efficiency"])
_FACTS = table_of(EfficiencyFact)
_HIST = table_of(EfficiencyHistogram)
_LONGEST_PERIOD = timedelta(days=366 * 3)


class Indicators(BaseModel):
    """One slice's indicators over the period (None: nothing to measure)."""

    accepted: int
    closed: int
    ticket_on_time_rate: float | None
    stage_on_time_rate: float | None
    mean_stage_working_minutes: float | None
    p90_stage_working_minutes: float | None
    overdue_backlog: int | None  # as of now; only on office rows and the roll-up
    first_time_resolution_rate: float | None
    stages_returned: int
    tickets_reopened: int
    complaints_per_thousand: float | None
    mean_customer_rating: float | None
    dissatisfied_share: float | None
    working_days_saved: float
    online_share: float | None
    mean_response_minutes: float | None
    mean_peer_rating: float | None
    # 补充材料/信息 (domain.info_requests): tickets whose customer was asked again (count, per 1,000 accepted),
    # the requests raised on stages (to the customer, to another department), 信息共享质量.
    tickets_asked_again: int = 0
    materials_asked_again_per_thousand: float | None = None
    customer_requests: int = 0
    department_requests: int = 0
    information_sharing_quality: float | None = None
    # 满意度: of the customer ratings, those the customer gave in the app (the rest: return visits)
    app_ratings: int = 0
    # 价值创造: 客户少跑次数 (domain.indicators.trips_avoided) of the tickets accepted, and per ticket accepted
    trips_avoided: int = 0
    trips_avoided_per_ticket: float | None = None


class Slice(BaseModel):
    office_id: str | None = None
    department: str | None = None
    stage_code: str | None = None
    type_code: str | None = None
    indicators: Indicators


class OfficeIndicators(BaseModel):
    office_id: str
    code: str
    name: str
    indicators: Indicators


class Overview(BaseModel):
    start: date
    end: date
    now: datetime
    offices: list[OfficeIndicators]  # side by side (one for a supervisor)
    rollup: Indicators  # the offices together
    by_department: list[Slice]
    by_stage: list[Slice]
    by_type: list[Slice]


class DepartmentScore(BaseModel):
    department: str
    lead: float | None
    lead_count: int
    peer: float | None
    peer_count: int
    customer: float | None
    customer_count: int
    score: float | None
    rank: int | None


class Weights(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lead: float = Field(ge=0, le=1000)
    peer: float = Field(ge=0, le=1000)
    customer: float = Field(ge=0, le=1000)


class WeightsBody(Weights):
    office_id: str | None = None  # the caller's own office when left out


class OfficeEvaluations(BaseModel):
    office_id: str
    month: str
    weights: Weights
    departments: list[DepartmentScore]  # ranked by weighted score, best first


# ---- who reads what ----


def readable_offices(session: Session, who: Principal, wanted: str | None) -> list[Any]:
    if not may_see_area(who.role, "efficiency"):
        raise FORBIDDEN
    offices = list(session.execute(select(OfficeRow).order_by(OfficeRow.code)).scalars())
    own = next((o for o in offices if o.id == who.office_id), None)
    prefecture = own.prefecture if own is not None else None
    readable = [o for o in offices if may_read_office(who.role, who.office_id, prefecture, o.id, o.prefecture)]
    if wanted is not None:
        chosen = [o for o in readable if o.id == wanted or o.code == wanted]
        if not chosen:
            raise OUT_OF_SCOPE
        return chosen
    return readable


def _period(start: date | None, end: date | None, now: datetime) -> tuple[date, date]:
    today = now.astimezone(OFFICE_ZONE).date()
    end = end or today
    start = start or end.replace(day=1)
    if start > end:
        raise ApiError(400, "invalid_input", "开始日期晚于结束日期 / the period starts after it ends")
    if end - start > _LONGEST_PERIOD:
        raise ApiError(400, "invalid_input", "时段最长三年 / the period is at most three years")
    return start, end


# ---- sums → indicators ----


def _sums(session: Session, office_ids: Sequence[str], start: date, end: date,
          by: Sequence[str]) -> dict[tuple[Any, ...], Counter[str]]:
    columns = [_FACTS.c[name] for name in by]
    statement = (
        select(*columns, *(func.sum(_FACTS.c[m]).label(m) for m in ind.MEASURES))
        .where(_FACTS.c.office_id.in_(list(office_ids)), _FACTS.c.day >= start, _FACTS.c.day <= end)
        .group_by(*columns)
    )
    out: dict[tuple[Any, ...], Counter[str]] = {}
    for row in session.execute(statement):
        key = tuple(row[:len(by)])
        out[key] = Counter({m: int(getattr(row, m) or 0) for m in ind.MEASURES})
    hist = (
        select(*(_HIST.c[name] for name in by), _HIST.c.bucket, func.sum(_HIST.c["count"]).label("n"))
        .where(_HIST.c.office_id.in_(list(office_ids)), _HIST.c.day >= start, _HIST.c.day <= end)
        .group_by(*(_HIST.c[name] for name in by), _HIST.c.bucket)
    )
    for row in session.execute(hist):
        key = tuple(row[:len(by)])
        out.setdefault(key, Counter())[f"{ind.HIST_PREFIX}{row.bucket}"] += int(row.n or 0)
    return out


def _indicators(s: Mapping[str, int], backlog: int | None = None) -> Indicators:
    hist = {int(name[len(ind.HIST_PREFIX):]): n for name, n in s.items()
            if name.startswith(ind.HIST_PREFIX) and n}
    complaints = s.get("complaints", 0)
    return Indicators(
        accepted=s.get("accepted", 0),
        closed=s.get("closed", 0),
        ticket_on_time_rate=ind.on_time_rate(s.get("closed_on_time", 0), s.get("closed_with_limit", 0)),
        stage_on_time_rate=ind.on_time_rate(s.get("stages_on_time", 0), s.get("stages_with_limit", 0)),
        mean_stage_working_minutes=ind.mean_working_minutes(s.get("work_minutes", 0), s.get("stages_done", 0)),
        p90_stage_working_minutes=ind.p90_from_histogram(hist),
        overdue_backlog=backlog,
        first_time_resolution_rate=ind.first_time_resolution_rate(s.get("closed_first_time", 0), s.get("closed", 0)),
        stages_returned=s.get("returned", 0),
        tickets_reopened=s.get("reopened", 0),
        complaints_per_thousand=ind.complaints_per_thousand(complaints, s.get("accepted", 0)),
        mean_customer_rating=ind.mean_rating(s.get("rating_sum", 0), s.get("rated", 0)),
        dissatisfied_share=ind.dissatisfied_share(s.get("dissatisfied", 0), s.get("rated", 0)),
        working_days_saved=round(ind.working_days(s.get("saved_minutes", 0)), 4),
        online_share=ind.online_share(s.get("online", 0), s.get("accepted", 0)),
        mean_response_minutes=ind.mean_working_minutes(s.get("response_minutes", 0), s.get("taken", 0)),
        mean_peer_rating=ind.mean_rating(s.get("peer_sum", 0), s.get("peer_rated", 0)),
        tickets_asked_again=s.get("asked_again", 0),
        materials_asked_again_per_thousand=ind.materials_asked_again_per_thousand(
            s.get("asked_again", 0), s.get("accepted", 0)),
        customer_requests=s.get("customer_requests", 0),
        department_requests=s.get("department_requests", 0),
        information_sharing_quality=ind.information_sharing_quality(s.get("stages_shared", 0),
                                                                    s.get("stages_done", 0)),
        app_ratings=s.get("app_rated", 0),
        trips_avoided=s.get("trips_avoided", 0),
        trips_avoided_per_ticket=ind.trips_avoided_per_ticket(s.get("trips_avoided", 0), s.get("accepted", 0)),
    )


def _with_derived(sums: Mapping[tuple[Any, ...], Counter[str]], type_at: int | None,
                  channel_at: int | None) -> Counter[str]:
    """Sum the rows, adding the measures the key itself carries: complaints (ticket type) and online
    acceptance (channel), both counted from `accepted`."""
    total: Counter[str] = Counter()
    for key, counter in sums.items():
        total.update(counter)
        accepted = counter.get("accepted", 0)
        if type_at is not None and key[type_at] in ind.COMPLAINT_TYPES:
            total["complaints"] += accepted
        if channel_at is not None and key[channel_at] in ind.ONLINE_CHANNELS:
            total["online"] += accepted
    return total


_SQL_COMPARE: dict[sla.Comparison, Any] = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
OPEN_TICKET_STATES = tuple(s for s in TICKET.states if ticket_rules.is_open_state(s))
ACTIVE_STAGE_STATES = tuple(s for s in STAGE_TASK.states if ticket_rules.is_unfinished_stage(s))


def sla_state_sql(state: sla.SlaState, due_at: Any, warn_at: Any, now: datetime) -> Any:
    """SQL true where a row with these deadline columns is in `state` at `now`: domain.sla's own
    comparisons (sla.STATE_COMPARISONS), as the desk's local_store.queue writes them."""
    at = literal(now, UTCDateTime())
    instants = {"due_at": due_at, "warn_at": func.coalesce(warn_at, due_at)}
    return and_(*(_SQL_COMPARE[op](at, instants[name]) for name, op in sla.STATE_COMPARISONS[state]))


def clock_running_sql(stages: Mapping[str, str] | None = None) -> Any:
    """SQL true where a ticket's own clock still runs (domain.sla.clock_stop is None): no task of its
    type's clock-stop stage (domain.sla.clock_stop_stages of the catalogue) is done, as the desk's
    local_store.queue writes it."""
    stages = sla.clock_stop_stages(load_catalogue()) if stages is None else stages
    if not stages:
        return true()
    stop_stage = case(dict(stages), value=TicketRow.type_code, else_=None)
    return not_(exists().where(StageTaskRow.ticket_id == TicketRow.id, StageTaskRow.state == sla.CLOCK_STOP_STATE,
                               StageTaskRow.stage_code == stop_stage))


@dataclass(frozen=True)
class Backlog:
    count: int
    ticket_ids: list[str]


def overdue_backlog(session: Session, office_ids: Sequence[str], now: datetime) -> dict[str, Backlog]:
    """Overdue backlog per office at `now`: open tickets that are overdue (domain.sla) by their own
    deadline while its clock runs (domain.sla.ticket_clock) or by one of their unfinished stages' — the
    desk's 超时 list, counted on the server."""
    overdue = sla.SlaState.OVERDUE
    stage_overdue = exists().where(
        StageTaskRow.ticket_id == TicketRow.id, StageTaskRow.state.in_(ACTIVE_STAGE_STATES),
        sla_state_sql(overdue, StageTaskRow.due_at, StageTaskRow.warn_at, now))
    rows = session.execute(
        select(TicketRow.office_id, TicketRow.id)
        .where(TicketRow.office_id.in_(list(office_ids)), TicketRow.state.in_(OPEN_TICKET_STATES),
               or_(and_(sla_state_sql(overdue, TicketRow.due_at, TicketRow.warn_at, now), clock_running_sql()),
                   stage_overdue))
        .order_by(TicketRow.office_id, TicketRow.due_at, TicketRow.id))
    ids: dict[str, list[str]] = {office_id: [] for office_id in office_ids}
    for office_id, ticket_id in rows:
        ids[office_id].append(ticket_id)
    return {office_id: Backlog(len(found), found) for office_id, found in ids.items()}


def _backlog(session: Session, office_ids: Sequence[str], now: datetime) -> dict[str, int]:
    return {office_id: b.count for office_id, b in overdue_backlog(session, office_ids, now).items()}


_KEYS = ("office_id", "department", "stage_code", "type_code", "channel")


def overview(session: Session, offices: Sequence[Any], start: date, end: date, now: datetime) -> Overview:
    ids = [o.id for o in offices]
    sums = _sums(session, ids, start, end, _KEYS) if ids else {}
    backlog = _backlog(session, ids, now) if ids else {}
    return _overview_of(offices, start, end, now, sums, backlog)


def series(session: Session, offices: Sequence[Any], start: date, end: date, now: datetime) -> list[Overview]:
    """The overview of each trend point (domain.indicators.trend_buckets) from one read of the facts by day:
    the same figures as one overview per point, without one request each."""
    ids = [o.id for o in offices]
    by_day = _sums(session, ids, start, end, ("day", *_KEYS)) if ids else {}
    backlog = _backlog(session, ids, now) if ids else {}  # a figure of now: the same at every point
    out = []
    for first, last in ind.trend_buckets(start, end):
        sums: dict[tuple[Any, ...], Counter[str]] = {}
        for key, counter in by_day.items():
            if first <= _as_date(key[0]) <= last:
                sums.setdefault(key[1:], Counter()).update(counter)
        out.append(_overview_of(offices, first, last, now, sums, backlog))
    return out


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _overview_of(offices: Sequence[Any], start: date, end: date, now: datetime,
                 sums: Mapping[tuple[Any, ...], Counter[str]], backlog: Mapping[str, int]) -> Overview:

    def part(select_key: Any, keep: Any = lambda key: True) -> dict[Any, Counter[str]]:
        grouped: dict[Any, dict[tuple[Any, ...], Counter[str]]] = {}
        for key, counter in sums.items():
            if keep(key):
                grouped.setdefault(select_key(key), {})[key] = counter
        return {k: _with_derived(rows, 3, 4) for k, rows in grouped.items()}

    per_office = part(lambda key: key[0])
    office_rows = [
        OfficeIndicators(office_id=o.id, code=o.code, name=o.name,
                         indicators=_indicators(per_office.get(o.id, Counter()), backlog.get(o.id, 0)))
        for o in offices
    ]
    rollup_sums: Counter[str] = Counter()
    for counter in per_office.values():
        rollup_sums.update(counter)
    rollup = _indicators(rollup_sums, sum(backlog.values()))
    by_department = part(lambda key: key[1], lambda key: key[1] != ind.ANY)
    by_stage = part(lambda key: (key[1], key[2]), lambda key: key[2] != ind.ANY)
    by_type = part(lambda key: key[3])
    return Overview(
        start=start, end=end, now=now, offices=office_rows, rollup=rollup,
        by_department=[Slice(department=k, indicators=_indicators(v)) for k, v in sorted(by_department.items())],
        by_stage=[Slice(department=k[0], stage_code=k[1], indicators=_indicators(v))
                  for k, v in sorted(by_stage.items())],
        by_type=[Slice(type_code=k, indicators=_indicators(v)) for k, v in sorted(by_type.items())],
    )


@router.get("/overview", response_model=Overview)
def get_overview(
    start: date | None = Query(default=None, description="first day (office zone); default: the month's first"),
    end: date | None = Query(default=None, description="last day, included; default: today"),
    office: str | None = Query(default=None, max_length=64, description="one office (id or code)"),
    who: Principal = Depends(principal),
    ctx: AppContext = Depends(context),
) -> Overview:
    now = ctx.now()
    first, last = _period(start, end, now)
    with ctx.database.read() as session:
        offices = readable_offices(session, who, office)
        return overview(session, offices, first, last, now)


@router.get("/series", response_model=list[Overview])
def get_series(
    start: date | None = Query(default=None, description="first day (office zone); default: the month's first"),
    end: date | None = Query(default=None, description="last day, included; default: today"),
    office: str | None = Query(default=None, max_length=64, description="one office (id or code)"),
    who: Principal = Depends(principal),
    ctx: AppContext = Depends(context),
) -> list[Overview]:
    """The trend: one overview per day of the period, or per 7 days beyond 62 days (trend_buckets)."""
    now = ctx.now()
    first, last = _period(start, end, now)
    with ctx.database.read() as session:
        offices = readable_offices(session, who, office)
        return series(session, offices, first, last, now)


@router.get("/process-map", response_model=ProcessMapAnswer)
def get_process_map(
    type: str = Query(min_length=1, max_length=64, description="ticket type code (catalogue)"),
    start: date | None = Query(default=None, description="first day (office zone); default: the month's first"),
    end: date | None = Query(default=None, description="last day, included; default: today"),
    office: str | None = Query(default=None, max_length=64, description="one office (id or code)"),
    limit: int = Query(default=MAX_TICKETS, ge=1, le=MAX_TICKETS, description="at most this many tickets"),
    who: Principal = Depends(principal),
    ctx: AppContext = Depends(context),
) -> ProcessMapAnswer:
    """The process map (domain.process_map) of the tickets of `type` closed in the period, most recently
    closed first up to `limit`; the same role scoping as the overview."""
    first, last = _period(start, end, ctx.now())
    try:
        ticket_type = load_catalogue().ticket_type(type)
    except InvalidInput as error:
        raise ApiError(400, "invalid_input", f"{error.message_zh} / {error.message_en}") from None
    with ctx.database.read() as session:
        offices = readable_offices(session, who, office)
        return read_process_map(session, offices, ticket_type, first, last, limit)


# ---- multi-party evaluation: totals per department and month ----


def _month(month: str | None, now: datetime) -> tuple[str, date, date]:
    if month is None:
        first = now.astimezone(OFFICE_ZONE).date().replace(day=1)
    else:
        try:
            first = datetime.strptime(month, "%Y-%m").date()
        except ValueError:
            raise ApiError(400, "invalid_input", "月份格式为 YYYY-MM / the month is YYYY-MM") from None
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first.strftime("%Y-%m"), first, following - timedelta(days=1)


def office_weights(session: Session, office_id: str) -> ind.EvaluationWeights:
    row = session.get(EvaluationWeight, office_id)
    return ind.EvaluationWeights() if row is None else ind.EvaluationWeights(row.lead, row.peer, row.customer)


def department_scores(rows: Iterable[tuple[str, Mapping[str, int]]],
                      weights: ind.EvaluationWeights) -> list[DepartmentScore]:
    """Per department: the three means, the weighted score, ranked (ties share a rank; unrated last)."""
    scored = []
    for department, s in rows:
        lead = ind.mean_rating(s.get("lead_sum", 0), s.get("lead_rated", 0))
        peer = ind.mean_rating(s.get("peer_sum", 0), s.get("peer_rated", 0))
        customer = ind.mean_rating(s.get("customer_sum", 0), s.get("customer_rated", 0))
        scored.append(DepartmentScore(
            department=department, lead=lead, lead_count=s.get("lead_rated", 0), peer=peer,
            peer_count=s.get("peer_rated", 0), customer=customer, customer_count=s.get("customer_rated", 0),
            score=ind.multi_party_score(lead, peer, customer, weights), rank=None))
    scored.sort(key=lambda d: (d.score is None, -(d.score or 0.0), d.department))
    ranked: list[DepartmentScore] = []
    for position, item in enumerate(scored, start=1):
        rank = None
        if item.score is not None:
            same = ranked[-1] if ranked and ranked[-1].score == item.score else None
            rank = same.rank if same is not None else position
        ranked.append(item.model_copy(update={"rank": rank}))
    return ranked


@router.get("/evaluations", response_model=list[OfficeEvaluations])
def get_evaluations(
    month: str | None = Query(default=None, max_length=7, description="YYYY-MM; default: this month"),
    office: str | None = Query(default=None, max_length=64),
    who: Principal = Depends(principal),
    ctx: AppContext = Depends(context),
) -> list[OfficeEvaluations]:
    label, first, last = _month(month, ctx.now())
    with ctx.database.read() as session:
        if who.role == Role.department:  # the departments see their own office's ranking
            offices = [o for o in [session.get(OfficeRow, who.office_id)] if o is not None]
            if office is not None and office not in {o.id for o in offices} | {o.code for o in offices}:
                raise OUT_OF_SCOPE
        else:
            offices = readable_offices(session, who, office)
        out = []
        for o in offices:
            sums = _sums(session, [o.id], first, last, ("department",))
            weights = office_weights(session, o.id)
            rows = [(key[0], counter) for key, counter in sums.items() if key[0] != ind.ANY]
            out.append(OfficeEvaluations(
                office_id=o.id, month=label,
                weights=Weights(lead=weights.lead, peer=weights.peer, customer=weights.customer),
                departments=department_scores(rows, weights)))
        return out


@router.put("/weights", response_model=Weights)
def put_weights(body: WeightsBody, who: Principal = Depends(principal), ctx: AppContext = Depends(context)) -> Weights:
    if not may_set_evaluation_weights(who.role):
        raise FORBIDDEN
    office_id = body.office_id or who.office_id
    if not who.may_see_office(office_id):
        raise OUT_OF_SCOPE
    try:
        ind.EvaluationWeights(body.lead, body.peer, body.customer)
    except InvalidInput as error:
        raise ApiError(400, "invalid_input", f"{error.message_zh} / {error.message_en}") from None
    now = ctx.now()
    with ctx.database.write() as session:
        if session.get(OfficeRow, office_id) is None:
            raise ApiError(404, "not_found", "营业单位不存在 / no such office")
        values = {"lead": body.lead, "peer": body.peer, "customer": body.customer, "updated_at": now,
                  "updated_by": who.staff_id}
        statement = dialect_insert(session)(EvaluationWeight).values(office_id=office_id, **values)
        session.execute(statement.on_conflict_do_update(index_elements=["office_id"], set_=values))
    return Weights(lead=body.lead, peer=body.peer, customer=body.customer)
