"""补充材料/信息 withdrawn as asked by mistake (domain.info_requests.WITHDRAWN): who withdrew it, when and why.

No request was withdrawn before this revision, so the efficiency facts stay as they are.

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-08 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("info_request") as batch:
        batch.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("withdrawn_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("withdrawn_reason", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("info_request") as batch:
        batch.drop_column("withdrawn_reason")
        batch.drop_column("withdrawn_by")
        batch.drop_column("withdrawn_at")
