"""The scope checksum kept as a running total in each sync_scope row, and the full scan that verifies it.

Every write that changes a row's (scope, server version) adds or removes that row's `row_hash`, so asking
for the checksum costs one read. NULL totals mean "unknown" (a new or migrated store, a bulk load): the
next `scope_checksum` scans once and stores the result.
"""

from __future__ import annotations

from collections.abc import Iterable
from hashlib import sha256
from typing import Any

from domain.sync import CALENDAR_SCOPE, combine, format_checksum
from local_store.schema import ENTITY_TABLES

Db = Any  # a sqlcipher3 DB-API connection

_READ = "SELECT local_checksum, local_count FROM sync_scope WHERE scope = ?"
_WRITE = "UPDATE sync_scope SET local_checksum = ?, local_count = ? WHERE scope = ?"
_CREATE = "INSERT INTO sync_scope (scope, cursor, local_checksum, local_count) VALUES (?, 0, ?, ?)"
_OFFICE_ENTITIES = [entity for entity in ENTITY_TABLES if entity != "calendar_day"]


def scope_of(entity: str, office_id: str) -> str:
    """The sync scope a row belongs to: calendar days to "calendar", everything else to its office."""
    return CALENDAR_SCOPE if entity == "calendar_day" else f"office:{office_id}"


def scope_queries(scope: str) -> list[tuple[str, str, tuple[Any, ...]]]:
    """(entity, SELECT id, server_version ..., parameters) for each table a scope covers."""
    if scope == CALENDAR_SCOPE:
        return [("calendar_day", "SELECT id, server_version FROM calendar_day WHERE server_version IS NOT NULL", ())]
    if not scope.startswith("office:"):
        raise ValueError(f"unknown sync scope {scope!r}")
    office_id = scope.removeprefix("office:")
    return [
        (entity, f'SELECT id, server_version FROM "{entity}" WHERE office_id = ? AND server_version IS NOT NULL',
         (office_id,))
        for entity in _OFFICE_ENTITIES
    ]


def hash_sum(entity: str, rows: Iterable[tuple[str, int]]) -> tuple[int, int]:
    """(sum of `domain.sync.row_hash`, count) over (id, version) pairs: the same digest, without a call per row."""
    total = 0
    count = 0
    for entity_id, version in rows:
        total += int.from_bytes(sha256(f"{entity}|{entity_id}|{version}".encode()).digest()[:8], "big")
        count += 1
    return total, count


def scan(db: Db, scope: str) -> tuple[int, int]:
    """(total, count) over the scope's rows the server knows, read from the tables themselves."""
    total = 0
    count = 0
    for entity, sql, parameters in scope_queries(scope):
        part, rows = hash_sum(entity, db.execute(sql, parameters))
        total = combine(total, part)
        count += rows
    return total, count


def stored(db: Db, scope: str) -> tuple[int, int] | None:
    """The running (total, count) of a scope, None when unknown."""
    row = db.execute(_READ, (scope,)).fetchone()
    if row is None or row[0] is None or row[1] is None:
        return None
    return int(row[0], 16), int(row[1])


def store(db: Db, scope: str, total: int, count: int) -> None:
    if db.execute(_WRITE, (format_checksum(total), count, scope)).rowcount == 0:
        db.execute(_CREATE, (scope, format_checksum(total), count))


def ensure_known(db: Db, scope: str) -> None:
    """Scan once when the scope's running total is unknown (cheap while the scope is still empty)."""
    if stored(db, scope) is None:
        store(db, scope, *scan(db, scope))


def forget_all(db: Db) -> None:
    """After a write that bypasses the tally (a raw bulk load): every total is unknown until rescanned."""
    db.execute("UPDATE sync_scope SET local_checksum = NULL, local_count = NULL")


class ScopeTally:
    """Checksum changes collected during one transaction, written to the sync_scope rows by `flush`."""

    def __init__(self) -> None:
        self.changes: dict[str, list[int]] = {}

    def add(self, scope: str, entity: str, entity_id: str, version: int) -> None:
        self.add_many(scope, entity, [(entity_id, version)])

    def remove(self, scope: str, entity: str, entity_id: str, version: int) -> None:
        self.remove_many(scope, entity, [(entity_id, version)])

    def add_many(self, scope: str, entity: str, rows: Iterable[tuple[str, int]]) -> None:
        """Rows (id, server version) entering `scope`."""
        total, count = hash_sum(entity, rows)
        change = self.changes.setdefault(scope, [0, 0])
        change[0] += total
        change[1] += count

    def remove_many(self, scope: str, entity: str, rows: Iterable[tuple[str, int]]) -> None:
        """Rows (id, server version) leaving `scope`."""
        total, count = hash_sum(entity, rows)
        change = self.changes.setdefault(scope, [0, 0])
        change[0] -= total
        change[1] -= count

    def flush(self, db: Db) -> None:
        """Apply the changes to known totals; an unknown total stays unknown (it will be scanned)."""
        for scope, (delta, count) in self.changes.items():
            if delta == 0 and count == 0:
                continue
            current = stored(db, scope)
            if current is not None:
                store(db, scope, combine(current[0], delta), current[1] + count)
        self.changes.clear()
