"""The backend inside the desktop process: SQLite file, loopback port, uvicorn in a daemon thread."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from backend.app import create_app
from backend.db.migrate import upgrade
from backend.settings import Settings, database_url


@dataclass
class EmbeddedServer:
    url: str
    _server: uvicorn.Server
    _thread: threading.Thread

    def stop(self, timeout: float = 5.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_embedded(db_path: Path, *, seed_demo: bool, startup_timeout: float = 20.0) -> EmbeddedServer:
    """Migrate, seed the demo office when asked and the database is empty, serve on 127.0.0.1."""
    url = database_url(str(db_path))
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
    app = create_app(Settings(db_url=url))
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
    return EmbeddedServer(url=f"http://127.0.0.1:{port}", _server=server, _thread=thread)
