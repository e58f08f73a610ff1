"""Indexes for the ticket queue: filter by office/state/type, sort by deadline or acceptance time.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_ticket_office_state_due", "ticket", ["office_id", "state", "due_at"])
    op.create_index("ix_ticket_state_due", "ticket", ["state", "due_at"])
    op.create_index("ix_ticket_type_code", "ticket", ["type_code", "accepted_at"])


def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded; a newer store needs a newer app")
