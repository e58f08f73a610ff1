"""coordination meetings and their 督办 actions as synced records (docs/coordination.md)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 14:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
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
        "meeting",
        sa.Column("meeting_kind", sa.String(length=16), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("decisions", sa.String(), nullable=False),
        sa.Column("chair_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *_common(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
    )
    op.create_index(op.f("ix_meeting_office_id"), "meeting", ["office_id"], unique=False)
    op.create_table(
        "supervision_action",
        sa.Column("meeting_id", sa.String(length=64), nullable=True),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("detail", sa.String(), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("source", sa.JSON(), nullable=False),
        sa.Column("ticket_ids", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result", sa.String(), nullable=True),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=64), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        *_common(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_action")),
    )
    op.create_index(op.f("ix_supervision_action_office_id"), "supervision_action", ["office_id"], unique=False)
    op.create_index(op.f("ix_supervision_action_meeting_id"), "supervision_action", ["meeting_id"], unique=False)
    op.create_index("ix_supervision_action_state_due", "supervision_action", ["state", "due_on"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_supervision_action_state_due", table_name="supervision_action")
    op.drop_index(op.f("ix_supervision_action_meeting_id"), table_name="supervision_action")
    op.drop_index(op.f("ix_supervision_action_office_id"), table_name="supervision_action")
    op.drop_table("supervision_action")
    op.drop_index(op.f("ix_meeting_office_id"), table_name="meeting")
    op.drop_table("meeting")
