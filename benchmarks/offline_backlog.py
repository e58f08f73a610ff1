"""An offline backlog of N mutations pushed after reconnect: seconds until the outbox is empty and pulled back.

    python benchmarks/offline_backlog.py --mutations 10000

The desk signs in, accepts N/8 repair tickets and syncs them; then (offline) records N mutations in its
store, a quarter of each kind in turn: a customer created, a repair ticket accepted for that customer, a
ticket moved 已受理 → 处理中 (alternately one the server already has and one accepted offline in this
backlog), and a customer's phone and address updated. The value is the wall time of the `SyncEngine.sync_once()` that pushes them all over
loopback HTTP to a `backend.cli serve` process. The floor is the time the store took to
record the same mutations locally. The server must apply every one (none rejected). Budget: 10 s. A stderr line splits the time between
HTTP round trips (client push/pull), the desk's store work and the server process's CPU.
Last line: {"bench", "value", "floor", "ratio", "budget", "ok"}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop.sync.client import ApiClient  # noqa: E402
from desktop.sync.engine import SyncEngine  # noqa: E402
from local_store import Store  # noqa: E402
from tests.e2e.harness import PASSWORD, Backend, create_users  # noqa: E402

OFFICE = "backlog-office"
USER = "backlog-clerk"
KEY = bytes(range(32))
BUDGET_SECONDS = 10.0
REPAIR_FIELDS = {"fault_address": "新华路1号", "area_class": "urban", "fault_type": "no_power",
                 "contact_phone": "13900001111"}
KINDS = ("customer_create", "ticket_create", "ticket_transition", "customer_update")


def accept_repair(store: Store, customer_id: str | None, i: int) -> str:
    ticket = store.accept_ticket(type_code="repair", channel="hall", office_id=OFFICE, customer_id=customer_id,
                                 summary=f"停电报修{i}", fields=REPAIR_FIELDS)
    return ticket.id


def record_backlog(store: Store, n: int, synced_tickets: list[str]) -> dict[str, int]:
    """N offline mutations, the four kinds in turn; returns how many of each."""
    counts = dict.fromkeys(KINDS, 0)
    customer_id: str | None = None
    offline_tickets: list[str] = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        if kind == "customer_create":
            customer_id = store.create_customer(office_id=OFFICE, name=f"离线客户{i}", address=f"新华路{i}号").id
        elif kind == "ticket_create":
            offline_tickets.append(accept_repair(store, customer_id, i))
        elif kind == "ticket_transition":
            turn = i // len(KINDS)
            pool = synced_tickets if turn % 2 == 0 and synced_tickets else offline_tickets
            store.transition("ticket", pool.pop(), "in_progress", role="clerk")
        else:
            assert customer_id is not None
            store.update_fields("customer", customer_id, {"phone": f"139{i:08d}", "address": f"建设路{i}号"})
        counts[kind] += 1
    return counts


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process, from /proc (Linux); 0 elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(owner: Any, name: str, spent: dict[str, float]) -> None:
    """Wrap `owner.name` (sync or async) to add its wall time to spent[name]."""
    original = getattr(owner, name)

    if asyncio.iscoroutinefunction(original):
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await original(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - started
    else:
        def wrapper(*args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

    setattr(owner, name, wrapper)


async def run(url: str, home: Path, n: int, server_pid: int) -> tuple[float, float, int]:
    store = Store.open(home / "desk.db", KEY)
    client = ApiClient(url)
    spent: dict[str, float] = {}
    try:
        session = await client.login(USER, PASSWORD, store.client_id)
        engine = SyncEngine(store, client, scopes=session.scopes, live=False)
        synced_tickets = [accept_repair(store, None, -i) for i in range(n // 8 + 1)]
        await engine.sync_once()
        assert store.outbox_size() == 0, "the tickets accepted online did not sync"
        started = time.perf_counter()
        counts = record_backlog(store, n, synced_tickets)  # offline: nothing but the local store
        local = time.perf_counter() - started
        print("backlog: " + ", ".join(f"{count} {kind}" for kind, count in counts.items()), file=sys.stderr)
        assert store.outbox_size() == n
        for name in ("push", "pull", "checksum"):
            timed(client, name, spent)
        for name in ("pending_mutations", "apply_push_results", "apply_pull_page"):
            timed(store, name, spent)
        cpu_before = cpu_seconds(server_pid)
        started = time.perf_counter()
        report = await engine.sync_once()
        pushed = time.perf_counter() - started
        server_cpu = cpu_seconds(server_pid) - cpu_before
        assert store.outbox_size() == 0, "the backlog did not drain"
        assert report.rejected == 0, f"the server rejected {report.rejected} of the backlog's mutations"
        split = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in spent.items())
        print(f"where the time went: {split}; server process CPU {server_cpu:.2f} s", file=sys.stderr)
        return pushed, local, report.applied
    finally:
        await client.aclose()
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutations", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ow-backlog-") as tmp:
        home = Path(tmp)
        create_users(home / "server.db", OFFICE, USER)
        backend = Backend(home / "server.db").start()
        try:
            assert backend.process is not None
            pushed, local, applied = asyncio.run(run(backend.url, home, args.mutations, backend.process.pid))
        finally:
            backend.stop()
    print(f"{applied} of {args.mutations} applied; push {pushed:.2f} s, local {local:.2f} s", file=sys.stderr)
    print(json.dumps({"bench": "offline_backlog", "value": round(pushed, 3), "floor": round(local, 3),
                      "ratio": round(pushed / local, 3), "budget": BUDGET_SECONDS, "ok": pushed <= BUDGET_SECONDS}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
