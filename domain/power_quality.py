"""Power quality of important customers (电能质量服务): limits as data, each interval judged against them,
the excursions that persist long enough to warn, and the period's compliance for a report.

The limits are data (`resources/power_quality/limits.toml`), versioned, each citing the national standard
and clause it encodes (GB/T 12325 voltage deviation, GB/T 14549 harmonics, GB/T 15543 unbalance, GB/T 12326
flicker, GB/T 15945 frequency; GB/T 30137 sags are counted, not limited). A customer's supply contract may
set tighter limits, which win for that customer; a looser one is refused.

A monitoring point sends 10-minute aggregates (`Interval`): the voltage deviation of each phase, THD and the
individual harmonics, the negative-sequence unbalance, Pst/Plt, the frequency deviation and the sags seen.
`excursions` judges one interval; `persisting` says which limits were outside often enough in the latest
intervals to warn (rules as data: at least `at_least` of the last `within`); `compliance` judges a period
the way each standard does (`basis`: every value, or the 95 % probability value). No I/O beyond reading the
packaged data: the backend feeds the intervals and stores the warnings.
"""

from __future__ import annotations

import functools
import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib.resources import files
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from domain.errors import InvalidInput

Quantity = Literal["voltage_deviation", "harmonics", "unbalance", "plt", "frequency_deviation"]
Basis = Literal["interval", "p95"]
Sure = Literal["official", "provisional"]
INTERVAL_MINUTES = 10
MAX_HARMONIC_ORDER = 50
GOVERNANCE_TYPE = "pq_governance"  # the 主动服务 ticket a warning opens (resources/catalogue)
VERIFICATION_STAGE = "verify"  # 效果验证: its completion is the evidence the excursion was cured; it closes the warning


def closes_warning(type_code: str, stage_code: str) -> bool:
    """Whether completing this stage of this ticket type closes the power-quality warning behind it."""
    return type_code == GOVERNANCE_TYPE and stage_code == VERIFICATION_STAGE


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Limit(_Strict):
    """One clause of a standard for one quantity at a range of nominal voltages."""

    id: str
    quantity: Quantity
    kv_min: float = 0.0
    kv_max: float = math.inf
    phases: Literal[1, 3] | None = None
    small_system: bool | None = None  # frequency: only for (True) or only outside (False) a small system
    low: float | None = None  # each value at least this (a deviation: negative)
    high: float | None = None  # each value at most this
    sum_abs_max: float | None = None  # voltage deviation, 35 kV and above: |positive| + |negative|
    thd_max: float | None = None  # harmonics: total harmonic distortion, %
    odd_max: float | None = None  # harmonics: each odd order, % of the fundamental
    even_max: float | None = None  # harmonics: each even order
    basis: Basis
    standard: str
    clause: str
    sure: Sure
    text_zh: str
    text_en: str
    source: Literal["standard", "contract"] = "standard"

    @model_validator(mode="after")
    def _has_a_bound(self) -> Limit:
        if all(v is None for v in (self.low, self.high, self.sum_abs_max, self.thd_max, self.odd_max, self.even_max)):
            raise ValueError(f"limit {self.id} sets no bound")
        if self.kv_min > self.kv_max:
            raise ValueError(f"limit {self.id}: kv_min above kv_max")
        return self

    def applies(self, point: MonitoringPoint) -> bool:
        return (self.kv_min <= point.nominal_kv <= self.kv_max
                and (self.phases is None or self.phases == point.phases)
                and (self.small_system is None or self.small_system == point.small_system))


class Persistence(_Strict):
    """Excursions of a limit warn when at least `at_least` of the point's last `within` intervals were outside it."""

    applies_to: str  # a limit id, a quantity, or "*"
    within: int = Field(ge=1, le=144)
    at_least: int = Field(ge=1)
    note: str = ""

    @model_validator(mode="after")
    def _fits(self) -> Persistence:
        if self.at_least > self.within:
            raise ValueError(f"persistence for {self.applies_to}: at_least above within")
        return self


class SagTable(_Strict):
    standard: str
    clause: str
    sure: Sure
    residual_bands: tuple[float, ...]  # descending edges, % of the declared voltage
    duration_bands_ms: tuple[int, ...]  # ascending edges


class _Meta(_Strict):
    version: str
    effective: date
    note: str = ""


class LimitTable(_Strict):
    limits: _Meta
    limit: tuple[Limit, ...]
    persistence: tuple[Persistence, ...]
    sags: SagTable

    @model_validator(mode="after")
    def _unique_ids(self) -> LimitTable:
        ids = [limit.id for limit in self.limit]
        if len(ids) != len(set(ids)):
            raise ValueError("limit ids repeat")
        return self

    @property
    def version(self) -> str:
        return self.limits.version

    def rule_for(self, limit: Limit) -> Persistence:
        for key in (limit.id, limit.quantity, "*"):
            for rule in self.persistence:
                if rule.applies_to == key:
                    return rule
        return Persistence(applies_to="*", within=1, at_least=1)


@functools.cache
def load_limits() -> LimitTable:
    """The packaged limits (read once per process)."""
    return parse_limits(files("resources.power_quality").joinpath("limits.toml").read_text(encoding="utf-8"))


def parse_limits(text: str) -> LimitTable:
    try:
        return LimitTable.model_validate(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, ValidationError) as err:
        raise InvalidInput(f"电能质量限值数据有误：{err}", f"The power-quality limits are invalid: {err}") from err


@dataclass(frozen=True)
class MonitoringPoint:
    """Where an important customer's supply is measured: its nominal voltage (kV) and phases, and the
    contract's own limits (`{"harmonics.thd_max": 3.0, "voltage_deviation.high": 5.0, ...}`)."""

    id: str
    customer_id: str
    nominal_kv: float
    phases: Literal[1, 3] = 3
    small_system: bool = False
    contract: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Sag:
    residual: float  # % of the declared voltage at the sag's deepest
    duration_ms: int


@dataclass(frozen=True)
class Interval:
    """One 10-minute aggregate of one point; None where the meter did not measure the quantity."""

    point_id: str
    start: datetime
    voltage_deviation: tuple[float, ...] = ()  # each phase, % of nominal
    thd: float | None = None
    harmonics: Mapping[int, float] = field(default_factory=dict)  # order (2..50) → % of the fundamental
    unbalance: float | None = None  # negative-sequence, %
    pst: float | None = None
    plt: float | None = None
    frequency_deviation: float | None = None  # Hz
    sags: tuple[Sag, ...] = ()


_CONTRACT_BOUNDS = ("low", "high", "sum_abs_max", "thd_max", "odd_max", "even_max")


def limits_for(point: MonitoringPoint, table: LimitTable | None = None) -> list[Limit]:
    """The limits that apply at `point`, with its contract's tighter figures in place of the standard's.

    A contract key is `<quantity>.<bound>` (e.g. `harmonics.thd_max`, `voltage_deviation.high`); it must
    name a bound a standard limit of the point sets, and be at least as tight, else it is refused."""
    table = table or load_limits()
    chosen = [limit for limit in table.limit if limit.applies(point)]
    for key, value in point.contract.items():
        quantity, _, bound = key.partition(".")
        targets = [i for i, limit in enumerate(chosen)
                   if limit.quantity == quantity and bound in _CONTRACT_BOUNDS and getattr(limit, bound) is not None]
        if not targets or not math.isfinite(value):
            raise InvalidInput(f"合同限值 {key} 不对应本监测点的任何国家标准限值",
                               f"The contract limit {key} matches no standard limit of this point")
        for i in targets:
            standard = getattr(chosen[i], bound)
            tighter = value >= standard if bound == "low" else value <= standard
            if not tighter:
                raise InvalidInput(f"合同限值 {key}={value} 宽于国家标准（{standard}），不予采用",
                                   f"The contract limit {key}={value} is looser than the standard ({standard})")
            chosen[i] = chosen[i].model_copy(update={
                bound: value, "source": "contract", "id": f"{chosen[i].id}.contract",
                "text_zh": f"供电合同约定：{key} {value}（国家标准 {standard}）",
                "text_en": f"Supply contract: {key} {value} (standard {standard})"})
    return chosen


@dataclass(frozen=True)
class Excursion:
    """One limit one interval did not keep: the worst value and the bound it crossed."""

    limit_id: str
    quantity: Quantity
    what: str  # "high", "low", "sum_abs", "thd", "odd:5", "even:4"
    value: float
    bound: float
    start: datetime


def excursions(interval: Interval, limits: Sequence[Limit]) -> list[Excursion]:
    """Every bound of `limits` that `interval` crossed (a p95-basis limit too: one interval above it is an
    excursion; whether the period breaches it is `compliance`'s question)."""
    found: list[Excursion] = []

    def out(limit: Limit, what: str, value: float, bound: float) -> None:
        found.append(Excursion(limit.id, limit.quantity, what, value, bound, interval.start))

    for limit in limits:
        for what, value, bound, above in _checks(limit, interval):
            if (value > bound) if above else (value < bound):
                out(limit, what, value, bound)
    return found


def _checks(limit: Limit, interval: Interval) -> list[tuple[str, float, float, bool]]:
    """(what, measured value, bound, True when the value must stay at or under the bound)."""
    checks: list[tuple[str, float, float, bool]] = []
    if limit.quantity == "voltage_deviation":
        phases = interval.voltage_deviation
        if not phases:
            return []
        if limit.high is not None:
            checks.append(("high", max(phases), limit.high, True))
        if limit.low is not None:
            checks.append(("low", min(phases), limit.low, False))
        if limit.sum_abs_max is not None:
            checks.append(("sum_abs", deviation_spread(phases), limit.sum_abs_max, True))
        return checks
    if limit.quantity == "harmonics":
        if limit.thd_max is not None and interval.thd is not None:
            checks.append(("thd", interval.thd, limit.thd_max, True))
        for order, value in sorted(interval.harmonics.items()):
            bound = limit.odd_max if order % 2 else limit.even_max
            if bound is not None:
                checks.append((f"{'odd' if order % 2 else 'even'}:{order}", value, bound, True))
        return checks
    measured = {"unbalance": interval.unbalance, "plt": interval.plt,
                "frequency_deviation": interval.frequency_deviation}[limit.quantity]
    if measured is None:
        return []
    if limit.high is not None:
        checks.append(("high", measured, limit.high, True))
    if limit.low is not None:
        checks.append(("low", measured, limit.low, False))
    return checks


def deviation_spread(phases: Sequence[float]) -> float:
    """GB/T 12325's measure for 35 kV and above: the sum of the absolute positive and negative deviations;
    when all deviations have one sign, the larger absolute value."""
    high, low = max(phases), min(phases)
    if high > 0 > low:
        return high - low
    return max(abs(high), abs(low))


@dataclass(frozen=True)
class Persisting:
    """A limit outside often enough in the latest intervals to warn the account manager."""

    limit: Limit
    count: int  # intervals outside, of the last `within`
    within: int
    first: datetime  # the earliest of those intervals that was outside
    last: datetime
    worst: Excursion  # the one furthest beyond its bound


def persisting(history: Sequence[Interval], limits: Sequence[Limit], table: LimitTable | None = None) -> list[Persisting]:
    """The limits whose excursions meet their persistence rule over the point's latest intervals.

    `history` is one point's intervals in any order; a gap counts as an interval within the limits (a
    missing interval is no evidence of an excursion), so "the last `within`" means the `within`
    10-minute slots up to the latest interval received."""
    table = table or load_limits()
    if not history:
        return []
    ordered = sorted(history, key=lambda i: i.start)
    latest = ordered[-1].start
    found: list[Persisting] = []
    for limit in limits:
        rule = table.rule_for(limit)
        window_start = latest.timestamp() - (rule.within - 1) * INTERVAL_MINUTES * 60
        outside = [e for i in ordered if i.start.timestamp() >= window_start
                   for e in [_worst(excursions(i, [limit]))] if e is not None]
        if len(outside) >= rule.at_least:
            found.append(Persisting(limit, len(outside), rule.within, outside[0].start, outside[-1].start,
                                    max(outside, key=_beyond)))
    return found


def _worst(found: Sequence[Excursion]) -> Excursion | None:
    return max(found, key=_beyond) if found else None


def _beyond(excursion: Excursion) -> float:
    """How far past its bound, relative to the bound (comparable across quantities)."""
    scale = abs(excursion.bound) or 1.0
    return abs(excursion.value - excursion.bound) / scale


@dataclass(frozen=True)
class Compliance:
    """A period judged the standard's way: `ok` against the limit's basis, with the figures behind it."""

    limit: Limit
    what: str
    intervals: int  # intervals that measured it
    within_share: float  # share of those intervals within the bound
    p95: float  # 95 % probability value (for a low bound: the 5 % value)
    worst: float
    bound: float
    ok: bool


def compliance(history: Sequence[Interval], limits: Sequence[Limit]) -> list[Compliance]:
    """For each bound of each limit: every interval within it (basis "interval"), or the 95 % probability
    value within it (basis "p95"). Individual harmonics are judged by their worst order."""
    results: list[Compliance] = []
    for limit in limits:
        by_what: dict[str, list[tuple[float, float, bool]]] = {}
        for interval in history:
            mine: dict[str, tuple[float, float, bool]] = {}
            for what, value, bound, above in _checks(limit, interval):
                key = what.split(":")[0]  # the individual harmonics: the interval's worst order of each parity
                if key not in mine or (value > mine[key][0] if above else value < mine[key][0]):
                    mine[key] = (value, bound, above)
            for key, figure in mine.items():
                by_what.setdefault(key, []).append(figure)
        for what, values in by_what.items():
            bound, above = values[0][1], values[0][2]
            figures = sorted(v for v, _, _ in values)
            p95 = _percentile(figures, 0.95 if above else 0.05)
            worst = figures[-1] if above else figures[0]
            within = sum(1 for v, _, _ in values if (v <= bound if above else v >= bound))
            ok = (p95 <= bound if above else p95 >= bound) if limit.basis == "p95" else within == len(values)
            results.append(Compliance(limit, what, len(values), within / len(values), p95, worst, bound, ok))
    return results


def _percentile(ordered: Sequence[float], q: float) -> float:
    """The value a share `q` of the values do not exceed (nearest rank, as the standards' 95 % value)."""
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


def sag_class(sag: Sag, table: LimitTable | None = None) -> tuple[int, int] | None:
    """The (residual band, duration band) cell of GB/T 30137's table for a sag, or None when it is no sag
    (residual at or above the first band's edge) or outside the table's durations."""
    sags = (table or load_limits()).sags
    edges = sags.residual_bands
    if sag.residual >= edges[0]:
        return None
    row = next((i for i in range(len(edges) - 1) if sag.residual >= edges[i + 1]), len(edges) - 1)
    durations = sags.duration_bands_ms
    if not durations[0] <= sag.duration_ms <= durations[-1]:
        return None
    column = next(i for i in range(len(durations) - 1) if sag.duration_ms <= durations[i + 1])
    return row, column


def sag_counts(history: Sequence[Interval], table: LimitTable | None = None) -> dict[tuple[int, int], int]:
    """GB/T 30137's statistics table for a period: sags counted per (residual band, duration band)."""
    counts: dict[tuple[int, int], int] = {}
    for interval in history:
        for sag in interval.sags:
            cell = sag_class(sag, table)
            if cell is not None:
                counts[cell] = counts.get(cell, 0) + 1
    return counts


def check_interval(interval: Interval) -> Interval:
    """Bad input from a meter: refuse it with a sentence, store nothing."""
    def bad(zh: str, en: str) -> InvalidInput:
        return InvalidInput(f"监测点 {interval.point_id} {interval.start:%Y-%m-%d %H:%M}：{zh}",
                            f"Point {interval.point_id} at {interval.start:%Y-%m-%d %H:%M}: {en}")

    if interval.start.tzinfo is None:
        raise bad("时间须带时区", "the time needs a zone")
    if interval.start.minute % INTERVAL_MINUTES or interval.start.second or interval.start.microsecond:
        raise bad("时间须为10分钟整点", "the time must start a 10-minute interval")
    if len(interval.voltage_deviation) not in (0, 1, 3):
        raise bad("电压偏差须为1相或3相", "the voltage deviation has 1 or 3 phases")
    for v in interval.voltage_deviation:
        if not -100.0 <= v <= 100.0:  # NaN fails every comparison
            raise bad("电压偏差无效或超出 ±100%", "a voltage deviation is not a number or beyond ±100 %")
    for order, v in interval.harmonics.items():
        if not 2 <= order <= MAX_HARMONIC_ORDER or not 0.0 <= v <= 100.0:
            raise bad(f"谐波次数须为2–{MAX_HARMONIC_ORDER}、含有率0–100%",
                      f"harmonic orders are 2–{MAX_HARMONIC_ORDER}, contents 0–100 %")
    for value, name_zh, name_en, top in ((interval.thd, "总谐波畸变率", "THD", 100.0),
                                         (interval.unbalance, "不平衡度", "unbalance", 100.0),
                                         (interval.pst, "Pst", "Pst", 1000.0), (interval.plt, "Plt", "Plt", 1000.0)):
        if value is not None and not 0.0 <= value <= top:
            raise bad(f"{name_zh}无效或超出 0–{top:g}", f"{name_en} is not a number or outside 0–{top:g}")
    if interval.frequency_deviation is not None and not -5.0 <= interval.frequency_deviation <= 5.0:
        raise bad("频率偏差无效或超出 ±5Hz", "the frequency deviation is not a number or beyond ±5 Hz")
    if any(not 0.0 <= s.residual <= 100.0 or not 0 < s.duration_ms <= 600_000 for s in interval.sags):
        raise bad("暂降的残余电压须为0–100%、持续时间须为1ms–10min",
                  "a sag's residual voltage is 0–100 % and its duration 1 ms–10 min")
    return interval


# ---- a voltage complaint or fault from a monitored customer: what the point measured before it ------------

EVIDENCE_HOURS = 24  # how far back of a ticket's acceptance its point's data is summed up
_QUANTITY_ZH = {"voltage_deviation": "电压偏差", "harmonics": "谐波", "unbalance": "三相不平衡",
                "plt": "长时闪变", "frequency_deviation": "频率偏差"}


def concerns_power_quality(fields: Mapping[str, object]) -> bool:
    """A ticket about the supply's quality: a repair for abnormal voltage or a supply-quality complaint."""
    return fields.get("fault_type") == "voltage" or fields.get("complaint_class") == "supply_quality"


def evidence_line(point_name: str, history: Sequence[Interval], limits: Sequence[Limit], open_warnings: int) -> str:
    """The ticket's history line naming what its customer's monitoring point measured in the hours before it
    (Chinese, as every server-written history line): the intervals, the voltage deviation's range, each
    quantity's excursions with the worst against its bound and the standard, and the open warnings."""
    head = f"电能质量监测「{point_name}」受理前{EVIDENCE_HOURS}小时"
    if not history:
        return f"{head}无监测数据"
    parts = [f"{len(history)} 个10分钟统计值"]
    phases = [v for interval in history for v in interval.voltage_deviation]
    if phases:
        parts.append(f"电压偏差 {min(phases):+.2f}%～{max(phases):+.2f}%")
    found: dict[str, list[Excursion]] = {}
    for interval in history:
        for excursion in excursions(interval, limits):
            found.setdefault(excursion.quantity, []).append(excursion)
    by_id = {limit.id: limit for limit in limits}
    for quantity, seen in found.items():
        worst = max(seen, key=_beyond)
        limit = by_id.get(worst.limit_id)
        cited = f"，{limit.standard} {limit.clause}" if limit is not None else ""
        slots = len({e.start for e in seen})
        parts.append(f"{_QUANTITY_ZH.get(quantity, quantity)}越限 {slots} 次（最大 {worst.value:g}，限值 {worst.bound:g}"
                     f"{cited}）")
    if not found:
        parts.append("各项指标均在限值内")
    if open_warnings:
        parts.append(f"持续越限预警 {open_warnings} 个未消除")
    return f"{head}：" + "；".join(parts)
