"""The rules of coordination meetings and 督办 actions (docs/coordination.md), asked by desk and server alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import supervision
from domain.errors import InvalidInput, InvalidTransition
from domain.roles import may_close_action, may_mutate, may_supervise
from domain.sla import OFFICE_ZONE
from domain.states import allowed_transitions, transition

NOON = datetime(2026, 5, 11, 12, 0, tzinfo=OFFICE_ZONE)


def test_late_from_the_start_of_the_next_office_day() -> None:
    due = date(2026, 5, 11)
    assert not supervision.is_late("open", due, datetime(2026, 5, 11, 23, 59, 59, tzinfo=OFFICE_ZONE))
    assert supervision.is_late("open", due, datetime(2026, 5, 12, 0, 0, tzinfo=OFFICE_ZONE))
    # 23:30 UTC on the 11th is already the 12th in the office: late, although the UTC date is the due day.
    assert supervision.is_late("open", due, datetime(2026, 5, 11, 16, 30, tzinfo=UTC))
    assert not supervision.is_late("done", due, datetime(2026, 6, 1, tzinfo=OFFICE_ZONE))
    assert not supervision.is_late("cancelled", due, datetime(2026, 6, 1, tzinfo=OFFICE_ZONE))
    assert supervision.days_late("open", due, datetime(2026, 5, 14, 9, 0, tzinfo=OFFICE_ZONE)) == 3
    assert supervision.days_late("open", due, NOON) == 0


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
       st.integers(min_value=-3 * 24 * 60, max_value=3 * 24 * 60))
def test_late_agrees_with_the_office_day(due: date, minutes: int) -> None:
    now = datetime.combine(due, datetime.min.time(), tzinfo=OFFICE_ZONE) + timedelta(minutes=minutes)
    assert supervision.is_late("open", due, now) == (now.astimezone(OFFICE_ZONE).date() > due)


def test_an_action_closes_once_by_its_department_and_is_cancelled_by_a_supervisor_with_a_reason() -> None:
    assert transition("supervision_action", "open", "done", "department") == "done"
    assert transition("supervision_action", "open", "done", "supervisor") == "done"
    with pytest.raises(InvalidTransition):
        transition("supervision_action", "open", "done", "clerk")
    with pytest.raises(InvalidTransition):
        transition("supervision_action", "open", "cancelled", "department", "不办")
    with pytest.raises(InvalidTransition):
        transition("supervision_action", "open", "cancelled", "supervisor")  # a reason is required
    with pytest.raises(InvalidTransition):
        transition("supervision_action", "done", "open", "supervisor")  # closed is final
    assert allowed_transitions("supervision_action", "open", "department") == ["done"]
    assert allowed_transitions("supervision_action", "open", "supervisor") == ["done", "cancelled"]


def test_who_may_do_what() -> None:
    assert may_supervise("supervisor") and may_supervise("admin")
    assert not any(may_supervise(role) for role in ("clerk", "hotline", "dispatcher", "department", "manager"))
    assert may_mutate("supervisor", "supervision_action", "create")
    assert not may_mutate("clerk", "supervision_action", "create")
    assert not may_mutate("manager", "meeting", "create")
    assert not may_mutate("supervisor", "supervision_action", "update")  # an action changes by transition only
    assert may_close_action("department", "marketing", "marketing")
    assert not may_close_action("department", "design", "marketing")
    assert not may_close_action("department", None, "marketing")
    assert may_close_action("supervisor", None, "marketing")
    assert not may_close_action("clerk", None, "marketing")


def test_an_action_needs_a_title_a_department_and_a_due_day_within_a_year() -> None:
    made = datetime(2026, 5, 11, 1, 0, tzinfo=OFFICE_ZONE)
    assert supervision.check_action(" 清理积压 ", "marketing", date(2026, 5, 11), made) == "清理积压"
    for title, department, due, field in (
        (" ", "marketing", date(2026, 5, 12), "title"),
        ("x", "hr", date(2026, 5, 12), "department"),
        ("x", "marketing", date(2026, 5, 10), "due_on"),
        ("x", "marketing", date(2027, 5, 13), "due_on"),
    ):
        with pytest.raises(InvalidInput) as refused:
            supervision.check_action(title, department, due, made)
        assert refused.value.field == field
    with pytest.raises(InvalidInput):
        supervision.check_result("   ")
    assert supervision.check_result(" 已办结 ") == "已办结"


def test_a_custom_range_is_ordered_and_bounded() -> None:
    supervision.check_range(date(2026, 1, 1), date(2026, 1, 1))
    supervision.check_range(date(2026, 1, 1), date(2026, 12, 31))  # 365 days
    with pytest.raises(InvalidInput) as backwards:
        supervision.check_range(date(2026, 2, 1), date(2026, 1, 1))
    assert "开始日期不能晚于结束日期" in backwards.value.message_zh
    with pytest.raises(InvalidInput) as too_long:
        supervision.check_range(date(2026, 1, 1), date(2027, 1, 2))  # 367 days
    assert "366" in too_long.value.message_zh


@dataclass
class _Action:
    state: str
    due_on: date
    name: str


def test_open_actions_head_the_next_list_late_ones_first() -> None:
    actions = [_Action("open", date(2026, 5, 20), "later"), _Action("done", date(2026, 5, 1), "closed"),
               _Action("open", date(2026, 5, 5), "late"), _Action("open", date(2026, 5, 11), "today"),
               _Action("cancelled", date(2026, 5, 2), "dropped"), _Action("open", date(2026, 5, 9), "late2")]
    assert [a.name for a in supervision.agenda_order(actions, NOON)] == ["late", "late2", "today", "later"]
