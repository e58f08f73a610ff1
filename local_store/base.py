"""What every part of the Store shares: the engine, the clock, the desk's identity and transaction helpers."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from local_store.engine import WRITE_OPTION
from local_store.schema import meta

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class StoreBase:
    """Holds the engine; readers use plain transactions, writers BEGIN IMMEDIATE (one writer at a time)."""

    client_id: str
    desk_code: str
    schema_version: int
    _session_offices: frozenset[str] | None = None  # the signed-in session's offices; None: not limited

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._write_engine = engine.execution_options(**{WRITE_OPTION: True})
        self._clock = clock
        self._pinned = threading.local()  # .connection: this thread's snapshot, while one is open

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        pinned: Connection | None = getattr(self._pinned, "connection", None)
        if pinned is not None:
            yield pinned
            return
        with self._engine.connect() as connection:
            yield connection

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every read of this thread inside sees one committed state (one read transaction).

        A screen built from several reads needs it: without it a write landing between two reads can tear the
        picture (the dispatch day once read a survey as booked in one query and as unassigned in the next, so it
        was in neither list while its conflict already showed). Writes inside go on as usual, on their own
        connection; nested snapshots join the outer one. The raw hot paths (search, the outbox) read on their own."""
        if getattr(self._pinned, "connection", None) is not None:
            yield
            return
        with self._engine.connect() as connection, connection.begin():
            self._pinned.connection = connection
            try:
                yield
            finally:
                self._pinned.connection = None

    @contextmanager
    def _raw(self) -> Iterator[Any]:
        """A pooled DB-API connection in autocommit mode, for hot read paths that skip SQLAlchemy."""
        pooled = self._engine.raw_connection()
        try:
            yield pooled.driver_connection
        finally:
            pooled.close()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._write_engine.begin() as connection:
            yield connection

    def get_meta(self, key: str) -> str | None:
        with self._read() as connection:
            return connection.execute(select(meta.c.value).where(meta.c.key == key)).scalar()

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as connection:
            _set_meta(connection, key, value)


def _set_meta(connection: Connection, key: str, value: str) -> None:
    statement = sqlite_insert(meta).values(key=key, value=value)
    connection.execute(statement.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


set_meta_in = _set_meta
