"""Planned outages: the notice periods of DOMAIN.md are warned, bad input refused; who is affected."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.outage.events import OutageKind, affected, event_for_account, load_notice_rules, plan_outage
from tests.domain.outage_grid import T0, grid

GRID = grid()
DAY = timedelta(days=1)


def test_planned_maintenance_announced_seven_days_ahead_has_no_warning() -> None:
    planned = plan_outage(GRID, "planned", ["B2"], T0 + 7 * DAY, T0 + 7 * DAY + timedelta(hours=6), "线路检修", T0)
    assert planned.warnings == ()
    assert planned.kind is OutageKind.planned and len(planned.accounts) == 40 and planned.important == ()


def test_planned_maintenance_on_short_notice_is_warned_not_refused() -> None:
    planned = plan_outage(GRID, "planned", ["B2"], T0 + 3 * DAY, T0 + 3 * DAY + timedelta(hours=4), "线路检修", T0)
    assert [w.code for w in planned.warnings] == ["short_notice"]
    warning = planned.warnings[0]
    assert warning.required == timedelta(days=7) and warning.given == 3 * DAY
    assert "7 天" in warning.message() and "3 天" in warning.message()


def test_temporary_maintenance_needs_24_hours_notice_only_when_important_customers_are_inside() -> None:
    start = T0 + timedelta(hours=12)
    with_important = plan_outage(GRID, "temporary", ["B1"], start, start + timedelta(hours=2), "消缺", T0)
    assert [w.code for w in with_important.warnings] == ["short_notice_important"]
    assert with_important.important == ("T1-01",)
    without = plan_outage(GRID, "temporary", ["B2"], start, start + timedelta(hours=2), "消缺", T0)
    assert without.warnings == ()
    in_time = plan_outage(GRID, "temporary", ["B1"], T0 + 2 * DAY, T0 + 2 * DAY + timedelta(hours=2), "消缺", T0)
    assert in_time.warnings == ()


def test_the_notice_periods_are_data() -> None:
    rules = load_notice_rules()
    assert rules.planned == timedelta(days=7) and rules.temporary == timedelta(hours=24)


@pytest.mark.parametrize(("change", "field"), [
    ({"kind": "fault"}, "kind"),
    ({"devices": []}, "device_ids"),
    ({"devices": ["X1"]}, "device_id"),
    ({"devices": ["T1", "T1"]}, "device_ids"),
    ({"ends": T0 + DAY}, "ends_at"),
    ({"ends": T0 + 20 * DAY}, "ends_at"),
    ({"reason": "  "}, "reason"),
    ({"reason": "x" * 201}, "outage_event.reason"),
    ({"starts": datetime(2026, 12, 20, 8)}, "starts_at"),
])
def test_bad_input_is_refused_with_the_field_named(change: dict, field: str) -> None:  # type: ignore[type-arg]
    args = {"kind": "planned", "devices": ["T1"], "starts": T0 + 8 * DAY, "ends": T0 + 8 * DAY + timedelta(hours=3),
            "reason": "检修"} | change
    with pytest.raises(InvalidInput) as caught:
        plan_outage(GRID, args["kind"], args["devices"], args["starts"], args["ends"], args["reason"], T0)
    assert caught.value.field == field


def test_affected_lists_important_customers_first() -> None:
    hit = affected(GRID, ["F2"])
    assert len(hit.accounts) == 40 and hit.important == ("T7-01",)
    assert hit.listed[0] == "T7-01" and sorted(hit.listed) == list(hit.accounts)


def test_a_caller_is_matched_to_the_most_specific_live_event() -> None:
    live = [("feeder-trip", ["F1"]), ("transformer", ["T4"]), ("planned", ["T7", "T8"])]
    assert event_for_account(GRID, "T4-05", live) == "transformer"
    assert event_for_account(GRID, "T5-05", live) == "feeder-trip"
    assert event_for_account(GRID, "T8-01", live) == "planned"
    assert event_for_account(GRID, "T8-01", live[:2]) is None
    assert event_for_account(GRID, "nobody", live) is None


@given(ahead=st.integers(min_value=-48 * 60, max_value=20 * 24 * 60),
       kind=st.sampled_from(["planned", "temporary"]), area=st.sampled_from(["B1", "B2", "F1", "T7"]))
def test_a_warning_is_given_exactly_when_the_notice_period_is_missed(ahead: int, kind: str, area: str) -> None:
    start = T0 + timedelta(minutes=ahead)
    planned = plan_outage(GRID, kind, [area], start, start + timedelta(hours=2), "检修", T0)
    required = timedelta(days=7) if kind == "planned" else timedelta(hours=24)
    applies = kind == "planned" or bool(planned.important)  # temporary: only to important customers inside
    assert bool(planned.warnings) == (applies and timedelta(minutes=ahead) < required)
