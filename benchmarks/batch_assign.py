"""Batch auto-assign of one office day: 500 survey requests over 50 surveyors, with a 2 s limit.

Value: the proposal's objective; floor: the proven lower bound batch_assign reports in the same run (the
Lagrangian relaxation's of domain/dispatch/batch_relax.py on a day this big, CP-SAT's on small days);
ratio = value / floor (budget 1.05). Before that, small days are solved both by batch_assign and by the
exhaustive reference (proven optimum) and the worst objective ratio is printed. Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain.dispatch import Surveyor, SurveyRequest, check_hard_rules  # noqa: E402
from domain.dispatch.batch import batch_assign  # noqa: E402
from domain.dispatch.batch_exact import solve_exact  # noqa: E402
from domain.dispatch.batch_model import build_day_model  # noqa: E402
from domain.dispatch.models import Mode  # noqa: E402

DAY = date(2025, 3, 4)
MIDNIGHT = datetime(2025, 3, 4)
BUDGET = 1.05
SKILLS = ("low_voltage", "high_voltage", "remote_video")


def office_day(requests: int, surveyors: int, territories: int, rng: random.Random
               ) -> tuple[list[SurveyRequest], list[Surveyor]]:
    """Towns 8 km apart on a line of squares; each surveyor covers their town and a neighbour."""
    towns = [f"T{n}" for n in range(territories)]

    def near(town: int) -> tuple[float, float]:
        return ((town % 5) * 8 + rng.uniform(0, 8), (town // 5) * 8 + rng.uniform(0, 8))

    crew = []
    for n in range(surveyors):
        home = n % territories
        start = MIDNIGHT + timedelta(hours=8, minutes=rng.choice((0, 30)))
        skills = {"low_voltage"} | ({"high_voltage"} if rng.random() < 0.3 else set()) \
            | ({"remote_video"} if rng.random() < 0.5 else set())
        leave = [(MIDNIGHT + timedelta(hours=13), MIDNIGHT + timedelta(hours=17, minutes=30))] if rng.random() < 0.1 else []
        crew.append(Surveyor(
            id=f"s{n:03d}", name=f"勘查员{n}", territories=frozenset({towns[home], towns[(home + 1) % territories]}),
            skills=frozenset(skills), home_base=near(home), shifts=[(start, start + timedelta(hours=9))],
            leave=leave, daily_capacity=rng.choice((5, 6, 6, 7, 8)), speed_kmh=30.0,
        ))
    surveys = []
    for n in range(requests):
        town = rng.randrange(territories)
        mode: Mode = "remote" if rng.random() < 0.15 else "on_site"
        skill = "remote_video" if mode == "remote" else rng.choices(SKILLS[:2], (0.8, 0.2))[0]
        window = rng.random() < 0.2
        opens = MIDNIGHT + timedelta(hours=rng.choice((9, 10, 13, 14)))
        surveys.append(SurveyRequest(
            id=f"r{n:04d}", ticket_id=f"t{n}", customer_id=f"c{n}", territory=towns[town], location=near(town),
            required_skill=skill, mode=mode, duration_minutes=rng.choice((30, 45, 60, 60, 90)),
            due_at=MIDNIGHT + timedelta(hours=rng.choice((12, 15, 18, 30, 54, 78))),
            urgency=rng.choices(("normal", "urgent", "emergency"), (0.8, 0.17, 0.03))[0],
            window_start=opens if window else None, window_end=opens + timedelta(hours=3) if window else None,
        ))
    return surveys, crew


def small_days(count: int, time_limit: float, rng: random.Random) -> float:
    worst = 1.0
    for _ in range(count):
        surveys, crew = office_day(5, 3, 2, rng)
        now = MIDNIGHT + timedelta(hours=7)
        proposal = batch_assign(surveys, crew, [], DAY, now=now, time_limit_s=time_limit)
        optimum, _ = solve_exact(build_day_model(surveys, crew, [], DAY, now=now))
        worst = max(worst, proposal.objective / optimum.total if optimum.total else 1.0 + proposal.objective)
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--surveyors", type=int, default=50)
    parser.add_argument("--territories", type=int, default=10)
    parser.add_argument("--time-limit", type=float, default=2.0)
    parser.add_argument("--small-days", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20250304)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    small = small_days(args.small_days, args.time_limit, rng)
    print(f"small days ({args.small_days} × 5 requests, 3 surveyors): worst objective / proven optimum = {small:.4f}")

    surveys, crew = office_day(args.requests, args.surveyors, args.territories, rng)
    now = MIDNIGHT + timedelta(hours=7)
    started = time.perf_counter()
    proposal = batch_assign(surveys, crew, [], DAY, now=now, time_limit_s=args.time_limit)
    elapsed = time.perf_counter() - started
    by_id = {s.id: s for s in crew}
    requests = {r.id: r for r in surveys}
    broken = sum(1 for a in proposal.assignments if check_hard_rules(
        requests[a.request_id], by_id[a.surveyor_id], proposal.assignments, a.start, now=now))
    print(f"{args.requests} requests × {args.surveyors} surveyors: {proposal.status} in {elapsed:.2f} s "
          f"(solver limit {args.time_limit} s), {len(proposal.assignments)} assigned, "
          f"{len(proposal.unassigned)} left, {len(proposal.dropped)} dropped by the re-check, {broken} breaking a rule")
    print(f"objective {proposal.objective} = {proposal.terms}; best bound {proposal.best_bound:.1f}")
    value, floor = proposal.objective, proposal.best_bound
    ratio = value / floor if floor > 0 else float("inf")
    print(json.dumps({"bench": "batch_assign", "value": value, "floor": round(floor, 1), "ratio": round(ratio, 4),
                      "budget": BUDGET, "ok": ratio <= BUDGET and small <= BUDGET and broken == 0}))


if __name__ == "__main__":
    main()
