"""Generic mutations: create of plain records, field-level merged updates, audit entries."""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError

from backend.audit import append_audit
from backend.integrity import check_references, check_update, server_actor
from backend.store import row_to_wire, validated_changes
from backend.sync.mutation_kit import Rejected, Tx, applied, handles, load, refuse_existing, require_scope
from domain.merge import merge_update, not_editable
from domain.records import RECORD_TYPES, Record
from domain.sync import Mutation, MutationResult

# Entities a desk creates as plain records (tickets have their own handler in the workflow engine).
PLAIN_CREATES = ("customer", "account", "interaction", "verification", "note")


def build_record(tx: Tx, mutation: Mutation, **server_fields: object) -> Record:
    """The record a create describes, with server-owned fields forced; rejected when invalid."""
    data = dict(mutation.fields)
    data.pop("version", None)
    data.pop("updated_at", None)
    data["id"] = mutation.entity_id
    data.setdefault("office_id", tx.who.office_id)
    data.update(server_fields)
    require_scope(tx, str(data["office_id"]))
    check_references(tx, str(data["office_id"]), data)
    try:
        return RECORD_TYPES[mutation.entity].model_validate(data)
    except ValidationError as error:
        raise Rejected("invalid_input", f"记录内容无效 / invalid {mutation.entity}: {_first(error)}") from None


def _first(error: ValidationError) -> str:
    first = error.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"


def create_plain(tx: Tx, mutation: Mutation) -> MutationResult:
    refuse_existing(tx, mutation, "记录已存在 / a record with this id exists")
    record = build_record(tx, mutation, **server_actor(tx, mutation.entity))  # who did it: the session's staff
    row = tx.writer.insert(record)
    return applied(mutation, mutation.entity, row)


for _entity in PLAIN_CREATES:
    handles(_entity, "create")(create_plain)


def update_merged(tx: Tx, mutation: Mutation) -> MutationResult:
    """Field-level merge with the server row; conflicting fields keep the server value."""
    kind = mutation.entity
    row = load(tx, kind, mutation.entity_id)
    check_update(tx, kind, row, mutation.fields)
    refused = not_editable(kind, mutation.fields)
    if refused:
        raise Rejected(
            "not_editable",
            f"这些字段不能修改 / these fields cannot be edited: {', '.join(refused)}",
            row_to_wire(kind, row),
        )
    current = row_to_wire(kind, row)
    outcome = merge_update(kind, current, mutation.base, mutation.fields)
    if outcome.changed:
        try:
            changes = validated_changes(kind, row, outcome.apply)
        except ValidationError as error:
            raise Rejected("invalid_input", f"字段值无效 / invalid value: {_first(error)}", current) from None
        tx.writer.update(kind, row, changes)
    result = applied(mutation, kind, row)
    if outcome.conflicts:
        return result.model_copy(update={"status": "merged", "conflicts": outcome.conflicts})
    return result


for _entity in ("customer", "account", "ticket", "stage_task", "note"):  # survey_assignment: backend.survey_booking
    handles(_entity, "update")(update_merged)


@handles("audit", "create")
def create_audit(tx: Tx, mutation: Mutation) -> MutationResult:
    fields = mutation.fields
    action = fields.get("action")
    if not isinstance(action, str) or not action:
        raise Rejected("invalid_input", "审计记录缺少动作 / an audit entry needs an action")
    at_text = fields.get("at")
    try:
        at = datetime.fromisoformat(at_text) if isinstance(at_text, str) else tx.now
    except ValueError:
        raise Rejected("invalid_input", "审计时间无效 / invalid audit time") from None
    if at.tzinfo is None:
        raise Rejected("invalid_input", "审计时间须带时区 / the audit time needs a time zone")
    detail = fields.get("detail") if isinstance(fields.get("detail"), dict) else {}
    subject = fields.get("subject")
    append_audit(
        tx.session,
        office_id=tx.who.office_id,
        staff_id=tx.who.staff_id,
        action=action[:64],
        subject=str(subject)[:128] if subject is not None else None,
        detail={**detail, "desk_at": at.isoformat()} if isinstance(at_text, str) else detail or {},
        at=tx.now,  # the server's time: a desk cannot back-date an entry (its own clock is kept in the detail)
        now=tx.now,
    )
    return MutationResult(
        mutation_id=mutation.mutation_id, status="applied", entity="audit", entity_id=mutation.entity_id
    )
