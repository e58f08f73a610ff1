"""Which queued changes one person's session may deliver (docs/authorship.md).

Theirs and unattributed ones (queued by an older version), oldest first — except a change that must not
overtake another person's still-queued change: one of a row that person changed first, or one whose fields
name such a row (a visit recorded for a customer someone else created offline). A change held back holds
back, in turn, the later changes of its own row and those naming it.
"""

from __future__ import annotations

import json

from local_store.replay import Db

_OTHERS_WAIT = "SELECT 1 FROM outbox WHERE author IS NOT NULL AND author <> ? LIMIT 1"
# Unindexable author test on purpose: SQLite walks the outbox in seq order and stops at the limit.
_OWN = "SELECT mutation FROM outbox WHERE coalesce(author, :author) = :author ORDER BY seq LIMIT :limit"
_EVERYONE = "SELECT author, entity_id, mutation FROM outbox ORDER BY seq"


def deliverable(db: Db, author: str, limit: int | None) -> list[str]:
    """The stored mutation JSON of what `author`'s session may push now, oldest first, at most `limit`."""
    if db.execute(_OTHERS_WAIT, (author,)).fetchone() is None:  # the usual case: nobody else's changes wait
        return [text for (text,) in db.execute(_OWN, {"author": author, "limit": -1 if limit is None else limit})]
    held: set[str] = set()  # ids of rows with a change that waits for another person's session
    found: list[str] = []
    for row_author, entity_id, text in db.execute(_EVERYONE):
        theirs = row_author is not None and row_author != author
        if theirs or (held and (entity_id in held or _names_any(text, held))):
            held.add(entity_id)
            continue
        found.append(text)
        if limit is not None and len(found) >= limit:
            break
    return found


def _names_any(text: str, ids: set[str]) -> bool:
    """Does a field of this mutation hold one of `ids` (a reference to that row)?"""
    fields = json.loads(text).get("fields") or {}
    return any(isinstance(value, str) and value in ids for value in fields.values())
