"""Desk actions: each writes its row(s) and its outbox mutation in one transaction, or nothing at all."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import uuid6
from pydantic import ValidationError
from sqlalchemy import Connection, select

from domain import progress
from domain.catalogue import Catalogue, load_catalogue
from domain.errors import DomainError, InvalidInput
from domain.identity import validate_credit_code, validate_phone, validate_resident_id
from domain.intake import check_ticket_input
from domain.merge import not_editable
from domain.outage.events import state_machine_of
from domain.records import Customer, Interaction, Note, Record, Ticket, Verification, record_from_wire
from domain.states import transition as domain_transition
from domain.sync import TransitionIntent
from domain.ticket_rules import check_ticket_move
from local_store.base import StoreBase
from local_store.replay import ABSENT, StoredRow, driver, enqueue, local_change, next_counter, read_row
from local_store.rows import iso_utc, record_to_wire, row_to_record, to_row
from local_store.schema import ENTITY_TABLES

R = TypeVar("R", bound=Record)


def _build(model: type[R], data: dict[str, Any]) -> R:
    """A record from desk input; a pydantic error becomes a clear InvalidInput naming the field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        original = first.get("ctx", {}).get("error")
        if isinstance(original, InvalidInput):  # a domain rule (domain.bounds) said what is wrong: keep its sentence
            raise original from None
        name = ".".join(str(part) for part in first["loc"])
        raise InvalidInput(f"「{name}」的值无效", f"the value of {name!r} is not valid", field=name) from None


def _shown(entity: str, visible: dict[str, Any] | None) -> Record:
    """The record a read would return for this visible row (same storage round trip, no query)."""
    assert visible is not None
    row = to_row(entity, visible)
    return row_to_record(entity, row)


def _not_found(entity: str, entity_id: str) -> InvalidInput:
    return InvalidInput(f"找不到记录（{entity}）", f"no {entity} with id {entity_id!r}", field=f"{entity}_id")


TransitionRule = Callable[[str, str, str, str, "str | None"], Any]


class DeskActions(StoreBase):
    _catalogue: Catalogue | None = None
    _transition_rule: TransitionRule | None = None

    @property
    def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            self._catalogue = load_catalogue()
        return self._catalogue

    def _require(self, connection: Connection, entity: str, entity_id: str) -> dict[str, Any]:
        return self._require_stored(connection, entity, entity_id)[0]

    def _require_stored(self, connection: Connection, entity: str, entity_id: str) -> StoredRow:
        stored = read_row(connection, entity, entity_id)
        if stored is None:
            raise _not_found(entity, entity_id)
        return stored

    def _create(self, connection: Connection, record: Record) -> None:
        local_change(
            connection,
            client_id=self.client_id,
            now=self._clock(),
            entity=record.kind,
            entity_id=record.id,
            op="create",
            fields=record_to_wire(record),
            stored=ABSENT,  # a fresh UUIDv7: nothing to read
        )

    def accept_ticket(
        self,
        *,
        type_code: str,
        channel: str,
        office_id: str,
        customer_id: str | None = None,
        account_id: str | None = None,
        summary: str = "",
        fields: dict[str, Any] | None = None,
        materials: list[str] | None = None,
        accepted_by: str | None = None,
        linked_ticket_id: str | None = None,
    ) -> Ticket:
        """Accept a request at this desk under a provisional number P-<desk>-<n> until the server numbers it.

        `linked_ticket_id`: the ticket a 催办 chases (or a repeat complaint repeats).
        """
        materials = list(materials or [])
        _, cleaned = check_ticket_input(self.catalogue, type_code, channel, dict(fields or {}), materials)
        with self._write() as connection:
            if customer_id is not None:
                self._require(connection, "customer", customer_id)
            if account_id is not None:
                account = self._require(connection, "account", account_id)
                if customer_id is not None and account["customer_id"] != customer_id:
                    raise InvalidInput(
                        "该户号不属于此客户", "the account does not belong to this customer", field="account_id"
                    )
            if linked_ticket_id is not None:
                self._require(connection, "ticket", linked_ticket_id)
            number = f"P-{self.desk_code}-{next_counter(connection, 'provisional_counter')}"
            ticket = _build(
                Ticket,
                {
                    "id": str(uuid6.uuid7()),
                    "office_id": office_id,
                    "provisional_number": number,
                    # Made here so the receipt printed now (offline too) carries a code that works once synced.
                    "progress_code": progress.new_code(),
                    "type_code": type_code,
                    "channel": channel,
                    "customer_id": customer_id,
                    "account_id": account_id,
                    "summary": summary.strip(),
                    "fields": cleaned,
                    "materials": materials,
                    "accepted_at": self._clock(),
                    "accepted_by": accepted_by,
                    "linked_ticket_id": linked_ticket_id,
                },
            )
            self._create(connection, ticket)
            return ticket

    def create_customer(
        self,
        *,
        office_id: str,
        name: str,
        id_type: str = "resident",
        id_number: str | None = None,
        phone: str | None = None,
        address: str = "",
        customer_class: str = "03",
        area_class: str = "urban",
    ) -> Customer:
        if not name or not name.strip():
            raise InvalidInput("请填写户名", "The customer name is empty", field="name")
        if id_number is not None and id_type == "resident":
            id_number = validate_resident_id(id_number).number
        elif id_number is not None and id_type == "credit_code":
            id_number = validate_credit_code(id_number)
        customer = _build(
            Customer,
            {
                "id": str(uuid6.uuid7()),
                "office_id": office_id,
                "name": name.strip(),
                "id_type": id_type,
                "id_number": id_number,
                "phone": validate_phone(phone) if phone is not None else None,
                "address": address.strip(),
                "customer_class": customer_class,
                "area_class": area_class,
                "created_at": self._clock(),
            },
        )
        with self._write() as connection:
            self._create(connection, customer)
        return customer

    def record_verification(
        self,
        customer_id: str,
        *,
        channel: str,
        method: str,
        outcome: str,
        staff_id: str | None = None,
        evidence_ref: str | None = None,
    ) -> Verification:
        with self._write() as connection:
            customer = self._require(connection, "customer", customer_id)
            verification = _build(
                Verification,
                {
                    "id": str(uuid6.uuid7()),
                    "office_id": customer["office_id"],
                    "customer_id": customer_id,
                    "channel": channel,
                    "method": method,
                    "evidence_ref": evidence_ref,
                    "staff_id": staff_id,
                    "at": self._clock(),
                    "outcome": outcome,
                },
            )
            self._create(connection, verification)
            return verification

    def record_interaction(
        self,
        *,
        office_id: str,
        channel: str,
        type: str,
        customer_id: str | None = None,
        summary: str = "",
        staff_id: str | None = None,
        ticket_id: str | None = None,
        call_id: str | None = None,
        caller_number: str | None = None,
        outage_event_id: str | None = None,
    ) -> Interaction:
        with self._write() as connection:
            if customer_id is not None:
                self._require(connection, "customer", customer_id)
            if ticket_id is not None:
                self._require(connection, "ticket", ticket_id)
            if outage_event_id is not None:
                self._require(connection, "outage_event", outage_event_id)
            interaction = _build(
                Interaction,
                {
                    "id": str(uuid6.uuid7()),
                    "office_id": office_id,
                    "customer_id": customer_id,
                    "channel": channel,
                    "type": type,
                    "at": self._clock(),
                    "staff_id": staff_id,
                    "summary": summary.strip(),
                    "ticket_id": ticket_id,
                    "call_id": call_id,
                    "caller_number": caller_number,
                    "outage_event_id": outage_event_id,
                },
            )
            self._create(connection, interaction)
            return interaction

    def add_note(
        self, ticket_id: str, body: str, *, author_id: str | None = None, visibility: str = "internal"
    ) -> Note:
        if not body or not body.strip():
            raise InvalidInput("备注内容为空", "The note is empty", field="body")
        with self._write() as connection:
            ticket = self._require(connection, "ticket", ticket_id)
            note = _build(
                Note,
                {
                    "id": str(uuid6.uuid7()),
                    "office_id": ticket["office_id"],
                    "ticket_id": ticket_id,
                    "author_id": author_id,
                    "visibility": visibility,
                    "body": body.strip(),
                    "at": self._clock(),
                },
            )
            self._create(connection, note)
            return note

    def update_fields(self, entity: str, entity_id: str, changes: dict[str, Any]) -> Record:
        """Change editable fields; the mutation carries their base values and the server version they came from."""
        if entity not in ENTITY_TABLES:
            raise InvalidInput(f"未知的记录类型「{entity}」", f"unknown entity {entity!r}", field="entity")
        refused = not_editable(entity, changes)
        if refused:
            raise InvalidInput(
                f"字段「{refused[0]}」不能修改", f"the field {refused[0]!r} cannot be changed here", field=refused[0]
            )
        if not changes:
            raise InvalidInput("没有要保存的修改", "There is nothing to save", field=None)
        if entity == "customer" and changes.get("phone") is not None:
            changes = {**changes, "phone": validate_phone(changes["phone"])}
        with self._write() as connection:
            stored = self._require_stored(connection, entity, entity_id)
            current = stored[0]
            merged = {**current, **changes}
            wire = record_to_wire(_build(type(record_from_wire(entity, current)), merged))
            new_values = {name: wire[name] for name in changes}
            base = {name: current.get(name) for name in changes}
            _, visible = local_change(
                connection,
                client_id=self.client_id,
                now=self._clock(),
                entity=entity,
                entity_id=entity_id,
                op="update",
                fields=new_values,
                base=base,
                base_version=stored[1],
                stored=stored,
            )
            return _shown(entity, visible)

    def transition(
        self,
        entity: str,
        entity_id: str,
        to_state: str,
        role: str,
        reason: str | None = None,
        fields: dict[str, Any] | None = None,
    ) -> Record:
        """Move a row's state optimistically; the outbox carries the intent (from, to, reason) for the server."""
        check_transition = self._transition_rule or domain_transition
        changes = dict(fields or {})
        refused = not_editable(entity, changes)
        if refused:
            raise InvalidInput(
                f"字段「{refused[0]}」不能修改", f"the field {refused[0]!r} cannot be changed here", field=refused[0]
            )
        with self._write() as connection:
            stored = self._require_stored(connection, entity, entity_id)
            current = stored[0]
            machine = state_machine_of(entity, current)
            new_state = check_transition(machine, current["state"], to_state, role, reason)
            if entity == "ticket":
                self._check_ticket_move(connection, current, str(new_state))
            if changes:  # the same validation and wire form as a field update
                wire = record_to_wire(_build(type(record_from_wire(entity, current)), {**current, **changes}))
                changes = {name: wire[name] for name in changes}
            _, visible = local_change(
                connection,
                client_id=self.client_id,
                now=self._clock(),
                entity=entity,
                entity_id=entity_id,
                op="transition",
                fields=changes,
                base={name: current.get(name) for name in changes},
                base_version=stored[1],
                transition=TransitionIntent(from_state=current["state"], to_state=str(new_state), reason=reason),
                stored=stored,
            )
            return _shown(entity, visible)

    def _check_ticket_move(self, connection: Connection, ticket: dict[str, Any], to_state: str) -> None:
        """The whole-ticket rules the server applies (domain.ticket_rules: no 办结 over an open stage), asked
        before anything is queued, so the desk never shows a close the server will undo."""
        table = ENTITY_TABLES["stage_task"]
        tasks = connection.execute(
            select(table.c.stage_code, table.c.state).where(table.c.ticket_id == ticket["id"])
        ).all()
        try:
            workflow = self.catalogue.ticket_type(str(ticket["type_code"])).workflow
        except DomainError:
            workflow = None
        check_ticket_move(to_state, workflow, tasks)

    def append_audit(self, action: str, subject: str, detail: dict[str, Any] | str, staff_id: str | None) -> str:
        """Log an action locally and queue it for the server's audit log; returns the entry id."""
        entry_id = str(uuid6.uuid7())
        now = self._clock()
        detail_text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False, sort_keys=True)
        with self._write() as connection:
            driver(connection).execute(
                "INSERT INTO audit_log (id, action, subject, detail, staff_id, at) VALUES (?, ?, ?, ?, ?, ?)",
                (entry_id, action, subject, detail_text, staff_id, iso_utc(now)),
            )
            enqueue(
                connection,
                client_id=self.client_id,
                now=now,
                entity="audit",
                entity_id=entry_id,
                op="create",
                fields={"action": action, "subject": subject, "detail": detail, "at": now.isoformat()},
            )
        return entry_id
