"""In-office integrity of what desks push: the server decides who did it and when, checks ownership,
and refuses references across offices. The rules themselves live in domain.roles."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend.store import row_to_wire
from backend.sync.mutation_kit import Rejected, Tx
from domain.roles import may_edit_note, may_work_stage

# A record's fields that point at another office-scoped row, and the kind they point at.
REFERENCES: dict[str, str] = {
    "customer_id": "customer",
    "account_id": "account",
    "ticket_id": "ticket",
    "linked_ticket_id": "ticket",
    "outage_event_id": "outage_event",
}
# Kinds whose `staff_id` names who did it: always the session's staff, whatever the desk sent.
ACTOR_FIELDS: dict[str, str] = {"interaction": "staff_id", "verification": "staff_id", "note": "author_id"}


def server_actor(tx: Tx, entity: str) -> dict[str, object]:
    """The server-owned actor field of a create (empty for kinds that have none)."""
    name = ACTOR_FIELDS.get(entity)
    return {name: tx.who.staff_id} if name is not None else {}


def check_references(tx: Tx, office_id: str, values: Mapping[str, Any]) -> None:
    """Refuse a record that points at a customer, account or ticket of another office."""
    for name, kind in REFERENCES.items():
        target = values.get(name)
        if not isinstance(target, str) or not target:
            continue
        row = tx.writer.get(kind, target)
        if row is not None and row.office_id != office_id:
            raise Rejected("cross_office", f"不能引用其他营业单位的记录（{name}）/ "
                                           f"{name} refers to a record of another office")
    transformer = values.get("transformer_id")  # an account's place in the grid (docs/outage.md)
    if isinstance(transformer, str) and transformer:
        device = tx.writer.get("grid_device", transformer)
        if device is None or device.device_kind != "transformer":
            raise Rejected("invalid_input", "台区不存在 / transformer_id names no transformer area")
        if device.office_id != office_id:
            raise Rejected("cross_office", "不能引用其他营业单位的台区 / a transformer area of another office")


def check_update(tx: Tx, kind: str, row: Any, fields: Mapping[str, Any]) -> None:
    """Ownership of an update: a stage's result is its department's, a note is its author's;
    a changed reference stays in the row's office."""
    if kind == "stage_task" and not may_work_stage(tx.who.role, tx.who.department, row.department):
        raise Rejected("forbidden", "此环节属于其他部门 / this stage belongs to another department",
                       row_to_wire(kind, row))
    if kind == "note" and not may_edit_note(tx.who.staff_id, row.author_id):
        raise Rejected("forbidden", "只有作者可以修改备注 / only the author may rewrite a note", row_to_wire(kind, row))
    check_references(tx, row.office_id, fields)
