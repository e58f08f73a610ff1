"""Field-level merge of a desk's update with the server's current row.

A field whose server value still equals the desk's base value takes the desk's value.
Otherwise the field's policy decides: `server_wins` keeps the server value and reports
a conflict for the desk's conflicts inbox; `client_wins` takes the desk's value (last
writer wins, for free text where losing an edit is worse than overwriting one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from domain.sync import FieldConflict

FieldPolicy = Literal["server_wins", "client_wins"]

# What a desk may change with an `update`; states move only by transition intents and
# server-owned fields (number, version, deadlines) never by a desk.
EDITABLE_FIELDS: dict[str, dict[str, FieldPolicy]] = {
    "customer": {
        "name": "server_wins",
        "phone": "server_wins",
        "address": "server_wins",
        "customer_class": "server_wins",
        "area_class": "server_wins",
    },
    "account": {"address": "server_wins", "segment": "server_wins"},
    "ticket": {
        "summary": "client_wins",
        "fields": "server_wins",
        "materials": "server_wins",
        "account_id": "server_wins",
        "satisfaction": "server_wins",
    },
    "stage_task": {"assignee_id": "server_wins", "result": "server_wins"},
    "survey_assignment": {
        "surveyor_id": "server_wins",
        "start": "server_wins",
        "end": "server_wins",
        "mode": "server_wins",
        "territory": "server_wins",  # the dispatcher overrides what the intake address gave
    },
    "note": {"body": "client_wins"},
    # A meeting's record is the chair's: the last save wins (docs/coordination.md).
    "meeting": {"items": "client_wins", "decisions": "client_wins", "title": "client_wins"},
    # The reason told to callers and the estimated restoration are kept current by repair command (docs/outage.md).
    "outage_event": {"reason": "server_wins", "ends_at": "server_wins"},
    # Only carried by the 办结 transition (no update of an action is accepted: domain.roles).
    "supervision_action": {"result": "server_wins"},
    # Only carried by the 已补齐 / 撤回 transitions of a 补充材料/信息 request (domain.info_requests).
    "info_request": {"met_note": "server_wins", "withdrawn_reason": "server_wins"},
}


@dataclass
class MergeOutcome:
    apply: dict[str, Any] = field(default_factory=dict)
    conflicts: list[FieldConflict] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.apply)


def merge_update(
    entity: str, current: dict[str, Any], base: dict[str, Any], mine: dict[str, Any]
) -> MergeOutcome:
    """Decide field by field what of `mine` lands on `current`; raises KeyError for a field not editable."""
    policies = EDITABLE_FIELDS.get(entity, {})
    outcome = MergeOutcome()
    for name, value in mine.items():
        policy = policies[name]
        theirs = current.get(name)
        if theirs == value:
            continue
        if (name in base and base[name] == theirs) or policy == "client_wins":
            outcome.apply[name] = value
        else:
            outcome.conflicts.append(
                FieldConflict(field=name, base=base.get(name), mine=value, theirs=theirs)
            )
    return outcome


def not_editable(entity: str, fields: dict[str, Any]) -> list[str]:
    """The names in `fields` a desk may not change on `entity` (empty when all are allowed)."""
    allowed = EDITABLE_FIELDS.get(entity, {})
    return sorted(name for name in fields if name not in allowed)
