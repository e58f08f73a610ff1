"""Where a power-quality warning's governance ticket ends (docs/power-quality.md): completing its 效果验证
closes the warning in the same transaction as the stage (the verification is the evidence the excursion was
cured), with an audit entry. A cancelled ticket cured nothing: its warning stays open, the cancellation is
audited, and while the limit is still kept outside the next judging opens a new governance ticket for it
(backend.power_quality.judge), so an open warning is never left with nobody working it.

Imported by the workflow engine, so it imports nothing of the engine (nor of backend.power_quality)."""

from __future__ import annotations

from sqlalchemy import select, update

from backend.audit import append_audit
from backend.db.power_quality_tables import PqWarning
from backend.db.records import StageTaskRow, TicketRow
from backend.sync.mutation_kit import Tx
from domain import power_quality as pq


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
