"""Where a power-quality warning's governance ticket ends (docs/power-quality.md): completing its 效果验证
closes the warning in the same transaction as the stage (the verification is the evidence the excursion was
cured), with an audit entry. A cancelled ticket cured nothing: its warning stays open, the cancellation is
audited, and while the limit is still kept outside the next judging opens a new governance ticket for it
(backend.power_quality.judge), so an open warning is never left with nobody working it.

A voltage repair or supply-quality complaint (domain.power_quality.concerns_power_quality) accepted for a
monitored customer gets, in its create's transaction, a history line per monitoring point of that customer (the
ticket's account's point when it has one) saying what the point measured in the hours before: the ticket links
to the point's data, and the department sees at once whether the measurements bear the complaint out.

Imported by the workflow engine, so it imports nothing of the engine (nor of backend.power_quality)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, select, update

from backend.audit import append_audit
from backend.db.power_quality_tables import PqInterval, PqPoint, PqWarning, interval_of, point_of
from backend.db.records import StageTaskRow, TicketRow
from backend.sync.mutation_kit import Tx
from domain import power_quality as pq
from domain.records import Interaction

_NAMESPACE = uuid.UUID("3c9a1f6e-5b2d-4e8a-b7c1-0d4f6e2a9b35")
POINTS_NAMED = 3  # a customer with more points: its ticket names the first three by name


def stage_done(tx: Tx, ticket: TicketRow, task: StageTaskRow) -> None:
    """Close the open warnings this ticket governs when its verification stage is completed."""
    if not pq.closes_warning(ticket.type_code, task.stage_code):
        return
    closed = tx.session.execute(
        update(PqWarning).where(PqWarning.ticket_id == ticket.id, PqWarning.open_key.is_not(None))
        .values(open_key=None, closed_at=tx.now).returning(PqWarning.id, PqWarning.point_id, PqWarning.limit_id)
        .execution_options(synchronize_session=False)).all()
    for warning_id, point_id, limit_id in closed:
        append_audit(tx.session, office_id=ticket.office_id, staff_id=tx.who.staff_id, action="pq_warning.closed",
                     subject=f"pq_warning:{warning_id}",
                     detail={"ticket_id": ticket.id, "stage_task_id": task.id, "point_id": point_id,
                             "limit_id": limit_id, "by": "verification"},
                     at=tx.now, now=tx.now)


def ticket_cancelled(tx: Tx, ticket: TicketRow, reason: str | None) -> None:
    """A cancelled governance ticket leaves its warning open; the audit says so (and why)."""
    if ticket.type_code != pq.GOVERNANCE_TYPE:
        return
    still_open = tx.session.execute(select(PqWarning.id, PqWarning.point_id, PqWarning.limit_id).where(
        PqWarning.ticket_id == ticket.id, PqWarning.open_key.is_not(None))).all()
    for warning_id, point_id, limit_id in still_open:
        append_audit(tx.session, office_id=ticket.office_id, staff_id=tx.who.staff_id,
                     action="pq_warning.ticket_cancelled", subject=f"pq_warning:{warning_id}",
                     detail={"ticket_id": ticket.id, "point_id": point_id, "limit_id": limit_id,
                             "reason": (reason or "")[:200], "warning": "stays open"},
                     at=tx.now, now=tx.now)


def ticket_created(tx: Tx, ticket: TicketRow) -> None:
    """A voltage ticket of a monitored customer: the history lines with its points' data before it."""
    if not ticket.customer_id or not pq.concerns_power_quality(ticket.fields or {}):
        return
    points = list(tx.session.execute(select(PqPoint).where(PqPoint.customer_id == ticket.customer_id)
                                     .order_by(PqPoint.name)).scalars())
    mine = [p for p in points if ticket.account_id and p.account_id == ticket.account_id]
    end = ticket.accepted_at
    start = end - timedelta(hours=pq.EVIDENCE_HOURS)
    table = pq.load_limits()
    for point in (mine or points)[:POINTS_NAMED]:
        history = [interval_of(r) for r in tx.session.execute(select(PqInterval).where(
            PqInterval.point_id == point.id, PqInterval.start >= start, PqInterval.start <= end)
            .order_by(PqInterval.start)).scalars()]
        warnings = tx.session.execute(select(func.count()).select_from(PqWarning).where(
            PqWarning.point_id == point.id, PqWarning.open_key.is_not(None))).scalar_one()
        summary = pq.evidence_line(point.name, history, pq.limits_for(point_of(point), table), int(warnings))
        tx.writer.insert(Interaction(
            id=str(uuid.uuid5(_NAMESPACE, f"{ticket.id}:{point.id}")), office_id=ticket.office_id,
            customer_id=ticket.customer_id, channel=ticket.channel,  # type: ignore[arg-type]
            type="ticket_step", at=tx.now, staff_id=None, summary=summary[:500], ticket_id=ticket.id))
