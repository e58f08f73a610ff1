"""Alembic environment for the desk's store: always handed an open connection by local_store.migrate."""

from __future__ import annotations

from alembic import context

from local_store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
