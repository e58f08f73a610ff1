"""surveyor roster and leave, survey request details and outcome, evaluations, dispatch locks, SMS codes, presence

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing rows get the record defaults (domain.records), so NOT NULL columns need a server default.
    with op.batch_alter_table("surveyor", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shift_start", sa.Time(), nullable=False, server_default="08:30:00"))
        batch_op.add_column(sa.Column("shift_end", sa.Time(), nullable=False, server_default="17:30:00"))
        batch_op.add_column(sa.Column("work_days", sa.JSON(), nullable=False, server_default="[0, 1, 2, 3, 4]"))
        batch_op.add_column(sa.Column("leave", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("speed_kmh", sa.Double(), nullable=False, server_default="30.0"))

    with op.batch_alter_table("survey_assignment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("customer_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("location_x_km", sa.Double(), nullable=True))
        batch_op.add_column(sa.Column("location_y_km", sa.Double(), nullable=True))
        batch_op.add_column(sa.Column("duration_minutes", sa.Integer(), nullable=False, server_default="60"))
        batch_op.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("window_start", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("window_end", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("urgency", sa.String(length=16), nullable=False, server_default="normal"))
        batch_op.add_column(sa.Column("outcome", sa.JSON(), nullable=False, server_default="{}"))

    op.create_table(
        "evaluation",
        sa.Column("ticket_id", sa.String(length=64), nullable=False),
        sa.Column("evaluator", sa.String(length=16), nullable=False),
        sa.Column("from_department", sa.String(length=32), nullable=True),
        sa.Column("to_department", sa.String(length=32), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.String(), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("office_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation")),
    )
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evaluation_office_id"), ["office_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evaluation_ticket_id"), ["ticket_id"], unique=False)

    op.create_table(
        "dispatch_lock",
        sa.Column("surveyor_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("lock_id", sa.String(length=64), nullable=False),
        sa.Column("office_id", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("surveyor_id", "day", name=op.f("pk_dispatch_lock")),
    )
    with op.batch_alter_table("dispatch_lock", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dispatch_lock_lock_id"), ["lock_id"], unique=False)

    op.create_table(
        "sms_code",
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("spent", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_sms_code")),
    )

    op.create_table(
        "sms_message",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), sa.Identity(always=False), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_message")),
    )
    with op.batch_alter_table("sms_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sms_message_reference"), ["reference"], unique=False)

    op.create_table(
        "presence",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("ticket_id", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.String(length=64), nullable=False),
        sa.Column("activity", sa.String(length=16), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("session_id", "ticket_id", name=op.f("pk_presence")),
    )
    with op.batch_alter_table("presence", schema=None) as batch_op:
        batch_op.create_index("ix_presence_ticket_seen", ["ticket_id", "seen_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("presence", schema=None) as batch_op:
        batch_op.drop_index("ix_presence_ticket_seen")
    op.drop_table("presence")
    with op.batch_alter_table("sms_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sms_message_reference"))
    op.drop_table("sms_message")
    op.drop_table("sms_code")
    with op.batch_alter_table("dispatch_lock", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispatch_lock_lock_id"))
    op.drop_table("dispatch_lock")
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_evaluation_office_id"))
    op.drop_table("evaluation")
    with op.batch_alter_table("survey_assignment", schema=None) as batch_op:
        for name in ("outcome", "urgency", "window_end", "window_start", "due_at", "duration_minutes",
                     "location_y_km", "location_x_km", "customer_id"):
            batch_op.drop_column(name)
    with op.batch_alter_table("surveyor", schema=None) as batch_op:
        for name in ("speed_kmh", "leave", "work_days", "shift_end", "shift_start"):
            batch_op.drop_column(name)
