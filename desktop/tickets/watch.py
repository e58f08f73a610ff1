"""What deserves a notification, found by comparing two snapshots of the stages a person follows (Qt-free).

A snapshot is the stage tasks of the open tickets someone follows (accepted by them, or with a
stage of their department or in their hands) and the moment it was taken; the deadlines are
judged with domain.sla at that moment, so a clock tick alone can raise a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from desktop.tickets.progress import task_sla
from desktop.tickets.store_reads import ACTIVE_TASK_STATES
from domain import sla
from domain.records import Staff, StageTask

NoticeKind = Literal["landed", "waited_done", "warning", "overdue"]


@dataclass(frozen=True)
class Snapshot:
    at: datetime
    tasks: Mapping[str, StageTask]
    numbers: Mapping[str, str]  # ticket id -> the number people read
    type_codes: Mapping[str, str]  # ticket id -> ticket type (for stage names)
    # Taken before the desk's first finished sync of the office: what arrives next was there before, not news.
    before_first_sync: bool = False

    @property
    def ticket_ids(self) -> set[str]:
        return {task.ticket_id for task in self.tasks.values()}

    def at_time(self, moment: datetime) -> Snapshot:
        return replace(self, at=moment)


@dataclass(frozen=True)
class Notice:
    kind: NoticeKind
    task: StageTask
    number: str
    type_code: str


def in_my_queue(task: StageTask, staff: Staff) -> bool:
    """An active stage in my hands, or waiting unassigned (or for me) in my department."""
    if task.state not in ACTIVE_TASK_STATES:
        return False
    if task.assignee_id == staff.id:
        return True
    return staff.department is not None and task.department == staff.department and task.assignee_id is None


def notices(before: Snapshot | None, after: Snapshot, staff: Staff) -> list[Notice]:
    """The news between two snapshots; the first snapshot is a baseline and raises nothing, and so is one
    taken before the desk first caught up (a new desk's initial sync is not a flood of 新任务)."""
    if before is None or before.before_first_sync:
        return []
    found: list[Notice] = []
    for task in after.tasks.values():
        number, type_code = after.numbers.get(task.ticket_id, ""), after.type_codes.get(task.ticket_id, "")
        old = before.tasks.get(task.id)
        if in_my_queue(task, staff):
            if old is None or not in_my_queue(old, staff):
                found.append(Notice("landed", task, number, type_code))
                continue
            was, now = task_sla(old, before.at), task_sla(task, after.at)
            if now is sla.SlaState.OVERDUE and was is not sla.SlaState.OVERDUE:
                found.append(Notice("overdue", task, number, type_code))
            elif now is sla.SlaState.WARNING and was in (None, sla.SlaState.ON_TIME):
                found.append(Notice("warning", task, number, type_code))
        elif (task.state == "done" and task.department != staff.department and task.assignee_id != staff.id
              and task.ticket_id in before.ticket_ids and (old is None or old.state != "done")):
            found.append(Notice("waited_done", task, number, type_code))
    return found
