"""the customer's notice of a power-quality warning: its SMS template (docs/power-quality.md)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08 01:00:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# The words are data: an office changes the row, not the code ({point} {limit} {number} only).
PQ_WARNING = ("尊敬的客户：贵单位{point}的电能质量监测显示未满足限值（{limit}），我公司已主动启动电能质量治理，"
              "工单编号{number}，客户经理将尽快与您联系。咨询请拨打95598。")


def upgrade() -> None:
    templates = sa.table("message_template", sa.column("code", sa.String), sa.column("channel", sa.String),
                         sa.column("body", sa.String), sa.column("updated_at", sa.DateTime(timezone=True)))
    op.bulk_insert(templates, [{"code": "pq_warning", "channel": "sms", "body": PQ_WARNING,
                                "updated_at": datetime(2026, 12, 8, tzinfo=UTC)}])


def downgrade() -> None:
    op.execute("DELETE FROM message_template WHERE code = 'pq_warning'")
