"""Survey dispatch (勘查派工): hard rules filter the surveyors, weighted soft scores rank them, and say why."""

from domain.dispatch.models import Assignment, Location, Period, Surveyor, SurveyRequest, Weights
from domain.dispatch.rules import HardRule, RuleViolation, check_hard_rules, validate_assignment
from domain.dispatch.scoring import Rejection, ScoreTerm, Suggestion, SuggestionResult, suggest
from domain.dispatch.slots import earliest_start

__all__ = [
    "Assignment",
    "HardRule",
    "Location",
    "Period",
    "Rejection",
    "RuleViolation",
    "ScoreTerm",
    "Suggestion",
    "SuggestionResult",
    "SurveyRequest",
    "Surveyor",
    "Weights",
    "check_hard_rules",
    "earliest_start",
    "suggest",
    "validate_assignment",
]
