"""Running scope checksums, trigram statistics for search, FTS rows added in batches instead of per row.

Idempotent: a store rewound to an older revision by hand can run it again.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None

COMMON_TERM_DOCS = 100  # the same threshold as local_store.search_stats at the time of writing

STATEMENTS = [
    "CREATE TABLE IF NOT EXISTS search_trigram ( term TEXT NOT NULL, docs INTEGER NOT NULL, PRIMARY KEY (term) )",
    "CREATE VIRTUAL TABLE IF NOT EXISTS customer_fts_vocab USING fts5vocab(customer_fts, 'row')",
    "DROP TRIGGER IF EXISTS customer_fts_insert",
    "DROP TRIGGER IF EXISTS customer_fts_update",
    "CREATE TRIGGER customer_fts_update AFTER UPDATE OF name, address ON customer "
    "WHEN old.name IS NOT new.name OR old.address IS NOT new.address BEGIN "
    "INSERT INTO customer_fts(customer_fts, rowid, name, address) "
    "VALUES ('delete', old.search_rowid, old.name, old.address); "
    "INSERT INTO customer_fts(rowid, name, address) VALUES (new.search_rowid, new.name, new.address); END",
    "DELETE FROM search_trigram",
    f"INSERT INTO search_trigram (term, docs) SELECT term, doc FROM customer_fts_vocab WHERE doc >= {COMMON_TERM_DOCS}",
]


def upgrade() -> None:
    bind = op.get_bind()
    present = {row[1] for row in bind.execute(text("PRAGMA table_info(sync_scope)"))}
    for name, kind in (("local_checksum", "TEXT"), ("local_count", "INTEGER")):
        if name not in present:
            op.execute(f"ALTER TABLE sync_scope ADD COLUMN {name} {kind}")
    for statement in STATEMENTS:
        op.execute(statement)
    top = bind.execute(text("SELECT coalesce(max(search_rowid), 0) FROM customer")).scalar()
    op.execute(text("INSERT OR REPLACE INTO meta (key, value) VALUES ('search_stats_rowid', :top)").bindparams(
        top=str(top)))


def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded; a newer store needs a newer app")
