"""Coordination meetings and 督办 actions over real HTTP (docs/coordination.md), on SQLite and PostgreSQL:
who may record and close them, bad input refused with nothing stored, the late reminder with a moved clock,
and the rows reaching another desk of the office by pull (and no desk of another office)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from domain.sla import OFFICE_ZONE
from domain.supervision import is_late
from tests.backend.desk import FIXED_NOW, Desk
from tests.harness.processes import ServerProcess

DeskFactory = Callable[[str], Desk]
TODAY = FIXED_NOW.astimezone(OFFICE_ZONE).date()


def action_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "title": "清理营销环节超期积压", "detail": "超期积压 23 件，上限 20 件", "department": "marketing",
        "due_on": (TODAY + timedelta(days=2)).isoformat(), "created_at": FIXED_NOW.isoformat(),
        "source": {"kind": "alert", "indicator": "overdue_backlog", "slice": {}}, "ticket_ids": [],
    }
    fields.update(overrides)
    return fields


def create_action(desk: Desk, **overrides: Any) -> dict[str, Any]:
    (result,) = desk.push(desk.mutation("supervision_action", "create", fields=action_fields(**overrides)))
    return result


def close(desk: Desk, action_id: str, result: str | None, to: str = "done", reason: str | None = None,
          ) -> dict[str, Any]:
    fields = {"result": result} if result is not None else {}
    (answer,) = desk.push(desk.mutation("supervision_action", "transition", action_id, fields=fields,
                                        transition={"from_state": "open", "to_state": to, "reason": reason}))
    return answer


def stored(desk: Desk, action_id: str) -> dict[str, Any] | None:
    rows, _ = desk.pull_all(f"office:{desk.office}")
    return rows.get(("supervision_action", action_id))


def test_a_supervisor_assigns_and_the_department_closes_with_a_result(desk: DeskFactory) -> None:
    boss, marketing = desk("supervisor_a"), desk("marketing_a")
    created = create_action(boss, created_by="someone-else")
    assert created["status"] == "applied", created
    record = created["record"]
    assert record["state"] == "open" and record["created_by"] == boss.session["staff"]["id"]  # the server says who

    # Another desk of the office receives it by pull; a desk of another office does not.
    seen = stored(marketing, created["entity_id"])
    assert seen is not None and seen["department"] == "marketing" and seen["due_on"] == action_fields()["due_on"]
    other = desk("clerk_b")
    other_office, _ = other.pull_all(f"office:{other.office}")
    assert ("supervision_action", created["entity_id"]) not in other_office

    refused = close(marketing, created["entity_id"], "   ")  # 办结 needs a result note
    assert refused["status"] == "rejected" and refused["code"] == "invalid_input" and "办理结果" in refused["reason"]
    assert stored(boss, created["entity_id"])["state"] == "open"  # type: ignore[index]

    done = close(marketing, created["entity_id"], "已逐件核查，积压清零")
    assert done["status"] == "applied", done
    after = stored(boss, created["entity_id"])
    assert after is not None and after["state"] == "done" and after["result"] == "已逐件核查，积压清零"
    assert after["closed_by"] == marketing.session["staff"]["id"] and after["closed_at"] is not None
    again = close(marketing, created["entity_id"], "再次办结")
    assert again["status"] == "rejected" and again["code"] == "stale_state"

    entries = boss.client.get("/api/v1/audit", params={"limit": 1000}, headers=boss.headers).json()["entries"]
    actions = {(e["action"], e["subject"]) for e in entries}
    assert ("supervision_action.create", created["entity_id"]) in actions
    assert ("supervision_action.done", created["entity_id"]) in actions


def test_who_may_do_what(desk: DeskFactory) -> None:
    boss, clerk, marketing, manager = desk("supervisor_a"), desk("clerk_a"), desk("marketing_a"), desk("manager_a")
    for staff in (clerk, marketing, manager):
        refused = create_action(staff)
        assert refused["status"] == "rejected" and refused["code"] == "forbidden", refused
        assert stored(boss, refused["entity_id"]) is None

    design = create_action(boss, department="design", title="设计审查超时复盘")
    assert design["status"] == "applied"
    not_theirs = close(marketing, design["entity_id"], "不是本部门的")
    assert not_theirs["status"] == "rejected" and not_theirs["code"] == "forbidden"
    assert "其他部门" in not_theirs["reason"]
    clerk_close = close(clerk, design["entity_id"], "柜员办结")
    assert clerk_close["status"] == "rejected"
    cancel_by_department = close(marketing, design["entity_id"], None, to="cancelled", reason="不办了")
    assert cancel_by_department["status"] == "rejected"
    no_reason = close(boss, design["entity_id"], None, to="cancelled")
    assert no_reason["status"] == "rejected" and no_reason["code"] == "invalid_transition"
    cancelled = close(boss, design["entity_id"], None, to="cancelled", reason="会上决定并入月调度")
    assert cancelled["status"] == "applied" and cancelled["record"]["reason"] == "会上决定并入月调度"
    assert stored(boss, design["entity_id"])["state"] == "cancelled"  # type: ignore[index]


def test_bad_input_is_refused_and_nothing_is_stored(desk: DeskFactory) -> None:
    boss = desk("supervisor_a")
    for overrides, words in (
        ({"title": "  "}, "督办事项"),
        ({"department": "canteen"}, "承办部门"),
        ({"due_on": (TODAY - timedelta(days=1)).isoformat()}, "不能早于今天"),
        ({"due_on": (TODAY + timedelta(days=400)).isoformat()}, "一年"),
        ({"due_on": "next tuesday"}, "due_on"),
        ({"title": "长" * 201}, "supervision_action.title"),
        ({"meeting_id": "no-such-meeting"}, "会议记录不存在"),
        ({"source": {"kind": "rumour"}}, "来源"),
    ):
        refused = create_action(boss, **overrides)
        assert refused["status"] == "rejected", (overrides, refused)
        assert words in refused["reason"], (overrides, refused["reason"])
        assert stored(boss, refused["entity_id"]) is None


def test_a_meeting_records_items_and_its_actions_name_it(desk: DeskFactory) -> None:
    boss, clerk = desk("supervisor_a"), desk("clerk_a")
    fields = {"meeting_kind": "weekly", "held_on": TODAY.isoformat(), "title": "第10周例会",
              "items": [{"kind": "stuck", "text": "GD001 设计审查超时", "ref": "GD001"}],
              "decisions": "设计部门本周内清理积压", "created_at": FIXED_NOW.isoformat()}
    (meeting,) = boss.push(boss.mutation("meeting", "create", fields=fields))
    assert meeting["status"] == "applied", meeting
    assert meeting["record"]["chair_id"] == boss.session["staff"]["id"]
    (by_clerk,) = clerk.push(clerk.mutation("meeting", "create", fields=fields))
    assert by_clerk["status"] == "rejected" and by_clerk["code"] == "forbidden"
    (bad_kind,) = boss.push(boss.mutation("meeting", "create", fields={**fields, "meeting_kind": "yearly"}))
    assert bad_kind["status"] == "rejected"

    action = create_action(boss, meeting_id=meeting["entity_id"], source={"kind": "meeting"})
    assert action["status"] == "applied" and action["record"]["meeting_id"] == meeting["entity_id"]
    (edited,) = boss.push(boss.mutation("meeting", "update", meeting["entity_id"], base_version=1,
                                        fields={"decisions": "设计部门本周内清理积压；营销部门配合"},
                                        base={"decisions": fields["decisions"]}))
    assert edited["status"] == "applied" and edited["record"]["decisions"].endswith("营销部门配合")
    rows, _ = clerk.pull_all(f"office:{clerk.office}")
    assert rows[("meeting", meeting["entity_id"])]["items"] == fields["items"]


def test_a_late_action_is_reminded_once_at_the_start_of_the_next_office_day(
    clocked_server: ServerProcess,
) -> None:
    start = datetime(2026, 5, 11, 2, 0, tzinfo=OFFICE_ZONE)  # Monday 02:00 in the office
    clocked_server.set_clock(start)
    boss = Desk(clocked_server.url, "supervisor_a")

    def move_clock(to: datetime) -> None:
        clocked_server.set_clock(to)
        boss.login("supervisor_a")  # an access token lives minutes: sign in again at the new time

    try:
        due = start.date()
        fields = action_fields(due_on=due.isoformat(), created_at=start.isoformat())
        (created,) = boss.push(boss.mutation("supervision_action", "create", fields=fields))
        assert created["status"] == "applied", created
        action_id = created["entity_id"]

        move_clock(datetime(2026, 5, 11, 23, 59, tzinfo=OFFICE_ZONE))  # still its due day
        assert stored(boss, action_id)["reminded_at"] is None  # type: ignore[index]
        late_at = datetime(2026, 5, 12, 0, 0, 30, tzinfo=OFFICE_ZONE)
        move_clock(late_at)  # the endpoint runs the due reminders before it answers
        reminded = stored(boss, action_id)
        assert reminded is not None and reminded["state"] == "open"
        assert datetime.fromisoformat(reminded["reminded_at"]) == late_at
        version = reminded["version"]
        move_clock(late_at + timedelta(days=1))  # once only
        assert stored(boss, action_id)["version"] == version  # type: ignore[index]

        entries = boss.client.get("/api/v1/audit", params={"limit": 1000}, headers=boss.headers).json()["entries"]
        late = [e for e in entries if e["action"] == "supervision_action.late" and e["subject"] == action_id]
        assert len(late) == 1 and late[0]["detail"]["supervisors"] == [boss.session["staff"]["id"]]

        # A closed action is never reminded, however late.
        (closed,) = boss.push(boss.mutation("supervision_action", "create", fields=action_fields(
            due_on=(late_at.date()).isoformat(), created_at=late_at.isoformat())))
        assert closed["status"] == "applied", closed
        done = close(boss, closed["entity_id"], "当日办结")
        assert done["status"] == "applied"
        move_clock(late_at + timedelta(days=3))
        assert stored(boss, closed["entity_id"])["reminded_at"] is None  # type: ignore[index]
    finally:
        boss.close()



def test_the_demo_office_holds_last_weeks_meeting_and_its_actions() -> None:
    from backend.demo import generate

    now = datetime(2026, 5, 13, 10, 0, tzinfo=OFFICE_ZONE)  # a Wednesday
    data = generate(7, 40, now=now)
    assert len(data.meetings) == len(data.offices)
    for office in data.offices:
        (meeting,) = [m for m in data.meetings if m.office_id == office.id]
        assert meeting.meeting_kind == "weekly" and meeting.held_on.isoformat() == "2026-05-04"
        actions = [a for a in data.supervision_actions if a.office_id == office.id]
        assert {a.meeting_id for a in actions} == {meeting.id}
        states = sorted((a.state, is_late(a.state, a.due_on, now)) for a in actions)
        assert states == [("done", False), ("open", False), ("open", True)]  # closed, running, late
        done = next(a for a in actions if a.state == "done")
        assert done.result and done.closed_by is not None
    assert generate(7, 40, now=now).supervision_actions == data.supervision_actions  # deterministic
