"""In-office integrity (#13 item 9): the server sets who and when, checks ownership of a stage and a
note, and refuses references to another office's records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from tests.backend.desk import FIXED_NOW, Desk
from tests.backend.test_workflow import create_connection, tasks_of

DeskFactory = Callable[[str], Desk]


def _enquiry(clerk: Desk) -> dict[str, Any]:
    (result,) = clerk.push(clerk.mutation("ticket", "create", fields={
        "type_code": "enquiry", "channel": "hall", "summary": "咨询",
        "fields": {"enquiry_topic": "policy", "content": "电价政策"}, "accepted_at": FIXED_NOW.isoformat()}))
    assert result["status"] == "applied", result
    return dict(result["record"])


def test_department_staff_cannot_change_another_departments_stage_result(desk: DeskFactory) -> None:
    clerk, marketing = desk("clerk_a"), desk("marketing_a")
    ticket = _enquiry(clerk)
    reply = tasks_of(clerk, ticket["id"])["reply"]  # the service department's stage
    (result,) = marketing.push(marketing.mutation("stage_task", "update", reply["id"], fields={"result": {"x": 1}},
                                                  base={"result": reply["result"]}))
    assert result["status"] == "rejected" and result["code"] == "forbidden", result
    assert tasks_of(clerk, ticket["id"])["reply"]["result"] == {}


def test_the_actor_of_an_interaction_or_verification_is_the_session(desk: DeskFactory) -> None:
    clerk, hotline = desk("clerk_a"), desk("hotline_a")
    customer = clerk.new_customer()
    me = clerk.session["staff"]["id"]
    at = FIXED_NOW.isoformat()
    interaction, verification = clerk.push(
        clerk.mutation("interaction", "create", fields={
            "customer_id": customer["id"], "channel": "hall", "type": "visit", "at": at,
            "staff_id": hotline.session["staff"]["id"], "summary": "来访"}),
        clerk.mutation("verification", "create", fields={
            "customer_id": customer["id"], "channel": "hall", "method": "id_card_reader", "at": at,
            "staff_id": hotline.session["staff"]["id"], "outcome": "passed"}),
    )
    assert interaction["status"] == verification["status"] == "applied"
    assert interaction["record"]["staff_id"] == me and verification["record"]["staff_id"] == me


def test_only_the_author_rewrites_a_note(desk: DeskFactory) -> None:
    clerk, hotline = desk("clerk_a"), desk("hotline_a")
    ticket = _enquiry(clerk)
    (note,) = clerk.push(clerk.mutation("note", "create", fields={
        "ticket_id": ticket["id"], "body": "原文", "at": FIXED_NOW.isoformat(), "author_id": "someone-else"}))
    assert note["status"] == "applied" and note["record"]["author_id"] == clerk.session["staff"]["id"]
    (forged,) = hotline.push(hotline.mutation("note", "update", note["entity_id"], fields={"body": "改写"},
                                              base={"body": "原文"}))
    assert forged["status"] == "rejected" and forged["code"] == "forbidden"
    (own,) = clerk.push(clerk.mutation("note", "update", note["entity_id"], fields={"body": "补充"},
                                       base={"body": "原文"}))
    assert own["status"] == "applied" and own["record"]["body"] == "补充"


def test_audit_entries_carry_the_servers_actor_and_time(desk: DeskFactory) -> None:
    clerk, supervisor = desk("clerk_a"), desk("supervisor_a")
    (result,) = clerk.push(clerk.mutation("audit", "create", fields={
        "action": "integrity_probe", "subject": "x", "at": "2020-01-01T00:00:00+00:00",
        "staff_id": supervisor.session["staff"]["id"], "detail": {}}))
    assert result["status"] == "applied"
    entries = supervisor.client.get("/api/v1/audit", params={"limit": 1000}, headers=supervisor.headers).json()["entries"]
    (entry,) = [e for e in entries if e["action"] == "integrity_probe"]
    assert entry["staff_id"] == clerk.session["staff"]["id"]
    assert datetime.fromisoformat(entry["at"]) == datetime.fromisoformat(entry["recorded_at"])  # not back-dated
    assert entry["detail"]["desk_at"].startswith("2020-01-01")  # the desk's claim is kept, as a claim


def test_records_cannot_reference_another_offices_rows(desk: DeskFactory) -> None:
    clerk_a, clerk_b = desk("clerk_a"), desk("clerk_b")
    ticket = create_connection(clerk_a)["record"]
    at = FIXED_NOW.isoformat()
    note, interaction, ticket_b = clerk_b.push(
        clerk_b.mutation("note", "create", fields={"ticket_id": ticket["id"], "body": "越权", "at": at}),
        clerk_b.mutation("interaction", "create", fields={
            "customer_id": ticket["customer_id"], "channel": "hall", "type": "visit", "at": at}),
        clerk_b.mutation("ticket", "create", fields={
            "type_code": "enquiry", "channel": "hall", "fields": {"enquiry_topic": "policy", "content": "x"},
            "accepted_at": at, "linked_ticket_id": ticket["id"]}),
    )
    assert [r["code"] for r in (note, interaction, ticket_b)] == ["cross_office"] * 3, (note, interaction, ticket_b)
