"""the grid (feeder → branch switch → 台区), each account's 台区, outage events and the calls linked to them
(docs/outage.md)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _common() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("office_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "grid_device",
        sa.Column("device_kind", sa.String(length=16), nullable=False),
        sa.Column("parent_id", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("area_class", sa.String(length=16), nullable=False),
        *_common(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grid_device")),
    )
    op.create_index(op.f("ix_grid_device_office_id"), "grid_device", ["office_id"], unique=False)
    op.create_index(op.f("ix_grid_device_parent_id"), "grid_device", ["parent_id"], unique=False)
    op.create_table(
        "outage_event",
        sa.Column("outage_kind", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("device_ids", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("announced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notice_warning", sa.String(), nullable=True),
        sa.Column("accounts_affected", sa.Integer(), nullable=False),
        sa.Column("important_affected", sa.Integer(), nullable=False),
        sa.Column("call_count", sa.Integer(), nullable=False),
        sa.Column("caller_count", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=True),
        sa.Column("tasks", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by", sa.String(length=64), nullable=True),
        sa.Column("restored_at", sa.DateTime(timezone=True), nullable=True),
        *_common(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outage_event")),
    )
    op.create_index(op.f("ix_outage_event_office_id"), "outage_event", ["office_id"], unique=False)
    op.create_index("ix_outage_event_office_state", "outage_event", ["office_id", "state"], unique=False)
    with op.batch_alter_table("account") as batch:
        batch.add_column(sa.Column("transformer_id", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("important", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index(op.f("ix_account_transformer_id"), "account", ["transformer_id"], unique=False)
    with op.batch_alter_table("interaction") as batch:
        batch.add_column(sa.Column("outage_event_id", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_interaction_outage_event_id"), "interaction", ["outage_event_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_interaction_outage_event_id"), table_name="interaction")
    with op.batch_alter_table("interaction") as batch:
        batch.drop_column("outage_event_id")
    op.drop_index(op.f("ix_account_transformer_id"), table_name="account")
    with op.batch_alter_table("account") as batch:
        batch.drop_column("important")
        batch.drop_column("transformer_id")
    op.drop_index("ix_outage_event_office_state", table_name="outage_event")
    op.drop_index(op.f("ix_outage_event_office_id"), table_name="outage_event")
    op.drop_table("outage_event")
    op.drop_index(op.f("ix_grid_device_parent_id"), table_name="grid_device")
    op.drop_index(op.f("ix_grid_device_office_id"), table_name="grid_device")
    op.drop_table("grid_device")
