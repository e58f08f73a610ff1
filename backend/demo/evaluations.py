"""Ratings on closed cross-department tickets: 主责评价, 协作互评 and the customer's 客户评价 as Evaluation records."""

from __future__ import annotations

import random
from datetime import datetime

from backend.demo import ids
from backend.demo.tickets import OfficeTickets, TicketDraft
from domain.records import Evaluation

_RATED_SHARE = 0.7  # most closed cross-department tickets get their evaluations filled in
_SCORES, _WEIGHTS = (5, 4, 3, 2), (55, 30, 11, 4)
_COMMENTS = ("配合及时", "资料齐全", "现场沟通顺畅", "回复稍慢", "")


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
