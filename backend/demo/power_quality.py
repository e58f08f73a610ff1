"""The demo's important customers under power-quality monitoring (docs/power-quality.md): two monitoring
points in the first county, two days of 10-minute intervals up to the demo's clock. One of them, a 10 kV
supply, has had its voltage THD above the standard's 4.0 % for the last hour: the server's own judgement
opens the warning and its 主动服务 governance ticket (监测诊断 open for 运检), as live data would."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from backend import power_quality as ingestion
from backend.db.engine import Database
from backend.settings import Settings
from domain import power_quality as pq

DAYS = 2
TROUBLED_SLOTS = 6  # the last hour


def seed_power_quality(database: Database, data: Any, now: datetime, url: str) -> int:
    """Register the points and ingest their intervals; returns how many intervals were stored."""
    office = data.offices[0]
    important = [a for a in data.accounts if a.office_id == office.id and a.important][:2]
    if not important:
        return 0
    rng = random.Random(2026)
    end = now.replace(minute=now.minute - now.minute % pq.INTERVAL_MINUTES, second=0, microsecond=0)
    slots = DAYS * 24 * 6
    stored = 0
    for n, account in enumerate(important):
        point = pq.MonitoringPoint(f"pq-demo-{n + 1}", account.customer_id, 10.0, 3)
        ingestion.register_point(database, point, office_id=office.id, name=f"{account.account_no} 10kV进线",
                                 account_id=account.id, account_manager_id=None, now=now)
        troubled = n == 0
        intervals = []
        for slot in range(slots):
            start = end - timedelta(minutes=pq.INTERVAL_MINUTES * (slots - 1 - slot))
            late = troubled and slot >= slots - TROUBLED_SLOTS
            thd = 4.3 + rng.random() * 0.6 if late else 1.6 + rng.random() * 0.9
            intervals.append(pq.Interval(
                point.id, start, voltage_deviation=tuple(round(rng.gauss(0.5, 1.2), 2) for _ in range(3)),
                thd=round(thd, 2), harmonics={5: round(thd * 0.72, 2), 7: round(thd * 0.41, 2), 11: 0.3, 4: 0.2},
                unbalance=round(0.5 + rng.random() * 0.6, 2), pst=round(0.3 + rng.random() * 0.3, 2),
                plt=round(0.3 + rng.random() * 0.2, 2), frequency_deviation=round(rng.gauss(0, 0.03), 3)))
        stored += ingestion.ingest(database, intervals, now, Settings(db_url=url)).stored
    return stored
