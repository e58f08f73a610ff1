"""Outage events: where (a device of the grid), what kind, when, why — and the notice rules of planned ones.

A fault event (故障停电) comes from clustered calls (domain.outage.clustering) and a dispatcher's
confirmation; a planned one (计划停电) is entered by dispatch with its area, window and reason. Arrears
cut-offs and faults inside a customer's own installation are not events (DOMAIN.md). A planned outage
announced later than its notice period (7 days; 24 h for temporary maintenance, counted to the important
customers inside the area) is not refused — the work may be urgent — but warned, so the desk shows it and
the record keeps it.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from importlib.resources import files
from typing import Any

from domain.bounds import check_text
from domain.errors import InvalidInput
from domain.language import pick
from domain.outage.topology import Grid

MAX_WINDOW = timedelta(days=7)  # a longer "planned outage" is a typing mistake, not maintenance


class OutageKind(StrEnum):
    planned = "planned"  # 计划检修, notice 7 days ahead
    temporary = "temporary"  # 临时检修, notice 24 h ahead to important customers
    fault = "fault"  # 故障停电

    def label(self, lang: str = "zh") -> str:
        return pick(*_KIND_LABELS[self], lang)

    @property
    def state_machine(self) -> str:
        """The domain.states machine an event of this kind follows."""
        return "outage_event" if self is OutageKind.fault else "planned_outage"


def state_machine_of(entity: str, row: Mapping[str, Any]) -> str:
    """The `domain.states` machine a stored record of `entity` follows: an outage event's is its kind's (a fault
    is predicted and confirmed, a planned outage scheduled and begun); every other record's is its entity's."""
    if entity == "outage_event":
        return OutageKind(str(row["outage_kind"])).state_machine
    return entity


_KIND_LABELS = {OutageKind.planned: ("计划停电", "planned outage"),
                OutageKind.temporary: ("临时检修停电", "temporary maintenance outage"),
                OutageKind.fault: ("故障停电", "fault outage")}


@dataclass(frozen=True)
class NoticeRules:
    version: str
    planned: timedelta
    temporary: timedelta


@functools.cache
def load_notice_rules() -> NoticeRules:
    raw = tomllib.loads(files("resources.outage").joinpath("notice.toml").read_text(encoding="utf-8"))
    return NoticeRules(raw["version"], timedelta(hours=raw["planned"]["hours"]),
                       timedelta(hours=raw["temporary"]["hours"]))


@dataclass(frozen=True)
class NoticeWarning:
    code: str  # "short_notice" | "short_notice_important"
    message_zh: str
    message_en: str
    required: timedelta
    given: timedelta

    def message(self, lang: str = "zh") -> str:
        return pick(self.message_zh, self.message_en, lang)


@dataclass(frozen=True)
class PlannedOutage:
    """A checked planned or temporary-maintenance outage: what dispatch entered."""

    kind: OutageKind
    device_ids: tuple[str, ...]
    starts_at: datetime
    ends_at: datetime
    reason: str
    announced_at: datetime
    warnings: tuple[NoticeWarning, ...]
    accounts: tuple[str, ...]
    important: tuple[str, ...]


def plan_outage(grid: Grid, kind: OutageKind | str, device_ids: Sequence[str], starts_at: datetime,
                ends_at: datetime, reason: str, announced_at: datetime,
                rules: NoticeRules | None = None) -> PlannedOutage:
    """Check a planned outage as dispatch entered it; InvalidInput on bad input, warnings on short notice."""
    rules = rules or load_notice_rules()
    checked = check_planned(grid, kind, device_ids, starts_at, ends_at, reason)
    if announced_at.tzinfo is None:
        raise InvalidInput("时间须带时区", "times need a time zone", field="announced_at")
    accounts = tuple(sorted({a for d in device_ids for a in grid.accounts_under(d)}))
    important = tuple(a for a in accounts if grid.points[a].important)
    return PlannedOutage(checked, tuple(device_ids), starts_at, ends_at, reason.strip(), announced_at,
                         notice_warnings(checked, starts_at, announced_at, bool(important), rules), accounts, important)


def check_planned(grid: Grid, kind: OutageKind | str, device_ids: Sequence[str], starts_at: datetime,
                  ends_at: datetime, reason: str) -> OutageKind:
    """The kind of a well-formed planned outage (devices of the grid, a window, a reason), or InvalidInput.
    The grid's devices are enough here: who is inside is counted apart (a server counts it in SQL)."""
    if kind not in (OutageKind.planned.value, OutageKind.temporary.value):
        raise InvalidInput("计划停电的类型须为计划检修或临时检修", "a planned outage is planned or temporary maintenance",
                           field="kind")
    check_area(grid, device_ids)
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise InvalidInput("时间须带时区", "times need a time zone", field="starts_at")
    if ends_at <= starts_at:
        raise InvalidInput("停电结束时间须晚于开始时间", "the outage must end after it starts", field="ends_at")
    if ends_at - starts_at > MAX_WINDOW:
        raise InvalidInput("计划停电不能超过 7 天", "a planned outage cannot last more than 7 days", field="ends_at")
    check_reason(reason)
    return OutageKind(kind)


def check_area(grid: Grid, device_ids: Sequence[str]) -> None:
    if not device_ids:
        raise InvalidInput("请选择停电范围（线路、分支或台区）", "choose the outage area (feeder, branch or transformer area)",
                           field="device_ids")
    for device_id in device_ids:
        grid.device(device_id)
    if len(set(device_ids)) != len(device_ids):
        raise InvalidInput("停电范围中有重复的设备", "a device is named twice in the outage area", field="device_ids")


def check_reason(reason: str) -> None:
    if not reason.strip():
        raise InvalidInput("请填写停电原因（坐席会告诉来电客户）", "give the reason (agents tell it to callers)",
                           field="reason")
    check_text("outage_event.reason", reason)


def notice_warnings(kind: OutageKind, starts_at: datetime, announced_at: datetime, has_important: bool,
                    rules: NoticeRules) -> tuple[NoticeWarning, ...]:
    """The notice periods this outage misses (empty when it is announced in time)."""
    given = starts_at - announced_at
    if kind is OutageKind.planned and given < rules.planned:
        return (NoticeWarning(
            "short_notice",
            f"计划检修须提前 {_days_zh(rules.planned)}通知，现仅提前 {_span_zh(given)}",
            f"planned maintenance needs {_span_en(rules.planned)} notice; this gives {_span_en(given)}",
            rules.planned, given),)
    if kind is OutageKind.temporary and has_important and given < rules.temporary:
        return (NoticeWarning(
            "short_notice_important",
            f"临时检修须提前 {_span_zh(rules.temporary)}通知重要客户，现仅提前 {_span_zh(given)}",
            f"temporary maintenance needs {_span_en(rules.temporary)} notice to important customers; "
            f"this gives {_span_en(given)}", rules.temporary, given),)
    return ()


def notice_warning_text(warnings: Sequence[NoticeWarning]) -> str | None:
    """What an event keeps of its missed notice periods (`OutageEvent.notice_warning`): zh / en, None when none."""
    return " ".join(f"{w.message_zh} / {w.message_en}" for w in warnings) or None


def _days_zh(span: timedelta) -> str:
    return f"{span.days} 天" if span.days and not span.seconds else _span_zh(span)


def _span_zh(span: timedelta) -> str:
    if span <= timedelta(0):
        return "0 小时（已开始）"
    hours = int(span.total_seconds() // 3600)
    return f"{hours // 24} 天 {hours % 24} 小时" if hours >= 24 else f"{hours} 小时"


def _span_en(span: timedelta) -> str:
    if span <= timedelta(0):
        return "no notice (already started)"
    hours = int(span.total_seconds() // 3600)
    return f"{hours // 24} d {hours % 24} h" if hours >= 24 else f"{hours} h"


@dataclass(frozen=True)
class Affected:
    """Who an event on these devices leaves without power: important customers first."""

    accounts: tuple[str, ...]
    important: tuple[str, ...]

    @property
    def listed(self) -> tuple[str, ...]:
        important = set(self.important)
        return self.important + tuple(a for a in self.accounts if a not in important)


def affected(grid: Grid, device_ids: Sequence[str]) -> Affected:
    accounts = tuple(sorted({a for d in device_ids for a in grid.accounts_under(d)}))
    return Affected(accounts, tuple(a for a in accounts if grid.points[a].important))


def event_for_account(grid: Grid, account_id: str, live: Sequence[tuple[str, Sequence[str]]]) -> str | None:
    """The live event (id, devices) whose area holds the account: the one on the lowest device when events
    nest, so a caller hears the most specific reason. None outside every event."""
    transformer = grid.transformer_of(account_id)
    return None if transformer is None else event_on_path(grid.path_up(transformer), live)


def event_on_path(path: Sequence[str], live: Sequence[tuple[str, Sequence[str]]]) -> str | None:
    """The event (id, devices) on the lowest device of `path` (a 台区 up to its feeder), or None."""
    best: tuple[int, str] | None = None
    for event_id, devices in live:
        for device in devices:
            if device in path and (best is None or list(path).index(device) < best[0]):
                best = (list(path).index(device), event_id)
    return best[1] if best else None
