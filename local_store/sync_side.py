"""The half of the store the sync engine calls: outbox out, push results and pull pages in, scope bookkeeping."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Table, delete, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from domain.sync import (
    CALENDAR_SCOPE,
    Change,
    Mutation,
    MutationResult,
    PullPage,
    ScopeChecksum,
    format_checksum,
)
from local_store import checksums, search_stats
from local_store.base import StoreBase
from local_store.replay import (
    FTS_INSERT_ABOVE,
    SQL,
    TOP_CUSTOMER_ROWID,
    Db,
    bump_attempts,
    driver,
    ensure_shadow,
    insert_values,
    read_shadow,
    read_visible,
    rebase,
    replay,
    update_values,
    write_shadow,
)
from local_store.rows import iso_utc, to_row
from local_store.schema import ENTITY_TABLES, outbox, server_shadow, sync_scope

T = TypeVar("T")
_CHUNK = 500  # stay well under SQLite's bound-parameter limit


def _chunks(items: list[T], size: int = _CHUNK) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def scope_tables(scope: str) -> list[tuple[str, Table, Any]]:
    """(entity, table, row filter) for each table a scope covers."""
    if scope == CALENDAR_SCOPE:
        table = ENTITY_TABLES["calendar_day"]
        return [("calendar_day", table, True)]
    if not scope.startswith("office:"):
        raise ValueError(f"unknown sync scope {scope!r}")
    office_id = scope.removeprefix("office:")
    return [
        (entity, table, table.c.office_id == office_id)
        for entity, table in ENTITY_TABLES.items()
        if entity != "calendar_day"
    ]


def _shadowed(db: Db, entity: str, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(ids):
        found.update(
            entity_id
            for (entity_id,) in db.execute(
                f"SELECT entity_id FROM server_shadow WHERE entity = ? AND entity_id IN ({', '.join('?' * len(chunk))})",
                (entity, *chunk),
            )
        )
    return found


def _existing(db: Db, entity: str, ids: list[str]) -> dict[str, tuple[str, int | None]]:
    """id -> (office_id, server_version) of the rows already stored."""
    found: dict[str, tuple[str, int | None]] = {}
    for chunk in _chunks(ids):
        rows = db.execute(
            f'SELECT id, office_id, server_version FROM "{entity}" WHERE id IN ({", ".join("?" * len(chunk))})',
            chunk,
        )
        found.update((entity_id, (office_id, version)) for entity_id, office_id, version in rows)
    return found


class SyncSide(StoreBase):
    def pending_mutations(self, limit: int = 200) -> list[Mutation]:
        with self._read() as connection:
            rows = connection.execute(select(outbox.c.mutation).order_by(outbox.c.seq).limit(limit)).scalars()
            return [Mutation.model_validate_json(text) for text in rows]

    def outbox_size(self) -> int:
        with self._read() as connection:
            return int(connection.execute(select(func.count()).select_from(outbox)).scalar_one())

    def record_push_failure(self, mutation_ids: list[str], error: str) -> None:
        """Count a failed attempt (network, 5xx) on mutations that stay queued; shown in diagnostics."""
        with self._write() as connection:
            bump_attempts(connection, mutation_ids, error)

    # ---- push results -------------------------------------------------------------------------

    def apply_push_results(self, results: list[MutationResult]) -> None:
        with self._write() as connection:
            db = driver(connection)
            for result in results:
                self._apply_result(db, result)

    def _apply_result(self, db: Db, result: MutationResult) -> None:
        found = db.execute("SELECT mutation FROM outbox WHERE mutation_id = ?", (result.mutation_id,)).fetchone()
        if found is None:
            return  # already settled: a replayed response changes nothing
        text = found[0]
        mutation = Mutation.model_validate_json(text)
        db.execute("DELETE FROM outbox WHERE mutation_id = ?", (result.mutation_id,))
        entity, entity_id = mutation.entity, mutation.entity_id
        if entity not in ENTITY_TABLES:
            return  # audit entries and other fire-and-forget mutations keep no row state
        ensure_shadow(db, entity, entity_id)
        _, shadow_version, shadow_data = read_shadow(db, entity, entity_id)
        if result.status == "rejected":
            mine = read_visible(db, entity, entity_id)
            db.execute(
                "INSERT INTO conflict (mutation_id, entity, entity_id, mutation, code, reason, mine, server,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    mutation.mutation_id, entity, entity_id, text, result.code, result.reason,
                    json.dumps(mine, ensure_ascii=False, default=str) if mine is not None else None,
                    json.dumps(result.record, ensure_ascii=False, default=str) if result.record is not None else None,
                    iso_utc(self._clock()),
                ),
            )
            server_data = result.record
        elif result.record is not None:
            server_data = dict(result.record)
        else:
            server_data = replay(shadow_data, [mutation])  # applied without a record: our change stands
        if server_data is not None:
            server_data = dict(server_data)
            if entity == "ticket":
                if result.ticket_number:
                    server_data["number"] = result.ticket_number
                if not server_data.get("provisional_number"):
                    # The provisional number stays searchable after the final one arrives.
                    server_data["provisional_number"] = mutation.fields.get("provisional_number") or (
                        shadow_data or {}
                    ).get("provisional_number")
            version = result.version if result.version is not None else server_data.get("version")
            if shadow_version is None or (version is not None and version >= shadow_version):
                server_data["version"] = version
                write_shadow(db, entity, entity_id, version, server_data)
        rebase(db, entity, entity_id)

    # ---- pull ---------------------------------------------------------------------------------

    def cursor(self, scope: str) -> int:
        with self._read() as connection:
            value = connection.execute(select(sync_scope.c.cursor).where(sync_scope.c.scope == scope)).scalar()
            return int(value) if value is not None else 0

    def apply_pull_page(self, page: PullPage) -> None:
        """Apply one page and move the cursor in one transaction; an older page than the cursor is ignored."""
        with self._write() as connection:
            db = driver(connection)
            current = db.execute("SELECT cursor FROM sync_scope WHERE scope = ?", (page.scope,)).fetchone()
            if page.must_resync or (current is not None and page.cursor < current[0]):
                return
            checksums.ensure_known(db, page.scope)
            latest: dict[tuple[str, str], Change] = {}
            for change in sorted(page.changes, key=lambda c: c.seq):
                if change.entity in ENTITY_TABLES:
                    latest[(change.entity, change.id)] = change
            by_entity: dict[str, list[Change]] = {}
            for change in latest.values():
                by_entity.setdefault(change.entity, []).append(change)
            tally = checksums.ScopeTally()
            for entity, changes in by_entity.items():
                self._apply_changes(db, entity, changes, tally)
            tally.flush(db)
            if page.checksum is None:
                db.execute("UPDATE sync_scope SET cursor = ? WHERE scope = ?", (page.cursor, page.scope))
            else:
                db.execute(
                    "UPDATE sync_scope SET cursor = ?, checksum = ?, count = ? WHERE scope = ?",
                    (page.cursor, page.checksum, page.count, page.scope),
                )
            if "customer" in by_entity and not page.has_more:
                search_stats.refresh_if_grown(db)

    def _apply_changes(self, db: Db, entity: str, changes: list[Change], tally: checksums.ScopeTally) -> None:
        statements = SQL[entity]
        shadowed = _shadowed(db, entity, [change.id for change in changes])
        existing = _existing(db, entity, [change.id for change in changes])
        inserts: list[tuple[Any, ...]] = []
        updates: list[tuple[Any, ...]] = []
        gone: list[tuple[str]] = []
        for change in changes:
            if change.id in shadowed:
                self._apply_to_pending_row(db, entity, change)
                continue
            before = existing.get(change.id)
            upsert = change.kind == "upsert" and change.data is not None
            if upsert and before is not None and before[1] is not None and change.version < before[1]:
                continue  # row versions never go backwards
            if before is not None and before[1] is not None:
                tally.remove(checksums.scope_of(entity, before[0]), entity, change.id, before[1])
            if upsert:
                assert change.data is not None
                row = to_row(entity, change.data)
                row["id"] = change.id  # text and int columns are stored as they come: no conversion needed
                row["version"] = row["server_version"] = change.version
                if before is None:
                    inserts.append(insert_values(entity, row))
                else:
                    updates.append(update_values(entity, row))
                tally.add(checksums.scope_of(entity, row["office_id"]), entity, change.id, change.version)
            elif before is not None:
                gone.append((change.id,))
        if inserts:
            top = db.execute(TOP_CUSTOMER_ROWID).fetchone()[0] if entity == "customer" else 0
            db.executemany(statements["insert"], inserts)
            if entity == "customer":
                db.execute(FTS_INSERT_ABOVE, (top,))  # one batch, not one trigger per row
        if updates:
            db.executemany(statements["update"], updates)
        if gone:
            db.executemany(statements["delete"], gone)

    def _apply_to_pending_row(self, db: Db, entity: str, change: Change) -> None:
        _, version, data = read_shadow(db, entity, change.id)
        if version is not None and change.version < version:
            return
        if change.kind == "upsert" and change.data is not None:
            write_shadow(db, entity, change.id, change.version, {**change.data, "version": change.version})
        elif change.kind == "remove":
            write_shadow(db, entity, change.id, None, data)  # out of scope, our pending edits stay visible
        else:
            write_shadow(db, entity, change.id, None, None)
        rebase(db, entity, change.id)

    def reset_scope(self, scope: str) -> None:
        """Forget the scope's synced rows and cursor; keep the outbox and every row with pending mutations."""
        with self._write() as connection:
            db = driver(connection)
            for entity, table, where in scope_tables(scope):
                pending = select(server_shadow.c.entity_id).where(server_shadow.c.entity == entity)
                connection.execute(delete(table).where(where, table.c.id.not_in(pending)))
            db.execute("DELETE FROM sync_scope WHERE scope = ?", (scope,))
            checksums.store(db, scope, *checksums.scan(db, scope))  # only the kept rows remain: a short scan

    def scope_checksum(self, scope: str) -> ScopeChecksum:
        """Sum of row_hash(entity, id, server version) over the scope's rows the server knows (a running total)."""
        checksums.scope_queries(scope)  # an unknown scope raises ValueError before anything is written
        with self._raw() as db:
            row = db.execute("SELECT cursor FROM sync_scope WHERE scope = ?", (scope,)).fetchone()
            known = checksums.stored(db, scope)
        if known is None:
            with self._write() as connection:
                db = driver(connection)
                checksums.ensure_known(db, scope)
                known = checksums.stored(db, scope)
                row = db.execute("SELECT cursor FROM sync_scope WHERE scope = ?", (scope,)).fetchone()
            assert known is not None
        cursor = int(row[0]) if row is not None else 0
        return ScopeChecksum(scope=scope, cursor=cursor, checksum=format_checksum(known[0]), count=known[1])

    def verify_scope_checksum(self, scope: str) -> ScopeChecksum:
        """The same checksum computed by scanning the scope's tables (1-2 s per million rows): drift diagnosis."""
        with self._read() as connection:
            db = driver(connection)
            row = db.execute("SELECT cursor FROM sync_scope WHERE scope = ?", (scope,)).fetchone()
            total, count = checksums.scan(db, scope)
        cursor = int(row[0]) if row is not None else 0
        return ScopeChecksum(scope=scope, cursor=cursor, checksum=format_checksum(total), count=count)

    def server_checksum(self, scope: str) -> tuple[str | None, int | None]:
        """The checksum and row count the server sent with the last page of `scope`."""
        with self._read() as connection:
            row = connection.execute(
                select(sync_scope.c.checksum, sync_scope.c.count).where(sync_scope.c.scope == scope)
            ).first()
            return (row[0], row[1]) if row is not None else (None, None)

    def mark_synced(self, scope: str, at: datetime) -> None:
        with self._write() as connection:
            statement = sqlite_insert(sync_scope).values(scope=scope, cursor=0, last_synced=iso_utc(at))
            connection.execute(
                statement.on_conflict_do_update(index_elements=["scope"], set_={"last_synced": iso_utc(at)})
            )

    def last_synced(self, scope: str) -> datetime | None:
        with self._read() as connection:
            value = connection.execute(
                select(sync_scope.c.last_synced).where(sync_scope.c.scope == scope)
            ).scalar()
            return datetime.fromisoformat(value) if value else None
