"""Run the packaged Alembic migrations against a database URL."""

from __future__ import annotations

from importlib.resources import as_file, files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from backend.db.engine import open_database


def upgrade(url: str) -> str:
    """Bring the database at `url` to the newest revision; returns that revision."""
    database = open_database(url)
    try:
        engine = database.read_engine if database.is_sqlite else database.write_engine
        with as_file(files("backend.db.migrations")) as location:
            config = Config()
            config.set_main_option("script_location", str(location))
            with engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        return head_revision()
    finally:
        database.dispose()


def head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(files("backend.db.migrations")))
    head = ScriptDirectory.from_config(config).get_current_head()
    return head or ""


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_version() -> int:
    """The schema number reported by /healthz: the count of shipped revisions."""
    config = Config()
    config.set_main_option("script_location", str(files("backend.db.migrations")))
    return sum(1 for _ in ScriptDirectory.from_config(config).walk_revisions())
