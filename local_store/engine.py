"""Opening the encrypted SQLite file: SQLCipher 4 with a raw 256-bit key, WAL, foreign keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from local_store.errors import StoreLocked

BUSY_TIMEOUT_MS = 10_000
CACHE_KIB = 32 * 1024
WRITE_OPTION = "onewindow_write"


def connect(path: Path, key: bytes) -> sqlcipher.Connection:
    """One keyed DB-API connection; raises StoreLocked when the key does not open the file."""
    if len(key) != 32:
        raise ValueError("the store key must be 32 bytes")
    connection = sqlcipher.connect(str(path), check_same_thread=False, isolation_level=None)
    try:
        # The key must be the first statement; a raw hex key skips SQLCipher's own KDF.
        connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as error:
        connection.close()
        raise StoreLocked() from error
    connection.execute("PRAGMA journal_mode = WAL")
    # WAL + NORMAL: a commit survives a killed process; only a power cut may lose the last commits.
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    connection.execute("PRAGMA temp_store = MEMORY")
    return connection


def create_store_engine(path: Path, key: bytes) -> Engine:
    """A pooled SQLAlchemy engine; `engine.execution_options(onewindow_write=True)` begins IMMEDIATE."""
    connect(path, key).close()  # fail fast with StoreLocked before the pool hides it
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        creator=lambda: connect(path, key),
        module=sqlcipher,
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=4,
        pool_use_lifo=True,  # the warmest connection (its page cache) serves the next keystroke
        hide_parameters=True,  # a failed statement names no customer data in logs or errors
    )

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # Writers take the lock up front so two writers never deadlock upgrading a read lock.
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
