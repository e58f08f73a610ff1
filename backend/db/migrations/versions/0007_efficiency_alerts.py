"""efficiency monitor: anomaly rules per office and the alerts they raise

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 06:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "anomaly_rule",
        sa.Column("office_id", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("office_id", "code", name=op.f("pk_anomaly_rule")),
    )
    op.create_table(
        "efficiency_alert",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("office_id", sa.String(length=64), nullable=False),
        sa.Column("rule_code", sa.String(length=64), nullable=False),
        sa.Column("indicator", sa.String(length=64), nullable=False),
        sa.Column("slice", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("ticket_ids", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("open_key", sa.String(length=200), nullable=True),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=64), nullable=True),
        sa.Column("acknowledge_note", sa.String(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(length=64), nullable=True),
        sa.Column("resolve_note", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_efficiency_alert")),
    )
    op.create_index(op.f("ix_efficiency_alert_office_id"), "efficiency_alert", ["office_id"], unique=False)
    op.create_index("uq_efficiency_alert_open", "efficiency_alert", ["office_id", "open_key"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_efficiency_alert_open", table_name="efficiency_alert")
    op.drop_index(op.f("ix_efficiency_alert_office_id"), table_name="efficiency_alert")
    op.drop_table("efficiency_alert")
    op.drop_table("anomaly_rule")
