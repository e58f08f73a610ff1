"""The grid and outage events as synced records (docs/outage.md): the `grid_device` and `outage_event` tables,
each account's 台区 and important-customer flag, and the outage a call was linked to. Idempotent: a store that already has them is left alone.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0009"
down_revision: str | None = "0008"
branch_labels = None
depends_on = None

STATEMENTS = [
    "CREATE TABLE IF NOT EXISTS grid_device ( id TEXT NOT NULL, office_id TEXT NOT NULL, version INTEGER, "
    "updated_at TEXT, device_kind TEXT NOT NULL, parent_id TEXT, name TEXT NOT NULL, area_class TEXT, "
    "server_version INTEGER, PRIMARY KEY (id) )",
    "CREATE INDEX IF NOT EXISTS ix_grid_device_office_id ON grid_device (office_id)",
    "CREATE INDEX IF NOT EXISTS ix_grid_device_parent_id ON grid_device (parent_id)",
    "CREATE TABLE IF NOT EXISTS outage_event ( id TEXT NOT NULL, office_id TEXT NOT NULL, version INTEGER, "
    "updated_at TEXT, outage_kind TEXT NOT NULL, state TEXT NOT NULL, device_ids TEXT, reason TEXT, "
    "starts_at TEXT NOT NULL, ends_at TEXT, announced_at TEXT, notice_warning TEXT, accounts_affected INTEGER, "
    "important_affected INTEGER, call_count INTEGER, caller_count INTEGER, level TEXT, tasks TEXT, created_by TEXT, "
    "created_at TEXT NOT NULL, confirmed_at TEXT, confirmed_by TEXT, restored_at TEXT, server_version INTEGER, "
    "PRIMARY KEY (id) )",
    "CREATE INDEX IF NOT EXISTS ix_outage_event_office_id ON outage_event (office_id)",
    # The screen pop asks "which live event holds this caller's 台区": an office's events by state.
    "CREATE INDEX IF NOT EXISTS ix_outage_event_office_state ON outage_event (office_id, state)",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)
    present = {row[1] for row in op.get_bind().execute(text("PRAGMA table_info(account)"))}
    if "transformer_id" not in present:
        op.execute("ALTER TABLE account ADD COLUMN transformer_id TEXT")
    if "important" not in present:
        op.execute("ALTER TABLE account ADD COLUMN important BOOLEAN")
    op.execute("CREATE INDEX IF NOT EXISTS ix_account_transformer_id ON account (transformer_id)")
    present = {row[1] for row in op.get_bind().execute(text("PRAGMA table_info(interaction)"))}
    if "outage_event_id" not in present:
        op.execute("ALTER TABLE interaction ADD COLUMN outage_event_id TEXT")
    op.execute("CREATE INDEX IF NOT EXISTS ix_interaction_outage_event_id ON interaction (outage_event_id)")


def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded; a newer store needs a newer app")
