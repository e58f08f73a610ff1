"""The invariants of DESIGN.md checked on the rows themselves: a full scan of each scope on both sides.

The running checksums (`scope_state` on the server, `sync_scope.local_checksum` on the desk) hash only
(entity, id, version) and are kept by the very code under test. Here every row of a scope is read from
the server's database file and from the desk's store file, put in one canonical form (the wire record's
fields, JSON parsed, datetimes in UTC) and compared field by field. `History` records cursors, scope
sequences and row versions through a run and fails the moment one goes backwards.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from domain.records import RECORD_TYPES
from domain.roles import VERIFIER_ROLES
from domain.sync import CALENDAR_SCOPE

Key = tuple[str, str]  # (entity, id)
Rows = dict[Key, dict[str, Any]]


def _kinds() -> dict[str, dict[str, str]]:
    from local_store.rows import KINDS

    return {entity: dict(kinds) for entity, kinds in KINDS.items()}


def _server_tables() -> dict[str, str]:
    from backend.db.base import table_of
    from backend.db.records import ROW_TYPES

    return {kind: table_of(ROW_TYPES[kind]).name for kind in RECORD_TYPES}


def _canonical(value: Any, kind: str) -> Any:
    """One form for a stored value on either side: SQLite text, 0/1 and naive UTC all read alike."""
    if value is None:
        return None
    if kind == "json":
        return json.loads(value) if isinstance(value, str | bytes) else value
    if kind == "datetime":
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat(timespec="microseconds")
    if kind == "bool":
        return bool(value)
    if kind == "float":
        return float(value)
    if kind in ("date", "time"):
        text = str(value)
        return text[:8] if kind == "time" and text.endswith(".000000") else text
    return value


def _scope_filter(scope: str) -> tuple[list[str], str, tuple[Any, ...]]:
    if scope == CALENDAR_SCOPE:
        return ["calendar_day"], "", ()
    if not scope.startswith("office:"):
        raise ValueError(f"unknown scope {scope!r}")
    entities = [kind for kind in RECORD_TYPES if kind != "calendar_day"]
    return entities, " WHERE office_id = ?", (scope.removeprefix("office:"),)


def server_rows(db: Path, scope: str, *, role: str = "clerk") -> Rows:
    """Every row of `scope` in the server's SQLite file, as a desk of `role` would be sent it."""
    from backend.sync.pull import mask_page

    kinds, tables = _kinds(), _server_tables()
    entities, where, parameters = _scope_filter(scope)
    rows: Rows = {}
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)) as connection:
        for entity in entities:
            names = list(kinds[entity])
            sql = f'SELECT {", ".join(f"{chr(34)}{n}{chr(34)}" for n in names)} FROM "{tables[entity]}"{where}'
            for values in connection.execute(sql, parameters):
                data = {n: _canonical(v, kinds[entity][n]) for n, v in zip(names, values, strict=True)}
                rows[(entity, data["id"])] = data
    if role not in VERIFIER_ROLES:
        mask_page({"changes": [{"entity": entity, "data": data} for (entity, _), data in rows.items()]})
    return rows


@contextmanager
def _desk_db(store: Path) -> Iterator[Any]:
    from desktop.sync.desk_runner import TEST_KEY
    from local_store.engine import connect

    connection = connect(store, TEST_KEY)
    try:
        yield connection
    finally:
        connection.close()


@dataclass
class DeskRows:
    rows: Rows  # rows the server has acknowledged (a server version)
    server_versions: dict[Key, int]
    local_only: list[Key]  # rows of the scope the server never acknowledged


def desk_rows(store: Path, scope: str) -> DeskRows:
    """Every row of `scope` in a desk's store file, read directly (the desk process may be gone)."""
    kinds = _kinds()
    entities, where, parameters = _scope_filter(scope)
    found = DeskRows({}, {}, [])
    with _desk_db(store) as db:
        for entity in entities:
            names = list(kinds[entity])
            sql = f'SELECT {", ".join(f"{chr(34)}{n}{chr(34)}" for n in names)}, server_version FROM "{entity}"{where}'
            for *values, server_version in db.execute(sql, parameters):
                data = {n: _canonical(v, kinds[entity][n]) for n, v in zip(names, values, strict=True)}
                key = (entity, data["id"])
                if server_version is None:
                    found.local_only.append(key)
                    continue
                found.rows[key] = data
                found.server_versions[key] = int(server_version)
    return found


def digest(rows: Rows) -> str:
    """A scan checksum over whole rows: sha256 of the canonical JSON of every row, in key order."""
    hasher = hashlib.sha256()
    for key in sorted(rows):
        hasher.update(json.dumps([key, rows[key]], sort_keys=True, ensure_ascii=False, default=str).encode())
    return hasher.hexdigest()[:16]


def row_differences(server: Rows, desk: Rows, limit: int = 5) -> list[str]:
    """Readable differences, at most `limit`: rows on one side only, then fields that differ."""
    out: list[str] = []
    for key in sorted(server.keys() - desk.keys())[:limit]:
        out.append(f"server only: {key}")
    for key in sorted(desk.keys() - server.keys())[:limit]:
        out.append(f"desk only: {key}")
    for key in sorted(server.keys() & desk.keys()):
        if len(out) >= limit:
            break
        differing = {n: (server[key].get(n), desk[key].get(n)) for n in server[key] if server[key][n] != desk[key].get(n)}
        if differing:
            out.append(f"{key} server != desk: {differing}")
    return out[:limit]


def scope_differences(db: Path, store: Path, scope: str, role: str = "clerk") -> list[str]:
    """Empty when the desk holds exactly the server's rows of `scope`, field for field."""
    server = server_rows(db, scope, role=role)
    desk = desk_rows(store, scope)
    problems = [f"never acknowledged by the server: {key}" for key in desk.local_only[:5]]
    if digest(server) != digest(desk.rows):
        problems += row_differences(server, desk.rows) or ["digests differ"]
    return problems


def assert_rows_converged(db: Path, desk: dict[str, Any], role: str = "clerk") -> None:
    """Invariant 3 on full rows, for a settled desk (a desk_runner description with its `store`)."""
    for scope in desk["cursors"]:
        problems = scope_differences(db, Path(desk["store"]), scope, role)
        assert not problems, f"{scope}: {problems}"


@dataclass
class History:
    """Cursors, scope sequences and row versions seen through a run; each observation must not go back."""

    cursors: dict[tuple[str, str], int] = field(default_factory=dict)  # (desk, scope) -> cursor
    scope_seqs: dict[str, int] = field(default_factory=dict)  # server scope -> last_seq
    desk_versions: dict[tuple[str, Key], int] = field(default_factory=dict)
    server_versions: dict[Key, int] = field(default_factory=dict)
    observations: int = 0

    @staticmethod
    def _check(seen: dict[Any, int], key: Any, now: int, what: str) -> None:
        before = seen.get(key)
        if before is not None and now < before:
            raise AssertionError(f"{what} {key} went backwards: {before} -> {now}")
        seen[key] = now

    def desk(self, name: str, cursors: dict[str, int], server_versions: dict[Key, int]) -> None:
        """A desk's cursors (from its description) and the server versions its rows carry (`desk_rows`)."""
        self.observations += 1
        for scope, cursor in cursors.items():
            self._check(self.cursors, (name, scope), cursor, "desk cursor")
        for key, version in server_versions.items():
            self._check(self.desk_versions, (name, key), version, "desk's server version of")

    def server(self, scope_seqs: dict[str, int], rows: Rows) -> None:
        """The server's scope sequences (`server_seqs`) and the version of each row (`server_rows`)."""
        self.observations += 1
        for scope, seq in scope_seqs.items():
            self._check(self.scope_seqs, scope, seq, "server last_seq of")
        for key, row in rows.items():
            self._check(self.server_versions, key, int(row["version"]), "server version of")

    def observe(self, db: Path, desks: dict[str, dict[str, Any]]) -> None:
        """One observation of a settled run: the server and every desk (name -> desk_runner description)."""
        scopes = sorted({scope for desk in desks.values() for scope in desk["cursors"]})
        server: Rows = {}
        for scope in scopes:
            server.update(server_rows(db, scope))
        self.server(server_seqs(db), server)
        for name, desk in desks.items():
            versions: dict[Key, int] = {}
            for scope in desk["cursors"]:
                versions.update(desk_rows(Path(desk["store"]), scope).server_versions)
            self.desk(name, desk["cursors"], versions)


def server_seqs(db: Path) -> dict[str, int]:
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)) as connection:
        return {scope: int(seq) for scope, seq in connection.execute("SELECT scope, last_seq FROM scope_state")}


def ledger(db: Path, client_id: str) -> list[tuple[str, int, dict[str, Any]]]:
    """(mutation_id, seq, result) of every mutation the server recorded from one desk, in seq order."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)) as connection:
        return [
            (mid, seq, json.loads(result) if isinstance(result, str) else result)
            for mid, seq, result in connection.execute(
                "SELECT mutation_id, seq, result FROM mutation_ledger WHERE client_id = ? ORDER BY seq", (client_id,))
        ]
