"""How many customers each common trigram occurs in, so a search can MATCH only a query's rarest trigrams.

Read from the FTS index through `customer_fts_vocab` (about 2 s per million customers) and kept in the
`search_trigram` table; refreshed when the customer table has grown by a quarter since the last count.
Stale counts only make a search pick less selective trigrams; results are always verified exactly.
"""

from __future__ import annotations

from typing import Any

Db = Any  # a sqlcipher3 DB-API connection

COMMON_TERM_DOCS = 100  # rarer trigrams are not stored: any of them is selective enough
MIN_CUSTOMERS = 5_000  # below this every search is fast without statistics
GROWTH = 1.25
MARKER = "search_stats_rowid"  # meta key: the highest customer rowid when the counts were taken

_TOP = "SELECT coalesce(max(search_rowid), 0) FROM customer"
_MARKER_READ = "SELECT value FROM meta WHERE key = ?"
_MARKER_WRITE = "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"


def marker(db: Db) -> str | None:
    row = db.execute(_MARKER_READ, (MARKER,)).fetchone()
    return row[0] if row is not None else None


def refresh(db: Db) -> None:
    """Recount the common trigrams (inside the caller's write transaction)."""
    db.execute("DELETE FROM search_trigram")
    db.execute(
        "INSERT INTO search_trigram (term, docs) SELECT term, doc FROM customer_fts_vocab WHERE doc >= ?",
        (COMMON_TERM_DOCS,),
    )
    db.execute(_MARKER_WRITE, (MARKER, str(db.execute(_TOP).fetchone()[0])))


def refresh_if_grown(db: Db) -> bool:
    top = int(db.execute(_TOP).fetchone()[0])
    counted = int(marker(db) or 0)
    if top < MIN_CUSTOMERS or top <= counted * GROWTH:
        return False
    refresh(db)
    return True


def load(db: Db) -> dict[str, int]:
    return dict(db.execute("SELECT term, docs FROM search_trigram").fetchall())
