"""A plan for a big day, fast: priced knapsacks choose each surveyor's jobs, local moves improve the plan.

1. Surveyors one after another take their most profitable day (batch_day.best_day), each request priced
   at what the linear relaxation says it is worth to the others (batch_relax.lp_prices), so the first
   surveyors do not grab the short jobs that someone else needs more.
2. Each surveyor in turn re-chooses among its own jobs and those nobody holds, while that lowers the
   cost; only surveyors who could use a request someone just gave up are looked at again.
Steps 1 and 2 are run again with the prices scaled a little differently while time is left (the plan is
sensitive to how ties among equally priced jobs fall), and the cheapest plan is kept.
3. While time is left, two surveyors who could take many of the same requests give up their days and
   re-choose one after the other; the move stays only when the plan as a whole got cheaper.
Every day is scheduled exactly as the model allows, so the plan is feasible for the model.
"""

from __future__ import annotations

import time as wall
from collections.abc import Iterable

import numpy as np

from domain.dispatch.batch_day import EMPTY_DAY, Clock, Day, best_day, clock, fit
from domain.dispatch.batch_model import Placement
from domain.dispatch.batch_relax import Relaxation

_PRICE_SHARES = (1.0, 0.95, 0.9)  # of the relaxation's prices, one construction each while time is left
_PARTNERS = 4  # per surveyor, the others sharing the most requests with it, for pair moves


class _Plan:
    def __init__(self, relaxation: Relaxation, clocks: dict[int, Clock]) -> None:
        self.relaxation = relaxation
        model = relaxation.model
        self.clocks = clocks
        self.requests = {k.surveyor: np.array([j.request for j in k.jobs], dtype=int) for k in relaxation.knapsacks}
        self.worth = {k.surveyor: np.array([relaxation.unassigned[j.request] - j.travel for j in k.jobs], dtype=float)
                      for k in relaxation.knapsacks}
        self.wanted_by: dict[int, list[int]] = {}
        for k in relaxation.knapsacks:
            for j in k.jobs:
                self.wanted_by.setdefault(j.request, []).append(k.surveyor)
        self.holder = np.full(len(model.requests), -1)
        self.days: dict[int, Day] = {}

    @property
    def cost(self) -> float:
        return self.relaxation.total_unassigned - sum(day.value for day in self.days.values())

    def choose(self, surveyor: int, prices: np.ndarray | None = None) -> Day:
        """The surveyor's best day among the jobs nobody else holds (each job's worth less its price, if priced)."""
        profit = self.worth[surveyor].copy()
        requests = self.requests[surveyor]
        if prices is not None:
            profit -= prices[requests]
        held = self.holder[requests]
        profit[(held != -1) & (held != surveyor)] = -1.0  # another surveyor's: not on offer
        return fit(self.relaxation, surveyor, best_day(self.clocks[surveyor], profit))

    def commit(self, surveyor: int, day: Day) -> set[int]:
        """Give the surveyor this day; the requests it gave up."""
        old = {j.request for j in self.days.get(surveyor, EMPTY_DAY).jobs}
        new = {j.request for j in day.jobs}
        for request in old - new:
            self.holder[request] = -1
        for request in new:
            self.holder[request] = surveyor
        self.days[surveyor] = day
        return old - new

    def concerned(self, released: Iterable[int]) -> set[int]:
        return {s for request in released for s in self.wanted_by[request]}

    def settle(self, dirty: set[int], until: float) -> None:
        """Re-choose while someone gains; only surveyors who could use a freed request are asked again."""
        while dirty and wall.perf_counter() < until:
            surveyor = min(dirty)
            dirty.discard(surveyor)
            day = self.choose(surveyor)
            if day.value > self.days[surveyor].value + 1e-9:
                dirty |= self.concerned(self.commit(surveyor, day))

    def pair(self, first: int, second: int, until: float) -> bool:
        """Both give up their days and re-choose, first then second: kept only if the plan got cheaper."""
        before, holder, days = self.cost, self.holder.copy(), dict(self.days)
        released = self.commit(first, EMPTY_DAY) | self.commit(second, EMPTY_DAY)
        for surveyor in (first, second):
            day = self.choose(surveyor)
            released -= {j.request for j in day.jobs}
            self.commit(surveyor, day)
        if self.cost < before - 1e-9:
            self.settle(self.concerned(released), until)
            return True
        self.holder, self.days = holder, days
        return False


def _construct(relaxation: Relaxation, clocks: dict[int, Clock], prices: np.ndarray) -> _Plan:
    state = _Plan(relaxation, clocks)
    order = sorted(relaxation.knapsacks, key=lambda k: (k.minutes, len(k.jobs)))
    for knapsack in order:
        state.commit(knapsack.surveyor, state.choose(knapsack.surveyor, prices=prices))
    state.settle({k.surveyor for k in order}, float("inf"))
    return state


def plan(relaxation: Relaxation, prices: np.ndarray, until: float) -> list[Placement]:
    """The cheapest plan found by `until` (a perf_counter time); the first construction always runs to the end."""
    clocks = {k.surveyor: clock(relaxation.model, k) for k in relaxation.knapsacks}
    best: _Plan | None = None
    longest = 0.0
    for share in _PRICE_SHARES:
        started = wall.perf_counter()
        if best is not None and started + longest > until:
            break
        state = _construct(relaxation, clocks, share * prices)
        if best is None or state.cost < best.cost:
            best = state
        longest = max(longest, wall.perf_counter() - started)
    assert best is not None
    pairs = [(s, t) for s, near in _partners(relaxation).items() for t in near]
    for first, second in pairs:
        if wall.perf_counter() >= until:
            break
        if not best.pair(first, second, until):
            best.pair(second, first, until)
    return [p for day in best.days.values() for p in day.placements]


def _partners(relaxation: Relaxation) -> dict[int, list[int]]:
    """For each surveyor, the others who could take the most of the same requests (most first)."""
    wants = {k.surveyor: {j.request for j in k.jobs} for k in relaxation.knapsacks}
    found = {}
    for s, mine in sorted(wants.items()):
        ranked = sorted((-len(mine & theirs), t) for t, theirs in wants.items() if t > s and mine & theirs)
        found[s] = [t for _, t in ranked[:_PARTNERS]]
    return found
