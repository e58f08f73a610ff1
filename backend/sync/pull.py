"""Pull: pages of the compacted change log of one scope, each ending on a transaction boundary."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.auth import Principal
from backend.db.engine import Database
from backend.db.records import ROW_TYPES
from backend.db.sync_tables import ChangeLog, ScopeState
from backend.http_errors import OUT_OF_SCOPE, ApiError
from backend.store import row_to_wire
from domain.sync import Change, PullPage, ScopeChecksum

MAX_LIMIT = 5000
# Parents before children inside one transaction, so a desk with foreign keys can apply in order.
_KIND_ORDER = {kind: rank for rank, kind in enumerate(ROW_TYPES)}


def check_scope(who: Principal, scope: str) -> None:
    if scope == "calendar":
        return
    kind, _, office = scope.partition(":")
    if kind != "office" or not office:
        raise ApiError(400, "invalid_input", f"未知的同步范围 / unknown scope {scope[:96]!r}")
    if not who.may_see_office(office):
        raise OUT_OF_SCOPE


def _state(session: Session, scope: str) -> ScopeState:
    state = session.get(ScopeState, scope)
    return state if state is not None else ScopeState(scope=scope, last_seq=0, checksum="0" * 16, count=0, horizon=0)


def pull(database: Database, scope: str, cursor: int, limit: int) -> PullPage:
    with database.snapshot() as session:
        state = _state(session, scope)
        if cursor > state.last_seq:
            return PullPage(
                scope=scope, changes=[], cursor=cursor, has_more=False, must_resync=True,
                reason="cursor_ahead",
            )
        if 0 < cursor < state.horizon:
            return PullPage(
                scope=scope, changes=[], cursor=cursor, has_more=False, must_resync=True,
                reason="cursor_compacted",
            )
        rows = list(
            session.execute(
                select(ChangeLog)
                .where(ChangeLog.scope == scope, ChangeLog.seq > cursor)
                .order_by(ChangeLog.seq)
                .limit(limit + 1)
            ).scalars()
        )
        has_more = len(rows) > limit
        if has_more:
            rows = _cut_at_transaction(session, scope, rows, limit)
        changes = _with_data(session, rows)
        next_cursor = rows[-1].seq if rows else cursor
        page = PullPage(scope=scope, changes=changes, cursor=next_cursor, has_more=has_more)
        if not has_more:
            page.checksum, page.count = state.checksum, state.count
        return page


def _cut_at_transaction(session: Session, scope: str, rows: list[ChangeLog], limit: int) -> list[ChangeLog]:
    """Drop the trailing transaction that does not fit; a transaction bigger than a page is sent whole."""
    first_left_out = rows[limit].seq
    kept = [row for row in rows[:limit] if row.seq != first_left_out]
    if kept:
        return kept
    return list(
        session.execute(
            select(ChangeLog).where(ChangeLog.scope == scope, ChangeLog.seq == first_left_out)
        ).scalars()
    )


def _with_data(session: Session, rows: list[ChangeLog]) -> list[Change]:
    wanted: dict[str, list[str]] = {}
    for row in rows:
        if row.kind == "upsert":
            wanted.setdefault(row.entity, []).append(row.entity_id)
    found: dict[tuple[str, str], Any] = {}
    record: Any
    for kind, ids in wanted.items():
        model = ROW_TYPES[kind]
        for start in range(0, len(ids), 900):
            for record in session.execute(select(model).where(model.id.in_(ids[start : start + 900]))).scalars():
                found[(kind, record.id)] = record
    changes: list[Change] = []
    for row in sorted(rows, key=lambda r: (r.seq, _KIND_ORDER.get(r.entity, 99))):
        if row.kind == "upsert":
            record = found.get((row.entity, row.entity_id))
            if record is None:
                continue
            changes.append(
                Change(seq=row.seq, entity=row.entity, id=row.entity_id, kind="upsert", version=record.version,
                       data=row_to_wire(row.entity, record))
            )
        else:
            changes.append(Change(seq=row.seq, entity=row.entity, id=row.entity_id, kind=row.kind, version=row.version))  # type: ignore[arg-type]
    return changes


def checksum(database: Database, scope: str) -> ScopeChecksum:
    with database.read() as session:
        state = _state(session, scope)
        return ScopeChecksum(scope=scope, cursor=state.last_seq, checksum=state.checksum, count=state.count)
