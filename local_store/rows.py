"""Between wire records (domain.records / JSON dicts) and table rows: JSON text, UTC ISO datetimes, 0/1 booleans."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from typing import Any

from pydantic_core import PydanticUndefined
from sqlalchemy import RowMapping

from domain.records import RECORD_TYPES, Record
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
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    elif moment.utcoffset():
        moment = moment.astimezone(UTC)
    # isoformat is C code and several times faster than strftime on the initial-sync path.
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


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


def to_row(entity: str, data: dict[str, Any]) -> dict[str, Any]:
    """A table row (column -> stored value) from a wire dict; missing fields take the record's default."""
    defaults = _DEFAULTS[entity]
    return {
        name: _to_column(kind, data[name] if name in data else defaults[name])
        for name, kind in KINDS[entity].items()
    }


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
    return RECORD_TYPES[entity].model_validate(row_to_wire(entity, row))


def record_to_wire(record: Record) -> dict[str, Any]:
    return record.model_dump(mode="json")
