"""Indicator facts kept up to date as changes apply, and rebuilt exactly from the raw records.

Incremental upkeep (`observe_mutation`, called by the push path after each applied mutation, inside its
transaction or savepoint): the ticket the mutation touched is read back with its stage tasks,
evaluations and 补充材料/信息 requests; stage and ticket states that differ from the last observed ones are recorded as
`efficiency_event` rows (the history the quality and response indicators need: a stage sent back and
reopened leaves no trace on its row); the ticket's contribution is recomputed by
`domain.indicators.ticket_facts` and only the difference to the stored contribution is added to the
sums (one upsert per touched key, in key order so concurrent writers lock in the same order).

Rebuild (`rebuild`, the `rebuild-efficiency` command): the same function over every ticket, the
sums written from scratch. Both paths call the one pure function, so they agree by construction —
and a property test checks it on random histories.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from backend import rules
from backend.db.base import table_of
from backend.db.records import EvaluationRow, InfoRequestRow, StageTaskRow, SurveyAssignmentRow, TicketRow
from backend.efficiency.alerts import mark_dirty
from backend.efficiency.tables import (
    EfficiencyEvent,
    EfficiencyFact,
    EfficiencyHistogram,
    EfficiencyTicket,
)
from backend.sync.changes import dialect_insert
from domain.indicators import HIST_PREFIX, MEASURES, FactKey, Facts, fact_delta, merge_facts, ticket_facts
from domain.sync import MutationResult

_FACTS = table_of(EfficiencyFact)
_HIST = table_of(EfficiencyHistogram)
_EVENTS = table_of(EfficiencyEvent)
_SNAPSHOTS = table_of(EfficiencyTicket)
_TICKETS = table_of(TicketRow)
_STAGES = table_of(StageTaskRow)
_EVALUATIONS = table_of(EvaluationRow)
_REQUESTS = table_of(InfoRequestRow)
_SURVEYS = table_of(SurveyAssignmentRow)
_KEY_COLUMNS = ("office_id", "department", "stage_code", "type_code", "channel", "day")
_OBSERVED = frozenset({"ticket", "stage_task", "evaluation", "info_request", "survey_assignment"})
# Statements built once (building them cost more than running them on SQLite).
_TICKET_ID: Any = bindparam("b_ticket")
_GET_TICKET = select(_TICKETS).where(_TICKETS.c.id == _TICKET_ID)
_GET_STAGES = select(_STAGES).where(_STAGES.c.ticket_id == _TICKET_ID)
_GET_EVALUATIONS = select(_EVALUATIONS).where(_EVALUATIONS.c.ticket_id == _TICKET_ID)
_GET_REQUESTS = select(_REQUESTS).where(_REQUESTS.c.ticket_id == _TICKET_ID)
# the two columns 客户少跑次数 reads (domain.indicators.trips_avoided): a remote survey done saves a trip
_GET_SURVEYS = select(_SURVEYS.c.mode, _SURVEYS.c.state).where(_SURVEYS.c.ticket_id == _TICKET_ID)
_GET_EVENTS = select(_EVENTS).where(_EVENTS.c.ticket_id == _TICKET_ID)
_GET_SNAPSHOT = select(_SNAPSHOTS).where(_SNAPSHOTS.c.ticket_id == _TICKET_ID)
_SET_SNAPSHOT = _SNAPSHOTS.update().where(_SNAPSHOTS.c.ticket_id == _TICKET_ID).values(
    states=bindparam("b_states"), facts=bindparam("b_facts"))
_BY_DIALECT: dict[tuple[str, str], Any] = {}


def _statement(session: Session, name: str) -> Any:
    """A dialect's upsert, built on first use."""
    dialect = session.get_bind().dialect.name
    found = _BY_DIALECT.get((dialect, name))
    if found is not None:
        return found
    insert = dialect_insert(session)
    if name == "facts":
        statement = insert(_FACTS)
        built = statement.on_conflict_do_update(
            index_elements=list(_KEY_COLUMNS),
            set_={m: _FACTS.c[m] + statement.excluded[m] for m in MEASURES})
    elif name == "hist":
        statement = insert(_HIST)
        built = statement.on_conflict_do_update(
            index_elements=[*_KEY_COLUMNS, "bucket"], set_={"count": _HIST.c["count"] + statement.excluded["count"]})
    else:
        built = insert(_SNAPSHOTS).values(ticket_id=_TICKET_ID, office_id=bindparam("b_office"), states={},
                                          facts=[]).on_conflict_do_nothing()
    _BY_DIALECT[(dialect, name)] = built
    return built
_TICKET_STATE = ""  # the snapshot's key for the ticket's own state


def observe_mutation(session: Session, result: MutationResult, now: datetime, staff_id: str | None) -> None:
    """The push path's hook: refresh the facts of the ticket an applied mutation touched."""
    if result.status != "applied" or result.entity not in _OBSERVED or result.record is None:
        return
    ticket_id = result.record.get("id") if result.entity == "ticket" else result.record.get("ticket_id")
    if isinstance(ticket_id, str):
        refresh_ticket(session, ticket_id, now, staff_id)


def refresh_ticket(session: Session, ticket_id: str, now: datetime, staff_id: str | None) -> None:
    """Record the ticket's state changes since last seen and move the sums by its new contribution."""
    session.flush()  # ORM-path writes of this transaction first: the reads below are core statements
    key = {"b_ticket": ticket_id}
    ticket = session.execute(_GET_TICKET, key).one_or_none()
    if ticket is None:
        return
    mark_dirty(session, ticket.office_id)  # the anomaly rules run again soon (backend.efficiency.alerts)
    stages = list(session.execute(_GET_STAGES, key))
    evaluations = list(session.execute(_GET_EVALUATIONS, key))
    requests = list(session.execute(_GET_REQUESTS, key))
    surveys = list(session.execute(_GET_SURVEYS, key))
    snapshot = _locked_snapshot(session, ticket.id, ticket.office_id)
    before: dict[str, Any] = dict(snapshot.states or {}) if snapshot is not None else {}
    now_states = _states(ticket, stages)
    changes = [
        {"office_id": ticket.office_id, "ticket_id": ticket.id, "stage_task_id": key or None,
         "from_state": before[key], "to_state": state, "at": now, "staff_id": staff_id}
        for key, state in sorted(now_states.items())
        if key in before and before[key] != state
    ]
    if changes:
        session.execute(_EVENTS.insert(), changes)
    events = list(session.execute(_GET_EVENTS, key))
    new = ticket_facts(ticket, stages, evaluations, events, rules.office_calendar(session), requests=requests,
                       surveys=surveys)
    old = _facts_from_json(snapshot.facts if snapshot is not None else [])
    add_facts(session, fact_delta(old, new))
    session.execute(_SET_SNAPSHOT, {**key, "b_states": now_states, "b_facts": _facts_to_json(new)})


def _locked_snapshot(session: Session, ticket_id: str, office_id: str) -> Any:
    """The ticket's snapshot row, created empty if missing, locked until commit (PostgreSQL)."""
    session.execute(_statement(session, "snapshot"), {"b_ticket": ticket_id, "b_office": office_id})
    statement = _GET_SNAPSHOT.with_for_update() if session.get_bind().dialect.name == "postgresql" else _GET_SNAPSHOT
    row = session.execute(statement, {"b_ticket": ticket_id}).one()
    # A row just created has no states yet: the ticket is seen for the first time (a new ticket, or one
    # loaded before the monitor existed), and its current states are the starting point, not changes.
    return row if row.states else None


def _states(ticket: Any, stages: Iterable[Any]) -> dict[str, str]:
    states = {stage.id: stage.state for stage in stages}
    states[_TICKET_STATE] = ticket.state
    return states


def add_facts(session: Session, delta: Facts) -> None:
    """Add `delta` to the stored sums: one upsert per key (sorted), the histogram likewise."""
    if not delta:
        return
    fact_rows: list[dict[str, Any]] = []
    hist_rows: list[dict[str, Any]] = []
    for key in sorted(delta):
        counter = delta[key]
        where = _key_values(key)
        measures = {name: int(counter.get(name, 0)) for name in MEASURES}
        if any(measures.values()):
            fact_rows.append({**where, **measures})
        for name, value in sorted(counter.items()):
            if name.startswith(HIST_PREFIX) and value:
                hist_rows.append({**where, "bucket": int(name[len(HIST_PREFIX):]), "count": int(value)})
    if fact_rows:
        session.execute(_statement(session, "facts"), fact_rows)
    if hist_rows:
        session.execute(_statement(session, "hist"), hist_rows)


def _key_values(key: FactKey) -> dict[str, Any]:
    return {"office_id": key.office_id, "department": key.department, "stage_code": key.stage_code,
            "type_code": key.type_code, "channel": key.channel, "day": key.day}


def _facts_to_json(facts: Facts) -> list[Any]:
    return [[key.office_id, key.department, key.stage_code, key.type_code, key.channel, key.day.isoformat(),
             dict(sorted(counter.items()))] for key, counter in sorted(facts.items())]


def _facts_from_json(stored: Sequence[Any]) -> Facts:
    facts: Facts = {}
    for office_id, department, stage_code, type_code, channel, day, measures in stored:
        key = FactKey(office_id, department, stage_code, type_code, channel, date.fromisoformat(day))
        facts[key] = Counter({str(name): int(value) for name, value in measures.items()})
    return facts


# ---- rebuild ----

_CHUNK = 500


def computed_facts(session: Session, office_ids: Sequence[str] | None = None) -> tuple[Facts, dict[str, Any]]:
    """Every ticket's contribution from the raw records (tickets, stage tasks, evaluations, 补充材料/信息
    requests, survey assignments, observed events), summed; and per ticket its snapshot values (office, states, contribution)."""
    calendar = rules.office_calendar(session)
    statement = select(_TICKETS).order_by(_TICKETS.c.id)
    if office_ids is not None:
        statement = statement.where(_TICKETS.c.office_id.in_(list(office_ids)))
    totals: Facts = {}
    snapshots: dict[str, Any] = {}
    tickets = list(session.execute(statement))
    for start in range(0, len(tickets), _CHUNK):
        chunk = tickets[start:start + _CHUNK]
        ids = [t.id for t in chunk]
        stages = _grouped(session.execute(select(_STAGES).where(_STAGES.c.ticket_id.in_(ids))))
        evaluations = _grouped(session.execute(select(_EVALUATIONS).where(_EVALUATIONS.c.ticket_id.in_(ids))))
        events = _grouped(session.execute(select(_EVENTS).where(_EVENTS.c.ticket_id.in_(ids))))
        requests = _grouped(session.execute(select(_REQUESTS).where(_REQUESTS.c.ticket_id.in_(ids))))
        surveys = _grouped(session.execute(select(_SURVEYS.c.ticket_id, _SURVEYS.c.mode, _SURVEYS.c.state)
                                           .where(_SURVEYS.c.ticket_id.in_(ids))))
        for ticket in chunk:
            mine = ticket_facts(ticket, stages.get(ticket.id, []), evaluations.get(ticket.id, []),
                                events.get(ticket.id, []), calendar, requests=requests.get(ticket.id, []),
                                surveys=surveys.get(ticket.id, []))
            merge_facts(totals, mine)
            snapshots[ticket.id] = {"office_id": ticket.office_id,
                                    "states": _states(ticket, stages.get(ticket.id, [])),
                                    "facts": _facts_to_json(mine)}
    return totals, snapshots


def _grouped(rows: Iterable[Any]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row.ticket_id, []).append(row)
    return grouped


def stored_facts(session: Session, office_ids: Sequence[str] | None = None) -> Facts:
    """The sums as stored (histogram buckets as `h<bucket>` measures); keys that sum to zero left out."""
    facts: Facts = {}
    fact_query = select(_FACTS)
    hist_query = select(_HIST)
    if office_ids is not None:
        fact_query = fact_query.where(_FACTS.c.office_id.in_(list(office_ids)))
        hist_query = hist_query.where(_HIST.c.office_id.in_(list(office_ids)))
    for row in session.execute(fact_query):
        key = FactKey(*(getattr(row, name) for name in _KEY_COLUMNS))
        counter = Counter({name: int(getattr(row, name)) for name in MEASURES if getattr(row, name)})
        if counter:
            merge_facts(facts, {key: counter})
    for row in session.execute(hist_query):
        count = int(row._mapping["count"])
        if count:
            key = FactKey(*(getattr(row, name) for name in _KEY_COLUMNS))
            merge_facts(facts, {key: Counter({f"{HIST_PREFIX}{row.bucket}": count})})
    return facts


def rebuild(session: Session, office_ids: Sequence[str] | None = None) -> int:
    """Recompute the sums and snapshots of these offices (all when None) from the raw records; the
    observed events stay (they are raw history). Returns the number of tickets counted."""
    totals, snapshots = computed_facts(session, office_ids)
    for table in (_FACTS, _HIST, _SNAPSHOTS):
        statement = delete(table)
        if office_ids is not None:
            statement = statement.where(table.c.office_id.in_(list(office_ids)))
        session.execute(statement)
    add_facts(session, totals)
    rows = [{"ticket_id": ticket_id, **values} for ticket_id, values in sorted(snapshots.items())]
    for start in range(0, len(rows), _CHUNK):
        session.execute(_SNAPSHOTS.insert(), rows[start:start + _CHUNK])
    return len(snapshots)
