"""Ratings on closed cross-department tickets: 主责评价, 协作互评 and the customer's 客户评价 as Evaluation records;
and the ratings customers gave in the app (domain.app_ratings) on a share of their closed app tickets."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from backend.demo import ids
from backend.demo.tickets import OfficeTickets, TicketDraft
from domain.records import Evaluation

_RATED_SHARE = 0.7  # most closed cross-department tickets get their evaluations filled in
_SCORES, _WEIGHTS = (5, 4, 3, 2), (55, 30, 11, 4)
_COMMENTS = ("配合及时", "资料齐全", "现场沟通顺畅", "回复稍慢", "")
_APP_RATED_SHARE = 0.4  # of the closed tickets accepted in the app, the customer rated this many there
_APP_SCORES, _APP_WEIGHTS = (5, 4, 3, 2, 1), (50, 28, 12, 6, 4)
_APP_COMMENTS = ("手机上就办好了", "不用跑营业厅", "进度提醒及时", "等得有点久", "")


def demo_evaluations(source: OfficeTickets, drafts: list[TicketDraft]) -> list[Evaluation]:
    """For a share of the office's closed tickets worked by more than one department."""
    rng = random.Random(f"demo:{source.seed}:{source.county.office_code}:evaluations")
    out: list[Evaluation] = []
    for draft in drafts:
        if draft.fields["state"] != "closed" or draft.fields["closed_at"] is None:
            continue
        lead = str(draft.ticket_type.department)
        done = [t for t in draft.played.tasks
                if t.state == "done" and not draft.played.stage_of[t.id].is_return_visit]
        others = sorted({t.department for t in done} - {lead})
        if not others or rng.random() > _RATED_SHARE:
            continue
        out.extend(_ratings(rng, source, draft, lead, others))
    return out + _app_ratings(source, drafts)


def _app_ratings(source: OfficeTickets, drafts: list[TicketDraft]) -> list[Evaluation]:
    """The customer rated in the app a few hours after the ticket closed (a random stream of its own, so the rest
    of the demo stays as it was)."""
    rng = random.Random(f"demo:{source.seed}:{source.county.office_code}:app-ratings")
    out: list[Evaluation] = []
    for draft in drafts:
        closed_at = draft.fields["closed_at"]
        if draft.fields["state"] != "closed" or closed_at is None or draft.fields.get("channel") != "app":
            continue
        if rng.random() > _APP_RATED_SHARE:
            continue
        at = min(closed_at + timedelta(hours=rng.uniform(0.5, 30)), source.now)
        out.append(Evaluation(
            id=ids.uuid7_at(rng, at), office_id=source.office.id, ticket_id=draft.id, evaluator="customer",
            score=rng.choices(_APP_SCORES, weights=_APP_WEIGHTS)[0], comment=rng.choice(_APP_COMMENTS),
            by="system:app", at=at, channel="app"))
    return out


def _ratings(rng: random.Random, source: OfficeTickets, draft: TicketDraft, lead: str,
             others: list[str]) -> list[Evaluation]:
    closed_at = draft.fields["closed_at"]
    lead_by = source.staff.by_department.get(lead)
    made: list[Evaluation] = []

    def rate(evaluator: str, at: datetime, by: str | None, from_department: str | None, to_department: str,
             score: int | None = None) -> None:
        made.append(Evaluation(
            id=ids.uuid7_at(rng, at), office_id=source.office.id, ticket_id=draft.id,
            evaluator=evaluator, from_department=from_department, to_department=to_department,  # type: ignore[arg-type]
            score=score or rng.choices(_SCORES, weights=_WEIGHTS)[0],
            comment="" if score else rng.choice(_COMMENTS), by=by, at=at,
        ))

    for department in others:
        finished = max(t.completed_at for t in draft.played.tasks
                       if t.department == department and t.completed_at is not None)
        rate("peer", finished, source.staff.by_department.get(department), department, lead)
        rate("lead", closed_at, lead_by, lead, department)
    if draft.fields["satisfaction"] is not None:  # the score the customer gave at the return visit
        visit = next((t for t in draft.played.tasks if draft.played.stage_of[t.id].is_return_visit), None)
        rate("customer", closed_at, visit.assignee_id if visit else lead_by, None, lead, draft.fields["satisfaction"])
    return made
