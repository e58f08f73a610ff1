"""故障研判 on the server: the office's recent repair calls rolled up its grid into predicted fault events.

Every few seconds (`Settings.outage_predict_seconds`) each process looks for offices with repair tickets accepted
inside the clustering window (`resources/outage/clustering.toml`) that it has not judged yet, and runs the pure
rule of `domain.outage.clustering.predict` on them: the repair tickets of the window with an account placed on the
grid are the calls, the office's live fault events the known outages. For each outage the rule finds, one
`outage_event` (fault, 研判中) is written through the change log, so every desk of the office pulls it and the
hotline's screen pop tells the next caller "您所在区域有停电"; its calls and callers are the tickets that raised it.
An event the rule absorbs — a 台区 first, then its feeder trips — is cancelled if it was only predicted, and its
linked calls (interactions) and counts move to the larger event. An event repair command confirmed stays: it
decides.

Several processes may judge one office at once: the office row is locked for the judgement (PostgreSQL; SQLite has
one writer), and a device that already carries a live event is a known outage, never a second one.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.audit import append_audit
from backend.background import BackgroundLoop
from backend.db.records import AccountRow, GridDeviceRow, InteractionRow, OfficeRow, OutageEventRow, TicketRow
from backend.outages import LIVE_STATES, affected_accounts
from backend.store import Writer
from domain.outage.clustering import ClusterRules, FaultCall, KnownOutage, load_rules, predict
from domain.outage.topology import Device, DeviceKind, Grid, ServicePoint
from domain.records import OutageEvent

if TYPE_CHECKING:
    from backend.context import AppContext

log = logging.getLogger(__name__)
REPAIR_TYPE = "repair"  # the catalogue's 故障报修: the calls the rule reads
PREDICTED_REASON = "故障停电，抢修人员正在查找原因"  # what agents tell callers until repair command says more
ABSORBED_REASON = "并入上级设备的停电事件"
_NAMESPACE = uuid.UUID("6f4f3f64-2a0b-4d0e-9a43-57f1c9d3b0a1")


@dataclass(frozen=True)
class Judgement:
    created: tuple[str, ...]  # new predicted events
    cancelled: tuple[str, ...]  # predicted events absorbed into a larger one


def offices_with_calls(session: Session, since: datetime) -> dict[str, tuple[int, datetime]]:
    """Office → (repair tickets with an account accepted since `since`, the newest's time)."""
    rows = session.execute(
        select(TicketRow.office_id, func.count(), func.max(TicketRow.accepted_at))
        .where(TicketRow.type_code == REPAIR_TYPE, TicketRow.accepted_at >= since, TicketRow.account_id.is_not(None))
        .group_by(TicketRow.office_id)).all()
    return {office: (int(count), newest) for office, count, newest in rows}


def judge_office(session: Session, office_id: str, now: datetime, rules: ClusterRules | None = None) -> Judgement:
    """One judgement of the office's window ending at `now`, written in the caller's transaction."""
    rules = rules or load_rules()
    if session.get_bind().dialect.name == "postgresql":  # replicas judging one office take turns
        session.execute(select(OfficeRow.id).where(OfficeRow.id == office_id).with_for_update())
    tickets = session.execute(
        select(TicketRow.id, TicketRow.account_id, TicketRow.accepted_at)
        .where(TicketRow.office_id == office_id, TicketRow.type_code == REPAIR_TYPE,
               TicketRow.accepted_at >= now - rules.window, TicketRow.accepted_at <= now,
               TicketRow.account_id.is_not(None), TicketRow.state != "cancelled")).all()
    if not tickets:
        return Judgement((), ())
    grid = _grid_with_accounts(session, office_id)
    live = list(session.execute(select(OutageEventRow).where(
        OutageEventRow.office_id == office_id, OutageEventRow.outage_kind == "fault",
        OutageEventRow.state.in_(LIVE_STATES))).scalars())
    known = [KnownOutage(e.id, e.device_ids[0]) for e in live if len(e.device_ids) == 1]
    calls = [FaultCall(ticket_id, str(account_id), accepted_at) for ticket_id, account_id, accepted_at in tickets]
    prediction = predict(grid, calls, rules, now, known)
    writer = Writer(session, now)
    by_id = {e.id: e for e in live}
    created: list[str] = []
    cancelled: list[str] = []
    for outage in prediction.outages:
        # The same device and first call make the same id: a judgement repeated by another process collides.
        event_id = str(uuid.uuid5(_NAMESPACE, f"{office_id}|{outage.device_id}|{outage.first_call_at.isoformat()}"))
        if writer.get("outage_event", event_id) is not None:
            continue
        accounts, important = affected_accounts(session, office_id, grid, [outage.device_id])
        absorbed = [by_id[e] for e in outage.absorbs if e in by_id and by_id[e].state == "predicted"]
        moved_calls = sum(e.call_count for e in absorbed)
        row = writer.insert(OutageEvent(
            id=event_id, office_id=office_id, outage_kind="fault", state="predicted", device_ids=[outage.device_id],
            reason=PREDICTED_REASON, starts_at=outage.first_call_at, accounts_affected=accounts,
            important_affected=important, call_count=len(outage.call_ids) + moved_calls,
            caller_count=len(outage.callers) + sum(e.caller_count for e in absorbed), created_at=now))
        created.append(row.id)
        for event in absorbed:
            _absorb(session, writer, event, row.id)
            cancelled.append(event.id)
        append_audit(session, office_id=office_id, staff_id=None, action="outage_event.predicted", subject=row.id,
                     detail={"device": outage.device_id, "calls": len(outage.call_ids),
                             "callers": len(outage.callers), "absorbs": [e.id for e in absorbed],
                             "rules": rules.version}, at=now, now=now)
    writer.finish()
    return Judgement(tuple(created), tuple(cancelled))


def _absorb(session: Session, writer: Writer, event: Any, into: str) -> None:
    """A predicted event under the new one: cancelled, its linked calls moved to the larger event."""
    linked = session.execute(select(InteractionRow).where(InteractionRow.outage_event_id == event.id)).scalars()
    for interaction in linked:
        writer.update("interaction", interaction, {"outage_event_id": into})
    writer.update("outage_event", event, {"state": "cancelled"})
    append_audit(session, office_id=event.office_id, staff_id=None, action="outage_event.cancelled",
                 subject=event.id, detail={"reason": ABSORBED_REASON, "into": into}, at=writer.now, now=writer.now)


def _grid_with_accounts(session: Session, office_id: str) -> Grid:
    devices = session.execute(select(GridDeviceRow.id, GridDeviceRow.device_kind, GridDeviceRow.parent_id,
                                     GridDeviceRow.name).where(GridDeviceRow.office_id == office_id)).all()
    points = session.execute(select(AccountRow.id, AccountRow.transformer_id, AccountRow.important).where(
        AccountRow.office_id == office_id, AccountRow.transformer_id.is_not(None))).all()
    return Grid.build([Device(d, DeviceKind(kind), parent, name) for d, kind, parent, name in devices],
                      [ServicePoint(a, str(t), bool(important)) for a, t, important in points])


class OutagePredictor(BackgroundLoop):
    """One loop per process; an office is judged again only when its repair calls of the window changed (or the
    window moved past one of them). `run_due()` is also called by the test clock endpoint."""

    name = "onewindow-outage-prediction"

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self._ctx = ctx
        self._rules = load_rules()
        self._seen: dict[str, tuple[int, datetime]] = {}

    def run_due(self) -> int:
        now = self._ctx.clock()
        with self._ctx.database.read() as session:
            offices = offices_with_calls(session, now - self._rules.window)
        created = 0
        for office_id, calls in sorted(offices.items()):
            if self._seen.get(office_id) == calls:
                continue
            with self._ctx.database.write() as session:
                judgement = judge_office(session, office_id, now, self._rules)
            self._seen[office_id] = calls
            created += len(judgement.created)
            if judgement.created:
                log.info("outage prediction: office %s, %d new event(s), %d absorbed", office_id,
                         len(judgement.created), len(judgement.cancelled))
        for office_id in set(self._seen) - set(offices):
            del self._seen[office_id]
        return created

    def step(self) -> int:
        return self.run_due()

    def interval(self) -> float:
        return self._ctx.settings.outage_predict_seconds
