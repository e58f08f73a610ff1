"""One surveyor's day in a batch plan: which jobs to take (a knapsack on the clock) and in what order.

Drives are reserved before each job whatever comes before it (batch_model.py), so a day is a row of
stretches (drive + work) that must not overlap each other, leave or bookings, each inside one of its
options. `best_day` chooses the most profitable jobs done in due-date order by dynamic programming over
(jobs taken, minute the last one ends); `schedule` puts chosen jobs in a feasible order with little
lateness, exactly as the model allows; `fit` drops the fewest jobs needed when they do not all fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from domain.dispatch.batch_model import DayModel, Placement, Span, earliest_fit
from domain.dispatch.batch_relax import Job, Knapsack, Relaxation

_NONE = -1e18  # an unreachable state
_SEARCH_NODES = 400  # orders tried when neither due-date nor release order fits a surveyor's jobs
_DROP_TRIES = 8  # up to this many jobs, try leaving each one out in turn


@dataclass(frozen=True)
class Day:
    """One surveyor's scheduled jobs and what they are worth (unassigned cost saved − travel − lateness)."""

    jobs: tuple[Job, ...]
    placements: tuple[Placement, ...]
    value: float


EMPTY_DAY = Day((), (), 0.0)


@dataclass(frozen=True)
class Clock:
    """A surveyor's jobs on the clock: where each job's stretch (drive + work) may begin, and the lateness there."""

    knapsack: Knapsack
    length: int
    starts: tuple[np.ndarray, ...]  # per job: allowed first minutes of its stretch, counted from the clock's origin
    late: tuple[np.ndarray, ...]  # per job: the lateness paid when its stretch begins there


def clock(model: DayModel, knapsack: Knapsack) -> Clock:
    jobs = knapsack.jobs
    origin = min((o.lo - o.pad for j in jobs for o in j.options), default=0)
    length = max((j.deadline for j in jobs), default=origin) - origin
    blocks = [(a - origin, b - origin) for a, b in model.blocks[knapsack.surveyor] if b > origin and a < origin + length]
    blocked_before = None
    if blocks:
        blocked = np.zeros(length + 1, dtype=np.int64)
        for a, b in blocks:
            blocked[max(0, a):max(0, b)] = 1
        blocked_before = np.concatenate(([0], np.cumsum(blocked)))
    starts, late = [], []
    for job in jobs:
        if len(job.options) == 1:
            o = job.options[0]
            positions = np.arange(o.lo - o.pad - origin, min(o.hi - o.pad - origin, length - job.size) + 1)
        else:
            spans = [np.arange(o.lo - o.pad - origin, o.hi - o.pad - origin + 1) for o in job.options]
            positions = np.unique(np.concatenate(spans))
            positions = positions[positions + job.size <= length]
        if blocked_before is not None:
            positions = positions[blocked_before[positions + job.size] == blocked_before[positions]]
        starts.append(positions)
        late.append(np.maximum(0, positions + (job.size + origin - job.target)) * float(job.lateness))
    return Clock(knapsack, length, tuple(starts), tuple(late))


def best_day(day_clock: Clock, profit: np.ndarray) -> list[Job]:
    """The most profitable jobs (`profit` per job; lateness is paid on top), done in due-date order.

    table[k, e]: the best worth of k jobs all done by minute e (never less than at e − 1).
    """
    room, jobs = day_clock.knapsack.room, day_clock.knapsack.jobs
    if room <= 0 or not jobs:
        return []
    table = np.full((room + 1, day_clock.length + 1), _NONE)
    table[0] = 0.0
    history: list[tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    for index, job in enumerate(jobs):
        starts = day_clock.starts[index]
        if profit[index] <= 0 or starts.size == 0:
            continue
        first, last = int(starts[0]), int(starts[-1])
        if last - first + 1 == starts.size:  # one stretch of starts (the usual case): work on views
            before = table[:-1, first:last + 1].copy()
            current = table[1:, first + job.size:last + job.size + 1]
            candidate = before + (profit[index] - day_clock.late[index])
            better = candidate > current
            if not better.any():
                continue
            np.maximum(current, candidate, out=current)
        else:
            before = table[:-1, starts]
            candidate = before + (profit[index] - day_clock.late[index])
            current = table[1:, starts + job.size]
            better = candidate > current
            if not better.any():
                continue
            table[1:, starts + job.size] = np.where(better, candidate, current)
        done = first + job.size
        np.maximum.accumulate(table[1:, done:], axis=1, out=table[1:, done:])
        history.append((index, starts + job.size, better, candidate, before))
    k = int(np.argmax(table[:, -1]))
    value, done_by = float(table[k, -1]), day_clock.length
    picked: list[Job] = []
    for index, ends, better, candidate, before in reversed(history):
        if k == 0:
            break
        hits = np.nonzero(better[k - 1] & (candidate[k - 1] == value) & (ends <= done_by))[0]
        if hits.size:
            at = int(hits[0])
            picked.append(jobs[index])
            value, done_by, k = float(before[k - 1, at]), int(ends[at] - jobs[index].size), k - 1
    return picked[::-1]


def _lateness(model: DayModel, request: int, start: int) -> int:
    late = start + model.duration(request) - model.target(request)
    return model.weights.lateness * model.priority(request) * late if late > 0 else 0


def _place(model: DayModel, surveyor: int, order: Sequence[Job]) -> tuple[int, list[Placement]] | None:
    """Each job at its earliest fit after the one before; the lateness paid, or None when one does not fit."""
    busy: list[Span] = list(model.blocks[surveyor])
    placed: list[Placement] = []
    previous_end, late = -10**9, 0
    for job in order:
        duration = model.duration(job.request)
        best: tuple[int, int] | None = None
        for option in job.options:
            start = earliest_fit(option, duration, busy, previous_end + option.pad)
            if start is not None and (best is None or start < best[0]):
                best = (start, option.pad)
        if best is None:
            return None
        start, pad = best
        busy.append((start - pad, start + duration))
        previous_end = start + duration
        late += _lateness(model, job.request, start)
        placed.append(Placement(job.request, surveyor, start))
    return late, placed


def _release(job: Job) -> int:
    return min(o.lo - o.pad for o in job.options)


def _search(model: DayModel, surveyor: int, jobs: Sequence[Job]) -> list[Job] | None:
    """Depth-first over orders (bounded): the first order that fits."""
    nodes = 0

    def extend(order: list[Job], rest: list[Job]) -> list[Job] | None:
        nonlocal nodes
        if not rest:
            return order
        for job in sorted(rest, key=lambda j: (j.deadline, _release(j))):
            nodes += 1
            if nodes > _SEARCH_NODES or _place(model, surveyor, [*order, job]) is None:
                continue
            found = extend([*order, job], [j for j in rest if j is not job])
            if found is not None:
                return found
        return None

    return extend([], list(jobs))


def schedule(model: DayModel, surveyor: int, jobs: Sequence[Job]) -> tuple[int, list[Placement]] | None:
    """A feasible order of the jobs with little lateness (due-date order, improved by swapping neighbours)."""
    order = sorted(jobs, key=lambda j: (j.deadline, _release(j)))
    found = _place(model, surveyor, order)
    if found is None:
        order = sorted(jobs, key=lambda j: (_release(j), j.deadline))
        found = _place(model, surveyor, order)
    if found is None:
        searched = _search(model, surveyor, jobs)
        if searched is None:
            return None
        order, found = searched, _place(model, surveyor, searched)
    if found is None:
        return None
    improved = True
    while improved and found[0] > 0:
        improved = False
        for i in range(len(order) - 1):
            swapped = [*order[:i], order[i + 1], order[i], *order[i + 2:]]
            attempt = _place(model, surveyor, swapped)
            if attempt is not None and attempt[0] < found[0]:
                order, found, improved = swapped, attempt, True
    return found


def worth(relaxation: Relaxation, jobs: Sequence[Job]) -> float:
    """Unassigned cost saved minus travel: a day's value before lateness."""
    return sum(relaxation.unassigned[j.request] - j.travel for j in jobs)


def fit(relaxation: Relaxation, surveyor: int, jobs: Sequence[Job]) -> Day:
    """Schedule the jobs, leaving out as few as needed (the least worth per minute first) until they fit."""
    model = relaxation.model
    chosen = list(jobs)
    while chosen:
        found = schedule(model, surveyor, chosen)
        if found is not None:
            late, placements = found
            return Day(tuple(chosen), tuple(placements), worth(relaxation, chosen) - late)
        tries = [[j for j in chosen if j is not out] for out in chosen] if len(chosen) <= _DROP_TRIES else []
        fitting = [t for t in tries if schedule(model, surveyor, t) is not None]
        if fitting:
            chosen = max(fitting, key=lambda t: worth(relaxation, t))
            continue
        chosen.remove(min(chosen, key=lambda j: worth(relaxation, [j]) / j.size))
    return EMPTY_DAY
