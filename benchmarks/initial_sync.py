"""Initial sync of N customers over loopback HTTP, against a raw executemany of the same rows.

    python benchmarks/initial_sync.py --customers 1000000

Seeds a backend SQLite file with N customers through the backend's bulk writer (one
transaction per 5,000 rows, so pages split), starts `python -m backend.cli serve`, and
times a fresh desk's `SyncEngine.sync_once()`. The floor is a bare prepared DB-API `executemany`
of the same rows into a fresh file with the store's encrypted schema, on a connection tuned like the
store's catch-up connection (`local_store.engine.connect`, then its cache and WAL settings), plus the one statement that fills the search index. A stderr line
splits the time between the desk's page applies and the server process's CPU.
Last line: {"bench", "value", "floor", "ratio", "budget", "ok"} (rates in rows/s).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from offline_backlog import cpu_seconds, timed  # noqa: E402  (a sibling script: benchmarks/ is on sys.path)

from desktop.sync.client import ApiClient  # noqa: E402
from desktop.sync.engine import SyncEngine  # noqa: E402
from domain.records import Customer  # noqa: E402
from local_store import Store  # noqa: E402
from local_store.engine import connect  # noqa: E402
from local_store.replay import FIELDS  # noqa: E402
from local_store.rows import to_row  # noqa: E402
from local_store.sync_side import CATCH_UP_CACHE_KIB, CATCH_UP_WAL_PAGES  # noqa: E402
from tests.e2e.harness import PASSWORD, Backend, create_users  # noqa: E402

OFFICE = "bench-office"
USER = "bench-clerk"
KEY = bytes(range(32))
CHUNK = 5000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
STREETS = ["人民路", "解放路", "建设路", "中山路", "和平街", "新华路", "胜利街"]


def customers(n: int, now: datetime) -> Iterator[Customer]:
    rng = random.Random(7)
    for i in range(n):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        yield Customer(
            id=f"bench-{i:08d}", office_id=OFFICE, name=name,
            id_number=f"{rng.randrange(10**17, 10**18)}", phone=f"13{rng.randrange(10**8, 10**9)}",
            address=f"{rng.choice(STREETS)}{rng.randint(1, 999)}号",
            customer_class="03", area_class=rng.choice(["urban", "rural"]), created_at=now,
        )


def seed(db: Path, n: int) -> None:
    from backend.bulk import bulk_insert
    from backend.db.engine import open_database
    from backend.settings import database_url

    create_users(db, OFFICE, USER)
    database = open_database(database_url(str(db)))
    now = datetime.now(UTC)
    try:
        batch: list[Customer] = []
        for customer in customers(n, now):
            batch.append(customer)
            if len(batch) == CHUNK:
                with database.write() as session:
                    bulk_insert(session, batch, now)
                batch = []
        if batch:
            with database.write() as session:
                bulk_insert(session, batch, now)
    finally:
        database.dispose()


async def timed_sync(url: str, home: Path, server_pid: int) -> tuple[float, int]:
    store = Store.open(home / "desk.db", KEY)
    client = ApiClient(url)
    spent: dict[str, float] = {}
    try:
        session = await client.login(USER, PASSWORD, store.client_id)
        engine = SyncEngine(store, client, scopes=[f"office:{OFFICE}"], page_limit=CHUNK, live=False)
        assert session.scopes
        timed(client, "pull", spent)
        timed(store, "apply_pull_page", spent)
        cpu_before = cpu_seconds(server_pid)
        desk_cpu = time.process_time()
        started = time.perf_counter()
        report = await engine.sync_once()
        elapsed = time.perf_counter() - started
        desk_cpu = time.process_time() - desk_cpu
        # Pulls overlap the applies (the next page downloads meanwhile): the parts do not add up.
        print(f"desk apply_pull_page {spent['apply_pull_page']:.2f} s; waiting on pulls {spent['pull']:.2f} s; "
              f"desk process CPU {desk_cpu:.2f} s; server process CPU {cpu_seconds(server_pid) - cpu_before:.2f} s; "
              f"load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
        return elapsed, report.pulled
    finally:
        await client.aclose()
        store.close()


def floor_rate(home: Path, n: int) -> float:
    """Rows/s of a bare prepared `executemany` of the same rows into a fresh store's own schema.

    The file gets the store's encrypted schema (`Store.open` runs the migrations), then the rows go in
    through one raw DB-API connection from `local_store.engine.connect` (raw key, WAL, synchronous NORMAL,
    temp store) with the page cache and WAL checkpoint interval of the store's catch-up connection, the one a
    long pull applies its pages on: one transaction, one prepared
    INSERT for all rows, then the one INSERT … SELECT that fills the search index a pull also fills (the
    schema has no per-row FTS trigger). The rows are converted to parameter tuples before the clock
    starts. No product write path (no `Store.bulk_insert_customers`, no SQLAlchemy) is involved.
    """
    now = datetime.now(UTC)
    columns = [*FIELDS["customer"], "server_version"]
    values = []
    for customer in customers(n, now):
        wire = customer.model_dump(mode="json")
        wire["version"], wire["updated_at"] = 1, now.isoformat()
        row = to_row("customer", wire)
        row["server_version"] = 1
        values.append(tuple(row[name] for name in columns))
    path = home / "floor.db"
    Store.open(path, KEY).close()  # the schema, migrated like a desk's
    insert = (f"INSERT INTO customer ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})")
    db = connect(path, KEY)
    # Tuned as the desk's own catch-up connection is for a long pull (local_store.sync_side): its page cache
    # holds the customer indexes; with the pooled connections' smaller one the floor would be the slower.
    db.execute(f"PRAGMA cache_size = -{CATCH_UP_CACHE_KIB}")
    db.execute(f"PRAGMA wal_autocheckpoint = {CATCH_UP_WAL_PAGES}")
    try:
        started = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.executemany(insert, values)
        inserted = time.perf_counter()
        db.execute("INSERT INTO customer_fts(rowid, name, address) SELECT search_rowid, name, address FROM customer")
        db.execute("COMMIT")
        elapsed = time.perf_counter() - started
    finally:
        db.close()
    print(f"floor: executemany {inserted - started:.2f} s + search index {elapsed - (inserted - started):.2f} s "
          f"for {n} rows", file=sys.stderr)
    return n / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ow-initial-sync-") as tmp:
        home = Path(tmp)
        t0 = time.perf_counter()
        seed(home / "server.db", args.customers)
        print(f"seeded {args.customers} customers in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        backend = Backend(home / "server.db").start()
        try:
            assert backend.process is not None
            elapsed, pulled = asyncio.run(timed_sync(backend.url, home, backend.process.pid))
        finally:
            backend.stop()
        floor = floor_rate(home, args.customers)
    rate = pulled / elapsed
    print(f"initial sync: {pulled} rows in {elapsed:.2f} s = {rate:.0f} rows/s; floor {floor:.0f} rows/s",
          file=sys.stderr)
    ratio = rate / floor
    print(json.dumps({"bench": "initial_sync", "value": round(rate, 1), "floor": round(floor, 1),
                      "ratio": round(ratio, 3), "budget": 0.5, "ok": ratio >= 0.5}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
