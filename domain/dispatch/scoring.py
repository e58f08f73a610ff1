"""Suggesting surveyors for a survey: hard rules filter, weighted soft scores rank, every point explained."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from domain.dispatch.itinerary import Timetable, leg_to, own_assignments, shift_covering
from domain.dispatch.models import Assignment, Surveyor, SurveyRequest, Weights, office_day
from domain.dispatch.rules import RuleViolation
from domain.dispatch.slots import search_slot
from domain.errors import InvalidInput
from domain.language import is_english

# A drive of this many minutes earns half the travel points; longer drives keep losing points, never below zero.
TRAVEL_HALF_POINTS_MINUTES = 30.0

_TERM_TEXT: dict[str, tuple[str, str, str, str]] = {
    # name: label_zh, label_en, what raw means in zh, in en
    "travel": ("路程", "travel", "约 {raw:.0f} 分钟车程", "about {raw:.0f} min on the road"),
    "workload": ("工作量", "workload", "当日已派 {raw:.0f} 单", "{raw:.0f} jobs already that day"),
    "urgency": ("时限", "deadline", "完成后距期限 {raw:.1f} 小时", "{raw:.1f} h to spare before the due date"),
    "continuity": ("连续服务", "continuity", "{served_zh}", "{served_en}"),
    "arrival": ("最早到达", "earliest arrival", "{raw:.0f} 分钟后可到达（紧急：按到达先后排序）",
                "can be there in {raw:.0f} min (emergency: ranked by arrival only)"),
}


@dataclass(frozen=True)
class ScoreTerm:
    """One reason in a suggestion's score: the measurement (raw), its weight, and the points it earned."""

    name: str
    label_zh: str
    label_en: str
    raw: float
    weight: float
    points: float

    def reason(self, language: str = "zh") -> str:
        """What was measured, in the dispatcher's words ("路程：约 12 分钟车程"), without points or weights."""
        _, _, what_zh, what_en = _TERM_TEXT[self.name]
        fill = {
            "raw": self.raw,
            "served_zh": "曾服务过该客户" if self.raw else "未服务过该客户",
            "served_en": "has served this customer before" if self.raw else "new to this customer",
        }
        if is_english(language):
            return f"{self.label_en}: {what_en.format(**fill)}"
        return f"{self.label_zh}：{what_zh.format(**fill)}"

    def explain(self, language: str = "zh") -> str:
        """The reason with the points it earned and its weight (for tuning the weights, not for the board)."""
        if is_english(language):
            return f"{self.reason(language)} → {self.points:+.1f} pts (weight {self.weight:g})"
        return f"{self.reason(language)} → {self.points:+.1f} 分（权重 {self.weight:g}）"


def _term(name: str, raw: float, weight: float, merit: float) -> ScoreTerm:
    label_zh, label_en, _, _ = _TERM_TEXT[name]
    return ScoreTerm(name, label_zh, label_en, raw, weight, weight * merit)


@dataclass(frozen=True)
class Suggestion:
    """A surveyor who may take the survey, from `start` to `end`; score is exactly the sum of the breakdown's points."""

    surveyor_id: str
    start: datetime
    end: datetime
    score: float
    breakdown: tuple[ScoreTerm, ...]

    def explain(self, language: str = "zh") -> str:
        return "\n".join(term.explain(language) for term in self.breakdown)

    def reasons(self, language: str = "zh") -> str:
        """Why this surveyor, one line a reason, as the dispatcher reads it (no points or weights)."""
        return "\n".join(term.reason(language) for term in self.breakdown)


class Rejection(NamedTuple):
    surveyor_id: str
    violations: tuple[RuleViolation, ...]


@dataclass(frozen=True)
class SuggestionResult:
    suggestions: tuple[Suggestion, ...]
    rejected: tuple[Rejection, ...]


def total(breakdown: Sequence[ScoreTerm]) -> float:
    """The score of a breakdown, added in its own order so the same floats always give the same total."""
    return sum((term.points for term in breakdown), 0.0)


def suggest(
    request: SurveyRequest,
    surveyors: Iterable[Surveyor],
    assignments: Iterable[Assignment],
    *,
    now: datetime,
    weights: Weights = Weights(),
    past_customers: Mapping[str, frozenset[str]] | None = None,
    limit: int = 5,
) -> SuggestionResult:
    """Best `limit` surveyors, best first, each at their earliest feasible start; everyone else with the reason.

    Emergency work drops the territory rule and is ranked by earliest arrival alone (weights are not used).
    """
    if limit < 0:
        raise InvalidInput("建议人数不能为负数", "suggestion limit cannot be negative", field="limit")
    booked = list(assignments)
    served = past_customers or {}
    suggestions: list[Suggestion] = []
    rejected: list[Rejection] = []
    seen: set[str] = set()
    for surveyor in surveyors:
        if surveyor.id in seen:
            raise InvalidInput(f"勘查员重复：{surveyor.id}", f"surveyor listed twice: {surveyor.id}", field="surveyors")
        seen.add(surveyor.id)
        mine = own_assignments(surveyor.id, booked, request.id)
        found = search_slot(request, surveyor, mine, now)
        if found.start is None:
            rejected.append(Rejection(surveyor.id, found.blocking))
            continue
        if request.urgency == "emergency":
            breakdown = _arrival_terms(found.start, now)
        else:
            knows = request.customer_id in served.get(surveyor.id, frozenset())
            breakdown = _soft_terms(request, surveyor, mine, found.start, now, weights, knows)
        suggestions.append(
            Suggestion(surveyor.id, found.start, found.start + request.duration, total(breakdown), breakdown)
        )
    suggestions.sort(key=lambda s: (-s.score, s.start, s.surveyor_id))
    return SuggestionResult(tuple(suggestions[:limit]), tuple(rejected))


def _arrival_terms(start: datetime, now: datetime) -> tuple[ScoreTerm, ...]:
    minutes = (start - now) / timedelta(minutes=1)
    return (_term("arrival", minutes, 1.0, -minutes),)


def _soft_terms(
    request: SurveyRequest, surveyor: Surveyor, mine: Timetable, start: datetime, now: datetime,
    weights: Weights, knows_customer: bool,
) -> tuple[ScoreTerm, ...]:
    end = start + request.duration
    shift = shift_covering(surveyor, start, end)
    drive = 0.0
    if request.mode == "on_site" and shift is not None:
        drive = leg_to(surveyor, mine.jobs, shift, request.location, start, now).minutes
    day = office_day(start)
    that_day = mine.booked_on(day)
    load = that_day / surveyor.daily_capacity if surveyor.daily_capacity > 0 else 1.0
    spare = request.due_at - end
    # Share of the time left until the due date still spare at finish: near a deadline, finishing early counts most.
    left = request.due_at - now
    spare_share = spare / left if left > timedelta(0) else 0.0
    urgency_weight = weights.urgency * (weights.urgent_factor if request.urgency == "urgent" else 1.0)
    return (
        _term("travel", drive, weights.travel, 1.0 / (1.0 + drive / TRAVEL_HALF_POINTS_MINUTES)),
        _term("workload", that_day, weights.workload, min(1.0, max(0.0, 1.0 - load))),
        _term("urgency", spare / timedelta(hours=1), urgency_weight, min(1.0, max(0.0, spare_share))),
        _term("continuity", 1.0 if knows_customer else 0.0, weights.continuity, 1.0 if knows_customer else 0.0),
    )
