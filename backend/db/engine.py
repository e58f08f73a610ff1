"""Engines for SQLite (WAL, busy timeout, foreign keys, immediate write locks) and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: the embedded backend runs one process; SQLite's busy handler is enough
    fcntl = None  # type: ignore[assignment]

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

# A failed statement's log line and exception text name the statement, never its values (customer data).
HIDE_PARAMETERS = True
ENCRYPTED_SQLITE = "sqlite+pysqlcipher"
KEY_BYTES = 32


class WriterGate:
    """SQLite's one writer at a time, queued: the threads of this process on a lock, and the processes
    sharing the file (`serve --workers N`) on an advisory lock beside it (POSIX). A waiter is woken the
    moment the writer finishes, where SQLite's own busy handler polls with sleeps of up to 100 ms and no
    order (under load, some writers starved for seconds)."""

    def __init__(self, database_file: str | None) -> None:
        self._threads = threading.RLock()
        self._depth = 0
        self._path = f"{database_file}.writer-lock" if database_file and fcntl is not None else None
        self._file: Any = None

    def __enter__(self) -> WriterGate:
        self._threads.acquire()
        if self._depth == 0 and self._path is not None:
            if self._file is None:
                self._file = open(self._path, "a+b")  # noqa: SIM115 - held for the process's life
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX)
        self._depth += 1
        return self

    def __exit__(self, *_: object) -> None:
        self._depth -= 1
        if self._depth == 0 and self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
        self._threads.release()

    def close(self) -> None:
        with self._threads:
            if self._file is not None:
                self._file.close()
                self._file = None


@dataclass
class Database:
    """A write engine and a read engine (the same one on PostgreSQL)."""

    url: str
    write_engine: Engine
    read_engine: Engine
    writer_gate: AbstractContextManager[object] = field(default_factory=nullcontext)  # SQLite: a WriterGate

    @property
    def is_sqlite(self) -> bool:
        return self.write_engine.dialect.name == "sqlite"

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any error."""
        with self.writer_gate, sessionmaker(self.write_engine, expire_on_commit=False)() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with sessionmaker(self.read_engine, expire_on_commit=False)() as session, session.begin():
            yield session

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """A read transaction that sees one consistent snapshot (REPEATABLE READ on PostgreSQL)."""
        with sessionmaker(self.read_engine, expire_on_commit=False)() as session, session.begin():
            if not self.is_sqlite:
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            yield session

    def dispose(self) -> None:
        if isinstance(self.writer_gate, WriterGate):
            self.writer_gate.close()
        self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            self.read_engine.dispose()


def encrypted_sqlite_url(path: str, key: bytes) -> str:
    """The URL of a SQLCipher file opened with a raw 256-bit key (SQLAlchemy's pysqlcipher form, whose
    passphrase `x'<hex>'` is SQLCipher's raw-key syntax, so no key derivation runs per connection)."""
    if len(key) != KEY_BYTES:
        raise ValueError("the database key must be 32 bytes")
    return URL.create(ENCRYPTED_SQLITE, username="", password=f"x'{key.hex()}'", database=path).render_as_string(
        hide_password=False)


def _raw_key(url: URL) -> str | None:
    """The `x'<hex>'` key of an encrypted SQLite URL (checked, so it can be put in a PRAGMA), else None."""
    if url.drivername != ENCRYPTED_SQLITE:
        return None
    password = url.password or ""
    hex_key = password.removeprefix("x'").removesuffix("'")
    if len(hex_key) != 2 * KEY_BYTES or not all(c in "0123456789abcdefABCDEF" for c in hex_key):
        raise ValueError("an encrypted SQLite URL carries the key as x'<64 hex digits>'")
    return f"x'{hex_key}'"


def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
    # Readers: a kept connection per request thread (the server runs up to 40); opening one costs
    # a file open and the pragmas below, so they are not closed after a burst.
    pool = {} if immediate else {"pool_size": 48, "max_overflow": 16}
    parsed = make_url(url)
    key = _raw_key(parsed)
    connect_args = {"check_same_thread": False, "timeout": 30}
    if key is None:
        engine = create_engine(url, connect_args=connect_args, hide_parameters=HIDE_PARAMETERS, **pool)
    else:
        import sqlcipher3.dbapi2 as sqlcipher

        path = parsed.database or ""

        def keyed() -> Any:
            connection = sqlcipher.connect(path, **connect_args)
            connection.execute(f'PRAGMA key = "{key}"')  # the first statement on the connection
            return connection

        engine = create_engine(
            URL.create("sqlite+pysqlite", database=path), creator=keyed, module=sqlcipher,
            hide_parameters=HIDE_PARAMETERS, poolclass=QueuePool, **pool,
        )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's begin event own the BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    # A write transaction takes the lock up front, so two writers never deadlock on upgrade.
    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)

    return engine


def open_database(url: str) -> Database:
    if url.startswith("sqlite"):
        file = make_url(url).database
        gate = WriterGate(file if file and file != ":memory:" else None)
        return Database(url, _sqlite_engine(url, immediate=True), _sqlite_engine(url, immediate=False), gate)
    engine = create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True, hide_parameters=HIDE_PARAMETERS)
    return Database(url, engine, engine)
