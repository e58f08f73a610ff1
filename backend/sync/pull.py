"""Pull: pages of the compacted change log of one scope, each ending on a transaction boundary.

The hot path reads plain column tuples (no ORM objects, no pydantic per change) and
returns the page as a JSON-ready dict; the wire shape is `domain.sync.PullPage`.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Date, DateTime, Time, and_, select
from sqlalchemy.orm import Session

from backend.auth import Principal
from backend.db.base import UTCDateTime, table_of
from backend.db.engine import Database
from backend.db.records import ROW_TYPES
from backend.db.sync_tables import ChangeLog, ScopeState
from backend.http_errors import OUT_OF_SCOPE, ApiError
from backend.store import wire_value
from domain.records import RECORD_TYPES
from domain.sync import ScopeChecksum

MAX_LIMIT = 5000
# Parents before children inside one transaction, so a desk with foreign keys can apply in order.
_KIND_ORDER = {kind: rank for rank, kind in enumerate(ROW_TYPES)}
_LOG = table_of(ChangeLog)
_LOG_COLUMNS = (_LOG.c.seq, _LOG.c.entity, _LOG.c.entity_id, _LOG.c.kind, _LOG.c.version)
# Only the columns the wire record carries, in its field order.
_COLUMNS = {
    kind: [table_of(ROW_TYPES[kind]).c[name] for name in model.model_fields] for kind, model in RECORD_TYPES.items()
}

# Positions of the date, time and datetime columns, the only values that need converting for JSON.
_CONVERTED = {
    kind: [at for at, column in enumerate(columns) if isinstance(column.type, (Date, DateTime, Time, UTCDateTime))]
    for kind, columns in _COLUMNS.items()
}


def check_scope(who: Principal, scope: str) -> None:
    if scope == "calendar":
        return
    kind, _, office = scope.partition(":")
    if kind != "office" or not office:
        raise ApiError(400, "invalid_input", f"未知的同步范围 / unknown scope {scope[:96]!r}")
    if not who.may_see_office(office):
        raise OUT_OF_SCOPE


def _state(session: Session, scope: str) -> tuple[int, str, int, int]:
    """(last_seq, checksum, count, horizon) of a scope; a scope nobody wrote is empty."""
    row = session.execute(
        select(ScopeState.last_seq, ScopeState.checksum, ScopeState.count, ScopeState.horizon).where(
            ScopeState.scope == scope
        )
    ).one_or_none()
    return (row[0], row[1], row[2], row[3]) if row is not None else (0, "0" * 16, 0, 0)


def _resync(scope: str, cursor: int, reason: str) -> dict[str, Any]:
    return {"scope": scope, "changes": [], "cursor": cursor, "has_more": False, "must_resync": True,
            "reason": reason, "checksum": None, "count": None}


def pull(database: Database, scope: str, cursor: int, limit: int) -> dict[str, Any]:
    """One page as a JSON-ready dict of the `PullPage` shape."""
    with database.snapshot() as session:
        last_seq, checksum, count, horizon = _state(session, scope)
        if cursor > last_seq:
            return _resync(scope, cursor, "cursor_ahead")
        if 0 < cursor < horizon:
            return _resync(scope, cursor, "cursor_compacted")
        rows: list[Any] = session.execute(
            select(*_LOG_COLUMNS).where(_LOG.c.scope == scope, _LOG.c.seq > cursor).order_by(_LOG.c.seq).limit(limit + 1)
        ).all()  # type: ignore[assignment]
        has_more = len(rows) > limit
        if has_more:
            rows = _cut_at_transaction(session, scope, rows, limit)
        next_cursor = rows[-1][0] if rows else cursor
        changes = _with_data(session, scope, cursor, next_cursor, rows)
        return {"scope": scope, "changes": changes, "cursor": next_cursor, "has_more": has_more,
                "must_resync": False, "reason": None,
                "checksum": None if has_more else checksum, "count": None if has_more else count}


def page_json(page: dict[str, Any]) -> bytes:
    return json.dumps(page, ensure_ascii=False, separators=(",", ":")).encode()


def _cut_at_transaction(session: Session, scope: str, rows: list[Any], limit: int) -> list[Any]:
    """Drop the trailing transaction that does not fit; a transaction bigger than a page is sent whole."""
    first_left_out = rows[limit][0]
    kept = [row for row in rows[:limit] if row[0] != first_left_out]
    if kept:
        return kept
    return list(session.execute(select(*_LOG_COLUMNS).where(_LOG.c.scope == scope, _LOG.c.seq == first_left_out)))


def _with_data(session: Session, scope: str, after: int, upto: int, rows: list[Any]) -> list[dict[str, Any]]:
    """The changes with each upserted row's current data, read per kind over the page's seq range."""
    kinds = {row[1] for row in rows if row[3] == "upsert"}
    found: dict[tuple[str, str], tuple[Any, ...]] = {}
    for kind in kinds:
        columns = _COLUMNS[kind]
        table = table_of(ROW_TYPES[kind])
        statement = (
            select(*columns)
            .join(_LOG, and_(_LOG.c.entity_id == table.c.id, _LOG.c.entity == kind))
            .where(_LOG.c.scope == scope, _LOG.c.seq > after, _LOG.c.seq <= upto, _LOG.c.kind == "upsert")
        )
        for record in session.execute(statement):
            found[(kind, record[0])] = tuple(record)
    names = {kind: [column.name for column in _COLUMNS[kind]] for kind in kinds}
    version_at = {kind: names[kind].index("version") for kind in kinds}
    converted = {kind: _CONVERTED[kind] for kind in kinds}
    changes: list[dict[str, Any]] = []
    for seq, entity, entity_id, kind, version in sorted(rows, key=lambda r: (r[0], _KIND_ORDER.get(r[1], 99))):
        if kind == "upsert":
            stored = found.get((entity, entity_id))
            if stored is None:
                continue
            values = list(stored)
            for at in converted[entity]:
                if values[at] is not None:
                    values[at] = wire_value(values[at])
            data = dict(zip(names[entity], values, strict=True))
            changes.append({"seq": seq, "entity": entity, "id": entity_id, "kind": "upsert",
                            "version": values[version_at[entity]], "data": data})
        else:
            changes.append({"seq": seq, "entity": entity, "id": entity_id, "kind": kind, "version": version,
                            "data": None})
    return changes


def checksum(database: Database, scope: str) -> ScopeChecksum:
    with database.read() as session:
        last_seq, total, count, _ = _state(session, scope)
        return ScopeChecksum(scope=scope, cursor=last_seq, checksum=total, count=count)
