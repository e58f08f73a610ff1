"""Coordination meetings and their 督办 actions as synced records (docs/coordination.md): the `meeting` and
`supervision_action` tables. Idempotent: a store that already has them is left alone.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision: str | None = "0007"
branch_labels = None
depends_on = None

STATEMENTS = [
    "CREATE TABLE IF NOT EXISTS meeting ( id TEXT NOT NULL, office_id TEXT NOT NULL, version INTEGER, "
    "updated_at TEXT, meeting_kind TEXT, held_on TEXT NOT NULL, title TEXT, items TEXT, decisions TEXT, "
    "chair_id TEXT, created_at TEXT NOT NULL, server_version INTEGER, PRIMARY KEY (id) )",
    "CREATE INDEX IF NOT EXISTS ix_meeting_office_id ON meeting (office_id)",
    "CREATE TABLE IF NOT EXISTS supervision_action ( id TEXT NOT NULL, office_id TEXT NOT NULL, version INTEGER, "
    "updated_at TEXT, meeting_id TEXT, title TEXT NOT NULL, detail TEXT, department TEXT NOT NULL, "
    "due_on TEXT NOT NULL, state TEXT, source TEXT, ticket_ids TEXT, created_by TEXT, created_at TEXT NOT NULL, "
    "result TEXT, reason TEXT, closed_at TEXT, closed_by TEXT, reminded_at TEXT, server_version INTEGER, "
    "PRIMARY KEY (id) )",
    "CREATE INDEX IF NOT EXISTS ix_supervision_action_office_id ON supervision_action (office_id)",
    # 我的督办 reads a department's actions by state and due day; the tracking list an office's by state.
    "CREATE INDEX IF NOT EXISTS ix_supervision_action_department ON supervision_action (department, state, due_on)",
    "CREATE INDEX IF NOT EXISTS ix_supervision_action_meeting_id ON supervision_action (meeting_id)",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded; a newer store needs a newer app")
