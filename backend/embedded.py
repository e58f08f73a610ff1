"""The backend inside the desktop process: an encrypted SQLite file (SQLCipher, the desk's key), loopback
port, uvicorn in a daemon thread."""

from __future__ import annotations

import secrets
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from backend.app import create_app
from backend.db.engine import encrypted_sqlite_url
from backend.db.migrate import upgrade
from backend.settings import Settings

PLAINTEXT_HEADER = b"SQLite format 3\x00"


@dataclass
class EmbeddedServer:
    url: str
    _server: uvicorn.Server
    _thread: threading.Thread
    channel_key: str | None = None  # demo mode: the 模拟来电 action rings the hotline channel with it

    def stop(self, timeout: float = 5.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def encrypt_plaintext_database(db_path: Path, key: bytes) -> bool:
    """Encrypt a plaintext SQLite file left by an older version in place (True when it did): a SQLCipher
    copy is written beside it, then replaces it, and the plaintext WAL and journal are removed."""
    try:
        with db_path.open("rb") as file:
            if file.read(len(PLAINTEXT_HEADER)) != PLAINTEXT_HEADER:
                return False
    except FileNotFoundError:
        return False
    import sqlcipher3.dbapi2 as sqlcipher

    partial = db_path.with_name(db_path.name + ".encrypting")
    partial.unlink(missing_ok=True)
    plain = sqlcipher.connect(str(db_path), isolation_level=None)
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        plain.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(partial),))
        plain.execute("SELECT sqlcipher_export('encrypted')")
        version = plain.execute("PRAGMA user_version").fetchone()[0]
        plain.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        plain.execute("DETACH DATABASE encrypted")
    finally:
        plain.close()
    partial.replace(db_path)
    for suffix in ("-wal", "-shm", "-journal"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    return True


def start_embedded(
    db_path: Path, *, key: bytes, seed_demo: bool, startup_timeout: float = 20.0
) -> EmbeddedServer:
    """Migrate, seed the demo office when asked and the database is empty, serve on 127.0.0.1.

    The database is SQLCipher with `key` (32 random bytes the desk keeps like its store key); a plaintext
    file from an older version is encrypted first."""
    db_path = db_path.expanduser().resolve()
    encrypt_plaintext_database(db_path, key)
    url = encrypted_sqlite_url(str(db_path), key)
    upgrade(url)
    if seed_demo:
        from backend.seeding import seed_demo as load_demo

        load_demo(url, seed=2026, customers_per_office=1500)
    else:
        from backend.db.engine import open_database
        from backend.seeding import ensure_calendar

        database = open_database(url)
        try:
            ensure_calendar(database)
        finally:
            database.dispose()
    port = _free_port()
    channel_key = secrets.token_urlsafe(24) if seed_demo else None  # loopback only, new each run
    app = create_app(Settings(db_url=url, channel_key=channel_key))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="onewindow-backend", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the embedded backend did not start")
        time.sleep(0.02)
    return EmbeddedServer(url=f"http://127.0.0.1:{port}", _server=server, _thread=thread, channel_key=channel_key)
