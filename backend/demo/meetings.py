"""The demo office's coordination (docs/coordination.md): last week's 周例会 and the 督办 it raised — one
closed by its department with a result, one past its due day, one still running — so the supervisor's
督办跟踪 and a department's 我的督办 open on real work. Deterministic from the seed."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Any

from backend.demo import ids
from domain.records import Meeting, Office, StageTask, SupervisionAction, Ticket
from domain.sla import OFFICE_ZONE

_ACTIVE = ("open", "taken", "returned", "transferred", "escalated")


def demo_coordination(seed: int, office: Office, supervisor_id: str | None, departments: dict[str, str],
                      tickets: Sequence[Ticket],
                      tasks: Sequence[StageTask], now: datetime) -> tuple[list[Meeting], list[SupervisionAction]]:
    rng = random.Random(f"coordination:{seed}:{office.id}")
    today = now.astimezone(OFFICE_ZONE).date()
    monday = today - timedelta(days=today.weekday() + 7)  # last week's Monday
    held = datetime.combine(monday, time(9, 30), tzinfo=OFFICE_ZONE)
    mine = {t.id for t in tickets if t.office_id == office.id}

    def stuck_with(department: str) -> list[str]:
        return sorted({t.ticket_id for t in tasks if t.ticket_id in mine and t.department == department
                       and t.state in _ACTIVE})[:2]

    meeting = Meeting(
        id=ids.uuid7_at(rng, held), office_id=office.id, meeting_kind="weekly", held_on=monday,
        title=f"第{monday.isocalendar().week}周例会", chair_id=supervisor_id, created_at=held,
        items=[{"kind": "stuck", "text": "营销受理后勘查派工等待超过两天", "ref": ""},
               {"kind": "stuck", "text": "设计审查环节时长高于基线", "ref": ""},
               {"kind": "note", "text": "计量装表接电预约改为线上", "ref": ""}],
        decisions="营销当周清理积压；设计审查时长专项复盘；计量装表预约月底前上线。",
    )
    common: dict[str, Any] = {"office_id": office.id, "meeting_id": meeting.id, "created_by": supervisor_id, "created_at": held,
              "source": {"kind": "meeting"}}
    actions = [
        SupervisionAction(id=ids.uuid7_at(rng, held), title="清理勘查派工积压", department="marketing",
                          detail="受理后等待勘查超过两天的工单当周清零", due_on=monday + timedelta(days=4),
                          state="done", result="已逐件派工，积压清零；新增每日派工复核", closed_by=departments.get("marketing"),
                          closed_at=held + timedelta(days=3, hours=6), ticket_ids=stuck_with("marketing"), **common),
        SupervisionAction(id=ids.uuid7_at(rng, held), title="设计审查时长专项复盘", department="design",
                          detail="找出审查时长高于基线的原因，提出压缩措施", due_on=today - timedelta(days=2),
                          ticket_ids=stuck_with("design"), **common),
        SupervisionAction(id=ids.uuid7_at(rng, held), title="装表接电线上预约上线", department="metering",
                          detail="月底前上线线上预约，减少客户跑腿", due_on=today + timedelta(days=10),
                          ticket_ids=stuck_with("metering"), **common),
    ]
    return [meeting], actions
