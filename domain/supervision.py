"""Coordination meetings and their 督办 actions: the rules both sides ask (docs/coordination.md).

An action is late when it is still open after its due day, counted in the office's days (Asia/Shanghai):
due on the 10th, it is late from 00:00 on the 11th. The server's reminder fires at that instant, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Protocol, TypeVar

from domain.errors import InvalidInput
from domain.roles import Department
from domain.sla import OFFICE_ZONE

MEETING_KINDS: dict[str, tuple[str, str]] = {
    "daily": ("日常协商", "daily coordination"),
    "weekly": ("周例会", "weekly meeting"),
    "monthly": ("月调度", "monthly dispatch meeting"),
}
OPEN = "open"
DONE = "done"
CANCELLED = "cancelled"
ACTION_LONGEST = timedelta(days=366)  # a 督办 due further out than a year is a plan, not an action
RANGE_LONGEST_DAYS = 366  # a coordination list covers at most a year
ACTION_SOURCES = frozenset({"alert", "coordination", "meeting", "manual"})


class _Dated(Protocol):
    @property
    def state(self) -> str: ...

    @property
    def due_on(self) -> date: ...


A = TypeVar("A", bound=_Dated)


def office_day(moment: datetime) -> date:
    return moment.astimezone(OFFICE_ZONE).date()


def late_from(due_on: date) -> datetime:
    """The first instant an open action due on `due_on` is late: the start of the next office day."""
    return datetime.combine(due_on + timedelta(days=1), time.min, tzinfo=OFFICE_ZONE)


def is_late(state: str, due_on: date, now: datetime) -> bool:
    """Open past its due day (a closed or cancelled action is never late)."""
    return state == OPEN and now >= late_from(due_on)


def days_late(state: str, due_on: date, now: datetime) -> int:
    """Whole office days past the due day (0 when not late)."""
    return max((office_day(now) - due_on).days, 0) if is_late(state, due_on, now) else 0


def check_action(title: str, department: str, due_on: date, created_at: datetime) -> str:
    """A new 督办's own fields: a title, a department of the catalogue, a due day from the day it is made up to
    a year on. Returns the title stripped; raises InvalidInput naming the field."""
    cleaned = (title or "").strip()
    if not cleaned:
        raise InvalidInput("请填写督办事项", "the action needs a title", field="title")
    if department not in {str(d) for d in Department}:
        raise InvalidInput("请选择承办部门", "choose the department that carries the action out", field="department")
    made = office_day(created_at)
    if due_on < made:
        raise InvalidInput(f"办结期限不能早于今天（{made.isoformat()}）",
                           f"the due day cannot be before today ({made.isoformat()})", field="due_on")
    if due_on > made + ACTION_LONGEST:
        raise InvalidInput("办结期限不能超过一年", "the due day cannot be more than a year away", field="due_on")
    return cleaned


def check_result(result: str | None) -> str:
    """The department's result note when it closes an action: required."""
    cleaned = (result or "").strip()
    if not cleaned:
        raise InvalidInput("办结须填写办理结果", "closing an action needs a note of what was done", field="result")
    return cleaned


def check_meeting(kind: str, held_on: date, today: date) -> None:
    if kind not in MEETING_KINDS:
        raise InvalidInput("会议类型须为日常协商、周例会或月调度", "the meeting is daily, weekly or monthly",
                           field="meeting_kind")
    if held_on > today + timedelta(days=31):
        raise InvalidInput("会议日期不能晚于一个月后", "the meeting day cannot be more than a month ahead",
                           field="held_on")


def check_range(start: date, end: date, longest_days: int = RANGE_LONGEST_DAYS) -> None:
    """A custom period of the coordination lists: start ≤ end (both days included), at most `longest_days`."""
    if start > end:
        raise InvalidInput("开始日期不能晚于结束日期", "the start day cannot be after the end day", field="start")
    if (end - start).days + 1 > longest_days:
        raise InvalidInput(f"时间范围不能超过 {longest_days} 天", f"the range cannot be longer than {longest_days} days",
                           field="end")


def agenda_order(actions: Iterable[A], now: datetime) -> list[A]:
    """Open actions as they head the next meeting's list: late ones first (longest late first), then by due day."""
    still_open = [a for a in actions if a.state == OPEN]
    return sorted(still_open, key=lambda a: (not is_late(a.state, a.due_on, now), a.due_on))


def meeting_kind_label(kind: str, lang: str = "zh") -> str:
    zh, en = MEETING_KINDS.get(kind, (kind, kind))
    return en if lang.startswith("en") else zh


def open_count(actions: Sequence[_Dated]) -> int:
    return sum(1 for a in actions if a.state == OPEN)
