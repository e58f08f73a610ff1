"""A relaxation of the batch model: one knapsack per surveyor, for a proven lower bound and for prices.

Each surveyor's jobs, with the drive reserved before each of them, are disjoint stretches of the minutes
where any of their options could lie, leaving out leave and bookings already made. So whatever a plan
gives a surveyor: at most `room` jobs, and the jobs due by a moment d take no more minutes than are free
before d. Those are the only per-surveyor rules the relaxation keeps (start times, windows opening and
the order of the day are forgotten); each assigned job costs at least its travel and the lateness of its
earliest possible finish; the imbalance term is at least zero.

Pricing "each request at most once" with λ ≥ 0 splits the relaxation into one knapsack per surveyor,
solved exactly by dynamic programming over (jobs, minutes used) in due-date order. For every λ ≥ 0

    Σ_r unassigned(r) − Σ_r λ_r − Σ_s max over surveyor s's knapsacks of Σ (unassigned(r) − λ_r − cost_min)

is a lower bound on the model's optimum (Lagrangian duality); λ comes from the linear relaxation (GLOP).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from domain.dispatch.batch_model import DayModel, Option

_NONE = -1e18  # an unreachable knapsack state


@dataclass(frozen=True)
class Job:
    """Request `request` as one item of a surveyor's knapsack."""

    request: int
    size: int  # drive reserved before it + its duration
    deadline: int  # it ends by this minute whichever option it takes
    cap: int  # minutes free before the deadline
    cost: int  # at least this much travel and lateness if this surveyor takes it
    travel: int  # the travel term if this surveyor takes it
    options: tuple[Option, ...]  # the model's options of this request with this surveyor (one per shift)
    target: int  # the request's soft deadline (minute)
    lateness: int  # its lateness weight per minute late


@dataclass(frozen=True)
class Knapsack:
    """One surveyor's side of the relaxation: jobs in due-date order and the free minutes over the day."""

    surveyor: int
    room: int
    jobs: tuple[Job, ...]
    free_before: np.ndarray  # free_before[m]: free minutes in [0, m)

    @property
    def minutes(self) -> int:
        return int(self.free_before[-1])


@dataclass(frozen=True)
class Relaxation:
    model: DayModel
    knapsacks: tuple[Knapsack, ...]
    unassigned: np.ndarray  # cost of leaving each request out

    @property
    def total_unassigned(self) -> float:
        return float(self.unassigned.sum())


def relax(model: DayModel) -> Relaxation:
    """Each surveyor's knapsack: its jobs (those that could fit at all) and its free minutes over the day."""
    w = model.weights
    targets = [model.target(r) for r in range(len(model.requests))]
    late_weights = [w.lateness * model.priority(r) for r in range(len(model.requests))]
    by_pair: dict[tuple[int, int], list[Option]] = {}
    for o in model.options:
        by_pair.setdefault((o.surveyor, o.request), []).append(o)
    per_surveyor: dict[int, list[tuple[int, list[Option]]]] = {}
    for (s, r), options in by_pair.items():
        per_surveyor.setdefault(s, []).append((r, options))
    knapsacks = []
    for s in sorted(per_surveyor):
        pairs = per_surveyor[s]
        horizon = max(o.hi + model.duration(r) for r, options in pairs for o in options)
        free = np.zeros(horizon, dtype=bool)
        for r, options in pairs:
            for o in options:
                free[max(0, o.lo - o.pad):o.hi + model.duration(r)] = True
        for a, b in model.blocks[s]:
            free[max(0, a):max(0, b)] = False
        free_before = np.concatenate(([0], np.cumsum(free, dtype=np.int64)))
        jobs = []
        for r, options in pairs:
            size = options[0].pad + model.duration(r)
            deadline = max(o.hi for o in options) + model.duration(r)
            cap = int(free_before[deadline])
            if size > cap:
                continue
            earliest_end = min(o.lo for o in options) + model.duration(r)
            travel = w.travel * options[0].travel
            cost = travel + late_weights[r] * max(0, earliest_end - targets[r])
            jobs.append(Job(r, size, deadline, cap, cost, travel, tuple(options), targets[r], late_weights[r]))
        jobs.sort(key=lambda j: (j.deadline, j.request))
        knapsacks.append(Knapsack(s, model.room[s], tuple(jobs), free_before))
    unassigned = np.array([w.unassigned * model.priority(r) for r in range(len(model.requests))], dtype=float)
    return Relaxation(model, tuple(knapsacks), unassigned)


def best_load(knapsack: Knapsack, profit: np.ndarray) -> float:
    """The most a set of the knapsack's jobs can earn (`profit` per job, in its order), by dynamic programming.

    table[k, t]: the best profit of k jobs taking t minutes; jobs come in due-date order, so a job may only
    end the set where the minutes used so far, its own included, fit before its deadline.
    """
    room, minutes = knapsack.room, knapsack.minutes
    if room <= 0 or not knapsack.jobs:
        return 0.0
    table = np.full((room + 1, minutes + 1), _NONE)
    table[0, 0] = 0.0
    for index, job in enumerate(knapsack.jobs):
        if profit[index] <= 0 or job.size > job.cap:
            continue
        target = table[1:, job.size:job.cap + 1]
        np.maximum(target, table[:-1, :job.cap - job.size + 1] + profit[index], out=target)
    return float(table.max())


def lower_bound(relaxation: Relaxation, prices: np.ndarray) -> int:
    """The Lagrangian bound at `prices` (clipped at zero): no plan of the model costs less."""
    prices = np.maximum(prices, 0.0)
    total = relaxation.total_unassigned - float(prices.sum())
    for knapsack in relaxation.knapsacks:
        profit = np.array([relaxation.unassigned[j.request] - prices[j.request] - j.cost for j in knapsack.jobs])
        total -= best_load(knapsack, profit)
    return max(0, math.ceil(total - 1e-6 * max(1.0, abs(total))))


def lp_prices(relaxation: Relaxation, time_limit_s: float) -> np.ndarray:
    """Dual prices of "each request at most once" in the linear relaxation; zeros when GLOP gives none."""
    count = len(relaxation.model.requests)
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:
        return np.zeros(count)
    infinity = solver.infinity()
    once = [solver.Constraint(-infinity, 1.0) for _ in range(count)]
    objective = solver.Objective()
    for knapsack in relaxation.knapsacks:
        taken = [solver.NumVar(0.0, 1.0, "") for _ in knapsack.jobs]
        if len(taken) > knapsack.room:
            row = solver.Constraint(-infinity, knapsack.room)
            for variable in taken:
                row.SetCoefficient(variable, 1.0)
        used = 0
        for index, (job, variable) in enumerate(zip(knapsack.jobs, taken, strict=True)):
            once[job.request].SetCoefficient(variable, 1.0)
            objective.SetCoefficient(variable, job.cost - relaxation.unassigned[job.request])
            used += job.size
            last_of_deadline = index + 1 == len(knapsack.jobs) or knapsack.jobs[index + 1].deadline != job.deadline
            if last_of_deadline and used > job.cap:
                row = solver.Constraint(-infinity, job.cap)
                for earlier, var in zip(knapsack.jobs[:index + 1], taken, strict=False):
                    row.SetCoefficient(var, earlier.size)
    objective.SetMinimization()
    solver.SetTimeLimit(max(1, int(time_limit_s * 1000)))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return np.zeros(count)
    return np.array([max(0.0, -row.dual_value()) for row in once])
