"""Bounded input over real HTTP: free-form JSON, text, ids, identity values and times are refused with
the documented JSON error (issue 13, items 1 and 13), stored data stays as it was, and the office keeps syncing."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from backend.audit import append_audit
from backend.db.engine import open_database
from backend.settings import database_url
from domain.bounds import JSON_MAX_DEPTH
from tests.backend.coordination import local, seed, set_clock, surveyor
from tests.backend.desk import FIXED_NOW, Desk
from tests.backend.server_process import CHANNEL_KEY, ServerProcess
from tests.backend.test_workflow import CONNECTION_FIELDS, create_connection, tasks_of

OFFICE_SCOPE = "office:county-a"


def nested(depth: int) -> dict[str, Any]:
    """`{"a": {"a": ... 1}}` with `depth` objects."""
    value: Any = 1
    for _ in range(depth):
        value = {"a": value}
    result: dict[str, Any] = value
    return result


@pytest.fixture
def desks(clocked_server: ServerProcess) -> Iterator[dict[str, Desk]]:
    set_clock(clocked_server, FIXED_NOW)
    opened = {name: Desk(clocked_server.url, name) for name in ("clerk_a", "supervisor_a", "dispatcher_a")}
    yield opened
    for desk in opened.values():
        desk.close()


def snapshot(desk: Desk) -> dict[tuple[str, str], dict[str, Any]]:
    rows, page = desk.pull_all(OFFICE_SCOPE)
    assert page["must_resync"] is False
    return rows


def push_json(desk: Desk, *mutations: dict[str, Any]) -> httpx.Response:
    """The push body encoded by hand with ASCII escapes, so lone surrogates travel as `\\udXXX`."""
    body = {"schema_version": 1, "client_id": desk.client_id, "mutations": list(mutations)}
    return desk.client.post(
        "/api/v1/sync/push",
        content=json.dumps(body).encode("ascii"),
        headers={**desk.headers, "Content-Type": "application/json"},
    )


def assert_refused(response: httpx.Response) -> str:
    """A 4xx JSON error with code invalid_input, or a 200 whose single result is rejected invalid_input."""
    if response.status_code == 200:
        (result,) = response.json()["results"]
        assert result["status"] == "rejected" and result["code"] == "invalid_input", result
        return str(result["reason"])
    assert 400 <= response.status_code < 500, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_input", error
    return str(error["message"])


def audit_entries(desk: Desk) -> list[dict[str, Any]]:
    response = desk.client.get("/api/v1/audit", params={"limit": 1000}, headers=desk.headers)
    assert response.status_code == 200, response.text
    entries: list[dict[str, Any]] = response.json()["entries"]
    return entries


def test_deep_json_is_refused_everywhere_and_the_office_keeps_syncing(
    desks: dict[str, Desk], clocked_server: ServerProcess
) -> None:
    clerk, supervisor, dispatcher = desks["clerk_a"], desks["supervisor_a"], desks["dispatcher_a"]
    ticket = create_connection(clerk)["record"]
    survey_task = tasks_of(clerk, ticket["id"])["survey"]
    worker = surveyor(staff_id=dispatcher.session["staff"]["id"])
    seed(clocked_server, worker)
    (job,) = [d for (e, _), d in snapshot(clerk).items() if e == "survey_assignment" and d["ticket_id"] == ticket["id"]]
    (booked,) = dispatcher.push(dispatcher.mutation(
        "survey_assignment", "transition", job["id"],
        fields={"surveyor_id": worker.id, "start": local(2026, 3, 2, 14).isoformat()},
        transition={"from_state": "unassigned", "to_state": "assigned"}))
    assert booked["status"] == "applied", booked
    before, audit_before = snapshot(clerk), audit_entries(supervisor)
    deep = nested(250)

    # a ticket's form fields
    refused = clerk.push_raw(clerk.mutation("ticket", "create", fields={
        "type_code": "connection_residential", "channel": "hall", "summary": "新装",
        "fields": {**CONNECTION_FIELDS, "extra": deep}, "materials": ["identity", "property_proof"],
        "accepted_at": FIXED_NOW.isoformat()}))
    assert "ticket.fields" in assert_refused(refused)
    # a stage task's result, by transition and by update
    for op, extra in (("transition", {"transition": {"from_state": "open", "to_state": "taken"}}), ("update", {})):
        refused = clerk.push_raw(clerk.mutation("stage_task", op, survey_task["id"], fields={"result": deep}, **extra))
        assert "stage_task.result" in assert_refused(refused)
    # an audit entry's detail
    refused = supervisor.push_raw(supervisor.mutation("audit", "create", fields={
        "action": "unmask", "subject": "x", "detail": deep, "at": FIXED_NOW.isoformat()}))
    assert "audit.detail" in assert_refused(refused)
    # ... also just past the limit, and in a base value
    refused = clerk.push_raw(clerk.mutation("stage_task", "update", survey_task["id"],
                                            fields={"result": nested(JSON_MAX_DEPTH + 1)}))
    assert_refused(refused)
    refused = clerk.push_raw(clerk.mutation("ticket", "update", ticket["id"], fields={"summary": "x"},
                                            base={"summary": nested(300)}))
    assert_refused(refused)
    # ... and so deep that the body cannot be parsed at all
    body = json.dumps({"schema_version": 1, "client_id": clerk.client_id,
                       "mutations": [clerk.mutation("audit", "create", fields={"action": "x", "detail": "@"})]})
    body = body.replace('"@"', '{"a":' * 50_000 + "1" + "}" * 50_000)
    refused = clerk.client.post("/api/v1/sync/push", content=body.encode(),
                                headers={**clerk.headers, "Content-Type": "application/json"})
    assert "JSON" in assert_refused(refused)
    # a field survey's outcome, from the field devices' channel
    url = f"{clocked_server.url}/api/v1/channels/field/survey-results"
    for outcome in (deep, nested(JSON_MAX_DEPTH - 1)):  # the outcome also sits two levels down in the stage result
        answer = httpx.post(url, headers={"X-Channel-Key": CHANNEL_KEY}, json={
            "assignment_id": job["id"], "outcome": outcome, "completed_at": local(2026, 3, 2, 15).isoformat()})
        assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_input", answer.text
        assert "outcome" in answer.json()["error"]["message"]

    # nothing was stored; every desk still pulls the whole office and the audit log still reads
    assert snapshot(clerk) == before
    assert snapshot(supervisor) == before
    assert audit_entries(supervisor) == audit_before

    # a modest nested value still goes through, and reads back
    detail = {"checks": [{"ok": True, "notes": {"a": [1, 2]}}], "deep": nested(JSON_MAX_DEPTH - 1)}
    (ok,) = supervisor.push(supervisor.mutation("audit", "create", fields={
        "action": "review", "subject": ticket["id"], "detail": detail, "at": FIXED_NOW.isoformat()}))
    assert ok["status"] == "applied", ok
    stored = audit_entries(supervisor)[-1]["detail"]
    assert {key: stored[key] for key in detail} == detail


def test_values_that_used_to_break_the_server_answer_the_json_error(desks: dict[str, Desk]) -> None:
    clerk = desks["clerk_a"]
    customer = clerk.new_customer()
    ticket = create_connection(clerk)["record"]
    before = snapshot(clerk)

    def ticket_fields(**changes: Any) -> dict[str, Any]:
        return {"type_code": "connection_residential", "channel": "hall", "customer_id": customer["id"],
                "summary": "新装", "fields": CONNECTION_FIELDS, "materials": ["identity", "property_proof"],
                "accepted_at": FIXED_NOW.isoformat(), **changes}

    cases: dict[str, dict[str, Any]] = {
        "seq >= 2**63": clerk.mutation("note", "create", fields={"ticket_id": ticket["id"], "body": "x",
                                                                   "at": FIXED_NOW.isoformat()}) | {"seq": 2**63},
        "base_version >= 2**63": clerk.mutation("ticket", "update", ticket["id"], fields={"summary": "y"},
                                                base={"summary": "新装"}, base_version=2**63),
        "created_at in 9999": clerk.mutation("note", "create", fields={"ticket_id": ticket["id"], "body": "x",
                                                                        "at": FIXED_NOW.isoformat()})
        | {"created_at": "9999-12-31T23:59:59+00:00"},
        "naive created_at": clerk.mutation("note", "create", fields={"ticket_id": ticket["id"], "body": "x",
                                                                      "at": FIXED_NOW.isoformat()})
        | {"created_at": "2026-03-02T01:00:00"},
        "accepted_at in 9999": clerk.mutation("ticket", "create",
                                              fields=ticket_fields(accepted_at="9999-12-31T23:00:00+00:00")),
        "naive accepted_at": clerk.mutation("ticket", "create", fields=ticket_fields(accepted_at="2026-03-02T01:00:00")),
        "accepted_at a day ahead": clerk.mutation(
            "ticket", "create", fields=ticket_fields(accepted_at=(FIXED_NOW + timedelta(days=1)).isoformat())),
        "accepted_at two years back": clerk.mutation(
            "ticket", "create", fields=ticket_fields(accepted_at=(FIXED_NOW - timedelta(days=730)).isoformat())),
        "naive note time": clerk.mutation("note", "create", fields={"ticket_id": ticket["id"], "body": "x",
                                                                     "at": "2026-03-02T01:00:00"}),
        "lone surrogate in a summary": clerk.mutation("ticket", "update", ticket["id"],
                                                      fields={"summary": "坏\ud800字"}, base={"summary": "新装"}),
        "lone surrogate in a form field": clerk.mutation("ticket", "create",
                                                         fields=ticket_fields(fields={**CONNECTION_FIELDS,
                                                                                      "address": "\udfff"})),
        "NUL in a note": clerk.mutation("note", "create", fields={"ticket_id": ticket["id"], "body": "a\x00b",
                                                                   "at": FIXED_NOW.isoformat()}),
        "summary too long": clerk.mutation("ticket", "update", ticket["id"], fields={"summary": "长" * 501},
                                           base={"summary": "新装"}),
        "note too long": clerk.mutation("note", "create", fields={"ticket_id": ticket["id"], "body": "x" * 4001,
                                                                   "at": FIXED_NOW.isoformat()}),
        "entity id too long": clerk.mutation("note", "create", "n" * 65,
                                             fields={"ticket_id": ticket["id"], "body": "x",
                                                     "at": FIXED_NOW.isoformat()}),
        "entity id with spaces": clerk.mutation("note", "create", "a b",
                                                fields={"ticket_id": ticket["id"], "body": "x",
                                                        "at": FIXED_NOW.isoformat()}),
        "mutation id too long": clerk.mutation("note", "create", fields={"ticket_id": ticket["id"], "body": "x",
                                                                          "at": FIXED_NOW.isoformat()})
        | {"mutation_id": "m" * 200},
        "reference too long": clerk.mutation("note", "create", fields={"ticket_id": "t" * 100, "body": "x",
                                                                        "at": FIXED_NOW.isoformat()}),
        "huge integer in a form field": clerk.mutation("ticket", "create", fields=ticket_fields(
            fields={**CONNECTION_FIELDS, "requested_kw": 2**70})),
        "bad resident ID": clerk.mutation("customer", "create", fields={"name": "李四", "id_type": "resident",
                                                                         "id_number": "110105194912310021"}),
        "bad credit code": clerk.mutation("customer", "create", fields={"name": "某公司", "id_type": "credit_code",
                                                                         "id_number": "91350100M000100Y4X"}),
        "bad phone": clerk.mutation("customer", "create", fields={"name": "李四", "phone": "12345"}),
        "blank name": clerk.mutation("customer", "create", fields={"name": "   ", "phone": "13800002222"}),
        "bad phone on update": clerk.mutation("customer", "update", customer["id"], fields={"phone": "99"},
                                              base={"phone": customer["phone"]}),
        "blank name on update": clerk.mutation("customer", "update", customer["id"], fields={"name": "\t"},
                                               base={"name": customer["name"]}),
        "reason too long": clerk.mutation("ticket", "transition", ticket["id"], transition={
            "from_state": ticket["state"], "to_state": "cancelled", "reason": "r" * 501}),
    }
    for name, mutation in cases.items():
        try:
            assert_refused(push_json(clerk, mutation))
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from None
    assert snapshot(clerk) == before

    # what the server refused as input it takes in good form, normalised by domain.identity
    (fine,) = clerk.push(clerk.mutation("customer", "create", fields={
        "name": "王五", "id_type": "resident", "id_number": "11010519491231002x", "phone": "+86 138-0000-3333"}))
    assert fine["status"] == "applied", fine
    assert fine["record"]["id_number"] == "11010519491231002X" and fine["record"]["phone"] == "13800003333"
    (recent,) = clerk.push(clerk.mutation("ticket", "create", fields=ticket_fields(
        accepted_at=(FIXED_NOW - timedelta(days=3)).isoformat())))
    assert recent["status"] == "applied", recent


def test_refusals_name_the_field_but_never_echo_the_value(desks: dict[str, Desk]) -> None:
    clerk = desks["clerk_a"]
    number = "110105194912310021"  # wrong check character
    (result,) = clerk.push(clerk.mutation("customer", "create", fields={"name": "李四", "id_number": number}))
    assert result["status"] == "rejected" and result["code"] == "invalid_input"
    assert number not in result["reason"] and "校验位" in result["reason"]
    response = push_json(clerk, clerk.mutation("customer", "create", str(uuid.uuid4()),
                                               fields={"name": "李四", "phone": "13800001111", "extra": nested(40)}))
    assert number not in response.text


def test_survey_result_times_out_of_range_answer_json(desks: dict[str, Desk], clocked_server: ServerProcess) -> None:
    for when in ("9999-12-31T23:59:59+00:00", "2026-03-02T01:00:00", "0001-01-01T00:00:00+00:00"):
        answer = httpx.post(f"{clocked_server.url}/api/v1/channels/field/survey-results",
                            headers={"X-Channel-Key": CHANNEL_KEY},
                            json={"assignment_id": "nope", "outcome": {}, "completed_at": when})
        assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_input", answer.text


def test_a_deep_audit_detail_stored_before_the_bounds_does_not_break_the_log(
    desks: dict[str, Desk], clocked_server: ServerProcess
) -> None:
    supervisor = desks["supervisor_a"]
    database = open_database(database_url(clocked_server.db))
    try:
        with database.write() as session:
            append_audit(session, office_id="county-a", staff_id=None, action="legacy", subject=None,
                         detail=nested(900), at=FIXED_NOW, now=FIXED_NOW)
    finally:
        database.dispose()
    (entry,) = [e for e in audit_entries(supervisor) if e["action"] == "legacy"]
    assert entry["detail"] == {"unreadable": "detail_out_of_bounds"}


def test_one_value_out_of_bounds_is_one_rejection_and_the_rest_of_the_batch_applies(
    desks: dict[str, Desk],
) -> None:
    """A desk's outbox may hold a value an older desk accepted: it must end in the conflicts inbox alone,
    never refuse the whole batch and strand every change queued behind it."""
    clerk = desks["clerk_a"]
    ticket = create_connection(clerk)["record"]
    survey_task = tasks_of(clerk, ticket["id"])["survey"]
    deep = clerk.mutation("stage_task", "update", survey_task["id"], fields={"result": nested(250)})
    after = clerk.mutation("ticket", "update", ticket["id"], fields={"summary": "新装（已补材料）"},
                           base={"summary": ticket["summary"]}, base_version=ticket["version"])
    rejected, applied = clerk.push(deep, after)
    assert rejected["status"] == "rejected" and rejected["code"] == "invalid_input", rejected
    assert "stage_task.result" in rejected["reason"]
    assert applied["status"] == "applied", applied
    rows = snapshot(clerk)
    assert rows[("ticket", ticket["id"])]["summary"] == "新装（已补材料）"
    assert rows[("stage_task", survey_task["id"])].get("result") in (None, {})


def test_a_nul_in_an_id_parameter_is_the_callers_400_not_a_database_error(desks: dict[str, Desk]) -> None:
    """Found by the signed-in schemathesis run on PostgreSQL (which refuses NUL in text): a customer id of
    "\\u0000" made POST /verification/sms answer 500."""
    hotline = desks["clerk_a"]
    calls = [
        ("POST", "/api/v1/verification/sms", {"json": {"customer_id": "\u0000"}}),
        ("POST", "/api/v1/verification/sms/check", {"json": {"customer_id": "a\u0000", "code": "123456"}}),
        ("POST", "/api/v1/presence", {"json": {"ticket_id": "\u0000", "activity": "viewing"}}),
        ("GET", "/api/v1/presence", {"params": {"ticket_id": "t\u0000"}}),
        ("DELETE", "/api/v1/dispatch/locks/a%00b", {}),
        ("GET", "/api/v1/sync/pull", {"params": {"scope": "office:\u0000"}}),
        ("GET", "/api/v1/audit", {"params": {"office_id": "\u0000"}}),
    ]
    for method, path, extra in calls:
        answer = hotline.client.request(method, path, headers=hotline.headers, **extra)
        assert 400 <= answer.status_code < 500, (path, answer.status_code, answer.text)
    login = hotline.client.post("/api/v1/auth/login", json={
        "username": "clerk_a\u0000", "password": "x" * 12, "client_id": "desk-nul"})
    assert 400 <= login.status_code < 500, login.text
