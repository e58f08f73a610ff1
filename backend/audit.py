"""The append-only audit log: writing an entry, and the supervisors' read endpoint."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.auth import Principal
from backend.context import AppContext, context, principal
from backend.db.ops_tables import AuditEntry
from backend.http_errors import OUT_OF_SCOPE
from domain import bounds
from domain.errors import InvalidInput

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


def append_audit(
    session: Session,
    *,
    office_id: str | None,
    staff_id: str | None,
    action: str,
    subject: str | None,
    detail: dict[str, Any],
    at: datetime,
    now: datetime,
) -> None:
    session.add(
        AuditEntry(
            office_id=office_id, staff_id=staff_id, action=action, subject=subject, detail=detail, at=at, recorded_at=now
        )
    )


def readable_detail(detail: Any) -> Any:
    """The stored detail, or a marker when it is outside domain.bounds (written before the bounds
    existed): one such entry must not make the whole log unreadable."""
    try:
        bounds.check_json("audit.detail", detail)
    except InvalidInput:
        return {"unreadable": "detail_out_of_bounds"}
    return detail


@router.get("")
def list_audit(
    office_id: str | None = Query(default=None, max_length=64, pattern=bounds.ID_FIELD_PATTERN),
    after_id: int = Query(default=0, ge=0, le=2**62),
    limit: int = Query(default=200, ge=1, le=1000),
    who: Principal = Depends(principal),
    ctx: AppContext = Depends(context),
) -> dict[str, list[dict[str, Any]]]:
    """Entries of one office after `after_id`, oldest first; supervisors see their own office only."""
    office = office_id or who.office_id
    if not who.may_see_office(office):
        raise OUT_OF_SCOPE
    with ctx.database.read() as session:
        rows = session.execute(
            select(AuditEntry)
            .where(AuditEntry.office_id == office, AuditEntry.id > after_id)
            .order_by(AuditEntry.id)
            .limit(limit)
        ).scalars()
        return {
            "entries": [
                {
                    "id": row.id,
                    "office_id": row.office_id,
                    "staff_id": row.staff_id,
                    "action": row.action,
                    "subject": row.subject,
                    "detail": readable_detail(row.detail),
                    "at": row.at.isoformat(),
                    "recorded_at": row.recorded_at.isoformat(),
                }
                for row in rows
            ]
        }
