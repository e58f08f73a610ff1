"""Bulk loading of records (demo data, imports): executemany inserts plus one change-log seq per chunk of a scope."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from backend.db.records import ROW_TYPES
from backend.db.sync_tables import ChangeLog, ScopeState
from backend.sync.changes import dialect_insert, scope_of
from domain.records import Record
from domain.sync import combine, format_checksum, row_hash

_KIND_ORDER = {kind: rank for rank, kind in enumerate(ROW_TYPES)}


def bulk_insert(session: Session, records: Iterable[Record], now: datetime, batch: int = 5000) -> int:
    """Insert new records at version 1 in the caller's transaction; returns how many."""
    by_kind: dict[str, list[dict[str, object]]] = {}
    changes: dict[str, list[tuple[str, str]]] = {}
    for record in records:
        values = record.model_dump()
        values["version"], values["updated_at"] = 1, now
        by_kind.setdefault(record.kind, []).append(values)
        changes.setdefault(scope_of(record.kind, record.office_id), []).append((record.kind, record.id))
    total = 0
    for kind in ROW_TYPES:  # parents first
        rows = by_kind.get(kind, [])
        for start in range(0, len(rows), batch):
            session.execute(insert(ROW_TYPES[kind]), rows[start : start + batch])
        total += len(rows)
    for scope in sorted(changes):
        session.execute(dialect_insert(session)(ScopeState).values(scope=scope).on_conflict_do_nothing())
        state = session.execute(select(ScopeState).where(ScopeState.scope == scope).with_for_update()).scalar_one()
        checksum = int(state.checksum, 16)
        entries = sorted(changes[scope], key=lambda entry: _KIND_ORDER[entry[0]])  # parents first, stable
        for kind, entity_id in entries:
            checksum = combine(checksum, add=row_hash(kind, entity_id, 1))
        # One seq per chunk keeps pull pages bounded. Still one commit with the counter locked, so seq
        # order is commit order; the rows are all new, so every prefix of the chunks (parents first)
        # is a state a desk may hold.
        seq = state.last_seq
        for start in range(0, len(entries), batch):
            seq += 1
            log_rows = [
                {"scope": scope, "entity": kind, "entity_id": entity_id, "seq": seq, "kind": "upsert", "version": 1}
                for kind, entity_id in entries[start : start + batch]
            ]
            session.execute(insert(ChangeLog), log_rows)
        session.execute(
            update(ScopeState)
            .where(ScopeState.scope == scope)
            .values(last_seq=seq, checksum=format_checksum(checksum), count=state.count + len(entries))
        )
    return total
