"""Test databases: a fresh SQLite file or a fresh PostgreSQL database per server, migrated and seeded.

Every PostgreSQL database is created by name (`ow_<random>`) from the admin connection (ONEWINDOW_TEST_PG,
default the local `test` database) and dropped WITH (FORCE) afterwards, so two test processes (or pytest-xdist
workers) never share one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Generator, Iterator
from pathlib import Path

import psycopg
import pytest

PG_ADMIN = os.environ.get("ONEWINDOW_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
PASSWORD = "correct horse 1"  # every account `prepare` creates
DEMO_PASSWORD = "demo1234"  # the accounts `create_users` creates (the demo office's password)

# username → (role, office, department[, display name]): the accounts of a prepared database
Accounts = dict[str, tuple[str, str, str | None] | tuple[str, str, str | None, str]]
USERS: Accounts = {
    "clerk_a": ("clerk", "county-a", None),
    "hotline_a": ("hotline", "county-a", None),
    "dispatcher_a": ("dispatcher", "county-a", None),
    "marketing_a": ("department", "county-a", "marketing"),
    "supervisor_a": ("supervisor", "county-a", None),
    "admin_a": ("admin", "county-a", None),
    "manager_a": ("manager", "county-a", None),  # prefecture level, read-only (the efficiency monitor)
    "clerk_b": ("clerk", "county-b", None),
}


def postgres_or_skip() -> psycopg.Connection[tuple[object, ...]]:
    """The admin connection; the test is skipped when PostgreSQL is unreachable (it fails in CI)."""
    try:
        return psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {PG_ADMIN} is required in CI: {error}")
        pytest.skip(f"PostgreSQL unreachable at {PG_ADMIN}: {error}")


def fresh_database(kind: str, tmp: Path) -> Generator[str, None, None]:
    """A generator yielding one new, empty database ('sqlite' file in `tmp` or 'postgresql' URL); exhausting
    it drops the PostgreSQL database. Prefer `new_database`, the same as a context manager."""
    if kind == "sqlite":
        yield str(tmp / f"ow-{secrets.token_hex(4)}.db")
        return
    name = f"ow_{secrets.token_hex(6)}"
    with postgres_or_skip() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def new_database(kind: str, tmp: Path, *, prepared: bool = False) -> Iterator[str]:
    """A new database of `kind` for the block (dropped after it); migrated and seeded with USERS if `prepared`."""
    databases = fresh_database(kind, tmp)
    db = next(databases)
    try:
        if prepared:
            prepare(db)
        yield db
    finally:
        databases.close()  # runs the generator's cleanup: drops the PostgreSQL database


def prepare(db: str, users: Accounts | None = None, *, password: str = PASSWORD) -> None:
    """Migrate `db` and create the accounts (default USERS) through the backend's own create-user path."""
    from backend.db.migrate import upgrade
    from backend.seeding import create_user
    from backend.settings import database_url

    url = database_url(db)
    upgrade(url)
    for username, (role, office, department, *display_name) in (USERS if users is None else users).items():
        create_user(url, username=username, role=role, office=office, password=password, department=department,
                    display_name=display_name[0] if display_name else None)


def create_users(db: Path | str, office: str, *usernames: str, role: str = "clerk",
                 password: str = DEMO_PASSWORD) -> None:
    """Staff accounts (and their office) of one role, on a database migrated here if need be."""
    accounts: Accounts = {name: (role, office, None) for name in usernames}
    prepare(str(db), accounts, password=password)
