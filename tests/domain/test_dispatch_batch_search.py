"""Big-day batch planning: the relaxation's bound is honest, the day knapsack is exact, plans keep every rule."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.dispatch import Assignment, Surveyor, SurveyRequest
from domain.dispatch import batch as batch_module
from domain.dispatch.batch import batch_assign
from domain.dispatch.batch_day import Clock, best_day, fit
from domain.dispatch.batch_exact import solve_exact
from domain.dispatch.batch_model import Option, Placement, build_day_model, cost
from domain.dispatch.batch_relax import Job, Knapsack, lower_bound, lp_prices, relax
from domain.dispatch.batch_search import plan
from tests.domain.test_dispatch_batch import DAY, LIMIT, MIDNIGHT, NOW, assert_keeps_every_rule, days

Day = tuple[list[SurveyRequest], list[Surveyor], list[Assignment]]


def _model_feasible(model_placements: list[Placement], day: Day, now: datetime) -> None:
    """Every placement starts inside one of its options, and no two stretches (drive + work) overlap."""
    requests, crew, existing = day
    model = build_day_model(requests, crew, existing, DAY, now=now)
    taken: dict[int, list[tuple[int, int]]] = {}
    for p in model_placements:
        option = next(o for o in model.options if o.request == p.request and o.surveyor == p.surveyor
                      and o.lo <= p.start <= o.hi)
        taken.setdefault(p.surveyor, []).append((p.start - option.pad, p.start + model.duration(p.request)))
    for surveyor, spans in taken.items():
        assert len(spans) <= model.room[surveyor]
        ordered = sorted([*spans, *model.blocks[surveyor]])
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(ordered)), ordered


@settings(max_examples=40, deadline=None)
@given(days(max_requests=5), st.floats(0.0, 1.5))
def test_the_bound_never_exceeds_the_proven_optimum(day: Day, scale: float) -> None:
    requests, crew, existing = day
    model = build_day_model(requests, crew, existing, DAY, now=NOW)
    optimum, _ = solve_exact(model)
    relaxation = relax(model)
    prices = lp_prices(relaxation, 5.0)
    assert lower_bound(relaxation, prices) <= optimum.total
    assert lower_bound(relaxation, prices * scale) <= optimum.total  # any prices ≥ 0 give a bound
    assert lower_bound(relaxation, np.zeros(len(requests))) <= optimum.total


@settings(max_examples=40, deadline=None)
@given(days(max_requests=8), st.integers(6 * 60, 11 * 60).map(lambda m: MIDNIGHT + timedelta(minutes=m)))
def test_a_searched_plan_is_feasible_for_the_model(day: Day, now: datetime) -> None:
    requests, crew, existing = day
    model = build_day_model(requests, crew, existing, DAY, now=now)
    relaxation = relax(model)
    placements = plan(relaxation, lp_prices(relaxation, 5.0), until=0.0)
    _model_feasible(placements, day, now)
    assert cost(model, placements).total >= lower_bound(relaxation, lp_prices(relaxation, 5.0))


@settings(max_examples=40, deadline=None)
@given(days(max_requests=8), st.integers(6 * 60, 11 * 60).map(lambda m: MIDNIGHT + timedelta(minutes=m)))
def test_big_day_proposals_never_break_a_hard_rule(day: Day, now: datetime) -> None:
    requests, crew, existing = day
    original = batch_module.CP_SAT_BELOW
    batch_module.CP_SAT_BELOW = 0  # the big-day path: the searched plan is the proposal
    try:
        proposal = batch_assign(requests, crew, existing, DAY, now=now, time_limit_s=LIMIT)
    finally:
        batch_module.CP_SAT_BELOW = original
    assert_keeps_every_rule(proposal, requests, crew, existing, now)
    assert proposal.best_bound <= proposal.objective or proposal.dropped
    if not existing:
        assert proposal.dropped == ()  # the plan is the model's: no repair needed without bookings


def _brute_best(clock: Clock, profit: np.ndarray) -> float:
    """The best worth over every subset done in due-date order, each after the one before."""
    jobs = clock.knapsack.jobs
    best = 0.0
    for size in range(1, clock.knapsack.room + 1):
        for subset in itertools.combinations(range(len(jobs)), size):
            ends: dict[int, float] = {0: 0.0}
            for index in subset:
                grown: dict[int, float] = {}
                for end, worth in ends.items():
                    for start, late in zip(clock.starts[index], clock.late[index], strict=True):
                        if start >= end:
                            value = worth + profit[index] - late
                            finish = int(start) + jobs[index].size
                            grown[finish] = max(grown.get(finish, -1e18), value)
                ends = grown
            if ends:
                best = max(best, max(ends.values()))
    return best


@st.composite
def clocks(draw: st.DrawFn) -> tuple[Clock, np.ndarray]:
    length, room = draw(st.integers(30, 90)), draw(st.integers(1, 3))
    jobs, starts, lates = [], [], []
    for index in range(draw(st.integers(1, 5))):
        size = draw(st.integers(5, 25))
        deadline = draw(st.integers(size, length))
        option = Option(index, 0, size, deadline - size, 0, 0)
        jobs.append(Job(index, size, deadline, deadline, 0, 0, (option,), target=0, lateness=0))
    jobs.sort(key=lambda j: (j.deadline, j.request))
    for job in jobs:
        first = draw(st.integers(0, job.deadline - job.size))
        allowed = np.arange(first, job.deadline - job.size + 1)
        gap = draw(st.integers(0, len(allowed)))  # sometimes a blocked minute in the middle
        if 0 < gap < len(allowed) - 1:
            allowed = np.delete(allowed, gap)
        target, weight = draw(st.integers(0, length)), draw(st.sampled_from([0.0, 1.0, 2.0]))
        starts.append(allowed)
        lates.append(np.maximum(0, allowed + job.size - target) * weight)
    profit = np.array([draw(st.sampled_from([-5.0, 20.0, 30.0, 55.0])) for _ in jobs])
    knapsack = Knapsack(0, room, tuple(jobs), np.zeros(1, dtype=np.int64))
    return Clock(knapsack, length, tuple(starts), tuple(lates)), profit


@settings(max_examples=150, deadline=None)
@given(clocks())
def test_the_day_knapsack_finds_the_best_set(case: tuple[Clock, np.ndarray]) -> None:
    clock, profit = case
    picked = best_day(clock, profit)
    index = {job.request: i for i, job in enumerate(clock.knapsack.jobs)}
    sub = Clock(Knapsack(0, clock.knapsack.room, tuple(picked), clock.knapsack.free_before),
                clock.length, tuple(clock.starts[index[j.request]] for j in picked),
                tuple(clock.late[index[j.request]] for j in picked))
    chosen = _brute_best(sub, np.array([profit[index[j.request]] for j in picked]))
    assert chosen == pytest.approx(_brute_best(clock, profit))


def test_fit_leaves_out_what_does_not_fit() -> None:
    crew = [Surveyor(id="s", name="s", territories=frozenset({"A"}), skills=frozenset({"lv"}), home_base=(0.0, 0.0),
                     shifts=[(MIDNIGHT + timedelta(hours=8), MIDNIGHT + timedelta(hours=10))], daily_capacity=5)]
    requests = [SurveyRequest(id=f"r{n}", ticket_id="t", customer_id="c", territory="A", location=(0.0, 0.0),
                              required_skill="lv", mode="remote", duration_minutes=50, due_at=MIDNIGHT + timedelta(days=1))
                for n in range(3)]
    model = build_day_model(requests, crew, [], DAY, now=NOW)
    relaxation = relax(model)
    (knapsack,) = relaxation.knapsacks
    day = fit(relaxation, 0, knapsack.jobs)  # three 50-minute jobs in a two-hour shift: one must go
    assert len(day.jobs) == 2 and len(day.placements) == 2
    assert day.value == pytest.approx(2 * relaxation.unassigned[0])
