"""The outage storm played through a real server: see benchmarks/outage_storm.py (--server)."""

from __future__ import annotations

import queue
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from domain.outage.clustering import ClusterRules, FaultCall, KnownOutage, predict  # noqa: E402
from tests.backend.desk import Desk  # noqa: E402
from tests.harness.processes import serving  # noqa: E402

if TYPE_CHECKING:
    from outage_storm import Storm

BATCH = 200


@dataclass
class Served:
    pop_times: list[float] = field(default_factory=list)
    push_times: list[float] = field(default_factory=list)
    errors: int = 0
    first_errors: list[str] = field(default_factory=list)
    linked: dict[str, str | None] = field(default_factory=dict)  # call id → event id at call time
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def pop_p95(self) -> float:
        return _p95(self.pop_times)

    @property
    def push_p95(self) -> float:
        return _p95(self.push_times)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else (values or [0.0])[0]


def _push(desk: Desk, served: Served, *mutations: dict[str, Any], expected: tuple[str, ...] = ()
          ) -> list[dict[str, Any]]:
    """Push and time it; a rejection whose code is `expected` is the caller's to handle, not an error."""
    started = time.perf_counter()
    response = desk.push_raw(*mutations)
    elapsed = time.perf_counter() - started
    results: list[dict[str, Any]] = response.json()["results"] if response.status_code == 200 else []
    bad = [response.text[:300]] if response.status_code != 200 else \
        [f"{r['code']}: {r['reason']}" for r in results if r["status"] == "rejected" and r["code"] not in expected]
    with served.lock:
        served.push_times.append(elapsed)
        served.errors += bool(bad)
        served.first_errors += bad[:max(0, 5 - len(served.first_errors))]
    return results


def _import(storm: Storm, admin: Desk, clerk: Desk, served: Served) -> dict[str, str]:
    """The grid and one customer and account per caller; returns storm account → server account id."""
    devices = [admin.mutation("grid_device", "create", d.id, fields={
        "device_kind": d.kind.value, "parent_id": d.parent_id, "name": d.name, "area_class": "urban"})
        for d in storm.grid.devices.values()]
    for start in range(0, len(devices), BATCH):
        _push(admin, served, *devices[start:start + BATCH])
    accounts: dict[str, str] = {}
    mutations: list[dict[str, Any]] = []
    for n, account in enumerate(sorted({c.account_id for c in storm.calls})):
        customer = clerk.mutation("customer", "create", fields={"name": f"客户{n:04}", "area_class": "urban"})
        accounts[account] = str(uuid.uuid4())
        mutations += [customer, clerk.mutation("account", "create", accounts[account], fields={
            "customer_id": customer["entity_id"], "account_no": f"8{n:09d}",
            "transformer_id": storm.grid.transformer_of(account)})]
    for start in range(0, len(mutations), BATCH):
        _push(clerk, served, *mutations[start:start + BATCH])
    served.push_times.clear()  # the storm's pushes are measured, not the import
    served.errors = 0
    return accounts


def _command(dispatcher: Desk, storm: Storm, rules: ClusterRules, calls: list[FaultCall], known: dict[str, str],
             served: Served) -> None:
    """Repair command's side after a call: propose the outages the rule finds, cancel those absorbed."""
    now = calls[-1].at
    prediction = predict(storm.grid, calls, rules, now, [KnownOutage(e, d) for d, e in known.items()])
    for outage in prediction.outages:
        event = str(uuid.uuid4())
        moves = [dispatcher.mutation("outage_event", "create", event, fields={
            "outage_kind": "fault", "device_ids": [outage.device_id], "reason": "故障研判中，抢修人员已出发",
            "starts_at": outage.first_call_at.isoformat()})]
        for absorbed in outage.absorbs:
            moves.append(dispatcher.mutation("outage_event", "transition", absorbed, transition={
                "from_state": "predicted", "to_state": "cancelled", "reason": "并入上级设备的停电事件"}))
            known.pop(next(d for d, e in known.items() if e == absorbed))
        _push(dispatcher, served, *moves)
        known[outage.device_id] = event


def play(storm: Storm, rules: ClusterRules, kind: str, speed: float, agents: int) -> Served:
    served = Served()
    with tempfile.TemporaryDirectory(prefix="ow-outage-") as tmp, serving(kind, Path(tmp)) as (server,):
        admin, clerk, dispatcher = Desk(server.url, "admin_a"), Desk(server.url, "clerk_a"), Desk(server.url, "dispatcher_a")
        hotline = [Desk(server.url, "hotline_a") for _ in range(agents)]
        accounts = _import(storm, admin, clerk, served)
        calls: queue.Queue[tuple[FaultCall, float] | None] = queue.Queue()

        def agent(desk: Desk) -> None:
            while (item := calls.get()) is not None:
                call, arrived = item
                popped: float | None = None
                for _attempt in range(3):  # the event looked up may be absorbed before the link lands: look again
                    response = desk.client.get("/api/v1/outages/lookup", headers=desk.headers,
                                               params={"account_id": accounts[call.account_id]})
                    popped = popped if popped is not None else time.perf_counter() - arrived
                    event = response.json()["event"] if response.status_code == 200 else None
                    results = _push(desk, served, desk.mutation("interaction", "create", fields={
                        "channel": "hotline", "type": "call", "at": datetime.now(UTC).isoformat(),
                        "call_id": call.id, "summary": "停电报修", "outage_event_id": event["id"] if event else None}),
                        expected=("invalid_input",))
                    if results and results[0]["status"] == "applied":
                        break
                with served.lock:
                    served.pop_times.append(popped or 0.0)
                    served.errors += response.status_code != 200
                    served.linked[call.id] = event["id"] if event else None

        threads = [threading.Thread(target=agent, args=(desk,)) for desk in hotline]
        for thread in threads:
            thread.start()
        known: dict[str, str] = {}  # device → live predicted event
        started, first = time.perf_counter(), storm.calls[0].at
        try:
            for n, call in enumerate(storm.calls):
                due = started + (call.at - first).total_seconds() / speed
                if (wait := due - time.perf_counter()) > 0:
                    time.sleep(wait)  # the storm's own pace: the next call has not come yet
                arrived = time.perf_counter()
                _command(dispatcher, storm, rules, storm.calls[:n + 1], known, served)
                calls.put((call, arrived))
        finally:
            for _ in threads:
                calls.put(None)
            for thread in threads:
                thread.join()
            for desk in (admin, clerk, dispatcher, *hotline):
                desk.close()
        devices = {e: d for d, e in known.items()}
        right = sum(1 for c in storm.calls if storm.truth[c.id] is not None
                    and devices.get(served.linked.get(c.id) or "") == storm.truth[c.id])
        event_calls = sum(1 for c in storm.calls if storm.truth[c.id] is not None)
        print(f"server ({kind}, {agents} hotline desks, {speed:g}× the storm's pace): call → pop p95 "
              f"{served.pop_p95 * 1000:.0f} ms (median {statistics.median(served.pop_times) * 1000:.0f} ms), push p95 "
              f"{served.push_p95 * 1000:.0f} ms over {len(served.push_times)} pushes, {served.errors} errors; "
              f"fault calls linked at call time to the event that stands at the end: {right}/{event_calls} "
              f"(early calls of a growing outage go to the smaller event it later absorbs)", file=sys.stderr)
        for error in served.first_errors:
            print(f"  error: {error}", file=sys.stderr)
    return served
