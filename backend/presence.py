"""Presence: who else is viewing or editing a ticket right now, from heartbeats kept in the database."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from backend.auth import Principal
from backend.context import AppContext, context, principal
from backend.db.desk_tables import Presence
from backend.db.records import StaffRow, TicketRow
from backend.http_errors import OUT_OF_SCOPE, ApiError
from backend.sync.changes import dialect_insert
from domain import bounds

router = APIRouter(prefix="/api/v1/presence", tags=["presence"])
# Heartbeats older than this are swept on the next heartbeat: nobody needs them.
_KEEP = timedelta(minutes=10)


class Heartbeat(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ticket_id: str = Field(min_length=1, max_length=64, pattern=bounds.ID_FIELD_PATTERN)
    activity: Literal["viewing", "editing"]


class Present(BaseModel):
    staff_id: str
    display_name: str
    activity: Literal["viewing", "editing"]
    seen_at: datetime


def _check_ticket(session: Session, who: Principal, ticket_id: str) -> None:
    office = session.execute(select(TicketRow.office_id).where(TicketRow.id == ticket_id)).scalar_one_or_none()
    if office is None:
        raise ApiError(404, "not_found", "工单不存在 / no such ticket")
    if not who.may_see_office(office):
        raise OUT_OF_SCOPE


@router.post("", status_code=204, response_class=Response)
def heartbeat(body: Heartbeat, who: Principal = Depends(principal), ctx: AppContext = Depends(context)) -> Response:
    now = ctx.now()
    with ctx.database.write() as session:
        _check_ticket(session, who, body.ticket_id)
        values = {"staff_id": who.staff_id, "activity": body.activity, "seen_at": now}
        session.execute(
            dialect_insert(session)(Presence)
            .values(session_id=who.session_id, ticket_id=body.ticket_id, **values)
            .on_conflict_do_nothing()
        )
        session.execute(
            update(Presence)
            .where(Presence.session_id == who.session_id, Presence.ticket_id == body.ticket_id)
            .values(**values)
        )
        session.execute(delete(Presence).where(Presence.seen_at < now - _KEEP))
    return Response(status_code=204)


@router.get("", response_model=list[Present])
def who_is_here(
    ticket_id: str = Query(min_length=1, max_length=64, pattern=bounds.ID_FIELD_PATTERN), who: Principal = Depends(principal),
    ctx: AppContext = Depends(context),
) -> list[Present]:
    """Other desk sessions with a heartbeat on this ticket within the presence window, newest first."""
    now = ctx.now()
    with ctx.database.read() as session:
        _check_ticket(session, who, ticket_id)
        rows = session.execute(
            select(Presence.staff_id, StaffRow.display_name, Presence.activity, Presence.seen_at)
            .join(StaffRow, StaffRow.id == Presence.staff_id)
            .where(Presence.ticket_id == ticket_id, Presence.session_id != who.session_id,
                   Presence.seen_at >= now - ctx.settings.presence_window)
            .order_by(Presence.seen_at.desc())
        ).all()
    return [Present.model_validate({"staff_id": r[0], "display_name": r[1], "activity": r[2], "seen_at": r[3]}) for r in rows]
