"""Power-quality monitoring data in (docs/power-quality.md): the monitoring system posts batches of
10-minute intervals with its own key; each batch is checked whole (one bad interval refuses the batch and
stores nothing), stored once per point and interval, and the points it touched are judged at once — a
limit kept outside long enough (domain.power_quality.persisting) opens one warning per point and limit,
whichever server process gets there first.

`POST /api/v1/channels/power-quality/intervals` with `X-Monitoring-Key`; `onewindow-server pq-import FILE`
runs the same ingestion on a JSON-lines file.
"""

from __future__ import annotations

import logging
import math
import secrets
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Header, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Float, func, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.audit import append_audit
from backend.auth import Principal
from backend.context import AppContext, context, principal
from backend.db.base import table_of
from backend.db.engine import Database
from backend.db.power_quality_tables import PqInterval, PqPoint, PqWarning, interval_of, point_of
from backend.db.records import AccountRow, CustomerRow, TicketRow
from backend.efficiency import facts as efficiency
from backend.http_errors import ApiError
from backend.notifications import queue_notice
from backend.settings import Settings
from backend.store import Writer
from backend.sync.changes import dialect_insert
from backend.sync.mutation_kit import Rejected, Tx
from backend.workflow_engine import TICKET_CANCELLED, create_ticket
from domain import power_quality as pq
from domain.errors import DomainError, InvalidInput
from domain.notifications import PQ_WARNING, sms_mobile
from domain.sync import Mutation

router = APIRouter(prefix="/api/v1/channels/power-quality", tags=["power quality"])
log = logging.getLogger(__name__)
_NAMESPACE = uuid.UUID("5b0e6c1e-3f1a-4d0e-9a51-2c7d8e9f0a14")
BATCH_MAX = 5000  # intervals in one request or one transaction of an import
_INTERVALS = table_of(PqInterval)
_WARNINGS = table_of(PqWarning)
_MEASURED = ("dev_a", "dev_b", "dev_c", "thd", "harmonics", "unbalance", "pst", "plt", "frequency_deviation", "sags")


def monitoring_key(x_monitoring_key: str | None = Header(default=None), ctx: AppContext = Depends(context)) -> None:
    expected = ctx.settings.monitoring_key
    if expected is None or x_monitoring_key is None or not secrets.compare_digest(x_monitoring_key, expected):
        raise ApiError(401, "unauthenticated", "监测系统密钥无效 / invalid monitoring key")


class SagIn(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    residual: float
    duration_ms: int


class IntervalIn(BaseModel):
    """One point's 10-minute aggregate as the monitoring system sends it."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    point_id: str = Field(min_length=1, max_length=64)
    start: datetime
    voltage_deviation: list[float] = Field(default_factory=list, max_length=3)
    thd: float | None = None
    harmonics: dict[int, float] = Field(default_factory=dict, max_length=pq.MAX_HARMONIC_ORDER)
    unbalance: float | None = None
    pst: float | None = None
    plt: float | None = None
    frequency_deviation: float | None = None
    sags: list[SagIn] = Field(default_factory=list, max_length=100)

    def to_domain(self) -> pq.Interval:
        return pq.Interval(self.point_id, self.start, tuple(self.voltage_deviation), self.thd, dict(self.harmonics),
                           self.unbalance, self.pst, self.plt, self.frequency_deviation,
                           tuple(pq.Sag(s.residual, s.duration_ms) for s in self.sags))


class Batch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    intervals: list[IntervalIn] = Field(min_length=1, max_length=BATCH_MAX)


class WarningOut(BaseModel):
    id: str
    ticket_id: str | None  # the governance ticket it opened
    point_id: str
    limit_id: str
    what: str
    worst_value: float
    bound: float
    count: int
    within: int
    first_start: datetime | None = None  # the evidence: the first and last interval outside
    last_start: datetime | None = None
    opened_at: datetime | None = None
    closed_at: datetime | None = None  # set when its governance ticket's 效果验证 was completed
    ticket_number: str | None = None  # the governance ticket's number (the reading API's)


class Ingested(BaseModel):
    stored: int = 0  # new intervals
    repeated: int = 0  # sent before with the same values: nothing to do
    conflicting: int = 0  # sent before with other values: the first stands (the monitoring system is told)
    warnings: list[WarningOut] = []


@router.post("/intervals", response_model=Ingested, dependencies=[Depends(monitoring_key)])
def post_intervals(body: Batch, ctx: AppContext = Depends(context)) -> Ingested:
    return ingest(ctx.database, [i.to_domain() for i in body.intervals], ctx.now(), ctx.settings)


def _row(interval: pq.Interval, now: datetime) -> dict[str, Any]:
    phases = list(interval.voltage_deviation) + [None] * (3 - len(interval.voltage_deviation))
    values: dict[str, Any] = {
        "point_id": interval.point_id, "start": interval.start,
        "dev_a": phases[0], "dev_b": phases[1], "dev_c": phases[2], "thd": interval.thd,
        "harmonics": {str(k): v for k, v in sorted(interval.harmonics.items())} or None,
        "unbalance": interval.unbalance, "pst": interval.pst, "plt": interval.plt,
        "frequency_deviation": interval.frequency_deviation,
        "sags": [[s.residual, s.duration_ms] for s in interval.sags] or None,
    }
    values["received_at"] = now
    return values


def ingest(database: Database, intervals: Sequence[pq.Interval], now: datetime, settings: Settings) -> Ingested:
    """Check the whole batch, store what is new, judge the points it touched. Nothing is stored when
    any interval is bad or names a point this server does not know."""
    if len(intervals) > BATCH_MAX:
        raise InvalidInput(f"一批最多 {BATCH_MAX} 条", f"at most {BATCH_MAX} intervals in a batch")
    for interval in intervals:
        pq.check_interval(interval)
    rows = {(i.point_id, i.start): _row(i, now) for i in intervals}  # a repeat inside the batch: the last
    answer = Ingested()
    with database.write() as session:
        points = {p.id: p for p in session.execute(select(PqPoint).where(
            PqPoint.id.in_({i.point_id for i in intervals}))).scalars()}
        unknown = sorted({i.point_id for i in intervals} - set(points))
        if unknown:
            raise InvalidInput(f"未登记的监测点：{', '.join(unknown[:5])}",
                               f"Monitoring points not registered: {', '.join(unknown[:5])}")
        stored = _insert_new(session, rows)
        answer.stored = len(stored)
        earlier = [key for key in rows if key not in stored]
        if earlier:  # a re-send: the same values, or others (rare: the stored row is read to tell)
            there = {(r.point_id, r.start): r for r in session.execute(select(PqInterval).where(
                tuple_(PqInterval.point_id, PqInterval.start).in_(earlier))).scalars()}
            answer.conflicting = sum(1 for key in earlier if key not in there or any(
                getattr(there[key], name) != rows[key][name] for name in _MEASURED))
            answer.repeated = len(earlier) - answer.conflicting
    with database.write() as session:
        answer.warnings = judge(session, [points[p] for p in sorted({p for p, _ in stored})], now, settings)
    return answer


def _insert_new(session: Session, rows: dict[tuple[str, datetime], dict[str, Any]]) -> set[tuple[str, datetime]]:
    """Insert the rows not stored yet; returns their keys. Most batches are all new: one plain executemany;
    only when some interval is there already is the batch inserted again skipping those, to learn which."""
    try:
        with session.begin_nested():
            session.execute(_INTERVALS.insert(), list(rows.values()))
        return set(rows)
    except IntegrityError:
        insert = dialect_insert(session)(_INTERVALS).on_conflict_do_nothing(
            index_elements=["point_id", "start"]).returning(_INTERVALS.c.point_id, _INTERVALS.c.start)
        return {(p, s) for p, s in session.execute(insert, list(rows.values())).all()}


def judge(session: Session, points: Sequence[PqPoint], now: datetime, settings: Settings) -> list[WarningOut]:
    """Open a warning for each limit a point kept outside in its latest intervals, unless one is open."""
    table = pq.load_limits()
    longest = max(rule.within for rule in table.persistence)
    if not points:
        return []
    ids = [row.id for row in points]
    # Each point's newest interval, one index seek per point (max() of a correlated subquery): a GROUP BY over the
    # points read every interval a point ever had, so a year's load slowed with the table (0.13 × a bare insert at
    # 10.5 M rows). UTCDateTime hands back zoned times, max() too.
    newest = select(func.max(PqInterval.start)).where(PqInterval.point_id == PqPoint.id).scalar_subquery()
    latest: dict[str, datetime] = {point: at for point, at in session.execute(
        select(PqPoint.id, newest).where(PqPoint.id.in_(ids))).all() if at is not None}
    window = timedelta(minutes=pq.INTERVAL_MINUTES * (longest - 1))
    histories: dict[str, list[pq.Interval]] = {}
    if latest:
        # Plain rows, not ORM objects: loading each as an entity cost more than inserting the batch.
        for stored in session.execute(select(_INTERVALS).where(
                _INTERVALS.c.point_id.in_(list(latest)), _INTERVALS.c.start >= min(latest.values()) - window)):
            if stored.start >= latest[stored.point_id] - window:
                histories.setdefault(stored.point_id, []).append(interval_of(stored))
    opened: list[WarningOut] = []
    for row in points:
        history = histories.get(row.id)
        if not history:
            continue
        for found in pq.persisting(history, pq.limits_for(point_of(row), table), table):
            warning: dict[str, Any] = {
                "id": str(uuid.uuid4()), "office_id": row.office_id, "point_id": row.id, "limit_id": found.limit.id,
                "open_key": f"{row.id}:{found.limit.id}", "what": found.worst.what, "worst_value": found.worst.value,
                "bound": found.worst.bound, "count": found.count, "within": found.within,
                "first_start": found.first, "last_start": found.last, "opened_at": now, "closed_at": None,
            }
            inserted = session.execute(dialect_insert(session)(_WARNINGS).on_conflict_do_nothing(
                index_elements=["open_key"]).returning(_WARNINGS.c.id), warning).scalar_one_or_none()
            if inserted is not None:  # this process opened it: it alone opens the governance ticket
                warning["ticket_id"] = _open_ticket(session, row, found, warning["id"], now, settings)
                session.execute(update(PqWarning).where(PqWarning.id == warning["id"]).values(
                    ticket_id=warning["ticket_id"]))
                opened.append(WarningOut.model_validate({k: warning[k] for k in WarningOut.model_fields if k in warning}))
            else:
                _renew_cancelled_ticket(session, row, found, warning["open_key"], now, settings)
    return opened


def _renew_cancelled_ticket(session: Session, point: PqPoint, found: pq.Persisting, open_key: str, now: datetime,
                            settings: Settings) -> None:
    """An open warning whose governance ticket was cancelled, its limit still kept outside: a new ticket
    (backend.power_quality_governance). The conditional update decides which server process opens it."""
    warning_id, cancelled = session.execute(select(PqWarning.id, PqWarning.ticket_id).join(
        TicketRow, TicketRow.id == PqWarning.ticket_id).where(
        PqWarning.open_key == open_key, TicketRow.state == TICKET_CANCELLED)).one_or_none() or (None, None)
    if warning_id is None:
        return
    ticket_id = str(uuid.uuid5(_NAMESPACE, f"pq-ticket:{warning_id}:{cancelled}"))
    won = session.execute(update(PqWarning).where(PqWarning.id == warning_id, PqWarning.ticket_id == cancelled)
                          .values(ticket_id=ticket_id).execution_options(synchronize_session=False))
    if won.rowcount == 1:  # type: ignore[attr-defined]
        opened = _open_ticket(session, point, found, warning_id, now, settings, ticket_id=ticket_id)
        session.execute(update(PqWarning).where(PqWarning.id == warning_id).values(ticket_id=opened)
                        .execution_options(synchronize_session=False))
        append_audit(session, office_id=point.office_id, staff_id=None, action="pq_warning.ticket_renewed",
                     subject=f"pq_warning:{warning_id}",
                     detail={"cancelled_ticket_id": cancelled, "ticket_id": opened, "point_id": point.id,
                             "limit_id": found.limit.id}, at=now, now=now)


def _open_ticket(session: Session, point: PqPoint, found: pq.Persisting, warning_id: str, now: datetime,
                 settings: Settings, ticket_id: str | None = None) -> str | None:
    """The 主动服务 ticket of a warning (catalogue type pq_governance): 监测诊断 opens at once for 运检, and the
    customer is told by SMS (once per warning: a renewed ticket tells nothing new).
    `ticket_id`: a renewal's (the first ticket's id and mutation follow from the warning's id)."""
    notify = ticket_id is None
    limit, worst = found.limit, found.worst
    system = Principal(staff_id="system:power-quality", username="system:power-quality", role="admin",
                       department=None, office_id=point.office_id, session_id="",
                       offices=frozenset({point.office_id}))
    writer = Writer(session, now)
    mutation_id = f"pq:{warning_id}" if ticket_id is None else f"pq:{ticket_id}"
    ticket_id = ticket_id or str(uuid.uuid5(_NAMESPACE, f"pq-ticket:{warning_id}"))
    account = session.get(AccountRow, point.account_id) if point.account_id else None
    fields: dict[str, Any] = {
        "monitoring_point": point.id,
        "pq_limit": f"{limit.text_zh}（{limit.standard} {limit.clause}）",
        "description": (f"监测点「{point.name}」最近 {found.within} 个10分钟中有 {found.count} 个越限："
                        f"{worst.what} 最大 {worst.value:g}，限值 {worst.bound:g}"
                        f"（{found.first:%Y-%m-%d %H:%M}–{found.last:%H:%M} UTC）"),
    }
    if account is not None:
        fields["account_number"] = account.account_no
    mutation = Mutation(
        mutation_id=mutation_id, client_id="channel:power-quality", seq=1, entity="ticket",
        entity_id=ticket_id, op="create", created_at=now,
        fields={"type_code": pq.GOVERNANCE_TYPE, "channel": "proactive", "customer_id": point.customer_id,
                "account_id": point.account_id, "summary": f"电能质量越限：{point.name}",
                "fields": fields, "materials": [], "accepted_at": now.isoformat(), "office_id": point.office_id},
    )
    try:
        with session.begin_nested():
            create_ticket(Tx(session=session, writer=writer, who=system, now=now, settings=settings), mutation)
    except Rejected as rejection:  # registered points have their customer: this is a broken record, loud
        log.error("power quality: point %s: the governance ticket could not be opened: %s", point.id, rejection)
        return None
    if notify:
        _notify_customer(writer, point, warning_id, ticket_id, now)
    writer.finish()
    efficiency.refresh_ticket(session, ticket_id, now, None)  # counted by the monitor, as the push path does
    return ticket_id


def _notify_customer(writer: Writer, point: PqPoint, warning_id: str, ticket_id: str, now: datetime) -> None:
    """The customer's notice of the warning (template pq_warning, sent by backend.notifications), keyed by the
    warning: queued once with the warning, in its transaction. No mobile on record: nothing is queued, and the
    audit says why (the account manager calls instead)."""
    ticket = writer.get("ticket", ticket_id)
    customer = writer.session.get(CustomerRow, point.customer_id)
    if ticket is None:  # opened a moment ago in this transaction
        return
    try:
        phone = sms_mobile(customer.phone or "") if customer is not None else sms_mobile("")
    except DomainError as error:
        append_audit(writer.session, office_id=point.office_id, staff_id=None, action="pq_warning.not_notified",
                     subject=f"pq_warning:{warning_id}", detail={"ticket_id": ticket_id, "reason": error.message_en},
                     at=now, now=now)
        return
    queue_notice(writer, request_id=f"pq-notice:{warning_id}", ticket=ticket, phone=phone, template=PQ_WARNING,
                 now=now)


def register_point(database: Database, point: pq.MonitoringPoint, *, office_id: str, name: str,
                   account_id: str | None, account_manager_id: str | None, now: datetime) -> None:
    """Add or change a monitoring point; its contract limits are checked against the standards first."""
    pq.limits_for(point)  # a looser or unknown contract limit is refused here, before anything is stored
    with database.write() as session:
        customer = session.get(CustomerRow, point.customer_id)
        account = session.get(AccountRow, account_id) if account_id else None
        if customer is None or customer.office_id != office_id or (
                account_id and (account is None or account.customer_id != point.customer_id)):
            raise InvalidInput(f"客户或户号不属于营业单位 {office_id}", f"No such customer or account in office {office_id}")
        row = session.get(PqPoint, point.id)
        if row is None:
            row = PqPoint(id=point.id, created_at=now)
            session.add(row)
        row.office_id, row.customer_id, row.account_id, row.name = office_id, point.customer_id, account_id, name
        row.nominal_kv, row.phases, row.small_system = point.nominal_kv, point.phases, point.small_system
        row.contract, row.account_manager_id = dict(point.contract), account_manager_id


def check_file(database: Database, batches: Iterable[list[pq.Interval]]) -> None:
    """Every interval well-formed and of a registered point, or InvalidInput naming the first problem."""
    points: set[str] = set()
    for batch in batches:
        for interval in batch:
            pq.check_interval(interval)
            points.add(interval.point_id)
    with database.read() as session:
        known = set(session.execute(select(PqPoint.id).where(PqPoint.id.in_(points))).scalars())
    if points - known:
        unknown = sorted(points - known)[:5]
        raise InvalidInput(f"未登记的监测点：{', '.join(unknown)}", f"Monitoring points not registered: {', '.join(unknown)}")


def read_batches(lines: Iterable[str]) -> Iterable[list[pq.Interval]]:
    """JSON lines of intervals (the request's shape) in batches of BATCH_MAX; a bad line names its number."""
    batch: list[pq.Interval] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            batch.append(IntervalIn.model_validate_json(line).to_domain())
        except ValueError as error:
            raise InvalidInput(f"第 {number} 行无效：{error}", f"line {number} is invalid: {error}") from error
        if len(batch) == BATCH_MAX:
            yield batch
            batch = []
    if batch:
        yield batch


# ---- reading: the points of the offices a person may read, and one point's trend ----------------------

reading = APIRouter(prefix="/api/v1/power-quality", tags=["power quality"])
TREND_BUCKETS_MAX = 2000
CLOSED_SHOWN_DAYS = 90  # how long a closed warning stays listed with its point (the area's excursions)
_TREND_LONGEST = timedelta(days=400)


class PointOut(BaseModel):
    id: str
    office_id: str
    customer_id: str
    customer_name: str
    account_id: str | None
    name: str
    nominal_kv: float
    phases: int
    contract: dict[str, float]
    last_interval: datetime | None
    open_warnings: list[WarningOut]
    closed_warnings: list[WarningOut] = []  # closed in the last CLOSED_SHOWN_DAYS, newest first


class LimitOut(BaseModel):
    id: str
    quantity: str
    low: float | None
    high: float | None
    sum_abs_max: float | None
    thd_max: float | None
    odd_max: float | None
    even_max: float | None
    basis: str
    standard: str
    clause: str
    sure: str
    source: str
    text_zh: str
    text_en: str


class Bucket(BaseModel):
    """One slice of the period: the lowest, highest and mean of each figure over its intervals."""

    start: datetime
    intervals: int
    figures: dict[str, tuple[float | None, float | None, float | None]]  # figure → (min, max, mean)


class Trend(BaseModel):
    point_id: str
    start: datetime
    end: datetime
    bucket_minutes: int
    buckets: list[Bucket]
    limits: list[LimitOut]


_FIGURES = {"dev_a": PqInterval.dev_a, "dev_b": PqInterval.dev_b, "dev_c": PqInterval.dev_c, "thd": PqInterval.thd,
            "unbalance": PqInterval.unbalance, "plt": PqInterval.plt,
            "frequency_deviation": PqInterval.frequency_deviation}


def readable_offices(session: Session, who: Principal) -> set[str]:
    from backend.db.records import OfficeRow
    from domain.roles import POWER_QUALITY_ROLES, may_read_power_quality

    if who.role not in {str(r) for r in POWER_QUALITY_ROLES}:
        raise ApiError(403, "forbidden", "无权查看电能质量 / not allowed to read power quality")
    offices = list(session.execute(select(OfficeRow)).scalars())
    own = next((o for o in offices if o.id == who.office_id), None)
    prefecture = own.prefecture if own is not None else None
    return {o.id for o in offices
            if may_read_power_quality(who.role, who.office_id, prefecture, o.id, o.prefecture)}


@reading.get("/points", response_model=list[PointOut])
def get_points(who: Principal = Depends(principal), ctx: AppContext = Depends(context)) -> list[PointOut]:
    """The monitoring points of the offices this person reads, with their open warnings."""
    with ctx.database.read() as session:
        offices = readable_offices(session, who)
        points = list(session.execute(select(PqPoint, CustomerRow.name).join(
            CustomerRow, CustomerRow.id == PqPoint.customer_id).where(PqPoint.office_id.in_(offices))
            .order_by(PqPoint.name)).all())
        ids = [p.id for p, _ in points]
        last = dict(session.execute(select(PqInterval.point_id, func.max(PqInterval.start)).where(
            PqInterval.point_id.in_(ids)).group_by(PqInterval.point_id)).all())
        warnings: dict[str, list[WarningOut]] = {}
        for w in session.execute(select(PqWarning).where(PqWarning.point_id.in_(ids), PqWarning.open_key.is_not(None))
                                 .order_by(PqWarning.opened_at)).scalars():
            warnings.setdefault(w.point_id, []).append(WarningOut.model_validate(w, from_attributes=True))
        closed: dict[str, list[WarningOut]] = {}
        for w in session.execute(select(PqWarning).where(
                PqWarning.point_id.in_(ids), PqWarning.open_key.is_(None),
                PqWarning.closed_at >= ctx.now() - timedelta(days=CLOSED_SHOWN_DAYS))
                .order_by(PqWarning.closed_at.desc())).scalars():
            closed.setdefault(w.point_id, []).append(WarningOut.model_validate(w, from_attributes=True))
        listed = [out for by_point in (warnings, closed) for outs in by_point.values() for out in outs]
        numbers = dict(session.execute(select(TicketRow.id, TicketRow.number).where(
            TicketRow.id.in_([out.ticket_id for out in listed if out.ticket_id]))).all())
        for out in listed:
            out.ticket_number = numbers.get(out.ticket_id) if out.ticket_id else None
        return [PointOut(id=p.id, office_id=p.office_id, customer_id=p.customer_id, customer_name=name,
                         account_id=p.account_id, name=p.name, nominal_kv=p.nominal_kv, phases=p.phases,
                         contract=dict(p.contract), last_interval=last.get(p.id),
                         open_warnings=warnings.get(p.id, []), closed_warnings=closed.get(p.id, []))
                for p, name in points]


@reading.get("/points/{point_id}/trend", response_model=Trend)
def get_trend(point_id: str, start: datetime = Query(), end: datetime = Query(),
              buckets: int = Query(default=600, ge=1, le=TREND_BUCKETS_MAX),
              who: Principal = Depends(principal), ctx: AppContext = Depends(context)) -> Trend:
    """One point's period in at most `buckets` slices (whole 10-minute multiples), grouped by the database,
    with the limits that apply there (the contract's in place of the standard's)."""
    if start.tzinfo is None or end.tzinfo is None or start >= end or end - start > _TREND_LONGEST:
        raise ApiError(400, "invalid_input", "时段无效（须带时区、开始早于结束、最长400天） / invalid period "
                                             "(zoned, start before end, at most 400 days)")
    with ctx.database.read() as session:
        row = session.get(PqPoint, point_id)
        if row is None or row.office_id not in readable_offices(session, who):
            raise ApiError(404, "not_found", "监测点不存在 / no such monitoring point")
        return trend(session, row, start, end, buckets)


def trend(session: Session, row: PqPoint, start: datetime, end: datetime, buckets: int) -> Trend:
    """The grouping behind the trend endpoint (and benchmarks/pq_ingest.py's year read)."""
    width = max(pq.INTERVAL_MINUTES, math.ceil((end - start).total_seconds() / 60 / buckets / pq.INTERVAL_MINUTES)
                * pq.INTERVAL_MINUTES)
    dialect = session.get_bind().dialect.name
    seconds = (func.extract("epoch", PqInterval.start) if dialect == "postgresql"
               else func.cast(func.strftime("%s", PqInterval.start), Float))
    slot = func.floor((seconds - start.timestamp()) / (width * 60)).label("slot")
    columns = [slot, func.count()]
    for column in _FIGURES.values():
        columns += [func.min(column), func.max(column), func.avg(column)]
    found = session.execute(select(*columns).where(
        PqInterval.point_id == row.id, PqInterval.start >= start, PqInterval.start < end)
        .group_by(slot).order_by(slot)).all()
    out = [Bucket(start=start + timedelta(minutes=width * int(r[0])), intervals=int(r[1]),
                  figures={name: (_num(r[2 + 3 * i]), _num(r[3 + 3 * i]), _num(r[4 + 3 * i]))
                           for i, name in enumerate(_FIGURES)}) for r in found]
    limits = [LimitOut.model_validate(limit.model_dump(include=set(LimitOut.model_fields)))
              for limit in pq.limits_for(point_of(row))]
    return Trend(point_id=row.id, start=start, end=end, bucket_minutes=width, buckets=out, limits=limits)


def _num(value: Any) -> float | None:
    return None if value is None else float(value)
