"""Call clustering (故障研判): fault calls rolled up the grid to the device that most likely failed.

Outage management systems reason from the bottom: a 台区 many of whose customers call is suspected out;
a branch switch or feeder most of whose downstream 台区 are suspected is suspected in their place, and
the event sits on the highest suspected device of each chain — the lowest common upstream device of the
calls it explains. So a transformer fault is one event on its 台区 and a feeder trip one event on the
feeder, not one per 台区, and a lone call in a quiet 台区 stays an ordinary repair. The thresholds are
data (resources/outage/clustering.toml, docs/outage.md); `predict` is pure and deterministic, so the
server and a benchmark get the same answer from the same calls.

Events already known (confirmed by a dispatcher, or planned) take the calls under their device first
and count as suspected devices when rolling up, so a feeder trip that grows out of an earlier transformer
event is proposed as one feeder event that absorbs it.
"""

from __future__ import annotations

import functools
import math
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib.resources import files
from typing import Any

from domain.errors import InvalidInput
from domain.outage.topology import DeviceKind, Grid


@dataclass(frozen=True)
class Threshold:
    """For a 台区: callers (count, share of its accounts); for a branch or feeder: suspected 台区 downstream."""

    minimum: int
    share: float


@dataclass(frozen=True)
class ClusterRules:
    version: str
    window: timedelta
    thresholds: Mapping[DeviceKind, Threshold]


@dataclass(frozen=True)
class FaultCall:
    id: str
    account_id: str
    at: datetime


@dataclass(frozen=True)
class KnownOutage:
    """An event that already exists: its calls are linked to it, its device counts as out."""

    event_id: str
    device_id: str


@dataclass(frozen=True)
class PredictedOutage:
    device_id: str
    call_ids: tuple[str, ...]
    callers: tuple[str, ...]  # distinct accounts that called
    first_call_at: datetime
    absorbs: tuple[str, ...] = ()  # known events lying under the device, to be merged into this one


@dataclass(frozen=True)
class Prediction:
    outages: tuple[PredictedOutage, ...]
    linked: Mapping[str, str] = field(default_factory=dict)  # call id → known event id
    ordinary: tuple[str, ...] = ()  # calls explained by no outage: ordinary repair tickets

    def device_of_call(self) -> dict[str, str]:
        return {call: outage.device_id for outage in self.outages for call in outage.call_ids}


# --- the rules as data --------------------------------------------------------------------------

_LIMITS = {"min_calls": (1, 10_000), "min_areas": (1, 10_000)}


def parse_rules(text: str) -> ClusterRules:
    """Rules from TOML text, or InvalidInput naming the bad entry."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise InvalidInput(f"聚类规则 TOML 语法错误：{err}", f"clustering rules: TOML syntax error: {err}",
                           field="rules") from err
    window = _number(raw, "window_minutes", 1, 24 * 60, whole=True)
    thresholds: dict[DeviceKind, Threshold] = {}
    for kind in DeviceKind:
        table = raw.get(kind.value)
        if not isinstance(table, dict):
            raise InvalidInput(f"聚类规则缺少 [{kind.value}]", f"clustering rules lack a [{kind.value}] table",
                               field=kind.value)
        count_name = "min_calls" if kind is DeviceKind.transformer else "min_areas"
        unknown = sorted(set(table) - {count_name, "min_share"})
        if unknown:
            raise InvalidInput(f"[{kind.value}] 中有未知的参数：{unknown}",
                               f"unknown parameters {unknown} in [{kind.value}]", field=kind.value)
        low, high = _LIMITS[count_name]
        thresholds[kind] = Threshold(int(_number(table, count_name, low, high, whole=True, where=kind.value)),
                                     float(_number(table, "min_share", 0.0, 1.0, where=kind.value)))
    version = raw.get("version")
    if not isinstance(version, str) or not version:
        raise InvalidInput("聚类规则须有版本号 version", "clustering rules need a version", field="version")
    return ClusterRules(version, timedelta(minutes=window), thresholds)


def _number(table: Mapping[str, Any], name: str, low: float, high: float, *, whole: bool = False,
            where: str = "") -> float:
    value = table.get(name)
    place = f"[{where}] {name}" if where else name
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
            or not low <= value <= high or (whole and value != int(value)):
        raise InvalidInput(f"{place} 须为 {low:g}–{high:g} 之间的{'整数' if whole else '数'}",
                           f"{place} must be a {'whole ' if whole else ''}number from {low:g} to {high:g}",
                           field=name)
    return value


@functools.cache
def load_rules() -> ClusterRules:
    """The packaged rules (resources/outage/clustering.toml)."""
    return parse_rules(files("resources.outage").joinpath("clustering.toml").read_text(encoding="utf-8"))


# --- the rule ---------------------------------------------------------------------------------------

def predict(grid: Grid, calls: Iterable[FaultCall], rules: ClusterRules, now: datetime,
            known: Iterable[KnownOutage] = ()) -> Prediction:
    """Which outages the calls of the window ending at `now` point to, which calls belong to known events,
    and which are ordinary repairs. Calls older than the window, or from accounts with no place in the grid,
    are ordinary too."""
    known = list(known)
    linked: dict[str, str] = {}
    ordinary: list[str] = []
    under: dict[str, list[FaultCall]] = {}  # 台区 → calls in the window not linked to a known event
    known_by_device = {k.device_id: k.event_id for k in known if k.device_id in grid.devices}
    for call in sorted(calls, key=lambda c: (c.at, c.id)):
        transformer = grid.transformer_of(call.account_id)
        if transformer is None or not now - rules.window <= call.at <= now:
            ordinary.append(call.id)
            continue
        # The lowest known event above the call takes it (events may nest: a 台区 out inside a planned area).
        event = next((known_by_device[d] for d in grid.path_up(transformer) if d in known_by_device), None)
        if event is not None:
            linked[call.id] = event
        else:
            under.setdefault(transformer, []).append(call)

    suspected = _suspected(grid, under, rules, set(known_by_device))
    outages: list[PredictedOutage] = []
    explained: set[str] = set()
    for device_id in sorted(suspected):
        if any(d in suspected for d in grid.path_up(device_id)[1:]):
            continue  # a device above it explains its calls
        if device_id in known_by_device:
            continue  # already an event
        covered = [c for t in grid.transformers_under(device_id) for c in under.get(t, ())]
        if not covered:
            continue  # suspected only through known events: nothing new to propose
        covered.sort(key=lambda c: (c.at, c.id))
        absorbs = tuple(sorted(e for d, e in known_by_device.items() if d != device_id and grid.is_under(d, device_id)))
        outages.append(PredictedOutage(device_id, tuple(c.id for c in covered),
                                       tuple(sorted({c.account_id for c in covered})), covered[0].at, absorbs))
        explained.update(c.id for c in covered)
    ordinary.extend(c.id for calls_here in under.values() for c in calls_here if c.id not in explained)
    outages.sort(key=lambda o: (o.first_call_at, o.device_id))
    return Prediction(tuple(outages), linked, tuple(sorted(ordinary)))


def _suspected(grid: Grid, under: Mapping[str, list[FaultCall]], rules: ClusterRules,
               known_devices: set[str]) -> set[str]:
    """Every device suspected out: 台区 by their callers, then each device above them by the share of the
    台区 downstream of it that are suspected (a known event's 台区 all are)."""
    rule = rules.thresholds[DeviceKind.transformer]
    out_areas = {t for d in known_devices for t in grid.transformers_under(d)}
    for transformer, calls_here in under.items():
        callers = len({c.account_id for c in calls_here})
        accounts = len(grid.accounts_under(transformer))
        if callers >= rule.minimum and accounts and callers / accounts >= rule.share:
            out_areas.add(transformer)
    suspected = set(known_devices) | out_areas
    for device_id in {p for t in out_areas for p in grid.path_up(t)[1:]} - suspected:
        areas = grid.transformers_under(device_id)
        out = sum(1 for t in areas if t in out_areas)
        threshold = rules.thresholds[grid.devices[device_id].kind]
        if out >= threshold.minimum and out / len(areas) >= threshold.share:
            suspected.add(device_id)
    return suspected
