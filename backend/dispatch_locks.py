"""Dispatch locks: a desk planning surveyors' days (a batch run, a drag in progress) holds them for a few minutes.

Locks live in the database (one row per surveyor and day, the primary key makes taking one atomic)
and expire by time, so a desk that vanishes never blocks the others for long. Any desk may list the
live locks of a day (who holds which surveyor, until when) to say who is planning.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import and_, delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.auth import Principal
from backend.context import AppContext, context, principal
from backend.db.desk_tables import DispatchLock
from backend.db.records import StaffRow, SurveyorRow
from backend.http_errors import OUT_OF_SCOPE, ApiError
from domain import bounds

router = APIRouter(prefix="/api/v1/dispatch/locks", tags=["dispatch"])
MAX_MINUTES = 120


class LockRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    surveyor_ids: list[Annotated[str, Field(pattern=bounds.ID_FIELD_PATTERN)]] = Field(min_length=1, max_length=200)
    day: date
    minutes: int = Field(default=5, ge=1, le=MAX_MINUTES)


class LockAnswer(BaseModel):
    lock_id: str
    expires_at: datetime


class HeldLock(BaseModel):
    """A live lock as other desks see it: whose, on which surveyor-day, until when (`mine`: this session's)."""

    surveyor_id: str
    day: date
    staff_id: str
    holder_name: str
    expires_at: datetime
    mine: bool


def _pairs(column_pairs: Iterable[tuple[str, date]]) -> list[tuple[str, date]]:
    return sorted(set(column_pairs))


def _matching(pairs: list[tuple[str, date]]) -> object:
    return or_(*(and_(DispatchLock.surveyor_id == s, DispatchLock.day == d) for s, d in pairs))


def held_by_others(
    session: Session, who: Principal, pairs: Iterable[tuple[str, date]], now: datetime
) -> DispatchLock | None:
    """A live lock another desk session holds on one of these (surveyor, day) pairs, if any."""
    wanted = _pairs(pairs)
    if not wanted:
        return None
    return session.execute(
        select(DispatchLock)
        .where(_matching(wanted), DispatchLock.expires_at > now, DispatchLock.session_id != who.session_id)  # type: ignore[arg-type]
        .limit(1)
    ).scalar_one_or_none()


@router.post("", response_model=LockAnswer)
def take_lock(body: LockRequest, who: Principal = Depends(principal), ctx: AppContext = Depends(context)) -> LockAnswer:
    now = ctx.now()
    pairs = _pairs((surveyor_id, body.day) for surveyor_id in body.surveyor_ids)
    lock_id, expires_at = str(uuid.uuid4()), now + timedelta(minutes=body.minutes)
    try:
        with ctx.database.write() as session:
            offices = dict(
                session.execute(select(SurveyorRow.id, SurveyorRow.office_id).where(SurveyorRow.id.in_(body.surveyor_ids)))
                .tuples()
                .all()
            )
            if len(offices) != len(set(body.surveyor_ids)):
                raise ApiError(404, "not_found", "勘查员不存在 / no such surveyor")
            if not all(who.may_see_office(office) for office in offices.values()):
                raise OUT_OF_SCOPE
            session.execute(delete(DispatchLock).where(_matching(pairs), DispatchLock.expires_at <= now))  # type: ignore[arg-type]
            holder = held_by_others(session, who, pairs, now)
            if holder is not None:
                raise _locked(session, holder)
            session.execute(delete(DispatchLock).where(_matching(pairs), DispatchLock.session_id == who.session_id))  # type: ignore[arg-type]
            session.add_all(
                DispatchLock(surveyor_id=surveyor_id, day=day, lock_id=lock_id, office_id=offices[surveyor_id],
                             session_id=who.session_id, staff_id=who.staff_id, expires_at=expires_at)
                for surveyor_id, day in pairs
            )
    except IntegrityError:  # another desk took one of the days between our check and our insert
        raise ApiError(409, "locked", "勘查员的排班正由其他派工台锁定 / another desk is planning these surveyors") from None
    return LockAnswer(lock_id=lock_id, expires_at=expires_at)


@router.get("", response_model=list[HeldLock])
def list_locks(
    day: date = Query(), who: Principal = Depends(principal), ctx: AppContext = Depends(context)
) -> list[HeldLock]:
    """The live locks on this day in the offices this desk sees, by surveyor."""
    now = ctx.now()
    with ctx.database.read() as session:
        rows = session.execute(
            select(DispatchLock, StaffRow.display_name)
            .outerjoin(StaffRow, StaffRow.id == DispatchLock.staff_id)
            .where(DispatchLock.day == day, DispatchLock.expires_at > now,
                   DispatchLock.office_id.in_(sorted(who.offices)))
            .order_by(DispatchLock.surveyor_id)
        ).tuples().all()
    return [HeldLock(surveyor_id=lock.surveyor_id, day=lock.day, staff_id=lock.staff_id, holder_name=name or "?",
                     expires_at=lock.expires_at, mine=lock.session_id == who.session_id)
            for lock, name in rows]


def _locked(session: Session, holder: DispatchLock) -> ApiError:
    name = session.execute(select(StaffRow.display_name).where(StaffRow.id == holder.staff_id)).scalar() or "?"
    return ApiError(
        409, "locked",
        f"{holder.day} 的排班正由 {name} 锁定 / {name} is planning these surveyors on {holder.day} "
        f"(until {holder.expires_at.isoformat()})",
    )


@router.delete("/{lock_id}", status_code=204, response_class=Response)
def release_lock(lock_id: str = Path(pattern=bounds.ID_FIELD_PATTERN), *, who: Principal = Depends(principal), ctx: AppContext = Depends(context)) -> Response:
    """The holder releases its lock; a supervisor of the office may break one left behind."""
    with ctx.database.write() as session:
        rows = list(session.execute(select(DispatchLock).where(DispatchLock.lock_id == lock_id[:64])).scalars())
        mine = [r for r in rows if r.session_id == who.session_id
                or (who.role in ("supervisor", "admin") and who.may_see_office(r.office_id))]
        if not mine:
            raise ApiError(404, "not_found", "锁不存在或已过期 / no such lock held by this desk")
        for row in mine:
            session.delete(row)
    return Response(status_code=204)
