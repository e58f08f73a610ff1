"""Attachments become synced records: the `attachment` table takes the entity shape (version, server_version).

Rows stored by 0004 never reached the server: each gets its `create` in the outbox (and the empty shadow of a
row the server has not seen), so the metadata travels ahead of its bytes like every new attachment's does.
The upload queue (`attachment_queue`) is kept as it is. Idempotent: a store already in the new shape is left alone.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from datetime import UTC, datetime

import uuid6
from alembic import op
from sqlalchemy import Connection, text

from local_store.replay import enqueue

revision = "0005"
down_revision: str | None = "0004"
branch_labels = None
depends_on = None

_COLUMNS = ("id", "office_id", "ticket_id", "sha256", "filename", "media_type", "size", "created_at", "created_by")
CREATE = (
    "CREATE TABLE attachment ( id TEXT NOT NULL, office_id TEXT NOT NULL, version INTEGER, updated_at TEXT, "
    "ticket_id TEXT NOT NULL, sha256 TEXT NOT NULL, filename TEXT NOT NULL, media_type TEXT NOT NULL, "
    "size INTEGER NOT NULL, created_at TEXT NOT NULL, created_by TEXT, uploaded BOOLEAN, server_version INTEGER, "
    "PRIMARY KEY (id) )"
)
INDEXES = [
    "CREATE INDEX IF NOT EXISTS ix_attachment_office_id ON attachment (office_id)",
    "CREATE INDEX IF NOT EXISTS ix_attachment_ticket_id ON attachment (ticket_id)",
    "CREATE INDEX IF NOT EXISTS ix_attachment_sha256 ON attachment (sha256)",
]


def _client_id(bind: Connection) -> str:
    found = bind.execute(text("SELECT value FROM meta WHERE key = 'client_id'")).fetchone()
    if found is not None:
        return str(found[0])
    client_id = str(uuid6.uuid7())  # the store would create it on open anyway; the outbox needs it now
    bind.execute(text("INSERT INTO meta (key, value) VALUES ('client_id', :value)"), {"value": client_id})
    return client_id


def upgrade() -> None:
    bind = op.get_bind()
    present = {row[1] for row in bind.execute(text("PRAGMA table_info(attachment)"))}
    if "server_version" not in present:
        old = [dict(zip(_COLUMNS, row, strict=True)) for row in bind.execute(
            text(f"SELECT {', '.join(_COLUMNS)} FROM attachment ORDER BY created_at, id"))] if present else []
        if present:
            op.execute("DROP TABLE attachment")
        op.execute(CREATE)
        client_id = _client_id(bind) if old else ""
        now = datetime.now(UTC)
        for row in old:
            bind.execute(text(
                f"INSERT INTO attachment ({', '.join(_COLUMNS)}, version, uploaded, server_version)"
                f" VALUES ({', '.join(':' + name for name in _COLUMNS)}, 0, 0, NULL)"), row)
            bind.execute(text("INSERT INTO server_shadow (entity, entity_id, version, data) VALUES"
                              " ('attachment', :id, NULL, NULL) ON CONFLICT (entity, entity_id) DO NOTHING"),
                         {"id": row["id"]})
            enqueue(bind, client_id=client_id, now=now, entity="attachment", entity_id=row["id"], op="create",
                    fields={**row, "uploaded": False})
    for statement in INDEXES:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded; a newer store needs a newer app")
