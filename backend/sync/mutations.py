"""Generic mutations: create of plain records, field-level merged updates, audit entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ValidationError

from backend.audit import append_audit
from backend.integrity import check_references, check_update, server_actor
from backend.outage_links import link_call
from backend.store import row_to_wire, validated_changes
from backend.sync.mutation_kit import Rejected, Tx, applied, handles, load, refuse_existing, require_scope
from domain import bounds, identity
from domain.errors import DomainError, InvalidInput
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
        if mutation.entity == "customer":
            data.update(checked_identity(data))
        record = RECORD_TYPES[mutation.entity].model_validate(data)
        if mutation.entity == "ticket":
            bounds.check_accepted_at("ticket.accepted_at", record.accepted_at, tx.now)  # type: ignore[attr-defined]
    except ValidationError as error:
        raise Rejected("invalid_input", f"记录内容无效 / invalid {mutation.entity}: {_first(error)}") from None
    except DomainError as error:
        raise Rejected("invalid_input", f"{error.message_zh} / {error.message_en}") from None
    return record


def checked_identity(values: dict[str, object]) -> dict[str, object]:
    """A customer's name, ID number (by its type) and phone checked with domain.identity; the
    normalised values of those present (a phone as 11 digits or area-number, an ID upper-cased)."""
    checked: dict[str, object] = {}
    if "name" in values:
        checked["name"] = bounds.check_name("customer.name", _text(values["name"], "customer.name"))
    number = values.get("id_number")
    if number is not None:
        kind = values.get("id_type", "resident")
        text = _text(number, "customer.id_number")
        if kind == "resident":
            checked["id_number"] = identity.validate_resident_id(text).number
        elif kind == "credit_code":
            checked["id_number"] = identity.validate_credit_code(text)
    phone = values.get("phone")
    if phone is not None:
        checked["phone"] = identity.validate_phone(_text(phone, "customer.phone"))
    return checked


def _identity_changes(current: dict[str, object], apply: dict[str, object]) -> dict[str, object]:
    """The identity values an update changes (with the ID number's type), so unchanged stored values
    are not re-judged."""
    after = {**current, **apply}
    changed: dict[str, object] = {name: after[name] for name in ("name", "phone") if name in apply}
    if "id_number" in apply or "id_type" in apply:
        changed["id_number"] = after.get("id_number")
        changed["id_type"] = after.get("id_type", "resident")
    return changed


def _text(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{field}：须为文本", f"{field}: must be text", field=field)
    bounds.check_text(field, value)
    return value


def _first(error: ValidationError) -> str:
    first = error.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"


def create_plain(tx: Tx, mutation: Mutation) -> MutationResult:
    refuse_existing(tx, mutation, "记录已存在 / a record with this id exists")
    record = build_record(tx, mutation, **server_actor(tx, mutation.entity))  # who did it: the session's staff
    if mutation.entity == "interaction" and record.outage_event_id is not None:  # type: ignore[attr-defined]
        link_call(tx, record)  # counted on the event in this transaction (docs/outage.md)
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
        apply = dict(outcome.apply)
        try:
            if kind == "customer":
                apply.update(checked_identity(_identity_changes(current, apply)))
            changes = validated_changes(kind, row, apply)
        except ValidationError as error:
            raise Rejected("invalid_input", f"字段值无效 / invalid value: {_first(error)}", current) from None
        except DomainError as error:
            raise Rejected("invalid_input", f"{error.message_zh} / {error.message_en}", current) from None
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
    raw_detail = fields.get("detail")
    detail: dict[str, Any] = raw_detail if isinstance(raw_detail, dict) else {}
    subject = fields.get("subject")
    try:
        bounds.check_moment("audit.at", at)
        bounds.check_text("audit.action", action)
        bounds.check_text("audit.subject", str(subject) if subject is not None else None)
        bounds.check_json("audit.detail", detail)
    except DomainError as error:
        raise Rejected("invalid_input", f"{error.message_zh} / {error.message_en}") from None
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
