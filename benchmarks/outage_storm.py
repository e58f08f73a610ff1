"""Outage storm: fault calls clustered to the failed devices, against one event per 台区.

    python benchmarks/outage_storm.py --calls 1000 --minutes 5 --areas 50 --seeds 20

Each seed builds a grid of `--areas` 台区 (feeders of ten, each with two or three branch switches — one of
them sometimes chained below another — and 台区 straight on the feeder), fails one feeder, two branch
switches and four 台区 at random moments of the first minutes, and makes `--calls` fault calls in
`--minutes`: callers drawn from the accounts downstream of the failed devices (some call twice), and a share
`--noise` of ordinary repair calls from accounts outside every failed area. The packaged clustering rules
(resources/outage/clustering.toml) then run the way the server runs them: once per call over the calls so
far (the time of each run is reported), and the last run, when the storm is over, is scored:

- device: failed devices found as an event on exactly that device, over max(failed devices, events);
- linked right: fault calls whose event is on their true failed device;
- wrongly linked: calls (fault or noise) put in an event on another device.

The floor is the rule without rolling up — an event on every 台区 with enough callers (what a desk that
groups calls by 台区 gives), scored the same way; the ratio is device share over the floor's.

With `--server sqlite|postgresql` the first storm is also played through a real `backend.cli serve` process
(benchmarks/outage_storm_server.py): the grid and the callers' accounts are imported, then the calls arrive at
their moments (`--speed` times faster than the storm's own pace) and `--agents` hotline desks take them: the
hotline's lookup (call → screen pop with the caller's live event) and the push of the call, linked to the
event or not. Repair command's side runs the clustering rule after every call and pushes the events it
proposes (and cancels those a larger one absorbs). Reported: call → pop p95 (budget 1 s, from the call's
arrival, so waiting for a free agent counts) and push p95 (budget 200 ms, as backend_load).

Last line: {"bench", "value", "floor", "ratio", "budget", "ok"}; ok needs device ≥ 90 %, linked right ≥ 95 %
and wrongly linked ≤ 2 % (and, with --server, pop p95 ≤ 1 s and push p95 ≤ 200 ms).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from domain.outage.clustering import ClusterRules, FaultCall, Prediction, Threshold, load_rules, predict  # noqa: E402
from domain.outage.topology import Device, DeviceKind, Grid, ServicePoint  # noqa: E402

DEVICE_BUDGET, LINKED_BUDGET, WRONG_BUDGET = 0.90, 0.95, 0.02
POP_BUDGET_S, PUSH_BUDGET_MS = 1.0, 200.0
START = datetime(2026, 12, 7, 19, 0, tzinfo=UTC)


def build_grid(rng: random.Random, areas: int) -> Grid:
    devices: list[Device] = []
    points: list[ServicePoint] = []
    made = 0
    feeder_no = 0
    while made < areas:
        feeder_no += 1
        feeder = f"F{feeder_no}"
        devices.append(Device(feeder, DeviceKind.feeder, None, f"10kV {feeder}"))
        here = min(10, areas - made)
        parents: list[str] = []
        branches = rng.randint(2, 3) if here >= 8 else 0
        for b in range(branches):
            branch = f"{feeder}B{b + 1}"
            above = parents[0] if b == 2 and rng.random() < 0.5 else feeder  # sometimes a chained switch
            devices.append(Device(branch, DeviceKind.branch, above, branch))
            parents.append(branch)
        slots = [p for p in parents for _ in range(3)][:here]  # three 台区 per branch switch at most
        slots += [feeder] * (here - len(slots))
        rng.shuffle(slots)
        for parent in slots:
            made += 1
            transformer = f"T{made:03}"
            devices.append(Device(transformer, DeviceKind.transformer, parent, transformer))
            for n in range(rng.randint(60, 250)):
                points.append(ServicePoint(f"{transformer}-{n:03}", transformer, important=rng.random() < 0.01))
    grid = Grid.build(devices, points)
    # A chained switch may have taken every slot of the switch above it: a switch with no 台区 feeds nobody.
    empty = [d for d in grid.devices if not grid.accounts_under(d)]
    if empty:
        return Grid.build([d for d in devices if d.id not in empty], points)
    return grid


def choose_failures(rng: random.Random, grid: Grid) -> list[str]:
    """One feeder, two branch switches and four 台区, none inside another's area."""
    failed: list[str] = []

    def free(device: str) -> bool:
        return not any(grid.is_under(device, f) or grid.is_under(f, device) for f in failed)

    for kind, count in ((DeviceKind.feeder, 1), (DeviceKind.branch, 2), (DeviceKind.transformer, 4)):
        candidates = sorted(d.id for d in grid.devices.values() if d.kind is kind)
        rng.shuffle(candidates)
        for device in candidates:
            if len([f for f in failed if grid.devices[f].kind is kind]) == count:
                break
            if free(device) and (kind is not DeviceKind.branch or len(grid.children(device)) >= 2):
                failed.append(device)
    return failed


@dataclass(frozen=True)
class Storm:
    grid: Grid
    failed: list[str]
    calls: list[FaultCall]
    truth: dict[str, str | None]  # call id → failed device, None for a noise call


def make_storm(seed: int, calls: int, minutes: float, areas: int, noise: float) -> Storm:
    rng = random.Random(seed)
    grid = build_grid(rng, areas)
    failed = choose_failures(rng, grid)
    span = minutes * 60
    onset = {device: rng.uniform(0, span * 0.6) for device in failed}
    hit = {device: grid.accounts_under(device) for device in failed}
    outside = sorted(set(grid.points) - {a for accounts in hit.values() for a in accounts})
    weights = [len(hit[d]) for d in failed]
    made: list[FaultCall] = []
    truth: dict[str, str | None] = {}
    for n in range(calls):
        call_id = f"s{seed}-c{n:04}"
        if rng.random() < noise:
            at, account, device = rng.uniform(0, span), rng.choice(outside), None
        else:
            device = rng.choices(failed, weights)[0]
            # Calls crowd in just after the power goes, then thin out.
            at = min(span, onset[device] + rng.expovariate(1 / 60))
            account = rng.choice(hit[device])
        made.append(FaultCall(call_id, account, START + timedelta(seconds=at)))
        truth[call_id] = device
    made.sort(key=lambda c: c.at)
    return Storm(grid, failed, made, truth)


@dataclass
class Score:
    failed: int = 0
    events: int = 0
    matched: int = 0
    event_calls: int = 0
    right: int = 0
    calls: int = 0
    wrong: int = 0

    def add(self, other: Score) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def device_share(self) -> float:
        return self.matched / max(self.failed, self.events, 1)

    @property
    def linked_share(self) -> float:
        return self.right / max(self.event_calls, 1)

    @property
    def wrong_share(self) -> float:
        return self.wrong / max(self.calls, 1)


def score(storm: Storm, prediction: Prediction) -> Score:
    device_of = prediction.device_of_call()
    predicted = {o.device_id for o in prediction.outages}
    result = Score(failed=len(storm.failed), events=len(prediction.outages),
                   matched=len(predicted & set(storm.failed)), calls=len(storm.calls))
    for call in storm.calls:
        true, got = storm.truth[call.id], device_of.get(call.id)
        if true is not None:
            result.event_calls += 1
            result.right += got == true
        result.wrong += got is not None and got != true
    return result


def per_transformer_rules(rules: ClusterRules) -> ClusterRules:
    """The floor's rule: no branch switch or feeder is ever suspected (more children than any device has)."""
    never = Threshold(10**6, 1.0)
    return ClusterRules(rules.version, rules.window,
                        {kind: t if kind is DeviceKind.transformer else never for kind, t in rules.thresholds.items()})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--areas", type=int, default=50)
    parser.add_argument("--noise", type=float, default=0.03, help="share of ordinary repair calls")
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--server", choices=("sqlite", "postgresql"), help="also play the first storm through a server")
    parser.add_argument("--speed", type=float, default=1.0, help="how much faster than the storm's own pace (--server)")
    parser.add_argument("--agents", type=int, default=20, help="hotline desks taking the calls (--server)")
    args = parser.parse_args()
    if args.areas < 20 or args.calls < 1 or args.minutes <= 0 or not 0 <= args.noise < 1 or args.seeds < 1:
        parser.error("need --areas ≥ 20 (a feeder, two switches and four 台区 must fail apart), --calls ≥ 1, "
                     "--minutes > 0, 0 ≤ --noise < 1, --seeds ≥ 1")
    rules = load_rules()
    floor_rules = per_transformer_rules(rules)
    total, floor_total = Score(), Score()
    run_times: list[float] = []
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        storm = make_storm(seed, args.calls, args.minutes, args.areas, args.noise)
        for n in range(1, len(storm.calls) + 1, max(1, len(storm.calls) // 100)):  # a hundred runs per storm
            started = time.perf_counter()
            predict(storm.grid, storm.calls[:n], rules, storm.calls[n - 1].at)
            run_times.append(time.perf_counter() - started)
        end = START + timedelta(minutes=args.minutes)
        final = score(storm, predict(storm.grid, storm.calls, rules, end))
        floor = score(storm, predict(storm.grid, storm.calls, floor_rules, end))
        total.add(final)
        floor_total.add(floor)
        print(f"seed {seed}: failed {storm.failed}; events "
              f"{[o.device_id for o in predict(storm.grid, storm.calls, rules, end).outages]}; device "
              f"{final.device_share:.0%}, linked right {final.linked_share:.1%}, wrong {final.wrong_share:.1%} "
              f"(per 台区: device {floor.device_share:.0%})", file=sys.stderr)
    value, floor_value = total.device_share, floor_total.device_share
    print(f"{args.seeds} storms of {args.calls} calls in {args.minutes:g} min over {args.areas} 台区: "
          f"device right {total.matched}/{max(total.failed, total.events)} = {value:.1%} (budget ≥ 90 %); "
          f"fault calls linked right {total.right}/{total.event_calls} = {total.linked_share:.1%} (≥ 95 %); "
          f"wrongly linked {total.wrong}/{total.calls} = {total.wrong_share:.2%} (≤ 2 %); "
          f"one event per 台区 instead: device {floor_value:.1%}, linked right {floor_total.linked_share:.1%}; "
          f"clustering run per call p95 {statistics.quantiles(run_times, n=20)[-1] * 1000:.1f} ms", file=sys.stderr)
    ok = value >= DEVICE_BUDGET and total.linked_share >= LINKED_BUDGET and total.wrong_share <= WRONG_BUDGET
    extra: dict[str, object] = {}
    if args.server:
        from outage_storm_server import play  # a sibling script: benchmarks/ is on sys.path

        storm = make_storm(args.first_seed, args.calls, args.minutes, args.areas, args.noise)
        served = play(storm, rules, args.server, args.speed, args.agents)
        extra = {"pop_p95_ms": round(served.pop_p95 * 1000, 1), "push_p95_ms": round(served.push_p95 * 1000, 1),
                 "errors": served.errors}
        ok = ok and served.pop_p95 <= POP_BUDGET_S and served.push_p95 * 1000 <= PUSH_BUDGET_MS and not served.errors
    print(json.dumps({"bench": "outage_storm", "value": round(value, 4), "floor": round(floor_value, 4),
                      "ratio": round(value / floor_value, 2) if floor_value else None, "budget": DEVICE_BUDGET,
                      "ok": ok, "linked_right": round(total.linked_share, 4),
                      "wrongly_linked": round(total.wrong_share, 4), **extra}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
