"""End-to-end parts: desk processes and the invariant checks. The backend process (`Backend`), ports and
accounts come from tests/harness and are re-exported here for the suites and benchmarks that import them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.e2e.invariants import assert_rows_converged
from tests.harness.databases import DEMO_PASSWORD as PASSWORD
from tests.harness.databases import create_users
from tests.harness.ports import free_port
from tests.harness.processes import ROOT
from tests.harness.processes import ServerProcess as Backend

__all__ = ["PASSWORD", "ROOT", "Backend", "DeskRun", "assert_invariants", "create_users", "free_port", "run_desk",
           "settled"]


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
    password: str = PASSWORD,
) -> DeskRun:
    """Run one desk process to its end (or its SIGKILL) and parse the JSON it printed last."""
    child_env = {k: v for k, v in os.environ.items() if k != "ONEWINDOW_FAULT"}
    if fault:
        child_env["ONEWINDOW_FAULT"] = fault
    child_env.update(env or {})
    command = [
        sys.executable, "-m", "desktop.sync.desk_runner", "--home", str(home), "--server", server,
        "--user", user, "--password", password, "--deadline", str(deadline), *steps,
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
