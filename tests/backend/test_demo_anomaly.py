"""The demo's history holds one true anomaly (resources/demo/tickets.toml, [slowdown]: meters came late, so
装表接电 took longer for two weeks) and the efficiency monitor's own stage-time rule finds it in the seeded
stage times — nothing in the demo raises an alert by hand."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from backend.db.migrate import upgrade
from backend.db.records import OfficeRow
from backend.efficiency import alerts
from backend.efficiency.tables import EfficiencyAlert
from backend.seeding import seed_demo
from tests.backend.efficiency_kit import PushRig

SEEDED_AT = datetime.fromisoformat("2026-12-05T23:00:00+00:00")  # any fixed moment: the same seed, the same data


def test_the_seeded_slowdown_is_found_by_the_stage_time_rule(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    upgrade(url)
    seed_demo(url, seed=2026, customers_per_office=1500, now=SEEDED_AT)
    rig = PushRig(url)
    try:
        rig.clock.now = SEEDED_AT
        assert alerts.evaluate_all(rig.ctx) >= 2
        with rig.read() as session:
            offices = set(session.execute(select(OfficeRow.id)).scalars())
            found = list(session.execute(select(EfficiencyAlert)).scalars())
    finally:
        rig.close()
    metering = [a for a in found if a.rule_code == "stage_time" and a.slice.get("stage_code") == "metering"]
    assert {a.office_id for a in metering} == offices  # both counties waited for their meters
    for alert in metering:
        assert alert.slice["department"] == "metering" and alert.ticket_ids
        assert alert.evidence["value"] > alert.evidence["threshold"] >= alert.evidence["baseline_median"]


def test_the_demo_has_a_live_power_quality_problem_and_its_proactive_ticket(tmp_path: Path) -> None:
    """Issue 17's demo: an important customer's 10 kV supply over the THD limit for its last hour — judged by
    the server as live data would be, so its warning and 主动服务 governance ticket are there."""
    from backend.db.power_quality_tables import PqInterval, PqWarning
    from backend.db.records import StageTaskRow, TicketRow

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    upgrade(url)
    said = seed_demo(url, seed=2026, customers_per_office=300, now=SEEDED_AT)
    assert "576 power-quality intervals" in said
    rig = PushRig(url)
    try:
        with rig.read() as session:
            (warning,) = session.execute(select(PqWarning)).scalars()
            ticket = session.get(TicketRow, warning.ticket_id)
            stages = list(session.execute(select(StageTaskRow).where(StageTaskRow.ticket_id == warning.ticket_id))
                          .scalars())
            latest = session.execute(select(PqInterval.start).order_by(PqInterval.start.desc()).limit(1)).scalar()
    finally:
        rig.close()
    assert warning.limit_id == "harmonics.6_10kv" and warning.what == "thd" and warning.count == 6
    assert ticket is not None and (ticket.type_code, ticket.channel, ticket.state) == ("pq_governance", "proactive",
                                                                                       "accepted")
    assert [(s.stage_code, s.department, s.state) for s in stages] == [("diagnose", "operations", "open")]
    assert latest is not None and SEEDED_AT - latest.replace(tzinfo=SEEDED_AT.tzinfo) < timedelta(minutes=10)
