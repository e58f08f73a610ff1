"""Real parts on loopback for end-to-end tests: a backend process, desk processes, invariant checks."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.invariants import assert_rows_converged

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo1234"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def create_users(db: Path, office: str, *usernames: str, role: str = "clerk") -> None:
    """Staff accounts (and their office) through the backend's own create-user path."""
    from backend.db.migrate import upgrade
    from backend.seeding import create_user
    from backend.settings import database_url

    url = database_url(str(db))
    upgrade(url)
    for name in usernames:
        create_user(url, username=name, role=role, office=office, password=PASSWORD)


@dataclass
class Backend:
    """`python -m backend.cli serve` on a SQLite file; can be killed and restarted on the same port."""

    db: Path
    port: int = field(default_factory=free_port)
    test_clock: bool = False
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> Backend:
        command = [sys.executable, "-m", "backend.cli", "serve", "--db", str(self.db), "--port", str(self.port)]
        if self.test_clock:
            command.append("--test-clock")
        log = open(self.db.with_suffix(".log"), "ab")  # noqa: SIM115 - the child keeps it
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"backend exited with {self.process.returncode}: {self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1.0).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"backend did not start: {self.log_tail()}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self) -> str:
        path = self.db.with_suffix(".log")
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def set_clock(self, now: str) -> None:
        httpx.post(f"{self.url}/api/v1/test/clock", json={"now": now}, timeout=10).raise_for_status()

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


@dataclass
class DeskRun:
    returncode: int
    result: dict[str, Any] | None
    stdout: str
    stderr: str

    @property
    def killed(self) -> bool:
        return self.returncode == -signal.SIGKILL


def run_desk(
    home: Path,
    server: str,
    user: str,
    *steps: str,
    fault: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 90.0,
    deadline: float = 30.0,
) -> DeskRun:
    """Run one desk process to its end (or its SIGKILL) and parse the JSON it printed last."""
    child_env = {k: v for k, v in os.environ.items() if k != "ONEWINDOW_FAULT"}
    if fault:
        child_env["ONEWINDOW_FAULT"] = fault
    child_env.update(env or {})
    command = [
        sys.executable, "-m", "desktop.sync.desk_runner", "--home", str(home), "--server", server,
        "--user", user, "--password", PASSWORD, "--deadline", str(deadline), *steps,
    ]
    done = subprocess.run(command, cwd=ROOT, env=child_env, capture_output=True, timeout=timeout)
    lines = done.stdout.decode().strip().splitlines()
    result = json.loads(lines[-1]) if lines and done.returncode == 0 else None
    return DeskRun(done.returncode, result, done.stdout.decode(errors="replace")[-3000:],
                   done.stderr.decode(errors="replace")[-3000:])


def settled(run: DeskRun) -> dict[str, Any]:
    assert run.returncode == 0 and run.result is not None, f"desk failed ({run.returncode}): {run.stderr}"
    return run.result


def assert_invariants(backend: Backend, *desks: dict[str, Any]) -> None:
    """The four invariants of DESIGN.md, checked against the server's database and each settled desk."""
    # 1. no loss: nothing waits in any outbox; every seq a desk used is in the ledger (applied or rejected)
    for desk in desks:
        assert desk["outbox"] == 0 and desk["pending_ids"] == [], desk["pending_ids"][:5]
        seqs = [s for (s,) in backend.query(
            "SELECT seq FROM mutation_ledger WHERE client_id = ? ORDER BY seq", desk["client_id"])]
        assert seqs == list(range(1, len(seqs) + 1)), f"gap or duplicate in ledger seqs: {seqs[:20]}"
        rejected = {
            mid for (mid, result) in backend.query(
                "SELECT mutation_id, result FROM mutation_ledger WHERE client_id = ?", desk["client_id"])
            if _status(result) == "rejected"
        }
        in_inbox = {c["mutation_id"] for c in desk["conflicts"]}
        assert rejected <= in_inbox, f"rejected but not shown: {rejected - in_inbox}"
        # every ticket the desk knows is numbered by the server
        assert all(t["number"] for t in desk["tickets"]), [t for t in desk["tickets"] if not t["number"]][:3]
    # 2. no duplicates: ticket ids and numbers unique on the server, each desk's provisional numbers once
    numbers = backend.query("SELECT number, COUNT(*) FROM ticket GROUP BY number HAVING COUNT(*) > 1")
    assert numbers == [], numbers
    for desk in desks:
        provisional = [t["provisional_number"] for t in desk["tickets"] if t["provisional_number"]]
        server_rows = backend.query(
            f"SELECT COUNT(*) FROM ticket WHERE provisional_number IN ({','.join('?' * len(provisional))})",
            *provisional) if provisional else [(0,)]
        assert server_rows[0][0] == len(set(provisional)) == len(provisional)
    # 3. convergence: each desk's scope checksum equals the server's at the same cursor
    for desk in desks:
        for scope, local in desk["checksums"].items():
            last_seq, checksum, count = backend.checksum(scope)
            assert (desk["cursors"][scope], local["checksum"], local["count"]) == (last_seq, checksum, count), scope
    # ... and on the rows themselves: a full scan of each scope on both sides, field by field
    for desk in desks:
        if "store" in desk:
            assert_rows_converged(backend.db, desk)
    # 4. monotonic: server versions never exceed... the desk holds no version newer than the server's
    for desk in desks:
        for ticket in desk["tickets"]:
            (server_version,) = backend.query("SELECT version FROM ticket WHERE id = ?", ticket["id"])[0]
            assert ticket["version"] == server_version


def _status(result: Any) -> str | None:
    data = json.loads(result) if isinstance(result, str) else result
    return data.get("status") if isinstance(data, dict) else None
