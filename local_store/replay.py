"""Read your own writes: a visible row is the server's copy with the desk's pending mutations replayed on top.

All functions take an open connection inside the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import uuid6
from sqlalchemy import Connection, Insert, delete, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from domain.sync import Mutation, MutationOp, TransitionIntent
from local_store.rows import iso_utc, row_to_wire, to_row
from local_store.schema import ENTITY_TABLES, meta, outbox, server_shadow

Clock = Callable[[], datetime]
_SKIP_ON_UPDATE = {"id", "search_rowid"}


def upsert_statement(entity: str, *, monotonic: bool) -> Insert:
    """INSERT ... ON CONFLICT(id) DO UPDATE for executemany; `monotonic` never lets a server version go back."""
    table = ENTITY_TABLES[entity]
    statement = sqlite_insert(table)
    columns = {c.name: statement.excluded[c.name] for c in table.columns if c.name not in _SKIP_ON_UPDATE}
    where = None
    if monotonic:
        where = statement.excluded.server_version >= table.c.server_version
        where = where | table.c.server_version.is_(None)
    return statement.on_conflict_do_update(index_elements=["id"], set_=columns, where=where)


def read_visible(connection: Connection, entity: str, entity_id: str) -> dict[str, Any] | None:
    table = ENTITY_TABLES[entity]
    row = connection.execute(select(table).where(table.c.id == entity_id)).mappings().first()
    return row_to_wire(entity, row) if row is not None else None


def server_version_of(connection: Connection, entity: str, entity_id: str) -> int | None:
    table = ENTITY_TABLES[entity]
    return connection.execute(select(table.c.server_version).where(table.c.id == entity_id)).scalar()


def write_visible(
    connection: Connection, entity: str, entity_id: str, data: dict[str, Any] | None, server_version: int | None
) -> None:
    table = ENTITY_TABLES[entity]
    if data is None:
        connection.execute(delete(table).where(table.c.id == entity_id))
        return
    row = to_row(entity, {**data, "id": entity_id})
    row["server_version"] = server_version
    connection.execute(upsert_statement(entity, monotonic=False), [row])


def read_shadow(connection: Connection, entity: str, entity_id: str) -> tuple[bool, int | None, dict | None]:
    """(exists, server version, server row) of the shadow kept while the row has pending mutations."""
    row = connection.execute(
        select(server_shadow.c.version, server_shadow.c.data).where(
            server_shadow.c.entity == entity, server_shadow.c.entity_id == entity_id
        )
    ).first()
    if row is None:
        return False, None, None
    return True, row.version, json.loads(row.data) if row.data is not None else None


def write_shadow(
    connection: Connection, entity: str, entity_id: str, version: int | None, data: dict[str, Any] | None
) -> None:
    statement = sqlite_insert(server_shadow).values(
        entity=entity,
        entity_id=entity_id,
        version=version,
        data=json.dumps(data, ensure_ascii=False, default=str) if data is not None else None,
    )
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["entity", "entity_id"],
            set_={"version": statement.excluded.version, "data": statement.excluded.data},
        )
    )


def ensure_shadow(connection: Connection, entity: str, entity_id: str) -> None:
    """Before the first pending mutation on a row, keep the server's copy of it."""
    if read_shadow(connection, entity, entity_id)[0]:
        return
    version = server_version_of(connection, entity, entity_id)
    data = read_visible(connection, entity, entity_id) if version is not None else None
    write_shadow(connection, entity, entity_id, version, data)


def pending_for(connection: Connection, entity: str, entity_id: str) -> list[Mutation]:
    rows = connection.execute(
        select(outbox.c.mutation)
        .where(outbox.c.entity == entity, outbox.c.entity_id == entity_id)
        .order_by(outbox.c.seq)
    ).scalars()
    return [Mutation.model_validate_json(text) for text in rows]


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


def rebase(connection: Connection, entity: str, entity_id: str) -> None:
    """Recompute the visible row from its shadow and the pending outbox; drop the shadow when nothing is pending."""
    exists, version, base = read_shadow(connection, entity, entity_id)
    if not exists:
        return
    mutations = pending_for(connection, entity, entity_id)
    visible = replay(base, mutations)
    if visible is not None:
        visible["version"] = version if version is not None else 0
    write_visible(connection, entity, entity_id, visible, version)
    if not mutations:
        connection.execute(
            delete(server_shadow).where(server_shadow.c.entity == entity, server_shadow.c.entity_id == entity_id)
        )


def next_counter(connection: Connection, name: str) -> int:
    """Take the next value of a persistent counter in `meta` (starts at 1)."""
    current = connection.execute(select(meta.c.value).where(meta.c.key == name)).scalar()
    value = int(current) if current is not None else 1
    statement = sqlite_insert(meta).values(key=name, value=str(value + 1))
    connection.execute(statement.on_conflict_do_update(index_elements=["key"], set_={"value": str(value + 1)}))
    return value


def enqueue(
    connection: Connection,
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
    mutation = Mutation(
        mutation_id=str(uuid6.uuid7()),
        client_id=client_id,
        seq=next_counter(connection, "next_seq"),
        entity=entity,
        entity_id=entity_id,
        op=op,
        base_version=base_version,
        fields=fields or {},
        base=base or {},
        transition=transition,
        created_at=now,
    )
    connection.execute(
        outbox.insert().values(
            seq=mutation.seq,
            mutation_id=mutation.mutation_id,
            entity=entity,
            entity_id=entity_id,
            mutation=mutation.model_dump_json(),
            created_at=iso_utc(now),
        )
    )
    return mutation


def local_change(
    connection: Connection, *, client_id: str, now: datetime, entity: str, entity_id: str, op: MutationOp, **kwargs: Any
) -> Mutation:
    """A desk action on an entity row: shadow it, queue the mutation, show the result (one transaction)."""
    ensure_shadow(connection, entity, entity_id)
    mutation = enqueue(
        connection, client_id=client_id, now=now, entity=entity, entity_id=entity_id, op=op, **kwargs
    )
    rebase(connection, entity, entity_id)
    return mutation


def bump_attempts(connection: Connection, mutation_ids: list[str], error: str | None) -> None:
    connection.execute(
        update(outbox)
        .where(outbox.c.mutation_id.in_(mutation_ids))
        .values(attempts=outbox.c.attempts + 1, last_error=error)
    )
