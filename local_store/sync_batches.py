"""Set-based reads and pure steps of the sync side: a page or a push batch costs a few statements, not a few per row."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TypeVar

from domain.sync import Mutation, MutationResult
from local_store.replay import Db, replay
from local_store.rows import KINDS

T = TypeVar("T")
_CHUNK = 500  # stay well under SQLite's bound-parameter limit


# Where each column sits in `row_values` (and in SQL[entity]["insert"]).
POSITIONS = {entity: {name: at for at, name in enumerate(kinds)} for entity, kinds in KINDS.items()}


def chunks(items: list[T], size: int = _CHUNK) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def shadowed(db: Db, entity: str, ids: list[str]) -> set[str]:
    """The ids among `ids` whose rows have a shadow (pending local mutations)."""
    if db.execute("SELECT 1 FROM server_shadow WHERE entity = ? LIMIT 1", (entity,)).fetchone() is None:
        return set()  # the usual case during an initial sync: nothing to look up
    found: set[str] = set()
    for chunk in chunks(ids):
        found.update(
            entity_id
            for (entity_id,) in db.execute(
                f"SELECT entity_id FROM server_shadow WHERE entity = ? AND entity_id IN ({', '.join('?' * len(chunk))})",
                (entity, *chunk),
            )
        )
    return found


def existing_keys(db: Db, entity: str, ids: list[str]) -> dict[str, tuple[str, int | None]]:
    """id -> (office_id, server_version) of the rows already stored."""
    found: dict[str, tuple[str, int | None]] = {}
    for chunk in chunks(ids):
        rows = db.execute(
            f'SELECT id, office_id, server_version FROM "{entity}" WHERE id IN ({", ".join("?" * len(chunk))})',
            chunk,
        )
        found.update((entity_id, (office_id, version)) for entity_id, office_id, version in rows)
    return found


def parse_mutations(texts: list[str]) -> list[Mutation]:
    return [Mutation.model_validate_json(text) for text in texts]


def outbox_texts(db: Db, mutation_ids: list[str]) -> dict[str, str]:
    """mutation_id -> stored mutation JSON of those still in the outbox, in the order asked."""
    found: dict[str, str] = {}
    for chunk in chunks(mutation_ids):
        found.update(db.execute(
            f"SELECT mutation_id, mutation FROM outbox WHERE mutation_id IN ({', '.join('?' * len(chunk))})", chunk
        ))
    return {mutation_id: found[mutation_id] for mutation_id in dict.fromkeys(mutation_ids) if mutation_id in found}


def shadows(db: Db, entity: str, ids: list[str]) -> dict[str, tuple[int | None, dict[str, Any] | None]]:
    """id -> (server version, server row) of the rows that have a shadow."""
    found: dict[str, tuple[int | None, dict[str, Any] | None]] = {}
    for chunk in chunks(ids):
        for entity_id, version, data in db.execute(
            "SELECT entity_id, version, data FROM server_shadow WHERE entity = ?"
            f" AND entity_id IN ({', '.join('?' * len(chunk))})",
            (entity, *chunk),
        ):
            found[entity_id] = (version, json.loads(data) if data is not None else None)
    return found


def pending_rows(db: Db, entity: str, ids: list[str]) -> set[str]:
    """The ids among `ids` that still have mutations in the outbox."""
    found: set[str] = set()
    for chunk in chunks(ids):
        found.update(row[0] for row in db.execute(
            f"SELECT DISTINCT entity_id FROM outbox WHERE entity = ? AND entity_id IN ({', '.join('?' * len(chunk))})",
            (entity, *chunk),
        ))
    return found


def server_copy(
    result: MutationResult, mutation: Mutation, shadow_version: int | None, shadow_data: dict[str, Any] | None
) -> tuple[int | None, dict[str, Any]] | None:
    """The row's new server copy (version, data) after `result`, None when the shadow stays as it is."""
    if result.status == "rejected" or result.record is not None:
        server_data = result.record
    else:
        server_data = replay(shadow_data, [mutation])  # applied without a record: our change stands
    if server_data is None:
        return None
    server_data = dict(server_data)
    if mutation.entity == "ticket":
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
        return version, server_data
    return None
