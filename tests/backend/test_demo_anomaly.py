"""The demo's history holds one true anomaly (resources/demo/tickets.toml, [slowdown]: meters came late, so
装表接电 took longer for two weeks) and the efficiency monitor's own stage-time rule finds it in the seeded
stage times — nothing in the demo raises an alert by hand."""

from __future__ import annotations

from datetime import datetime
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
