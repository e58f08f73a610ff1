"""补充材料/信息 withdrawn as asked by mistake (domain.info_requests.WITHDRAWN): the `info_request` table gets who
withdrew a request, when and why; a customer rating's source (`evaluation.channel`, "app" when the customer rated in
the app). Idempotent: a column already there is left alone.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision: str | None = "0012"
branch_labels = None
depends_on = None

COLUMNS = {"info_request": ("withdrawn_at", "withdrawn_by", "withdrawn_reason"), "evaluation": ("channel",)}


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for table, names in COLUMNS.items():
        present = {column["name"] for column in inspector.get_columns(table)}
        for name in names:
            if name not in present:
                op.execute(f"ALTER TABLE {table} ADD COLUMN {name} TEXT")


def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded; a newer store needs a newer app")
