"""Call clustering: hand-built call sets on a small grid (tests/domain/outage_grid.py) and properties."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.outage.clustering import FaultCall, KnownOutage, load_rules, parse_rules, predict
from domain.outage.topology import DeviceKind
from tests.domain.outage_grid import T0, TRANSFORMERS, calls_from, grid

RULES = load_rules()
GRID = grid()
NOW = T0 + timedelta(minutes=10)


def devices(prediction) -> list[str]:  # type: ignore[no-untyped-def]
    return [o.device_id for o in prediction.outages]


def test_a_transformer_fault_is_one_event_on_its_transformer_area() -> None:
    calls = calls_from("T4", 6)
    prediction = predict(GRID, calls, RULES, NOW)
    assert devices(prediction) == ["T4"]
    assert prediction.outages[0].call_ids == tuple(c.id for c in calls)
    assert prediction.outages[0].first_call_at == T0
    assert prediction.ordinary == ()


def test_a_branch_fault_is_one_event_on_the_branch_not_one_per_transformer_area() -> None:
    calls = calls_from("T1", 5) + calls_from("T2", 4) + calls_from("T3", 3)
    prediction = predict(GRID, calls, RULES, NOW)
    assert devices(prediction) == ["B1"]
    assert set(prediction.outages[0].call_ids) == {c.id for c in calls}
    assert len(prediction.outages[0].callers) == 12


def test_a_feeder_trip_is_one_event_on_the_feeder() -> None:
    calls = [c for t in ("T1", "T2", "T3", "T4", "T5", "T6") for c in calls_from(t, 4, minute=1)]
    prediction = predict(GRID, calls, RULES, NOW)
    assert devices(prediction) == ["F1"]
    assert len(prediction.outages[0].call_ids) == 24


def test_noise_calls_outside_any_event_stay_ordinary_repairs() -> None:
    noise = calls_from("T7", 1) + calls_from("T8", 2) + calls_from("T6", 2)
    prediction = predict(GRID, noise, RULES, NOW)
    assert prediction.outages == ()
    assert set(prediction.ordinary) == {c.id for c in noise}


def test_a_fault_beside_noise_takes_only_its_own_calls() -> None:
    fault = calls_from("T4", 8)
    noise = calls_from("T5", 2) + calls_from("T7", 1)  # T4's sibling calls twice: not enough to roll up to B2
    prediction = predict(GRID, fault + noise, RULES, NOW)
    assert devices(prediction) == ["T4"]
    assert set(prediction.outages[0].call_ids) == {c.id for c in fault}
    assert set(prediction.ordinary) == {c.id for c in noise}


def test_faults_on_two_feeders_are_two_events() -> None:
    calls = calls_from("T4", 4) + calls_from("T5", 4) + calls_from("T7", 5)
    prediction = predict(GRID, calls, RULES, NOW)
    assert sorted(devices(prediction)) == ["B2", "T7"]


def test_a_branch_rolls_up_only_when_the_share_of_its_areas_out_is_met() -> None:
    # T1 and T2 suspected, T3 silent: 2 of 3 < 0.75 → two faults, each on its 台区.
    calls = calls_from("T1", 4) + calls_from("T2", 4)
    assert devices(predict(GRID, calls, RULES, NOW)) == ["T1", "T2"]
    # Both 台区 of B2 (2 of 2) → the switch.
    assert devices(predict(GRID, calls_from("T4", 4) + calls_from("T5", 3), RULES, NOW)) == ["B2"]
    # A feeder counts the 台区 downstream of it, through its switches: B2's two and T6 are 3 of 6.
    calls = calls_from("T4", 4) + calls_from("T5", 3) + calls_from("T6", 5)
    assert devices(predict(GRID, calls, RULES, NOW)) == ["B2", "T6"]
    # Five of six → the feeder.
    calls += calls_from("T1", 3) + calls_from("T2", 3)
    assert devices(predict(GRID, calls, RULES, NOW)) == ["F1"]


def test_calls_outside_the_window_are_not_evidence() -> None:
    old = calls_from("T4", 6, minute=-60)
    prediction = predict(GRID, old, RULES, NOW)
    assert prediction.outages == () and set(prediction.ordinary) == {c.id for c in old}
    # Two recent calls and old ones do not add up either.
    recent = calls_from("T4", 2, start=10, minute=5)
    assert predict(GRID, old + recent, RULES, NOW).outages == ()


def test_a_customer_calling_again_is_one_caller() -> None:
    again = [FaultCall(f"again-{n}", "T4-01", T0 + timedelta(minutes=n)) for n in range(5)]
    prediction = predict(GRID, again + calls_from("T4", 1, start=5), RULES, NOW)
    assert prediction.outages == ()
    linked = predict(GRID, again + calls_from("T4", 2, start=5), RULES, NOW)
    assert devices(linked) == ["T4"] and len(linked.outages[0].call_ids) == 7


def test_calls_from_accounts_outside_the_grid_are_ordinary() -> None:
    stray = [FaultCall(f"s{n}", f"nowhere-{n}", T0) for n in range(5)]
    prediction = predict(GRID, stray, RULES, NOW)
    assert prediction.outages == () and set(prediction.ordinary) == {c.id for c in stray}


def test_calls_under_a_known_event_are_linked_to_it() -> None:
    calls = calls_from("T4", 6) + calls_from("T7", 1)
    prediction = predict(GRID, calls, RULES, NOW, known=[KnownOutage("ev-1", "B2")])
    assert prediction.outages == ()
    assert prediction.linked == {c.id: "ev-1" for c in calls_from("T4", 6)}
    assert prediction.ordinary == ("T7-c0",)


def test_nested_known_events_take_calls_at_the_lowest_device() -> None:
    calls = calls_from("T4", 3) + calls_from("T5", 3)
    prediction = predict(GRID, calls, RULES, NOW, known=[KnownOutage("feeder", "F1"), KnownOutage("t4", "T4")])
    assert {prediction.linked[c.id] for c in calls_from("T4", 3)} == {"t4"}
    assert {prediction.linked[c.id] for c in calls_from("T5", 3)} == {"feeder"}


def test_a_feeder_trip_growing_out_of_a_known_transformer_event_absorbs_it() -> None:
    calls = [c for t in ("T2", "T3", "T4", "T5", "T6") for c in calls_from(t, 4)]
    prediction = predict(GRID, calls, RULES, NOW, known=[KnownOutage("ev-t1", "T1")])
    assert devices(prediction) == ["F1"]
    assert prediction.outages[0].absorbs == ("ev-t1",)


def test_the_result_does_not_depend_on_the_order_calls_arrive_in() -> None:
    calls = calls_from("T1", 5) + calls_from("T2", 4) + calls_from("T3", 3) + calls_from("T7", 2)
    shuffled = calls[:]
    random.Random(7).shuffle(shuffled)
    assert predict(GRID, calls, RULES, NOW) == predict(GRID, shuffled, RULES, NOW)


# --- properties ---------------------------------------------------------------------------------

ALL_DEVICES = sorted(GRID.devices)


@settings(max_examples=200, deadline=None)
@given(failed=st.sampled_from(ALL_DEVICES), data=st.data())
def test_one_failed_device_with_callers_under_every_transformer_area_is_predicted_exactly(failed: str,
                                                                                           data: st.DataObject) -> None:
    calls: list[FaultCall] = []
    for transformer in GRID.transformers_under(failed):
        count = data.draw(st.integers(min_value=3, max_value=20))
        calls += calls_from(transformer, count, minute=data.draw(st.floats(0, 7)))
    for transformer in set(TRANSFORMERS) - set(GRID.transformers_under(failed)):
        calls += calls_from(transformer, data.draw(st.integers(0, 2)), minute=1, tag=f"noise-{transformer}")
    prediction = predict(GRID, calls, RULES, NOW)
    assert devices(prediction) == [failed]
    assert all(c.startswith("noise-") for c in prediction.ordinary)
    assert not any(c.startswith("noise-") for c in prediction.outages[0].call_ids)


@settings(max_examples=200, deadline=None)
@given(counts=st.lists(st.integers(0, 20), min_size=8, max_size=8),
       minutes=st.lists(st.floats(-40, 10), min_size=8, max_size=8))
def test_every_call_ends_in_exactly_one_place_under_a_device_that_explains_it(counts: list[int],
                                                                             minutes: list[float]) -> None:
    calls = [c for t, n, m in zip(TRANSFORMERS, counts, minutes, strict=True) for c in calls_from(t, n, minute=m)]
    prediction = predict(GRID, calls, RULES, NOW)
    placed = [c for o in prediction.outages for c in o.call_ids] + list(prediction.ordinary) + list(prediction.linked)
    assert sorted(placed) == sorted(c.id for c in calls)
    by_id = {c.id: c for c in calls}
    for outage in prediction.outages:
        for call_id in outage.call_ids:
            transformer = GRID.transformer_of(by_id[call_id].account_id)
            assert transformer is not None and GRID.is_under(transformer, outage.device_id)
            assert NOW - RULES.window <= by_id[call_id].at <= NOW
    chosen = [o.device_id for o in prediction.outages]
    for a in chosen:  # events never nest
        assert not any(a != b and GRID.is_under(a, b) for b in chosen)


# --- the rules as data ----------------------------------------------------------------------------

GOOD = """
version = "t"
window_minutes = 20
[transformer]
min_calls = 2
min_share = 0.1
[branch]
min_areas = 2
min_share = 0.5
[feeder]
min_areas = 3
min_share = 0.7
"""


def test_rules_are_read_from_data() -> None:
    rules = parse_rules(GOOD)
    assert rules.window == timedelta(minutes=20)
    assert rules.thresholds[DeviceKind.feeder].minimum == 3
    assert RULES.window == timedelta(minutes=30) and RULES.thresholds[DeviceKind.transformer].minimum == 3


@pytest.mark.parametrize(("bad", "field"), [
    (GOOD.replace("window_minutes = 20", "window_minutes = 0"), "window_minutes"),
    (GOOD.replace("min_share = 0.1", "min_share = 1.5"), "min_share"),
    (GOOD.replace("min_calls = 2", "min_calls = 2.5"), "min_calls"),
    (GOOD.replace("min_calls = 2", "min_calls = true"), "min_calls"),
    (GOOD.replace("[feeder]", "[feeders]"), "feeder"),
    (GOOD.replace("min_calls = 2", "min_calls = 2\nmax_calls = 9"), "transformer"),
    (GOOD.replace('version = "t"', ""), "version"),
    ("window_minutes = [", "rules"),
])
def test_bad_rules_are_refused_with_the_entry_named(bad: str, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_rules(bad)
    assert caught.value.field == field
