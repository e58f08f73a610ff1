"""Finding the first time a surveyor could start a survey without breaking a hard rule."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.dispatch.itinerary import leg_to, own_assignments, shift_at
from domain.dispatch.models import Assignment, SurveyRequest, Surveyor, start_of_next_day
from domain.dispatch.rules import RuleViolation, violations


@dataclass(frozen=True)
class SlotSearch:
    """The first feasible start, or None with the violations at the closest miss (to tell the dispatcher why)."""

    start: datetime | None
    blocking: tuple[RuleViolation, ...] = ()


def earliest_start(
    request: SurveyRequest, surveyor: Surveyor, existing: Iterable[Assignment], not_before: datetime
) -> datetime | None:
    """First start at or after `not_before` that breaks no hard rule (shift, leave, travel, window, due date...)."""
    return search_slot(request, surveyor, own_assignments(surveyor.id, existing, request.id), not_before).start


def search_slot(
    request: SurveyRequest, surveyor: Surveyor, mine: Sequence[Assignment], not_before: datetime
) -> SlotSearch:
    """Try every moment where some rule can start to hold; the feasible starts always begin at one of them."""
    best: list[RuleViolation] | None = None
    for start in _candidate_starts(request, surveyor, mine, not_before):
        broken = violations(request, surveyor, mine, start)
        if not broken:
            return SlotSearch(start)
        if best is None or len(broken) < len(best):
            best = broken
    return SlotSearch(None, tuple(best or ()))


def _candidate_starts(
    request: SurveyRequest, surveyor: Surveyor, mine: Sequence[Assignment], not_before: datetime
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
    bases.update(a.end for a in mine)
    starts = set(bases)
    if request.mode == "on_site":
        for base in bases:
            shift = shift_at(surveyor, base)
            if shift is not None:
                starts.add(leg_to(surveyor, mine, shift, request.location, base).arrive)
    in_range = sorted(s for s in starts if not_before <= s <= latest)
    return in_range or [not_before]
