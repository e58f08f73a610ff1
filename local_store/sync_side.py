"""The half of the store the sync engine calls: outbox out, push results and pull pages in, scope bookkeeping."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Table, delete, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from domain.sync import (
    CALENDAR_SCOPE,
    Change,
    Mutation,
    MutationResult,
    PullPage,
    ScopeChecksum,
    combine,
    format_checksum,
    row_hash,
)
from local_store.base import StoreBase
from local_store.replay import (
    bump_attempts,
    ensure_shadow,
    read_shadow,
    read_visible,
    rebase,
    replay,
    upsert_statement,
    write_shadow,
)
from local_store.rows import iso_utc, to_row
from local_store.schema import ENTITY_TABLES, conflict, outbox, server_shadow, sync_scope

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


def _shadowed(connection: Connection, entity: str, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(ids):
        found.update(
            connection.execute(
                select(server_shadow.c.entity_id).where(
                    server_shadow.c.entity == entity, server_shadow.c.entity_id.in_(chunk)
                )
            ).scalars()
        )
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
            for result in results:
                self._apply_result(connection, result)

    def _apply_result(self, connection: Connection, result: MutationResult) -> None:
        text = connection.execute(
            select(outbox.c.mutation).where(outbox.c.mutation_id == result.mutation_id)
        ).scalar()
        if text is None:
            return  # already settled: a replayed response changes nothing
        mutation = Mutation.model_validate_json(text)
        connection.execute(delete(outbox).where(outbox.c.mutation_id == result.mutation_id))
        entity, entity_id = mutation.entity, mutation.entity_id
        if entity not in ENTITY_TABLES:
            return  # audit entries and other fire-and-forget mutations keep no row state
        ensure_shadow(connection, entity, entity_id)
        _, shadow_version, shadow_data = read_shadow(connection, entity, entity_id)
        if result.status == "rejected":
            mine = read_visible(connection, entity, entity_id)
            connection.execute(
                conflict.insert().values(
                    mutation_id=mutation.mutation_id,
                    entity=entity,
                    entity_id=entity_id,
                    mutation=text,
                    code=result.code,
                    reason=result.reason,
                    mine=json.dumps(mine, ensure_ascii=False, default=str) if mine is not None else None,
                    server=json.dumps(result.record, ensure_ascii=False, default=str)
                    if result.record is not None
                    else None,
                    created_at=iso_utc(self._clock()),
                )
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
                write_shadow(connection, entity, entity_id, version, server_data)
        rebase(connection, entity, entity_id)

    # ---- pull ---------------------------------------------------------------------------------

    def cursor(self, scope: str) -> int:
        with self._read() as connection:
            value = connection.execute(select(sync_scope.c.cursor).where(sync_scope.c.scope == scope)).scalar()
            return int(value) if value is not None else 0

    def apply_pull_page(self, page: PullPage) -> None:
        """Apply one page and move the cursor in one transaction; an older page than the cursor is ignored."""
        with self._write() as connection:
            current = connection.execute(
                select(sync_scope.c.cursor).where(sync_scope.c.scope == page.scope)
            ).scalar()
            if page.must_resync or (current is not None and page.cursor < current):
                return
            latest: dict[tuple[str, str], Change] = {}
            for change in sorted(page.changes, key=lambda c: c.seq):
                if change.entity in ENTITY_TABLES:
                    latest[(change.entity, change.id)] = change
            by_entity: dict[str, list[Change]] = {}
            for change in latest.values():
                by_entity.setdefault(change.entity, []).append(change)
            for entity, changes in by_entity.items():
                self._apply_changes(connection, entity, changes)
            values = {"cursor": page.cursor, "checksum": page.checksum, "count": page.count}
            if page.checksum is None:
                values = {"cursor": page.cursor}
            statement = sqlite_insert(sync_scope).values(scope=page.scope, **values)
            connection.execute(statement.on_conflict_do_update(index_elements=["scope"], set_=values))

    def _apply_changes(self, connection: Connection, entity: str, changes: list[Change]) -> None:
        table = ENTITY_TABLES[entity]
        shadowed = _shadowed(connection, entity, [change.id for change in changes])
        upserts: list[dict[str, Any]] = []
        gone: list[str] = []
        for change in changes:
            if change.id in shadowed:
                self._apply_to_pending_row(connection, entity, change)
            elif change.kind == "upsert" and change.data is not None:
                row = to_row(entity, {**change.data, "id": change.id, "version": change.version})
                row["server_version"] = change.version
                upserts.append(row)
            else:
                gone.append(change.id)
        if upserts:
            connection.execute(upsert_statement(entity, monotonic=True), upserts)
        for chunk in _chunks(gone):
            connection.execute(delete(table).where(table.c.id.in_(chunk)))

    def _apply_to_pending_row(self, connection: Connection, entity: str, change: Change) -> None:
        _, version, data = read_shadow(connection, entity, change.id)
        if version is not None and change.version < version:
            return
        if change.kind == "upsert" and change.data is not None:
            write_shadow(connection, entity, change.id, change.version, {**change.data, "version": change.version})
        elif change.kind == "remove":
            write_shadow(connection, entity, change.id, None, data)  # out of scope, our pending edits stay visible
        else:
            write_shadow(connection, entity, change.id, None, None)
        rebase(connection, entity, change.id)

    def reset_scope(self, scope: str) -> None:
        """Forget the scope's synced rows and cursor; keep the outbox and every row with pending mutations."""
        with self._write() as connection:
            for entity, table, where in scope_tables(scope):
                pending = select(server_shadow.c.entity_id).where(server_shadow.c.entity == entity)
                connection.execute(delete(table).where(where, table.c.id.not_in(pending)))
            connection.execute(delete(sync_scope).where(sync_scope.c.scope == scope))

    def scope_checksum(self, scope: str) -> ScopeChecksum:
        """Sum of row_hash(entity, id, server version) over the scope's rows the server knows."""
        total = 0
        count = 0
        with self._read() as connection:
            cursor = connection.execute(select(sync_scope.c.cursor).where(sync_scope.c.scope == scope)).scalar()
            for entity, table, where in scope_tables(scope):
                rows: Iterable[Any] = connection.execute(
                    select(table.c.id, table.c.server_version).where(where, table.c.server_version.is_not(None))
                )
                for entity_id, version in rows:
                    total = combine(total, row_hash(entity, entity_id, version))
                    count += 1
        return ScopeChecksum(scope=scope, cursor=int(cursor or 0), checksum=format_checksum(total), count=count)

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
