"""Ticket queue on an encrypted store of 100,000 tickets: open, sort and filter, vs the bare SQL page.

Builds the store once (cached in the temp dir, keyed by size). `open` is the time from creating a
TicketQueueModel in a QTableView (offscreen Qt, the desk's qasync loop) to the first page of rows in
the view; `sort` and `filter` are the times from the request to the re-read first page. The floor is
the bare `SELECT * FROM ticket WHERE office_id = ? ORDER BY accepted_at DESC, id LIMIT <page>` for the same
page on the same store. Each number is the median of --repeat runs. Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableView  # noqa: E402

from desktop.tickets.queue_model import TicketQueueModel  # noqa: E402
from desktop.tickets.store_reads import QueueFilters  # noqa: E402
from local_store import Store, TicketFilters  # noqa: E402
from local_store.engine import connect  # noqa: E402
from local_store.rows import to_row  # noqa: E402
from local_store.schema import ENTITY_TABLES  # noqa: E402

BENCH_KEY = bytes(range(32))  # a fixed key: the cached file is benchmark data, not customer data
OFFICE = "office-bench"
OPEN_BUDGET_MS = 200.0
SORT_BUDGET_MS = 100.0
NOW = datetime(2025, 6, 2, 2, 0, tzinfo=UTC)
TYPES = ["repair", "complaint", "connection_residential", "enquiry", "bill_dispute", "service_request_other"]
STATES = ["accepted", "in_progress", "in_progress", "awaiting_visit", "closed", "closed", "closed", "cancelled"]
DEPARTMENTS = ["marketing", "metering", "operations", "engineering", "design", "service"]


def _insert(path: Path, entity: str, rows: list[dict[str, Any]]) -> None:
    names = [c.name for c in ENTITY_TABLES[entity].columns]
    sql = f"INSERT INTO {entity} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    values = []
    for data in rows:
        row = to_row(entity, data) | {"server_version": data["version"]}
        values.append(tuple(row[name] for name in names))
    raw = connect(path, BENCH_KEY)
    raw.execute("BEGIN IMMEDIATE")
    raw.executemany(sql, values)
    raw.execute("COMMIT")
    raw.close()


def ensure_store(tickets: int, cache_dir: Path | None = None) -> Path:
    """The cached benchmark store: `tickets` tickets, a customer per 5 tickets, one stage task each."""
    folder = cache_dir or Path(tempfile.gettempdir()) / "onewindow-bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"tickets-{tickets}.db"
    if path.exists():
        store = Store.open(path, BENCH_KEY)
        ready = store.get_meta("bench_tickets") == str(tickets)
        store.close()
        if ready:
            return path
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    started = time.perf_counter()
    rng = random.Random(20250602)
    store = Store.open(path, BENCH_KEY, desk_code="BENCH")
    customers = max(tickets // 5, 1)
    for start in range(0, customers, 50_000):
        store.bulk_insert_customers([
            {"id": f"c{n:08d}", "office_id": OFFICE, "version": 1, "name": f"客户{n}",
             "customer_class": rng.choice(["01", "02", "03", "03", "03"])}
            for n in range(start, min(start + 50_000, customers))])
    store.close()
    for start in range(0, tickets, 50_000):
        chunk = range(start, min(start + 50_000, tickets))
        ticket_rows, task_rows = [], []
        for n in chunk:
            accepted = NOW - timedelta(minutes=rng.randrange(0, 60 * 24 * 180))
            due = accepted + timedelta(hours=rng.choice((10, 48, 120, 240)))
            ticket_rows.append({
                "id": f"t{n:08d}", "office_id": OFFICE, "version": 1, "number": f"GD{n:014d}",
                "type_code": rng.choice(TYPES), "channel": rng.choice(["hall", "hotline", "app", "wechat"]),
                "customer_id": f"c{rng.randrange(customers):08d}", "state": rng.choice(STATES),
                "accepted_at": accepted, "due_at": due, "warn_at": accepted + (due - accepted) * 0.8})
            task_rows.append({
                "id": f"s{n:08d}", "office_id": OFFICE, "version": 1, "ticket_id": f"t{n:08d}",
                "stage_code": "handle", "department": rng.choice(DEPARTMENTS),
                "state": rng.choice(["open", "taken", "done", "done"]), "opened_at": accepted,
                "due_at": due, "warn_at": accepted + (due - accepted) * 0.8})
        _insert(path, "ticket", ticket_rows)
        _insert(path, "stage_task", task_rows)
        print(f"built {chunk.stop} tickets in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    raw = connect(path, BENCH_KEY)
    raw.execute("ANALYZE")
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    store = Store.open(path, BENCH_KEY)
    store.set_meta("bench_tickets", str(tickets))
    store.close()
    return path


def timed(loop: qasync.QEventLoop, model: TicketQueueModel, start: Callable[[], None]) -> float:
    """Milliseconds from `start()` to the model's next landed page."""
    async def wait() -> float:
        landed = asyncio.get_running_loop().create_future()

        def handler() -> None:
            if not landed.done():
                landed.set_result(None)

        model.loaded.connect(handler)
        began = time.perf_counter()
        start()
        await landed
        elapsed = (time.perf_counter() - began) * 1000
        model.loaded.disconnect(handler)
        return elapsed

    return loop.run_until_complete(wait())


def settle(loop: qasync.QEventLoop, model: TicketQueueModel) -> None:
    """Let the count that follows a page finish, so it never queues in front of the next timing."""
    async def idle() -> None:
        while model.busy:
            await asyncio.sleep(0.005)

    loop.run_until_complete(idle())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--page", type=int, default=100, help="rows per page (the model's default)")
    parser.add_argument("--cache-dir", type=Path, default=None)
    args = parser.parse_args()
    path = ensure_store(args.tickets, args.cache_dir)
    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    store = Store.open(path, BENCH_KEY)
    office = QueueFilters(base=TicketFilters(office_id=OFFICE))

    opens, sorts, filters = [], [], []
    for _ in range(args.repeat + 1):  # the first round warms the page cache, as on a desk open a while
        view = QTableView()
        model = TicketQueueModel(store, clock=lambda: NOW, page_size=args.page)
        view.setModel(model)
        opens.append(timed(loop, model, lambda m=model: m.set_filters(office)))  # type: ignore[misc]
        assert model.rowCount() == min(args.page, args.tickets), model.rowCount()
        settle(loop, model)
        sorts.append(timed(loop, model, lambda m=model: m.sort(7, Qt.SortOrder.AscendingOrder)))  # type: ignore[misc]
        settle(loop, model)
        narrowed = QueueFilters(base=TicketFilters(office_id=OFFICE, states=("in_progress",),
                                                   type_codes=("repair",)))
        filters.append(timed(loop, model, lambda m=model, f=narrowed: m.set_filters(f)))  # type: ignore[misc]
        settle(loop, model)
        view.deleteLater()
        app.processEvents()
    opens, sorts, filters = opens[1:], sorts[1:], filters[1:]

    raw = connect(path, BENCH_KEY)
    floors = []
    for _ in range(args.repeat + 1):
        began = time.perf_counter()
        raw.execute("SELECT * FROM ticket WHERE office_id = ? ORDER BY accepted_at DESC, id LIMIT ?",
                    (OFFICE, args.page)).fetchall()
        floors.append((time.perf_counter() - began) * 1000)
    raw.close()
    store.close()
    open_ms, sort_ms, filter_ms = statistics.median(opens), statistics.median(sorts), statistics.median(filters)
    floor = statistics.median(floors[1:])
    print(f"tickets={args.tickets} open={open_ms:.1f} ms sort(due)={sort_ms:.1f} ms "
          f"filter(state+type)={filter_ms:.1f} ms floor={floor:.1f} ms", file=sys.stderr)
    print(json.dumps({"bench": "ticket_queue", "value": round(open_ms, 3), "floor": round(floor, 3),
                      "ratio": round(open_ms / floor, 3) if floor else None, "budget": OPEN_BUDGET_MS,
                      "sort_ms": round(sort_ms, 3), "filter_ms": round(filter_ms, 3),
                      "ok": open_ms <= OPEN_BUDGET_MS and sort_ms <= SORT_BUDGET_MS and filter_ms <= SORT_BUDGET_MS}))


if __name__ == "__main__":
    main()
