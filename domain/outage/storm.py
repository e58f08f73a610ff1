"""Storm mode (停电来电高峰): when outage calls surge, the front desk leads with the live outages.

Rules as data (`resources/outage/storm.toml`): over the last `window_minutes`, the office's repair tickets and
the calls linked to an outage event are counted; with at least one live outage and `min_calls` such calls — or
`min_events` live outages at once, whatever the calls — the office is in a storm. Pure: the desk decides from its
synced rows, so a remote office keeps the mode offline too.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from datetime import timedelta
from importlib.resources import files

from domain.errors import InvalidInput


@dataclass(frozen=True)
class StormRules:
    version: str
    window: timedelta
    min_calls: int
    min_events: int
    shown_events: int


def parse_storm_rules(text: str) -> StormRules:
    raw = tomllib.loads(text)
    values: dict[str, int] = {}
    for name in ("window_minutes", "min_calls", "min_events", "shown_events"):
        value = raw.get(name)
        if type(value) is not int or not 1 <= value <= 10_000:
            raise InvalidInput(f"停电高峰规则「{name}」须为 1–10000 的整数",
                               f"storm rule {name!r} must be a whole number from 1 to 10000", field=name)
        values[name] = value
    return StormRules(str(raw.get("version", "")), timedelta(minutes=values["window_minutes"]), values["min_calls"],
                      values["min_events"], values["shown_events"])


@functools.cache
def load_storm_rules() -> StormRules:
    """The packaged rules."""
    return parse_storm_rules(files("resources.outage").joinpath("storm.toml").read_text(encoding="utf-8"))


def in_storm(rules: StormRules, live_events: int, recent_calls: int) -> bool:
    """Whether the office is in a storm: live outages and a surge of outage calls, or many outages at once."""
    if live_events <= 0:
        return False
    return recent_calls >= rules.min_calls or live_events >= rules.min_events
