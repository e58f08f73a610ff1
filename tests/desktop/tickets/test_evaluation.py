"""The return visit and 协作互评 kept as Evaluation records, the customer's score also on the ticket."""

from __future__ import annotations

import pytest

from desktop.tickets.evaluation import ReturnVisit, peer_rating, record_peer_rating, record_return_visit
from domain.errors import InvalidInput
from domain.records import StageTask
from local_store import Store
from tests.desktop.tickets.conftest import Server


def test_a_return_visit_records_the_customers_and_the_leads_ratings(store: Store, office: Server) -> None:
    ticket = store.ticket("tick-00001")
    assert ticket is not None
    visit = ReturnVisit(outcome="resolved", satisfaction=4, comment="满意", lead_department="marketing",
                        lead_ratings={"metering": 5, "design": 3})
    note = record_return_visit(store, ticket, visit, "s-mkt")
    rated = [(e.evaluator, e.from_department, e.to_department, e.score) for e in store.ticket_evaluations(ticket.id)]
    assert rated == [("customer", None, "marketing", 4), ("lead", "marketing", "design", 3),
                     ("lead", "marketing", "metering", 5)]
    assert store.ticket(ticket.id).satisfaction == 4  # type: ignore[union-attr]
    assert note.body == visit.summary()
    assert [m.entity for m in store.pending_mutations()] == ["evaluation", "ticket", "evaluation", "evaluation", "note"]


def test_an_unreachable_customer_gives_no_customer_rating(store: Store, office: Server) -> None:
    ticket = store.ticket("tick-00001")
    assert ticket is not None
    record_return_visit(store, ticket, ReturnVisit(outcome="unreachable", satisfaction=None), None)
    assert store.ticket_evaluations(ticket.id) == []
    assert store.ticket(ticket.id).satisfaction is None  # type: ignore[union-attr]


def test_a_collaborators_stage_result_becomes_a_peer_rating(store: Store, office: Server) -> None:
    task = next(t for t in store.stage_tasks("tick-00001") if t.stage_code == "survey")
    metering = StageTask.model_validate(task.model_dump() | {"department": "metering"})
    evaluation = record_peer_rating(store, metering, {"outcome": "ok"} | peer_rating("marketing", 2), "s-meter")
    assert evaluation is not None and (evaluation.evaluator, evaluation.from_department,
                                       evaluation.to_department, evaluation.score) == ("peer", "metering", "marketing", 2)
    assert record_peer_rating(store, metering, {"outcome": "ok"}, "s-meter") is None
    assert record_peer_rating(store, task, peer_rating("marketing", 5), "s-mkt") is None  # the lead does not rate itself
    with pytest.raises(InvalidInput):
        record_peer_rating(store, metering, {"peer_rating": {"department": "marketing", "score": 9}}, "s-meter")
    assert len(store.ticket_evaluations("tick-00001")) == 1
