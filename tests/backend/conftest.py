"""Backend tests run over real HTTP against a server process, on SQLite and on PostgreSQL (tests/harness)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.backend.desk import FIXED_NOW, Desk
from tests.harness.databases import PG_ADMIN, USERS, fresh_database, new_database, postgres_or_skip, prepare
from tests.harness.processes import ServerProcess, serving

# Older tests import these from here.
_postgres_or_skip = postgres_or_skip
__all__ = ["PG_ADMIN", "USERS", "fresh_database", "new_database", "prepare"]


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def db_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def server(db_kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One migrated, seeded server per database kind, shared by the session."""
    with serving(db_kind, tmp_path_factory.mktemp(f"backend-{db_kind}")) as (process,):
        # The tests' fixed dates (accepted_at = FIXED_NOW) must stay inside the server's window for a
        # desk-stated acceptance time whatever today's date is: the shared server lives at FIXED_NOW.
        process.set_clock(FIXED_NOW)
        yield process


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
    with serving(db_kind, tmp_path_factory.mktemp(f"clocked-{db_kind}")) as (process,):
        yield process
