"""Service-efficiency indicators (效能指标): one pure function per indicator, each with its formula.

Four families from the study behind OneWindow plus collaboration:

- 时效性 (timeliness): `on_time_rate`, `mean_working_minutes`, `p90_working_minutes`,
  `overdue_backlog`, `first_time_resolution_rate`;
- 质量性 (quality): `sent_back_count` (stages sent back, tickets reopened), `complaints_per_thousand`,
  `materials_asked_again_per_thousand` (材料重复索要: tickets whose customer was asked for more materials);
- 满意度 (satisfaction): `mean_rating`, `dissatisfied_share`;
- 价值创造 (value): `parallel_minutes_saved` / `working_days`, `trips_avoided` (客户少跑次数, a stated model of
  the customer's trips), `online_share`;
- collaboration: `response_working_minutes` (协同响应时间: stage opened → first taken),
  `information_sharing_quality` (信息共享质量: stages done without asking the customer or another department
  again), `mean_rating` of peer ratings (协作配合度), and `multi_party_score` (主责 + 互评 + 客户评价).

`ticket_facts` turns one ticket (its row, stage tasks, evaluations and observed state changes)
into additive facts per office × department × stage × ticket type × channel × day; the backend
keeps their sums incrementally and rebuilds them from the raw records with the same function,
so both agree by construction. Every measure there is a whole number so sums are exact.

The two "asked again" indicators read the 补充材料/信息 records (domain.records.InfoRequest: a stage asks
the customer for materials or another department for information, domain.info_requests).

What the data model does not hold (so no indicator is computed for it, see docs/efficiency.md):
time spent waiting for the customer (no waiting state on a stage), observed customer trips (visits are not linked
to tickets reliably: `trips_avoided` is a model of them, stated in its docstring), working hours (the calendar knows working days only:
a working day counts its full 24 hours).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Protocol

from domain.calendar import WorkingCalendar
from domain.errors import InvalidInput
from domain.info_requests import counts_as_asked
from domain.sla import OFFICE_ZONE

ONLINE_CHANNELS = frozenset({"app", "wechat"})  # 网上国网 and WeChat: "线上一网通办"
APP_CHANNEL = "app"  # a customer rating given in the app (domain.records.Evaluation.channel)
REMOTE_SURVEY = "remote"  # domain.records.SurveyAssignment.mode: a video survey, the customer stays home
SURVEY_DONE = "done"
COMPLAINT_TYPES = frozenset({"complaint"})  # the catalogue's 投诉 type
UNFINISHED_STAGE_STATES = frozenset({"open", "taken", "returned", "transferred", "escalated"})
DISSATISFIED_AT_MOST = 2  # a rating of 1 or 2 out of 5 counts as dissatisfied
ANY = "*"  # the department / stage of a ticket-level fact
MINUTES_PER_WORKING_DAY = 24 * 60
_BUCKETS_PER_DOUBLING = 8  # histogram resolution: each bucket spans a factor 2**(1/8), about 9 %


# ---- inputs: anything with these attributes (ORM rows, synced records, test fixtures) ----


class TicketLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def office_id(self) -> str: ...
    @property
    def type_code(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def accepted_at(self) -> datetime: ...
    @property
    def due_at(self) -> datetime | None: ...
    @property
    def closed_at(self) -> datetime | None: ...


class StageLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def stage_code(self) -> str: ...
    @property
    def department(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def opened_at(self) -> datetime: ...
    @property
    def due_at(self) -> datetime | None: ...
    @property
    def completed_at(self) -> datetime | None: ...


class EvaluationLike(Protocol):
    @property
    def evaluator(self) -> str: ...
    @property
    def to_department(self) -> str | None: ...
    @property
    def score(self) -> int: ...
    @property
    def at(self) -> datetime: ...
    @property
    def channel(self) -> str | None: ...  # "app": the customer rated in the app; None: recorded by staff


class SurveyLike(Protocol):
    """A survey assignment of the ticket: on site (the customer meets the surveyor) or remote (video)."""

    @property
    def mode(self) -> str: ...
    @property
    def state(self) -> str: ...


class EventLike(Protocol):
    """One observed state change: of a stage task (`stage_task_id` set) or of the ticket (None)."""

    @property
    def stage_task_id(self) -> str | None: ...
    @property
    def from_state(self) -> str: ...
    @property
    def to_state(self) -> str: ...
    @property
    def at(self) -> datetime: ...


class InfoRequestLike(Protocol):
    """A 补充材料/信息 request: asked on a stage task, of the customer or of another department. A withdrawn one
    (asked by mistake, domain.info_requests.WITHDRAWN) counts nowhere."""

    @property
    def stage_task_id(self) -> str: ...
    @property
    def addressee(self) -> str: ...  # "customer" or "department"
    @property
    def requested_at(self) -> datetime: ...
    @property
    def state(self) -> str: ...


# ---- 时效性 ----


def is_on_time(completed_at: datetime, due_at: datetime) -> bool:
    """On time: completed at or before the deadline `domain.sla` gave it when it opened (stored on the
    row, so a later calendar change does not rewrite history)."""
    return completed_at <= due_at


def on_time_rate(on_time: int, with_limit: int) -> float | None:
    """On-time rate = completed on time / completed with a time limit; None when nothing had a limit."""
    _counts(on_time=on_time, with_limit=with_limit)
    if on_time > with_limit:
        raise InvalidInput("按时数不能大于总数", "on-time count exceeds the total", field="on_time")
    return on_time / with_limit if with_limit else None


def working_minutes(start: datetime, end: datetime, calendar: WorkingCalendar, zone: tzinfo = OFFICE_ZONE) -> int:
    """Working time from `start` to `end` in whole minutes: the part of the interval that falls on working
    days of the office calendar (days in the office's zone; a working day counts all its 24 hours, the
    calendar has no working hours). 0 when `end` is not after `start`."""
    if end <= start:
        return 0
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    total = timedelta()
    day = local_start.date()
    while day <= local_end.date():
        if calendar.is_working_day(day):
            day_start = datetime.combine(day, time(), zone)
            day_end = datetime.combine(day + timedelta(days=1), time(), zone)
            overlap = min(local_end, day_end) - max(local_start, day_start)
            if overlap > timedelta():
                total += overlap
        day += timedelta(days=1)
    return int(total.total_seconds() // 60)


def working_days(minutes: int) -> float:
    """Working minutes as working days (a working day is 24 h on the calendar)."""
    return minutes / MINUTES_PER_WORKING_DAY


def mean_working_minutes(total_minutes: int, count: int) -> float | None:
    """Mean working time of a stage = Σ working minutes of its completed tasks / their number."""
    _counts(total_minutes=total_minutes, count=count)
    return total_minutes / count if count else None


def p90_working_minutes(durations: Iterable[int]) -> int | None:
    """90th percentile (nearest rank: the ⌈0.9·n⌉-th smallest) of the stage's working times."""
    ordered = sorted(durations)
    if not ordered:
        return None
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def duration_bucket(minutes: int) -> int:
    """The histogram bucket of a working time: 0 for under a minute, else 1 + ⌊8·log2(minutes)⌋."""
    if minutes < 1:
        return 0
    return 1 + math.floor(_BUCKETS_PER_DOUBLING * math.log2(minutes))


def bucket_upper_minutes(bucket: int) -> float:
    """The upper edge of a bucket (what a percentile read from the histogram reports)."""
    return 0.0 if bucket <= 0 else 2 ** (bucket / _BUCKETS_PER_DOUBLING)


def p90_from_histogram(counts: Mapping[int, int], q: float = 0.9) -> float | None:
    """The nearest-rank q-quantile read from bucket counts: the upper edge of the bucket that holds the
    ⌈q·n⌉-th smallest value (within one bucket, about 9 %, of `p90_working_minutes`)."""
    total = sum(counts.values())
    if total <= 0:
        return None
    rank = math.ceil(q * total)
    seen = 0
    for bucket in sorted(counts):
        seen += counts[bucket]
        if seen >= rank:
            return bucket_upper_minutes(bucket)
    return bucket_upper_minutes(max(counts))


def overdue_backlog(stages: Iterable[StageLike], now: datetime) -> int:
    """Unfinished stage tasks whose deadline has passed at `now` (the facts' `open_due`). The monitor's
    overdue backlog counts open tickets instead, overdue by domain.sla by their own deadline or an
    unfinished stage's — the desk's 超时 list (backend.efficiency.api.overdue_backlog)."""
    return sum(1 for s in stages if s.state in UNFINISHED_STAGE_STATES and s.due_at is not None and s.due_at < now)


def first_time_resolved(ticket_state: str, events: Iterable[EventLike]) -> bool:
    """一次办结: the ticket is closed and nothing was done twice — no stage sent back, the ticket never
    reopened and never sent back from the return visit (awaiting_visit → in_progress)."""
    if ticket_state != "closed":
        return False
    for event in events:
        if event.stage_task_id is not None and event.to_state == "returned":
            return False
        if event.stage_task_id is None and event.to_state in ("reopened", "in_progress") and \
                event.from_state in ("closed", "awaiting_visit"):
            return False
    return True


def first_time_resolution_rate(first_time: int, closed: int) -> float | None:
    """一次办结率 = tickets closed first time / tickets closed."""
    _counts(first_time=first_time, closed=closed)
    return first_time / closed if closed else None


# ---- 质量性 ----


def sent_back_count(events: Iterable[EventLike]) -> tuple[int, int]:
    """(stages sent back, tickets reopened): stage moves into `returned`, ticket moves closed → reopened."""
    returned = reopened = 0
    for event in events:
        if event.stage_task_id is not None and event.to_state == "returned":
            returned += 1
        elif event.stage_task_id is None and event.from_state == "closed" and event.to_state == "reopened":
            reopened += 1
    return returned, reopened


def complaints_per_thousand(complaints: int, tickets: int) -> float | None:
    """Complaints per 1,000 tickets = 1000 × complaint tickets accepted / tickets accepted."""
    _counts(complaints=complaints, tickets=tickets)
    return 1000 * complaints / tickets if tickets else None


def customer_asked_again(accepted_at: datetime, requests: Iterable[InfoRequestLike]) -> datetime | None:
    """材料重复索要 of one ticket: when the customer was first asked for more materials or information after
    the ticket was accepted (the moment of the earliest request to the customer at or after acceptance);
    None when the customer was never asked again — the one set of materials sufficed. A withdrawn request (asked
    by mistake) does not count."""
    asked = [r.requested_at for r in requests
             if r.addressee == "customer" and r.requested_at >= accepted_at and counts_as_asked(r.state)]
    return min(asked) if asked else None


def materials_asked_again_per_thousand(asked_again: int, tickets: int) -> float | None:
    """Materials asked again per 1,000 tickets = 1000 × tickets accepted whose customer was asked for more
    materials at least once (`customer_asked_again`) / tickets accepted; None when nothing was accepted.
    The count itself is `asked_again` (each ticket counted once, however often its customer was asked)."""
    _counts(asked_again=asked_again, tickets=tickets)
    if asked_again > tickets:
        raise InvalidInput("重复索要的工单数不能大于工单数", "tickets asked again exceed the tickets",
                           field="asked_again")
    return 1000 * asked_again / tickets if tickets else None


# ---- 满意度 and collaboration ratings ----


def mean_rating(total: int, count: int) -> float | None:
    """Mean rating = Σ scores / number of ratings (customer 1-5, peer 1-5, lead 1-5)."""
    _counts(total=total, count=count)
    return total / count if count else None


def is_dissatisfied(score: int) -> bool:
    return score <= DISSATISFIED_AT_MOST


def dissatisfied_share(dissatisfied: int, rated: int) -> float | None:
    """Share dissatisfied = customer ratings of 1 or 2 / customer ratings."""
    _counts(dissatisfied=dissatisfied, rated=rated)
    return dissatisfied / rated if rated else None


@dataclass(frozen=True)
class EvaluationWeights:
    """The office's weights of the multi-party score (DOMAIN.md: 0.4 / 0.3 / 0.3 until set)."""

    lead: float = 0.4
    peer: float = 0.3
    customer: float = 0.3

    def __post_init__(self) -> None:
        for name in ("lead", "peer", "customer"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value) or value < 0:
                raise InvalidInput(f"权重 {name} 须为非负数", f"weight {name} must be a non-negative number",
                                   field=name)
        if self.lead + self.peer + self.customer <= 0:
            raise InvalidInput("权重之和须大于 0", "the weights must not all be zero", field="weights")


def multi_party_score(lead: float | None, peer: float | None, customer: float | None,
                      weights: EvaluationWeights = EvaluationWeights()) -> float | None:
    """Σ wᵢ·meanᵢ / Σ wᵢ over the parts that have ratings (主责评价, 协作互评, 客户评价); a part nobody
    rated this month is left out and the others' weights scaled up. None when no part has a rating."""
    parts = [(weights.lead, lead), (weights.peer, peer), (weights.customer, customer)]
    present = [(w, m) for w, m in parts if m is not None and w > 0]
    weight = sum(w for w, _ in present)
    if not present or weight <= 0:
        return None
    return sum(w * m for w, m in present) / weight


# ---- 价值创造 ----


def parallel_minutes_saved(stages: Sequence[tuple[datetime, datetime]], calendar: WorkingCalendar,
                           zone: tzinfo = OFFICE_ZONE) -> int:
    """Working time saved by parallel stages = Σ stage working times − working time of the elapsed
    critical path (first stage opened → last stage completed), never below 0 (gaps between serial
    stages are waiting, not a saving). `stages`: (opened, completed) of the completed stage tasks."""
    if not stages:
        return 0
    total = sum(working_minutes(opened, done, calendar, zone) for opened, done in stages)
    elapsed = working_minutes(min(o for o, _ in stages), max(d for _, d in stages), calendar, zone)
    return max(0, total - elapsed)


def trips_avoided(channel: str, surveys: Iterable[SurveyLike], requests: Iterable[InfoRequestLike]) -> int:
    """客户少跑次数 of one ticket: the customer trips a hall-only process would have needed minus the trips this
    ticket needed. Source: the service promise "线上一网通办、线下一站式服务" (国家电网供电服务“十项承诺”第五条,
    DOMAIN.md) and the principle "让数据多跑路、群众少跑腿" (国务院《关于加快推进“互联网+政务服务”工作的指导意见》,
    国发〔2016〕55号). This is a model of the trips, stated here, not a count of observed visits (the data model does
    not link a customer's hall visits to the tickets they served).

    A hall-only process (every step at the counter, information moved on paper by the customer) needs:
    1 trip to apply and hand in the materials; 1 trip per survey (the customer meets the surveyor on site);
    1 trip per request to the customer for more materials (bring them); 1 trip per request of one department to
    another (the customer fetches the paper from the other department). This ticket needed: the apply trip
    unless it was accepted online (app, WeChat: `ONLINE_CHANNELS`; the hotline and proactive service are not
    counted, a hall-only process has no counter step for them either way); 1 per survey done on site; 1 per request
    to the customer; none for a request between departments (the data went, not the customer). Withdrawn requests
    (asked by mistake) count on neither side; a survey not done (cancelled, still to do) counts on neither side.

    So trips avoided = [accepted online] + surveys done remotely + requests to another department (not withdrawn)
    — never negative. Example: an app application (1) with a video survey (1) whose design stage asked marketing
    for the survey sketch (1) and the customer once for a property proof (0: a trip both ways) avoided 3 trips."""
    online = int(channel in ONLINE_CHANNELS)
    remote = sum(1 for survey in surveys if survey.state == SURVEY_DONE and survey.mode == REMOTE_SURVEY)
    shared = sum(1 for request in requests if request.addressee == "department" and counts_as_asked(request.state))
    return online + remote + shared


def trips_avoided_per_ticket(avoided: int, accepted: int) -> float | None:
    """Trips avoided per ticket accepted = Σ `trips_avoided` of the tickets accepted / tickets accepted."""
    _counts(avoided=avoided, accepted=accepted)
    return avoided / accepted if accepted else None


def online_share(online: int, accepted: int) -> float | None:
    """Share of requests accepted online = tickets accepted on the app or WeChat / tickets accepted."""
    _counts(online=online, accepted=accepted)
    return online / accepted if accepted else None


# ---- collaboration ----


def response_working_minutes(opened_at: datetime, taken_at: datetime, calendar: WorkingCalendar,
                             zone: tzinfo = OFFICE_ZONE) -> int:
    """协同响应时间 of one stage = working minutes from the stage opened to it first taken."""
    return working_minutes(opened_at, taken_at, calendar, zone)


def shared_first_time(stage_task_id: str, requests: Iterable[InfoRequestLike]) -> bool:
    """A stage was worked on what was shared (一次采集、多方共享) when no request for more materials or
    information — to the customer or to another department — was recorded on it (withdrawn ones aside)."""
    return not any(r.stage_task_id == stage_task_id and counts_as_asked(r.state) for r in requests)


def information_sharing_quality(shared: int, stages_done: int) -> float | None:
    """信息共享质量 = stages done without asking the customer or another department again
    (`shared_first_time`) / stages done; None when no stage was done."""
    _counts(shared=shared, stages_done=stages_done)
    if shared > stages_done:
        raise InvalidInput("一次办成的环节数不能大于完成的环节数", "shared stages exceed the stages done", field="shared")
    return shared / stages_done if stages_done else None


# ---- additive facts per office × department × stage × ticket type × channel × day ----


@dataclass(frozen=True, order=True)
class FactKey:
    office_id: str
    department: str  # ANY on ticket-level facts
    stage_code: str  # ANY on ticket- and department-level facts
    type_code: str
    channel: str
    day: date  # office zone: the day the counted event happened


MEASURES: tuple[str, ...] = (
    # ticket level (department = stage = ANY)
    "accepted", "closed", "closed_first_time", "closed_with_limit", "closed_on_time", "reopened",
    "saved_minutes", "rated", "rating_sum", "dissatisfied", "asked_again", "app_rated", "trips_avoided",
    # stage level
    "stages_done", "stages_with_limit", "stages_on_time", "work_minutes", "returned", "taken",
    "response_minutes", "open_due", "stages_shared", "customer_requests", "department_requests",
    # department level (stage = ANY)
    "lead_rated", "lead_sum", "peer_rated", "peer_sum", "customer_rated", "customer_sum",
)
HIST_PREFIX = "h"  # measure "h<bucket>": completed stages whose working time fell in that bucket

Facts = dict[FactKey, Counter[str]]


def local_day(moment: datetime, zone: tzinfo = OFFICE_ZONE) -> date:
    return moment.astimezone(zone).date()


def ticket_facts(ticket: TicketLike, stages: Iterable[StageLike], evaluations: Iterable[EvaluationLike],
                 events: Iterable[EventLike], calendar: WorkingCalendar, zone: tzinfo = OFFICE_ZONE,
                 requests: Iterable[InfoRequestLike] = (), surveys: Iterable[SurveyLike] = ()) -> Facts:
    """One ticket's contribution to the fact sums (see the module docstring); zero measures are left out.

    Each measure lands on the day its event happened: accepted on the acceptance day, closed measures on
    the closing day, a stage's completion measures on its completion day, `open_due` (an unfinished stage
    with a deadline) on its due day, a rating on the day it was given, a sent-back stage or the first
    take of a stage on the day of that change, a 补充材料/信息 request not withdrawn (`customer_requests`,
    `department_requests`, on its stage) on the day it was asked. `asked_again` (the customer asked again,
    once per ticket) lands on the acceptance day beside `accepted`, so the rate per 1,000 is a share of the
    tickets accepted in the period; `stages_shared` (a stage done with no request on it) on the completion day.
    `trips_avoided` (客户少跑次数, `trips_avoided`) lands on the acceptance day too, for the same reason; a customer
    rating given in the app is counted with the others and also in `app_rated` (its source).
    """
    facts: Facts = {}
    stages = list(stages)
    events = sorted(events, key=lambda e: e.at)
    requests = [r for r in requests if counts_as_asked(r.state)]  # withdrawn (asked by mistake): not asked at all

    def add(department: str, stage: str, day: date, **measures: int) -> None:
        key = FactKey(ticket.office_id, department, stage, ticket.type_code, ticket.channel, day)
        counter = facts.setdefault(key, Counter())
        for name, value in measures.items():
            if value:
                counter[name] += value

    add(ANY, ANY, local_day(ticket.accepted_at, zone), accepted=1,
        asked_again=int(customer_asked_again(ticket.accepted_at, requests) is not None),
        trips_avoided=trips_avoided(ticket.channel, surveys, requests))
    if ticket.state == "closed" and ticket.closed_at is not None:
        limit = ticket.due_at is not None
        done = [(s.opened_at, s.completed_at) for s in stages if s.state == "done" and s.completed_at is not None]
        add(ANY, ANY, local_day(ticket.closed_at, zone), closed=1,
            closed_first_time=int(first_time_resolved(ticket.state, events)),
            closed_with_limit=int(limit),
            closed_on_time=int(limit and ticket.due_at is not None and is_on_time(ticket.closed_at, ticket.due_at)),
            saved_minutes=parallel_minutes_saved(done, calendar, zone))
    by_id = {s.id: s for s in stages}
    taken_seen: set[str] = set()
    for event in events:
        if event.stage_task_id is None:
            if event.from_state == "closed" and event.to_state == "reopened":
                add(ANY, ANY, local_day(event.at, zone), reopened=1)
            continue
        stage = by_id.get(event.stage_task_id)
        if stage is None:
            continue
        if event.to_state == "returned":
            add(stage.department, stage.stage_code, local_day(event.at, zone), returned=1)
        elif event.to_state == "taken" and stage.id not in taken_seen:
            taken_seen.add(stage.id)
            add(stage.department, stage.stage_code, local_day(event.at, zone), taken=1,
                response_minutes=response_working_minutes(stage.opened_at, event.at, calendar, zone))
    for stage in stages:
        if stage.state == "done" and stage.completed_at is not None:
            minutes = working_minutes(stage.opened_at, stage.completed_at, calendar, zone)
            limit = stage.due_at is not None
            on_time = limit and stage.due_at is not None and is_on_time(stage.completed_at, stage.due_at)
            add(stage.department, stage.stage_code, local_day(stage.completed_at, zone), stages_done=1,
                stages_with_limit=int(limit), stages_on_time=int(on_time), work_minutes=minutes,
                stages_shared=int(shared_first_time(stage.id, requests)),
                **{f"{HIST_PREFIX}{duration_bucket(minutes)}": 1})
        elif stage.state in UNFINISHED_STAGE_STATES and stage.due_at is not None:
            add(stage.department, stage.stage_code, local_day(stage.due_at, zone), open_due=1)
    for request in requests:
        asked_on = by_id.get(request.stage_task_id)
        if asked_on is not None:
            to_customer = request.addressee == "customer"
            add(asked_on.department, asked_on.stage_code, local_day(request.requested_at, zone),
                customer_requests=int(to_customer), department_requests=int(not to_customer))
    worked = sorted({s.department for s in stages if s.state != "cancelled"})
    for evaluation in evaluations:
        day = local_day(evaluation.at, zone)
        if evaluation.evaluator == "customer":
            add(ANY, ANY, day, rated=1, rating_sum=evaluation.score,
                dissatisfied=int(is_dissatisfied(evaluation.score)),
                app_rated=int(evaluation.channel == APP_CHANNEL))
            for department in worked:  # 客户评价 of a department: the ratings of tickets it worked
                add(department, ANY, day, customer_rated=1, customer_sum=evaluation.score)
        elif evaluation.to_department:
            if evaluation.evaluator == "lead":
                add(evaluation.to_department, ANY, day, lead_rated=1, lead_sum=evaluation.score)
            elif evaluation.evaluator == "peer":
                add(evaluation.to_department, ANY, day, peer_rated=1, peer_sum=evaluation.score)
    return {key: counter for key, counter in facts.items() if counter}


def merge_facts(into: Facts, other: Facts, sign: int = 1) -> Facts:
    """`into` += sign × `other`, dropping measures (and keys) that reach zero; returns `into`."""
    for key, counter in other.items():
        mine = into.setdefault(key, Counter())
        for name, value in counter.items():
            mine[name] += sign * value
            if mine[name] == 0:
                del mine[name]
        if not mine:
            del into[key]
    return into


def fact_delta(old: Facts, new: Facts) -> Facts:
    """What changes in the sums when a ticket's contribution goes from `old` to `new`."""
    return merge_facts(merge_facts({}, new), old, sign=-1)


def _counts(**values: int) -> None:
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInput(f"{name} 须为非负整数", f"{name} must be a non-negative whole number", field=name)


# ---- the trend's points ----

MAX_DAILY_POINTS = 62  # a longer period is charted by 7 days, so a trend never has hundreds of points


def trend_buckets(start: date, end: date) -> list[tuple[date, date]]:
    """The trend's points over start..end (both included): one per day, or one per 7 days from `start` when
    that would make more than MAX_DAILY_POINTS (the last one may be shorter)."""
    step = 1 if (end - start).days + 1 <= MAX_DAILY_POINTS else 7
    out, first = [], start
    while first <= end:
        last = min(end, first + timedelta(days=step - 1))
        out.append((first, last))
        first = last + timedelta(days=1)
    return out
