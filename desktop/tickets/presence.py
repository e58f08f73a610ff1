"""Who else has this ticket open (Qt-free): which activity this desk reports, and the line naming the others.

The detail sends a heartbeat every HEARTBEAT_SECONDS and asks the server who else sent one lately
(docs/api.md: /api/v1/presence); names are masked like every other name on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from domain.masking import mask_name
from domain.records import Staff

HEARTBEAT_SECONDS = 10
Activity = Literal["viewing", "editing"]


def choose_activity(*, dialog_open: bool, note_focused: bool, note_drafted: bool) -> Activity:
    """Editing while a task dialog is open or a note is being written, viewing otherwise."""
    return "editing" if dialog_open or note_focused or note_drafted else "viewing"


@dataclass(frozen=True)
class Colleague:
    staff_id: str
    display_name: str
    activity: Activity
    department: str | None = None


def colleagues_here(answer: Iterable[Mapping[str, Any]], staff: Iterable[Staff], me: str) -> list[Colleague]:
    """One entry per colleague (not me) in the server's order; editing wins over viewing across their sessions."""
    departments = {s.id: s.department for s in staff}
    found: dict[str, Colleague] = {}
    for row in answer:
        staff_id = str(row.get("staff_id", ""))
        if not staff_id or staff_id == me:
            continue
        activity: Activity = "editing" if row.get("activity") == "editing" else "viewing"
        known = found.get(staff_id)
        if known is not None and (known.activity == "editing" or activity == "viewing"):
            continue
        found[staff_id] = Colleague(staff_id, str(row.get("display_name") or ""), activity, departments.get(staff_id))
    return list(found.values())


@dataclass(frozen=True)
class PresenceWords:
    """The translated pieces of the line; `%1` is the list of names, `%2` a department."""

    viewing: str = "也在查看：%1"
    editing: str = "正在编辑：%1"
    with_department: str = "%1（%2）"
    name_separator: str = "、"
    part_separator: str = " / "


def presence_text(people: Sequence[Colleague], words: PresenceWords,
                  department_name: Callable[[str], str]) -> str:
    """"也在查看：张**（营销） / 正在编辑：李**", or "" when nobody else is here."""

    def person(colleague: Colleague) -> str:
        name = mask_name(colleague.display_name) or colleague.staff_id[:8]
        department = department_name(colleague.department) if colleague.department else ""
        return words.with_department.replace("%1", name).replace("%2", department) if department else name

    parts = []
    for activity, template in (("viewing", words.viewing), ("editing", words.editing)):
        names = [person(c) for c in people if c.activity == activity]
        if names:
            parts.append(template.replace("%1", words.name_separator.join(names)))
    return words.part_separator.join(parts)
