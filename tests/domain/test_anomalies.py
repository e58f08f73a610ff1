"""Each anomaly rule on a hand-computed fixture (domain.anomalies)."""

from __future__ import annotations

from datetime import date

import pytest

from domain import anomalies as an
from domain.anomalies import (
    DEFAULT_RULES,
    AnomalyRule,
    backlog_above,
    effective_rules,
    on_time_below_target,
    stage_time_mad,
    stage_time_threshold,
    validate_rule,
    weighted_median,
)
from domain.errors import InvalidInput

ON_TIME = AnomalyRule("t", "on_time_below_target", "ticket_on_time_rate", {"target": 0.9, "days": 3})
MAD = AnomalyRule("s", "stage_time_mad", "median_stage_working_minutes",
                  {"k": 3.0, "recent_days": 7, "baseline_weeks": 8, "min_recent": 3, "min_baseline": 10})
# bucket b holds times up to 2^(b/8) minutes: 40 → 32, 48 → 64, 56 → 128, 64 → 256
BASELINE = {("营业", "review"): {40: 4, 48: 3, 56: 3}}


def test_on_time_under_target_three_days_running() -> None:
    today = date(2026, 3, 10)
    daily = {date(2026, 3, 8): (8, 10), date(2026, 3, 9): (1, 2), date(2026, 3, 10): (0, 1)}
    finding = on_time_below_target(ON_TIME, daily, today)
    assert finding is not None and finding.slice == {}
    assert [v["rate"] for v in finding.evidence["values"]] == [0.8, 0.5, 0.0]
    assert finding.evidence["target"] == 0.9
    # one day at target ends the run; a day with nothing measured is no evidence
    assert on_time_below_target(ON_TIME, {**daily, date(2026, 3, 9): (9, 10)}, today) is None
    assert on_time_below_target(ON_TIME, {k: v for k, v in daily.items() if k.day != 9}, today) is None


def test_backlog_above_limit() -> None:
    rule = AnomalyRule("b", "backlog_above", "overdue_backlog", {"limit": 5})
    assert backlog_above(rule, 5) is None
    finding = backlog_above(rule, 6)
    assert finding is not None and finding.evidence == {"value": 6, "limit": 5}


def test_stage_time_beyond_baseline_by_k_mad() -> None:
    # baseline 32×4, 64×3, 128×3: median (5th of 10) 64; deviations 32×4, 0×3, 64×3 → MAD 32
    assert stage_time_threshold(MAD, BASELINE[("营业", "review")]) == (64.0, 32.0, 64.0 + 3 * 32.0)
    (finding,) = stage_time_mad(MAD, {("营业", "review"): {64: 3}}, BASELINE)  # recent median 256 > 160
    assert finding.slice == {"department": "营业", "stage_code": "review"}
    assert finding.slice_key == "department=营业/stage_code=review"
    assert finding.evidence["value"] == 256.0 and finding.evidence["threshold"] == 160.0
    assert stage_time_mad(MAD, {("营业", "review"): {56: 3}}, BASELINE) == []  # 128 ≤ 160
    assert stage_time_mad(MAD, {("营业", "review"): {64: 2}}, BASELINE) == []  # too few recent tasks
    assert stage_time_mad(MAD, {("营业", "review"): {64: 3}}, {("营业", "review"): {40: 9}}) == []  # thin baseline


def test_tasks_without_working_time_are_left_out() -> None:
    # a baseline of weekend work (bucket 0) and too few timed tasks: no baseline, whatever the recent times
    assert stage_time_threshold(MAD, {0: 20, 40: 9}) is None
    assert stage_time_mad(MAD, {("营业", "review"): {64: 3}}, {("营业", "review"): {0: 20, 40: 9}}) == []
    assert stage_time_mad(MAD, {("营业", "review"): {0: 5, 64: 2}}, BASELINE) == []  # two timed recent tasks
    assert stage_time_threshold(MAD, {0: 7, **BASELINE[("营业", "review")]}) == (64.0, 32.0, 160.0)


def test_mad_is_at_least_one_bucket_wide() -> None:
    median, mad, threshold = stage_time_threshold(MAD, {40: 10}) or (0.0, 0.0, 0.0)
    assert median == 32.0 and mad == pytest.approx(2 ** (41 / 8) - 32.0) and threshold == pytest.approx(32 + 3 * mad)


def test_weighted_median_and_rules_as_data() -> None:
    assert weighted_median({1.0: 1, 2.0: 1}) == 1.0 and weighted_median({}) is None
    rule = validate_rule("late", "on_time_below_target", "stage_on_time_rate", {"target": 0.8})
    assert rule.params == {"target": 0.8, "days": 3}
    assert [r.code for r in effective_rules([rule])] == ["late", *(r.code for r in DEFAULT_RULES)]
    for bad in ({"target": 1.5}, {"days": 0}, {"days": 2.5}, {"colour": 1}, {"target": True}):
        with pytest.raises(InvalidInput):
            validate_rule("late", "on_time_below_target", None, bad)
    with pytest.raises(InvalidInput):
        validate_rule("x", "moon_phase", None, {})
    with pytest.raises(InvalidInput):
        validate_rule("x y", "backlog_above", None, {})


# ---- targets -------------------------------------------------------------------------------------------


def test_a_target_is_checked_against_its_indicator_and_never_fires() -> None:
    rule = an.validate_rule("target_online", "target", "online_share", {"value": 0.3})
    assert rule == an.AnomalyRule("target_online", "target", "online_share", {"value": 0.3})
    for indicator, params, field in (("median_stage_working_minutes", {"value": 1}, "indicator"),
                                     ("online_share", {"value": 1.5}, "value"),
                                     ("mean_customer_rating", {"value": 0.5}, "value"),
                                     ("online_share", {}, "value"),
                                     ("online_share", {"value": 0.3, "limit": 2}, "params")):
        with pytest.raises(InvalidInput) as refused:
            an.validate_rule("t", "target", indicator, params)
        assert refused.value.field == field


def test_tiles_take_their_targets_from_target_rules_then_alert_thresholds() -> None:
    defaults = an.effective_rules([])
    found = an.targets(defaults)
    # only the defaults' own thresholds: on-time 90 % (at least), backlog 20 (at most); nothing made up
    assert found == {"ticket_on_time_rate": an.Target("ticket_on_time_rate", 0.9, "up", "ticket_on_time"),
                     "overdue_backlog": an.Target("overdue_backlog", 20.0, "down", "overdue_backlog")}
    set_by_office = [an.validate_rule("target_on_time", "target", "ticket_on_time_rate", {"value": 0.95}),
                     an.validate_rule("target_response", "target", "mean_response_minutes", {"value": 30}),
                     an.validate_rule("target_online", "target", "online_share", {"value": 0.3}, enabled=False)]
    found = an.targets(an.effective_rules(set_by_office))
    assert found["ticket_on_time_rate"].value == 0.95 and found["ticket_on_time_rate"].rule == "target_on_time"
    assert found["mean_response_minutes"] == an.Target("mean_response_minutes", 30.0, "down", "target_response")
    assert "online_share" not in found  # switched off
    assert found["mean_response_minutes"].met(29.0) and not found["mean_response_minutes"].met(31.0)
    assert found["ticket_on_time_rate"].met(0.95) and found["ticket_on_time_rate"].met(None) is None
