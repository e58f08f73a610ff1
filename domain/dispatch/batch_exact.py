"""The exhaustive reference for batch assignment: every mapping, every order, so its optimum is proven.

Only for small days (a handful of requests): it tries (surveyors + 1) ^ requests mappings and every
order of each surveyor's jobs. For a fixed order, starting each job as early as it fits is optimal,
because every objective term either ignores times or grows with a job's finish.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from domain.dispatch.batch_model import Cost, DayModel, Option, Placement, Span, cost, earliest_fit
from domain.errors import InvalidInput

MAX_EXACT_REQUESTS = 7


def _schedule(model: DayModel, surveyor: int, jobs: Sequence[tuple[int, list[Option]]]) -> list[Placement] | None:
    """Place the jobs in this order, each at its earliest fit after the previous one; None when one does not fit."""
    busy: list[Span] = list(model.blocks[surveyor])
    placed: list[Placement] = []
    previous_end = -10**9
    for request, choices in jobs:
        duration = model.duration(request)
        best: tuple[int, Option] | None = None
        for option in choices:  # one option per shift of the day: the earliest fit over all of them
            start = earliest_fit(option, duration, busy, previous_end + option.pad)
            if start is not None and (best is None or start < best[0]):
                best = (start, option)
        if best is None:
            return None
        start, option = best
        busy.append((start - option.pad, start + duration))
        previous_end = start + duration
        placed.append(Placement(request, surveyor, start))
    return placed


def _best_day_of(model: DayModel, surveyor: int, requests: Sequence[int]) -> tuple[int, list[Placement]] | None:
    """The cheapest order of these jobs for one surveyor (lateness only depends on the order)."""
    choices = {r: [o for o in model.options if o.request == r and o.surveyor == surveyor] for r in requests}
    best: tuple[int, list[Placement]] | None = None
    for order in itertools.permutations(requests):
        placed = _schedule(model, surveyor, [(r, choices[r]) for r in order])
        if placed is None:
            continue
        late = cost(model, placed).terms["lateness"]
        if best is None or late < best[0]:
            best = (late, placed)
    return best


def solve_exact(model: DayModel) -> tuple[Cost, list[Placement]]:
    """The proven optimum of the model, by trying everything."""
    count = len(model.requests)
    if count > MAX_EXACT_REQUESTS:
        raise InvalidInput(f"穷举求解最多 {MAX_EXACT_REQUESTS} 单", f"exact solving takes at most {MAX_EXACT_REQUESTS} requests",
                           field="requests")
    allowed = [sorted({o.surveyor for o in model.options if o.request == r}) for r in range(count)]
    best: tuple[Cost, list[Placement]] = (cost(model, []), [])
    cache: dict[tuple[int, tuple[int, ...]], tuple[int, list[Placement]] | None] = {}
    for mapping in itertools.product(*[[None, *a] for a in allowed]):
        per_surveyor: dict[int, list[int]] = {}
        for request, surveyor in enumerate(mapping):
            if surveyor is not None:
                per_surveyor.setdefault(surveyor, []).append(request)
        if any(len(jobs) > model.room[s] for s, jobs in per_surveyor.items()):
            continue
        plan: list[Placement] = []
        for surveyor, jobs in per_surveyor.items():
            key = (surveyor, tuple(jobs))
            if key not in cache:
                cache[key] = _best_day_of(model, surveyor, jobs)
            found = cache[key]
            if found is None:
                break
            plan.extend(found[1])
        else:
            total = cost(model, plan)
            if total.total < best[0].total:
                best = (total, plan)
    return best
