"""`onewindow-server backup` and `restore` (docs/operations.md): a consistent copy of a running server's database,
and that copy put back into an empty database (or over one, when told so), brought to this server's schema.

SQLite: SQLite's online backup (a consistent snapshot while the server writes; the WAL is folded in), checked with
`PRAGMA integrity_check` before the copy is kept. PostgreSQL: `pg_dump --format=custom` (one repeatable-read
snapshot) and `pg_restore`; both programs must be on PATH, of the server's major version or newer. Restore refuses a
database that holds data unless `--replace`, so a mistyped target is never overwritten; after it, the schema is
migrated to this server's head, so an older backup serves a newer server.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, inspect, make_url

from backend.db.migrate import upgrade


class BackupError(Exception):
    """A backup or restore that cannot be done: the sentence says why; nothing was changed."""


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    return Path(str(parsed.database)) if parsed.get_backend_name() == "sqlite" else None


def _libpq(url: str) -> str:
    """The URL as pg_dump and pg_restore take it (no SQLAlchemy driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (the PostgreSQL client programs are needed)")
    return found


def backup(url: str, target: Path) -> str:
    """Write a consistent copy of the database at `url` to `target` (which must not exist)."""
    if target.exists():
        raise BackupError(f"{target} exists: choose a new file (a backup never overwrites one)")
    path = _sqlite_path(url)
    if path is not None:
        if not path.is_file():
            raise BackupError(f"no database at {path}")
        partial = target.with_name(target.name + ".partial")
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy)
                checked = copy.execute("PRAGMA integrity_check").fetchone()
                if checked != ("ok",):
                    raise BackupError(f"the copy failed its integrity check: {checked}")
            finally:
                copy.close()
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        finally:
            source.close()
        partial.rename(target)
        return f"backed up to {target} ({target.stat().st_size:,} bytes)"
    done = subprocess.run([_program("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", _libpq(url)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {done.stderr.strip()[:500]}")
    return f"backed up to {target} ({target.stat().st_size:,} bytes)"


def _holds_data(url: str) -> bool:
    engine = create_engine(url)
    try:
        return bool(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def restore(url: str, source: Path, *, replace: bool = False) -> str:
    """Put the backup `source` into the database at `url` and migrate it to this server's schema."""
    if not source.is_file():
        raise BackupError(f"no backup at {source}")
    path = _sqlite_path(url)
    if path is not None:
        _check_sqlite_backup(source)
        if path.exists() and path.stat().st_size > 0 and not replace:
            raise BackupError(f"{path} holds a database: restore into a new file, or pass --replace to overwrite it")
        partial = path.with_name(path.name + ".restoring")
        copy = sqlite3.connect(partial)
        origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            origin.backup(copy)
        finally:
            origin.close()
            copy.close()
        for leftover in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        partial.replace(path)
    else:
        if _holds_data(url) and not replace:
            raise BackupError("the database holds tables: restore into an empty database, or pass --replace")
        listing = subprocess.run([_program("pg_restore"), "--list", str(source)], capture_output=True, text=True)
        if listing.returncode != 0:
            raise BackupError(f"{source} is not a pg_dump archive: {listing.stderr.strip()[:300]}")
        command = [_program("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={_libpq(url)}", str(source)]
        if replace:
            command[1:1] = ["--clean", "--if-exists"]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed: {done.stderr.strip()[:500]}")
    return f"restored from {source}; schema at revision {upgrade(url)}"


def _check_sqlite_backup(source: Path) -> None:
    try:
        connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            checked = connection.execute("PRAGMA integrity_check").fetchone()
            has_schema = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not a SQLite backup: {error}") from None
    if checked != ("ok",) or has_schema is None:
        raise BackupError(f"{source} is not a OneWindow backup (integrity: {checked}, schema: {bool(has_schema)})")
