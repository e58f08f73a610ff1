"""Storm mode's rule (domain/outage/storm.py) at its boundaries, and its data refused when malformed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import InvalidInput
from domain.outage.storm import in_storm, load_storm_rules, parse_storm_rules


def test_the_packaged_rules() -> None:
    rules = load_storm_rules()
    assert (rules.window, rules.min_calls, rules.min_events, rules.shown_events) == (timedelta(minutes=10), 20, 3, 3)


@pytest.mark.parametrize(("events", "calls", "storm"), [
    (0, 500, False),  # calls without a live outage are ordinary repairs, not a storm
    (1, 19, False), (1, 20, True),  # the surge
    (2, 0, False), (3, 0, True),  # many outages at once
])
def test_a_storm_needs_a_live_outage_and_a_surge_or_many_outages(events: int, calls: int, storm: bool) -> None:
    assert in_storm(load_storm_rules(), events, calls) is storm


@pytest.mark.parametrize("bad", ["window_minutes = 0", "min_calls = 2.5", 'min_events = "3"', "shown_events = 10001"])
def test_malformed_rules_are_refused_by_name(bad: str) -> None:
    text = "window_minutes = 10\nmin_calls = 20\nmin_events = 3\nshown_events = 3\n"
    name = bad.split(" =")[0]
    broken = "\n".join(bad if line.startswith(name) else line for line in text.splitlines())
    with pytest.raises(InvalidInput, match=name):
        parse_storm_rules(broken)
