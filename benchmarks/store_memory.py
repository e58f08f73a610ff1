"""Desk memory with the 1M-customer store open: peak RSS after searches vs a bare python + sqlcipher process.

The store is the cached one built by search_as_you_type.py (built here if missing). Both the measured
process and the floor run as fresh subprocesses, so building the store never counts. Last line: JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

BUDGET_MIB = 300.0
_FLOOR = (
    "import resource, sqlcipher3.dbapi2 as s; c = s.connect(':memory:'); c.execute('select 1').fetchall(); "
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
)



def measure(path: Path, customers: int) -> None:
    """Child process: open the store, search like a busy desk, read a customer card, print peak RSS (KiB)."""
    from search_as_you_type import BENCH_KEY

    from local_store import Store, TicketFilters

    store = Store.open(path, BENCH_KEY)
    rng = random.Random(5)
    for _ in range(200):
        n = rng.randrange(customers)
        for text in ("河北省", "河北省保定市", "王", "张伟", f"1{3 + n % 7}", f"510{n % 1000:03d}", "东风村1"):
            for hit in store.search_customers(text):
                store.customer(hit.customer_id)
        store.customer_timeline(f"c{n:08d}")
    store.ticket_queue(TicketFilters(), sort="-due_at", limit=200)
    store.ticket_count(TicketFilters())
    store.close()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--measure", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure is not None:
        measure(args.measure, args.customers)
        return
    from search_as_you_type import ensure_store

    path = ensure_store(args.customers, args.cache_dir)
    script = str(Path(__file__).resolve())
    value_kib = int(subprocess.run(
        [sys.executable, script, "--measure", str(path), "--customers", str(args.customers)],
        check=True, capture_output=True, text=True,
    ).stdout.split()[-1])
    floor_kib = int(subprocess.run([sys.executable, "-c", _FLOOR], check=True, capture_output=True,
                                   text=True).stdout.split()[-1])
    value, floor = value_kib / 1024, floor_kib / 1024
    print(json.dumps({"bench": "store_memory", "value": round(value, 1), "floor": round(floor, 1),
                      "ratio": round(value / floor, 3), "budget": BUDGET_MIB, "ok": value <= BUDGET_MIB}))


if __name__ == "__main__":
    main()
