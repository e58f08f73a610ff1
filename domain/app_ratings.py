"""客户评价 from the customer app (网上国网): the customer rates a finished ticket of their own, once. The rating is an
`Evaluation` like the return visit's (evaluator "customer"), marked `channel = "app"`, so 满意度, the monitor and the
multi-party evaluation count it with the others (domain.indicators: `rated`, `customer_rated`, and `app_rated`
for its source). The rule the backend's channel API asks (backend.channels)."""

from __future__ import annotations

from typing import Literal

from domain import bounds
from domain.errors import InvalidInput

APP: Literal["app"] = "app"
# Finished: the work is done and the ticket awaits its return visit, or it is closed. A cancelled ticket was
# never served; an open one is still being worked.
RATABLE_STATES = frozenset({"awaiting_visit", "closed"})
SCORES = range(1, 6)


def check_app_rating(*, ticket_state: str, already_rated: bool, score: object, comment: str | None) -> tuple[int, str]:
    """(score, comment stripped), or InvalidInput naming what is wrong: the ticket not finished, rated in the app
    already, a score that is not a whole number from 1 to 5, a comment too long."""
    if ticket_state not in RATABLE_STATES:
        raise InvalidInput("工单尚未办结，办结后才能评价", "the ticket is not finished yet: rate it when it is",
                           field="ticket_number")
    if already_rated:
        raise InvalidInput("此工单已评价过，每张工单只能评价一次", "this ticket was rated in the app already: once only",
                           field="ticket_number")
    if isinstance(score, bool) or not isinstance(score, int) or score not in SCORES:
        raise InvalidInput("评分须为 1 到 5 的整数", "the score must be a whole number from 1 to 5", field="score")
    cleaned = (comment or "").strip()
    bounds.check_text("evaluation.comment", cleaned)
    return score, cleaned
