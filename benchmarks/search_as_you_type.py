"""Customer search as you type on a 1M-customer encrypted store: p95 per keystroke vs the bare FTS MATCH.

Builds the store once (cached in the temp dir, keyed by size), then types names and addresses character
by character and ID / phone numbers digit by digit, timing `Store.search_customers` for every keystroke.
The floor is what a naive implementation would run: a bare
`SELECT rowid FROM customer_fts WHERE customer_fts MATCH '"<whole text>"' LIMIT 50` (every trigram of the
text, positions checked by FTS5) for the same text keystrokes on the same store; the store instead MATCHes
the text's rarest trigrams and verifies the whole text. Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain.identity import resident_id_check_char  # noqa: E402
from local_store import Store  # noqa: E402
from local_store.engine import connect  # noqa: E402

BENCH_KEY = bytes(range(32))  # a fixed key: the cached file is benchmark data, not customer data
OFFICE = "office-bench"
BUDGET_MS = 30.0
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国文辉玉兰志强红梅海燕春梅金凤子涵浩然宇轩欣怡"
_COUNTIES = ["东城区", "西城区", "朝阳县", "城关镇", "长安区", "新华区", "桥西区", "裕华区", "正定县", "栾城区"]
_TOWNS = ["和平里", "建设路", "解放街", "人民路", "中山路", "胜利街", "光明村", "幸福里", "东风村", "红星村"]
_CITIES = ["石家庄市", "保定市", "邯郸市", "唐山市", "廊坊市", "沧州市", "邢台市", "衡水市"]


def customer_row(n: int, rng: random.Random) -> dict[str, Any]:
    name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))
    first17 = f"13{rng.randrange(10**4):04d}{rng.randrange(1950, 2005)}{rng.randrange(1, 13):02d}" \
              f"{rng.randrange(1, 29):02d}{rng.randrange(1000):03d}"
    address = (f"河北省{rng.choice(_CITIES)}{rng.choice(_COUNTIES)}{rng.choice(_TOWNS)}"
               f"{rng.randrange(1, 300)}号{rng.randrange(1, 30)}单元{rng.randrange(101, 2800)}")
    return {
        "id": f"c{n:08d}", "office_id": OFFICE, "version": 1, "name": name, "id_type": "resident",
        "id_number": first17 + resident_id_check_char(first17), "phone": f"1{rng.choice('3456789')}{n:09d}",
        "address": address, "customer_class": "03", "area_class": "urban",
    }


def _chunks(total: int, size: int) -> Iterator[range]:
    for start in range(0, total, size):
        yield range(start, min(start + size, total))


def ensure_store(customers: int, cache_dir: Path | None = None) -> Path:
    """The cached benchmark store of `customers` customers (+ one account each), built if missing."""
    folder = cache_dir or Path(tempfile.gettempdir()) / "onewindow-bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"search-{customers}.db"
    if path.exists():
        store = Store.open(path, BENCH_KEY)
        ready = store.get_meta("bench_customers") == str(customers)
        store.close()
        if ready:
            return path
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    started = time.perf_counter()
    rng = random.Random(20250303)
    store = Store.open(path, BENCH_KEY, desk_code="BENCH")
    for chunk in _chunks(customers, 50_000):
        rows = [customer_row(n, rng) for n in chunk]
        store.bulk_insert_customers(rows)
        accounts = [(f"a{n:08d}", OFFICE, 1, f"c{n:08d}", f"{5100000000 + n}", rows[i]["address"], 1)
                    for i, n in enumerate(chunk)]
        raw = connect(path, BENCH_KEY)
        with raw:
            raw.execute("BEGIN IMMEDIATE")
            raw.executemany("INSERT INTO account (id, office_id, version, customer_id, account_no, address,"
                            " server_version) VALUES (?, ?, ?, ?, ?, ?, ?)", accounts)
            raw.execute("COMMIT")
        raw.close()
        print(f"built {chunk.stop} customers in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    raw = connect(path, BENCH_KEY)
    raw.execute("INSERT INTO customer_fts(customer_fts) VALUES ('optimize')")
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    store.refresh_search_statistics()  # a pull does this by itself; a bulk load has to ask
    store.set_meta("bench_customers", str(customers))
    store.close()
    return path




def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=40, help="customers typed per key kind")
    parser.add_argument("--cache-dir", type=Path, default=None)
    args = parser.parse_args()
    path = ensure_store(args.customers, args.cache_dir)
    store = Store.open(path, BENCH_KEY)
    raw = connect(path, BENCH_KEY)
    rng = random.Random(11)
    picks = [f"c{rng.randrange(args.customers):08d}" for _ in range(args.samples)]
    rows = [raw.execute("SELECT name, address, id_number, phone FROM customer WHERE id = ?", (cid,)).fetchone()
            for cid in picks]
    typed: list[str] = []
    for name, address, id_number, phone in rows:
        typed += [name[:i] for i in range(1, len(name) + 1)]
        typed += [address[:i] for i in range(1, 16)]
        typed += [id_number[:i] for i in range(1, 19)]
        typed += [phone[:i] for i in range(1, 12)]
    for text in typed[:50]:  # warm the page cache the way a desk that has been open a while is
        store.search_customers(text)
    timings: list[float] = []
    floor_timings: list[float] = []
    # Interleaved, so both sides of the ratio see the same machine noise.
    for text in typed:
        started = time.perf_counter()
        store.search_customers(text)
        timings.append((time.perf_counter() - started) * 1000)
        if len(text) >= 3 and not text.isdigit():
            started = time.perf_counter()
            raw.execute("SELECT rowid FROM customer_fts WHERE customer_fts MATCH ? LIMIT 50",
                        ('"' + text.replace('"', '""') + '"',)).fetchall()
            floor_timings.append((time.perf_counter() - started) * 1000)
    raw.close()
    store.close()
    value, floor = p95(timings), p95(floor_timings)
    print(f"keystrokes={len(timings)} p50={statistics.median(timings):.2f} ms max={max(timings):.2f} ms",
          file=sys.stderr)
    print(json.dumps({"bench": "search_as_you_type", "value": round(value, 3), "floor": round(floor, 3),
                      "ratio": round(value / floor, 3) if floor else None, "budget": BUDGET_MS,
                      "ok": value <= BUDGET_MS}))


if __name__ == "__main__":
    main()
