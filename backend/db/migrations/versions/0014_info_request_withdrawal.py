"""Issue 15's last pieces: a 补充材料/信息 request withdrawn as asked by mistake (who, when, why); a customer rating's
source (`evaluation.channel`: "app" when the customer rated in the app); and two measures of the efficiency facts,
`app_rated` and `trips_avoided` (客户少跑次数, domain.indicators.trips_avoided).

No request could be withdrawn and no rating came from the app before this revision, so `app_rated` starts at 0.
`trips_avoided` is what `rebuild-efficiency` would compute: for each ticket (its stored contribution in
efficiency_ticket), 1 if accepted on the app or WeChat, plus its requests to another department (the
`department_requests` of its contribution), plus its survey assignments done remotely; on the ticket's acceptance
key (the one with `accepted`), in its contribution and in the sums.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08 01:00:00
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

NEW_MEASURES = ("app_rated", "trips_avoided")
ONLINE_CHANNELS = ("app", "wechat")  # a copy of domain.indicators.ONLINE_CHANNELS
_CHUNK = 1000


def upgrade() -> None:
    with op.batch_alter_table("info_request") as batch:
        batch.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("withdrawn_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("withdrawn_reason", sa.String(), nullable=True))
    with op.batch_alter_table("evaluation") as batch:
        batch.add_column(sa.Column("channel", sa.String(length=16), nullable=True))
    with op.batch_alter_table("efficiency_fact") as batch:
        for name in NEW_MEASURES:
            batch.add_column(sa.Column(name, sa.BigInteger(), server_default="0", nullable=False))
    _count_trips_avoided()


def _count_trips_avoided() -> None:
    bind = op.get_bind()
    surveys = sa.table("survey_assignment", sa.column("ticket_id", sa.String()), sa.column("mode", sa.String()),
                       sa.column("state", sa.String()))
    remote = Counter({ticket_id: int(n) for ticket_id, n in bind.execute(
        sa.select(surveys.c.ticket_id, sa.func.count())
        .where(surveys.c.mode == "remote", surveys.c.state == "done").group_by(surveys.c.ticket_id))})
    snapshots = sa.table("efficiency_ticket", sa.column("ticket_id", sa.String()), sa.column("facts", sa.JSON()))
    facts = sa.table("efficiency_fact", *(sa.column(name, sa.String()) for name in
                                          ("office_id", "department", "stage_code", "type_code", "channel")),
                     sa.column("day", sa.Date()), sa.column("trips_avoided", sa.BigInteger()))
    sums: Counter[tuple[Any, ...]] = Counter()
    last = ""
    while True:
        rows = list(bind.execute(sa.select(snapshots.c.ticket_id, snapshots.c.facts)
                                 .where(snapshots.c.ticket_id > last).order_by(snapshots.c.ticket_id).limit(_CHUNK)))
        if not rows:
            break
        for ticket_id, stored in rows:
            entries = [list(entry) for entry in stored or []]
            accepted = next((entry for entry in entries if entry[6].get("accepted")), None)
            if accepted is None:
                continue
            trips = (int(accepted[4] in ONLINE_CHANNELS) + remote.get(ticket_id, 0)
                     + sum(int(entry[6].get("department_requests", 0)) for entry in entries))
            if trips:
                accepted[6] = dict(sorted({**accepted[6], "trips_avoided": trips}.items()))
                bind.execute(snapshots.update().where(snapshots.c.ticket_id == ticket_id).values(facts=entries))
                sums[tuple(accepted[:6])] += trips
        last = rows[-1][0]
    for (office_id, department, stage_code, type_code, channel, day), trips in sorted(sums.items()):
        bind.execute(facts.update().where(
            facts.c.office_id == office_id, facts.c.department == department, facts.c.stage_code == stage_code,
            facts.c.type_code == type_code, facts.c.channel == channel, facts.c.day == date.fromisoformat(day),
        ).values(trips_avoided=facts.c.trips_avoided + trips))


def downgrade() -> None:
    with op.batch_alter_table("efficiency_fact") as batch:
        for name in reversed(NEW_MEASURES):
            batch.drop_column(name)
    with op.batch_alter_table("evaluation") as batch:
        batch.drop_column("channel")
    with op.batch_alter_table("info_request") as batch:
        batch.drop_column("withdrawn_reason")
        batch.drop_column("withdrawn_by")
        batch.drop_column("withdrawn_at")
