"""补充材料/信息 as a synced record (domain.info_requests), and the efficiency facts that count it:
`asked_again` (材料重复索要), `stages_shared` (信息共享质量), `customer_requests`, `department_requests`.

Before this revision no request could be recorded, so every stage done so far was done on what was shared:
the sums and each ticket's stored contribution get `stages_shared = stages_done`, exactly what
`rebuild-efficiency` would compute, and the incremental upkeep goes on from a consistent start.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 17:30:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

NEW_MEASURES = ("asked_again", "stages_shared", "customer_requests", "department_requests")  # a copy
_CHUNK = 1000


def upgrade() -> None:
    op.create_table(
        "info_request",
        sa.Column("ticket_id", sa.String(length=64), nullable=False),
        sa.Column("stage_task_id", sa.String(length=64), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=False),
        sa.Column("addressee", sa.String(length=16), nullable=False),
        sa.Column("to_department", sa.String(length=32), nullable=True),
        sa.Column("materials", sa.JSON(), nullable=False),
        sa.Column("detail", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("met_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("met_by", sa.String(length=64), nullable=True),
        sa.Column("met_note", sa.String(), nullable=True),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("office_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_info_request")),
    )
    op.create_index(op.f("ix_info_request_office_id"), "info_request", ["office_id"], unique=False)
    op.create_index(op.f("ix_info_request_ticket_id"), "info_request", ["ticket_id"], unique=False)
    with op.batch_alter_table("efficiency_fact") as batch:
        for name in NEW_MEASURES:
            batch.add_column(sa.Column(name, sa.BigInteger(), server_default="0", nullable=False))
    op.execute("UPDATE efficiency_fact SET stages_shared = stages_done")
    _share_stored_contributions()


def _share_stored_contributions() -> None:
    """Each ticket's stored contribution (efficiency_ticket.facts: [office, department, stage, type, channel,
    day, {measure: n}] per key) with stages_shared = stages_done, as the sums."""
    bind = op.get_bind()
    snapshots = sa.table("efficiency_ticket", sa.column("ticket_id", sa.String()), sa.column("facts", sa.JSON()))
    last = ""
    while True:
        rows = list(bind.execute(sa.select(snapshots.c.ticket_id, snapshots.c.facts)
                                 .where(snapshots.c.ticket_id > last).order_by(snapshots.c.ticket_id).limit(_CHUNK)))
        if not rows:
            return
        for ticket_id, facts in rows:
            changed = False
            shared: list[Any] = []
            for entry in facts or []:
                measures = dict(entry[6])
                done = measures.get("stages_done", 0)
                if done and "stages_shared" not in measures:
                    measures["stages_shared"] = done
                    changed = True
                shared.append([*entry[:6], dict(sorted(measures.items()))])
            if changed:
                bind.execute(snapshots.update().where(snapshots.c.ticket_id == ticket_id).values(facts=shared))
        last = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("efficiency_fact") as batch:
        for name in reversed(NEW_MEASURES):
            batch.drop_column(name)
    op.drop_index(op.f("ix_info_request_ticket_id"), table_name="info_request")
    op.drop_index(op.f("ix_info_request_office_id"), table_name="info_request")
    op.drop_table("info_request")
