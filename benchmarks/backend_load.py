"""The backend under N concurrent desks on loopback: push latency, errors, nothing lost, nothing doubled.

    python benchmarks/backend_load.py --desks 200 --seconds 60 [--db PATH | --db postgresql://...] [--workers N]

A `backend.cli serve` process; N simulated desks (asyncio + aiohttp in this process), each
with its own login, client id and keep-alive connection. (aiohttp, not the desk's httpx: on a
2-core machine httpx spent ~5 ms of CPU per request here against aiohttp's ~0.5 ms, so the load
generator, not the server, set the latencies measured.) Each desk loops: push a small
batch (a ticket create, a customer create and, once it has one, a customer update), pull
its office scope from its cursor to the head, GET /healthz, then think for a while: one save
every `--think` seconds on average. The default, 10 s, is 360 saves an hour at every desk at once
(200 desks: 20 pushes a second) — several times the pace of the busiest hall or hotline desk, where
one customer takes minutes and a few saves. `--think 2` (100 pushes a second) is a stress setting
that shows where one server process saturates. A push that fails is counted as
an error and retried with the same mutations, as a real desk would. Afterwards the database
is checked: every mutation each desk sent is in the ledger exactly once, each desk's ledger
seqs are 1..n, every created row exists once, ticket numbers are unique.
The floor is the p95 of the bare /healthz GETs made by the same desks in the same run.
Last line: {"bench", "value": p95 push ms, "floor", "ratio", "budget": 200, "ok"}.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.harness import free_port  # noqa: E402

PASSWORD = "load-test-1"
BUDGET_MS = 200.0


def p(values: list[float], q: int) -> float:
    """The q-th percentile (inclusive method); 0 for no values."""
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def prepare(url: str, run: str, desks: int, offices: int) -> list[tuple[str, str]]:
    """Migrate, then create `offices` offices and `desks` clerks (one argon2 hash shared: setup speed)."""
    from backend.auth import hash_password
    from backend.bulk import bulk_insert
    from backend.db.auth_tables import StaffCredential
    from backend.db.engine import open_database
    from backend.db.migrate import upgrade
    from backend.seeding import ensure_calendar
    from domain.records import Office, Record, Staff

    upgrade(url)
    database = open_database(url)
    now = datetime.now(UTC)
    users = [(f"{run}-clerk-{i:03d}", f"{run}-office-{i % offices:02d}") for i in range(desks)]
    try:
        ensure_calendar(database)
        records: list[Record] = [
            Office(id=office, office_id=office, code=office, name=office, prefecture="load")
            for office in sorted({office for _, office in users})
        ]
        staff = [Staff(id=str(uuid.uuid4()), office_id=office, username=name, display_name=name, role="clerk")
                 for name, office in users]
        records += staff
        digest = hash_password(PASSWORD)
        with database.write() as session:
            bulk_insert(session, records, now)
            session.add_all(StaffCredential(staff_id=s.id, password_hash=digest, changed_at=now) for s in staff)
    finally:
        database.dispose()
    return users


@dataclass
class DeskLoad:
    username: str
    office: str
    client: aiohttp.ClientSession
    client_id: str = field(default_factory=lambda: f"load-{uuid.uuid4().hex[:12]}")
    token: str = ""
    seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    cursor: int = 0
    customers: list[str] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    created: dict[str, str] = field(default_factory=dict)  # entity id -> entity
    provisional: list[str] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "X-OneWindow-Protocol": "1"}

    def mutation(self, entity: str, op: str, entity_id: str, **extra: Any) -> dict[str, Any]:
        mutation_id = str(uuid.uuid4())
        self.sent.append(mutation_id)
        return {"mutation_id": mutation_id, "client_id": self.client_id, "seq": next(self.seq), "entity": entity,
                "entity_id": entity_id, "op": op, "created_at": datetime.now(UTC).isoformat(), **extra}

    def batch(self, n: int) -> list[dict[str, Any]]:
        now = datetime.now(UTC).isoformat()
        ticket_id, customer_id = str(uuid.uuid4()), str(uuid.uuid4())
        provisional = f"P-{self.client_id}-{n}"
        self.provisional.append(provisional)
        self.created[ticket_id], self.created[customer_id] = "ticket", "customer"
        mutations = [
            self.mutation("customer", "create", customer_id,
                          fields={"name": f"负载客户{n}", "phone": "13800001111", "address": f"新华路{n}号"}),
            self.mutation("ticket", "create", ticket_id,
                          fields={"type_code": "enquiry", "channel": "hall", "summary": f"load {n}",
                                  "fields": {"enquiry_topic": "outage", "content": "?"}, "accepted_at": now,
                                  "provisional_number": provisional}),
        ]
        if self.customers:
            mutations.append(self.mutation("customer", "update", random.choice(self.customers),
                                           fields={"address": f"建设路{n}号"}, base={}))
        self.customers.append(customer_id)
        return mutations


@dataclass
class Tally:
    push_ms: list[float] = field(default_factory=list)
    pull_ms: list[float] = field(default_factory=list)
    health_ms: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    rejected: int = 0
    mutations: int = 0
    pulled: int = 0

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


async def login(desk: DeskLoad, gate: asyncio.Semaphore) -> None:
    async with gate:
        for _ in range(5):
            async with desk.client.post("/api/v1/auth/login", json={
                    "username": desk.username, "password": PASSWORD, "client_id": desk.client_id}) as response:
                status, answer = response.status, await response.text()
            if status == 200:
                desk.token = json.loads(answer)["access_token"]
                async with desk.client.get("/api/v1/sync/checksum", params={"scope": f"office:{desk.office}"},
                                           headers=desk.headers) as head:
                    desk.cursor = (await head.json())["cursor"]
                return
            await asyncio.sleep(1)
        raise SystemExit(f"{desk.username} could not sign in: {status} {answer}")


async def push(desk: DeskLoad, batch: list[dict[str, Any]], tally: Tally, deadline: float) -> None:
    """Push until answered (a real desk retries the same batch); each try's latency is recorded."""
    body = {"schema_version": 1, "client_id": desk.client_id, "mutations": batch}
    while True:
        started = time.perf_counter()
        try:
            async with desk.client.post("/api/v1/sync/push", json=body, headers=desk.headers) as response:
                status, answer = response.status, await response.read()
        except (TimeoutError, aiohttp.ClientError) as error:
            tally.error(type(error).__name__)
            if time.perf_counter() > deadline + 60:
                return
            await asyncio.sleep(0.5)
            continue
        tally.push_ms.append((time.perf_counter() - started) * 1000)
        if status == 200:
            results = json.loads(answer)["results"]
            tally.mutations += len(results)
            tally.rejected += sum(1 for r in results if r["status"] == "rejected")
            return
        tally.error(f"http {status}")
        if time.perf_counter() > deadline + 60:
            return
        await asyncio.sleep(0.5)


async def pull(desk: DeskLoad, tally: Tally) -> None:
    while True:
        started = time.perf_counter()
        try:
            async with desk.client.get("/api/v1/sync/pull", headers=desk.headers,
                                       params={"scope": f"office:{desk.office}", "cursor": desk.cursor}) as response:
                status, answer = response.status, await response.read()
        except (TimeoutError, aiohttp.ClientError) as error:
            tally.error(type(error).__name__)
            return
        tally.pull_ms.append((time.perf_counter() - started) * 1000)
        if status != 200:
            tally.error(f"pull http {status}")
            return
        page = json.loads(answer)
        tally.pulled += len(page["changes"])
        desk.cursor = page["cursor"]
        if not page["has_more"]:
            return


async def health(desk: DeskLoad, tally: Tally) -> None:
    started = time.perf_counter()
    try:
        async with desk.client.get("/healthz") as response:
            status = response.status
            await response.read()
    except (TimeoutError, aiohttp.ClientError) as error:
        tally.error(type(error).__name__)
        return
    tally.health_ms.append((time.perf_counter() - started) * 1000)
    if status != 200:
        tally.error(f"healthz http {status}")


async def desk_loop(desk: DeskLoad, tally: Tally, deadline: float, think: float) -> None:
    await asyncio.sleep(random.uniform(0, think))  # desks do not all start on the same tick
    n = 0
    while time.perf_counter() < deadline:
        n += 1
        await push(desk, desk.batch(n), tally, deadline)
        await pull(desk, tally)
        await health(desk, tally)
        await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))


async def load(
    url: str, users: list[tuple[str, str]], seconds: float, think: float
) -> tuple[list[DeskLoad], Tally, float]:
    """Sign every desk in, then run the load; returns the desks, the tally and the load's wall time."""
    timeout = aiohttp.ClientTimeout(total=60.0)
    desks = [DeskLoad(name, office, aiohttp.ClientSession(base_url=url, timeout=timeout,
                                                          connector=aiohttp.TCPConnector(limit=1)))
             for name, office in users]
    try:
        gate = asyncio.Semaphore(8)
        await asyncio.gather(*(login(desk, gate) for desk in desks))
        tally = Tally()
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(*(desk_loop(desk, tally, deadline, think) for desk in desks))
        return desks, tally, time.perf_counter() - started
    finally:
        await asyncio.gather(*(desk.client.close() for desk in desks))


def verify(url: str, desks: list[DeskLoad]) -> tuple[int, int]:
    """(lost, duplicated), counted in the database after the run."""
    from sqlalchemy import func, select

    from backend.db.engine import open_database
    from backend.db.records import CustomerRow, TicketRow
    from backend.db.sync_tables import MutationLedger

    database = open_database(url)
    lost = duplicated = 0
    try:
        with database.read() as session:
            for desk in desks:
                rows = session.execute(
                    select(MutationLedger.mutation_id, MutationLedger.seq).where(
                        MutationLedger.client_id == desk.client_id)
                ).all()
                stored = {mutation_id for mutation_id, _ in rows}
                lost += len(set(desk.sent) - stored)
                duplicated += len(rows) - len(stored)
                seqs = sorted(seq for _, seq in rows)
                if seqs != list(range(1, len(seqs) + 1)):
                    print(f"{desk.client_id}: ledger seqs have gaps or repeats", file=sys.stderr)
                    lost += 1
                for entity, model in (("customer", CustomerRow), ("ticket", TicketRow)):
                    ids = [i for i, kind in desk.created.items() if kind == entity]
                    found = 0
                    for start in range(0, len(ids), 500):
                        found += int(session.execute(
                            select(func.count()).select_from(model).where(model.id.in_(ids[start : start + 500]))
                        ).scalar_one())
                    lost += len(ids) - found
                for start in range(0, len(desk.provisional), 500):
                    chunk = desk.provisional[start : start + 500]
                    count = int(session.execute(select(func.count()).select_from(TicketRow).where(
                        TicketRow.provisional_number.in_(chunk))).scalar_one())
                    duplicated += max(0, count - len(chunk))
            repeated = session.execute(
                select(TicketRow.number).group_by(TicketRow.number).having(func.count() > 1)
            ).scalars().all()
            duplicated += len(repeated)
    finally:
        database.dispose()
    return lost, duplicated


def serve(db: str, workers: int, home: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    log = open(home / "server.log", "ab")  # noqa: SIM115 - the child keeps it
    process = subprocess.Popen(
        [sys.executable, "-m", "backend.cli", "serve", "--db", db, "--port", str(port),
         "--workers", str(workers), "--no-migrate"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    log.close()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited: {(home / 'server.log').read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.kill()
    raise SystemExit("server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desks", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--db", help="SQLite file path or postgresql:// URL (default: a fresh SQLite file)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--offices", type=int, default=20, help="desks are spread over this many offices")
    parser.add_argument("--think", type=float, default=10.0, help="mean seconds between a desk's saves")
    args = parser.parse_args()
    from backend.settings import database_url

    with tempfile.TemporaryDirectory(prefix="ow-load-") as tmp:
        home = Path(tmp)
        db = args.db or str(home / "server.db")
        url = database_url(db)
        run = f"load{secrets.token_hex(3)}"
        users = prepare(url, run, args.desks, args.offices)
        process, base = serve(db, args.workers, home)
        try:
            desks, tally, elapsed = asyncio.run(load(base, users, args.seconds, args.think))
        finally:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
        lost, duplicated = verify(url, desks)
    value, floor = p(tally.push_ms, 95), p(tally.health_ms, 95)
    print(f"{args.desks} desks, {elapsed:.0f} s: {len(tally.push_ms)} pushes ({len(tally.push_ms) / elapsed:.1f}/s), "
          f"{tally.mutations} mutations ({tally.mutations / elapsed:.1f}/s, {tally.rejected} rejected), "
          f"{len(tally.pull_ms)} pulls ({tally.pulled} rows)", file=sys.stderr)
    print(f"push ms p50 {p(tally.push_ms, 50):.1f} p95 {value:.1f} p99 {p(tally.push_ms, 99):.1f}; "
          f"pull ms p95 {p(tally.pull_ms, 95):.1f}; healthz ms p95 {floor:.1f}", file=sys.stderr)
    print(f"errors {tally.errors} {tally.error_kinds}; lost {lost}; duplicated {duplicated}", file=sys.stderr)
    ok = value <= BUDGET_MS and tally.errors == 0 and lost == 0 and duplicated == 0
    print(json.dumps({"bench": "backend_load", "value": round(value, 1), "floor": round(floor, 1),
                      "ratio": round(value / floor, 2) if floor else None, "budget": BUDGET_MS, "ok": ok}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
