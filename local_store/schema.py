"""The store's tables: one per synced record kind (same column names as domain.records), plus sync bookkeeping.

Entity tables carry `server_version` (the server's version of the row under any pending local change, NULL
for a row the server has not seen). The server's copy of a row with pending local mutations lives in
`server_shadow`, so the visible row is always "server state + pending outbox replayed" (read your own writes).
Values are stored as they travel on the wire: datetimes as UTC ISO-8601 text (sortable), lists and dicts
as JSON text.
"""

from __future__ import annotations

import types
import typing
from datetime import date, datetime, time
from typing import Any, Literal, get_args, get_origin

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeEngine

from domain.records import RECORD_TYPES, Record

metadata = MetaData()

ColumnKind = Literal["text", "int", "bool", "float", "datetime", "date", "time", "json"]


def _column_kind(annotation: Any) -> ColumnKind:
    origin = get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in get_args(annotation) if arg is not type(None)]
        return _column_kind(inner[0])
    if origin is Literal:
        return "text"
    if origin in (dict, list) or annotation in (dict, list):
        return "json"
    if annotation is bool:
        return "bool"
    if annotation is int:
        return "int"
    if annotation is float:
        return "float"
    if annotation is datetime:
        return "datetime"
    if annotation is date:
        return "date"
    if annotation is time:
        return "time"
    return "text"


_SQL_TYPES: dict[ColumnKind, type[TypeEngine[Any]]] = {
    "text": Text,
    "int": Integer,
    "bool": Boolean,
    "float": Float,
    "datetime": Text,
    "date": Text,
    "time": Text,
    "json": Text,
}


def column_kinds(model: type[Record]) -> dict[str, ColumnKind]:
    """Each record field's storage kind, in declaration order."""
    return {name: _column_kind(info.annotation) for name, info in model.model_fields.items()}


def _entity_table(kind: str, model: type[Record], *extra: Any) -> Table:
    columns: list[Any] = []
    if kind == "customer":
        # An explicit integer key: the FTS index points at it and VACUUM never renumbers it.
        columns.append(Column("search_rowid", Integer, primary_key=True))
    for name, column_kind in column_kinds(model).items():
        if name == "id":
            columns.append(
                Column("id", Text, nullable=False, unique=True)
                if kind == "customer"
                else Column("id", Text, primary_key=True)
            )
            continue
        required = model.model_fields[name].is_required()
        columns.append(Column(name, _SQL_TYPES[column_kind], nullable=not required))
    columns.append(Column("server_version", Integer, nullable=True))
    return Table(kind, metadata, *columns, Index(f"ix_{kind}_office_id", "office_id"), *extra)


# Added by migration 0002: the ticket queue filters by office/state/type and sorts by time.
QUEUE_INDEXES = [
    Index("ix_ticket_office_state_due", "office_id", "state", "due_at"),
    Index("ix_ticket_state_due", "state", "due_at"),
    Index("ix_ticket_type_code", "type_code", "accepted_at"),
]

_EXTRA_INDEXES: dict[str, list[Any]] = {
    "customer": [
        Index("ix_customer_name", "name"),
        Index("ix_customer_id_number", "id_number"),
        Index("ix_customer_phone", "phone"),
    ],
    "account": [Index("ix_account_customer_id", "customer_id"), Index("ix_account_account_no", "account_no"),
                Index("ix_account_transformer_id", "transformer_id")],  # added by migration 0009
    "ticket": [
        Index("ix_ticket_number", "number"),
        Index("ix_ticket_provisional_number", "provisional_number"),
        Index("ix_ticket_customer_id", "customer_id"),
        Index("ix_ticket_accepted_at", "accepted_at"),
        Index("ix_ticket_due_at", "due_at"),
    ]
    + QUEUE_INDEXES,
    "stage_task": [Index("ix_stage_task_ticket_id", "ticket_id")],
    "interaction": [Index("ix_interaction_customer_id", "customer_id", "at"),
                    Index("ix_interaction_outage_event_id", "outage_event_id")],  # added by migration 0009
    "verification": [Index("ix_verification_customer_id", "customer_id", "at")],
    "note": [Index("ix_note_ticket_id", "ticket_id")],
    "survey_assignment": [
        Index("ix_survey_assignment_ticket_id", "ticket_id"),
        # Added by migration 0004: the dispatch board reads one office's surveys by state and start.
        Index("ix_survey_assignment_office_state_start", "office_id", "state", "start"),
    ],
    "evaluation": [Index("ix_evaluation_ticket_id", "ticket_id")],
    "attachment": [Index("ix_attachment_ticket_id", "ticket_id"), Index("ix_attachment_sha256", "sha256")],
    "notification": [Index("ix_notification_ticket_id", "ticket_id")],  # added by migration 0007
    # Added by migration 0008 (docs/coordination.md).
    "supervision_action": [Index("ix_supervision_action_department", "department", "state", "due_on"),
                           Index("ix_supervision_action_meeting_id", "meeting_id")],
    "info_request": [Index("ix_info_request_ticket_id", "ticket_id")],  # added by migration 0010
    # Added by migration 0009 (docs/outage.md).
    "grid_device": [Index("ix_grid_device_parent_id", "parent_id")],
    "outage_event": [Index("ix_outage_event_office_state", "office_id", "state")],
}

ENTITY_TABLES: dict[str, Table] = {
    kind: _entity_table(kind, model, *_EXTRA_INDEXES.get(kind, [])) for kind, model in RECORD_TYPES.items()
}

server_shadow = Table(
    "server_shadow",
    metadata,
    Column("entity", Text, primary_key=True),
    Column("entity_id", Text, primary_key=True),
    Column("version", Integer, nullable=True),
    Column("data", Text, nullable=True),  # the server's row as JSON; NULL: not on the server
)

outbox = Table(
    "outbox",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("mutation_id", Text, nullable=False, unique=True),
    Column("entity", Text, nullable=False),
    Column("entity_id", Text, nullable=False),
    Column("mutation", Text, nullable=False),  # domain.sync.Mutation as JSON
    Column("created_at", Text, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text, nullable=True),
    # Staff id of who saved the change (docs/authorship.md); NULL: queued by a version that did not record it.
    Column("author", Text, nullable=True),
    Index("ix_outbox_entity", "entity", "entity_id"),
    Index("ix_outbox_author", "author", "seq"),
)

sync_scope = Table(
    "sync_scope",
    metadata,
    Column("scope", Text, primary_key=True),
    Column("cursor", Integer, nullable=False, server_default="0"),
    Column("checksum", Text, nullable=True),  # the server's checksum sent with the last page
    Column("count", Integer, nullable=True),
    Column("last_synced", Text, nullable=True),
    # The desk's own running checksum of the scope (hex) and row count; NULL: unknown, scan once.
    Column("local_checksum", Text, nullable=True),
    Column("local_count", Integer, nullable=True),
)

conflict = Table(
    "conflict",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("mutation_id", Text, nullable=False),
    Column("entity", Text, nullable=False),
    Column("entity_id", Text, nullable=False),
    Column("mutation", Text, nullable=False),
    Column("code", Text, nullable=True),
    Column("reason", Text, nullable=True),
    Column("mine", Text, nullable=True),  # the desk's row before the rejection, JSON
    Column("server", Text, nullable=True),  # the server's row, JSON
    Column("created_at", Text, nullable=False),
    Column("resolved_at", Text, nullable=True),
    Column("resolution", Text, nullable=True),
    UniqueConstraint("mutation_id", name="uq_conflict_mutation_id"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Text, primary_key=True),
    Column("action", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("detail", Text, nullable=False),
    Column("staff_id", Text, nullable=True),
    Column("at", Text, nullable=False),
)

# Added by migration 0004: the files still to upload, one row per sha256 however many tickets carry the file.
# The metadata per ticket is the synced `attachment` record table (migration 0005), created like every entity.
attachment_queue = Table(
    "attachment_queue",
    metadata,
    Column("sha256", Text, primary_key=True),
    Column("path", Text, nullable=False),
    Column("media_type", Text, nullable=False),
    Column("size", Integer, nullable=False),
    Column("state", Text, nullable=False),  # pending / uploaded
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text, nullable=True),
    Column("queued_at", Text, nullable=False),
    Column("uploaded_at", Text, nullable=True),
    Index("ix_attachment_queue_state", "state", "queued_at"),
)

meta = Table(
    "meta",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

# How often each trigram occurs (only the common ones): search MATCHes a query's rarest trigrams.
search_trigram = Table(
    "search_trigram",
    metadata,
    Column("term", Text, primary_key=True),
    Column("docs", Integer, nullable=False),
)

# External-content FTS5 over customer names and addresses; `trigram` gives substring search in Chinese.
# No insert trigger: every insert path adds FTS rows itself, in batches (per-row triggers cost more than
# the rows themselves during an initial sync). Updates and deletes keep their triggers.
CUSTOMER_FTS_DDL = [
    "CREATE VIRTUAL TABLE customer_fts USING fts5("
    "name, address, content='customer', content_rowid='search_rowid', tokenize='trigram')",
    "CREATE VIRTUAL TABLE customer_fts_vocab USING fts5vocab(customer_fts, 'row')",
    "CREATE TRIGGER customer_fts_delete AFTER DELETE ON customer BEGIN "
    "INSERT INTO customer_fts(customer_fts, rowid, name, address) "
    "VALUES ('delete', old.search_rowid, old.name, old.address); END",
    "CREATE TRIGGER customer_fts_update AFTER UPDATE OF name, address ON customer "
    "WHEN old.name IS NOT new.name OR old.address IS NOT new.address BEGIN "
    "INSERT INTO customer_fts(customer_fts, rowid, name, address) "
    "VALUES ('delete', old.search_rowid, old.name, old.address); "
    "INSERT INTO customer_fts(rowid, name, address) VALUES (new.search_rowid, new.name, new.address); END",
]
