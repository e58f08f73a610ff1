"""补充材料/信息 as a synced record (domain.info_requests): the `info_request` table. Idempotent: a store that
already has it is left alone.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision: str | None = "0009"
branch_labels = None
depends_on = None

STATEMENTS = [
    "CREATE TABLE IF NOT EXISTS info_request ( id TEXT NOT NULL, office_id TEXT NOT NULL, version INTEGER, "
    "updated_at TEXT, ticket_id TEXT NOT NULL, stage_task_id TEXT NOT NULL, department TEXT NOT NULL, "
    "addressee TEXT NOT NULL, to_department TEXT, materials TEXT, detail TEXT, reason TEXT NOT NULL, state TEXT, "
    "requested_by TEXT, requested_at TEXT NOT NULL, met_at TEXT, met_by TEXT, met_note TEXT, server_version INTEGER, "
    "PRIMARY KEY (id) )",
    "CREATE INDEX IF NOT EXISTS ix_info_request_office_id ON info_request (office_id)",
    "CREATE INDEX IF NOT EXISTS ix_info_request_ticket_id ON info_request (ticket_id)",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded; a newer store needs a newer app")
