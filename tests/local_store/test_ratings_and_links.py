"""A 催办 linked to its ticket, evaluations as records, a transition that carries its fields in one mutation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain.errors import InvalidInput
from domain.records import Evaluation, SurveyAssignment
from local_store import Store

from .conftest import OFFICE, ManualClock, StubCatalogue, page, seed

REPAIR_FIELDS = {"fault_kind": "no_power", "contact_phone": "139 0000 1111"}


def test_a_chase_stores_the_ticket_it_chases(store: Store) -> None:
    seed(store)
    chase = store.accept_ticket(type_code="repair", channel="hall", office_id=OFFICE, customer_id="cust-1",
                                fields=REPAIR_FIELDS, linked_ticket_id="tick-1")
    assert chase.linked_ticket_id == "tick-1" and store.ticket(chase.id) == chase
    assert store.pending_mutations()[0].fields["linked_ticket_id"] == "tick-1"
    with pytest.raises(InvalidInput) as refused:
        store.accept_ticket(type_code="repair", channel="hall", office_id=OFFICE, fields=REPAIR_FIELDS,
                            linked_ticket_id="tick-missing")
    assert refused.value.field == "ticket_id"
    assert store.outbox_size() == 1


def test_an_evaluation_is_a_row_and_a_create_in_one_write(store: Store) -> None:
    seed(store)
    lead = store.record_evaluation("tick-1", "lead", 4, from_department="marketing", to_department="metering",
                                   comment=" 配合及时 ", by="s-1")
    customer = store.record_evaluation("tick-1", "customer", 5, by="s-2")
    assert isinstance(lead, Evaluation) and lead.office_id == OFFICE and lead.comment == "配合及时"
    assert store.ticket_evaluations("tick-1") == [lead, customer]
    assert [(m.entity, m.entity_id, m.op) for m in store.pending_mutations()] == [
        ("evaluation", lead.id, "create"), ("evaluation", customer.id, "create")]
    assert store.pending_mutations()[0].fields["to_department"] == "metering"


@pytest.mark.parametrize(
    ("evaluator", "score", "departments", "field"),
    [
        ("customer", 6, {}, "score"),
        ("customer", True, {}, "score"),
        ("lead", 3, {"from_department": "marketing"}, "to_department"),
        ("judge", 3, {}, "evaluator"),
    ],
)
def test_a_bad_evaluation_writes_nothing(store: Store, evaluator: str, score: int, departments: dict[str, str],
                                         field: str) -> None:
    seed(store)
    with pytest.raises(InvalidInput) as refused:
        store.record_evaluation("tick-1", evaluator, score, **departments)
    assert refused.value.field == field
    assert store.ticket_evaluations("tick-1") == [] and store.outbox_size() == 0


@pytest.fixture
def domain_rules_store(tmp_path: Path, key: bytes, clock: ManualClock) -> Iterator[Store]:
    """A store that checks moves with domain.states (survey assignments included)."""
    opened = Store.open(tmp_path / "rules.db", key, clock=clock, desk_code="D2", catalogue=StubCatalogue())  # type: ignore[arg-type]
    try:
        yield opened
    finally:
        opened.close()


def test_a_booking_is_one_transition_carrying_its_fields(domain_rules_store: Store) -> None:
    store = domain_rules_store
    survey = {"id": "sa-1", "office_id": OFFICE, "version": 3, "ticket_id": "tick-1", "state": "unassigned"}
    store.apply_pull_page(page([("survey_assignment", survey)], cursor=1))
    start = datetime(2025, 3, 4, 2, tzinfo=UTC)
    booked = store.transition("survey_assignment", "sa-1", "assigned", "dispatcher",
                              fields={"surveyor_id": "sv-1", "start": start, "end": start.replace(hour=3)})
    assert isinstance(booked, SurveyAssignment) and booked.state == "assigned" and booked.start == start
    (mutation,) = store.pending_mutations()
    assert mutation.op == "transition" and mutation.base_version == 3
    assert mutation.transition is not None and mutation.transition.to_state == "assigned"
    assert mutation.base == {"surveyor_id": None, "start": None, "end": None}
    assert isinstance(mutation.fields["start"], str)  # the wire form, as a field update would carry it
    assert store.survey_assignment("sa-1") == booked
    with pytest.raises(InvalidInput):
        store.transition("survey_assignment", "sa-1", "unassigned", "dispatcher", fields={"start": "not a time"})
    assert store.outbox_size() == 1
