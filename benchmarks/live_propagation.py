"""Live propagation desk → desk while online: p95 time from desk A accepting a ticket to desk B's store having it.

    python benchmarks/live_propagation.py --runs 50
    python benchmarks/live_propagation.py --runs 50 --pg postgresql://USER@HOST:PORT/DB
    python benchmarks/live_propagation.py --runs 50 --hog 1

A `backend.cli serve` process on loopback; desk A and desk B each with a real store and
client in this process; B runs `SyncEngine.run()` (SSE-triggered pulls, hourly timer).
`--hog N` keeps N busy processes running through the measurement (a loaded machine on purpose); the
figure is printed with the load average it was measured under, and with the moments of the path's
stages (A's push answered, B's stream says `changed`, B's pull sent, the ticket in B's store): where
the time goes when the figure is over budget.
With `--pg` (an admin URL: a fresh database is created there and dropped after) there are two
server processes on one PostgreSQL database, A pushing to one and B listening on the other, so
the change crosses replicas (NOTIFY/LISTEN). The servers' fallback poll is set to 60 s, so the
figure is the wakeup path's, never the poll's. The floor is the p95 of a bare pull round-trip
at the head of the scope. Budget: p95 ≤ 100 ms.
Last line: {"bench", "value", "floor", "ratio", "budget", "ok"}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop.sync.client import ApiClient  # noqa: E402
from desktop.sync.engine import SyncEngine  # noqa: E402
from desktop.sync.messages import ChangedEvent, Event  # noqa: E402
from domain.sync import PullPage, PushRequest, PushResponse  # noqa: E402
from local_store import Store  # noqa: E402
from tests.backend.server_process import ServerProcess, start_server  # noqa: E402
from tests.e2e.harness import PASSWORD, Backend, create_users  # noqa: E402

OFFICE = "live-office"
KEY = bytes(range(32))
BUDGET_SECONDS = 0.1
FALLBACK_POLL_SECONDS = "60"  # the servers' event poll: only the wakeup can be this fast


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


Stages = dict[str, list[float]]  # per stage of the path, each run's moment (seconds after accepting)
STAGES = ("push answered", "event at B", "B's pull sent", "in B's store")


def time_the_stages(client_a: ApiClient, client_b: ApiClient, scope: str) -> list[tuple[str, float]]:
    """Note when A's push is answered, when B's stream says `changed` and when B sends its pull of `scope`:
    where the time goes when the figure is over budget."""
    moments: list[tuple[str, float]] = []
    push, pull, events = client_a.push, client_b.pull, client_b.events

    async def timed_push(request: PushRequest) -> PushResponse:
        answer = await push(request)
        moments.append(("push answered", time.perf_counter()))
        return answer

    async def timed_pull(of: str, cursor: int, limit: int = 1000) -> PullPage:
        if of == scope:
            moments.append(("B's pull sent", time.perf_counter()))
        return await pull(of, cursor, limit)

    async def timed_events(scopes: list[str]) -> AsyncIterator[Event]:
        async for event in events(scopes):
            if isinstance(event, ChangedEvent):
                moments.append(("event at B", time.perf_counter()))
            yield event

    client_a.push, client_b.pull, client_b.events = timed_push, timed_pull, timed_events  # type: ignore[method-assign, assignment]
    return moments


def stages_of(moments: list[tuple[str, float]], started: float, arrived: float) -> dict[str, float]:
    """The first moment of each stage in this run; B's pull is the first one after the event."""
    found: dict[str, float] = {"in B's store": arrived - started}
    for name, moment in moments:
        after = found.get("event at B", 0.0) + started if name == "B's pull sent" else started
        if moment >= after and name not in found:
            found[name] = moment - started
    return found


async def run(url_a: str, url_b: str, home: Path, runs: int) -> tuple[list[float], list[float], Stages]:
    store_a, store_b = Store.open(home / "a.db", KEY), Store.open(home / "b.db", KEY)
    client_a, client_b = ApiClient(url_a), ApiClient(url_b)
    scope = f"office:{OFFICE}"
    moments = time_the_stages(client_a, client_b, scope)
    stages: Stages = {name: [] for name in STAGES}
    arrived: dict[str, float] = {}
    apply = store_b.apply_pull_page

    def apply_and_note(page: PullPage) -> None:
        apply(page)
        now = time.perf_counter()
        for change in page.changes:
            if change.entity == "ticket":
                arrived.setdefault(change.id, now)

    store_b.apply_pull_page = apply_and_note  # type: ignore[method-assign]
    try:
        session_a = await client_a.login("live-a", PASSWORD, store_a.client_id)
        session_b = await client_b.login("live-b", PASSWORD, store_b.client_id)
        engine_a = SyncEngine(store_a, client_a, scopes=session_a.scopes, live=False, close_client=False)
        engine_b = SyncEngine(store_b, client_b, scopes=session_b.scopes, interval=3600.0, close_client=False)
        await engine_a.sync_once()
        running = asyncio.ensure_future(engine_b.run())
        while engine_b.status.last_synced is None:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # the live streams are open
        delays: list[float] = []
        for n in range(runs):
            moments.clear()
            started = time.perf_counter()
            ticket = store_a.accept_ticket(type_code="enquiry", channel="hall", office_id=OFFICE,
                                           summary=f"live {n}", fields={"enquiry_topic": "outage", "content": "?"})
            await engine_a.sync_once()
            while ticket.id not in arrived:
                if time.perf_counter() - started > 30:
                    raise SystemExit(f"ticket {n} never reached desk B")
                await asyncio.sleep(0.002)
            delays.append(arrived[ticket.id] - started)
            for name, moment in stages_of(moments, started, arrived[ticket.id]).items():
                stages[name].append(moment)
        head = store_b.cursor(scope)
        bare: list[float] = []
        for _ in range(runs):
            started = time.perf_counter()
            await client_b.pull(scope, head, 1000)
            bare.append(time.perf_counter() - started)
        await engine_b.stop()
        await asyncio.gather(running, return_exceptions=True)
        return delays, bare, stages
    finally:
        await client_a.aclose()
        await client_b.aclose()
        store_a.close()
        store_b.close()


def on_sqlite(home: Path, runs: int) -> tuple[list[float], list[float], Stages]:
    create_users(home / "server.db", OFFICE, "live-a", "live-b")
    backend = Backend(home / "server.db").start()
    try:
        return asyncio.run(run(backend.url, backend.url, home, runs))
    finally:
        backend.stop()


def on_postgres(admin: str, home: Path, runs: int) -> tuple[list[float], list[float], Stages]:
    import psycopg

    from backend.db.migrate import upgrade
    from backend.seeding import create_user

    name = f"ow_live_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = f"{admin.rsplit('/', 1)[0]}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)
    servers: list[ServerProcess] = []
    try:
        upgrade(url)
        for username in ("live-a", "live-b"):
            create_user(url, username=username, role="clerk", office=OFFICE, password=PASSWORD)
        servers = [start_server(url, home, test_clock=False) for _ in range(2)]
        return asyncio.run(run(servers[0].url, servers[1].url, home, runs))
    finally:
        for server in servers:
            server.stop()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--pg", help="a PostgreSQL admin URL: two replicas on a fresh database there")
    parser.add_argument("--hog", type=int, default=0, help="busy processes running through the measurement")
    args = parser.parse_args()
    os.environ["ONEWINDOW_EVENTS_POLL_SECONDS"] = FALLBACK_POLL_SECONDS  # the servers inherit it
    hogs = [subprocess.Popen([sys.executable, "-c", "while 1: pass"]) for _ in range(args.hog)]
    try:
        with tempfile.TemporaryDirectory(prefix="ow-live-") as tmp:
            home = Path(tmp)
            delays, bare, stages = on_postgres(args.pg, home, args.runs) if args.pg else on_sqlite(home, args.runs)
        load = os.getloadavg()
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    value, floor = p95(delays), p95(bare)
    print(f"{'postgresql, two replicas' if args.pg else 'sqlite'}: propagation p95 {value * 1000:.0f} ms "
          f"(median {statistics.median(delays) * 1000:.0f} ms, max {max(delays) * 1000:.0f} ms); bare pull p95 "
          f"{floor * 1000:.0f} ms; {args.hog} busy processes; load average {load[0]:.1f} on {os.cpu_count()} CPUs",
          file=sys.stderr)
    print("stages, ms after accepting (median / p95): " + ", ".join(
        f"{name} {statistics.median(moments) * 1000:.0f} / {p95(moments) * 1000:.0f}"
        for name, moments in stages.items() if moments), file=sys.stderr)
    print(json.dumps({"bench": "live_propagation", "value": round(value, 4), "floor": round(floor, 4),
                      "ratio": round(value / floor, 2), "budget": BUDGET_SECONDS, "ok": value <= BUDGET_SECONDS}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
