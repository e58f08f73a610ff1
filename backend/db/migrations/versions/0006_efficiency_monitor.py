"""efficiency monitor: indicator facts and their histograms, observed state changes, per-ticket
contributions, and the offices' evaluation weights

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 06:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

MEASURES = (
    "accepted", "closed", "closed_first_time", "closed_with_limit", "closed_on_time", "reopened",
    "saved_minutes", "rated", "rating_sum", "dissatisfied",
    "stages_done", "stages_with_limit", "stages_on_time", "work_minutes", "returned", "taken",
    "response_minutes", "open_due",
    "lead_rated", "lead_sum", "peer_rated", "peer_sum", "customer_rated", "customer_sum",
)  # a copy: a migration never changes with the code


def _key() -> list[sa.Column[object]]:
    return [
        sa.Column("office_id", sa.String(length=64), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=False),
        sa.Column("stage_code", sa.String(length=64), nullable=False),
        sa.Column("type_code", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "efficiency_fact",
        *_key(),
        *(sa.Column(name, sa.BigInteger(), server_default="0", nullable=False) for name in MEASURES),
        sa.PrimaryKeyConstraint("office_id", "department", "stage_code", "type_code", "channel", "day",
                                name=op.f("pk_efficiency_fact")),
    )
    op.create_index("ix_efficiency_fact_office_day", "efficiency_fact", ["office_id", "day"], unique=False)
    op.create_table(
        "efficiency_hist",
        *_key(),
        sa.Column("bucket", sa.Integer(), nullable=False),
        sa.Column("count", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("office_id", "department", "stage_code", "type_code", "channel", "day", "bucket",
                                name=op.f("pk_efficiency_hist")),
    )
    op.create_table(
        "efficiency_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), sa.Identity(always=False),
                  nullable=False),
        sa.Column("office_id", sa.String(length=64), nullable=False),
        sa.Column("ticket_id", sa.String(length=64), nullable=False),
        sa.Column("stage_task_id", sa.String(length=64), nullable=True),
        sa.Column("from_state", sa.String(length=32), nullable=False),
        sa.Column("to_state", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_efficiency_event")),
    )
    op.create_index(op.f("ix_efficiency_event_ticket_id"), "efficiency_event", ["ticket_id"], unique=False)
    op.create_table(
        "efficiency_ticket",
        sa.Column("ticket_id", sa.String(length=64), nullable=False),
        sa.Column("office_id", sa.String(length=64), nullable=False),
        sa.Column("states", sa.JSON(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_efficiency_ticket")),
    )
    op.create_index(op.f("ix_efficiency_ticket_office_id"), "efficiency_ticket", ["office_id"], unique=False)
    op.create_table(
        "evaluation_weight",
        sa.Column("office_id", sa.String(length=64), nullable=False),
        sa.Column("lead", sa.Float(), nullable=False),
        sa.Column("peer", sa.Float(), nullable=False),
        sa.Column("customer", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("office_id", name=op.f("pk_evaluation_weight")),
    )


def downgrade() -> None:
    op.drop_table("evaluation_weight")
    op.drop_index(op.f("ix_efficiency_ticket_office_id"), table_name="efficiency_ticket")
    op.drop_table("efficiency_ticket")
    op.drop_index(op.f("ix_efficiency_event_ticket_id"), table_name="efficiency_event")
    op.drop_table("efficiency_event")
    op.drop_table("efficiency_hist")
    op.drop_index("ix_efficiency_fact_office_day", table_name="efficiency_fact")
    op.drop_table("efficiency_fact")
