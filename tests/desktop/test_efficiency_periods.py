"""The monitor's periods, trend points and cached snapshot (desktop/efficiency/data.py, Qt-free)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from desktop.efficiency import data


def test_a_month_compares_with_the_month_before_and_a_range_with_as_many_days_before_it() -> None:
    assert data.previous_period(date(2026, 12, 1), date(2026, 12, 31)) == (date(2026, 11, 1), date(2026, 11, 30))
    assert data.previous_period(date(2026, 3, 1), date(2026, 3, 31)) == (date(2026, 2, 1), date(2026, 2, 28))
    # This month so far (7 days) against the 7 days before it, not against a whole month.
    assert data.previous_period(date(2026, 12, 1), date(2026, 12, 7)) == (date(2026, 11, 24), date(2026, 11, 30))
    assert data.last_month(date(2026, 1, 15)) == (date(2025, 12, 1), date(2025, 12, 31))


def test_the_trend_has_a_point_per_day_and_per_week_beyond_62_days() -> None:
    days = data.buckets(date(2026, 11, 1), date(2026, 11, 30))
    assert len(days) == 30 and all(a == b for a, b in days)
    weeks = data.buckets(date(2026, 1, 1), date(2026, 12, 31))
    assert weeks[0] == (date(2026, 1, 1), date(2026, 1, 7)) and weeks[-1][1] == date(2026, 12, 31)
    assert len(weeks) == 53 and all((b - a).days <= 6 for a, b in weeks)


def test_the_snapshot_reads_back_as_cached_and_a_broken_one_is_no_snapshot() -> None:
    overview = {"rollup": {"accepted": 3, "ticket_on_time_rate": 0.5},
                "by_type": [{"type_code": "repair", "indicators": {"accepted": 2}}], "by_department": []}
    snapshot = data.Snapshot(start=date(2026, 12, 1), end=date(2026, 12, 7), office=None,
                             fetched_at=datetime(2026, 12, 7, 1, 30, tzinfo=UTC), overview=overview,
                             previous={"rollup": {"accepted": 0}}, evaluations=[],
                             daily=[(date(2026, 12, 1), date(2026, 12, 1), overview)])
    back = data.Snapshot.from_json(snapshot.to_json())
    assert back is not None and back.cached and back.fetched_at == snapshot.fetched_at
    assert back.indicators(data.Slice("type", "repair")) == {"accepted": 2}
    assert back.indicators(data.Slice("type", "meter")) == {}  # a type with nothing in the period
    assert back.daily == snapshot.daily
    for broken in ("", "{", '{"version": 99}', '{"version": 1, "start": "x"}'):
        assert data.Snapshot.from_json(broken) is None
