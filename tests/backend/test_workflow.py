"""The workflow engine over HTTP: ticket numbers, deadlines, parallel stages, transitions."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tests.backend.desk import FIXED_NOW, Desk

DeskFactory = Callable[[str], Desk]

CONNECTION_FIELDS = {
    "customer_name": "张三",
    "id_number": "11010519491231002X",
    "address": "城关镇一号",
    "contact_phone": "13800001111",
    "requested_kw": 8,
}


def create_connection(clerk: Desk) -> dict[str, Any]:
    customer = clerk.new_customer()
    mutation = clerk.mutation(
        "ticket",
        "create",
        fields={
            "type_code": "connection_residential",
            "channel": "hall",
            "customer_id": customer["id"],
            "summary": "新装",
            "fields": CONNECTION_FIELDS,
            "materials": ["identity", "property_proof"],
            "accepted_at": FIXED_NOW.isoformat(),
            "provisional_number": "P-desk-1",
        },
    )
    (result,) = clerk.push(mutation)
    assert result["status"] == "applied", result
    return result


def tasks_of(desk: Desk, ticket_id: str) -> dict[str, dict[str, Any]]:
    rows, _ = desk.pull_all("office:county-a")
    return {
        data["stage_code"]: data
        for (entity, _id), data in rows.items()
        if entity == "stage_task" and data["ticket_id"] == ticket_id
    }


def move(desk: Desk, entity: str, row: dict[str, Any], to_state: str, reason: str | None = None) -> dict[str, Any]:
    (result,) = desk.push(
        desk.mutation(entity, "transition", row["id"],
                      transition={"from_state": row["state"], "to_state": to_state, "reason": reason})
    )
    return result


def test_create_assigns_number_deadline_and_opens_parallel_stages(desk: DeskFactory) -> None:
    clerk = desk("clerk_a")
    result = create_connection(clerk)
    ticket = result["record"]
    assert re.fullmatch(r"GD\d{8}\d{6}", result["ticket_number"])
    assert ticket["number"] == result["ticket_number"]
    assert ticket["provisional_number"] == "P-desk-1"
    # 5 working days from Monday 2026-03-02: due at the end of Monday 2026-03-09 (office zone).
    assert ticket["due_at"].startswith("2026-03-09T15:59:59")
    tasks = tasks_of(clerk, ticket["id"])
    assert tasks["accept"]["state"] == "done"
    assert tasks["survey"]["state"] == "open" and tasks["contract"]["state"] == "open"
    assert "metering" not in tasks


def test_ticket_numbers_are_unique(desk: DeskFactory) -> None:
    clerk = desk("clerk_a")
    numbers = {create_connection(clerk)["ticket_number"] for _ in range(4)}
    assert len(numbers) == 4


def test_completing_both_parallel_stages_opens_the_next(desk: DeskFactory) -> None:
    clerk, marketing = desk("clerk_a"), desk("marketing_a")
    ticket = create_connection(clerk)["record"]
    tasks = tasks_of(marketing, ticket["id"])
    for code in ("survey", "contract"):
        taken = move(marketing, "stage_task", tasks[code], "taken")
        assert taken["status"] == "applied", taken
        done = move(marketing, "stage_task", taken["record"], "done")
        assert done["status"] == "applied", done
        opened = tasks_of(marketing, ticket["id"])
        assert ("metering" in opened) == (code == "contract")
    assert opened["metering"]["department"] == "metering"
    rows, _ = clerk.pull_all("office:county-a")
    assert rows[("ticket", ticket["id"])]["state"] == "in_progress"


def test_illegal_transition_is_rejected_with_server_state(desk: DeskFactory) -> None:
    clerk, marketing = desk("clerk_a"), desk("marketing_a")
    ticket = create_connection(clerk)["record"]
    survey = tasks_of(clerk, ticket["id"])["survey"]
    result = move(marketing, "stage_task", survey, "done")  # must be taken first
    assert result["status"] == "rejected" and result["code"] == "invalid_transition"
    assert result["record"]["state"] == "open"
    stale = move(clerk, "ticket", {**ticket, "state": "in_progress"}, "closed")
    assert stale["status"] == "rejected" and stale["code"] == "stale_state"
    assert stale["record"]["state"] == "accepted"


def test_unknown_ticket_type_is_rejected(desk: DeskFactory) -> None:
    clerk = desk("clerk_a")
    (result,) = clerk.push(
        clerk.mutation("ticket", "create", fields={"type_code": "no_such_type", "channel": "hall",
                                                   "accepted_at": FIXED_NOW.isoformat()})
    )
    assert result["status"] == "rejected" and result["code"] == "invalid_input"


def test_dispatcher_may_not_create_tickets(desk: DeskFactory) -> None:
    dispatcher = desk("dispatcher_a")
    (result,) = dispatcher.push(
        dispatcher.mutation("ticket", "create", fields={"type_code": "enquiry", "channel": "hall",
                                                        "accepted_at": FIXED_NOW.isoformat()})
    )
    assert result["status"] == "rejected" and result["code"] == "forbidden"


def _connection(clerk: Desk, **overrides: Any) -> dict[str, Any]:
    values = {"type_code": "connection_residential", "channel": "hall", "summary": "新装",
              "fields": CONNECTION_FIELDS, "materials": ["identity", "property_proof"],
              "accepted_at": FIXED_NOW.isoformat(), **overrides}
    (result,) = clerk.push(clerk.mutation("ticket", "create", fields=values))
    return result


def test_ticket_create_applies_the_desks_intake_rule(desk: DeskFactory) -> None:
    clerk = desk("clerk_a")
    missing = _connection(clerk, materials=["identity"])
    assert missing["status"] == "rejected" and missing["code"] == "invalid_input"
    assert "缺少材料" in missing["reason"] and "is missing" in missing["reason"]
    bad_id = _connection(clerk, fields={**CONNECTION_FIELDS, "id_number": "110105194912310021"})
    assert bad_id["status"] == "rejected" and bad_id["code"] == "invalid_input", bad_id
    not_a_number = _connection(clerk, fields={**CONNECTION_FIELDS, "requested_kw": "eight"})
    assert not_a_number["code"] == "invalid_input" and "whole number" in not_a_number["reason"]
    cleaned = _connection(clerk, fields={**CONNECTION_FIELDS, "address": "  城关镇一号  "})
    assert cleaned["status"] == "applied", cleaned
    assert cleaned["record"]["fields"]["address"] == "城关镇一号"


def test_stage_fields_apply_with_the_transition(desk: DeskFactory) -> None:
    clerk, marketing = desk("clerk_a"), desk("marketing_a")
    ticket = create_connection(clerk)["record"]
    survey = tasks_of(marketing, ticket["id"])["survey"]
    taken = move(marketing, "stage_task", survey, "taken")
    assert taken["record"]["assignee_id"] == marketing.session["staff"]["id"]
    (done,) = marketing.push(marketing.mutation(
        "stage_task", "transition", survey["id"], fields={"result": {"capacity_ok": True}},
        transition={"from_state": "taken", "to_state": "done"}))
    assert done["status"] == "applied", done
    assert done["record"]["result"] == {"capacity_ok": True} and done["record"]["state"] == "done"
    (refused,) = marketing.push(marketing.mutation(
        "stage_task", "transition", tasks_of(marketing, ticket["id"])["contract"]["id"],
        fields={"department": "design"}, transition={"from_state": "open", "to_state": "taken"}))
    assert refused["status"] == "rejected" and refused["code"] == "not_editable"
    assert refused["record"]["state"] == "open"  # the transition did not apply without its fields


def test_cancelling_a_ticket_cancels_its_open_stages(desk: DeskFactory) -> None:
    clerk, marketing = desk("clerk_a"), desk("marketing_a")
    ticket = create_connection(clerk)["record"]
    survey = tasks_of(marketing, ticket["id"])["survey"]
    cancelled = move(clerk, "ticket", ticket, "cancelled", reason="客户撤回")
    assert cancelled["status"] == "applied", cancelled
    tasks = tasks_of(clerk, ticket["id"])
    assert tasks["survey"]["state"] == "cancelled" and tasks["contract"]["state"] == "cancelled"
    assert tasks["accept"]["state"] == "done"
    late = move(marketing, "stage_task", survey, "taken")  # a desk that had not heard yet
    assert late["status"] == "rejected" and late["code"] == "stale_state"
