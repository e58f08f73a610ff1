"""Each efficiency indicator against a fixture computed by hand (domain.indicators)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain import indicators as ind
from domain.calendar import WorkingCalendar
from domain.errors import InvalidInput

CST = ZoneInfo("Asia/Shanghai")
CAL = WorkingCalendar.default()


def at(day: str, hh: int = 0, mm: int = 0) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), CST) + timedelta(hours=hh, minutes=mm)


@dataclass(frozen=True)
class T:
    id: str = "t1"
    office_id: str = "o1"
    type_code: str = "connection_residential"
    channel: str = "hall"
    state: str = "closed"
    accepted_at: datetime = at("2026-03-02", 9)
    due_at: datetime | None = at("2026-03-09", 0)
    closed_at: datetime | None = at("2026-03-05", 9)


@dataclass(frozen=True)
class S:
    id: str
    stage_code: str
    department: str
    state: str
    opened_at: datetime
    due_at: datetime | None = None
    completed_at: datetime | None = None


@dataclass(frozen=True)
class E:
    stage_task_id: str | None
    from_state: str
    to_state: str
    at: datetime


@dataclass(frozen=True)
class R:
    stage_task_id: str
    addressee: str
    requested_at: datetime
    state: str = "open"


@dataclass(frozen=True)
class V:
    evaluator: str
    to_department: str | None
    score: int
    at: datetime
    channel: str | None = None


# ---- 时效性 ----


def test_working_minutes_skip_weekends_holidays_and_count_makeup_days() -> None:
    # Friday 12:00 → Monday 12:00: 12 h on Friday + 12 h on Monday; the weekend counts nothing.
    assert ind.working_minutes(at("2026-03-06", 12), at("2026-03-09", 12), CAL) == 24 * 60
    # Thursday 2026-04-02 18:00 → Tuesday 04-07 06:00: Thu 6 h + Fri 24 h + (Sat-Mon 清明) + Tue 6 h.
    assert ind.working_minutes(at("2026-04-02", 18), at("2026-04-07", 6), CAL) == 36 * 60
    # Saturday 2026-02-28 is a make-up working day (调休): all of it counts.
    assert ind.working_minutes(at("2026-02-28"), at("2026-03-01"), CAL) == 24 * 60
    assert ind.working_minutes(at("2026-03-02", 10), at("2026-03-02", 9), CAL) == 0
    # UTC input is read in the office zone: 2026-03-06 16:00Z is Saturday 00:00 in Shanghai.
    assert ind.working_minutes(datetime.fromisoformat("2026-03-06T15:00:00+00:00"),
                               datetime.fromisoformat("2026-03-06T17:00:00+00:00"), CAL) == 60
    assert ind.working_days(2160) == 1.5


def test_on_time_rate() -> None:
    assert ind.is_on_time(at("2026-03-02", 10), at("2026-03-02", 10))
    assert not ind.is_on_time(at("2026-03-02", 10, 1), at("2026-03-02", 10))
    assert ind.on_time_rate(3, 4) == 0.75
    assert ind.on_time_rate(0, 0) is None
    with pytest.raises(InvalidInput):
        ind.on_time_rate(5, 4)
    with pytest.raises(InvalidInput):
        ind.on_time_rate(-1, 4)


def test_mean_and_p90_working_time() -> None:
    durations = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert ind.mean_working_minutes(sum(durations), len(durations)) == 55
    assert ind.p90_working_minutes(durations) == 90  # ⌈0.9·10⌉ = 9th smallest
    assert ind.p90_working_minutes([7]) == 7
    assert ind.p90_working_minutes([3, 1, 2]) == 3  # ⌈2.7⌉ = 3rd
    assert ind.p90_working_minutes([]) is None
    hist = Counter(ind.duration_bucket(d) for d in durations)
    p90 = ind.p90_from_histogram(hist)
    assert p90 is not None and 90 <= p90 <= 90 * 2 ** (1 / 8)  # the upper edge of 90's bucket
    assert ind.duration_bucket(0) == 0 and ind.duration_bucket(1) == 1 and ind.duration_bucket(2) == 9
    assert ind.p90_from_histogram({}) is None


def test_overdue_backlog() -> None:
    now = at("2026-03-04", 12)
    stages = [
        S("a", "survey", "marketing", "open", at("2026-03-02"), due_at=at("2026-03-03")),  # overdue
        S("b", "survey", "marketing", "taken", at("2026-03-02"), due_at=at("2026-03-04", 11)),  # overdue
        S("c", "survey", "marketing", "done", at("2026-03-02"), due_at=at("2026-03-03"), completed_at=now),
        S("d", "survey", "marketing", "open", at("2026-03-02"), due_at=at("2026-03-05")),  # not yet due
        S("e", "survey", "marketing", "open", at("2026-03-02")),  # no limit
        S("f", "survey", "marketing", "cancelled", at("2026-03-02"), due_at=at("2026-03-03")),
    ]
    assert ind.overdue_backlog(stages, now) == 2


def test_first_time_resolution() -> None:
    clean = [E("s1", "open", "taken", at("2026-03-02", 10)), E("s1", "taken", "done", at("2026-03-02", 11))]
    assert ind.first_time_resolved("closed", clean)
    assert not ind.first_time_resolved("in_progress", clean)
    assert not ind.first_time_resolved("closed", [*clean, E("s1", "taken", "returned", at("2026-03-02", 12))])
    assert not ind.first_time_resolved("closed", [E(None, "awaiting_visit", "in_progress", at("2026-03-03"))])
    assert not ind.first_time_resolved("closed", [E(None, "closed", "reopened", at("2026-03-03"))])
    assert ind.first_time_resolved("closed", [E(None, "accepted", "in_progress", at("2026-03-03"))])
    assert ind.first_time_resolution_rate(3, 4) == 0.75
    assert ind.first_time_resolution_rate(0, 0) is None


# ---- 质量性 ----


def test_sent_back_and_reopened() -> None:
    events = [E("s1", "taken", "returned", at("2026-03-02")), E("s1", "returned", "open", at("2026-03-02")),
              E("s2", "taken", "returned", at("2026-03-03")), E(None, "closed", "reopened", at("2026-03-04")),
              E(None, "reopened", "in_progress", at("2026-03-04"))]
    assert ind.sent_back_count(events) == (2, 1)


def test_complaints_per_thousand() -> None:
    assert ind.complaints_per_thousand(3, 1500) == 2.0
    assert ind.complaints_per_thousand(0, 0) is None


# ---- 满意度 and ratings ----


def test_customer_ratings() -> None:
    scores = [5, 4, 2, 1, 5]
    assert ind.mean_rating(sum(scores), len(scores)) == 3.4
    assert ind.dissatisfied_share(sum(ind.is_dissatisfied(s) for s in scores), len(scores)) == 0.4
    assert ind.mean_rating(0, 0) is None and ind.dissatisfied_share(0, 0) is None


def test_multi_party_score_with_weights() -> None:
    assert ind.multi_party_score(4.0, 3.0, 5.0) == pytest.approx(0.4 * 4 + 0.3 * 3 + 0.3 * 5)  # 4.0
    # Nobody gave a peer rating: lead and customer share the weight (0.4·4 + 0.3·5) / 0.7.
    assert ind.multi_party_score(4.0, None, 5.0) == pytest.approx(3.1 / 0.7)
    assert ind.multi_party_score(None, None, None) is None
    weights = ind.EvaluationWeights(lead=0.5, peer=0.5, customer=0)
    assert ind.multi_party_score(4.0, 2.0, 5.0, weights) == pytest.approx(3.0)
    with pytest.raises(InvalidInput):
        ind.EvaluationWeights(0, 0, 0)
    with pytest.raises(InvalidInput):
        ind.EvaluationWeights(-0.1, 0.5, 0.6)
    with pytest.raises(InvalidInput):
        ind.EvaluationWeights(float("nan"), 0.5, 0.6)


# ---- 价值创造 ----


def test_days_saved_by_parallel_stages() -> None:
    # Survey Mon 09:00 → Tue 09:00 (1 day) beside contract Mon 09:00 → Wed 09:00 (2 days): 3 − 2 = 1 day.
    parallel = [(at("2026-03-02", 9), at("2026-03-03", 9)), (at("2026-03-02", 9), at("2026-03-04", 9))]
    assert ind.parallel_minutes_saved(parallel, CAL) == 24 * 60
    # Serial with a gap: 1 + 1 = 2 days of work over 3 days elapsed: no saving, never negative.
    serial = [(at("2026-03-02", 9), at("2026-03-03", 9)), (at("2026-03-04", 9), at("2026-03-05", 9))]
    assert ind.parallel_minutes_saved(serial, CAL) == 0
    assert ind.parallel_minutes_saved([], CAL) == 0


def test_online_share() -> None:
    assert ind.online_share(2, 8) == 0.25
    assert ind.online_share(0, 0) is None
    assert {"app", "wechat"} == set(ind.ONLINE_CHANNELS)


# ---- collaboration ----


def test_response_time_from_opened_to_taken() -> None:
    # Opened Friday 16:00, taken Monday 10:00: 8 h + 10 h of working days.
    assert ind.response_working_minutes(at("2026-03-06", 16), at("2026-03-09", 10), CAL) == 18 * 60


# ---- asked again: 材料重复索要 and 信息共享质量 ----


def test_customer_asked_again_is_the_first_request_to_the_customer_after_acceptance() -> None:
    accepted = at("2026-03-02", 9)
    requests = [R("s1", "department", at("2026-03-02", 10)), R("s2", "customer", at("2026-03-04", 8)),
                R("s1", "customer", at("2026-03-03", 15)), R("s1", "customer", at("2026-03-02", 8))]
    # the 08:00 request came before acceptance (the window's own checklist): not "again"; the first after is 03-03.
    assert ind.customer_asked_again(accepted, requests) == at("2026-03-03", 15)
    assert ind.customer_asked_again(accepted, [R("s1", "department", at("2026-03-03"))]) is None
    assert ind.customer_asked_again(accepted, []) is None


def test_materials_asked_again_per_thousand() -> None:
    # 3 of 120 tickets had their customer asked again: 1000 × 3 / 120 = 25.
    assert ind.materials_asked_again_per_thousand(3, 120) == 25.0
    assert ind.materials_asked_again_per_thousand(0, 8) == 0.0
    assert ind.materials_asked_again_per_thousand(0, 0) is None
    with pytest.raises(InvalidInput):
        ind.materials_asked_again_per_thousand(5, 4)
    with pytest.raises(InvalidInput):
        ind.materials_asked_again_per_thousand(-1, 4)


def test_information_sharing_quality() -> None:
    requests = [R("s1", "customer", at("2026-03-02")), R("s1", "department", at("2026-03-02")),
                R("s3", "department", at("2026-03-03"))]
    assert not ind.shared_first_time("s1", requests)
    assert ind.shared_first_time("s2", requests)
    assert not ind.shared_first_time("s3", requests)
    # 7 of 10 stages done without asking anyone again.
    assert ind.information_sharing_quality(7, 10) == 0.7
    assert ind.information_sharing_quality(0, 0) is None
    with pytest.raises(InvalidInput):
        ind.information_sharing_quality(3, 2)


def test_ticket_facts_count_requests_on_their_stage_and_day() -> None:
    """Accepted Mon 03-02 09:00. The survey (marketing) asks the customer for a property proof on Mon 15:00 and
    again on Tue 10:00, and is done Wed 09:00; the design (design) asks marketing for the survey sketch on Wed
    11:00 and is done Thu 09:00; metering asks nobody and is done Thu 12:00. The ticket is still open.

    asked_again: 1 (the ticket, once, on its acceptance day); customer_requests: survey 1 on Mon, 1 on Tue;
    department_requests: design 1 on Wed; stages_shared: only metering (1 of 3 done)."""
    ticket = T(state="in_progress", closed_at=None)
    survey = S("s-survey", "survey", "marketing", "done", at("2026-03-02", 9), None, at("2026-03-04", 9))
    design = S("s-design", "design", "design", "done", at("2026-03-04", 9), None, at("2026-03-05", 9))
    metering = S("s-meter", "metering", "metering", "done", at("2026-03-05", 9), None, at("2026-03-05", 12))
    requests = [R("s-survey", "customer", at("2026-03-02", 15)), R("s-survey", "customer", at("2026-03-03", 10)),
                R("s-design", "department", at("2026-03-04", 11))]
    facts = ind.ticket_facts(ticket, [survey, design, metering], [], [], CAL, requests=requests)

    def key(department: str, stage: str, day: str) -> ind.FactKey:
        return ind.FactKey("o1", department, stage, "connection_residential", "hall", date.fromisoformat(day))

    h48, h24, h3 = (f"h{ind.duration_bucket(m)}" for m in (2880, 1440, 180))
    assert facts == {
        # the design's request to marketing is a trip the customer did not make (客户少跑次数 1)
        key("*", "*", "2026-03-02"): Counter(accepted=1, asked_again=1, trips_avoided=1),
        key("marketing", "survey", "2026-03-02"): Counter(customer_requests=1),
        key("marketing", "survey", "2026-03-03"): Counter(customer_requests=1),
        key("marketing", "survey", "2026-03-04"): Counter(stages_done=1, work_minutes=2880, **{h48: 1}),
        key("design", "design", "2026-03-04"): Counter(department_requests=1),
        key("design", "design", "2026-03-05"): Counter(stages_done=1, work_minutes=1440, **{h24: 1}),
        key("metering", "metering", "2026-03-05"): Counter(stages_done=1, work_minutes=180, stages_shared=1,
                                                           **{h3: 1}),
    }
    # Summed over the ticket: 1 ticket asked again of 1 accepted (1000 per 1,000); 1 of 3 stages shared.
    total: Counter[str] = Counter()
    for counter in facts.values():
        total.update(counter)
    assert ind.materials_asked_again_per_thousand(total["asked_again"], total["accepted"]) == 1000.0
    assert ind.information_sharing_quality(total["stages_shared"], total["stages_done"]) == pytest.approx(1 / 3)
    # A request recorded later moves only its own measures (the incremental path's delta).
    before = ind.ticket_facts(ticket, [survey, design, metering], [], [], CAL)
    delta = ind.fact_delta(before, facts)
    assert delta[key("*", "*", "2026-03-02")] == Counter(asked_again=1, trips_avoided=1)
    assert delta[key("marketing", "survey", "2026-03-04")] == Counter(stages_shared=-1)
    assert key("metering", "metering", "2026-03-05") not in delta


# ---- the facts one ticket contributes ----


def test_ticket_facts_of_a_hand_worked_connection() -> None:
    """A residential connection accepted in the hall on Monday 2026-03-02 09:00 and closed Thursday 09:00.

    survey (marketing): opened Mon 09:00, taken Mon 10:00, sent back Mon 11:00, reopened, taken again Mon 12:00,
    done Tue 09:00 (due Wed 00:00: on time; 24 h working).
    contract (marketing): opened Mon 09:00, taken Mon 09:30, done Wed 09:00 (due Tue 00:00: late; 48 h).
    metering (metering): opened Wed 09:00, done Thu 09:00 without being taken (24 h, no limit).
    return_visit (service): still open, due Fri 2026-03-06 00:00 → open_due on that day... but the ticket
    is closed here, so the fixture cancels it instead: it counts nowhere.
    Ratings: the customer gives 2 on Thursday (dissatisfied), the lead rates metering 4, a peer rates
    marketing 5.
    """
    survey = S("s-survey", "survey", "marketing", "done", at("2026-03-02", 9), at("2026-03-04"), at("2026-03-03", 9))
    contract = S("s-contract", "contract", "marketing", "done", at("2026-03-02", 9), at("2026-03-03"),
                 at("2026-03-04", 9))
    metering = S("s-metering", "metering", "metering", "done", at("2026-03-04", 9), None, at("2026-03-05", 9))
    visit = S("s-visit", "return_visit", "service", "cancelled", at("2026-03-05", 9), at("2026-03-06"))
    events = [
        E("s-survey", "open", "taken", at("2026-03-02", 10)),
        E("s-contract", "open", "taken", at("2026-03-02", 9, 30)),
        E("s-survey", "taken", "returned", at("2026-03-02", 11)),
        E("s-survey", "returned", "open", at("2026-03-02", 11, 30)),
        E("s-survey", "open", "taken", at("2026-03-02", 12)),
    ]
    ratings = [V("customer", "marketing", 2, at("2026-03-05", 10)), V("lead", "metering", 4, at("2026-03-05", 11)),
               V("peer", "marketing", 5, at("2026-03-05", 12))]
    facts = ind.ticket_facts(T(), [survey, contract, metering, visit], ratings, events, CAL)

    def key(department: str, stage: str, day: str) -> ind.FactKey:
        return ind.FactKey("o1", department, stage, "connection_residential", "hall", date.fromisoformat(day))

    h24, h48 = f"h{ind.duration_bucket(1440)}", f"h{ind.duration_bucket(2880)}"
    expected = {
        key("*", "*", "2026-03-02"): Counter(accepted=1),
        # closed Thu, due Mon 03-09: on time; the survey was sent back: not first time.
        # saved: 1440 + 2880 + 1440 = 5760 working minutes of stages, 3 days elapsed Mon 09 → Thu 09 = 4320.
        key("*", "*", "2026-03-05"): Counter(closed=1, closed_with_limit=1, closed_on_time=1, saved_minutes=1440,
                                             rated=1, rating_sum=2, dissatisfied=1),
        # first takes on Monday: survey 60 min after opening, contract 30 min; one sending back.
        key("marketing", "survey", "2026-03-02"): Counter(taken=1, response_minutes=60, returned=1),
        key("marketing", "contract", "2026-03-02"): Counter(taken=1, response_minutes=30),
        # nothing was asked again on any stage: each done stage counts as shared (信息共享质量).
        key("marketing", "survey", "2026-03-03"): Counter(stages_done=1, stages_with_limit=1, stages_on_time=1,
                                                          work_minutes=1440, stages_shared=1, **{h24: 1}),
        key("marketing", "contract", "2026-03-04"): Counter(stages_done=1, stages_with_limit=1, work_minutes=2880,
                                                            stages_shared=1, **{h48: 1}),
        key("metering", "metering", "2026-03-05"): Counter(stages_done=1, work_minutes=1440, stages_shared=1,
                                                           **{h24: 1}),
        # the customer's rating of the ticket reaches every department that worked it (not the cancelled visit).
        key("marketing", "*", "2026-03-05"): Counter(customer_rated=1, customer_sum=2, peer_rated=1, peer_sum=5),
        key("metering", "*", "2026-03-05"): Counter(customer_rated=1, customer_sum=2, lead_rated=1, lead_sum=4),
    }
    assert facts == expected


def test_ticket_facts_of_an_open_ticket_and_the_delta() -> None:
    ticket = T(state="in_progress", closed_at=None, channel="app", type_code="complaint")
    handle = S("s-h", "handle", "marketing", "taken", at("2026-03-02", 9), at("2026-03-04"))
    before = ind.ticket_facts(ticket, [handle], [], [], CAL)
    key_open = ind.FactKey("o1", "marketing", "handle", "complaint", "app", date(2026, 3, 4))
    key_ticket = ind.FactKey("o1", "*", "*", "complaint", "app", date(2026, 3, 2))
    assert before == {key_ticket: Counter(accepted=1, trips_avoided=1), key_open: Counter(open_due=1)}  # in the app
    done = S("s-h", "handle", "marketing", "done", at("2026-03-02", 9), at("2026-03-04"), at("2026-03-03", 9))
    after = ind.ticket_facts(ticket, [done], [], [], CAL)
    delta = ind.fact_delta(before, after)
    key_done = ind.FactKey("o1", "marketing", "handle", "complaint", "app", date(2026, 3, 3))
    assert delta == {key_open: Counter(open_due=-1),
                     key_done: Counter(stages_done=1, stages_with_limit=1, stages_on_time=1, work_minutes=1440,
                                       stages_shared=1, **{f"h{ind.duration_bucket(1440)}": 1})}
    assert ind.merge_facts(ind.merge_facts({}, before), delta) == after


def test_a_withdrawn_request_counts_nowhere() -> None:
    """The same ticket as above, but the survey's two requests to the customer were asked by mistake and
    withdrawn, and so was design's to marketing: nothing was asked again. asked_again 0; no customer or
    department requests; both done stages were done on what was shared (stages_shared 2 of 2)."""
    ticket = T(state="in_progress", closed_at=None)
    survey = S("s-survey", "survey", "marketing", "done", at("2026-03-02", 9), None, at("2026-03-04", 9))
    design = S("s-design", "design", "design", "done", at("2026-03-04", 9), None, at("2026-03-05", 9))
    withdrawn = [R("s-survey", "customer", at("2026-03-02", 15), "withdrawn"),
                 R("s-survey", "customer", at("2026-03-03", 10), "withdrawn"),
                 R("s-design", "department", at("2026-03-04", 11), "withdrawn")]
    assert ind.customer_asked_again(at("2026-03-02", 9), withdrawn) is None
    assert ind.shared_first_time("s-survey", withdrawn) and ind.shared_first_time("s-design", withdrawn)
    facts = ind.ticket_facts(ticket, [survey, design], [], [], CAL, requests=withdrawn)
    assert facts == ind.ticket_facts(ticket, [survey, design], [], [], CAL, requests=[])
    measures = Counter[str]()
    for counter in facts.values():
        measures.update(counter)
    assert measures["asked_again"] == 0 and measures["stages_shared"] == 2 == measures["stages_done"]
    assert measures["customer_requests"] == measures["department_requests"] == 0
    # a met request still counts: the customer was asked again
    met = [R("s-survey", "customer", at("2026-03-02", 15), "met")]
    assert ind.customer_asked_again(at("2026-03-02", 9), met) == at("2026-03-02", 15)



@dataclass(frozen=True)
class Survey:
    mode: str
    state: str


def test_trips_avoided_hand_computed() -> None:
    """Ticket A: applied in the app (1), a video survey done (1), the design asked marketing for the sketch (1), the
    customer asked once for a property proof (a trip in both processes: 0), a request to metering withdrawn (0):
    3 avoided. Ticket B: applied at the hall (0), surveyed on site (0), a video survey cancelled (0): none.
    Ticket C: applied on WeChat (1), nothing else: 1. A hotline repair: 0. Per ticket: (3 + 0 + 1 + 0) / 4 = 1.0."""
    a_requests = [R("s-design", "department", at("2026-03-03")), R("s-survey", "customer", at("2026-03-02")),
                  R("s-design", "department", at("2026-03-04"), "withdrawn")]
    a = ind.trips_avoided("app", [Survey("remote", "done")], a_requests)
    b = ind.trips_avoided("hall", [Survey("on_site", "done"), Survey("remote", "cancelled")], [])
    c = ind.trips_avoided("wechat", [], [])
    d = ind.trips_avoided("hotline", [], [])
    assert (a, b, c, d) == (3, 0, 1, 0)
    assert ind.trips_avoided_per_ticket(a + b + c + d, 4) == 1.0
    assert ind.trips_avoided_per_ticket(0, 0) is None
    with pytest.raises(InvalidInput):
        ind.trips_avoided_per_ticket(-1, 3)
    # in the facts: on the acceptance day, beside `accepted`, whatever day the survey or request came
    ticket = T(channel="app", state="in_progress", closed_at=None)
    facts = ind.ticket_facts(ticket, [], [], [], CAL, requests=a_requests, surveys=[Survey("remote", "done")])
    accepted = next(c for k, c in facts.items() if c.get("accepted"))
    assert accepted["trips_avoided"] == 3


def test_an_app_rating_counts_with_the_others_and_is_marked() -> None:
    """Two customer ratings, 5 from the return visit and 2 from the app: rated 2, sum 7, one dissatisfied, one of
    them from the app (app_rated 1); the department that worked the ticket gets both as 客户评价."""
    ticket = T(state="in_progress", closed_at=None)
    survey = S("s-survey", "survey", "marketing", "taken", at("2026-03-02", 9), None, None)
    ratings = [V("customer", None, 5, at("2026-03-06", 10)), V("customer", None, 2, at("2026-03-06", 11), "app")]
    facts = ind.ticket_facts(ticket, [survey], ratings, [], CAL)
    day = date(2026, 3, 6)
    total = next(c for k, c in facts.items() if k.day == day and k.department == "*")
    assert (total["rated"], total["rating_sum"], total["dissatisfied"], total["app_rated"]) == (2, 7, 1, 1)
    marketing = next(c for k, c in facts.items() if k.day == day and k.department == "marketing")
    assert (marketing["customer_rated"], marketing["customer_sum"]) == (2, 7)
