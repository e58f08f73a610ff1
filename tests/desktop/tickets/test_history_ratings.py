"""The ticket's history shows the customer's own rating in the app, marked as such; the return visit's rating is
already there as the return visit's note, so it is not repeated (Qt-free)."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop.tickets.history import ticket_history
from domain.records import Evaluation, Staff, Ticket

AT = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def test_customer_ratings_name_their_source() -> None:
    ticket = Ticket(id="t1", office_id="o1", type_code="enquiry", channel="app", state="closed", accepted_at=AT,
                    summary="咨询")
    staff = {"s1": Staff(id="s1", office_id="o1", username="clerk1", display_name="王小明", role="clerk")}
    ratings = [
        Evaluation(id="e1", office_id="o1", ticket_id="t1", evaluator="customer", score=2, comment="等太久",
                   by="system:app", at=AT.replace(hour=5), channel="app"),
        Evaluation(id="e2", office_id="o1", ticket_id="t1", evaluator="customer", score=5, by="s1",
                   at=AT.replace(hour=6)),
        Evaluation(id="e3", office_id="o1", ticket_id="t1", evaluator="peer", score=4, to_department="marketing",
                   at=AT.replace(hour=7)),
    ]
    lines = [(e.who, e.what) for e in ticket_history(ticket, [], [], [], [], staff, {}, ratings=ratings)]
    assert ("网上国网", "客户在网上国网 App 评价 2 分：等太久") in lines
    assert not any("5 分" in what or "4 分" in what for _, what in lines)  # the return visit's, a peer's: not here
    english = [e.what for e in ticket_history(ticket, [], [], [], [], staff, {}, lang="en", ratings=ratings)]
    assert "The customer rated 2/5 in the app: 等太久" in english
