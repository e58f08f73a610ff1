"""The ticket's progress lookup code (domain.progress), made by the desk that accepts the ticket and printed
on its receipt. Idempotent: a store that already has the column is left alone.

Revision ID: 0012
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision: str | None = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("ticket")}
    if "progress_code" not in columns:
        op.execute("ALTER TABLE ticket ADD COLUMN progress_code TEXT")


def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded; a newer store needs a newer app")
