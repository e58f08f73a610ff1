"""Coordination meetings and 督办 actions on the desk (docs/coordination.md): recorded and closed here, each
change queued for the server in the same transaction; the same rules as the server (domain.supervision,
domain.states) are asked first, so bad input stores nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import uuid6
from sqlalchemy import select

from domain import supervision
from domain.errors import InvalidInput
from domain.records import Meeting, SupervisionAction
from local_store.actions import DeskActions, _build
from local_store.reading import ReadSide
from local_store.schema import ENTITY_TABLES

_action = ENTITY_TABLES["supervision_action"]
_meeting = ENTITY_TABLES["meeting"]


class Supervision(DeskActions, ReadSide):
    def record_meeting(self, *, office_id: str, meeting_kind: str, held_on: date, title: str = "",
                       items: list[dict[str, Any]] | None = None, decisions: str = "",
                       chair_id: str | None = None) -> Meeting:
        """A coordination meeting as held: its list's items and its decisions (queued as a create)."""
        now = self._clock()
        supervision.check_meeting(meeting_kind, held_on, supervision.office_day(now))
        meeting = _build(Meeting, {
            "id": str(uuid6.uuid7()), "office_id": office_id, "meeting_kind": meeting_kind, "held_on": held_on,
            "title": title.strip(), "items": list(items or []), "decisions": decisions.strip(),
            "chair_id": chair_id, "created_at": now,
        })
        with self._write() as connection:
            self._create(connection, meeting)
        return meeting

    def create_action(self, *, office_id: str, title: str, department: str, due_on: date, detail: str = "",
                      meeting_id: str | None = None, source: dict[str, Any] | None = None,
                      ticket_ids: list[str] | None = None, created_by: str | None = None) -> SupervisionAction:
        """A 督办 for a department, due on `due_on` (raises InvalidInput, storing nothing, when a field is wrong)."""
        now = self._clock()
        cleaned = supervision.check_action(title, department, due_on, now)
        with self._write() as connection:
            if meeting_id is not None:
                self._require(connection, "meeting", meeting_id)
            action = _build(SupervisionAction, {
                "id": str(uuid6.uuid7()), "office_id": office_id, "meeting_id": meeting_id, "title": cleaned,
                "detail": detail.strip(), "department": department, "due_on": due_on, "state": supervision.OPEN,
                "source": dict(source or {}), "ticket_ids": list(dict.fromkeys(ticket_ids or [])),
                "created_by": created_by, "created_at": now,
            })
            self._create(connection, action)
            return action

    def close_action(self, action_id: str, result: str, *, role: str, department: str | None) -> SupervisionAction:
        """办结: the department's result note closes the action (open → done)."""
        from domain.roles import may_close_action

        note = supervision.check_result(result)
        current = self.supervision_action(action_id)
        if current is None:
            raise InvalidInput("找不到督办事项", "no such action", field="id")
        if not may_close_action(role, department, current.department):
            raise InvalidInput("此督办属于其他部门", "this action belongs to another department", field="department")
        closed = self.transition("supervision_action", action_id, supervision.DONE, role,
                                 fields={"result": note})
        assert isinstance(closed, SupervisionAction)
        return closed

    def cancel_action(self, action_id: str, reason: str, *, role: str) -> SupervisionAction:
        cancelled = self.transition("supervision_action", action_id, supervision.CANCELLED, role, reason=reason.strip())
        assert isinstance(cancelled, SupervisionAction)
        return cancelled

    # ---- reads ----

    def supervision_action(self, action_id: str) -> SupervisionAction | None:
        found = self._one("supervision_action", action_id)
        return found if isinstance(found, SupervisionAction) else None

    def supervision_actions(self, office_id: str, *, department: str | None = None,
                            states: tuple[str, ...] | None = None, limit: int = 2000) -> list[SupervisionAction]:
        """An office's actions (one department's when named), open ones first, then by due day."""
        statement = select(_action).where(_action.c.office_id == office_id)
        if department is not None:
            statement = statement.where(_action.c.department == department)
        if states is not None:
            statement = statement.where(_action.c.state.in_(states))
        statement = statement.order_by((_action.c.state != supervision.OPEN), _action.c.due_on,
                                       _action.c.created_at.desc()).limit(limit)
        return self._many("supervision_action", statement)

    def meetings(self, office_id: str, limit: int = 200) -> list[Meeting]:
        statement = (select(_meeting).where(_meeting.c.office_id == office_id)
                     .order_by(_meeting.c.held_on.desc(), _meeting.c.created_at.desc()).limit(limit))
        return self._many("meeting", statement)

    def meeting(self, meeting_id: str) -> Meeting | None:
        found = self._one("meeting", meeting_id)
        return found if isinstance(found, Meeting) else None



