"""The public reads the tickets area and the dispatch board use, over rows that arrived by pull."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import pytest

from domain.errors import InvalidInput
from domain.records import LeavePeriod
from domain.sync import MutationResult
from local_store import Store, TicketFilters

from .conftest import OFFICE, customer_data, page, seed, ticket_data

AT = datetime(2025, 3, 5, 0, 0, tzinfo=UTC)


def task(n: int, ticket: int, **overrides: Any) -> dict[str, Any]:
    data = {"id": f"task-{n}", "office_id": OFFICE, "version": 1, "ticket_id": f"tick-{ticket}",
            "stage_code": "survey", "department": "marketing", "state": "open",
            "opened_at": f"2025-03-01T0{n}:00:00Z", "due_at": "2025-03-20T00:00:00Z", "warn_at": "2025-03-19T00:00:00Z"}
    return data | overrides


def survey(n: int, **overrides: Any) -> dict[str, Any]:
    return {"id": f"sa-{n}", "office_id": OFFICE, "version": 1, "ticket_id": "tick-0", "state": "unassigned"} | overrides


@pytest.fixture
def office(store: Store) -> Store:
    """Four customers and tickets (seed), a high-voltage customer's ticket, stage tasks, staff, notes, surveys."""
    seed(store)
    store.apply_pull_page(page([
        ("customer", customer_data(9, customer_class="01")),
        ("ticket", ticket_data(9, 9, accepted_by="s-clerk")),
        ("ticket", ticket_data(8, 1, state="closed")),
        ("stage_task", task(1, 0, department="metering", assignee_id="s-meter")),
        ("stage_task", task(2, 1, due_at="2025-03-04T00:00:00Z", warn_at="2025-03-03T00:00:00Z")),
        ("stage_task", task(3, 2, state="done", completed_at="2025-03-02T00:00:00Z")),
        ("stage_task", task(4, 8, department="metering", assignee_id="s-meter")),
        ("staff", {"id": "s-meter", "office_id": OFFICE, "version": 1, "username": "m", "display_name": "计量李工",
                   "role": "department_staff", "department": "metering"}),
        ("staff", {"id": "s-gone", "office_id": OFFICE, "version": 1, "username": "g", "display_name": "离职",
                   "role": "clerk", "active": False}),
        ("note", {"id": "note-2", "office_id": OFFICE, "version": 1, "ticket_id": "tick-0", "body": "后",
                  "at": "2025-03-02T00:00:00Z"}),
        ("note", {"id": "note-1", "office_id": OFFICE, "version": 1, "ticket_id": "tick-0", "body": "先",
                  "at": "2025-03-01T00:00:00Z"}),
        ("interaction", {"id": "int-1", "office_id": OFFICE, "version": 1, "channel": "hall", "type": "visit",
                         "at": "2025-03-01T00:00:00Z", "ticket_id": "tick-0"}),
        ("surveyor", {"id": "sv-1", "office_id": OFFICE, "version": 1, "name": "李勘查", "shift_start": "13:00:00",
                      "shift_end": "18:30:00", "work_days": [1, 3],
                      "leave": [{"start": "2025-03-04T00:00:00Z", "end": "2025-03-05T00:00:00Z", "reason": "年假"}]}),
        ("surveyor", {"id": "sv-other", "office_id": "office-2", "version": 1, "name": "外所"}),
        ("survey_assignment", survey(1, location_x_km=3.5, urgency="urgent", outcome={"photos": 2})),
        ("survey_assignment", survey(2, state="assigned", surveyor_id="sv-1", start="2025-03-04T02:00:00Z",
                                     end="2025-03-04T03:00:00Z")),
        ("survey_assignment", survey(3, state="assigned", surveyor_id="sv-1", start="2025-03-10T02:00:00Z",
                                     end="2025-03-10T03:00:00Z")),
    ], cursor=20, start_seq=100))
    return store


def ids(records: list[Any]) -> list[str]:
    return [record.id for record in records]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (TicketFilters(stage_department="metering"), ["tick-0", "tick-8"]),
        (TicketFilters(stage_department="metering", states=("accepted",)), ["tick-0"]),
        (TicketFilters(stage_assignee="s-meter"), ["tick-0", "tick-8"]),
        (TicketFilters(sla="overdue", sla_at=AT), ["tick-1"]),  # its stage is late, not the ticket
        (TicketFilters(sla="warning", sla_at=datetime(2025, 3, 19, 12, tzinfo=UTC)), ["tick-0"]),
        (TicketFilters(customer_class="01"), ["tick-9"]),
    ],
)
def test_queue_filters_reach_into_stages_and_customers(office: Store, filters: TicketFilters,
                                                       expected: list[str]) -> None:
    found = office.ticket_queue(filters, sort="number", limit=50)
    assert ids(found) == expected
    assert office.ticket_count(filters) == len(found)


def test_an_sla_list_needs_a_time(office: Store) -> None:
    with pytest.raises(InvalidInput):
        office.ticket_queue(TicketFilters(sla="overdue"))


def test_one_tickets_notes_contacts_and_the_office_staff(office: Store) -> None:
    assert [n.body for n in office.ticket_notes("tick-0")] == ["先", "后"]
    assert ids(office.ticket_interactions("tick-0")) == ["int-1"]
    assert ids(office.office_staff(OFFICE)) == ["s-meter"]
    assert set(ids(office.office_staff(OFFICE, include_inactive=True))) == {"s-meter", "s-gone"}
    assert office.customer_names(["cust-9", None, "cust-missing"]) == {"cust-9": "王秀英9"}
    assert set(office.tickets_by_id(["tick-9", "tick-1", "nope"])) == {"tick-9", "tick-1"}
    active = office.active_stage_tasks(["tick-0", "tick-2"])
    assert ids(active["tick-0"]) == ["task-1"] and active["tick-2"] == []


def test_tasks_followed_and_tasks_of_a_period(office: Store) -> None:
    assert ids(office.tasks_for(OFFICE, "s-meter")) == ["task-1"]  # tick-8 is closed
    assert ids(office.tasks_for(OFFICE, "s-x", "marketing")) == ["task-2", "task-3"]
    assert ids(office.tasks_for(OFFICE, "s-clerk")) == []  # tick-9 is followed but has no tasks
    between = office.stage_tasks_between(OFFICE, datetime(2025, 3, 2, tzinfo=UTC), datetime(2025, 3, 3, tzinfo=UTC))
    assert ids(between) == ["task-1", "task-2", "task-3", "task-4"]
    assert "task-3" not in ids(office.stage_tasks_between(OFFICE, AT, datetime(2025, 3, 6, tzinfo=UTC)))


def test_surveyors_keep_their_roster(office: Store) -> None:
    (surveyor,) = office.surveyors(OFFICE)
    assert (surveyor.shift_start, surveyor.shift_end, surveyor.work_days) == (time(13), time(18, 30), [1, 3])
    assert surveyor.leave == [LeavePeriod(start=datetime(2025, 3, 4, tzinfo=UTC), end=AT, reason="年假")]
    assert surveyor.speed_kmh == 30.0


def test_survey_assignments_by_state_and_span(office: Store) -> None:
    assert ids(office.survey_assignments(OFFICE)) == ["sa-1", "sa-2", "sa-3"]
    assert ids(office.survey_assignments(OFFICE, states=["unassigned"])) == ["sa-1"]
    near = office.survey_assignments(OFFICE, states=["assigned"], start_before=AT,
                                     end_after=datetime(2025, 3, 4, tzinfo=UTC))
    assert ids(near) == ["sa-2"]
    first = office.survey_assignment("sa-1")
    assert first is not None and first.location_x_km == 3.5 and first.urgency == "urgent"
    assert first.outcome == {"photos": 2} and first.duration_minutes == 60
    assert office.survey_assignment("sa-none") is None


def test_conflict_count_counts_unresolved_entries(office: Store) -> None:
    assert office.conflict_count() == 0
    office.update_fields("ticket", "tick-0", {"summary": "改"})
    (mutation,) = office.pending_mutations()
    office.apply_push_results([MutationResult(mutation_id=mutation.mutation_id, status="rejected", entity="ticket",
                                              entity_id="tick-0", code="stale", reason="changed")])
    assert office.conflict_count() == 1
    office.resolve_conflict(office.conflicts()[0].id, "keep_server")
    assert office.conflict_count() == 0
