"""the customer's progress lookup: each ticket's lookup code (domain.progress, docs/progress-lookup.md), unique;
tickets accepted before this revision are given one here

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from domain.progress import new_code

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_BATCH = 1000


def upgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("progress_code", sa.String(length=16), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_ticket_progress_code"), ["progress_code"])
    connection = op.get_bind()
    ticket = sa.table("ticket", sa.column("id", sa.String), sa.column("progress_code", sa.String))
    while True:
        ids = list(connection.execute(sa.select(ticket.c.id).where(ticket.c.progress_code.is_(None))
                                      .limit(_BATCH)).scalars())
        if not ids:
            break
        # 59 random bits each: a collision is as likely as none of us ever seeing one; the constraint would say so.
        connection.execute(ticket.update().where(ticket.c.id == sa.bindparam("row_id"))
                           .values(progress_code=sa.bindparam("code")),
                           [{"row_id": row_id, "code": new_code()} for row_id in ids])


def downgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_ticket_progress_code"), type_="unique")
        batch_op.drop_column("progress_code")
