"""Pull: pages of the compacted change log of one scope, each ending on a transaction boundary.

The hot path reads plain column tuples (no ORM objects, no pydantic per change) and
returns the page as a JSON-ready dict; the wire shape is `domain.sync.PullPage`. On SQLite, for a role
that sees the whole identity, `pull_sql.pull_json` writes the same page with SQLite's JSON functions.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import orjson
from pydantic_core import PydanticSerializationError, to_json
from sqlalchemy import Date, DateTime, Select, Time, and_, bindparam, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from backend.auth import Principal
from backend.db.base import UTCDateTime, table_of
from backend.db.engine import Database
from backend.db.records import ROW_TYPES
from backend.db.sync_tables import ChangeLog, ScopeState
from backend.http_errors import OUT_OF_SCOPE, ApiError
from backend.store import wire_value
from domain.errors import InvalidInput
from domain.masking import mask_customer_name, mask_phone, mask_resident_id
from domain.records import RECORD_TYPES
from domain.roles import VERIFIER_ROLES
from domain.sync import MutationResult, ScopeChecksum

log = logging.getLogger(__name__)

# A desk catching up grows its pages to this (desktop.sync.engine.CATCH_UP_PAGE_LIMIT): one page is one
# transaction on the desk, and fewer commits cost it less than the bigger response costs here.
MAX_LIMIT = 20_000
# Parents before children inside one transaction, so a desk with foreign keys can apply in order.
_KIND_ORDER = {kind: rank for rank, kind in enumerate(ROW_TYPES)}
_LOG = table_of(ChangeLog)
_LOG_COLUMNS = (_LOG.c.seq, _LOG.c.entity, _LOG.c.entity_id, _LOG.c.kind, _LOG.c.version)
# Only the columns the wire record carries, in its field order.
_COLUMNS = {
    kind: [table_of(ROW_TYPES[kind]).c[name] for name in model.model_fields] for kind, model in RECORD_TYPES.items()
}


def _datetime_wire(value: Any) -> str:
    """A stored datetime as the wire's UTC ISO text, as `wire_value` prints it.

    SQLite hands back its own text ("2026-03-02 09:00:00.000000", naive UTC), reformatted here by slicing:
    parsing it into a datetime only to print it again cost more than the rest of the row. Other drivers
    give datetimes.
    """
    if value.__class__ is str:
        if len(value) == 26 and value[10] == " " and value[19] == "." and value[20:].isdigit():
            fraction = value[19:] if value[20:] != "000000" else ""
            return f"{value[:10]}T{value[11:19]}{fraction}+00:00"
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    text: str = wire_value(value)
    return text


def _date_or_time_wire(value: Any) -> Any:
    if value.__class__ is str:
        # SQLite's text: a date as the wire has it; a time with ".000000" where isoformat() prints none.
        return value[:8] if len(value) == 15 and value.endswith(".000000") else value
    return wire_value(value)


def _wire_converter(column: Any) -> Callable[[Any], Any] | None:
    if isinstance(column.type, (DateTime, UTCDateTime)):
        return _datetime_wire
    if isinstance(column.type, (Date, Time)):
        return _date_or_time_wire
    return None


# (position, conversion) of the date, time and datetime columns, the only values that need converting for JSON.
_CONVERTED = {
    kind: [(at, convert) for at, column in enumerate(columns) if (convert := _wire_converter(column)) is not None]
    for kind, columns in _COLUMNS.items()
}
_NAMES = {kind: [column.name for column in columns] for kind, columns in _COLUMNS.items()}
_VERSION_AT = {kind: names.index("version") for kind, names in _NAMES.items()}


def _data_statement(kind: str) -> Select[Any]:
    """A kind's rows upserted over a seq range of the log; dates and times come back as the driver gives
    them (no result processing: `_CONVERTED` turns them into wire text directly)."""
    table = table_of(ROW_TYPES[kind])
    columns = [
        type_coerce(column, NullType()).label(column.name) if _wire_converter(column) is not None else column
        for column in _COLUMNS[kind]
    ]
    return (
        select(*columns)
        .join(_LOG, and_(_LOG.c.entity_id == table.c.id, _LOG.c.entity == kind))
        .where(
            _LOG.c.scope == bindparam("scope"),
            _LOG.c.seq > bindparam("after"),
            _LOG.c.seq <= bindparam("upto"),
            _LOG.c.kind == "upsert",
        )
    )


_DATA = {kind: _data_statement(kind) for kind in _COLUMNS}
# Keyset pagination over ix_change_log_scope_seq: the page after `cursor`, never an OFFSET.
_PAGE = (
    select(*_LOG_COLUMNS)
    .where(_LOG.c.scope == bindparam("scope"), _LOG.c.seq > bindparam("cursor"))
    .order_by(_LOG.c.seq)
    .limit(bindparam("size"))
)


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
            _PAGE, {"scope": scope, "cursor": cursor, "size": limit + 1}
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
    """The page as compact UTF-8 JSON: the same bytes as `json.dumps(page, ensure_ascii=False,
    separators=(",", ":"))`, from orjson (five times pydantic-core's speed, twenty json's, on a 20,000-row
    page); what orjson refuses (an integer beyond 64 bits, nesting past its limit) goes to pydantic-core.

    A row that cannot be written as JSON (a value nested too deep, stored before such values were
    refused) never fails the page: each value of it that cannot be written is sent empty, and the
    row's kind, id and field name are logged, never its content. The row keeps its id and version,
    so the scope checksum still agrees and the desk does not resync over it."""
    try:
        return orjson.dumps(page)
    except orjson.JSONEncodeError:
        pass
    try:
        return to_json(page)
    except PydanticSerializationError:
        for change in page["changes"]:
            if change["data"] is not None:
                change["data"] = _serialisable(change["entity"], change["id"], change["data"])
        return to_json(page)


def _serialisable(entity: str, entity_id: str, data: dict[str, Any]) -> dict[str, Any]:
    try:
        to_json(data)
        return data
    except PydanticSerializationError:
        pass
    repaired = dict(data)
    for name, value in data.items():
        try:
            to_json(value)
        except PydanticSerializationError as error:
            found = re.search(r"JSON: (\w+)", str(error))
            reason = found.group(1) if found else "unknown"  # the error's kind, never the value
            log.warning("pull: %s %s field %r cannot be serialised (%s); sent empty", entity, entity_id, name, reason)
            repaired[name] = {} if isinstance(value, dict) else [] if isinstance(value, list) else None
    return repaired


# Roles that never verify a customer see ID numbers, phones and a person's name masked, as the desk shows them
# (domain.masking): the full value never reaches their desk.
_MASKED: dict[str, tuple[tuple[str, Callable[[object], str]], ...]] = {
    "customer": (("id_number", mask_resident_id), ("phone", mask_phone)),
    "interaction": (("caller_number", mask_phone),),
}


def sees_full_identity(who: Principal) -> bool:
    return who.role in VERIFIER_ROLES


_FIELD_MASKS: dict[str, Callable[[object], str]] = {"id_number": mask_resident_id, "phone": mask_phone}


@functools.cache
def _masked_form_fields(type_code: str) -> dict[str, Callable[[object], str]]:
    """A ticket type's form fields holding an ID number or a phone (by the catalogue's field type), with their mask."""
    from backend.rules import ticket_type

    try:
        fields = ticket_type(type_code).fields
    except InvalidInput:  # a type no longer in the catalogue: mask by the names the catalogue uses for them
        return {"id_number": mask_resident_id, "new_id_number": mask_resident_id, "contact_phone": mask_phone}
    return {field.name: _FIELD_MASKS[field.type] for field in fields if field.type in _FIELD_MASKS}


def _mask_form(data: dict[str, Any]) -> None:
    """The applicant's ID number and phones typed into a ticket's form, masked as the customer's are."""
    form = data.get("fields")
    if isinstance(form, dict) and form:
        masks = _masked_form_fields(str(data.get("type_code") or ""))
        data["fields"] = {name: masks[name](value) if name in masks and value else value
                          for name, value in form.items()}


def mask_page(page: dict[str, Any]) -> dict[str, Any]:
    """The page with personal identifiers masked (in place); a person's name to the surname, while an
    organisation's name (unified social credit code) is not personal data and stays whole. A ticket's form
    keeps its values except ID numbers and phones. A masked form sent back in a ticket update never lands: its base
    differs from the whole form, so the server's values win (domain.merge: `fields` is server_wins)."""
    for change in page["changes"]:
        if change["entity"] == "ticket" and change["data"] is not None:
            _mask_form(change["data"])
            continue
        masked, data = _MASKED.get(change["entity"]), change["data"]
        if masked and data is not None:
            if change["entity"] == "customer" and data.get("name"):
                data["name"] = mask_customer_name(data["name"], data.get("id_type"))
            for name, mask in masked:
                if data.get(name):
                    data[name] = mask(data[name])
    return page


def mask_results(results: list[MutationResult]) -> list[MutationResult]:
    """Push answers for a role that never verifies: each result's record, and the values of its conflicts,
    masked as a pull would send them (a department desk applies a merged record to its store)."""
    masked: list[MutationResult] = []
    for result in results:
        if result.record is None and not result.conflicts:
            masked.append(result)
            continue
        record = mask_page({"changes": [{"entity": result.entity, "data": dict(result.record)}]})["changes"][0][
            "data"] if result.record is not None else None
        conflicts = []
        for conflict in result.conflicts:
            values = {}
            for side in ("base", "mine", "theirs"):
                row = {**(result.record or {}), conflict.field: getattr(conflict, side)}
                values[side] = mask_page({"changes": [{"entity": result.entity, "data": row}]})["changes"][0][
                    "data"][conflict.field]
            conflicts.append(conflict.model_copy(update=values))
        masked.append(result.model_copy(update={"record": record, "conflicts": conflicts}))
    return masked


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
    found: dict[str, dict[str, Any]] = {}
    window = {"scope": scope, "after": after, "upto": upto}
    for kind in kinds:
        names, converted = _NAMES[kind], _CONVERTED[kind]
        by_id: dict[str, Any] = {}
        for record in session.execute(_DATA[kind], window).all():
            if converted:
                values = list(record)
                for at, convert in converted:
                    if values[at] is not None:
                        values[at] = convert(values[at])
                by_id[values[0]] = dict(zip(names, values, strict=True))
            else:
                by_id[record[0]] = dict(zip(names, record, strict=True))
        found[kind] = by_id
    if len({row[1] for row in rows}) > 1:
        # Within one transaction (one seq), parents before children; the log is already in seq order.
        rows = sorted(rows, key=lambda r: (r[0], _KIND_ORDER.get(r[1], 99)))
    changes: list[dict[str, Any]] = []
    append = changes.append
    for seq, entity, entity_id, kind, version in rows:
        if kind == "upsert":
            data = found[entity].get(entity_id)
            if data is None:
                continue
            append({"seq": seq, "entity": entity, "id": entity_id, "kind": "upsert",
                    "version": data["version"], "data": data})
        else:
            append({"seq": seq, "entity": entity, "id": entity_id, "kind": kind, "version": version, "data": None})
    return changes


def checksum(database: Database, scope: str) -> ScopeChecksum:
    with database.read() as session:
        last_seq, total, count, _ = _state(session, scope)
        return ScopeChecksum(scope=scope, cursor=last_seq, checksum=total, count=count)
