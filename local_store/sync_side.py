"""The half of the store the sync engine calls: outbox out, push results and pull pages in, scope bookkeeping."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, event, func, select
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
from local_store import checksums, deferred_indexes, search_stats
from local_store import sync_batches as batches
from local_store.base import StoreBase
from local_store.outbox_authors import deliverable
from local_store.replay import (
    AUTHOR_KEY,
    FTS_INSERT_ABOVE,
    SQL,
    TOP_CUSTOMER_ROWID,
    Db,
    bump_attempts,
    driver,
    ensure_shadow,
    read_row,
    read_shadow,
    read_visible,
    rebase,
    write_shadow,
)
from local_store.rows import iso_utc, row_values
from local_store.schema import ENTITY_TABLES, outbox, server_shadow, sync_scope

# A long pull applies its pages with a 128 MiB page cache (the store's connections have 32 MiB), and lets
# the WAL grow to 256 MiB (of 4 KiB pages) between checkpoints.
CATCH_UP_CACHE_KIB = 128 * 1024
CATCH_UP_WAL_PAGES = 65_536
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


_LABEL_KEY = "author_label:"  # meta: how the desk names an author to the next person
_META_SET = "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"

class SyncSide(StoreBase):
    _catch_up: Any = None  # the connection of a long pull while its pages say more follow

    def pending_mutations(self, limit: int = 200, author: str | None = None) -> list[Mutation]:
        """The oldest queued mutations; with `author`, only those that person's session may deliver.

        Theirs, and those of no recorded author (queued by an older version); not one that would overtake
        another person's queued change of a row it changes or names (`outbox_authors`)."""
        with self._raw() as db:
            if author is None:
                texts = [text for (text,) in db.execute("SELECT mutation FROM outbox ORDER BY seq LIMIT ?", (limit,))]
            else:
                texts = deliverable(db, author, limit)
        return batches.parse_mutations(texts)

    def deliverable_size(self, author: str) -> int:
        """How many queued mutations `author`'s session may deliver now."""
        with self._raw() as db:
            return len(deliverable(db, author, None))

    def sign_in_author(self, staff_id: str, label: str) -> None:
        """From now on each change saved at this desk names `staff_id` as its author; `label` names them
        to the next person (see `waiting_authors`)."""
        with self._write() as connection:
            db = driver(connection)
            db.execute(_META_SET, (AUTHOR_KEY, staff_id))
            db.execute(_META_SET, (_LABEL_KEY + staff_id, label))

    def sign_out_author(self) -> None:
        with self._write() as connection:
            driver(connection).execute("DELETE FROM meta WHERE key = ?", (AUTHOR_KEY,))

    def waiting_authors(self, author: str | None) -> list[tuple[str, int]]:
        """(label, count) of others' changes waiting for their own session, most first."""
        with self._raw() as db:
            rows = db.execute(
                "SELECT o.author, count(*), m.value FROM outbox o LEFT JOIN meta m ON m.key = ? || o.author"
                " WHERE o.author IS NOT NULL AND o.author IS NOT ? GROUP BY o.author ORDER BY count(*) DESC, o.author",
                (_LABEL_KEY, author),
            ).fetchall()
        return [(label or staff_id, int(count)) for staff_id, count, label in rows]

    def outbox_size(self) -> int:
        with self._read() as connection:
            return int(connection.execute(select(func.count()).select_from(outbox)).scalar_one())

    def record_push_failure(self, mutation_ids: list[str], error: str) -> None:
        """Count a failed attempt (network, 5xx) on mutations that stay queued; shown in diagnostics."""
        with self._write() as connection:
            bump_attempts(connection, mutation_ids, error)

    # ---- push results -------------------------------------------------------------------------

    def apply_push_results(self, results: list[MutationResult]) -> None:
        """Settle a batch in one transaction, as if each result were applied in order (`_apply_result`).

        A row with exactly one accepted result in the batch (the common case: a backlog of creations) is
        settled with set-based statements; rejections and rows with several results take the per-row path.
        """
        with self._write() as connection:
            db = driver(connection)
            texts = batches.outbox_texts(db, [result.mutation_id for result in results])
            settled = [result for result in results if result.mutation_id in texts]  # others: a replayed answer
            mutations = dict(zip(texts, batches.parse_mutations(list(texts.values())), strict=True))
            rows = Counter((mutations[r.mutation_id].entity, mutations[r.mutation_id].entity_id) for r in settled)
            batched: dict[str, list[tuple[MutationResult, Mutation]]] = {}
            gone: list[tuple[str]] = []
            for result in settled:
                mutation = mutations[result.mutation_id]
                if mutation.entity not in ENTITY_TABLES:
                    gone.append((result.mutation_id,))  # audit entries and the like keep no row state
                elif result.status == "rejected" or rows[(mutation.entity, mutation.entity_id)] > 1:
                    self._apply_result(db, result)  # rows are independent: their order among rows is free
                else:
                    gone.append((result.mutation_id,))
                    batched.setdefault(mutation.entity, []).append((result, mutation))
            db.executemany("DELETE FROM outbox WHERE mutation_id = ?", gone)
            tally = checksums.ScopeTally()
            for entity, items in batched.items():
                self._settle_rows(db, entity, items, tally)
            tally.flush(db)

    def _settle_rows(
        self, db: Db, entity: str, items: list[tuple[MutationResult, Mutation]], tally: checksums.ScopeTally
    ) -> None:
        """One accepted result per row, its outbox row already gone: new shadow, then the rebase, in batches."""
        statements = SQL[entity]
        office_at = batches.POSITIONS[entity]["office_id"]
        ids = [mutation.entity_id for _, mutation in items]
        shadows = batches.shadows(db, entity, ids)
        still_pending = batches.pending_rows(db, entity, ids)
        existing = batches.existing_keys(db, entity, ids)
        inserts: list[list[Any]] = []
        updates: list[list[Any]] = []
        deletes: list[tuple[str]] = []
        for result, mutation in items:
            entity_id = mutation.entity_id
            if entity_id in shadows:
                shadow_version, shadow_data = shadows[entity_id]
            else:  # no pending mutation kept a shadow: the visible row is the server's copy
                stored = read_row(db, entity, entity_id)
                shadow_version = stored[1] if stored is not None else None
                shadow_data = stored[0] if stored is not None and shadow_version is not None else None
            newer = batches.server_copy(result, mutation, shadow_version, shadow_data)
            if newer is not None:
                shadow_version, shadow_data = newer
            if entity_id in still_pending:  # later mutations of the row wait in the outbox: replay them
                write_shadow(db, entity, entity_id, shadow_version, shadow_data)
                rebase(db, entity, entity_id)
                continue
            # Nothing pending: the visible row becomes the server's copy and the shadow goes (`rebase`).
            before = existing.get(entity_id)
            if before is not None and before[1] is not None:
                tally.remove(checksums.scope_of(entity, before[0]), entity, entity_id, before[1])
            if shadow_data is None:
                if before is not None:
                    deletes.append((entity_id,))
                continue
            values = row_values(entity, {**shadow_data, "id": entity_id, "version": shadow_version or 0})
            values.append(shadow_version)
            if shadow_version is not None:
                tally.add(checksums.scope_of(entity, values[office_at]), entity, entity_id, shadow_version)
            if before is None:
                inserts.append(values)
            else:
                del values[batches.POSITIONS[entity]["id"]]
                values.append(entity_id)
                updates.append(values)
        db.executemany(
            "DELETE FROM server_shadow WHERE entity = ? AND entity_id = ?",
            [(entity, entity_id) for entity_id in ids if entity_id not in still_pending],
        )
        db.executemany(statements["delete"], deletes)
        db.executemany(statements["update"], updates)
        if inserts:
            top = db.execute(TOP_CUSTOMER_ROWID).fetchone()[0] if entity == "customer" else 0
            db.executemany(statements["insert"], inserts)
            if entity == "customer":
                db.execute(FTS_INSERT_ABOVE, (top,))

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
        newer = batches.server_copy(result, mutation, shadow_version, shadow_data)
        if newer is not None:
            write_shadow(db, entity, entity_id, *newer)
        rebase(db, entity, entity_id)

    # ---- pull ---------------------------------------------------------------------------------

    def cursor(self, scope: str) -> int:
        with self._read() as connection:
            value = connection.execute(select(sync_scope.c.cursor).where(sync_scope.c.scope == scope)).scalar()
            return int(value) if value is not None else 0

    def apply_pull_page(self, page: PullPage) -> None:
        """Apply one page and move the cursor in one transaction; an older page than the cursor is ignored."""
        if page.has_more or self._catch_up is not None:
            self._apply_catching_up(page)
            return
        with self._write() as connection:
            self._apply_page(driver(connection), page)

    def _apply_catching_up(self, page: PullPage) -> None:
        """A page of a long pull (more pages follow): on a connection of its own until the last page.

        Its page cache is big enough for the customer indexes of a prefecture: with the shared 32 MiB, each
        random insert into the name, ID-number and phone indexes re-read and decrypted a page, and a page of
        a 1M-row sync cost four times one of a 100k-row one. Its WAL grows to CATCH_UP_WAL_PAGES between
        checkpoints (checkpointing every page copied and fsynced the same index pages again and again).
        After the last page the WAL is truncated and the connection closed: its memory goes with it. The
        non-unique indexes of the tables the first page finds empty are built once, by the last page
        (`local_store.deferred_indexes`).
        """
        db: Db = self._catch_up
        starting = db is None
        if db is None:
            pooled = self._engine.raw_connection()
            db = pooled.driver_connection
            pooled.detach()  # it is closed, not pooled with its big cache, when the catch-up ends
            db.execute(f"PRAGMA cache_size = -{CATCH_UP_CACHE_KIB}")
            db.execute(f"PRAGMA wal_autocheckpoint = {CATCH_UP_WAL_PAGES}")
            self._catch_up = db
            # Store.close() disposes of the engine: a pull cut short must not keep the connection open.
            event.listen(self._engine, "engine_disposed", lambda _: self._end_catch_up(), once=True)
        last = not page.has_more
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                if starting:
                    deferred_indexes.defer(db, [table.name for _, table, _ in scope_tables(page.scope)])
                self._apply_page(db, page)
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
            if last:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()  # busy readers: it stays, no harm
        except BaseException:
            last = True  # a failed page ends the catch-up; the next pull starts a new one
            raise
        finally:
            if last:
                self._end_catch_up()

    def _end_catch_up(self) -> None:
        db, self._catch_up = self._catch_up, None
        if db is not None:
            db.close()

    def _apply_page(self, db: Db, page: PullPage) -> None:
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
        if not page.has_more:
            deferred_indexes.restore(db)
            if "customer" in by_entity:
                search_stats.refresh_if_grown(db)

    def _apply_changes(self, db: Db, entity: str, changes: list[Change], tally: checksums.ScopeTally) -> None:
        """One entity's changes of a page as a few set-based statements (the initial sync's hot path)."""
        statements = SQL[entity]
        id_at, office_at, version_at = (batches.POSITIONS[entity][name] for name in ("id", "office_id", "version"))
        ids = [change.id for change in changes]
        shadowed = batches.shadowed(db, entity, ids)
        existing = batches.existing_keys(db, entity, ids)
        inserts: list[list[Any]] = []
        updates: list[list[Any]] = []
        gone: list[tuple[str]] = []
        added: dict[str, list[tuple[str, int]]] = {}  # office_id -> (id, version) entering the scope
        removed: dict[str, list[tuple[str, int]]] = {}
        for change in changes:
            entity_id = change.id
            if entity_id in shadowed:
                self._apply_to_pending_row(db, entity, change)
                continue
            before = existing.get(entity_id)
            data = change.data
            upsert = change.kind == "upsert" and data is not None
            version = change.version
            if before is not None and before[1] is not None:
                if upsert and version < before[1]:
                    continue  # row versions never go backwards
                removed.setdefault(before[0], []).append((entity_id, before[1]))
            if upsert:
                assert data is not None
                # Text and int columns are stored as they come: only dates, JSON and booleans convert.
                values = row_values(entity, data)
                values[id_at] = entity_id
                values[version_at] = version
                added.setdefault(values[office_at], []).append((entity_id, version))
                values.append(version)  # server_version
                if before is None:
                    inserts.append(values)
                else:
                    del values[id_at]  # SQL[entity]["update"]: every column but id, then id
                    values.append(entity_id)
                    updates.append(values)
            elif before is not None:
                gone.append((entity_id,))
        for office_id, rows in removed.items():
            tally.remove_many(checksums.scope_of(entity, office_id), entity, rows)
        for office_id, rows in added.items():
            tally.add_many(checksums.scope_of(entity, office_id), entity, rows)
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
