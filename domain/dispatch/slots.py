"""Finding the first time a surveyor could start a survey without breaking a hard rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from domain.dispatch.itinerary import Timetable, leg_to, own_assignments, shift_at
from domain.dispatch.models import Assignment, Surveyor, SurveyRequest, start_of_next_day
from domain.dispatch.rules import HardRule, RuleViolation, violations


@dataclass(frozen=True)
class SlotSearch:
    """The first feasible start, or None with the violations at the closest miss (to tell the dispatcher why)."""

    start: datetime | None
    blocking: tuple[RuleViolation, ...] = ()


def earliest_start(
    request: SurveyRequest, surveyor: Surveyor, existing: Iterable[Assignment], not_before: datetime
) -> datetime | None:
    """First start at or after `not_before` that breaks no hard rule (shift, leave, travel, window, due date...).

    Nobody sets out before `not_before`: it is "now" for the travel rule, as in check_hard_rules(..., now=...).
    """
    return search_slot(request, surveyor, own_assignments(surveyor.id, existing, request.id), not_before).start


def search_slot(
    request: SurveyRequest, surveyor: Surveyor, mine: Timetable, not_before: datetime
) -> SlotSearch:
    """The first feasible start; failing that, why not, said the most useful way we can find."""
    found = _scan(request, surveyor, mine, not_before)
    if found.start is not None:
        return found
    # "could start at 16:10 but would finish after the due date" beats "not on shift at 03:00"
    last_shift_end = max((end for _, end in surveyor.shifts), default=request.due_at)
    unhurried = replace(request, due_at=max(request.due_at, last_shift_end) + request.duration, window_end=None)
    late = _scan(unhurried, surveyor, mine, not_before).start
    if late is None:
        return found
    return SlotSearch(None, tuple(violations(request, surveyor, mine, late, not_before)))


def _scan(request: SurveyRequest, surveyor: Surveyor, mine: Timetable, not_before: datetime) -> SlotSearch:
    """Try every moment where some rule can start to hold; the feasible starts always begin at one of them."""
    best: tuple[datetime, list[RuleViolation]] | None = None
    for start in _candidate_starts(request, surveyor, mine, not_before):
        broken = violations(request, surveyor, mine, start, not_before, explain=False)
        if not broken:
            return SlotSearch(start)
        if best is None or _closer(broken, best[1]):
            best = (start, broken)
    if best is None:
        return SlotSearch(None)
    return SlotSearch(None, tuple(violations(request, surveyor, mine, best[0], not_before)))


def _closer(broken: list[RuleViolation], best: list[RuleViolation]) -> bool:
    """Fewer broken rules is closer; on a tie, a miss inside a shift says more than "not on shift at 03:00"."""
    def off_shift(found: list[RuleViolation]) -> bool:
        return any(v.rule is HardRule.ON_DUTY for v in found)

    return (len(broken), off_shift(broken)) < (len(best), off_shift(best))


def _candidate_starts(
    request: SurveyRequest, surveyor: Surveyor, mine: Timetable, not_before: datetime
) -> list[datetime]:
    latest = request.latest_end - request.duration
    bases = {not_before}
    if request.window_start is not None:
        bases.add(request.window_start)
    for shift_start, shift_end in surveyor.shifts:
        if shift_end <= not_before or shift_start > latest:
            continue
        bases.add(shift_start)
        midnight = start_of_next_day(shift_start)
        while midnight < shift_end:  # a new day inside a shift resets the daily capacity
            bases.add(midnight)
            midnight = start_of_next_day(midnight)
    bases.update(end for _, end in surveyor.leave)
    bases.update(a.end for a in mine.jobs)
    starts = set(bases)
    if request.mode == "on_site":
        for base in bases:
            shift = shift_at(surveyor, base)
            if shift is not None:
                starts.add(leg_to(surveyor, mine.jobs, shift, request.location, base, not_before).arrive)
    in_range = sorted(s for s in starts if not_before <= s <= latest)
    return in_range or [not_before]
