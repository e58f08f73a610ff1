"""A real `onewindow-server serve` process on a loopback port, for black-box tests.

One class for every suite: it can be stopped (SIGTERM, then SIGKILL after 10 s), killed outright (SIGKILL, as
a power cut would) and started again on the same port and database. Readiness is `GET /healthz` answering 200.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from tests.harness.clocks import set_server_clock
from tests.harness.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
CHANNEL_KEY = "test-channel-key"  # the channels' key (telephony, app, field devices) of start_server's processes
READY_POLL_SECONDS = 0.05


@dataclass
class ServerProcess:
    """`python -m backend.cli serve` on `db` (a SQLite path or a database URL).

    `migrate=False` passes --no-migrate (the database was prepared already); `test_clock` exposes
    POST /api/v1/test/clock; `channel_key` sets ONEWINDOW_CHANNEL_KEY for the process (None: inherited);
    `env` adds more variables. The log goes to `log_path` (default: beside a SQLite file), appended across
    restarts.
    """

    db: Any  # str or Path, as the test gave it (SQLite file or database URL)
    port: int = field(default_factory=free_port)
    test_clock: bool = False
    migrate: bool = True
    channel_key: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    args: tuple[str, ...] = ()
    log_path: Path | None = None
    scheme: str = "http"  # "https" when `args` give it --tls-cert/--tls-key
    ca_file: Path | None = None  # the CA the readiness probe verifies an https server against
    process: subprocess.Popen[bytes] | None = None

    def __post_init__(self) -> None:
        if self.log_path is None:
            if "://" in str(self.db):
                raise ValueError("a server on a database URL needs a log_path")
            self.log_path = Path(self.db).with_suffix(".log")

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        command = [sys.executable, "-m", "backend.cli", "serve", "--db", str(self.db), "--port", str(self.port)]
        if not self.migrate:
            command.append("--no-migrate")
        if self.test_clock:
            command.append("--test-clock")
        return [*command, *self.args]

    def start(self, timeout: float = 30.0) -> ServerProcess:
        """Start the process and return once it answers /healthz (it fails with the log's tail otherwise)."""
        return self.launch().wait_ready(timeout)

    def launch(self) -> ServerProcess:
        """Start the process without waiting for it (several can then start side by side); see wait_ready."""
        env = dict(os.environ)
        if self.channel_key is not None:
            env["ONEWINDOW_CHANNEL_KEY"] = self.channel_key
        env.update(self.env)
        assert self.log_path is not None
        with self.log_path.open("ab") as log:  # the child keeps its own descriptor
            self.process = subprocess.Popen(self.command(), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
        return self

    def wait_ready(self, timeout: float = 30.0) -> ServerProcess:
        """Return once the launched process answers /healthz; kill it and fail with its log's tail otherwise."""
        assert self.process is not None, "launch() first"
        deadline = time.monotonic() + timeout
        verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=str(self.ca_file)) if self.ca_file else True
        with httpx.Client(timeout=1.0, verify=verify) as probe:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"server exited with {self.process.returncode}: {self.log_tail()}")
                try:
                    if probe.get(f"{self.url}/healthz").status_code == 200:
                        return self
                except httpx.TransportError:
                    pass
                time.sleep(READY_POLL_SECONDS)  # poll interval while the process binds its port
        self.kill()
        raise RuntimeError(f"server did not start within {timeout:g} s: {self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL: the process ends at once, mid-request if need be (a crash, a power cut)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        """SIGTERM and wait for a clean shutdown; SIGKILL after 10 s."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, chars: int = 2000) -> str:
        path = self.log_path
        return path.read_text(errors="replace")[-chars:] if path is not None and path.exists() else ""

    def set_clock(self, now: datetime | str) -> dict[str, str]:
        """Move the injected clock (the process was started with test_clock=True)."""
        return set_server_clock(self.url, now)

    # ---- reading a SQLite server's database directly (the e2e invariants) --------------------------------

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10) as connection:
            return list(connection.execute(sql, params))

    def execute(self, sql: str, *params: Any) -> None:
        connection = sqlite3.connect(self.db, timeout=10)
        try:
            with connection:
                connection.execute(sql, params)
        finally:
            connection.close()

    def checksum(self, scope: str) -> tuple[int, str, int]:
        row = self.query("SELECT last_seq, checksum, count FROM scope_state WHERE scope = ?", scope)
        return row[0] if row else (0, "0" * 16, 0)


def server_process(db: str, log_dir: Path, *, test_clock: bool = True,
                   env: dict[str, str] | None = None) -> ServerProcess:
    """A server (not started yet) on a database prepared already: no migration at start, the test channel key
    and, unless told otherwise, the test clock; its log is `log_dir/server-<port>.log`."""
    port = free_port()
    return ServerProcess(db, port=port, test_clock=test_clock, migrate=False, channel_key=CHANNEL_KEY,
                         env=dict(env or {}), log_path=log_dir / f"server-{port}.log")


def start_server(db: str, log_dir: Path, *, test_clock: bool = True, timeout: float = 30.0,
                 env: dict[str, str] | None = None) -> ServerProcess:
    """`server_process(...)` started and answering."""
    return server_process(db, log_dir, test_clock=test_clock, env=env).start(timeout)


@contextmanager
def serving(db_kind: str, folder: Path, *, replicas: int = 1,
            env: dict[str, str] | None = None) -> Iterator[tuple[ServerProcess, ...]]:
    """`replicas` server processes (test clock on) sharing one new prepared database of `db_kind` ('sqlite' or
    'postgresql'); stopped, and the database dropped, when the block ends."""
    from tests.harness.databases import new_database

    with new_database(db_kind, folder, prepared=True) as db:
        servers: list[ServerProcess] = []
        while len(servers) < replicas:  # ports picked before any process binds one: keep them apart
            candidate = server_process(db, folder, env=env)
            if all(candidate.port != server.port for server in servers):
                servers.append(candidate)
        try:
            for server in servers:  # side by side: each process spends its start importing the backend
                server.launch()
            for server in servers:
                server.wait_ready()
            yield tuple(servers)
        finally:
            for server in servers:
                server.stop()
