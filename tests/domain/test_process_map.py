"""The process map (domain.process_map) against fixtures computed by hand, and its invariants on random histories."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import process_map as pm
from domain.calendar import WorkingCalendar
from domain.catalogue import load_catalogue
from domain.errors import InvalidInput

CST = ZoneInfo("Asia/Shanghai")
CAL = WorkingCalendar.default()
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=CST)  # a Monday; every fixture stays inside Monday and Tuesday
RESIDENTIAL = load_catalogue().ticket_type("connection_residential")
BILL_DISPUTE = load_catalogue().ticket_type("bill_dispute")


def m(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


@dataclass(frozen=True)
class T:
    id: str
    type_code: str = "connection_residential"
    state: str = "closed"
    accepted_at: datetime = T0
    closed_at: datetime | None = m(1000)


@dataclass(frozen=True)
class S:
    id: str
    stage_code: str
    department: str
    opened_at: datetime
    completed_at: datetime | None
    state: str = "done"


@dataclass(frozen=True)
class E:
    stage_task_id: str | None
    from_state: str
    to_state: str
    at: datetime


def residential(ticket_id: str, *, survey_sent_back: bool = False, visit_rework: bool = False) -> pm.TicketHistory:
    """accept → (survey ‖ contract, contract worked only after survey) → metering → (return visit ‖ archive)."""
    plan = [  # stage, department, opened, taken, completed (minutes after T0)
        ("accept", "marketing", 0, None, 0),
        ("survey", "marketing", 0, 60, 240),
        ("contract", "marketing", 0, 300, 360),
        ("metering", "metering", 360, 420, 600),
        ("return_visit", "service", 600, 900, 1000),
        ("archive", "marketing", 600, 605, 950),
    ]
    stages, events = [], []
    for code, department, opened, taken, completed in plan:
        task_id = f"{ticket_id}:{code}"
        stages.append(S(task_id, code, department, m(opened), m(completed)))
        if taken is not None:
            events.append(E(task_id, "open", "taken", m(taken)))
            events.append(E(task_id, "taken", "done", m(completed)))
    if survey_sent_back:
        survey = f"{ticket_id}:survey"
        events += [E(survey, "taken", "returned", m(120)), E(survey, "returned", "open", m(130)),
                   E(survey, "open", "taken", m(150))]
    if visit_rework:
        events += [E(None, "awaiting_visit", "in_progress", m(950)), E(None, "in_progress", "awaiting_visit", m(960))]
    return pm.TicketHistory(T(ticket_id), stages, events)


def fixture() -> list[pm.TicketHistory]:
    unfinished = pm.TicketHistory(T("t6", state="in_progress", closed_at=None),
                                  [S("t6:accept", "accept", "marketing", T0, T0)])
    return [residential("t1", visit_rework=True), residential("t2"), residential("t3"),
            residential("t4", survey_sent_back=True), residential("t5", survey_sent_back=True), unfinished]


def test_the_fixture_days_are_working_days() -> None:
    assert CAL.is_working_day(date(2026, 3, 2)) and CAL.is_working_day(date(2026, 3, 3))


def test_variants_most_common_first_with_parallel_steps_and_rework_rounds() -> None:
    result = pm.process_map(fixture(), RESIDENTIAL, CAL)
    assert (result.tickets, result.left_out) == (5, 1)
    assert result.mean_elapsed_minutes == result.median_elapsed_minutes == 1000
    steps = [[[(v.stage, v.rounds) for v in step] for step in variant.steps] for variant in result.variants]
    assert steps == [
        [[("accept", 1)], [("survey", 1), ("contract", 1)], [("metering", 1)], [("return_visit", 1), ("archive", 1)]],
        [[("accept", 1)], [("survey", 2), ("contract", 1)], [("metering", 1)], [("return_visit", 1), ("archive", 1)]],
    ]
    assert [(v.count, v.share, v.mean_elapsed_minutes) for v in result.variants] == [(3, 0.6, 1000), (2, 0.4, 1000)]


def test_handoffs_carry_counts_and_the_wait_from_completion_to_take() -> None:
    result = pm.process_map(fixture(), RESIDENTIAL, CAL)
    handoffs = {(h.from_stage, h.to_stage): (h.count, h.waiting_count, h.mean_waiting_minutes)
                for h in result.handoffs}
    assert handoffs == {
        ("accept", "survey"): (5, 5, 60),  # the first take, not the retake after the send-back
        ("accept", "contract"): (5, 5, 300),
        ("contract", "metering"): (5, 5, 60),  # contract, not survey: it completed last of metering's prerequisites
        ("metering", "return_visit"): (5, 5, 300),
        ("metering", "archive"): (5, 5, 5),
    }


def test_rework_loops_return_to_the_stage_that_handed_over() -> None:
    result = pm.process_map(fixture(), RESIDENTIAL, CAL)
    loops = {(r.kind, r.stage, r.back_to): (r.count, r.tickets) for r in result.rework}
    assert loops == {("returned", "survey", "accept"): (2, 2), ("visit_rework", "return_visit", "metering"): (1, 1)}


def test_stage_shares_critical_path_and_suggestions() -> None:
    result = pm.process_map(fixture(), RESIDENTIAL, CAL)
    assert [s.stage for s in result.stages] == ["accept", "survey", "contract", "metering", "return_visit", "archive"]
    by = {s.stage: s for s in result.stages}
    assert {code: s.share_of_elapsed for code, s in by.items()} == {
        "accept": 0.0, "survey": 0.24, "contract": 0.36, "metering": 0.24, "return_visit": 0.4, "archive": 0.35}
    assert {code: s.on_critical_path for code, s in by.items()} == {
        "accept": True, "survey": False, "contract": True, "metering": True, "return_visit": True, "archive": False}
    assert by["contract"].waiting_share == pytest.approx(300 / 360)
    assert by["return_visit"].waiting_share == pytest.approx(300 / 400)
    assert by["survey"].waiting_share == pytest.approx(60 / 240)
    assert by["accept"].waiting_observed == 0 and by["accept"].waiting_share is None  # born done: never taken
    assert (by["survey"].sent_back, by["survey"].sent_back_tickets) == (2, 2)
    flags = {code: [(f.code, f.other_stage) for f in s.suggestions] for code, s in by.items()}
    assert flags == {
        "accept": [],
        "survey": [("rework", None)],  # sent back in 2 of 5 tickets
        "contract": [("parallel", "survey"), ("waiting", None)],  # worked only after survey, though independent
        "metering": [],
        "return_visit": [("waiting", None)],
        "archive": [],
    }
    assert by["contract"].suggestions[0].value == 1.0


def test_one_department_handing_itself_negligible_work_may_merge() -> None:
    plan = [("accept", "service", 0, None, 0), ("bill_check", "marketing", 0, 10, 500),
            ("meter_check", "metering", 0, 10, 400), ("reply", "marketing", 500, 505, 530),
            ("return_visit", "service", 530, 540, 1000)]
    histories = []
    for n in range(5):
        stages = [S(f"b{n}:{code}", code, dep, m(o), m(c)) for code, dep, o, _t, c in plan]
        events = [E(f"b{n}:{code}", "open", "taken", m(t)) for code, _d, _o, t, _c in plan if t is not None]
        histories.append(pm.TicketHistory(T(f"b{n}", type_code="bill_dispute"), stages, events))
    result = pm.process_map(histories, BILL_DISPUTE, CAL)
    reply = next(s for s in result.stages if s.stage == "reply")
    assert [(f.code, f.other_stage, f.value) for f in reply.suggestions] == [("merge", "bill_check", 30 / 1000)]
    assert [s.stage for s in result.stages] == ["accept", "bill_check", "meter_check", "reply", "return_visit"]
    # four tickets prove nothing: no flag at all
    assert all(not s.suggestions for s in pm.process_map(histories[:4], BILL_DISPUTE, CAL).stages)


def test_a_ticket_of_another_type_is_refused() -> None:
    with pytest.raises(InvalidInput, match="不是"):
        pm.process_map([pm.TicketHistory(T("x", type_code="repair"), [])], RESIDENTIAL, CAL)


def test_no_tickets_gives_an_empty_map() -> None:
    result = pm.process_map([], RESIDENTIAL, CAL)
    assert (result.tickets, result.variants, result.stages, result.mean_elapsed_minutes) == (0, [], [], None)


# ---- invariants on random histories ----

_CODES = [s.code for s in RESIDENTIAL.workflow.stages]


@st.composite
def histories(draw: st.DrawFn) -> list[pm.TicketHistory]:
    out = []
    for n in range(draw(st.integers(0, 12))):
        accepted = T0 + timedelta(minutes=draw(st.integers(0, 5000)))
        stages, events = [], []
        latest = accepted
        for code in _CODES:
            if not draw(st.booleans()):
                continue
            opened = accepted + timedelta(minutes=draw(st.integers(-60, 6000)))
            done = opened + timedelta(minutes=draw(st.integers(0, 9000)))
            state = draw(st.sampled_from(["done", "done", "done", "cancelled"]))
            task_id = f"{n}:{code}"
            stages.append(S(task_id, code, "marketing", opened, done if state == "done" else None, state))
            latest = max(latest, done)
            for _ in range(draw(st.integers(0, 3))):
                events.append(E(task_id, "taken" if draw(st.booleans()) else "open",
                                draw(st.sampled_from(["taken", "returned", "open", "done"])),
                                opened + timedelta(minutes=draw(st.integers(-100, 9000)))))
        closed = latest + timedelta(minutes=draw(st.integers(-3000, 3000)))
        state = draw(st.sampled_from(["closed", "closed", "in_progress"]))
        out.append(pm.TicketHistory(T(f"t{n}", state=state, accepted_at=accepted,
                                      closed_at=closed if state == "closed" else None), stages, events))
    return out


@settings(max_examples=60, deadline=None)
@given(histories())
def test_shares_stay_within_bounds_and_variants_count_every_ticket(given_histories: list[pm.TicketHistory]) -> None:
    result = pm.process_map(given_histories, RESIDENTIAL, CAL)
    closed = sum(1 for h in given_histories if h.ticket.state == "closed")
    assert result.tickets == closed and result.left_out == len(given_histories) - closed
    assert sum(v.count for v in result.variants) == result.tickets
    if result.variants:
        assert sum(v.share for v in result.variants) == pytest.approx(1.0)
    assert [v.count for v in result.variants] == sorted((v.count for v in result.variants), reverse=True)
    for stage in result.stages:
        assert stage.share_of_elapsed is None or 0.0 <= stage.share_of_elapsed <= 1.0
        assert stage.waiting_share is None or 0.0 <= stage.waiting_share <= 1.0
        assert 0.0 <= stage.critical_share <= 1.0 and stage.tickets <= result.tickets
    for handoff in result.handoffs:
        assert handoff.waiting_count <= handoff.count <= result.tickets
