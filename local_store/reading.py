"""The read side for the UI: a customer's card and timeline, tickets, the ticket queue, the conflicts inbox."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Select, func, select

from domain.errors import InvalidInput
from domain.records import Account, Customer, Interaction, Office, Record, StageTask, Ticket, Verification
from domain.sync import Mutation, TransitionIntent
from local_store.calendar_reads import CalendarReads
from local_store.queue import TicketFilters, queue_order, queue_where
from local_store.replay import enqueue, ensure_shadow, read_visible, rebase, server_version_of
from local_store.rows import iso_utc, row_to_record
from local_store.schema import ENTITY_TABLES, conflict

_ticket = ENTITY_TABLES["ticket"]
Resolution = Literal["keep_server", "retry_mine"]


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # interaction / ticket / verification
    record: Record


@dataclass(frozen=True)
class ConflictEntry:
    id: int
    mutation: Mutation
    code: str | None
    reason: str | None
    mine: dict[str, Any] | None
    server: dict[str, Any] | None
    created_at: datetime
    resolved_at: datetime | None = None
    resolution: str | None = None


class ReadSide(CalendarReads):
    def _one(self, entity: str, entity_id: str) -> Record | None:
        table = ENTITY_TABLES[entity]
        with self._read() as connection:
            row = connection.execute(select(table).where(table.c.id == entity_id)).mappings().first()
            return row_to_record(entity, row) if row is not None else None

    def _many(self, entity: str, statement: Select[Any]) -> list[Any]:
        with self._read() as connection:
            return [row_to_record(entity, row) for row in connection.execute(statement).mappings()]

    def office(self, office_id: str) -> Office | None:
        """The office as last synced (its name heads the receipt); None before the first sync."""
        found = self._one("office", office_id)
        return found if isinstance(found, Office) else None

    def customer(self, customer_id: str) -> Customer | None:
        found = self._one("customer", customer_id)
        return found if isinstance(found, Customer) else None

    def customer_accounts(self, customer_id: str) -> list[Account]:
        table = ENTITY_TABLES["account"]
        return self._many(
            "account", select(table).where(table.c.customer_id == customer_id).order_by(table.c.account_no)
        )

    def customer_tickets(self, customer_id: str) -> list[Ticket]:
        return self._many(
            "ticket",
            select(_ticket)
            .where(_ticket.c.customer_id == customer_id)
            .order_by(_ticket.c.accepted_at.desc(), _ticket.c.id),
        )

    def customer_timeline(self, customer_id: str) -> list[TimelineEntry]:
        """Interactions, tickets and verifications of one customer, newest first."""
        entries: list[TimelineEntry] = [
            TimelineEntry(at=ticket.accepted_at, kind="ticket", record=ticket)
            for ticket in self.customer_tickets(customer_id)
        ]
        for entity in ("interaction", "verification"):
            table = ENTITY_TABLES[entity]
            records: list[Interaction | Verification] = self._many(
                entity, select(table).where(table.c.customer_id == customer_id)
            )
            entries.extend(TimelineEntry(at=record.at, kind=entity, record=record) for record in records)
        entries.sort(key=lambda entry: (entry.at, entry.kind, entry.record.id), reverse=True)
        return entries

    def ticket(self, ticket_id: str) -> Ticket | None:
        found = self._one("ticket", ticket_id)
        return found if isinstance(found, Ticket) else None

    def ticket_by_number(self, number: str) -> Ticket | None:
        """By the server's number or the provisional one (both stay valid)."""
        wanted = number.strip().upper()
        found: list[Ticket] = self._many(
            "ticket",
            select(_ticket)
            .where((_ticket.c.number == wanted) | (_ticket.c.provisional_number == wanted))
            .limit(1),
        )
        return found[0] if found else None

    def stage_tasks(self, ticket_id: str) -> list[StageTask]:
        table = ENTITY_TABLES["stage_task"]
        return self._many(
            "stage_task", select(table).where(table.c.ticket_id == ticket_id).order_by(table.c.opened_at, table.c.id)
        )

    def ticket_queue(
        self, filters: TicketFilters | None = None, sort: str = "-accepted_at", offset: int = 0, limit: int = 100
    ) -> list[Ticket]:
        """One page of the ticket queue, sorted in SQL (`-` for descending), ties broken by id."""
        order = queue_order(sort)
        statement = queue_where(select(_ticket), filters or TicketFilters())
        return self._many("ticket", statement.order_by(*order).offset(max(offset, 0)).limit(max(limit, 0)))

    def ticket_count(self, filters: TicketFilters | None = None) -> int:
        statement = queue_where(select(func.count()).select_from(_ticket), filters or TicketFilters())
        with self._read() as connection:
            return int(connection.execute(statement).scalar_one())

    # ---- conflicts inbox ------------------------------------------------------------------------

    def conflict_count(self) -> int:
        """Unresolved entries in the conflicts inbox (the badge)."""
        with self._read() as connection:
            statement = select(func.count()).select_from(conflict).where(conflict.c.resolved_at.is_(None))
            return int(connection.execute(statement).scalar_one())

    def conflicts(self, *, include_resolved: bool = False) -> list[ConflictEntry]:
        statement = select(conflict).order_by(conflict.c.id)
        if not include_resolved:
            statement = statement.where(conflict.c.resolved_at.is_(None))
        with self._read() as connection:
            return [
                ConflictEntry(
                    id=row.id,
                    mutation=Mutation.model_validate_json(row.mutation),
                    code=row.code,
                    reason=row.reason,
                    mine=json.loads(row.mine) if row.mine else None,
                    server=json.loads(row.server) if row.server else None,
                    created_at=datetime.fromisoformat(row.created_at),
                    resolved_at=datetime.fromisoformat(row.resolved_at) if row.resolved_at else None,
                    resolution=row.resolution,
                )
                for row in connection.execute(statement)
            ]

    def resolve_conflict(self, conflict_id: int, resolution: Resolution) -> Mutation | None:
        """keep_server closes the entry; retry_mine queues the change again on top of the server's current row."""
        if resolution not in ("keep_server", "retry_mine"):
            raise InvalidInput("未知的处理方式", f"unknown resolution {resolution!r}", field="resolution")
        now = self._clock()
        with self._write() as connection:
            row = connection.execute(select(conflict).where(conflict.c.id == conflict_id)).first()
            if row is None or row.resolved_at is not None:
                raise InvalidInput("该冲突不存在或已处理", "the conflict does not exist or is resolved", field="id")
            connection.execute(
                conflict.update()
                .where(conflict.c.id == conflict_id)
                .values(resolved_at=iso_utc(now), resolution=resolution)
            )
            if resolution == "keep_server":
                return None
            old = Mutation.model_validate_json(row.mutation)
            current = read_visible(connection, old.entity, old.entity_id) if old.entity in ENTITY_TABLES else None
            transition = old.transition
            if transition is not None and current is not None:
                transition = TransitionIntent(
                    from_state=current["state"], to_state=transition.to_state, reason=transition.reason
                )
            if old.entity in ENTITY_TABLES:
                ensure_shadow(connection, old.entity, old.entity_id)
            mutation = enqueue(
                connection,
                client_id=self.client_id,
                now=now,
                entity=old.entity,
                entity_id=old.entity_id,
                op=old.op,
                fields=old.fields,
                base={name: (current or {}).get(name) for name in old.base},
                base_version=server_version_of(connection, old.entity, old.entity_id)
                if old.entity in ENTITY_TABLES
                else None,
                transition=transition,
            )
            if old.entity in ENTITY_TABLES:
                rebase(connection, old.entity, old.entity_id)
            return mutation
