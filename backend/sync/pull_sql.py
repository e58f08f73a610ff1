"""Pull pages whose rows SQLite writes as JSON itself: the initial sync's hot path on an embedded or office server.

A page of `pull.pull` turns each row into a dict in Python and then into JSON: about three quarters of the
server's time per row. Here SQLite's `json_object` writes each change, already in the wire shape of
`pull.page_json(pull.pull(...))` (the same values, the same key order), and Python only joins the texts.

Only where the two paths cannot disagree: SQLite, a role that sees the whole identity (no masking), and the
kinds whose columns are text, integers, booleans, dates and datetimes (`SQL_KINDS`). JSON and floating-point
columns (tickets' forms, a surveyor's position) would need Python's reading to match it exactly; a page
with such a kind, or a stored datetime not in SQLite's own form, is built the ordinary way.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from sqlalchemy import BigInteger, Boolean, Date, DateTime, Integer, String, Text, Time

from backend.db.base import UTCDateTime, table_of
from backend.db.engine import Database
from backend.db.records import ROW_TYPES
from backend.sync import pull as pulling

log = logging.getLogger(__name__)
_DATETIME = (DateTime, UTCDateTime)


# SQLite's own datetime text, the only shape written here: one space, one '.', so the replaces below
# touch just those (anything else takes the dict path).
_SQLITE_DATETIME = "'" + "-".join(["[0-9]" * 4, "[0-9]" * 2, "[0-9]" * 2]) + " " + ":".join(["[0-9]" * 2] * 3) \
    + "." + "[0-9]" * 6 + "'"


def _datetime_sql(column: str) -> str:
    """`pull._datetime_wire` of SQLite's text ("2026-03-02 09:00:00.000000" -> "2026-03-02T09:00:00+00:00")."""
    return f"replace(replace({column}, ' ', 'T'), '.000000', '') || '+00:00'"


def _value_sql(column: Any, name: str) -> tuple[str, str | None] | None:
    """(the wire value in SQL, the test that the stored value had the expected shape or None); None when the
    column's type is not one this path writes."""
    quoted = f't."{name}"'
    if isinstance(column.type, _DATETIME):
        return _datetime_sql(quoted), f"({quoted} IS NULL OR {quoted} GLOB {_SQLITE_DATETIME})"
    if isinstance(column.type, (Date, Time)):  # `pull._date_or_time_wire`: a time drops ".000000"
        return (f"CASE WHEN typeof({quoted}) = 'text' AND length({quoted}) = 15 AND substr({quoted}, 9) = '.000000'"
                f" THEN substr({quoted}, 1, 8) ELSE {quoted} END"), f"typeof({quoted}) IN ('text', 'null')"
    if isinstance(column.type, Boolean):
        return (f"CASE WHEN {quoted} IS NULL THEN NULL WHEN {quoted} THEN json('true') ELSE json('false') END",
                f"typeof({quoted}) IN ('integer', 'null')")
    if isinstance(column.type, (Integer, BigInteger)):
        return quoted, f"typeof({quoted}) IN ('integer', 'null')"
    if isinstance(column.type, (String, Text)):  # text affinity: text or NULL (a blob makes the query fail)
        return quoted, None
    return None


def _statement(kind: str) -> str | None:
    """SELECT entity_id, change JSON, shape ok over a seq range of the log; None if a column is not writable here."""
    table = table_of(ROW_TYPES[kind])
    pairs: list[str] = []
    checks: list[str] = []
    for column in pulling._COLUMNS[kind]:
        found = _value_sql(table.c[column.name], column.name)
        if found is None:
            return None
        wire, check = found
        pairs.append(f"'{column.name}', {wire}")
        if check is not None:
            checks.append(check)
    return (
        f"SELECT t.id, json_object('seq', l.seq, 'entity', '{kind}', 'id', t.id, 'kind', 'upsert',"
        f" 'version', t.version, 'data', json_object({', '.join(pairs)})), {' AND '.join(checks) or '1'}"
        f' FROM change_log AS l JOIN "{table.name}" AS t ON t.id = l.entity_id'
        " WHERE l.scope = ? AND l.entity = ? AND l.seq > ? AND l.seq <= ? AND l.kind = 'upsert'"
    )


_STATEMENTS = {kind: statement for kind in pulling._COLUMNS if (statement := _statement(kind)) is not None}
SQL_KINDS = frozenset(_STATEMENTS)


def pull_json(database: Database, scope: str, cursor: int, limit: int) -> bytes:
    """One page as `pull.page_json(pull.pull(...))` would write it, unmasked."""
    if not database.is_sqlite:
        return pulling.page_json(pulling.pull(database, scope, cursor, limit))
    with database.snapshot() as session:
        last_seq, checksum, count, horizon = pulling._state(session, scope)
        if cursor > last_seq:
            return pulling.page_json(pulling._resync(scope, cursor, "cursor_ahead"))
        if 0 < cursor < horizon:
            return pulling.page_json(pulling._resync(scope, cursor, "cursor_compacted"))
        rows: list[Any] = session.execute(
            pulling._PAGE, {"scope": scope, "cursor": cursor, "size": limit + 1}
        ).all()  # type: ignore[assignment]
        has_more = len(rows) > limit
        if has_more:
            rows = pulling._cut_at_transaction(session, scope, rows, limit)
        next_cursor = rows[-1][0] if rows else cursor
        kinds = {row[1] for row in rows if row[3] == "upsert"}
        if not kinds <= SQL_KINDS:
            changes_json = None
        else:
            changes_json = _changes(session.connection().connection.driver_connection, scope, cursor, next_cursor,
                                    rows, kinds)
        if changes_json is None:  # a kind or a stored value only Python reads right: the ordinary page
            changes = pulling._with_data(session, scope, cursor, next_cursor, rows)
            return pulling.page_json({
                "scope": scope, "changes": changes, "cursor": next_cursor, "has_more": has_more,
                "must_resync": False, "reason": None,
                "checksum": None if has_more else checksum, "count": None if has_more else count})
    tail = orjson.dumps({"cursor": next_cursor, "has_more": has_more, "must_resync": False, "reason": None,
                         "checksum": None if has_more else checksum, "count": None if has_more else count})
    return b"".join((b'{"scope":', orjson.dumps(scope), b',"changes":[', changes_json, b"],", tail[1:]))


def _changes(db: Any, scope: str, after: int, upto: int, rows: list[Any], kinds: set[str]) -> bytes | None:
    """The page's changes as JSON text in log order (parents first within a seq), None if a row needs Python."""
    found: dict[str, dict[str, str]] = {}
    for kind in kinds:
        try:
            answer = db.execute(_STATEMENTS[kind], (scope, kind, after, upto)).fetchall()
        except Exception:  # the driver's error for a value json_object refuses (a blob): Python reads it
            log.info("pull: %s rows of %s written the ordinary way", kind, scope, exc_info=True)
            return None
        if not all(shape_ok for _, _, shape_ok in answer):
            return None
        found[kind] = {entity_id: text for entity_id, text, _ in answer}
    if len({row[1] for row in rows}) > 1:
        rows = sorted(rows, key=lambda r: (r[0], pulling._KIND_ORDER.get(r[1], 99)))
    parts: list[str] = []
    append = parts.append
    for seq, entity, entity_id, kind, version in rows:
        if kind == "upsert":
            text = found[entity].get(entity_id)
            if text is not None:
                append(text)
        else:
            append(orjson.dumps({"seq": seq, "entity": entity, "id": entity_id, "kind": kind, "version": version,
                                 "data": None}).decode())
    return ",".join(parts).encode()
