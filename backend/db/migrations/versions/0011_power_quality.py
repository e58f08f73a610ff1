"""power quality of important customers: monitoring points, their 10-minute intervals, warnings
(docs/power-quality.md)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _moment(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "pq_point",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("office_id", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("nominal_kv", sa.Float(), nullable=False),
        sa.Column("phases", sa.SmallInteger(), nullable=False),
        sa.Column("small_system", sa.Boolean(), nullable=False),
        sa.Column("contract", sa.JSON(), nullable=False),
        sa.Column("account_manager_id", sa.String(length=64), nullable=True),
        _moment("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pq_point")),
    )
    op.create_index(op.f("ix_pq_point_office_id"), "pq_point", ["office_id"], unique=False)
    op.create_table(
        "pq_interval",
        sa.Column("point_id", sa.String(length=64), nullable=False),
        _moment("start"),
        *[sa.Column(name, sa.Float(), nullable=True) for name in ("dev_a", "dev_b", "dev_c", "thd")],
        sa.Column("harmonics", sa.JSON(), nullable=True),
        *[sa.Column(name, sa.Float(), nullable=True) for name in ("unbalance", "pst", "plt", "frequency_deviation")],
        sa.Column("sags", sa.JSON(), nullable=True),
        _moment("received_at"),
        sa.PrimaryKeyConstraint("point_id", "start", name=op.f("pk_pq_interval")),
    )
    op.create_table(
        "pq_warning",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("office_id", sa.String(length=64), nullable=False),
        sa.Column("point_id", sa.String(length=64), nullable=False),
        sa.Column("limit_id", sa.String(length=96), nullable=False),
        sa.Column("open_key", sa.String(length=170), nullable=True),
        sa.Column("what", sa.String(length=16), nullable=False),
        sa.Column("worst_value", sa.Float(), nullable=False),
        sa.Column("bound", sa.Float(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("within", sa.Integer(), nullable=False),
        _moment("first_start"),
        _moment("last_start"),
        _moment("opened_at"),
        _moment("closed_at", nullable=True),
        sa.Column("ticket_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pq_warning")),
        sa.UniqueConstraint("open_key", name=op.f("uq_pq_warning_open_key")),
    )
    op.create_index(op.f("ix_pq_warning_office_id"), "pq_warning", ["office_id"], unique=False)
    op.create_index("ix_pq_warning_point", "pq_warning", ["point_id", "opened_at"], unique=False)


def downgrade() -> None:
    op.drop_table("pq_warning")
    op.drop_table("pq_interval")
    op.drop_index(op.f("ix_pq_point_office_id"), table_name="pq_point")
    op.drop_table("pq_point")
