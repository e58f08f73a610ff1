"""an index on ticket (type_code, accepted_at): 故障研判 reads the last half hour's repair calls every few
seconds (backend/outage_prediction.py), which was a scan of the whole ticket table

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08 01:10:00
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_ticket_type_accepted", "ticket", ["type_code", "accepted_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_ticket_type_accepted", table_name="ticket")
