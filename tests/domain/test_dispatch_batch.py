"""Batch auto-assign: never breaks a hard rule, matches the proven optimum on small days, explains what it leaves."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.dispatch import Assignment, HardRule, Surveyor, SurveyRequest, check_hard_rules, suggest
from domain.dispatch.batch import BatchProposal, batch_assign, plan_cost
from domain.dispatch.batch_exact import solve_exact
from domain.dispatch.batch_model import BatchWeights, build_day_model
from domain.dispatch.models import Mode
from domain.errors import InvalidInput

DAY = date(2025, 3, 4)
MIDNIGHT = datetime(2025, 3, 4)
NOW = MIDNIGHT + timedelta(hours=7)
LIMIT = 20.0  # generous: small days solve in milliseconds, the limit only guards a slow machine


def at(hour: int, minute: int = 0, day: int = 0) -> datetime:
    return MIDNIGHT + timedelta(days=day, hours=hour, minutes=minute)


def surveyor(id: str = "s1", **changes: Any) -> Surveyor:
    fields: dict[str, Any] = {"id": id, "name": f"勘查员{id}", "territories": frozenset({"城关"}),
                              "skills": frozenset({"low_voltage"}), "home_base": (0.0, 0.0),
                              "shifts": [(at(8, 30, d), at(17, 30, d)) for d in range(2)], "daily_capacity": 4}
    return Surveyor(**(fields | changes))


def request(id: str = "r1", **changes: Any) -> SurveyRequest:
    fields: dict[str, Any] = {"id": id, "ticket_id": f"T{id}", "customer_id": "C1", "territory": "城关",
                              "location": (3.0, 4.0), "required_skill": "low_voltage", "mode": "on_site",
                              "duration_minutes": 60, "due_at": at(17, 0, day=1)}
    return SurveyRequest(**(fields | changes))


def assert_keeps_every_rule(proposal: BatchProposal, requests: list[SurveyRequest], crew: list[Surveyor],
                            existing: list[Assignment], now: datetime) -> None:
    by_request = {r.id: r for r in requests}
    by_surveyor = {s.id: s for s in crew}
    planned = set(by_request)
    everyone = [*(a for a in existing if a.request_id not in planned), *proposal.assignments]
    for booking in proposal.assignments:
        request_ = by_request[booking.request_id]
        broken = check_hard_rules(request_, by_surveyor[booking.surveyor_id], everyone, booking.start, now=now)
        assert broken == [], (booking, broken)
        assert booking.end - booking.start == request_.duration
        assert booking.start.date() == proposal.day
    assigned = [a.request_id for a in proposal.assignments]
    assert len(assigned) == len(set(assigned))
    assert sorted(assigned + [u.request_id for u in proposal.unassigned]) == sorted(planned)
    assert proposal.objective == sum(proposal.terms.values())


# ---- plain cases ---------------------------------------------------------------------------------


def test_assigns_to_the_qualified_surveyor_and_explains_what_nobody_can_take() -> None:
    crew = [surveyor("s1"), surveyor("s2", skills=frozenset({"high_voltage"}), territories=frozenset({"城关", "新区"}))]
    requests = [request("lv"), request("hv", required_skill="high_voltage"), request("far", territory="山区"),
                request("video", required_skill="remote_video", mode="remote")]
    proposal = batch_assign(requests, crew, [], DAY, now=NOW, time_limit_s=LIMIT)
    assert {a.request_id: a.surveyor_id for a in proposal.assignments} == {"lv": "s1", "hv": "s2"}
    reasons = {u.request_id: u.rule for u in proposal.unassigned}
    assert reasons == {"far": HardRule.TERRITORY, "video": HardRule.SKILL}
    assert "资质" in next(u for u in proposal.unassigned if u.request_id == "video").reason("zh")
    assert proposal.status == "optimal"
    assert_keeps_every_rule(proposal, requests, crew, [], NOW)


def test_capacity_leave_and_existing_bookings_are_kept() -> None:
    crew = [surveyor("s1", daily_capacity=2, leave=[(at(12), at(14))])]
    existing = [Assignment("old", "s1", at(9), at(10), (0.0, 0.0))]
    requests = [request(f"r{n}") for n in range(3)]
    proposal = batch_assign(requests, crew, existing, DAY, now=NOW, time_limit_s=LIMIT)
    assert len(proposal.assignments) == 1  # one slot left of two
    assert all(not (a.start < at(14) and at(12) < a.end) for a in proposal.assignments)
    assert_keeps_every_rule(proposal, requests, crew, existing, NOW)


def test_emergency_crosses_territory_and_urgent_work_goes_first() -> None:
    crew = [surveyor("s1", daily_capacity=1)]
    requests = [request("normal"), request("urgent", urgency="urgent"), request("fire", territory="新区", urgency="emergency")]
    proposal = batch_assign(requests, crew, [], DAY, now=NOW, time_limit_s=LIMIT)
    assert [a.request_id for a in proposal.assignments] == ["fire"]
    crew = [surveyor("s1", daily_capacity=1, territories=frozenset({"城关"}))]
    proposal = batch_assign(requests[:2], crew, [], DAY, now=NOW, time_limit_s=LIMIT)
    assert [a.request_id for a in proposal.assignments] == ["urgent"]


def test_only_the_selected_requests_are_planned_and_their_old_bookings_may_move() -> None:
    crew = [surveyor("s1"), surveyor("s2")]
    existing = [Assignment("r1", "s2", at(16), at(17), (3.0, 4.0))]
    requests = [request("r1", due_at=at(12)), request("r2")]
    proposal = batch_assign(requests, crew, existing, DAY, now=NOW, selected=["r1"], time_limit_s=LIMIT)
    assert [a.request_id for a in proposal.assignments] == ["r1"]
    assert proposal.assignments[0].end <= at(12)


def test_a_time_window_and_the_due_date_hold() -> None:
    crew = [surveyor("s1")]
    requests = [request("w", window_start=at(14), window_end=at(16)), request("d", due_at=at(10, 30))]
    proposal = batch_assign(requests, crew, [], DAY, now=NOW, time_limit_s=LIMIT)
    starts = {a.request_id: a for a in proposal.assignments}
    assert starts["w"].start >= at(14) and starts["w"].end <= at(16)
    assert starts["d"].end <= at(10, 30)


def test_bad_input_is_refused() -> None:
    with pytest.raises(InvalidInput):
        batch_assign([request()], [surveyor()], [], DAY, now=NOW, time_limit_s=0)
    with pytest.raises(InvalidInput):
        batch_assign([request(), request()], [surveyor()], [], DAY, now=NOW)
    with pytest.raises(InvalidInput):
        BatchWeights(travel=-1)


def test_nothing_to_plan_is_an_empty_proposal() -> None:
    proposal = batch_assign([], [surveyor()], [], DAY, now=NOW)
    assert proposal.assignments == () and proposal.objective == 0 and proposal.gap_ratio == 1.0


# ---- generated days ------------------------------------------------------------------------------

places = st.tuples(st.integers(0, 16).map(float), st.integers(0, 16).map(float))


@st.composite
def days(draw: st.DrawFn, max_requests: int = 6, with_existing: bool = True
         ) -> tuple[list[SurveyRequest], list[Surveyor], list[Assignment]]:
    crew = []
    for n in range(draw(st.integers(1, 3))):
        begin = at(draw(st.integers(7, 10)), 30 * draw(st.integers(0, 1)))
        shifts = [(begin, begin + timedelta(hours=draw(st.integers(3, 9))))]
        if draw(st.booleans()):
            shifts.append((at(8, 30, 1), at(17, 30, 1)))
        leave = []
        if draw(st.integers(0, 3)) == 0:
            off = at(draw(st.integers(8, 15)))
            leave.append((off, off + timedelta(hours=draw(st.integers(1, 3)))))
        crew.append(Surveyor(
            id=f"s{n}", name=f"s{n}", territories=draw(st.sampled_from([frozenset({"A"}), frozenset({"A", "B"})])),
            skills=draw(st.sampled_from([frozenset({"lv"}), frozenset({"lv", "video"})])), home_base=draw(places),
            shifts=shifts, leave=leave, daily_capacity=draw(st.integers(0, 4)),
            speed_kmh=draw(st.sampled_from([20.0, 30.0, 45.0])),
        ))
    existing = []
    if with_existing:
        for n in range(draw(st.integers(0, 3))):
            begin = at(draw(st.integers(8, 16)), 15 * draw(st.integers(0, 3)))
            existing.append(Assignment(f"e{n}", draw(st.sampled_from(crew)).id, begin,
                                       begin + timedelta(minutes=15 * draw(st.integers(2, 6))),
                                       draw(st.none() | places)))
    requests = []
    for n in range(draw(st.integers(1, max_requests))):
        mode: Mode = draw(st.sampled_from(["on_site", "on_site", "remote"]))
        opens = draw(st.none() | st.integers(8, 15).map(at))
        requests.append(SurveyRequest(
            id=f"r{n}", ticket_id=f"T{n}", customer_id=f"C{n}", territory=draw(st.sampled_from(["A", "A", "B"])),
            location=draw(places), required_skill="video" if mode == "remote" else "lv", mode=mode,
            duration_minutes=15 * draw(st.integers(2, 6)), due_at=at(draw(st.integers(10, 40))),
            urgency=draw(st.sampled_from(["normal", "normal", "urgent", "emergency"])),
            window_start=opens, window_end=None if opens is None else opens + timedelta(hours=draw(st.integers(1, 4))),
        ))
    return requests, crew, existing


@settings(max_examples=60, deadline=None)
@given(days(max_requests=8), st.integers(6 * 60, 11 * 60).map(lambda m: MIDNIGHT + timedelta(minutes=m)))
def test_no_batch_or_suggested_booking_ever_breaks_a_hard_rule(
    day: tuple[list[SurveyRequest], list[Surveyor], list[Assignment]], now: datetime
) -> None:
    requests, crew, existing = day
    proposal = batch_assign(requests, crew, existing, DAY, now=now, time_limit_s=LIMIT, workers=1)
    assert_keeps_every_rule(proposal, requests, crew, existing, now)
    by_surveyor = {s.id: s for s in crew}
    for survey in requests:
        for suggestion in suggest(survey, crew, existing, now=now, limit=len(crew)).suggestions:
            assert check_hard_rules(survey, by_surveyor[suggestion.surveyor_id], existing, suggestion.start,
                                    now=now) == []


@settings(max_examples=40, deadline=None)
@given(days(max_requests=5))
def test_small_days_reach_the_proven_optimum(day: tuple[list[SurveyRequest], list[Surveyor], list[Assignment]]) -> None:
    requests, crew, existing = day
    model = build_day_model(requests, crew, existing, DAY, now=NOW)
    optimum, plan = solve_exact(model)
    proposal = batch_assign(requests, crew, existing, DAY, now=NOW, time_limit_s=LIMIT, workers=1)
    assert proposal.status in ("optimal", "empty")
    if not proposal.dropped:
        assert proposal.objective == optimum.total
    # the exhaustive plan keeps every rule too: the model itself is sound, not only the re-check
    exact = [Assignment.of(model.requests[p.request], model.surveyors[p.surveyor].id, model.at(p.start)) for p in plan]
    by_request, by_surveyor = {r.id: r for r in requests}, {s.id: s for s in crew}
    kept = [a for a in existing if a.request_id not in by_request]
    if all(a.location is None for a in kept):  # booked jobs' drives are clipped to their gaps: only then exact
        for booking in exact:
            assert check_hard_rules(by_request[booking.request_id], by_surveyor[booking.surveyor_id],
                                    [*kept, *exact], booking.start, now=NOW) == []
    assert plan_cost(model, exact).total == optimum.total


@settings(max_examples=30, deadline=None)
@given(days(max_requests=6, with_existing=False))
def test_without_bookings_the_model_needs_no_repair(day: tuple[list[SurveyRequest], list[Surveyor], list[Assignment]]) -> None:
    requests, crew, _ = day
    proposal = batch_assign(requests, crew, [], DAY, now=NOW, time_limit_s=LIMIT, workers=1)
    assert proposal.dropped == ()
