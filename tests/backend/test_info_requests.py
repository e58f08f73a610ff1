"""补充材料/信息 through the real push path, on SQLite and PostgreSQL: who may ask on which stage and who marks a
request met, bad input refused with nothing stored, the author and the audit set by the server, and the two
indicators it feeds (材料重复索要, 信息共享质量) in the overview, equal to a rebuild."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from backend.db.migrate import upgrade
from backend.db.ops_tables import AuditEntry
from backend.db.records import InfoRequestRow, OfficeRow
from backend.efficiency.api import overview
from backend.efficiency.facts import computed_facts, stored_facts
from backend.settings import database_url
from tests.backend.efficiency_kit import START, PushRig
from tests.harness.databases import fresh_database


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def rig(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PushRig]:
    databases = fresh_database(str(request.param), tmp_path_factory.mktemp("info_requests"))
    url = database_url(next(databases))
    upgrade(url)
    one = PushRig(url)
    try:
        yield one
    finally:
        one.close()
        for _ in databases:
            pass


def _office(rig: PushRig) -> str:
    office_id = f"o-{uuid.uuid4().hex[:10]}"
    with rig.database.write() as session:
        session.add(OfficeRow(id=office_id, office_id=office_id, code=office_id, name=office_id, prefecture="p",
                              version=1))
    return office_id


def _requests(rig: PushRig, office: str) -> list[InfoRequestRow]:
    with rig.read() as session:
        return list(session.execute(select(InfoRequestRow).where(InfoRequestRow.office_id == office)).scalars())


def _ask(rig: PushRig, who: Any, stage: Any, **fields: Any) -> Any:
    values = {"ticket_id": stage.ticket_id, "stage_task_id": stage.id, "addressee": "customer",
              "materials": ["identity"], "reason": "身份证复印件不清晰", "requested_at": rig.clock.now.isoformat()}
    values.update(fields)
    return rig.push(who, "info_request", "create", fields=values)


def test_the_department_working_a_stage_asks_and_the_server_says_who(rig: PushRig) -> None:
    office = _office(rig)
    rig.clock.now = START
    clerk, marketing = rig.who(office, "clerk"), rig.who(office, "department", "marketing")
    ticket = rig.create_ticket(clerk, "bill_dispute")
    stages = rig.stages(ticket.entity_id)
    rig.advance(hours=1)
    asked = _ask(rig, marketing, stages["bill_check"], department="metering", requested_by="someone-else",
                 state="met", materials=["identity", "bill_or_receipt", "identity"], detail="  近三个月电费单 ")
    assert asked.status == "applied", asked
    record = asked.record
    assert record is not None
    # the server sets the asking department (the stage's), who asked, the state; materials without repeats.
    assert (record["department"], record["requested_by"], record["state"]) == (
        "marketing", marketing.staff_id, "open")
    assert record["materials"] == ["identity", "bill_or_receipt"] and record["detail"] == "近三个月电费单"
    assert record["requested_at"].startswith(rig.clock.now.date().isoformat())

    # metering asks marketing for information on its own stage; then marketing answers and metering marks it met.
    metering = rig.who(office, "department", "metering")
    info = _ask(rig, metering, stages["meter_check"], addressee="department", to_department="marketing",
                materials=[], detail="客户历史抄表记录", reason="核对示数")
    assert info.status == "applied", info
    service = rig.who(office, "department", "service")
    refused = rig.move(service, "info_request", _row(rig, info.entity_id), "met", None)
    assert refused.status == "rejected" and refused.code == "forbidden"
    met = rig.push(marketing, "info_request", "transition", info.entity_id, fields={"met_note": " 已发抄表记录 "},
                   transition={"from_state": "open", "to_state": "met"})
    assert met.status == "applied", met
    row = _row(rig, info.entity_id)
    assert (row.state, row.met_by, row.met_note) == ("met", marketing.staff_id, "已发抄表记录")
    again = rig.move(marketing, "info_request", row, "met", None)
    assert again.status == "rejected" and again.code == "invalid_transition"
    # the customer's materials arrive at the window: the clerk marks that request met.
    assert rig.move(clerk, "info_request", _row(rig, asked.entity_id), "met", None).status == "applied"

    with rig.read() as session:
        actions = {(e.action, e.subject, e.staff_id) for e in session.execute(
            select(AuditEntry).where(AuditEntry.office_id == office)).scalars()}
    assert ("info_request.create", asked.entity_id, marketing.staff_id) in actions
    assert ("info_request.met", info.entity_id, marketing.staff_id) in actions
    assert ("info_request.met", asked.entity_id, clerk.staff_id) in actions


def _row(rig: PushRig, request_id: str) -> InfoRequestRow:
    with rig.read() as session:
        row = session.get(InfoRequestRow, request_id)
        assert row is not None
        return row


def test_who_may_ask(rig: PushRig) -> None:
    office = _office(rig)
    rig.clock.now = START
    ticket = rig.create_ticket(rig.who(office, "clerk"), "bill_dispute")
    bill_check = rig.stages(ticket.entity_id)["bill_check"]
    for who in (rig.who(office, "department", "metering"), rig.who(office, "clerk"), rig.who(office, "hotline"),
                rig.who(office, "manager"), rig.who(office, "department", None)):
        refused = _ask(rig, who, bill_check)
        assert refused.status == "rejected" and refused.code == "forbidden", (who.role, who.department, refused)
    elsewhere = _office(rig)
    outsider = _ask(rig, rig.who(elsewhere, "department", "marketing"), bill_check)
    assert outsider.status == "rejected" and outsider.code == "out_of_scope"
    assert _requests(rig, office) == [] and _requests(rig, elsewhere) == []
    assert _ask(rig, rig.who(office, "supervisor"), bill_check).status == "applied"


def test_bad_input_is_refused_and_nothing_is_stored(rig: PushRig) -> None:
    office = _office(rig)
    rig.clock.now = START
    marketing = rig.who(office, "department", "marketing")
    ticket = rig.create_ticket(rig.who(office, "clerk"), "bill_dispute")
    stages = rig.stages(ticket.entity_id)
    other = rig.create_ticket(rig.who(office, "clerk"), "complaint")
    with rig.database.write() as session:
        before = stored_facts(session, [office])
    for fields, words in (
        ({"materials": ["passport"]}, "未知的材料"),
        ({"materials": [], "detail": " "}, "请选择需补充的材料"),
        ({"materials": "identity"}, "材料代码列表"),
        ({"reason": ""}, "原因"),
        ({"addressee": "neighbour"}, "向客户还是向其他部门"),
        ({"addressee": "department", "to_department": "marketing", "materials": [], "detail": "x"}, "本部门"),
        ({"addressee": "department", "to_department": "canteen", "materials": [], "detail": "x"}, "部门"),
        ({"detail": "长" * 1001}, "info_request.detail"),
        ({"ticket_id": other.entity_id}, "不属于此工单"),
        ({"stage_task_id": "no-such-stage"}, "环节不存在"),
        ({"requested_at": "yesterday"}, "索要时间"),
    ):
        refused = _ask(rig, marketing, stages["bill_check"], **fields)
        assert refused.status == "rejected" and refused.code in ("invalid_input", "not_found"), (fields, refused)
        assert words in (refused.reason or ""), (fields, refused.reason)
    # a finished stage is asked nothing more
    rig.move(marketing, "stage_task", stages["bill_check"], "taken")
    rig.move(marketing, "stage_task", rig.stages(ticket.entity_id)["bill_check"], "done")
    late = _ask(rig, marketing, rig.stages(ticket.entity_id)["bill_check"])
    assert late.status == "rejected" and "已办结" in (late.reason or "")
    assert _requests(rig, office) == []
    # a bad note on the answer leaves the request open
    asked = _ask(rig, rig.who(office, "department", "metering"), stages["meter_check"], materials=["identity"])
    bad = rig.push(rig.who(office, "clerk"), "info_request", "transition", asked.entity_id,
                   fields={"met_note": "长" * 1001}, transition={"from_state": "open", "to_state": "met"})
    assert bad.status == "rejected" and bad.code == "invalid_input"
    sneaky = rig.push(rig.who(office, "clerk"), "info_request", "transition", asked.entity_id,
                      fields={"reason": "改个原因"}, transition={"from_state": "open", "to_state": "met"})
    assert sneaky.status == "rejected" and sneaky.code == "not_editable"
    assert _row(rig, asked.entity_id).state == "open"
    with rig.database.write() as session:
        after = stored_facts(session, [office])
    assert {k: v for k, v in after.items() if k not in before or before[k] != v}  # only the valid request moved


def test_the_indicators_move_with_the_requests(rig: PushRig) -> None:
    """Four bill disputes accepted Monday 09:00. Ticket 1: marketing asks the customer twice on bill_check
    (counted once) and metering asks marketing on meter_check. Ticket 2: metering asks the customer.
    Tickets 3 and 4: nobody asks. Every bill_check and meter_check is then done.

    材料重复索要: 2 tickets of 4 → 500 per 1,000. 信息共享质量: of the 8 bill_check / meter_check stages done plus
    the 4 `accept` stages born done, 3 had a request (t1 bill_check, t1 meter_check, t2 meter_check): 9 / 12."""
    office = _office(rig)
    rig.clock.now = START
    clerk = rig.who(office, "clerk")
    marketing, metering = rig.who(office, "department", "marketing"), rig.who(office, "department", "metering")
    tickets = [rig.create_ticket(clerk, "bill_dispute").entity_id for _ in range(4)]
    rig.advance(hours=1)
    first, second = rig.stages(tickets[0]), rig.stages(tickets[1])
    assert _ask(rig, marketing, first["bill_check"]).status == "applied"
    assert _ask(rig, marketing, first["bill_check"], materials=["bill_or_receipt"]).status == "applied"
    assert _ask(rig, metering, first["meter_check"], addressee="department", to_department="marketing",
                materials=[], detail="抄表记录").status == "applied"
    assert _ask(rig, metering, second["meter_check"]).status == "applied"
    rig.advance(hours=1)
    for ticket_id in tickets:
        for code, who in (("bill_check", marketing), ("meter_check", metering)):
            rig.move(who, "stage_task", rig.stages(ticket_id)[code], "taken")
            assert rig.move(who, "stage_task", rig.stages(ticket_id)[code], "done").status == "applied"
    with rig.read() as session:
        result = overview(session, [session.get(OfficeRow, office)], START.date(), START.date() + timedelta(days=6),
                          rig.clock.now)
        assert stored_facts(session, [office]) == computed_facts(session, [office])[0]
    got = result.offices[0].indicators
    assert (got.accepted, got.tickets_asked_again) == (4, 2)
    assert got.materials_asked_again_per_thousand == 500.0
    assert (got.customer_requests, got.department_requests) == (3, 1)
    assert got.information_sharing_quality == pytest.approx(9 / 12)
    by_stage = {(s.department, s.stage_code): s.indicators for s in result.by_stage}
    assert by_stage[("marketing", "bill_check")].information_sharing_quality == 0.75
    assert by_stage[("metering", "meter_check")].information_sharing_quality == 0.5
    assert by_stage[("marketing", "bill_check")].customer_requests == 2
    by_department = {s.department: s.indicators for s in result.by_department}
    assert by_department["metering"].department_requests == 1
    assert result.start == date(2026, 3, 2)


def test_a_request_asked_by_mistake_is_withdrawn_and_no_longer_counted(rig: PushRig) -> None:
    """Two bill disputes accepted Monday 09:00; marketing asks ticket 1's customer on bill_check, metering asks
    marketing on ticket 2's meter_check. Both were mistakes: marketing withdraws its own, a supervisor the other.
    Before: 材料重复索要 1 of 2 tickets (500 per 1,000), 2 requests. After: 0 of 2, no request counted, and the
    bill_check and meter_check stages done afterwards count as shared (信息共享质量 6 / 6 with the two accepts)."""
    office = _office(rig)
    rig.clock.now = START
    clerk, boss = rig.who(office, "clerk"), rig.who(office, "supervisor")
    marketing, metering = rig.who(office, "department", "marketing"), rig.who(office, "department", "metering")
    tickets = [rig.create_ticket(clerk, "bill_dispute").entity_id for _ in range(2)]
    rig.advance(hours=1)
    mine = _ask(rig, marketing, rig.stages(tickets[0])["bill_check"])
    theirs = _ask(rig, metering, rig.stages(tickets[1])["meter_check"], addressee="department",
                  to_department="marketing", materials=[], detail="抄表记录")

    def read() -> Any:
        with rig.read() as session:
            got = overview(session, [session.get(OfficeRow, office)], START.date(), START.date() + timedelta(days=6),
                           rig.clock.now).offices[0].indicators
            assert stored_facts(session, [office]) == computed_facts(session, [office])[0]
            return got

    assert (read().tickets_asked_again, read().customer_requests, read().department_requests) == (1, 1, 1)
    # refused, nothing changed: the department asked, the front desk, the manager, no reason, a changed field
    for who, reason, words in [(marketing, "问错了", "只有索要的部门"), (clerk, "问错了", "只有索要的部门"),
                               (rig.who(office, "manager"), "问错了", ""), (metering, None, ""),
                               (metering, " x ", "撤回原因")]:
        refused = rig.move(who, "info_request", _row(rig, theirs.entity_id), "withdrawn", reason)
        assert refused.status == "rejected" and words in (refused.reason or ""), (who.role, reason, refused)
    sneaky = rig.push(marketing, "info_request", "transition", mine.entity_id, fields={"reason": "改个原因"},
                      transition={"from_state": "open", "to_state": "withdrawn", "reason": "问错了"})
    assert sneaky.status == "rejected" and sneaky.code == "not_editable"
    assert {r.state for r in _requests(rig, office)} == {"open"}
    assert read().tickets_asked_again == 1
    # the author's department withdraws its own, a supervisor the other; both audited with their reason
    rig.advance(minutes=5)
    done = rig.move(marketing, "info_request", _row(rig, mine.entity_id), "withdrawn", " 客户已在受理时提交 ")
    assert done.status == "applied", done
    assert rig.move(boss, "info_request", _row(rig, theirs.entity_id), "withdrawn", "营销已共享记录").status == "applied"
    row = _row(rig, mine.entity_id)
    assert (row.state, row.withdrawn_by, row.withdrawn_reason) == ("withdrawn", marketing.staff_id, "客户已在受理时提交")
    assert row.withdrawn_at is not None and row.met_at is None
    with rig.read() as session:
        audit = {(a.action, a.subject, a.staff_id, a.detail.get("reason"))
                 for a in session.execute(select(AuditEntry).where(AuditEntry.office_id == office)).scalars()}
    assert ("info_request.withdrawn", mine.entity_id, marketing.staff_id, "客户已在受理时提交") in audit
    assert ("info_request.withdrawn", theirs.entity_id, boss.staff_id, "营销已共享记录") in audit
    # withdrawn is final: neither met nor withdrawn again
    assert rig.move(clerk, "info_request", _row(rig, mine.entity_id), "met", None).status == "rejected"
    assert rig.move(boss, "info_request", _row(rig, mine.entity_id), "withdrawn", "再撤").status == "rejected"
    for ticket_id in tickets:
        for code, who in (("bill_check", marketing), ("meter_check", metering)):
            rig.move(who, "stage_task", rig.stages(ticket_id)[code], "taken")
            assert rig.move(who, "stage_task", rig.stages(ticket_id)[code], "done").status == "applied"
    got = read()
    assert (got.accepted, got.tickets_asked_again, got.materials_asked_again_per_thousand) == (2, 0, 0.0)
    assert (got.customer_requests, got.department_requests) == (0, 0)
    assert got.information_sharing_quality == 1.0
