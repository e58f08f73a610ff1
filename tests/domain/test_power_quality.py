"""Power-quality limits (issue 17): each standard's figures at their boundaries, contracts that tighten and
never loosen, persistence before a warning, a period's compliance the standard's way, sags counted."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.power_quality import (
    Interval,
    MonitoringPoint,
    Sag,
    check_interval,
    closes_warning,
    compliance,
    concerns_power_quality,
    deviation_spread,
    evidence_line,
    excursions,
    limits_for,
    load_limits,
    parse_limits,
    persisting,
    sag_class,
    sag_counts,
)

T0 = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def point(kv: float, phases: Literal[1, 3] = 3, **contract: float) -> MonitoringPoint:
    return MonitoringPoint("p1", "c1", kv, phases, contract=contract)


def outside(p: MonitoringPoint, **measured: object) -> set[str]:
    """The (limit id, what) pairs one interval breaks at point `p`."""
    interval = Interval("p1", T0, **measured)  # type: ignore[arg-type]
    return {f"{e.limit_id}:{e.what}" for e in excursions(interval, limits_for(p))}


def test_every_limit_cites_its_standard_and_clause() -> None:
    table = load_limits()
    assert table.version
    standards = {limit.standard for limit in table.limit}
    assert standards == {"GB/T 12325-2008", "GB/T 14549-1993", "GB/T 15543-2008", "GB/T 12326-2008", "GB/T 15945-2008"}
    assert table.sags.standard == "GB/T 30137-2013"
    for limit in table.limit:
        assert limit.clause and limit.text_zh and limit.text_en and limit.sure in ("official", "provisional")


def test_voltage_deviation_of_gb_t_12325_at_its_boundaries() -> None:
    ten_kv = point(10.0)
    assert outside(ten_kv, voltage_deviation=(7.0, -7.0, 0.0)) == set()
    assert outside(ten_kv, voltage_deviation=(7.01, 0.0, 0.0)) == {"voltage_deviation.mv_three_phase:high"}
    assert outside(ten_kv, voltage_deviation=(0.0, -7.01, 0.0)) == {"voltage_deviation.mv_three_phase:low"}
    assert outside(point(0.38), voltage_deviation=(7.0, 7.0, 7.0)) == set()  # 380 V is "20 kV and below"
    single = point(0.22, phases=1)
    assert outside(single, voltage_deviation=(7.0,)) == outside(single, voltage_deviation=(-10.0,)) == set()
    assert outside(single, voltage_deviation=(-10.01,)) == {"voltage_deviation.single_phase:low"}
    assert outside(single, voltage_deviation=(7.01,)) == {"voltage_deviation.single_phase:high"}
    hv = point(110.0)
    assert outside(hv, voltage_deviation=(6.0, -4.0, 1.0)) == set()  # 6 + 4 = 10
    assert outside(hv, voltage_deviation=(6.0, -4.01, 1.0)) == {"voltage_deviation.hv_sum:sum_abs"}
    assert outside(hv, voltage_deviation=(10.0, 9.0, 3.0)) == set()  # one sign: the larger, 10
    assert outside(hv, voltage_deviation=(10.01, 9.0, 3.0)) == {"voltage_deviation.hv_sum:sum_abs"}


def test_deviation_spread_follows_the_standard() -> None:
    assert deviation_spread([3.0, -2.0]) == 5.0
    assert deviation_spread([-3.0, -8.0]) == 8.0
    assert deviation_spread([0.0, 4.0]) == 4.0


@pytest.mark.parametrize(("kv", "thd", "odd", "even"), [
    (0.38, 5.0, 4.0, 2.0), (0.22, 5.0, 4.0, 2.0), (6.0, 4.0, 3.2, 1.6), (10.0, 4.0, 3.2, 1.6),
    (35.0, 3.0, 2.4, 1.2), (66.0, 3.0, 2.4, 1.2), (110.0, 2.0, 1.6, 0.8)])
def test_harmonics_of_gb_t_14549_table_1_at_their_boundaries(kv: float, thd: float, odd: float, even: float) -> None:
    p = point(kv, phases=1 if kv < 0.38 else 3)
    assert not {x for x in outside(p, thd=thd, harmonics={5: odd, 4: even}) if x.startswith("harmonics")}
    assert {x for x in outside(p, thd=thd + 0.01, harmonics={5: odd + 0.01, 4: even + 0.01, 7: odd})
            if x.startswith("harmonics")} == {f"{_harmonics_id(p)}:{w}" for w in ("thd", "odd:5", "even:4")}


def _harmonics_id(p: MonitoringPoint) -> str:
    return next(limit.id for limit in limits_for(p) if limit.quantity == "harmonics")


def test_20_kv_harmonics_follow_the_10_kv_row_marked_provisional() -> None:
    limit = next(limit for limit in limits_for(point(20.0)) if limit.quantity == "harmonics")
    assert (limit.thd_max, limit.odd_max, limit.even_max, limit.sure) == (4.0, 3.2, 1.6, "provisional")


def test_unbalance_of_gb_t_15543_normal_and_short_time() -> None:
    p = point(10.0)
    assert outside(p, unbalance=2.0) == set()
    assert outside(p, unbalance=2.01) == {"unbalance.normal:high"}
    assert outside(p, unbalance=4.0) == {"unbalance.normal:high"}
    assert outside(p, unbalance=4.01) == {"unbalance.normal:high", "unbalance.short:high"}
    assert outside(point(0.22, phases=1), unbalance=9.0) == set()  # a single-phase point has no unbalance limit


def test_long_term_flicker_of_gb_t_12326() -> None:
    assert outside(point(110.0), plt=1.0) == set()
    assert outside(point(110.0), plt=1.01) == {"flicker.up_to_110kv:high"}
    assert outside(point(220.0), plt=0.8) == set()
    assert outside(point(220.0), plt=0.81) == {"flicker.above_110kv:high"}


def test_frequency_of_gb_t_15945_and_a_small_system() -> None:
    assert outside(point(10.0), frequency_deviation=-0.2) == set()
    assert outside(point(10.0), frequency_deviation=0.21) == {"frequency.normal:high"}
    small = MonitoringPoint("p1", "c1", 10.0, 3, small_system=True)
    assert outside(small, frequency_deviation=0.5) == set()
    assert outside(small, frequency_deviation=-0.51) == {"frequency.small_system:low"}


def test_a_contract_tightens_a_limit_and_says_so() -> None:
    p = point(10.0, **{"harmonics.thd_max": 3.0, "voltage_deviation.high": 5.0})
    assert outside(p, thd=3.01) == {"harmonics.6_10kv.contract:thd"}
    assert outside(p, voltage_deviation=(5.01, 0.0, 0.0)) == {"voltage_deviation.mv_three_phase.contract:high"}
    assert outside(p, voltage_deviation=(0.0, -7.0, 0.0)) == set()  # the low bound stays the standard's
    contract = next(limit for limit in limits_for(p) if limit.quantity == "harmonics")
    assert contract.source == "contract" and "3.0" in contract.text_zh


@pytest.mark.parametrize("contract", [{"harmonics.thd_max": 4.5}, {"voltage_deviation.low": -8.0},
                                      {"plt.sum_abs_max": 1.0}, {"harmonics.nonsense": 1.0},
                                      {"harmonics.thd_max": math.nan}])
def test_a_looser_or_unknown_contract_limit_is_refused(contract: dict[str, float]) -> None:
    with pytest.raises(InvalidInput):
        limits_for(point(10.0, **contract))


def series(values: list[float | None], start: datetime = T0) -> list[Interval]:
    return [Interval("p1", start + timedelta(minutes=10 * i), thd=v) for i, v in enumerate(values)]


def test_excursions_warn_only_when_they_persist() -> None:
    p = point(10.0)
    limits = limits_for(p)
    # the default rule: 4 of the last 6 intervals
    assert persisting(series([5.0, 5.0, 5.0, 3.0, 3.0, 3.0]), limits) == []
    found = persisting(series([3.0, 5.0, 5.0, 3.0, 5.0, 6.0]), limits)
    assert [(f.limit.id, f.count, f.within) for f in found] == [("harmonics.6_10kv", 4, 6)]
    assert found[0].worst.value == 6.0 and found[0].first == T0 + timedelta(minutes=10)
    # old excursions fall out of the window: four then six good intervals
    assert persisting(series([5.0] * 4 + [3.0] * 6), limits) == []
    # a missing interval is no evidence either way: three outside and a gap are not four
    gap = series([5.0, 5.0, 5.0]) + [Interval("p1", T0 + timedelta(minutes=50), thd=5.0)]
    assert [f.count for f in persisting(gap, limits)] == [4]
    gap_late = series([5.0, 5.0, 5.0]) + [Interval("p1", T0 + timedelta(minutes=60), thd=5.0)]
    assert persisting(gap_late, limits) == []


def test_a_short_time_unbalance_warns_at_once() -> None:
    found = persisting([Interval("p1", T0, unbalance=4.5)], limits_for(point(10.0)))
    assert {f.limit.id for f in found} == {"unbalance.short"}


def test_compliance_judges_p95_limits_by_the_95_percent_value_and_the_others_by_every_value() -> None:
    p = point(10.0)
    limits = limits_for(p)
    # 100 intervals, 5 of them over the THD limit: the 95 % value is within, the period complies
    history = series([3.0] * 95 + [6.0] * 5)
    thd = next(c for c in compliance(history, limits) if c.what == "thd")
    assert (thd.intervals, thd.p95, thd.worst, thd.ok, thd.within_share) == (100, 3.0, 6.0, True, 0.95)
    history = series([3.0] * 94 + [6.0] * 6)
    assert not next(c for c in compliance(history, limits) if c.what == "thd").ok
    # voltage deviation is judged on every value: one interval out is a breach
    volts = [Interval("p1", T0 + timedelta(minutes=10 * i), voltage_deviation=(1.0, 1.0, 7.5 if i == 3 else 1.0))
             for i in range(50)]
    high = next(c for c in compliance(volts, limits) if c.limit.quantity == "voltage_deviation" and c.what == "high")
    assert not high.ok and high.within_share == 49 / 50


def test_individual_harmonics_are_judged_by_each_intervals_worst_order() -> None:
    history = [Interval("p1", T0 + timedelta(minutes=10 * i), harmonics={3: 1.0, 5: 2.0 + i / 10, 4: 0.5})
               for i in range(20)]
    judged = {c.what: c for c in compliance(history, limits_for(point(10.0)))}
    assert judged["odd"].intervals == 20 and judged["odd"].worst == pytest.approx(3.9)
    assert judged["even"].ok and judged["odd"].ok is False  # 2.0..3.9: the 95 % value 3.8 is above 3.2


@given(st.lists(st.floats(min_value=0.0, max_value=10.0, allow_nan=False), min_size=1, max_size=300))
def test_a_p95_limit_complies_exactly_when_no_more_than_5_percent_are_over(values: list[float]) -> None:
    judged = next(c for c in compliance(series(list(values)), limits_for(point(10.0))) if c.what == "thd")
    over = sum(1 for v in values if v > 4.0)
    assert judged.ok == (over <= len(values) - math.ceil(0.95 * len(values)))


def test_sags_are_counted_in_gb_t_30137_cells() -> None:
    assert sag_class(Sag(90.0, 100)) is None  # not a sag
    assert sag_class(Sag(89.9, 10)) == (0, 0)
    assert sag_class(Sag(80.0, 200)) == (0, 0)
    assert sag_class(Sag(79.9, 201)) == (1, 1)
    assert sag_class(Sag(40.0, 1000)) == (2, 2)
    assert sag_class(Sag(4.9, 180_000)) == (4, 6)  # a short interruption
    assert sag_class(Sag(50.0, 5)) is None  # shorter than the table's first duration
    history = [Interval("p1", T0, sags=(Sag(85.0, 50), Sag(85.0, 150))), Interval("p1", T0, sags=(Sag(3.0, 900),))]
    assert sag_counts(history) == {(0, 0): 2, (4, 2): 1}


@pytest.mark.parametrize("bad", [
    {"start": datetime(2026, 12, 7, 8, 0)},  # no zone
    {"start": T0 + timedelta(minutes=5)},
    {"voltage_deviation": (1.0, 2.0)},
    {"voltage_deviation": (float("inf"), 0.0, 0.0)},
    {"harmonics": {1: 3.0}},
    {"harmonics": {51: 3.0}},
    {"thd": -1.0},
    {"unbalance": 120.0},
    {"frequency_deviation": 7.0},
    {"sags": (Sag(50.0, 0),)},
])
def test_a_meters_bad_interval_is_refused_with_a_sentence(bad: dict[str, object]) -> None:
    fields: dict[str, object] = {"start": T0, **bad}
    with pytest.raises(InvalidInput) as refused:
        check_interval(Interval("p1", **fields))  # type: ignore[arg-type]
    assert "p1" in refused.value.message_zh


def test_the_limits_data_is_checked_when_it_is_read() -> None:
    text = load_limits_text()
    with pytest.raises(InvalidInput):
        parse_limits(text.replace('sum_abs_max = 10.0', 'sum_abs_max = "ten"'))
    with pytest.raises(InvalidInput):
        parse_limits(text.replace('id = "unbalance.short"', 'id = "unbalance.normal"'))
    with pytest.raises(InvalidInput):
        parse_limits(text.replace("within = 6\nat_least = 4", "within = 6\nat_least = 7"))


def load_limits_text() -> str:
    from importlib.resources import files

    return files("resources.power_quality").joinpath("limits.toml").read_text(encoding="utf-8")


def test_only_the_governance_tickets_verification_closes_a_warning() -> None:
    assert closes_warning("pq_governance", "verify")
    assert not closes_warning("pq_governance", "implement") and not closes_warning("repair", "verify")


def test_a_voltage_ticket_is_told_what_its_point_measured() -> None:
    assert concerns_power_quality({"fault_type": "voltage"}) and concerns_power_quality({"complaint_class": "supply_quality"})
    assert not concerns_power_quality({"fault_type": "no_power"}) and not concerns_power_quality({})
    limits = limits_for(point(10.0))
    quiet = [Interval("p1", T0 + timedelta(minutes=10 * n), (1.0, -0.5, 0.2), thd=2.0) for n in range(3)]
    assert evidence_line("进线", [], limits, 0) == "电能质量监测「进线」受理前24小时无监测数据"
    assert evidence_line("进线", quiet, limits, 0) == (
        "电能质量监测「进线」受理前24小时：3 个10分钟统计值；电压偏差 -0.50%～+1.00%；各项指标均在限值内")
    loud = [*quiet, Interval("p1", T0 + timedelta(minutes=30), (7.5, 0.0, 0.0), thd=4.6)]
    line = evidence_line("进线", loud, limits, 1)
    assert "电压偏差越限 1 次（最大 7.5，限值 7，GB/T 12325-2008 4.2）" in line
    assert "谐波越限 1 次（最大 4.6，限值 4，GB/T 14549-1993" in line and line.endswith("持续越限预警 1 个未消除")
