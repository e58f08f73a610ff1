"""What the 电能质量 area reads (Qt-free): the server's monitoring points with their warnings, and the trends of
the points looked at, kept as one snapshot the desk's store caches so the last one stays readable offline with
its time (docs/power-quality.md); and the office's open governance tickets from the desk's synced copy."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from domain import power_quality as pq
from domain.records import StageTask, Ticket

SNAPSHOT_VERSION = 1
TREND_BUCKETS = 600
TRENDS_KEPT = 20  # trends a snapshot keeps for offline reading (the points looked at last)
TICKETS_LIMIT = 500


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks `text` for pyside6-lupdate under `context`; returns it unchanged (keeps this module Qt-free)."""
    return text


# The trend's figures as the server groups them (backend.power_quality._FIGURES): figure → (name, unit).
FIGURES: dict[str, tuple[str, str]] = {
    "thd": (QT_TRANSLATE_NOOP("PowerQuality", "电压总谐波畸变率 THD"), "%"),
    "dev_a": (QT_TRANSLATE_NOOP("PowerQuality", "电压偏差 A相"), "%"),
    "dev_b": (QT_TRANSLATE_NOOP("PowerQuality", "电压偏差 B相"), "%"),
    "dev_c": (QT_TRANSLATE_NOOP("PowerQuality", "电压偏差 C相"), "%"),
    "unbalance": (QT_TRANSLATE_NOOP("PowerQuality", "三相电压不平衡度"), "%"),
    "plt": (QT_TRANSLATE_NOOP("PowerQuality", "长时闪变 Plt"), ""),
    "frequency_deviation": (QT_TRANSLATE_NOOP("PowerQuality", "频率偏差"), "Hz"),
}
_QUANTITY_OF = {"thd": "harmonics", "dev_a": "voltage_deviation", "dev_b": "voltage_deviation",
                "dev_c": "voltage_deviation", "unbalance": "unbalance", "plt": "plt",
                "frequency_deviation": "frequency_deviation"}
# A limit's quantity → the trend figure that shows it (the server groups THD, not each harmonic order).
_FIGURE_OF_QUANTITY = {"harmonics": "thd", "voltage_deviation": "dev_a", "unbalance": "unbalance", "plt": "plt",
                       "frequency_deviation": "frequency_deviation"}
QUANTITY_NAMES: dict[str, str] = {
    "voltage_deviation": QT_TRANSLATE_NOOP("PowerQuality", "供电电压偏差"),
    "harmonics": QT_TRANSLATE_NOOP("PowerQuality", "谐波"),
    "unbalance": QT_TRANSLATE_NOOP("PowerQuality", "三相电压不平衡度"),
    "plt": QT_TRANSLATE_NOOP("PowerQuality", "长时闪变 Plt"),
    "frequency_deviation": QT_TRANSLATE_NOOP("PowerQuality", "频率偏差"),
}
# What a check of a limit measures (domain.power_quality._checks' `what`, the harmonic order after a colon).
WHAT_NAMES: dict[str, str] = {
    "high": QT_TRANSLATE_NOOP("PowerQuality", "上限"),
    "low": QT_TRANSLATE_NOOP("PowerQuality", "下限"),
    "sum_abs": QT_TRANSLATE_NOOP("PowerQuality", "正、负偏差绝对值之和"),
    "thd": QT_TRANSLATE_NOOP("PowerQuality", "电压总谐波畸变率 THD"),
    "odd": QT_TRANSLATE_NOOP("PowerQuality", "奇次谐波电压含有率"),
    "even": QT_TRANSLATE_NOOP("PowerQuality", "偶次谐波电压含有率"),
}
UNITS = {"voltage_deviation": "%", "harmonics": "%", "unbalance": "%", "plt": "", "frequency_deviation": "Hz"}


def quantity_of_limit(limit_id: str) -> str | None:
    """The quantity a limit (by id, a contract's too) bounds, from domain.power_quality's table."""
    base = limit_id.removesuffix(".contract")
    return next((lim.quantity for lim in pq.load_limits().limit if lim.id == base), None)


def indicator_text(quantity: str, what: str, translate: Callable[[str], str]) -> str:
    """The indicator a check names, in words: 谐波 checks by their own name (with the worst order, when one is
    named), the others as quantity and bound (三相电压不平衡度 上限)."""
    kind, _, order = what.partition(":")
    if quantity == "harmonics":
        name = translate(WHAT_NAMES.get(kind, kind))
        return f"{name}（{order}）" if order else name
    base = translate(QUANTITY_NAMES.get(quantity, quantity))
    return f"{base}{translate(WHAT_NAMES[kind])}" if kind == "sum_abs" else f"{base} {translate(WHAT_NAMES.get(kind, kind))}"
PERIODS: dict[str, int] = {"day": 1, "week": 7, "month": 30, "year": 365}  # the trend's period → days


@dataclass(frozen=True)
class LimitLine:
    value: float
    label: str  # the standard and clause the bound encodes, e.g. "GB/T 14549-1993 4, 表1"
    provisional: bool  # the clause could not be checked against the standard's text
    contract: bool = False  # the customer's contract tightened the standard's figure


def limit_lines(figure: str, limits: list[dict[str, Any]]) -> list[LimitLine]:
    """The horizontal lines a figure's chart draws: every bound of the limits of its quantity (a contract's in
    place of the standard's, as the server sent them). The ≥ 35 kV sum-of-deviations rule has no line of one
    phase: it is left out."""
    quantity = _QUANTITY_OF.get(figure)
    lines: list[LimitLine] = []
    for limit in limits:
        if limit.get("quantity") != quantity:
            continue
        bounds = ([limit.get("thd_max")] if figure == "thd" else [limit.get("low"), limit.get("high")])
        cited = f"{limit.get('standard', '')} {limit.get('clause', '')}".strip()
        for bound in bounds:
            if bound is not None:
                lines.append(LimitLine(float(bound), cited, limit.get("sure") != "official",
                                       limit.get("source") == "contract"))
    return lines


def figure_of_warning(warning: dict[str, Any]) -> str:
    """The trend figure that shows a warning's excursion (THD for any harmonic: the server groups only THD)."""
    return _FIGURE_OF_QUANTITY.get(quantity_of_limit(str(warning.get("limit_id"))) or "", "thd")


def point_status(point: dict[str, Any]) -> str:
    """`warning` while the point has an open warning, else `normal`."""
    return "warning" if point.get("open_warnings") else "normal"


def customers(points: list[dict[str, Any]]) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(customer id, name, its points) by customer name; a customer is in warning when any point is."""
    grouped: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    for point in points:
        grouped.setdefault(str(point["customer_id"]), (str(point.get("customer_name") or ""), []))[1].append(point)
    return sorted(((cid, name, pts) for cid, (name, pts) in grouped.items()), key=lambda c: (c[1], c[0]))


def recent_months(now: datetime, count: int) -> list[str]:
    """The office's current month and the `count - 1` before it, newest first (YYYY-MM)."""
    from domain.sla import OFFICE_ZONE

    today = now.astimezone(OFFICE_ZONE).date()
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def trend_period(now: datetime, period: str) -> tuple[datetime, datetime]:
    """The trend's period ending with the current 10-minute slot (whole slots: the server's buckets align)."""
    slot = pq.INTERVAL_MINUTES * 60
    end = datetime.fromtimestamp((int(now.timestamp()) // slot + 1) * slot, tz=now.tzinfo)
    return end - timedelta(days=PERIODS[period]), end


@dataclass
class Snapshot:
    fetched_at: datetime
    points: list[dict[str, Any]]
    trends: dict[str, dict[str, Any]] = field(default_factory=dict)  # "point|period" → the server's trend
    trends_at: dict[str, str] = field(default_factory=dict)  # "point|period" → when it was read (ISO)
    cached: bool = False  # read back from the store, not from the server
    version: int = field(default=SNAPSHOT_VERSION)

    def to_json(self) -> str:
        return json.dumps({"version": self.version, "fetched_at": self.fetched_at.isoformat(), "points": self.points,
                           "trends": self.trends, "trends_at": self.trends_at},
                          ensure_ascii=False, separators=(",", ":"), default=str)

    @classmethod
    def from_json(cls, text: str | None) -> Snapshot | None:
        """The cached snapshot, or None when there is none, or it is of another version or unreadable."""
        if not text:
            return None
        try:
            raw = json.loads(text)
            if raw.get("version") != SNAPSHOT_VERSION:
                return None
            return cls(fetched_at=datetime.fromisoformat(raw["fetched_at"]), points=list(raw["points"]),
                       trends=dict(raw.get("trends") or {}), trends_at=dict(raw.get("trends_at") or {}), cached=True)
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def point(self, point_id: str) -> dict[str, Any] | None:
        return next((p for p in self.points if p.get("id") == point_id), None)

    def keep_trend(self, point_id: str, period: str, trend: dict[str, Any], at: datetime) -> None:
        """Remember a trend read (the newest TRENDS_KEPT of them) for offline reading."""
        key = f"{point_id}|{period}"
        self.trends.pop(key, None)
        self.trends[key] = trend
        self.trends_at[key] = at.isoformat()
        for old in list(self.trends)[:-TRENDS_KEPT]:
            self.trends.pop(old, None)
            self.trends_at.pop(old, None)

    def trend(self, point_id: str, period: str) -> tuple[dict[str, Any], datetime] | None:
        key = f"{point_id}|{period}"
        if key not in self.trends:
            return None
        return self.trends[key], datetime.fromisoformat(self.trends_at[key])


def cache_key(staff_id: str) -> str:
    """The store's meta key holding this staff member's last snapshot."""
    return f"power_quality_snapshot:{staff_id}"


@dataclass(frozen=True)
class GovernanceTicket:
    ticket: Ticket
    current: list[StageTask]  # its unfinished stages (serial: one)


def open_governance(store: Any, office_id: str) -> list[GovernanceTicket]:
    """The office's open 电能质量治理 tickets on this desk with their current stage, newest first. Runs on the
    store thread."""
    from domain.ticket_rules import is_unfinished_stage
    from local_store import TicketFilters
    from local_store.queue import OPEN_TICKET_STATES

    found = store.ticket_queue(TicketFilters(office_id=office_id, type_codes=(pq.GOVERNANCE_TYPE,),
                                             states=OPEN_TICKET_STATES), sort="-accepted_at", limit=TICKETS_LIMIT)
    return [GovernanceTicket(t, [s for s in store.stage_tasks(t.id) if is_unfinished_stage(s.state)]) for t in found]


@dataclass(frozen=True)
class Citation:
    standard: str  # e.g. "GB/T 14549-1993 表1"
    text_zh: str
    text_en: str
    contract: bool  # the customer's contract tightened the standard's figure
    provisional: bool


def citation(limit_id: str) -> Citation | None:
    """The standard and clause a warning's limit encodes (domain.power_quality's table; a contract's limit
    cites the standard limit it tightens)."""
    base, contract = (limit_id[: -len(".contract")], True) if limit_id.endswith(".contract") else (limit_id, False)
    limit = next((lim for lim in pq.load_limits().limit if lim.id == base), None)
    if limit is None:
        return None
    return Citation(f"{limit.standard} {limit.clause}", limit.text_zh, limit.text_en, contract, limit.sure != "official")
