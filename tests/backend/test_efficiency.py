"""The efficiency monitor's facts (issue 15): kept as pushes apply, equal to a rebuild from the raw records
(property test on random histories), each indicator of a hand-worked ticket, and the evaluation rules
and totals. Runs the real push path in-process on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from backend.db.migrate import upgrade
from backend.db.records import InfoRequestRow, OfficeRow
from backend.efficiency.api import department_scores, overview
from backend.efficiency.facts import computed_facts, rebuild, stored_facts
from backend.settings import database_url
from domain import indicators as ind
from domain.states import allowed_transitions
from tests.backend.efficiency_kit import START, PushRig
from tests.harness.databases import fresh_database


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def rig(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PushRig]:
    databases = fresh_database(str(request.param), tmp_path_factory.mktemp("efficiency"))
    url = database_url(next(databases))
    upgrade(url)
    one = PushRig(url)
    try:
        yield one
    finally:
        one.close()
        for _ in databases:
            pass


def _office(rig: PushRig, prefecture: str = "pref") -> str:
    office_id = f"o-{uuid.uuid4().hex[:10]}"
    with rig.database.write() as session:
        session.add(OfficeRow(id=office_id, office_id=office_id, code=office_id, name=office_id,
                              prefecture=prefecture, version=1))
    return office_id


def _applied(result: object) -> None:
    assert getattr(result, "status", None) == "applied", result


def test_a_hand_worked_bill_dispute(rig: PushRig) -> None:
    """Office zone, week of Monday 2026-03-02 (see the docstring of each step for the hand computation)."""
    office = _office(rig)
    rig.clock.now = START  # Mon 09:00
    boss, marketing = rig.who(office, "supervisor"), rig.who(office, "department", "marketing")
    metering, service = rig.who(office, "department", "metering"), rig.who(office, "department", "service")
    created = rig.create_ticket(boss, "bill_dispute")
    _applied(created)
    ticket_id = created.entity_id
    stages = rig.stages(ticket_id)
    rig.advance(minutes=30)  # Mon 09:30: metering takes meter_check (response 30 min)
    _applied(rig.move(metering, "stage_task", stages["meter_check"], "taken"))
    rig.advance(minutes=30)  # Mon 10:00: marketing takes bill_check (response 60 min)
    _applied(rig.move(marketing, "stage_task", stages["bill_check"], "taken"))
    rig.advance(hours=1)  # Mon 11:00: sent back
    _applied(rig.move(marketing, "stage_task", rig.stages(ticket_id)["bill_check"], "returned", "材料不全"))
    rig.advance(minutes=30)  # Mon 11:30: open again, Mon 12:00 taken again (not a first take)
    _applied(rig.move(marketing, "stage_task", rig.stages(ticket_id)["bill_check"], "open"))
    rig.advance(minutes=30)
    _applied(rig.move(marketing, "stage_task", rig.stages(ticket_id)["bill_check"], "taken"))
    rig.advance(hours=21)  # Tue 09:00: bill_check done (1440 working minutes; due end of Thu: on time)
    _applied(rig.move(marketing, "stage_task", rig.stages(ticket_id)["bill_check"], "done"))
    rig.advance(days=3)  # Fri 09:00: meter_check done (Mon 09 → Fri 09 = 5760; due end of Thu: late)
    _applied(rig.move(metering, "stage_task", rig.stages(ticket_id)["meter_check"], "done"))
    rig.advance(minutes=30)  # Fri 09:30: reply taken (response 30), done Fri 10:00 (60 min)
    _applied(rig.move(marketing, "stage_task", rig.stages(ticket_id)["reply"], "taken"))
    rig.advance(minutes=30)
    _applied(rig.move(marketing, "stage_task", rig.stages(ticket_id)["reply"], "done"))
    rig.advance(hours=1)  # Fri 11:00: the ratings
    at = rig.clock.now.isoformat()
    # The return visit's owner (客服) records the customer's rating: the defect of issue 15 refused it.
    _applied(rig.push(service, "evaluation", "create",
                      fields={"ticket_id": ticket_id, "evaluator": "customer", "score": 2, "at": at,
                              "to_department": "marketing"}))
    _applied(rig.push(marketing, "evaluation", "create",
                      fields={"ticket_id": ticket_id, "evaluator": "lead", "score": 4, "at": at,
                              "to_department": "metering"}))
    _applied(rig.push(metering, "evaluation", "create",
                      fields={"ticket_id": ticket_id, "evaluator": "peer", "score": 5, "at": at,
                              "to_department": "marketing"}))
    rig.advance(minutes=30)  # Fri 11:30: return visit taken (opened Fri 10:00: response 90), done 12:00 (120)
    _applied(rig.move(service, "stage_task", rig.stages(ticket_id)["return_visit"], "taken"))
    rig.advance(minutes=30)
    _applied(rig.move(service, "stage_task", rig.stages(ticket_id)["return_visit"], "done"))
    (ticket,) = rig.tickets(office)
    assert ticket.state == "closed"

    with rig.read() as session:
        offices = [session.get(OfficeRow, office)]
        result = overview(session, offices, date(2026, 3, 1), date(2026, 3, 31), rig.clock.now)
        got = result.offices[0].indicators
        assert stored_facts(session, [office]) == computed_facts(session, [office])[0]
    assert (got.accepted, got.closed) == (1, 1)
    assert got.ticket_on_time_rate == 1.0  # due end of Mon 03-09, closed Fri
    assert got.stage_on_time_rate == 0.75  # bill_check, reply, return_visit on time; meter_check late
    assert got.mean_stage_working_minutes == (0 + 1440 + 5760 + 60 + 120) / 5  # accept is born done: 0
    assert got.p90_stage_working_minutes is not None and 5760 <= got.p90_stage_working_minutes <= 5760 * 2 ** (1 / 8)
    assert got.overdue_backlog == 0
    assert got.first_time_resolution_rate == 0.0  # bill_check was sent back
    assert (got.stages_returned, got.tickets_reopened) == (1, 0)
    assert got.complaints_per_thousand == 0.0
    assert (got.mean_customer_rating, got.dissatisfied_share) == (2.0, 1.0)
    # stages 0 + 1440 + 5760 + 60 + 120 = 7380 minutes; elapsed Mon 09:00 → Fri 12:00 = 5940: 1440 saved.
    assert got.working_days_saved == 1.0
    assert got.online_share == 1.0  # accepted on the app
    assert got.mean_response_minutes == (30 + 60 + 30 + 90) / 4
    assert got.mean_peer_rating == 5.0
    assert result.rollup == got
    by_stage = {(s.department, s.stage_code): s.indicators for s in result.by_stage}
    assert by_stage[("metering", "meter_check")].stage_on_time_rate == 0.0
    assert by_stage[("marketing", "bill_check")].stages_returned == 1

    sums = {key[0]: counter for key, counter in _department_sums(rig, office).items()}
    scores = {d.department: d for d in department_scores(sorted(sums.items()), ind.EvaluationWeights())}
    # marketing: peer 5, customer 2 → (0.3·5 + 0.3·2) / 0.6; metering: lead 4, customer 2 → (0.4·4 + 0.3·2) / 0.7.
    assert scores["marketing"].score == pytest.approx(3.5) and scores["marketing"].rank == 1
    assert scores["metering"].score == pytest.approx(2.2 / 0.7) and scores["metering"].rank == 2
    assert scores["service"].score == pytest.approx(2.0) and scores["service"].rank == 3
    assert scores["service"].customer_count == 1 and scores["service"].lead is None


def _department_sums(rig: PushRig, office: str) -> dict[tuple[str, ...], ind.Counter[str]]:
    from backend.efficiency.api import _sums

    with rig.read() as session:
        return {key: counter for key, counter in
                _sums(session, [office], date(2026, 3, 1), date(2026, 3, 31), ("department",)).items()
                if key[0] != ind.ANY}


def test_overdue_backlog_and_reopened_ticket(rig: PushRig) -> None:
    office = _office(rig)
    rig.clock.now = START
    clerk, marketing = rig.who(office, "clerk"), rig.who(office, "department", "marketing")
    complaint = rig.create_ticket(clerk, "complaint")
    _applied(complaint)
    handle = rig.stages(complaint.entity_id)["handle"]
    assert handle.due_at is not None
    rig.clock.now = handle.due_at + timedelta(hours=1)
    with rig.read() as session:
        got = overview(session, [session.get(OfficeRow, office)], date(2026, 3, 1), date(2026, 3, 31),
                       rig.clock.now).offices[0].indicators
    assert got.overdue_backlog == 1 and got.complaints_per_thousand == 1000.0 and got.online_share == 0.0
    _applied(rig.move(marketing, "stage_task", handle, "taken"))
    _applied(rig.move(marketing, "stage_task", rig.stages(complaint.entity_id)["handle"], "done"))
    (ticket,) = rig.tickets(office)
    _applied(rig.move(clerk, "ticket", ticket, "closed"))
    (ticket,) = rig.tickets(office)
    _applied(rig.move(clerk, "ticket", ticket, "reopened", "重复投诉"))
    with rig.read() as session:
        got = overview(session, [session.get(OfficeRow, office)], date(2026, 3, 1), date(2026, 3, 31),
                       rig.clock.now).offices[0].indicators
        assert stored_facts(session, [office]) == computed_facts(session, [office])[0]
    # reopened past its own deadline, but its clock-stop stage (处理) is done: its clock stopped
    # (domain.sla.ticket_clock), so by the desk's 超时 rule it is no longer overdue work; no stage open
    assert got.overdue_backlog == 0 and got.tickets_reopened == 1 and got.closed == 0


def test_evaluation_roles(rig: PushRig) -> None:
    office = _office(rig)
    rig.clock.now = START
    clerk = rig.who(office, "clerk")
    created = rig.create_ticket(clerk, "bill_dispute")
    at = rig.clock.now.isoformat()

    def evaluate(who_role: str, department: str | None, **fields: object) -> str:
        result = rig.push(rig.who(office, who_role, department), "evaluation", "create",
                          fields={"ticket_id": created.entity_id, "at": at, "score": 4, **fields})
        return result.code or result.status

    assert evaluate("department", "service", evaluator="customer") == "applied"  # the return-visit owner
    assert evaluate("department", "metering", evaluator="customer") == "forbidden"  # not the visit's owner
    assert evaluate("clerk", None, evaluator="customer") == "applied"  # taken at the window
    assert evaluate("department", "marketing", evaluator="lead", to_department="marketing") == "invalid_input"
    assert evaluate("department", "marketing", evaluator="lead") == "invalid_input"  # names nobody
    assert evaluate("department", "marketing", evaluator="lead", to_department="metering") == "applied"
    assert evaluate("manager", None, evaluator="customer") == "forbidden"  # read-only


# ---- incremental equals rebuilt, on random histories ----

_TYPES = ("complaint", "complaint", "bill_dispute", "connection_residential")
_stage_step = st.tuples(st.just("stage"), st.integers(0, 10_000), st.integers(0, 10_000))
_step = st.one_of(
    st.tuples(st.just("create"), st.sampled_from(_TYPES), st.integers(0, 3)),
    _stage_step, _stage_step, _stage_step, _stage_step,  # mostly work on the stages, so tickets finish
    st.tuples(st.just("ticket"), st.integers(0, 10_000), st.integers(0, 10_000)),
    st.tuples(st.just("rate"), st.integers(0, 10_000), st.integers(1, 5)),
    st.tuples(st.just("wait"), st.integers(1, 60 * 60), st.just(0)),
    # 补充材料/信息: a stage asks the customer (b even) or another department (b odd); a request is met, or
    # withdrawn as asked by mistake (by the asking department, b odd, or a supervisor)
    st.tuples(st.just("ask"), st.integers(0, 10_000), st.integers(0, 10_000)),
    st.tuples(st.just("meet"), st.integers(0, 10_000), st.just(0)),
    st.tuples(st.just("withdraw"), st.integers(0, 10_000), st.integers(0, 1)),
)
_ASKED = ("marketing", "metering", "service", "design")


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(first=st.lists(st.sampled_from(_TYPES), min_size=1, max_size=3),
       history=st.lists(_step, min_size=20, max_size=45))
def test_incremental_facts_equal_a_rebuild(rig: PushRig, first: list[str], history: list[tuple[str, object, int]]) -> None:
    office = _office(rig)
    rig.clock.now = START
    boss = rig.who(office, "supervisor")
    for type_code in first:
        rig.create_ticket(rig.who(office, "clerk"), type_code)
    for kind, a, b in history:
        tickets = rig.tickets(office)
        if kind == "create" and len(tickets) < 3:
            role = ("clerk", "hotline", "supervisor", "clerk")[b]
            rig.create_ticket(rig.who(office, role), str(a))
        elif kind == "create":
            continue
        elif kind == "wait":
            rig.advance(minutes=int(str(a)))
        elif not tickets:
            continue
        elif kind == "stage":
            stages = [s for t in tickets for s in rig.stages(t.id).values() if s.state in ind.UNFINISHED_STAGE_STATES]
            if not stages:
                continue
            stage = stages[int(str(a)) % len(stages)]
            moves = allowed_transitions("stage_task", stage.state, "department")
            if moves:
                forward = moves[0] if b % 4 else moves[b // 4 % len(moves)]  # mostly taken / done, so tickets finish
                rig.move(rig.who(office, "department", stage.department), "stage_task", stage, forward)
        elif kind == "ticket":
            ticket = tickets[int(str(a)) % len(tickets)]
            moves = allowed_transitions("ticket", ticket.state, "clerk")
            if moves:
                rig.move(rig.who(office, "clerk"), "ticket", ticket, moves[b % len(moves)])
        elif kind == "rate":
            ticket = tickets[int(str(a)) % len(tickets)]
            evaluator = ("customer", "lead", "peer")[int(str(a)) % 3]
            rig.push(boss, "evaluation", "create", fields={
                "ticket_id": ticket.id, "evaluator": evaluator, "score": b, "at": rig.clock.now.isoformat(),
                "to_department": ("marketing", "metering", "service")[b % 3]})
        elif kind == "ask":
            stages = [s for t in tickets for s in rig.stages(t.id).values() if s.state in ind.UNFINISHED_STAGE_STATES]
            if not stages:
                continue
            stage = stages[int(str(a)) % len(stages)]
            other = next(d for d in _ASKED if d != stage.department)
            asker = rig.who(office, "department", stage.department) if b % 3 else boss
            rig.push(asker, "info_request", "create", fields={
                "ticket_id": stage.ticket_id, "stage_task_id": stage.id, "requested_at": rig.clock.now.isoformat(),
                "reason": "材料不全", **({"addressee": "customer", "detail": "补充产权证明"} if b % 2 == 0 else
                                       {"addressee": "department", "to_department": other, "detail": "勘查记录"})})
        elif kind == "meet":
            with rig.read() as session:
                waiting = list(session.execute(select(InfoRequestRow).where(
                    InfoRequestRow.office_id == office, InfoRequestRow.state == "open")
                    .order_by(InfoRequestRow.id)).scalars())
            if waiting:
                rig.move(boss, "info_request", waiting[int(str(a)) % len(waiting)], "met", None)
        elif kind == "withdraw":
            with rig.read() as session:
                waiting = list(session.execute(select(InfoRequestRow).where(
                    InfoRequestRow.office_id == office, InfoRequestRow.state == "open")
                    .order_by(InfoRequestRow.id)).scalars())
            if waiting:
                request = waiting[int(str(a)) % len(waiting)]
                author = rig.who(office, "department", request.department) if b else boss
                assert rig.move(author, "info_request", request, "withdrawn", "问错了").status == "applied"
    with rig.database.write() as session:
        incremental = stored_facts(session, [office])
        measures = {name for counter in incremental.values() for name in counter}
        event(f"returned or reopened measured: {bool(measures & {'returned', 'reopened'})}")
        event(f"closed measured: {'closed' in measures}")
        event(f"asked again measured: {bool(measures & {'customer_requests', 'department_requests'})}")
        with rig.read() as reading:
            withdrawn = reading.execute(select(InfoRequestRow.id).where(
                InfoRequestRow.office_id == office, InfoRequestRow.state == "withdrawn")).first()
        event(f"a request withdrawn: {withdrawn is not None}")
        event(f"trips avoided measured: {'trips_avoided' in measures}")
        assert incremental == computed_facts(session, [office])[0]
        rebuild(session, [office])
    with rig.read() as session:
        assert stored_facts(session, [office]) == incremental


def test_rebuild_command_refuses_an_unknown_office(tmp_path: Path) -> None:
    from backend.efficiency.commands import rebuild_command

    url = database_url(str(tmp_path / "empty.db"))
    with pytest.raises(ValueError, match="no office"):
        rebuild_command(url, ["nowhere"])
    assert "from 0 tickets" in rebuild_command(url, None)


def test_the_server_command_rebuilds_and_names_an_unknown_office(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from backend.cli import main

    db = str(tmp_path / "cli.db")
    assert main(["rebuild-efficiency", "--db", db, "--office", "nowhere"]) == 2
    assert "no office 'nowhere'" in capsys.readouterr().err
    assert main(["rebuild-efficiency", "--db", db]) == 0
    assert "rebuilt from 0 tickets (every office)" in capsys.readouterr().out
