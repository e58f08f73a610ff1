"""SMS identity codes for the hotline, presence on a ticket, and evaluations: over HTTP on a clocked server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.backend.coordination import set_clock
from tests.backend.desk import FIXED_NOW, Desk
from tests.backend.server_process import ServerProcess
from tests.backend.test_workflow import create_connection

PHONE = "13912345678"


@pytest.fixture
def desks(clocked_server: ServerProcess) -> Iterator[dict[str, Desk]]:
    set_clock(clocked_server, FIXED_NOW)
    opened = {name: Desk(clocked_server.url, name) for name in ("clerk_a", "hotline_a", "marketing_a", "clerk_b")}
    yield opened
    for desk in opened.values():
        desk.close()


def _send(desk: Desk, customer_id: str) -> httpx.Response:
    return desk.client.post("/api/v1/verification/sms", headers=desk.headers, json={"customer_id": customer_id})


def _check(desk: Desk, customer_id: str, code: str) -> dict[str, Any]:
    response = desk.client.post("/api/v1/verification/sms/check", headers=desk.headers,
                                json={"customer_id": customer_id, "code": code})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def _code(server: ServerProcess, customer_id: str) -> str:
    response = httpx.get(f"{server.url}/api/v1/test/sms", params={"customer_id": customer_id})
    assert response.status_code == 200, response.text
    return str(response.json()["code"])


def test_sms_code_verifies_the_caller_once(clocked_server: ServerProcess, desks: dict[str, Desk]) -> None:
    agent = desks["hotline_a"]
    customer = desks["clerk_a"].new_customer(phone=PHONE)
    sent = _send(agent, customer["id"])
    assert sent.status_code == 200, sent.text
    assert sent.json()["phone_masked"] == "139****5678" and PHONE not in sent.text
    code = _code(clocked_server, customer["id"])
    assert len(code) == 6 and code.isdigit()
    wrong = _check(agent, customer["id"], "999999" if code != "999999" else "000000")
    assert (wrong["outcome"], wrong["reason"], wrong["attempts_left"]) == ("failed", "wrong_code", 4)
    passed = _check(agent, customer["id"], code)
    assert passed["outcome"] == "passed" and passed["verification"]["method"] == "sms_code"
    assert passed["verification"]["staff_id"] == agent.session["staff"]["id"]
    assert passed["verification"]["channel"] == "hotline"
    assert _check(agent, customer["id"], code)["reason"] == "no_code"  # a code is good for one check
    rows, _ = agent.pull_all("office:county-a")
    outcomes = sorted(d["outcome"] for (e, _), d in rows.items()
                      if e == "verification" and d["customer_id"] == customer["id"])
    assert outcomes == ["failed", "failed", "passed"]
    assert PHONE not in clocked_server.log_path.read_text(errors="replace")
    assert "139****5678" in clocked_server.log_path.read_text(errors="replace")


def test_five_wrong_tries_or_five_minutes_spend_the_code(clocked_server: ServerProcess, desks: dict[str, Desk]) -> None:
    agent = desks["hotline_a"]
    customer = desks["clerk_a"].new_customer(phone=PHONE)
    assert _send(agent, customer["id"]).status_code == 200
    code = _code(clocked_server, customer["id"])
    wrong = "000000" if code != "000000" else "111111"
    reasons = [_check(agent, customer["id"], wrong)["reason"] for _ in range(5)]
    assert reasons == ["wrong_code"] * 4 + ["too_many_attempts"]
    assert _check(agent, customer["id"], code)["reason"] == "no_code"
    set_clock(clocked_server, FIXED_NOW + timedelta(minutes=1))  # one code a minute per customer
    assert _send(agent, customer["id"]).status_code == 200
    fresh = _code(clocked_server, customer["id"])
    set_clock(clocked_server, FIXED_NOW + timedelta(minutes=6))
    late = _check(agent, customer["id"], fresh)
    assert (late["outcome"], late["reason"]) == ("failed", "expired")


def test_sms_codes_are_rate_limited_per_customer(clocked_server: ServerProcess, desks: dict[str, Desk]) -> None:
    agent = desks["hotline_a"]
    customer = desks["clerk_a"].new_customer(phone=PHONE)
    other = desks["clerk_a"].new_customer(phone="13900001111")
    assert _send(agent, customer["id"]).status_code == 200
    first = _code(clocked_server, customer["id"])
    again = _send(agent, customer["id"])
    assert again.status_code == 429 and again.json()["error"]["code"] == "sms_too_soon"
    assert again.headers["Retry-After"] == "60" and "60" in again.json()["error"]["message"]
    assert _code(clocked_server, customer["id"]) == first  # nothing sent, the live code unchanged
    assert _send(agent, other["id"]).status_code == 200  # the limit is per customer
    for minute in range(1, 5):  # five codes in the hour...
        set_clock(clocked_server, FIXED_NOW + timedelta(minutes=minute))
        assert _send(agent, customer["id"]).status_code == 200
    set_clock(clocked_server, FIXED_NOW + timedelta(minutes=10))
    capped = _send(agent, customer["id"])  # ...and no sixth
    assert capped.status_code == 429 and capped.json()["error"]["code"] == "sms_limit"
    assert capped.headers["Retry-After"] == str(50 * 60)
    set_clock(clocked_server, FIXED_NOW + timedelta(hours=1))
    agent.login("hotline_a")  # the hour outlived the access token
    assert _send(agent, customer["id"]).status_code == 200  # a new hour


def test_sms_codes_stay_in_scope(desks: dict[str, Desk]) -> None:
    customer = desks["clerk_a"].new_customer(phone=PHONE)
    outsider = _send(desks["clerk_b"], customer["id"])
    assert outsider.status_code == 403 and outsider.json()["error"]["code"] == "out_of_scope"
    silent = desks["clerk_a"].new_customer(phone=None)
    refused = _send(desks["hotline_a"], silent["id"])
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "no_phone"
    assert _send(desks["hotline_a"], "nobody").status_code == 404


def _beat(desk: Desk, ticket_id: str, activity: str) -> httpx.Response:
    return desk.client.post("/api/v1/presence", headers=desk.headers, json={"ticket_id": ticket_id, "activity": activity})


def _here(desk: Desk, ticket_id: str) -> httpx.Response:
    return desk.client.get("/api/v1/presence", headers=desk.headers, params={"ticket_id": ticket_id})


def test_presence_shows_the_other_sessions_for_30_seconds(clocked_server: ServerProcess, desks: dict[str, Desk]) -> None:
    clerk, agent = desks["clerk_a"], desks["hotline_a"]
    ticket = create_connection(clerk)["record"]
    assert _beat(clerk, ticket["id"], "viewing").status_code == 204
    assert _here(clerk, ticket["id"]).json() == []  # one's own session is not "someone else"
    assert _beat(agent, ticket["id"], "editing").status_code == 204
    (seen,) = _here(clerk, ticket["id"]).json()
    assert seen["staff_id"] == agent.session["staff"]["id"] and seen["activity"] == "editing"
    assert seen["display_name"] == agent.session["staff"]["display_name"]
    assert [p["activity"] for p in _here(agent, ticket["id"]).json()] == ["viewing"]
    set_clock(clocked_server, FIXED_NOW + timedelta(seconds=31))
    assert _here(clerk, ticket["id"]).json() == []
    assert _here(desks["clerk_b"], ticket["id"]).status_code == 403
    assert _beat(clerk, "no-such-ticket", "viewing").status_code == 404
    assert _beat(clerk, ticket["id"], "dancing").status_code == 400


def _evaluate(desk: Desk, ticket_id: str, **fields: Any) -> dict[str, Any]:
    values = {"ticket_id": ticket_id, "evaluator": "lead", "score": 4, "at": FIXED_NOW.isoformat(), **fields}
    (result,) = desk.push(desk.mutation("evaluation", "create", fields=values))
    return result


def test_evaluations_check_role_score_and_ticket(desks: dict[str, Desk]) -> None:
    clerk, marketing = desks["clerk_a"], desks["marketing_a"]
    ticket = create_connection(clerk)["record"]
    lead = _evaluate(marketing, ticket["id"], to_department="metering", from_department="design")
    assert lead["status"] == "applied", lead
    assert lead["record"]["from_department"] == "marketing" and lead["record"]["by"] == marketing.session["staff"]["id"]
    customer = _evaluate(clerk, ticket["id"], evaluator="customer", score=5, comment="满意")
    assert customer["status"] == "applied", customer
    too_high = _evaluate(marketing, ticket["id"], score=6)
    assert too_high["code"] == "invalid_input" and "1 到 5" in too_high["reason"] and "1 to 5" in too_high["reason"]
    assert _evaluate(clerk, ticket["id"])["code"] == "forbidden"  # a clerk takes only the customer's rating
    assert _evaluate(marketing, "no-such-ticket")["code"] == "not_found"
    assert _evaluate(desks["clerk_b"], ticket["id"], evaluator="customer")["code"] == "out_of_scope"
    rows, _ = clerk.pull_all("office:county-a")
    scores = sorted(d["score"] for (e, _), d in rows.items() if e == "evaluation" and d["ticket_id"] == ticket["id"])
    assert scores == [4, 5]
