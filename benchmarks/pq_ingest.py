"""Power-quality ingestion: a year of 10-minute intervals for many points, against a raw insert of the same rows.

    python benchmarks/pq_ingest.py                       # the reference: 200 points × 365 days (≈ 10.5 M rows)
    python benchmarks/pq_ingest.py --points 20 --days 30
    python benchmarks/pq_ingest.py --pg postgresql://USER@HOST:PORT/DB

Generates the intervals (seeded; one point with a harmonics problem in its last hour), then, on two fresh
databases of the same kind (SQLite files, or PostgreSQL databases created and dropped), times batch by batch
in turns (so both meet the same load on a shared machine):
- the floor: the same rows (`backend.power_quality._row`, the stored form) written by a bare `executemany`
  of one prepared INSERT per 5,000 rows, one transaction each;
- the value: `backend.power_quality.ingest` on batches of 5,000 — what `onewindow-server pq-import` and the
  HTTP endpoint run after parsing: each interval checked, stored once, the touched points judged.
Then the last batch of the problem point, sent again as new data after the load, is timed from arrival to
its warning (budget 60 s), and one point's year is read back as the desk's trend would (budget 1 s).
Budget: ingest rate ≥ 0.5 × the floor's. Last line: {"bench", "value", "floor", "ratio", "budget", "ok"}.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from backend import power_quality as ingestion  # noqa: E402
from backend.db.engine import open_database  # noqa: E402
from backend.db.migrate import upgrade  # noqa: E402
from backend.db.power_quality_tables import PqInterval, PqPoint  # noqa: E402
from backend.settings import Settings  # noqa: E402
from backend.store import Writer  # noqa: E402
from domain import power_quality as pq  # noqa: E402
from domain.records import Customer  # noqa: E402

BATCH = ingestion.BATCH_MAX
START = datetime(2025, 12, 1, tzinfo=UTC)
BUDGET_RATIO = 0.5


def intervals(points: int, days: int) -> Iterator[list[pq.Interval]]:
    """Batches of one slot across all points at a time (as a monitoring system sends them), seeded."""
    rng = random.Random(17)
    slots = days * 24 * 6
    batch: list[pq.Interval] = []
    for slot in range(slots):
        start = START + timedelta(minutes=10 * slot)
        daily = math.sin(2 * math.pi * (slot % 144) / 144)
        for p in range(points):
            troubled = p == 0 and slot >= slots - 6  # the problem point's last hour: a harmonics problem
            thd = 4.6 + rng.random() if troubled else 1.5 + daily * 0.4 + rng.random() * 0.6
            batch.append(pq.Interval(
                f"pt-{p:04d}", start,
                voltage_deviation=tuple(round(1.5 * daily + rng.gauss(0, 0.8), 2) for _ in range(3)),
                thd=round(thd, 2), harmonics={5: round(thd * 0.7, 2), 7: round(thd * 0.4, 2), 4: 0.2},
                unbalance=round(0.6 + rng.random() * 0.5, 2), pst=round(0.3 + rng.random() * 0.3, 2),
                plt=round(0.3 + rng.random() * 0.2, 2), frequency_deviation=round(rng.gauss(0, 0.03), 3),
                sags=(pq.Sag(70.0, 120),) if rng.random() < 0.001 else ()))
            if len(batch) == BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def fresh(kind: str, home: Path, admin: str | None, made: list[str]) -> str:
    if kind == "sqlite":
        made.append(f"pq-{len(made)}.db")
        return f"sqlite:///{home / made[-1]}"
    import psycopg

    assert admin is not None
    name = f"ow_pq_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    made.append(name)
    return f"{admin.rsplit('/', 1)[0]}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)


def register(url: str, points: int) -> None:
    """The points and their customers (important customers of one office)."""
    database = open_database(url)
    try:
        with database.write() as session:
            writer = Writer(session, START)
            for p in range(points):
                writer.insert(Customer(id=f"cust-{p}", office_id="bench-office", name=f"重要客户{p}",
                                       customer_class="02", area_class="urban", created_at=START))
            writer.finish()
        for p in range(points):
            ingestion.register_point(database, pq.MonitoringPoint(f"pt-{p:04d}", f"cust-{p}", 10.0, 3),
                                     office_id="bench-office", name=f"point {p}", account_id=None,
                                     account_manager_id=None, now=START)
    finally:
        database.dispose()


def both_rates(floor_url: str, value_url: str, points: int, days: int) -> tuple[float, float, int, int]:
    """Rows per second of the bare inserts and of `ingest`, batch by batch in turns (the machine's load drifts;
    each batch meets the same load on both sides). The floor's rows are made before its clock starts."""
    floor_db, value_db = open_database(floor_url), open_database(value_url)
    table = PqInterval.__table__
    rows = stored = warned = 0
    floor_spent = value_spent = 0.0
    try:
        for batch in intervals(points, days):
            prepared = [ingestion._row(i, START) for i in batch]  # noqa: SLF001 - the stored form, as ingest makes it
            started = time.perf_counter()
            with floor_db.write() as session:
                session.connection().execute(table.insert(), prepared)  # type: ignore[attr-defined]
            floor_spent += time.perf_counter() - started
            started = time.perf_counter()
            done = ingestion.ingest(value_db, batch, START, Settings(db_url=value_url))
            value_spent += time.perf_counter() - started
            rows += len(prepared)
            stored += done.stored
            warned += len(done.warnings)
        return rows / floor_spent, stored / value_spent, rows, warned
    finally:
        floor_db.dispose()
        value_db.dispose()


def warning_after_arrival(url: str) -> float:
    """A new hour of the problem point arrives after the load: seconds until its warning is opened."""
    database = open_database(url)
    try:
        with database.write() as session:  # close what the load opened, so the new data must open it again
            from backend.db.power_quality_tables import PqWarning

            for warning in session.execute(select(PqWarning)).scalars():
                warning.open_key, warning.closed_at = None, START
        late = START + timedelta(days=400)
        batch = [pq.Interval("pt-0000", late + timedelta(minutes=10 * i), thd=5.2) for i in range(6)]
        started = time.perf_counter()
        done = ingestion.ingest(database, batch, late, Settings(db_url=url))
        if not done.warnings:
            raise SystemExit("the new batch raised no warning")
        return time.perf_counter() - started
    finally:
        database.dispose()


def year_read(url: str, days: int) -> float:
    """One point's whole period as the desk's trend asks for it: 600 slices grouped by the database."""
    database = open_database(url)
    try:
        started = time.perf_counter()
        with database.read() as session:
            point = session.get(PqPoint, "pt-0001")
            assert point is not None
            found = ingestion.trend(session, point, START, START + timedelta(days=days), 600)
        assert sum(b.intervals for b in found.buckets) == days * 144
        return time.perf_counter() - started
    finally:
        database.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=200)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--pg", help="a PostgreSQL admin URL: fresh databases are created there and dropped")
    args = parser.parse_args()
    kind = "postgresql" if args.pg else "sqlite"
    made: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="ow-pq-") as tmp:
            home = Path(tmp)
            floor_url, value_url = fresh(kind, home, args.pg, made), fresh(kind, home, args.pg, made)
            for url in (floor_url, value_url):
                upgrade(url)
                register(url, args.points)
            floor, value, rows, warned = both_rates(floor_url, value_url, args.points, args.days)
            if value <= 0:
                raise SystemExit("nothing was stored")
            alert = warning_after_arrival(value_url)
            trend = year_read(value_url, args.days)
    finally:
        if made and args.pg:
            import psycopg

            with psycopg.connect(args.pg, autocommit=True) as connection:
                for name in made:
                    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    ratio = value / floor
    print(f"{kind}: {rows:,} intervals of {args.points} points over {args.days} days; ingest {value:,.0f} rows/s, "
          f"raw insert {floor:,.0f} rows/s (ratio {ratio:.2f}); {warned} warnings during the load; a new batch's "
          f"warning {alert * 1000:.0f} ms after arrival (budget 60 s); one point's {args.days} days read in "
          f"{trend * 1000:.0f} ms (budget 1 s); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
          file=sys.stderr)
    print(json.dumps({"bench": "pq_ingest", "value": round(value), "floor": round(floor), "ratio": round(ratio, 3),
                      "budget": BUDGET_RATIO, "ok": ratio >= BUDGET_RATIO and alert <= 60 and trend <= 1.0}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
