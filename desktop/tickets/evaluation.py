"""The return visit (回访) and the evaluations of a cross-department ticket (Qt-free; writes run in the store executor).

Three ratings, each 1-5, each kept as an `Evaluation` record (synced like any other row): the
customer's satisfaction (客户评价, also `ticket.satisfaction`), the lead department's rating of each
collaborating department (主责评价), and each collaborating department's rating of the lead (协作互评).
The return-visit task's result and a collaborator's stage result still carry the same ratings, so
the history reads the same as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.catalogue import Catalogue, Family
from domain.errors import DomainError, InvalidInput
from domain.records import Evaluation, Note, StageTask, Ticket
from domain.roles import Department
from local_store import Store

OUTCOMES: dict[str, tuple[str, str]] = {
    "resolved": ("问题已解决", "resolved"),
    "partly_resolved": ("部分解决", "partly resolved"),
    "unresolved": ("未解决", "not resolved"),
    "unreachable": ("联系不上客户", "customer unreachable"),
}
# Families whose closing asks for the return visit (the catalogue marks which types have one).
VISITED_FAMILIES = frozenset({Family.complaint, Family.report, Family.service_request})


def _score(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInput("评分须为 1 至 5 分", "a rating is a whole number from 1 to 5", field=name)
    return value


@dataclass(frozen=True)
class ReturnVisit:
    outcome: str
    satisfaction: int | None  # None only when the customer could not be reached
    comment: str = ""
    lead_department: str | None = None
    lead_ratings: Mapping[str, int] = field(default_factory=dict)  # 主责评价: collaborating department -> score

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise InvalidInput("请选择回访结果", f"unknown return-visit outcome {self.outcome!r}", field="outcome")
        if self.satisfaction is None and self.outcome != "unreachable":
            raise InvalidInput("请填写客户满意度", "the customer's satisfaction is missing", field="satisfaction")
        if self.satisfaction is not None:
            _score(self.satisfaction, "satisfaction")
        for department, score in self.lead_ratings.items():
            _score(score, f"lead_ratings.{department}")

    def as_result(self) -> dict[str, Any]:
        """What goes on the return-visit task's result dict."""
        return {
            "return_visit": {
                "outcome": self.outcome,
                "satisfaction": self.satisfaction,
                "comment": self.comment.strip(),
                "lead_department": self.lead_department,
                "lead_ratings": dict(sorted(self.lead_ratings.items())),
            }
        }

    def summary(self, lang: str = "zh") -> str:
        """One line for the ticket's internal notes and history."""
        en = lang.startswith("en")
        outcome = OUTCOMES[self.outcome][1 if en else 0]
        parts = [f"Return visit: {outcome}" if en else f"回访：{outcome}"]
        if self.satisfaction is not None:
            parts.append(f"satisfaction {self.satisfaction}/5" if en else f"客户满意度 {self.satisfaction} 分")
        if self.lead_ratings:
            rated = ", ".join(f"{_department(d, lang)} {s}" for d, s in sorted(self.lead_ratings.items()))
            parts.append(f"lead's ratings: {rated}" if en else f"主责评价：{rated}")
        if self.comment.strip():
            parts.append(self.comment.strip())
        return "; ".join(parts) if en else "；".join(parts)


def peer_rating(lead_department: str, score: int) -> dict[str, Any]:
    """协作互评 on a collaborating department's own stage result: its rating of the lead department."""
    return {"peer_rating": {"department": lead_department, "score": _score(score, "peer_rating")}}


def _department(code: str, lang: str) -> str:
    try:
        return Department(code).label(lang)
    except ValueError:
        return code


def lead_department(ticket: Ticket, catalogue: Catalogue) -> str | None:
    try:
        return str(catalogue.ticket_type(ticket.type_code).department)
    except DomainError:
        return None


def is_return_visit_stage(ticket: Ticket, stage_code: str, catalogue: Catalogue) -> bool:
    try:
        workflow = catalogue.ticket_type(ticket.type_code).workflow
        return workflow.stage(stage_code).is_return_visit
    except DomainError:
        return stage_code == "return_visit"


def needs_return_visit(ticket: Ticket, catalogue: Catalogue) -> bool:
    """Closing asks for the visit: complaints, reports, service requests, and any type whose workflow has one."""
    try:
        ticket_type = catalogue.ticket_type(ticket.type_code)
    except DomainError:
        return False
    return ticket_type.needs_return_visit or ticket_type.family in VISITED_FAMILIES


def collaborating_departments(ticket: Ticket, tasks: Iterable[StageTask], catalogue: Catalogue) -> list[str]:
    """Departments other than the lead that worked a stage of this ticket (the return visit itself excluded)."""
    lead = lead_department(ticket, catalogue)
    found = {
        task.department for task in tasks
        if task.department != lead and task.state != "cancelled"
        and not is_return_visit_stage(ticket, task.stage_code, catalogue)
    }
    return sorted(found)


def record_return_visit(store: Store, ticket: Ticket, visit: ReturnVisit, by: str | None) -> Note:
    """The visit's ratings as Evaluation records, the customer's score on the ticket, and a note in its history."""
    if visit.satisfaction is not None:
        store.record_evaluation(ticket.id, "customer", visit.satisfaction, to_department=visit.lead_department,
                                comment=visit.comment, by=by)
        if visit.satisfaction != ticket.satisfaction:
            store.update_fields("ticket", ticket.id, {"satisfaction": visit.satisfaction})
    if visit.lead_department is not None:
        for department, score in sorted(visit.lead_ratings.items()):
            store.record_evaluation(ticket.id, "lead", score, from_department=visit.lead_department,
                                    to_department=department, by=by)
    return store.add_note(ticket.id, visit.summary(), author_id=by, visibility="internal")


def record_peer_rating(store: Store, task: StageTask, result: Mapping[str, Any], by: str | None) -> Evaluation | None:
    """协作互评 from a completed stage's result (see `peer_rating`) as an Evaluation record; None when unrated."""
    rated = result.get("peer_rating")
    if not isinstance(rated, Mapping) or rated.get("department") in (None, task.department):
        return None
    return store.record_evaluation(task.ticket_id, "peer", _score(rated.get("score"), "peer_rating"),
                                   from_department=task.department, to_department=str(rated["department"]), by=by)
