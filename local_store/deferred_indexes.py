"""Secondary indexes a long pull builds once, sorted, instead of row by row.

A fresh desk's first pull writes a whole office into empty tables: a million customers at a large county. Kept
up row by row, the name, ID-number and phone indexes each take a random page per row, and every page's commit
wrote those pages to the WAL again (a checkpoint then copied them back): most of a long pull went there, and on
a loaded machine most of that was waiting for the disk. So when a long pull starts, the non-unique indexes of
the tables it finds empty are dropped, their definitions kept in `meta` in the same transaction, and the pull's
last page builds them again (one sort each) in its own transaction, before its cursor says the pull is done.
A desk that stops in between (killed, signed out, a page refused) builds whatever is missing at its next last
page or when the store next opens (`restore`). Unique indexes stay: a page looks its rows up by id.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Db = Any  # a sqlcipher3 DB-API connection inside the caller's write transaction

_KEY = "deferred_index:"  # meta key prefix: deferred_index:<name> -> the CREATE INDEX statement
_META_SET = "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
_DEFERRED = "SELECT key, value FROM meta WHERE key >= ? AND key < ? ORDER BY key"


def defer(db: Db, tables: Iterable[str]) -> list[str]:
    """Drop the non-unique indexes of those of `tables` that hold no row; their names."""
    dropped: list[str] = []
    for table in tables:
        if db.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is not None:
            continue
        indexes = db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            (table,),
        ).fetchall()
        for name, sql in indexes:
            if sql.lstrip().upper().startswith("CREATE UNIQUE"):
                continue
            db.execute(_META_SET, (_KEY + name, sql))
            db.execute(f'DROP INDEX "{name}"')
            dropped.append(name)
    return dropped


def pending(db: Db) -> list[str]:
    """The names of the indexes dropped and not yet built again."""
    return [key.removeprefix(_KEY) for key, _ in db.execute(_DEFERRED, (_KEY, _KEY + "\uffff")).fetchall()]


def restore(db: Db) -> int:
    """Build every deferred index again; how many were built."""
    deferred = db.execute(_DEFERRED, (_KEY, _KEY + "\uffff")).fetchall()
    for key, sql in deferred:
        db.execute(sql)
        db.execute("DELETE FROM meta WHERE key = ?", (key,))
    return len(deferred)
