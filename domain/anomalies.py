"""Anomaly rules of the efficiency monitor (效能监控 异常预警): rules as data, evaluated by pure functions.

A rule is a kind, the indicator it watches and its parameters; each office has the defaults below
until its supervisor changes them. Evaluating a rule takes figures read from the facts tables
(backend.efficiency.facts) and returns the findings: which slice is in alert and the evidence
(values, baseline, threshold). No I/O here: the backend feeds the figures and stores the alerts.

Kinds:

- ``on_time_below_target`` — the on-time rate (tickets or stages) was under ``target`` on each of the
  last ``days`` calendar days, today included. A day on which nothing with a deadline was completed
  breaks the run (there is no evidence that day).
- ``backlog_above`` — the overdue backlog now is above ``limit``.
- ``stage_time_mad`` — per department × stage: the median working time of the stage tasks completed in
  the last ``recent_days`` days is beyond the median of the ``baseline_weeks`` weeks before them by more
  than ``k`` × MAD (median absolute deviation of the baseline). Times are read from the stored duration
  histogram (each value is its bucket's upper edge, as for the p90), so MAD is taken to be at least one
  bucket's width at the baseline median: the resolution of the stored times. Tasks that took no working
  time (bucket 0: under a minute, or done wholly on days off) are left out on both sides. At least
  ``min_recent`` recent and ``min_baseline`` baseline tasks (with working time) are needed.
- ``target`` — the office's target for one of the monitor's tile indicators (``value``, read the way the
  indicator is better: at least for a rate or a rating, at most for the backlog or a response time). It never
  raises an alert; the tiles show it. Without one, the threshold of an alert rule on the same indicator is the
  target (the on-time rule's ``target``, the backlog rule's ``limit``); without either there is none — the
  official rules (DOMAIN.md) set time limits, not these targets, so none is made up here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal, get_args

from domain.errors import InvalidInput
from domain.indicators import bucket_upper_minutes, on_time_rate

RuleKind = Literal["on_time_below_target", "backlog_above", "stage_time_mad", "target"]
RULE_KINDS: tuple[str, ...] = get_args(RuleKind)
ON_TIME_INDICATORS = ("ticket_on_time_rate", "stage_on_time_rate")

# Per kind: parameter → (lowest, highest, whole number?)
_PARAMS: dict[str, dict[str, tuple[float, float, bool]]] = {
    "on_time_below_target": {"target": (0.0, 1.0, False), "days": (1, 60, True)},
    "backlog_above": {"limit": (0, 1_000_000, True)},
    "stage_time_mad": {"k": (0.1, 100.0, False), "recent_days": (1, 28, True), "baseline_weeks": (1, 26, True),
                       "min_recent": (1, 1000, True), "min_baseline": (1, 10000, True)},
}
_INDICATOR = {"backlog_above": "overdue_backlog", "stage_time_mad": "median_stage_working_minutes"}

# The tile indicators a target may be set for: (lowest, highest, which way is better).
TARGET_INDICATORS: dict[str, tuple[float, float, Literal["up", "down"]]] = {
    "ticket_on_time_rate": (0.0, 1.0, "up"),
    "overdue_backlog": (0, 1_000_000, "down"),
    "first_time_resolution_rate": (0.0, 1.0, "up"),
    "mean_customer_rating": (1.0, 5.0, "up"),
    "dissatisfied_share": (0.0, 1.0, "down"),
    "working_days_saved": (0.0, 1_000_000.0, "up"),
    "online_share": (0.0, 1.0, "up"),
    "trips_avoided": (0, 1_000_000, "up"),
    "mean_response_minutes": (0.0, 1_000_000.0, "down"),
    "materials_asked_again_per_thousand": (0.0, 1000.0, "down"),
    "information_sharing_quality": (0.0, 1.0, "up"),
}


@dataclass(frozen=True)
class AnomalyRule:
    code: str
    kind: str
    indicator: str
    params: Mapping[str, float]
    enabled: bool = True


@dataclass(frozen=True)
class Finding:
    """One slice in alert: `slice` names it ({} = the whole office), `evidence` says why."""

    rule_code: str
    indicator: str
    slice: Mapping[str, str] = field(default_factory=dict)
    evidence: Mapping[str, Any] = field(default_factory=dict)

    @property
    def slice_key(self) -> str:
        return "/".join(f"{k}={self.slice[k]}" for k in sorted(self.slice))


DEFAULT_RULES: tuple[AnomalyRule, ...] = (
    AnomalyRule("ticket_on_time", "on_time_below_target", "ticket_on_time_rate", {"target": 0.9, "days": 3}),
    AnomalyRule("overdue_backlog", "backlog_above", "overdue_backlog", {"limit": 20}),
    AnomalyRule("stage_time", "stage_time_mad", "median_stage_working_minutes",
                {"k": 3.0, "recent_days": 7, "baseline_weeks": 8, "min_recent": 3, "min_baseline": 10}),
)


def validate_rule(code: str, kind: str, indicator: str | None, params: Mapping[str, Any],
                  enabled: bool = True) -> AnomalyRule:
    """A checked rule (defaults filled from the rule of the same kind in DEFAULT_RULES), or InvalidInput."""
    if not code or len(code) > 64 or not all(c.isalnum() or c in "_-" for c in code):
        raise InvalidInput("规则代码须为 1–64 个字母、数字、_ 或 -", "a rule code is 1–64 letters, digits, _ or -",
                           field="code")
    if kind not in RULE_KINDS:
        raise InvalidInput(f"未知的规则类型：{kind}", f"unknown rule kind {kind!r}; one of {list(RULE_KINDS)}",
                           field="kind")
    if kind == "target":
        return _target_rule(code, indicator, params, enabled)
    if kind == "on_time_below_target":
        indicator = indicator or "ticket_on_time_rate"
        if indicator not in ON_TIME_INDICATORS:
            raise InvalidInput(f"按时率规则的指标须为 {list(ON_TIME_INDICATORS)}",
                               f"an on-time rule watches one of {list(ON_TIME_INDICATORS)}", field="indicator")
    else:
        if indicator not in (None, _INDICATOR[kind]):
            raise InvalidInput(f"该类规则的指标为 {_INDICATOR[kind]}", f"this kind watches {_INDICATOR[kind]}",
                               field="indicator")
        indicator = _INDICATOR[kind]
    defaults = next(r.params for r in DEFAULT_RULES if r.kind == kind)
    unknown = sorted(set(params) - set(_PARAMS[kind]))
    if unknown:
        raise InvalidInput(f"未知的参数：{unknown}", f"unknown parameters {unknown} for {kind}", field="params")
    checked: dict[str, float] = {}
    for name, (low, high, whole) in _PARAMS[kind].items():
        value = params.get(name, defaults[name])
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
                or not low <= value <= high or (whole and value != int(value)):
            kind_zh = "整数" if whole else "数"
            raise InvalidInput(f"参数 {name} 须为 {low}–{high} 之间的{kind_zh}",
                               f"{name} must be a {'whole ' if whole else ''}number from {low} to {high}",
                               field=name)
        checked[name] = int(value) if whole else float(value)
    return AnomalyRule(code, kind, indicator, checked, bool(enabled))


def _target_rule(code: str, indicator: str | None, params: Mapping[str, Any], enabled: bool) -> AnomalyRule:
    if indicator not in TARGET_INDICATORS:
        raise InvalidInput(f"目标须设在这些指标上：{list(TARGET_INDICATORS)}",
                           f"a target is set on one of {list(TARGET_INDICATORS)}", field="indicator")
    unknown = sorted(set(params) - {"value"})
    if unknown:
        raise InvalidInput(f"未知的参数：{unknown}", f"unknown parameters {unknown} for target", field="params")
    low, high, _better = TARGET_INDICATORS[indicator]
    value = params.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
            or not low <= value <= high:
        raise InvalidInput(f"{indicator} 的目标值须为 {low:g}–{high:g} 之间的数",
                           f"the target of {indicator} must be a number from {low:g} to {high:g}", field="value")
    return AnomalyRule(code, "target", indicator, {"value": float(value)}, bool(enabled))


@dataclass(frozen=True)
class Target:
    """A tile's target: reach at least (`up`) or at most (`down`) `value`; `rule` is where it comes from."""

    indicator: str
    value: float
    better: Literal["up", "down"]
    rule: str

    def met(self, figure: float | None) -> bool | None:
        if figure is None:
            return None
        return figure >= self.value if self.better == "up" else figure <= self.value


def targets(rules: Sequence[AnomalyRule]) -> dict[str, Target]:
    """Per tile indicator, the office's target: its enabled `target` rule, else the threshold of an enabled alert
    rule watching it (the on-time rule's target, the backlog rule's limit); indicators with neither have none."""
    found: dict[str, Target] = {}
    for rule in rules:
        if rule.enabled and rule.kind != "target" and rule.indicator in TARGET_INDICATORS:
            threshold = rule.params.get("target", rule.params.get("limit"))
            if threshold is not None:
                better = TARGET_INDICATORS[rule.indicator][2]
                found.setdefault(rule.indicator, Target(rule.indicator, float(threshold), better, rule.code))
    for rule in rules:  # a target set as such wins over an alert's threshold
        if rule.enabled and rule.kind == "target" and rule.indicator in TARGET_INDICATORS:
            better = TARGET_INDICATORS[rule.indicator][2]
            found[rule.indicator] = Target(rule.indicator, float(rule.params["value"]), better, rule.code)
    return found


def effective_rules(stored: Sequence[AnomalyRule]) -> list[AnomalyRule]:
    """The office's rules: its stored ones, and each default whose code it has not stored."""
    codes = {r.code for r in stored}
    return [*stored, *(r for r in DEFAULT_RULES if r.code not in codes)]


def on_time_below_target(rule: AnomalyRule, daily: Mapping[date, tuple[int, int]],
                         today: date) -> Finding | None:
    """`daily`: day → (completed on time, completed with a deadline). Alert when each of the last
    `days` days (today included) measured a rate under `target`."""
    days, target = int(rule.params["days"]), float(rule.params["target"])
    run = [today - timedelta(days=i) for i in range(days - 1, -1, -1)]
    rates = [on_time_rate(*daily.get(day, (0, 0))) for day in run]
    if any(rate is None or rate >= target for rate in rates):
        return None
    return Finding(rule.code, rule.indicator, {}, {
        "target": target, "days": days,
        "values": [{"day": day.isoformat(), "rate": round(rate or 0.0, 4), "on_time": daily[day][0],
                    "with_limit": daily[day][1]} for day, rate in zip(run, rates, strict=True)]})


def backlog_above(rule: AnomalyRule, backlog: int) -> Finding | None:
    """Alert when the overdue backlog is above `limit`."""
    limit = int(rule.params["limit"])
    if backlog <= limit:
        return None
    return Finding(rule.code, rule.indicator, {}, {"value": backlog, "limit": limit})


def weighted_median(counts: Mapping[float, int]) -> float | None:
    """The lower median of values given with their counts (the ⌈n/2⌉-th smallest)."""
    total = sum(n for n in counts.values() if n > 0)
    if total <= 0:
        return None
    rank, seen = math.ceil(total / 2), 0
    for value in sorted(counts):
        seen += max(counts[value], 0)
        if seen >= rank:
            return value
    return max(counts)  # pragma: no cover - unreachable


def _values(histogram: Mapping[int, int]) -> dict[float, int]:
    """Bucket counts as values; bucket 0 (no working time: under a minute, or wholly on days off) is left
    out, as it says nothing about how fast a stage is worked."""
    out: dict[float, int] = {}
    for bucket, n in histogram.items():
        if n > 0 and bucket > 0:
            value = bucket_upper_minutes(bucket)
            out[value] = out.get(value, 0) + n
    return out


def stage_time_threshold(rule: AnomalyRule, baseline: Mapping[int, int]) -> tuple[float, float, float] | None:
    """(baseline median, MAD, threshold) of a stage's baseline histogram (bucket → count), or None when
    it holds fewer than `min_baseline` tasks. MAD is at least the bucket width at the median."""
    values = _values(baseline)
    if sum(values.values()) < int(rule.params["min_baseline"]):
        return None
    median = weighted_median(values)
    assert median is not None
    deviations: dict[float, int] = {}
    for value, n in values.items():
        deviations[abs(value - median)] = deviations.get(abs(value - median), 0) + n
    mad = weighted_median(deviations) or 0.0
    bucket = 1 + math.floor(8 * math.log2(median)) if median >= 1 else 1
    width = bucket_upper_minutes(bucket) - bucket_upper_minutes(bucket - 1)
    mad = max(mad, width)
    return median, mad, median + float(rule.params["k"]) * mad


def stage_time_mad(rule: AnomalyRule, recent: Mapping[tuple[str, str], Mapping[int, int]],
                   baseline: Mapping[tuple[str, str], Mapping[int, int]]) -> list[Finding]:
    """Per (department, stage): recent and baseline histograms (bucket → count). A finding for each
    stage whose recent median is beyond baseline median + k × MAD."""
    findings = []
    for key in sorted(recent):
        values = _values(recent[key])
        count = sum(values.values())
        if count < int(rule.params["min_recent"]):
            continue
        limits = stage_time_threshold(rule, baseline.get(key, {}))
        if limits is None:
            continue
        median, mad, threshold = limits
        value = weighted_median(values)
        if value is None or value <= threshold:
            continue
        findings.append(Finding(rule.code, rule.indicator, {"department": key[0], "stage_code": key[1]}, {
            "value": round(value, 1), "recent_count": count, "baseline_median": round(median, 1),
            "mad": round(mad, 1), "k": float(rule.params["k"]), "threshold": round(threshold, 1),
            "baseline_count": sum(_values(baseline.get(key, {})).values()),
            "recent_days": int(rule.params["recent_days"]), "baseline_weeks": int(rule.params["baseline_weeks"])}))
    return findings
