"""What a person hears about 督办 actions (Qt-free): a new one for my department, one of mine late (the
server's reminder, or the clock passing its due day), one I assigned closed. Compared snapshot to snapshot."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from domain import supervision
from domain.records import Staff, SupervisionAction
from domain.roles import Role, may_supervise
from local_store import Store

NoticeKind = Literal["assigned", "late", "closed"]


@dataclass(frozen=True)
class ActionNotice:
    kind: NoticeKind
    action: SupervisionAction


@dataclass(frozen=True)
class ActionSnapshot:
    at: datetime
    actions: Mapping[str, SupervisionAction]
    before_first_sync: bool = False  # read before the desk's first pull: not a baseline for "new"


def follows(staff: Staff) -> bool:
    """Department staff follow their department's actions, supervisors the office's; nobody else any."""
    return (staff.role == Role.department and staff.department is not None) or may_supervise(staff.role)


def followed_actions(store: Store, staff: Staff) -> list[SupervisionAction]:
    if staff.role == Role.department and staff.department is not None:
        return store.supervision_actions(staff.office_id, department=staff.department)
    if may_supervise(staff.role):
        return store.supervision_actions(staff.office_id)
    return []


def take_snapshot(store: Store, staff: Staff, at: datetime) -> ActionSnapshot:
    return ActionSnapshot(at, {a.id: a for a in followed_actions(store, staff)},
                          before_first_sync=store.last_synced(f"office:{staff.office_id}") is None)


def _late(action: SupervisionAction | None, at: datetime) -> bool:
    if action is None:
        return False
    return supervision.is_late(action.state, action.due_on, at) or (
        action.state == supervision.OPEN and action.reminded_at is not None)


def action_notices(before: ActionSnapshot | None, after: ActionSnapshot, staff: Staff) -> list[ActionNotice]:
    """The news between two snapshots. The first snapshot tells only what is late (a reminder must not be
    missed because the desk was closed when it came); everything else is news only against a baseline."""
    if before is not None and before.before_first_sync:
        before = None  # what the first pull brings is the office's state, not news
    news: list[ActionNotice] = []
    for action in after.actions.values():
        old = before.actions.get(action.id) if before is not None else None
        if before is not None and old is None and action.state == supervision.OPEN \
                and action.created_by != staff.id and staff.role == Role.department:
            news.append(ActionNotice("assigned", action))
        if _late(action, after.at) and not (before is not None and _late(old, before.at)):
            news.append(ActionNotice("late", action))
        if old is not None and old.state == supervision.OPEN and action.state == supervision.DONE \
                and action.closed_by != staff.id and may_supervise(staff.role):
            news.append(ActionNotice("closed", action))
    return news
