"""Customer notifications as synced records: the `notification` table (the desk's SMS requests and the
server's delivery state). Idempotent: a store that already has the table is left alone.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision: str | None = "0006"
branch_labels = None
depends_on = None

STATEMENTS = [
    "CREATE TABLE IF NOT EXISTS notification ( id TEXT NOT NULL, office_id TEXT NOT NULL, version INTEGER, "
    "updated_at TEXT, ticket_id TEXT NOT NULL, customer_id TEXT, channel TEXT, template TEXT, phone TEXT NOT NULL, "
    "state TEXT, reason TEXT, staff_id TEXT, requested_at TEXT NOT NULL, sent_at TEXT, attempts INTEGER, "
    "server_version INTEGER, PRIMARY KEY (id) )",
    "CREATE INDEX IF NOT EXISTS ix_notification_office_id ON notification (office_id)",
    "CREATE INDEX IF NOT EXISTS ix_notification_ticket_id ON notification (ticket_id)",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded; a newer store needs a newer app")
