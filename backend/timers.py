"""SLA timers: warning and overdue instants that fire once, even with several server processes.

A timer is claimed with `UPDATE ... WHERE fired_at IS NULL` in the same transaction as
its effects, so exactly one process wins. Firing writes an Interaction of type
`ticket_step` into the office scope (desks receive it by sync) and an audit entry
`sla_escalated` naming the office's supervisors.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from backend.audit import append_audit
from backend.background import BackgroundLoop
from backend.db.base import table_of
from backend.db.ops_tables import SlaTimer
from backend.db.records import StaffRow, TicketRow
from backend.store import Writer
from backend.sync.changes import dialect_insert
from domain import sla
from domain.records import Interaction
from domain.states import STATE_MACHINES

if TYPE_CHECKING:
    from backend.context import AppContext

log = logging.getLogger(__name__)
_NAMESPACE = uuid.UUID("0b7c52a4-54a8-4f3c-9a51-9a0f2c1e6d11")
_TIMERS = table_of(SlaTimer)
Armed = tuple[str, Any, str]  # (entity, row with id/office_id/warn_at/due_at, ticket id)


def schedule(session: Session, entity: str, row: Any, ticket_id: str) -> None:
    """(Re)arm the warning and overdue timers of a ticket or stage task from its warn_at/due_at."""
    schedule_many(session, [(entity, row, ticket_id)])


def schedule_many(session: Session, armed: Sequence[Armed]) -> None:
    """`schedule` for several (entity, row, ticket id) at once, in one upsert: a timer not yet fired
    takes the new instant and is armed again; a fired one stays as it was."""
    values = [
        {"id": f"{entity}:{row.id}:{kind}", "entity": entity, "entity_id": row.id, "office_id": row.office_id,
         "ticket_id": ticket_id, "kind": kind, "fire_at": at, "fired_at": None, "cancelled": False}
        for entity, row, ticket_id in armed
        for kind, at in (("warning", row.warn_at), ("overdue", sla.overdue_from(row.due_at) if row.due_at else None))
        if at is not None
    ]
    if not values:
        return
    statement = dialect_insert(session)(_TIMERS)
    statement = statement.on_conflict_do_update(
        index_elements=["id"],
        set_={"fire_at": statement.excluded.fire_at, "cancelled": False},
        where=_TIMERS.c.fired_at.is_(None),
    )
    session.connection().execute(statement, values)


def cancel(session: Session, entity: str, entity_id: str) -> None:
    session.execute(
        update(SlaTimer)
        .where(SlaTimer.entity == entity, SlaTimer.entity_id == entity_id, SlaTimer.fired_at.is_(None))
        .values(cancelled=True)
    )


def cancel_ticket(session: Session, ticket_id: str) -> None:
    session.execute(
        update(SlaTimer).where(SlaTimer.ticket_id == ticket_id, SlaTimer.fired_at.is_(None)).values(cancelled=True)
    )


def fire_due(ctx: AppContext, limit: int = 200) -> int:
    """Fire every timer due at the server's now; returns how many this process fired."""
    now = ctx.now()
    with ctx.database.read() as session:
        due = list(
            session.execute(
                select(SlaTimer.id)
                .where(SlaTimer.fired_at.is_(None), SlaTimer.cancelled.is_(False), SlaTimer.fire_at <= now)
                .order_by(SlaTimer.fire_at)
                .limit(limit)
            ).scalars()
        )
    fired = 0
    for timer_id in due:
        try:
            fired += _fire(ctx, timer_id, now)
        except Exception:  # another process may hold the row; it will fire or we retry next tick
            log.exception("timer %s failed", timer_id)
    return fired


def _fire(ctx: AppContext, timer_id: str, now: datetime) -> int:
    with ctx.database.write() as session:
        claimed = session.execute(
            update(SlaTimer)
            .where(SlaTimer.id == timer_id, SlaTimer.fired_at.is_(None), SlaTimer.cancelled.is_(False))
            .values(fired_at=now)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return 0
        timer = session.get(SlaTimer, timer_id)
        assert timer is not None
        ticket = session.get(TicketRow, timer.ticket_id)
        if ticket is None:
            return 1
        supervisors = list(
            session.execute(
                select(StaffRow.id).where(
                    StaffRow.office_id == timer.office_id, StaffRow.role == "supervisor", StaffRow.active.is_(True)
                )
            ).scalars()
        )
        what = "时限预警" if timer.kind == "warning" else "已超时"
        subject = ticket.number or ticket.id
        machine = STATE_MACHINES.get(timer.entity)
        entity = machine.name_zh if machine is not None else timer.entity
        writer = Writer(session, now)
        writer.insert(
            Interaction(
                id=str(uuid.uuid5(_NAMESPACE, timer_id)),
                office_id=timer.office_id,
                customer_id=ticket.customer_id,
                channel=ticket.channel,  # type: ignore[arg-type]
                type="ticket_step",
                at=now,
                # A history line in the words of the ticket's other steps (backend/workflow_engine.record_step).
                summary=f"{what}：{subject}（{entity}），已上报班长",
                ticket_id=ticket.id,
            )
        )
        writer.finish()
        append_audit(
            session,
            office_id=timer.office_id,
            staff_id=None,
            action="sla_escalated",
            subject=f"{timer.entity}:{timer.entity_id}",
            detail={"kind": timer.kind, "ticket_id": ticket.id, "supervisors": supervisors},
            at=now,
            now=now,
        )
        return 1


class TimerRunner(BackgroundLoop):
    """One background loop per process; `run_due()` can also be called directly (the test clock does)."""

    name = "onewindow-timers"

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self._ctx = ctx

    def run_due(self) -> int:
        return fire_due(self._ctx)

    def step(self) -> int:
        return self.run_due()

    def interval(self) -> float:
        return self._ctx.settings.timers_poll_seconds
