"""Anomaly alerts (backend.efficiency.alerts) through the real push path: a stage far slower than its
8-week baseline raises one alert (no second while it is open), naming the slice, the evidence and the
tickets; the overdue backlog is the desk's 超时 rule; rules are data the supervisor edits."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from backend.db.migrate import upgrade
from backend.db.ops_tables import AuditEntry
from backend.db.records import OfficeRow, StageTaskRow, TicketRow
from backend.efficiency import alerts
from backend.efficiency.api import overdue_backlog
from backend.efficiency.tables import AnomalyRuleRow, EfficiencyAlert
from backend.settings import database_url
from backend.sync.pull import pull
from domain import indicators as ind
from domain.sync import PullPage
from local_store import TicketFilters
from tests.backend.efficiency_kit import PushRig
from tests.harness.databases import fresh_database
from tests.local_store.conftest import ManualClock, open_test_store


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def rig(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PushRig]:
    databases = fresh_database(str(request.param), tmp_path_factory.mktemp("alerts"))
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
        session.add(OfficeRow(id=office_id, office_id=office_id, code=office_id, name=office_id,
                              prefecture="pref", version=1))
    return office_id


def _complaint_handled(rig: PushRig, office: str, at: datetime, minutes: float) -> str:
    """A complaint accepted at `at` whose 处理 stage is taken at once and done `minutes` later."""
    rig.clock.now = at
    boss, marketing = rig.who(office, "supervisor"), rig.who(office, "department", "marketing")
    created = rig.create_ticket(boss, "complaint")
    assert created.status == "applied", created
    (handle,) = [s for code, s in rig.stages(created.entity_id).items() if s.department == "marketing"]
    assert rig.move(marketing, "stage_task", handle, "taken").status == "applied"
    rig.advance(minutes=minutes)
    done = rig.move(marketing, "stage_task", rig.stages(created.entity_id)[handle.stage_code], "done")
    assert done.status == "applied", done
    return created.entity_id


def _open_alerts(rig: PushRig, office: str) -> list[EfficiencyAlert]:
    with rig.read() as session:
        return list(session.execute(select(EfficiencyAlert).where(
            EfficiencyAlert.office_id == office, EfficiencyAlert.state != "resolved")).scalars())


def test_a_stage_far_beyond_its_baseline_raises_one_alert(rig: PushRig) -> None:
    office = _office(rig)
    # Baseline: ten complaints handled in 1 hour each, weekdays 2026-01-12 … 01-23, 09:00 office time.
    days = [datetime.fromisoformat("2026-01-12T01:00:00+00:00") + timedelta(days=d) for d in range(12)]
    for day in [d for d in days if d.weekday() < 5]:
        _complaint_handled(rig, office, day, 60)
    alerts._take_dirty(rig.database.write_engine)
    assert alerts.evaluate_office(rig.ctx, office) == 0  # nothing recent yet
    # Recent: three complaints handled in a whole working day (1440 min) each, Mon 03-02 … Wed 03-04.
    slow = [_complaint_handled(rig, office, datetime.fromisoformat(f"2026-03-0{d}T01:00:00+00:00"), 1440)
            for d in (2, 3, 4)]
    assert office in alerts._take_dirty(rig.database.write_engine)  # the pushes marked the office
    assert alerts.evaluate_office(rig.ctx, office) == 1
    (alert,) = _open_alerts(rig, office)
    assert alert.rule_code == "stage_time" and alert.indicator == "median_stage_working_minutes"
    assert alert.slice["department"] == "marketing"
    evidence = alert.evidence
    # baseline 10 × 60 min → bucket edge 64; MAD 0 → one bucket wide (64·(2^(1/8) − 1)); k = 3
    assert evidence["baseline_median"] == 64.0 and evidence["baseline_count"] == 10
    assert evidence["threshold"] == round(64 + 3 * 64 * (2 ** (1 / 8) - 1), 1)
    assert evidence["value"] > evidence["threshold"] and evidence["recent_count"] == 3
    assert sorted(alert.ticket_ids) == sorted(slow)

    assert alerts.evaluate_office(rig.ctx, office) == 0  # still in alert: refreshed, not raised again
    assert len(_open_alerts(rig, office)) == 1
    with rig.database.write() as session:  # resolved: the slot frees, so a persisting anomaly is raised anew
        row = session.get(EfficiencyAlert, alert.id)
        assert row is not None
        row.state, row.open_key = "resolved", None
    assert alerts.evaluate_office(rig.ctx, office) == 1
    with rig.read() as session:
        raised = session.execute(select(AuditEntry).where(AuditEntry.office_id == office,
                                                          AuditEntry.action == "efficiency_alert.raised")).all()
    assert len(raised) == 2


def _desk_overdue(rig: PushRig, office: str, at: datetime, tmp: Path) -> list[str]:
    """The desk's 超时 list (local_store.queue, generated from domain.sla) over the office's pulled rows."""
    store = open_test_store(tmp / f"desk-{uuid.uuid4().hex[:6]}.db", bytes(range(32)), ManualClock())
    try:
        cursor, more = 0, True
        while more:
            body = pull(rig.database, f"office:{office}", cursor, 500)
            page = PullPage.model_validate(body)
            store.apply_pull_page(page)
            cursor, more = page.cursor, page.has_more
        return sorted(t.id for t in store.ticket_queue(TicketFilters(office_id=office, sla="overdue", sla_at=at),
                                                       limit=1000))
    finally:
        store.close()


def test_overdue_backlog_agrees_with_the_desks_overdue_list(rig: PushRig, tmp_path: Path) -> None:
    office = _office(rig)
    start = datetime.fromisoformat("2026-03-02T01:00:00+00:00")
    rig.clock.now = start
    boss = rig.who(office, "supervisor")
    late, own_deadline, fine = (rig.create_ticket(boss, "complaint").entity_id for _ in range(3))
    with rig.database.write() as session:  # deadlines moved later (e.g. by an extension)
        ticket = session.get(TicketRow, late)
        assert ticket is not None and ticket.due_at is not None
        due = ticket.due_at
        for stage in session.execute(select(StageTaskRow).where(StageTaskRow.ticket_id.in_([own_deadline, fine]))
                                     ).scalars():
            stage.due_at = stage.warn_at = due + timedelta(days=30)
        far = session.get(TicketRow, fine)
        assert far is not None
        far.due_at = far.warn_at = due + timedelta(days=30)
    after = due + timedelta(minutes=1)
    with rig.read() as session:
        backlog = overdue_backlog(session, [office], after)[office]
        stages = list(session.execute(select(StageTaskRow).where(StageTaskRow.office_id == office)).scalars())
        # at the due instant itself nothing is overdue yet (domain.sla: overdue strictly after)
        assert overdue_backlog(session, [office], due)[office].count == 0
    assert sorted(backlog.ticket_ids) == sorted([late, own_deadline])  # its own deadline counts
    assert ind.overdue_backlog(stages, after) == 1  # the stage-only count the overview gave before
    assert _desk_overdue(rig, office, after, tmp_path) == sorted(backlog.ticket_ids)


def test_the_backlog_rule_is_data(rig: PushRig) -> None:
    office = _office(rig)
    start = datetime.fromisoformat("2026-03-02T01:00:00+00:00")
    rig.clock.now = start
    late = rig.create_ticket(rig.who(office, "supervisor"), "complaint").entity_id
    with rig.read() as session:
        ticket = session.get(TicketRow, late)
        assert ticket is not None and ticket.due_at is not None
        after = ticket.due_at + timedelta(minutes=1)
    rig.clock.now = after
    assert alerts.evaluate_office(rig.ctx, office) == 0  # default limit 20
    with rig.database.write() as session:
        session.add(AnomalyRuleRow(office_id=office, code="overdue_backlog", kind="backlog_above",
                                   indicator="overdue_backlog", params={"limit": 0}, enabled=True,
                                   updated_at=start, updated_by=None))
    assert alerts.evaluate_office(rig.ctx, office) == 1
    (alert,) = _open_alerts(rig, office)
    assert alert.evidence == {"value": 1, "limit": 0} and alert.ticket_ids == [late]


def test_two_replicas_evaluating_one_office_at_once_raise_one_alert(
    rig: PushRig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both find the anomaly before either writes (a barrier holds them). Before the office row was locked, on
    PostgreSQL both inserted and one died on the unique open_key (logged as an error by the alert loop)."""
    office = _office(rig)
    start = datetime.fromisoformat("2026-03-02T01:00:00+00:00")
    rig.clock.now = start
    rig.create_ticket(rig.who(office, "supervisor"), "complaint")
    with rig.database.write() as session:
        session.add(AnomalyRuleRow(office_id=office, code="overdue_backlog", kind="backlog_above",
                                   indicator="overdue_backlog", params={"limit": -1}, enabled=True,
                                   updated_at=start, updated_by=None))
    both_found = threading.Barrier(2, timeout=30)
    found_by = alerts.findings

    def found_together(*args: Any) -> Any:
        out = found_by(*args)
        both_found.wait()
        return out

    monkeypatch.setattr(alerts, "findings", found_together)
    with ThreadPoolExecutor(2) as replicas:
        raised = [f.result(timeout=60) for f in [replicas.submit(alerts.evaluate_office, rig.ctx, office)
                                                 for _ in range(2)]]
    assert sorted(raised) == [0, 1] and len(_open_alerts(rig, office)) == 1


def test_a_target_missed_raises_no_alert(rig: PushRig) -> None:
    office = _office(rig)
    rig.clock.now = datetime.fromisoformat("2026-03-02T01:00:00+00:00")
    rig.create_ticket(rig.who(office, "supervisor"), "complaint")  # accepted at the hall: online share 0
    with rig.database.write() as session:
        session.add(AnomalyRuleRow(office_id=office, code="target_online", kind="target", indicator="online_share",
                                   params={"value": 0.5}, enabled=True, updated_at=rig.clock.now, updated_by=None))
    assert alerts.evaluate_office(rig.ctx, office) == 0 and _open_alerts(rig, office) == []
