"""Backend tests run over real HTTP against a server process, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from backend.db.migrate import upgrade
from backend.seeding import create_user
from tests.backend.desk import FIXED_NOW, Desk
from tests.backend.server_process import PASSWORD, ServerProcess, start_server

PG_ADMIN = os.environ.get("ONEWINDOW_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")

# username → (role, office, department)
USERS: dict[str, tuple[str, str, str | None]] = {
    "clerk_a": ("clerk", "county-a", None),
    "hotline_a": ("hotline", "county-a", None),
    "dispatcher_a": ("dispatcher", "county-a", None),
    "marketing_a": ("department", "county-a", "marketing"),
    "supervisor_a": ("supervisor", "county-a", None),
    "admin_a": ("admin", "county-a", None),
    "clerk_b": ("clerk", "county-b", None),
}


def _postgres_or_skip() -> psycopg.Connection[tuple[object, ...]]:
    try:
        return psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {PG_ADMIN} is required in CI: {error}")
        pytest.skip(f"PostgreSQL unreachable at {PG_ADMIN}: {error}")


def fresh_database(kind: str, tmp: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield str(tmp / f"ow-{secrets.token_hex(4)}.db")
        return
    name = f"ow_{secrets.token_hex(6)}"
    with _postgres_or_skip() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(db: str) -> None:
    from backend.settings import database_url

    url = database_url(db)
    upgrade(url)
    for username, (role, office, department) in USERS.items():
        create_user(url, username=username, role=role, office=office, password=PASSWORD, department=department)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def db_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def server(db_kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One migrated, seeded server per database kind, shared by the session."""
    tmp = tmp_path_factory.mktemp(f"backend-{db_kind}")
    databases = fresh_database(db_kind, tmp)
    db = next(databases)
    prepare(db)
    process = start_server(db, tmp)
    # The tests' fixed dates (accepted_at = FIXED_NOW) must stay inside the server's window for a
    # desk-stated acceptance time whatever today's date is: the shared server lives at FIXED_NOW.
    response = httpx.post(f"{process.url}/api/v1/test/clock", json={"now": FIXED_NOW.isoformat()})
    assert response.status_code == 200, response.text
    try:
        yield process
    finally:
        process.stop()
        for _ in databases:  # runs the generator's cleanup (drops the PostgreSQL database)
            pass


@pytest.fixture
def desk(server: ServerProcess) -> Iterator[Callable[[str], Desk]]:
    """`desk(username)` signs a desk in; every desk is closed after the test."""
    opened: list[Desk] = []

    def open_desk(username: str) -> Desk:
        opened.append(Desk(server.url, username))
        return opened[-1]

    yield open_desk
    for one in opened:
        one.close()


@pytest.fixture(scope="session")
def clocked_server(db_kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server of its own whose injected clock the tests move (expiry, presence windows, locks)."""
    tmp = tmp_path_factory.mktemp(f"clocked-{db_kind}")
    databases = fresh_database(db_kind, tmp)
    db = next(databases)
    prepare(db)
    process = start_server(db, tmp)
    try:
        yield process
    finally:
        process.stop()
        for _ in databases:
            pass
