"""Read your own writes: a visible row is the server's copy with the desk's pending mutations replayed on top.

All functions take an open connection inside the caller's transaction (a SQLAlchemy Connection or the
DB-API connection under it) and speak fixed SQL to the DB-API connection: these are the desk's hot
write paths, where building SQLAlchemy statements cost more than SQLite itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import uuid6
from sqlalchemy import Connection

from domain.sync import Mutation, MutationOp, TransitionIntent
from local_store.checksums import ScopeTally, scope_of
from local_store.rows import KINDS, iso_utc, to_row

Clock = Callable[[], datetime]
Db = Any  # a sqlcipher3 DB-API connection
StoredRow = tuple[dict[str, Any], int | None]  # (wire dict, server version)

FIELDS: dict[str, list[str]] = {entity: list(kinds) for entity, kinds in KINDS.items()}


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def _statements(entity: str) -> dict[str, str]:
    columns = [*FIELDS[entity], "server_version"]
    updated = [name for name in columns if name != "id"]
    return {
        "select": f'SELECT {_quoted(columns)} FROM "{entity}" WHERE id = ?',
        "insert": f'INSERT INTO "{entity}" ({_quoted(columns)}) VALUES ({", ".join("?" * len(columns))})',
        "update": f'UPDATE "{entity}" SET {", ".join(f"{chr(34)}{n}{chr(34)} = ?" for n in updated)} WHERE id = ?',
        "delete": f'DELETE FROM "{entity}" WHERE id = ?',
        "key": f'SELECT office_id, server_version FROM "{entity}" WHERE id = ?',
    }


SQL: dict[str, dict[str, str]] = {entity: _statements(entity) for entity in FIELDS}
# Customers have no per-row insert trigger: each insert path adds its FTS rows itself (in batches).
FTS_INSERT_ONE = (
    "INSERT INTO customer_fts(rowid, name, address) SELECT search_rowid, name, address FROM customer WHERE id = ?"
)
FTS_INSERT_ABOVE = (
    "INSERT INTO customer_fts(rowid, name, address)"
    " SELECT search_rowid, name, address FROM customer WHERE search_rowid > ?"
)
TOP_CUSTOMER_ROWID = "SELECT coalesce(max(search_rowid), 0) FROM customer"


def driver(connection: Connection | Db) -> Db:
    """The DB-API connection under a SQLAlchemy Connection (same transaction)."""
    if isinstance(connection, Connection):
        return connection.connection.driver_connection
    return connection


def insert_values(entity: str, row: dict[str, Any]) -> tuple[Any, ...]:
    """A table row (from `to_row` + server_version) as parameters of SQL[entity]['insert']."""
    return (*(row[name] for name in FIELDS[entity]), row["server_version"])


def update_values(entity: str, row: dict[str, Any]) -> tuple[Any, ...]:
    return (*(row[name] for name in FIELDS[entity] if name != "id"), row["server_version"], row["id"])


def _wire(entity: str, values: tuple[Any, ...]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for (name, kind), value in zip(KINDS[entity].items(), values, strict=False):
        if value is not None and kind == "json":
            value = json.loads(value)
        elif value is not None and kind == "bool":
            value = bool(value)
        data[name] = value
    return data


def read_row(connection: Connection | Db, entity: str, entity_id: str) -> StoredRow | None:
    values = driver(connection).execute(SQL[entity]["select"], (entity_id,)).fetchone()
    if values is None:
        return None
    return _wire(entity, values), values[-1]


def read_visible(connection: Connection | Db, entity: str, entity_id: str) -> dict[str, Any] | None:
    stored = read_row(connection, entity, entity_id)
    return stored[0] if stored is not None else None


def server_version_of(connection: Connection | Db, entity: str, entity_id: str) -> int | None:
    found = driver(connection).execute(SQL[entity]["key"], (entity_id,)).fetchone()
    return found[1] if found is not None else None


_UNREAD: Any = object()


def write_visible(
    connection: Connection | Db,
    entity: str,
    entity_id: str,
    data: dict[str, Any] | None,
    server_version: int | None,
    *,
    before: tuple[str, int | None] | None = _UNREAD,
) -> None:
    """Store (or drop, for None) the visible row; keeps the FTS index and the scope's running checksum in step.

    `before` is the row's (office_id, server_version) when the caller already read it, None when absent.
    """
    db = driver(connection)
    statements = SQL[entity]
    if before is _UNREAD:
        before = db.execute(statements["key"], (entity_id,)).fetchone()
    tally = ScopeTally()
    if before is not None and before[1] is not None:
        tally.remove(scope_of(entity, before[0]), entity, entity_id, before[1])
    if data is None:
        if before is not None:
            db.execute(statements["delete"], (entity_id,))
    else:
        row = to_row(entity, {**data, "id": entity_id})
        row["server_version"] = server_version
        if before is not None:
            db.execute(statements["update"], update_values(entity, row))
        else:
            db.execute(statements["insert"], insert_values(entity, row))
            if entity == "customer":
                db.execute(FTS_INSERT_ONE, (entity_id,))
        if server_version is not None:
            tally.add(scope_of(entity, row["office_id"]), entity, entity_id, server_version)
    tally.flush(db)


_SHADOW_SELECT = "SELECT version, data FROM server_shadow WHERE entity = ? AND entity_id = ?"
_SHADOW_UPSERT = (
    "INSERT INTO server_shadow (entity, entity_id, version, data) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (entity, entity_id) DO UPDATE SET version = excluded.version, data = excluded.data"
)
_SHADOW_KEEP = (
    "INSERT INTO server_shadow (entity, entity_id, version, data) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (entity, entity_id) DO NOTHING"
)
_SHADOW_DELETE = "DELETE FROM server_shadow WHERE entity = ? AND entity_id = ?"


def _json(data: dict[str, Any] | None) -> str | None:
    return json.dumps(data, ensure_ascii=False, default=str) if data is not None else None


def read_shadow(connection: Connection | Db, entity: str, entity_id: str) -> tuple[bool, int | None, dict | None]:
    """(exists, server version, server row) of the shadow kept while the row has pending mutations."""
    row = driver(connection).execute(_SHADOW_SELECT, (entity, entity_id)).fetchone()
    if row is None:
        return False, None, None
    return True, row[0], json.loads(row[1]) if row[1] is not None else None


def write_shadow(
    connection: Connection | Db, entity: str, entity_id: str, version: int | None, data: dict[str, Any] | None
) -> None:
    driver(connection).execute(_SHADOW_UPSERT, (entity, entity_id, version, _json(data)))


def _keep_shadow(db: Db, entity: str, entity_id: str, stored: StoredRow | None) -> bool:
    """Keep the server's copy before the first pending mutation; True when this call created the shadow."""
    version = stored[1] if stored is not None else None
    data = stored[0] if stored is not None and version is not None else None
    return db.execute(_SHADOW_KEEP, (entity, entity_id, version, _json(data))).rowcount == 1


def ensure_shadow(connection: Connection | Db, entity: str, entity_id: str) -> None:
    """Before the first pending mutation on a row, keep the server's copy of it."""
    db = driver(connection)
    if db.execute(_SHADOW_SELECT, (entity, entity_id)).fetchone() is None:
        _keep_shadow(db, entity, entity_id, read_row(db, entity, entity_id))


_PENDING = "SELECT mutation FROM outbox WHERE entity = ? AND entity_id = ? ORDER BY seq"


def pending_for(connection: Connection | Db, entity: str, entity_id: str) -> list[Mutation]:
    rows = driver(connection).execute(_PENDING, (entity, entity_id)).fetchall()
    return [Mutation.model_validate_json(text) for (text,) in rows]


def replay(base: dict[str, Any] | None, mutations: Iterable[Mutation]) -> dict[str, Any] | None:
    """The row as the desk should see it: `base` (server copy or None) with each mutation applied in order."""
    data = dict(base) if base is not None else None
    for mutation in mutations:
        if mutation.op == "create":
            data = {**(data or {}), **mutation.fields}
        elif mutation.op == "delete":
            data = None
        elif data is None:
            continue  # an update of a row that is gone changes nothing visible
        else:
            data.update(mutation.fields)
            if mutation.op == "transition" and mutation.transition is not None:
                data["state"] = mutation.transition.to_state
    return data


def rebase(connection: Connection | Db, entity: str, entity_id: str) -> None:
    """Recompute the visible row from its shadow and the pending outbox; drop the shadow when nothing is pending."""
    db = driver(connection)
    exists, version, base = read_shadow(db, entity, entity_id)
    if not exists:
        return
    mutations = pending_for(db, entity, entity_id)
    visible = replay(base, mutations)
    if visible is not None:
        visible["version"] = version if version is not None else 0
    write_visible(db, entity, entity_id, visible, version)
    if not mutations:
        db.execute(_SHADOW_DELETE, (entity, entity_id))


_COUNTER = (
    "INSERT INTO meta (key, value) VALUES (?, '2')"
    " ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING value"
)


def next_counter(connection: Connection | Db, name: str) -> int:
    """Take the next value of a persistent counter in `meta` (starts at 1)."""
    (stored,) = driver(connection).execute(_COUNTER, (name,)).fetchone()
    return int(stored) - 1


_OUTBOX_INSERT = (
    "INSERT INTO outbox (seq, mutation_id, entity, entity_id, mutation, created_at, attempts)"
    " VALUES (?, ?, ?, ?, ?, ?, 0)"
)
_OUTBOX_INSERT_AUTHORED = (
    "INSERT INTO outbox (seq, mutation_id, entity, entity_id, mutation, created_at, attempts, author)"
    " VALUES (?, ?, ?, ?, ?, ?, 0, ?)"
)
# meta: the staff id of the person signed in at this desk, which stamps every change saved (docs/authorship.md).
AUTHOR_KEY = "desk_author"
_AUTHOR = "SELECT value FROM meta WHERE key = ?"


def enqueue(
    connection: Connection | Db,
    *,
    client_id: str,
    now: datetime,
    entity: str,
    entity_id: str,
    op: MutationOp,
    fields: dict[str, Any] | None = None,
    base: dict[str, Any] | None = None,
    base_version: int | None = None,
    transition: TransitionIntent | None = None,
) -> Mutation:
    """Append one mutation to the outbox (the caller's transaction also holds the row change)."""
    db = driver(connection)
    signed_in = db.execute(_AUTHOR, (AUTHOR_KEY,)).fetchone()  # read in the transaction that queues the change
    author = signed_in[0] if signed_in is not None else None
    mutation = Mutation(
        mutation_id=str(uuid6.uuid7()),
        client_id=client_id,
        seq=next_counter(db, "next_seq"),
        entity=entity,
        entity_id=entity_id,
        op=op,
        base_version=base_version,
        fields=fields or {},
        base=base or {},
        transition=transition,
        created_at=now,
        author=author,
    )
    if (problem := mutation.value_problem()) is not None:
        raise problem  # nothing queued: the caller's transaction rolls back with the row change
    values = (mutation.seq, mutation.mutation_id, entity, entity_id, mutation.model_dump_json(), iso_utc(now))
    if author is None:  # nobody signed in (store tools, migration 0005 on its older outbox): no author column
        db.execute(_OUTBOX_INSERT, values)
    else:
        db.execute(_OUTBOX_INSERT_AUTHORED, (*values, author))
    return mutation


ABSENT: Any = None  # `stored=ABSENT`: the caller knows the row does not exist yet (a fresh UUIDv7)


def local_change(
    connection: Connection | Db,
    *,
    client_id: str,
    now: datetime,
    entity: str,
    entity_id: str,
    op: MutationOp,
    stored: StoredRow | None = _UNREAD,
    **kwargs: Any,
) -> tuple[Mutation, dict[str, Any] | None]:
    """A desk action on an entity row: shadow it, queue the mutation, show the result (one transaction).

    Returns the mutation and the visible row after it. `stored` is the row as the caller just read it.
    """
    db = driver(connection)
    if stored is _UNREAD:
        stored = read_row(db, entity, entity_id)
    created_shadow = _keep_shadow(db, entity, entity_id, stored)
    mutation = enqueue(db, client_id=client_id, now=now, entity=entity, entity_id=entity_id, op=op, **kwargs)
    if stored is None and not created_shadow:
        rebase(db, entity, entity_id)  # a row hidden by earlier pending mutations: replay them all
        return mutation, read_visible(db, entity, entity_id)
    # The visible row already is "shadow + pending replayed", so one more step gives the new visible row.
    version = stored[1] if stored is not None else None
    visible = replay(stored[0] if stored is not None else None, [mutation])
    if visible is not None:
        visible["version"] = version if version is not None else 0
    before = (stored[0]["office_id"], version) if stored is not None else None
    write_visible(db, entity, entity_id, visible, version, before=before)
    return mutation, visible


def bump_attempts(connection: Connection | Db, mutation_ids: list[str], error: str | None) -> None:
    driver(connection).executemany(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE mutation_id = ?",
        [(error, mutation_id) for mutation_id in mutation_ids],
    )
