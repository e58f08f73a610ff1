"""Reading and writing synced rows: every write bumps the version and lands in the change log."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.db.base import table_of
from backend.db.records import ROW_TYPES
from backend.sync.changes import ChangeRecorder, scope_of
from domain.records import RECORD_TYPES, Record

_FIELDS: dict[str, tuple[str, ...]] = {kind: tuple(model.model_fields) for kind, model in RECORD_TYPES.items()}


def wire_value(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is UTC:
            return value.isoformat()
        return value.astimezone(UTC).isoformat()  # the canonical form, whatever zone came in
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def row_to_wire(kind: str, row: Any) -> dict[str, Any]:
    """The JSON-ready wire dict of a stored row (no validation: rows were validated on the way in)."""
    return {name: wire_value(getattr(row, name)) for name in _FIELDS[kind]}


def row_to_record(kind: str, row: Any) -> Record:
    return RECORD_TYPES[kind].model_validate({name: getattr(row, name) for name in _FIELDS[kind]})


class InsertedRow:
    """A row this transaction inserted: its stored values as attributes (no ORM identity)."""

    id: str
    office_id: str
    version: int

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


# session.info keys: ids known not to exist in this transaction, per kind; the prefetched rows (kept
# referenced, since the identity map holds its objects weakly).
_ABSENT = "onewindow.absent"
_HELD = "onewindow.held"


def prefetch(session: Session, wanted: dict[str, list[str]]) -> None:
    """Load the rows a batch will touch, one query per kind, and remember which ids do not exist.

    `Writer.get` then answers from the session's identity map (or "absent") instead of one
    SELECT per mutation. Only meant for SQLite's single writer or unlocked reads: a locked read
    always goes to the database.
    """
    absent: dict[str, set[str]] = session.info.setdefault(_ABSENT, {})
    held: list[Any] = session.info.setdefault(_HELD, [])
    for kind, ids in wanted.items():
        model = ROW_TYPES[kind]
        missing = absent.setdefault(kind, set())
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = session.execute(select(model).where(model.id.in_(chunk))).scalars().all()
            held.extend(rows)
            missing.update(set(chunk).difference(row.id for row in rows))


class Writer:
    """All writes of one transaction; `finish()` records them in the change log."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session = session
        self.now = now
        self.changes = ChangeRecorder()
        # SQLite has one writer at a time (BEGIN IMMEDIATE): what this transaction loaded is current.
        self._sole_writer = session.get_bind().dialect.name == "sqlite"

    def get(self, kind: str, entity_id: str, *, lock: bool = False) -> Any | None:
        """The stored row (an ORM object) or None; `lock` holds it until commit where rows can be locked."""
        model = ROW_TYPES[kind]
        if lock and not self._sole_writer:
            statement = select(model).where(model.id == entity_id).with_for_update()
            return self.session.execute(statement.execution_options(populate_existing=True)).scalar_one_or_none()
        if entity_id in self.session.info.get(_ABSENT, {}).get(kind, ()):
            return None
        return self.session.get(model, entity_id)

    def insert(self, record: Record) -> Any:
        """Store a new row at version 1; `record` has been validated by its pydantic model."""
        # A core INSERT: the ORM unit of work cost more than the rest of a mutation.
        return self.insert_many([record])[0]

    def insert_many(self, records: list[Record]) -> list[InsertedRow]:
        """`insert` for several new rows: one executemany per kind, rows returned in the given order."""
        by_kind: dict[str, list[dict[str, Any]]] = {}
        rows: list[InsertedRow] = []
        absent = self.session.info.get(_ABSENT, {})
        for record in records:
            values = record.model_dump()
            values["version"] = 1
            values["updated_at"] = self.now
            by_kind.setdefault(record.kind, []).append(values)
            self.changes.wrote(record.kind, values["id"], None, (scope_of(record.kind, values["office_id"]), 1))
            absent.get(record.kind, set()).discard(values["id"])
            rows.append(InsertedRow(values))
        for kind, values_list in by_kind.items():
            self.session.connection().execute(table_of(ROW_TYPES[kind]).insert(), values_list)
        return rows

    def update(self, kind: str, row: Any, changes: dict[str, Any]) -> Any:
        """Apply `changes` (already validated) to `row`, bump its version."""
        before = (scope_of(kind, row.office_id), row.version)
        if isinstance(row, InsertedRow):
            values = {**changes, "version": row.version + 1, "updated_at": self.now}
            table = table_of(ROW_TYPES[kind])
            self.session.connection().execute(table.update().where(table.c.id == row.id).values(**values))
            row.__dict__.update(values)
        else:
            for name, value in changes.items():
                setattr(row, name, value)
            row.version = row.version + 1
            row.updated_at = self.now
            self.session.flush()
        self.changes.wrote(kind, row.id, before, (scope_of(kind, row.office_id), row.version))
        return row

    def delete(self, kind: str, row: Any) -> None:
        self.changes.deleted(kind, row.id, (scope_of(kind, row.office_id), row.version))
        if isinstance(row, InsertedRow):
            table = table_of(ROW_TYPES[kind])
            self.session.connection().execute(table.delete().where(table.c.id == row.id))
            return
        self.session.delete(row)
        self.session.flush()

    def finish(self) -> dict[str, int]:
        return self.changes.flush(self.session)


def validated_changes(kind: str, row: Any, changes: dict[str, Any]) -> dict[str, Any]:
    """Check `changes` against the record model; returns them as typed python values."""
    current = {name: getattr(row, name) for name in _FIELDS[kind]}
    current.update(changes)
    record = RECORD_TYPES[kind].model_validate(current)
    return {name: getattr(record, name) for name in changes}
