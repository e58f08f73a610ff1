"""What a mutation handler receives and how it answers: the transaction, the writer, a rejection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from backend.auth import Principal
from backend.settings import Settings
from backend.store import Writer, row_to_wire
from domain.sync import Mutation, MutationResult


@dataclass
class Tx:
    """One mutation's transaction."""

    session: Session
    writer: Writer
    who: Principal
    now: datetime
    settings: Settings


class Rejected(Exception):
    """The mutation cannot apply; the desk shows `reason` in its conflicts inbox."""

    def __init__(self, code: str, reason: str, record: dict[str, Any] | None = None) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.record = record


Handler = Callable[[Tx, Mutation], MutationResult]
HANDLERS: dict[tuple[str, str], Handler] = {}


def handles(entity: str, op: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS[(entity, op)] = handler
        return handler

    return register


def applied(mutation: Mutation, kind: str, row: Any, *, ticket_number: str | None = None) -> MutationResult:
    return MutationResult(
        mutation_id=mutation.mutation_id,
        status="applied",
        entity=mutation.entity,
        entity_id=mutation.entity_id,
        version=row.version,
        record=row_to_wire(kind, row),
        ticket_number=ticket_number,
    )


def require_scope(tx: Tx, office_id: str | None) -> None:
    if not tx.who.may_see_office(office_id):
        raise Rejected("out_of_scope", "不属于您的营业单位 / this record belongs to another office")


def refuse_existing(tx: Tx, mutation: Mutation, reason: str) -> None:
    """A create whose id is taken is rejected with the stored row (the pusher must see its office)."""
    existing = tx.writer.get(mutation.entity, mutation.entity_id)
    if existing is not None:
        require_scope(tx, existing.office_id)
        raise Rejected("exists", reason, row_to_wire(mutation.entity, existing))


def load(tx: Tx, kind: str, entity_id: str) -> Any:
    """The row to change, locked for this transaction; rejected when missing or out of scope."""
    row = tx.writer.get(kind, entity_id, lock=True)
    if row is None:
        raise Rejected("not_found", f"记录不存在 / no {kind} with this id")
    require_scope(tx, row.office_id)
    return row
