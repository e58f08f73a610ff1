"""SMS verification codes: a per-customer sending window for the rate limit

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sms_code", schema=None) as batch_op:
        batch_op.add_column(sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("sends_in_window", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("sms_code", schema=None) as batch_op:
        batch_op.drop_column("sends_in_window")
        batch_op.drop_column("window_started_at")
