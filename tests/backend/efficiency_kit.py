"""An office driven through the real push path in this process (no HTTP), for the efficiency tests:
each mutation goes through backend.sync.push as a desk's would, at a clock the test moves."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import backend.app  # noqa: F401  (registers every mutation handler, as the server does)
from backend.auth import Principal
from backend.context import AppContext
from backend.db.engine import Database, open_database
from backend.db.records import StageTaskRow, TicketRow
from backend.settings import Settings
from backend.sync.push import _apply_all
from domain.sync import Mutation, MutationResult

START = datetime.fromisoformat("2026-03-02T01:00:00+00:00")  # Monday 09:00 in the office zone

FIELDS: dict[str, tuple[str, dict[str, Any], list[str]]] = {  # type → (channel, form, materials)
    "complaint": ("hotline", {"complaint_class": "service", "description": "态度差"}, []),
    "bill_dispute": ("app", {"account_number": "0101", "billing_period": "2026-02", "disputed_item": "tariff",
                             "description": "电价不对", "contact_phone": "13800001111"}, ["identity"]),
    "connection_residential": ("hall", {"customer_name": "张三", "id_number": "11010519491231002X",
                                        "address": "城关镇一号", "contact_phone": "13800001111",
                                        "requested_kw": 8}, ["identity", "property_proof"]),
}


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class PushRig:
    """One database; `office()` gives each test (or each generated history) an office of its own."""

    def __init__(self, url: str) -> None:
        self.database: Database = open_database(url)
        self.clock = Clock(START)
        self.ctx = AppContext(settings=Settings(db_url=url), database=self.database, clock=self.clock,
                              auth=None)  # type: ignore[arg-type]  # push never asks the auth service
        self._seq = 0

    def close(self) -> None:
        self.database.dispose()

    def who(self, office_id: str, role: str, department: str | None = None) -> Principal:
        return Principal(staff_id=f"{office_id}-{role}-{department or ''}", username=f"{role}", role=role,
                         department=department, office_id=office_id, session_id=f"s-{office_id}",
                         offices=frozenset({office_id}))

    def push(self, who: Principal, entity: str, op: str, entity_id: str | None = None,
             **extra: Any) -> MutationResult:
        self._seq += 1
        mutation = Mutation.model_validate({
            "mutation_id": str(uuid.uuid4()), "client_id": f"desk-{who.office_id}", "seq": self._seq,
            "entity": entity, "entity_id": entity_id or str(uuid.uuid4()), "op": op,
            "created_at": self.clock.now.isoformat(), **extra,
        })
        return _apply_all(self.ctx, who, [mutation])[mutation.mutation_id]

    def create_ticket(self, who: Principal, type_code: str) -> MutationResult:
        channel, form, materials = FIELDS[type_code]
        return self.push(who, "ticket", "create", fields={
            "type_code": type_code, "channel": channel, "summary": type_code, "fields": form,
            "materials": materials, "accepted_at": self.clock.now.isoformat()})

    def move(self, who: Principal, entity: str, row: Any, to_state: str, reason: str | None = "原因") -> MutationResult:
        return self.push(who, entity, "transition", row.id,
                         transition={"from_state": row.state, "to_state": to_state, "reason": reason})

    def advance(self, **delta: float) -> None:
        self.clock.now += timedelta(**delta)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.database.read() as session:
            yield session

    def tickets(self, office_id: str) -> list[Any]:
        with self.read() as session:
            return list(session.execute(select(TicketRow).where(TicketRow.office_id == office_id)
                                        .order_by(TicketRow.accepted_at, TicketRow.id)).scalars())

    def stages(self, ticket_id: str) -> dict[str, Any]:
        with self.read() as session:
            return {t.stage_code: t for t in session.execute(
                select(StageTaskRow).where(StageTaskRow.ticket_id == ticket_id)).scalars()}
