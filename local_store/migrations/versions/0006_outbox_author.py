"""The outbox names each change's author (docs/authorship.md): the staff id of who saved it.

Rows queued before carry the author their mutation names, if any; the rest stay NULL ("not recorded"),
which the sync engine delivers under the next session as the older version did. Idempotent: a store
rewound to an older revision by hand can run it again.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0006"
down_revision: str | None = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    present = {row[1] for row in bind.execute(text("PRAGMA table_info(outbox)"))}
    if "author" not in present:
        op.execute("ALTER TABLE outbox ADD COLUMN author TEXT")
    op.execute("UPDATE outbox SET author = json_extract(mutation, '$.author') WHERE author IS NULL")
    op.execute("CREATE INDEX IF NOT EXISTS ix_outbox_author ON outbox (author, seq)")


def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded; a newer store needs a newer app")
