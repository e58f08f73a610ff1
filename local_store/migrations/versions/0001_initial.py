"""The first store schema: every record kind, outbox, shadow rows, sync scopes, conflicts, audit, meta, FTS.

Frozen DDL: later schema changes are new revisions, never edits here.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None

STATEMENTS = [
    "CREATE TABLE account ( id TEXT NOT NULL, office_id TEXT NOT NULL, version INTEGER, updated_at TEXT, customer_id TEXT NOT NULL, account_no TEXT NOT NULL, address TEXT, meter_no TEXT, segment TEXT, temporary_supply BOOLEAN, arrears_cents INTEGER, status TEXT, server_version INTEGER, PRIMARY KEY (id) )",
    "CREATE INDEX ix_account_account_no ON account (account_no)",
    "CREATE INDEX ix_account_customer_id ON account (customer_id)",
    "CREATE INDEX ix_account_office_id ON account (office_id)",
    "CREATE TABLE audit_log ( id TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL, detail TEXT NOT NULL, staff_id TEXT, at TEXT NOT NULL, PRIMARY KEY (id) )",
    "CREATE TABLE calendar_day ( id TEXT NOT NULL, office_id TEXT NOT NULL, version INTEGER, updated_at TEXT, day TEXT NOT NULL, working BOOLEAN NOT NULL, name TEXT, server_version INTEGER, PRIMARY KEY (id) )",
    "CREATE INDEX ix_calendar_day_office_id ON calendar_day (office_id)",
    'CREATE TABLE "conflict" ( id INTEGER NOT NULL, mutation_id TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL, mutation TEXT NOT NULL, code TEXT, reason TEXT, mine TEXT, server TEXT, created_at TEXT NOT NULL, resolved_at TEXT, resolution TEXT, PRIMARY KEY (id), CONSTRAINT uq_conflict_mutation_id UNIQUE (mutation_id) )',
    "CREATE TABLE customer ( search_rowid INTEGER NOT NULL, id TEXT NOT NULL, office_id TEXT NOT NULL, version INTEGER, updated_at TEXT, name TEXT NOT NULL, id_type TEXT, id_number TEXT, phone TEXT, address TEXT, customer_class TEXT, area_class TEXT, created_at TEXT, server_version INTEGER, PRIMARY KEY (search_rowid), UNIQUE (id) )",
    "CREATE INDEX ix_customer_id_number ON customer (id_number)",
    "CREATE INDEX ix_customer_name ON customer (name)",
    "CREATE INDEX ix_customer_office_id ON customer (office_id)",
    "CREATE INDEX ix_customer_phone ON customer (phone)",
    "CREATE TABLE interaction ( id TEXT NOT NULL, office_id TEXT NOT NULL, version INTEGER, updated_at TEXT, customer_id TEXT, channel TEXT NOT NULL, type TEXT NOT NULL, at TEXT NOT NULL, staff_id TEXT, summary TEXT, ticket_id TEXT, call_id TEXT, caller_number TEXT, server_version INTEGER, PRIMARY KEY (id) )",
    "CREATE INDEX ix_interaction_customer_id ON interaction (customer_id, at)",
    "CREATE INDEX ix_interaction_office_id ON interaction (office_id)",
    'CREATE TABLE meta ( "key" TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY ("key") )',
    "CREATE TABLE note ( id TEXT NOT NULL, office_id TEXT NOT NULL, version INTEGER, updated_at TEXT, ticket_id TEXT NOT NULL, author_id TEXT, visibility TEXT, body TEXT NOT NULL, at TEXT NOT NULL, server_version INTEGER, PRIMARY KEY (id) )",
    "CREATE INDEX ix_note_office_id ON note (office_id)",
    "CREATE INDEX ix_note_ticket_id ON note (ticket_id)",
    "CREATE TABLE office ( id TEXT NOT NULL, office_id TEXT NOT NULL, version INTEGER, updated_at TEXT, code TEXT NOT NULL, name TEXT NOT NULL, prefecture TEXT NOT NULL, server_version INTEGER, PRIMARY KEY (id) )",
    "CREATE INDEX ix_office_office_id ON office (office_id)",
    "CREATE TABLE outbox ( seq INTEGER NOT NULL, mutation_id TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL, mutation TEXT NOT NULL, created_at TEXT NOT NULL, attempts INTEGER DEFAULT '0' NOT NULL, last_error TEXT, PRIMARY KEY (seq), UNIQUE (mutation_id) )",
    "CREATE INDEX ix_outbox_entity ON outbox (entity, entity_id)",
    "CREATE TABLE server_shadow ( entity TEXT NOT NULL, entity_id TEXT NOT NULL, version INTEGER, data TEXT, PRIMARY KEY (entity, entity_id) )",
    "CREATE TABLE staff ( id TEXT NOT NULL, office_id TEXT NOT NULL, version INTEGER, updated_at TEXT, username TEXT NOT NULL, display_name TEXT NOT NULL, role TEXT NOT NULL, department TEXT, active BOOLEAN, server_version INTEGER, PRIMARY KEY (id) )",
    "CREATE INDEX ix_staff_office_id ON staff (office_id)",
    "CREATE TABLE stage_task ( id TEXT NOT NULL, office_id TEXT NOT NULL, version INTEGER, updated_at TEXT, ticket_id TEXT NOT NULL, stage_code TEXT NOT NULL, department TEXT NOT NULL, state TEXT, assignee_id TEXT, opened_at TEXT NOT NULL, due_at TEXT, warn_at TEXT, completed_at TEXT, result TEXT, reason TEXT, server_version INTEGER, PRIMARY KEY (id) )",
    "CREATE INDEX ix_stage_task_office_id ON stage_task (office_id)",
    "CREATE INDEX ix_stage_task_ticket_id ON stage_task (ticket_id)",
    'CREATE TABLE survey_assignment ( id TEXT NOT NULL, office_id TEXT NOT NULL, version INTEGER, updated_at TEXT, ticket_id TEXT NOT NULL, stage_task_id TEXT, surveyor_id TEXT, mode TEXT, state TEXT, territory TEXT, required_skill TEXT, start TEXT, "end" TEXT, server_version INTEGER, PRIMARY KEY (id) )',
    "CREATE INDEX ix_survey_assignment_office_id ON survey_assignment (office_id)",
    "CREATE INDEX ix_survey_assignment_ticket_id ON survey_assignment (ticket_id)",
    "CREATE TABLE surveyor ( id TEXT NOT NULL, office_id TEXT NOT NULL, version INTEGER, updated_at TEXT, staff_id TEXT, name TEXT NOT NULL, territories TEXT, skills TEXT, home_x_km FLOAT, home_y_km FLOAT, daily_capacity INTEGER, server_version INTEGER, PRIMARY KEY (id) )",
    "CREATE INDEX ix_surveyor_office_id ON surveyor (office_id)",
    "CREATE TABLE sync_scope ( scope TEXT NOT NULL, cursor INTEGER DEFAULT '0' NOT NULL, checksum TEXT, count INTEGER, last_synced TEXT, PRIMARY KEY (scope) )",
    "CREATE TABLE ticket ( id TEXT NOT NULL, office_id TEXT NOT NULL, version INTEGER, updated_at TEXT, number TEXT, provisional_number TEXT, type_code TEXT NOT NULL, channel TEXT NOT NULL, customer_id TEXT, account_id TEXT, state TEXT, summary TEXT, fields TEXT, materials TEXT, accepted_at TEXT NOT NULL, accepted_by TEXT, due_at TEXT, warn_at TEXT, deadline_provisional BOOLEAN, closed_at TEXT, linked_ticket_id TEXT, satisfaction INTEGER, server_version INTEGER, PRIMARY KEY (id) )",
    "CREATE INDEX ix_ticket_accepted_at ON ticket (accepted_at)",
    "CREATE INDEX ix_ticket_customer_id ON ticket (customer_id)",
    "CREATE INDEX ix_ticket_due_at ON ticket (due_at)",
    "CREATE INDEX ix_ticket_number ON ticket (number)",
    "CREATE INDEX ix_ticket_office_id ON ticket (office_id)",
    "CREATE INDEX ix_ticket_provisional_number ON ticket (provisional_number)",
    "CREATE TABLE verification ( id TEXT NOT NULL, office_id TEXT NOT NULL, version INTEGER, updated_at TEXT, customer_id TEXT NOT NULL, channel TEXT NOT NULL, method TEXT NOT NULL, evidence_ref TEXT, staff_id TEXT, at TEXT NOT NULL, outcome TEXT NOT NULL, server_version INTEGER, PRIMARY KEY (id) )",
    "CREATE INDEX ix_verification_customer_id ON verification (customer_id, at)",
    "CREATE INDEX ix_verification_office_id ON verification (office_id)",
    "CREATE VIRTUAL TABLE customer_fts USING fts5(name, address, content='customer', content_rowid='search_rowid', tokenize='trigram')",
    "CREATE TRIGGER customer_fts_insert AFTER INSERT ON customer BEGIN INSERT INTO customer_fts(rowid, name, address) VALUES (new.search_rowid, new.name, new.address); END",
    "CREATE TRIGGER customer_fts_delete AFTER DELETE ON customer BEGIN INSERT INTO customer_fts(customer_fts, rowid, name, address) VALUES ('delete', old.search_rowid, old.name, old.address); END",
    "CREATE TRIGGER customer_fts_update AFTER UPDATE OF name, address ON customer BEGIN INSERT INTO customer_fts(customer_fts, rowid, name, address) VALUES ('delete', old.search_rowid, old.name, old.address); INSERT INTO customer_fts(rowid, name, address) VALUES (new.search_rowid, new.name, new.address); END",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded; a newer store needs a newer app")
