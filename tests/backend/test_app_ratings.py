"""客户评价 from the customer app over HTTP (backend.channels, domain.app_ratings): the customer rates a finished ticket
of theirs once; the rating counts in 满意度 marked as the app's, in the monitor and in the multi-party evaluation; bad
input is refused with a message and stores nothing; a retry of the same request is answered the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from backend.settings import database_url
from tests.backend.desk import Desk
from tests.backend.server_process import CHANNEL_KEY, ServerProcess

DeskFactory = Callable[[str], Desk]
HEADERS = {"X-Channel-Key": CHANNEL_KEY}


def _app_ticket(server: ServerProcess, clerk: Desk, tag: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A customer with an account and an enquiry they made in the app: (identity, the app's answer)."""
    customer = clerk.new_customer(id_number="11010519491231002X", name="李四")
    account_no = f"R{customer['id'][:8]}"
    (account,) = clerk.push(clerk.mutation("account", "create", fields={"customer_id": customer["id"],
                                                                        "account_no": account_no}))
    assert account["status"] == "applied", account
    who = {"account_no": account_no, "id_number": "11010519491231002X", "name": "李四"}
    made = httpx.post(f"{server.url}/api/v1/channels/app/requests", headers=HEADERS, json={
        **who, "request_id": f"req-{tag}-{customer['id']}", "real_name_verified": True, "type_code": "enquiry",
        "summary": "咨询电价", "fields": {"enquiry_topic": "tariff", "content": "电价多少"}})
    assert made.status_code == 200, made.text
    return who, made.json()


def _rate(server: ServerProcess, **body: Any) -> httpx.Response:
    return httpx.post(f"{server.url}/api/v1/channels/app/ratings", headers=HEADERS, json=body)


def _customer_ratings(server: ServerProcess, ticket_id: str) -> list[tuple[Any, ...]]:
    engine = create_engine(database_url(str(server.db)))
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(
                "SELECT evaluator, score, channel, comment FROM evaluation WHERE ticket_id = :t"), {"t": ticket_id})]
    finally:
        engine.dispose()


def _overview(desk: Desk) -> dict[str, Any]:
    answer = desk.client.get("/api/v1/efficiency/overview", headers=desk.headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json()["offices"][0]["indicators"])


def _service_score(desk: Desk, month: str) -> dict[str, Any]:
    answer = desk.client.get("/api/v1/efficiency/evaluations", params={"month": month}, headers=desk.headers)
    assert answer.status_code == 200, answer.text
    departments = answer.json()[0]["departments"]
    return next((d for d in departments if d["department"] == "service"), {})


def test_the_customer_rates_a_finished_ticket_in_the_app_once(server: ServerProcess, desk: DeskFactory) -> None:
    clerk, supervisor = desk("clerk_a"), desk("supervisor_a")
    who, made = _app_ticket(server, clerk, "rate")
    number, ticket_id = made["ticket_number"], made["ticket_id"]
    good = {**who, "request_id": f"rate-{ticket_id}", "ticket_number": number, "score": 2, "comment": " 等太久 "}

    # not finished yet: refused, nothing stored
    early = _rate(server, **good)
    assert early.status_code == 400 and "尚未办结" in early.json()["error"]["message"]
    assert _customer_ratings(server, ticket_id) == []
    rows, _ = clerk.pull_all("office:county-a")
    ticket = rows[("ticket", ticket_id)]
    (closed,) = clerk.push(clerk.mutation("ticket", "transition", ticket_id, base_version=ticket["version"],
                                          transition={"from_state": "accepted", "to_state": "closed"}))
    assert closed["status"] == "applied", closed

    before, month = _overview(supervisor), ticket["accepted_at"][:7]
    service_before = _service_score(supervisor, month)
    # bad input: refused with a message, nothing stored
    for changes, status, words in [({"score": 6}, 400, "1 到 5"), ({"score": "5"}, 400, "1 到 5"),
                                   ({"score": 4.5}, 400, "1 到 5"), ({"score": None}, 400, "1 到 5"),
                                   ({"name": "王五"}, 403, "身份信息与户号不符"),
                                   ({"ticket_number": "GD-NO-SUCH"}, 404, "未找到您的这张工单"),
                                   ({"account_no": "NO-SUCH"}, 404, "户号不存在"),
                                   ({"comment": "长" * 1001}, 400, "请求内容无效")]:
        refused = _rate(server, **{**good, **changes, "request_id": f"bad-{len(words)}-{status}-{ticket_id}"})
        assert refused.status_code == status and words in refused.json()["error"]["message"], (changes, refused.text)
    wrong_key = httpx.post(f"{server.url}/api/v1/channels/app/ratings", json=good, headers={"X-Channel-Key": "x"})
    assert wrong_key.status_code == 401
    assert _customer_ratings(server, ticket_id) == []

    first = _rate(server, **good)
    assert first.status_code == 200, first.text
    assert _rate(server, **good).json() == first.json()  # the app retried: the same answer, one rating
    again = _rate(server, **{**good, "request_id": f"again-{ticket_id}", "score": 5})
    assert again.status_code == 409 and "只能评价一次" in again.json()["error"]["message"]
    assert _customer_ratings(server, ticket_id) == [("customer", 2, "app", "等太久")]

    # 满意度 counts it, marked as the app's; the department that worked the ticket gets it as 客户评价
    after = _overview(supervisor)
    assert after["app_ratings"] == before["app_ratings"] + 1
    assert after["mean_customer_rating"] is not None
    service_after = _service_score(supervisor, month)
    assert service_after["customer_count"] == service_before.get("customer_count", 0) + 1

    # a desk cannot pass a rating off as the customer's own in the app
    (forged,) = clerk.push(clerk.mutation("evaluation", "create", fields={
        "ticket_id": ticket_id, "evaluator": "customer", "score": 5, "at": ticket["accepted_at"], "channel": "app"}))
    assert forged["status"] == "applied", forged
    assert sorted(_customer_ratings(server, ticket_id), key=str) == [("customer", 2, "app", "等太久"),
                                                                     ("customer", 5, None, "")]
