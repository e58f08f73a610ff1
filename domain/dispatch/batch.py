"""Batch auto-assign (批量自动派工): one office day's open surveys to surveyors, within a time limit.

The model (batch_model.py) keeps every hard rule: territory, skill, shifts, leave, daily capacity, the
customer's window, the due date, no double booking (one no-overlap per surveyor over optional intervals)
and travel (each on-site job reserves the longest drive that could lead to it).

Solving follows the day's structure: a relaxation with one knapsack per surveyor gives a proven lower
bound and prices (batch_relax.py); priced knapsacks with local moves build a plan (batch_search.py). On a
day of fewer than CP_SAT_BELOW options CP-SAT then starts from that plan with the rest of the time, to
improve it and to prove it (small days are proven optimal); on a bigger day CP-SAT would spend the whole
limit loading the model and finding its first bound, so the search keeps the time.

Every proposed booking is then checked again with check_hard_rules against the whole plan; one that fails
is dropped and, where possible, re-placed at its earliest feasible start, so a proposal never breaks a
hard rule.
"""

from __future__ import annotations

import time as wall
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from ortools.sat.python import cp_model

from domain.dispatch.batch_model import (
    BatchWeights,
    Cost,
    DayModel,
    Placement,
    build_day_model,
    cost,
    floor_minutes,
)
from domain.dispatch.batch_relax import lower_bound, lp_prices, relax
from domain.dispatch.batch_search import plan
from domain.dispatch.models import Assignment, Surveyor, SurveyRequest, office_day
from domain.dispatch.rules import HardRule, check_hard_rules
from domain.dispatch.slots import earliest_start
from domain.errors import InvalidInput
from domain.language import pick


@dataclass(frozen=True)
class Unassigned:
    request_id: str
    rule: HardRule | None  # the hard rule that stopped every surveyor; None: the day had no room left for it
    reason_zh: str
    reason_en: str

    def reason(self, language: str = "zh") -> str:
        return pick(self.reason_zh, self.reason_en, language)


@dataclass(frozen=True)
class BatchProposal:
    """What a batch run proposes; nothing is booked until the dispatcher accepts it."""

    day: date
    assignments: tuple[Assignment, ...]
    unassigned: tuple[Unassigned, ...]
    objective: int  # the plan's cost as proposed (after the hard-rule re-check)
    terms: dict[str, int]  # unassigned / lateness / travel / imbalance; they add up to `objective`
    status: str  # optimal / feasible / no_solution / model_invalid / empty
    best_bound: float  # a proven lower bound on the model's objective (CP-SAT's, or the relaxation's on big days)
    wall_time_s: float
    dropped: tuple[str, ...] = ()  # request ids the re-check removed from the solver's answer (then re-placed or left)

    @property
    def gap_ratio(self) -> float:
        """objective / best bound: 1.0 when proven optimal."""
        if self.best_bound <= 0:
            return 1.0 if self.objective <= 0 else float("inf")
        return self.objective / self.best_bound

    @property
    def surveyor_ids(self) -> frozenset[str]:
        return frozenset(a.surveyor_id for a in self.assignments)


CP_SAT_BELOW = 1500  # options: below this CP-SAT improves and proves the searched plan
_SEARCH_SHARE = 0.5  # of the time left that the search may use when CP-SAT runs after it
_RECHECK_SHARE = 0.05  # of the time limit kept for the hard-rule re-check after solving

_STATUS = {
    cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible", cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "model_invalid", cp_model.UNKNOWN: "no_solution",
}


def batch_assign(
    requests: Sequence[SurveyRequest],
    surveyors: Sequence[Surveyor],
    existing: Iterable[Assignment],
    day: date,
    *,
    now: datetime,
    selected: Iterable[str] | None = None,
    weights: BatchWeights = BatchWeights(),
    time_limit_s: float = 2.0,
    workers: int = 0,
    seed: int = 0,
) -> BatchProposal:
    """Assign the open requests (all, or the `selected` ids) on `day`, best plan found within `time_limit_s`.

    `existing` are bookings already made; those of the requests being planned are ignored (they may move).
    """
    if time_limit_s <= 0:
        raise InvalidInput("求解时限必须大于零", "the time limit must be positive", field="time_limit_s")
    began = wall.perf_counter()
    wanted = None if selected is None else set(selected)
    chosen = [r for r in requests if wanted is None or r.id in wanted]
    booked = list(existing)
    model = build_day_model(chosen, surveyors, booked, day, now=now, weights=weights)
    placements, status, bound = _plan(model, began + time_limit_s * (1 - _RECHECK_SHARE), workers, seed)
    assignments = [Assignment.of(model.requests[p.request], model.surveyors[p.surveyor].id, model.at(p.start))
                   for p in placements]
    planned = {r.id for r in chosen}
    kept = [a for a in booked if a.request_id not in planned]
    assignments, dropped = _recheck(model, assignments, kept, now)
    final = _as_placements(model, assignments)
    total = cost(model, final)
    return BatchProposal(
        day=day,
        assignments=tuple(sorted(assignments, key=lambda a: (a.surveyor_id, a.start))),
        unassigned=tuple(_why_left(model, {a.request_id for a in assignments})),
        objective=total.total, terms=total.terms, status=status, best_bound=bound,
        wall_time_s=wall.perf_counter() - began, dropped=tuple(dropped),
    )


def _plan(model: DayModel, until: float, workers: int, seed: int) -> tuple[list[Placement], str, float]:
    """The searched plan, improved and proven by CP-SAT when the day is small enough; its status and bound."""
    if not model.options:
        return [], "empty", float(cost(model, []).total)
    relaxation = relax(model)
    prices = lp_prices(relaxation, max(0.1, (until - wall.perf_counter()) / 3))
    bound = float(lower_bound(relaxation, prices))
    with_cp_sat = len(model.options) < CP_SAT_BELOW
    left = until - wall.perf_counter()
    placements = plan(relaxation, prices, until - (left * (1 - _SEARCH_SHARE) if with_cp_sat else 0.0))
    found = cost(model, placements).total
    if found <= bound or not with_cp_sat:
        return placements, "optimal" if found <= bound else "feasible", bound
    solved, status, proven = _solve(model, placements, max(0.05, until - wall.perf_counter()), workers, seed)
    if status not in ("optimal", "feasible"):
        return placements, "feasible", bound
    if cost(model, solved).total <= found:
        placements = solved
    return placements, status, max(bound, proven)


def _solve(
    model: DayModel, start_from: list[Placement], time_limit_s: float, workers: int, seed: int
) -> tuple[list[Placement], str, float]:
    """CP-SAT on the whole model, from a feasible plan: its best plan, status and proven bound."""
    w = model.weights
    sat = cp_model.CpModel()
    chosen = [sat.new_bool_var(f"x{i}") for i in range(len(model.options))]
    starts = [sat.new_int_var(o.lo, o.hi, f"t{i}") for i, o in enumerate(model.options)]
    by_request: dict[int, list[int]] = {}
    by_surveyor: dict[int, list[int]] = {}
    for i, o in enumerate(model.options):
        by_request.setdefault(o.request, []).append(i)
        by_surveyor.setdefault(o.surveyor, []).append(i)
    for picks in by_request.values():
        sat.add_at_most_one(chosen[i] for i in picks)
    for s, picks in by_surveyor.items():
        intervals = [
            sat.new_optional_fixed_size_interval_var(
                starts[i] - model.options[i].pad, model.options[i].pad + model.duration(model.options[i].request),
                chosen[i], f"job{i}")
            for i in picks
        ]
        intervals += [sat.new_fixed_size_interval_var(a, b - a, f"busy{s}_{k}")
                      for k, (a, b) in enumerate(model.blocks[s]) if b > a]
        sat.add_no_overlap(intervals)
        if len(picks) > model.room[s]:
            sat.add(sum(chosen[i] for i in picks) <= model.room[s])
        _energy_cuts(sat, model, s, picks, chosen)

    first = _option_starts(model, start_from)  # a complete first plan to start from
    hints: list[tuple[cp_model.IntVar, int]] = []
    objective: list[cp_model.LinearExprT] = []
    constant = 0
    for r, picks in by_request.items():
        weight = w.unassigned * model.priority(r)
        constant += weight
        objective.append(-weight * sum(chosen[i] for i in picks))
        latest = max(model.options[i].hi for i in picks) + model.duration(r) - model.target(r)
        if w.lateness and latest > 0:
            late = sat.new_int_var(0, latest, f"late{r}")
            hints.append((late, max([0] + [first[i] + model.duration(r) - model.target(r) for i in picks if i in first])))
            for i in picks:
                sat.add(late >= starts[i] + model.duration(r) - model.target(r)).only_enforce_if(chosen[i])
            objective.append(w.lateness * model.priority(r) * late)
    constant += sum(w.unassigned * model.priority(r) for r in range(len(model.requests)) if r not in by_request)
    objective.append(sum(w.travel * model.options[i].travel * chosen[i] for i in range(len(chosen))))
    counted = [s for s, on in enumerate(model.on_shift) if on]
    if w.imbalance and len(counted) > 1:
        top = max(model.existing_load[s] + model.room[s] for s in counted)
        most, fewest = sat.new_int_var(0, top, "most"), sat.new_int_var(0, top, "fewest")
        loads = [model.existing_load[s] + sum(1 for i in first if model.options[i].surveyor == s) for s in counted]
        hints += [(most, max(loads)), (fewest, min(loads))]
        for s in counted:
            load = model.existing_load[s] + sum(chosen[i] for i in by_surveyor.get(s, []))
            sat.add(most >= load)
            sat.add(fewest <= load)
        objective.append(w.imbalance * (most - fewest))
    sat.minimize(sum(objective) + constant)

    for i, o in enumerate(model.options):
        sat.add_hint(chosen[i], i in first)
        sat.add_hint(starts[i], first.get(i, o.lo))
    for variable, value in hints:
        sat.add_hint(variable, value)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.random_seed = seed
    if workers:
        solver.parameters.num_workers = workers
    # on a budget of seconds, presolve and probing eat the time that search and the LP bound need
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    solver.parameters.cp_model_presolve = time_limit_s >= 10
    code = solver.solve(sat)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return [], _STATUS.get(code, "no_solution"), float(solver.best_objective_bound)
    placements = [Placement(o.request, o.surveyor, solver.value(starts[i]))
                  for i, o in enumerate(model.options) if solver.value(chosen[i])]
    return placements, _STATUS[code], float(solver.best_objective_bound)


def _free_minutes(model: DayModel, surveyor: int, first: int, last: int) -> int:
    """Minutes of the surveyor's [first, last) not already taken by leave or bookings."""
    taken, reach = 0, first
    for a, b in sorted(model.blocks[surveyor]):
        a, b = max(a, reach), min(b, last)
        if b > a:
            taken += b - a
            reach = b
    return max(0, last - first - taken)


def _energy_cuts(
    sat: cp_model.CpModel, model: DayModel, surveyor: int, picks: list[int], chosen: list[cp_model.IntVar]
) -> None:
    """Redundant, for the bound: jobs that must lie within [release, deadline) fit, with their drives, in its free time."""
    spans = {i: (model.options[i].lo - model.options[i].pad, model.options[i].hi + model.duration(model.options[i].request))
             for i in picks}
    releases = _spread(sorted({a for a, _ in spans.values()}), 8)
    deadlines = _spread(sorted({b for _, b in spans.values()}), 8)
    seen: set[frozenset[int]] = set()
    for first in releases:
        for last in deadlines:
            inside = frozenset(i for i, (a, b) in spans.items() if first <= a and b <= last)
            if len(inside) < 2 or inside in seen:
                continue
            seen.add(inside)
            free = _free_minutes(model, surveyor, first, last)
            if sum(model.options[i].pad + model.duration(model.options[i].request) for i in inside) > free:
                sat.add(sum((model.options[i].pad + model.duration(model.options[i].request)) * chosen[i]
                            for i in inside) <= free)


def _spread(values: list[int], count: int) -> list[int]:
    """At most `count` of the sorted values, evenly spread, always keeping the first and the last."""
    if len(values) <= count:
        return values
    step = (len(values) - 1) / (count - 1)
    return sorted({values[round(k * step)] for k in range(count)})


def _option_starts(model: DayModel, placements: Iterable[Placement]) -> dict[int, int]:
    """The plan as CP-SAT's hint: option index -> start."""
    index = {(o.request, o.surveyor, o.lo, o.hi): i for i, o in enumerate(model.options)}
    by_pair: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for o in model.options:
        by_pair.setdefault((o.request, o.surveyor), []).append((o.lo, o.hi))
    first: dict[int, int] = {}
    for p in placements:
        for lo, hi in by_pair.get((p.request, p.surveyor), []):
            if lo <= p.start <= hi:
                first[index[(p.request, p.surveyor, lo, hi)]] = p.start
                break
    return first


def _recheck(
    model: DayModel, proposed: list[Assignment], kept: list[Assignment], now: datetime
) -> tuple[list[Assignment], list[str]]:
    """Keep only bookings check_hard_rules accepts against the whole plan; re-place what had to go."""
    requests = {r.id: r for r in model.requests}
    surveyors = {s.id: s for s in model.surveyors}
    plan = list(proposed)
    dropped: list[str] = []
    while True:
        failing = next((a for a in plan if check_hard_rules(
            requests[a.request_id], surveyors[a.surveyor_id], [*kept, *plan], a.start, now=now)), None)
        if failing is None:
            break
        plan.remove(failing)
        dropped.append(failing.request_id)
    for request_id in dropped:
        request = requests[request_id]
        for surveyor in model.surveyors:
            start = earliest_start(request, surveyor, [*kept, *plan], now)
            if start is not None and office_day(start) == model.day:
                candidate = Assignment.of(request, surveyor.id, start)
                everyone = [*kept, *plan, candidate]
                if all(not check_hard_rules(requests[a.request_id], surveyors[a.surveyor_id], everyone, a.start,
                                            now=now) for a in [*plan, candidate]):
                    plan.append(candidate)
                    break
    return plan, dropped


def _as_placements(model: DayModel, assignments: Iterable[Assignment]) -> list[Placement]:
    index_r = {r.id: i for i, r in enumerate(model.requests)}
    index_s = {s.id: i for i, s in enumerate(model.surveyors)}
    return [Placement(index_r[a.request_id], index_s[a.surveyor_id], floor_minutes(a.start, model.origin))
            for a in assignments]


def _why_left(model: DayModel, assigned: set[str]) -> Iterable[Unassigned]:
    for r, request in enumerate(model.requests):
        if request.id in assigned:
            continue
        rule = model.no_option.get(r)
        if rule is None:
            yield Unassigned(request.id, None, "当天已无可用时段或容量", "no room left that day")
        else:
            yield Unassigned(request.id, rule, f"没有勘查员满足「{rule.label_zh}」", f"no surveyor meets {rule.label_en}")


def plan_cost(model: DayModel, assignments: Iterable[Assignment]) -> Cost:
    """The objective of a set of bookings on the model's day (for comparing plans)."""
    return cost(model, _as_placements(model, assignments))
