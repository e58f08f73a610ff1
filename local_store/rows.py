"""Between wire records (domain.records / JSON dicts) and table rows: JSON text, UTC ISO datetimes, 0/1 booleans."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from operator import itemgetter
from typing import Any

from pydantic_core import PydanticUndefined
from sqlalchemy import RowMapping

from domain.records import RECORD_TYPES, STORED, Record
from local_store.schema import ColumnKind, column_kinds

KINDS: dict[str, dict[str, ColumnKind]] = {kind: column_kinds(model) for kind, model in RECORD_TYPES.items()}
_DEFAULTS: dict[str, dict[str, Any]] = {
    kind: {
        name: (info.get_default(call_default_factory=True) if info.default is not PydanticUndefined
               or info.default_factory is not None else None)
        for name, info in model.model_fields.items()
    }
    for kind, model in RECORD_TYPES.items()
}


def iso_utc(value: datetime | str | None) -> str | None:
    """Fixed-width UTC ISO-8601 text, so stored datetimes sort as text; naive values are taken as UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        canonical = _canonical_utc_text(value)
        if canonical is not None:
            return canonical
        moment = datetime.fromisoformat(value)
    else:
        moment = value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    elif moment.utcoffset():
        moment = moment.astimezone(UTC)
    # isoformat is C code and several times faster than strftime on the initial-sync path.
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _canonical_utc_text(text: str) -> str | None:
    """The stored form of the wire's own UTC text ("...T12:00:00.123456+00:00" or "...Z") by slicing.

    The pull path converts two datetimes per row: building a datetime only to format it again cost more
    than the row's insert. Any other shape (another zone, no microseconds, a space) returns None.
    """
    size = len(text)
    if not (
        (size == 32 and text.endswith("+00:00")) or (size == 27 and text[26] == "Z")
    ) or text[10] != "T" or text[19] != "." or text[4] != "-" or text[7] != "-" or not text[20:26].isdigit():
        return None
    datetime.fromisoformat(text[:26])  # validates (ValueError on a bad date), as the slow path would
    return text[:26] + "Z"


def _to_column(kind: ColumnKind, value: Any) -> Any:
    if value is None:
        return None
    if kind == "json":
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if kind == "datetime":
        return iso_utc(value)
    if kind == "date":
        return value.isoformat() if isinstance(value, date) else str(value)
    if kind == "time":
        return value.isoformat() if isinstance(value, time) else str(value)
    if kind == "bool":
        return 1 if value else 0
    return value


def _converter(kind: ColumnKind) -> Callable[[Any], Any] | None:
    """The conversion of a non-None wire value to its stored value; None when it is stored as it comes."""
    if kind in ("text", "int", "float"):
        return None
    if kind == "datetime":
        return iso_utc
    if kind == "bool":
        return _bool
    return lambda value: _to_column(kind, value)


def _bool(value: Any) -> int:
    return 1 if value else 0


# (name, conversion or None, default) per column, in table column order: `row_values` runs this plan.
_PLANS: dict[str, tuple[tuple[str, Callable[[Any], Any] | None, Any], ...]] = {
    entity: tuple((name, _converter(kind), _DEFAULTS[entity][name]) for name, kind in kinds.items())
    for entity, kinds in KINDS.items()
}


# The same plan split for a wire dict that has every field (a server's page always does): all values picked
# by one C call, then only the columns that convert are touched. The initial sync runs this once per row.
_PICK: dict[str, Callable[[dict[str, Any]], tuple[Any, ...]]] = {
    entity: itemgetter(*(name for name, _, _ in plan)) for entity, plan in _PLANS.items()
}
_CONVERTED: dict[str, tuple[tuple[int, Callable[[Any], Any]], ...]] = {
    entity: tuple((at, convert) for at, (_, convert, _) in enumerate(plan) if convert is not None)
    for entity, plan in _PLANS.items()
}


def row_values(entity: str, data: dict[str, Any]) -> list[Any]:
    """The stored values of a wire dict in column order (`KINDS[entity]`); missing fields take their default."""
    try:
        values = list(_PICK[entity](data))
    except KeyError:  # some field missing: the plan's defaults fill in
        return _row_values_with_defaults(entity, data)
    for at, convert in _CONVERTED[entity]:
        value = values[at]
        if value is not None:
            values[at] = convert(value)
    return values


def _row_values_with_defaults(entity: str, data: dict[str, Any]) -> list[Any]:
    values: list[Any] = []
    append = values.append
    get = data.get
    for name, convert, default in _PLANS[entity]:
        value = get(name, default)
        if convert is not None and value is not None:
            value = convert(value)
        append(value)
    return values


def to_row(entity: str, data: dict[str, Any]) -> dict[str, Any]:
    """A table row (column -> stored value) from a wire dict; missing fields take the record's default."""
    return dict(zip(KINDS[entity], row_values(entity, data), strict=True))


def _from_column(kind: ColumnKind, value: Any) -> Any:
    if value is None:
        return None
    if kind == "json":
        return json.loads(value)
    if kind == "bool":
        return bool(value)
    return value


def row_to_wire(entity: str, row: RowMapping | dict[str, Any]) -> dict[str, Any]:
    """The wire dict (JSON-ready) of a stored row."""
    return {name: _from_column(kind, row[name]) for name, kind in KINDS[entity].items()}


def row_to_record(entity: str, row: RowMapping | dict[str, Any]) -> Record:
    return RECORD_TYPES[entity].model_validate(row_to_wire(entity, row), context=STORED)  # as stored: no input bounds


def record_to_wire(record: Record) -> dict[str, Any]:
    return record.model_dump(mode="json")
