"""Surveyor roster and survey details, evaluations as records, attachment metadata and the upload queue.

Idempotent (columns added only when missing, IF NOT EXISTS everywhere): a store rewound to an older
revision by hand can run it again. The outbox is not touched.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0004"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None

# (column, SQL type, the value rows already stored take: the record's default at the time of writing)
NEW_COLUMNS: dict[str, list[tuple[str, str, object]]] = {
    "surveyor": [
        ("shift_start", "TEXT", "08:30:00"),
        ("shift_end", "TEXT", "17:30:00"),
        ("work_days", "TEXT", "[0, 1, 2, 3, 4]"),
        ("leave", "TEXT", "[]"),
        ("speed_kmh", "FLOAT", 30.0),
    ],
    "survey_assignment": [
        ("customer_id", "TEXT", None),
        ("location_x_km", "FLOAT", None),
        ("location_y_km", "FLOAT", None),
        ("duration_minutes", "INTEGER", 60),
        ("due_at", "TEXT", None),
        ("window_start", "TEXT", None),
        ("window_end", "TEXT", None),
        ("urgency", "TEXT", "normal"),
        ("outcome", "TEXT", "{}"),
    ],
}

STATEMENTS = [
    "CREATE TABLE IF NOT EXISTS evaluation ( id TEXT NOT NULL, office_id TEXT NOT NULL, version INTEGER, "
    "updated_at TEXT, ticket_id TEXT NOT NULL, evaluator TEXT NOT NULL, from_department TEXT, to_department TEXT, "
    'score INTEGER NOT NULL, comment TEXT, "by" TEXT, at TEXT NOT NULL, server_version INTEGER, PRIMARY KEY (id) )',
    "CREATE INDEX IF NOT EXISTS ix_evaluation_office_id ON evaluation (office_id)",
    "CREATE INDEX IF NOT EXISTS ix_evaluation_ticket_id ON evaluation (ticket_id)",
    "CREATE INDEX IF NOT EXISTS ix_survey_assignment_office_state_start ON survey_assignment (office_id, state, start)",
    "CREATE TABLE IF NOT EXISTS attachment ( id TEXT NOT NULL, office_id TEXT NOT NULL, ticket_id TEXT NOT NULL, "
    "sha256 TEXT NOT NULL, filename TEXT NOT NULL, media_type TEXT NOT NULL, size INTEGER NOT NULL, "
    "uploaded BOOLEAN DEFAULT '0' NOT NULL, created_at TEXT NOT NULL, created_by TEXT, PRIMARY KEY (id) )",
    "CREATE INDEX IF NOT EXISTS ix_attachment_ticket_id ON attachment (ticket_id)",
    "CREATE INDEX IF NOT EXISTS ix_attachment_sha256 ON attachment (sha256)",
    "CREATE TABLE IF NOT EXISTS attachment_queue ( sha256 TEXT NOT NULL, path TEXT NOT NULL, "
    "media_type TEXT NOT NULL, size INTEGER NOT NULL, state TEXT NOT NULL, attempts INTEGER DEFAULT '0' NOT NULL, "
    "last_error TEXT, queued_at TEXT NOT NULL, uploaded_at TEXT, PRIMARY KEY (sha256) )",
    "CREATE INDEX IF NOT EXISTS ix_attachment_queue_state ON attachment_queue (state, queued_at)",
]


def upgrade() -> None:
    bind = op.get_bind()
    for table, columns in NEW_COLUMNS.items():
        present = {row[1] for row in bind.execute(text(f"PRAGMA table_info({table})"))}
        for name, kind, default in columns:
            if name not in present:
                op.execute(f'ALTER TABLE {table} ADD COLUMN "{name}" {kind}')
            if default is not None:
                bind.execute(text(f'UPDATE {table} SET "{name}" = :value WHERE "{name}" IS NULL'), {"value": default})
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("the store is never downgraded; a newer store needs a newer app")
