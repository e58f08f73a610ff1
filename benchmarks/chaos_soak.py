"""A randomized chaos soak: N desks and a server on loopback, random edits under random faults, then the invariants.

    python benchmarks/chaos_soak.py --schedules 500 --desks 3 --seed 1

One `backend.cli serve` process (test clock) behind the fault proxy (tests/e2e/fault_proxy.py) and N
long-lived desk processes (`desktop.sync.desk_runner --serve`: a real store, a real sync engine), one
per role in turn (clerk, supervisor, hotline, department). Each schedule, drawn from `random.Random(
f"{seed}/{n}")`, runs two rounds in which every desk makes random edits of every kind its role may
write (ticket creates and transitions, customers, notes, verifications, interactions, stage tasks,
survey assignments, audit entries) and syncs, all desks at once, under one or two faults from the
fault suite's set:

  kill_desk       SIGKILL a desk at a named point (desktop/sync/faults.py KILL_POINTS), restart it
  kill_server     SIGKILL the server mid-push (a batch partly committed) or at a random moment of a
                  round, restart it on the same port and database
  drop_request    the proxy loses push or pull requests      drop_response  ... or their answers
  partition       the proxy cuts every link for a round      duplicate      a desk pushes a batch twice
  clock_skew      a desk's clock runs hours ahead or behind  token_expiry   the server's clock jumps
                                                                            past the access token's life
Then a quiet period (links healed, every desk syncs until a whole round in which the server wrote
nothing: no push, no timer of its own firing) and the invariants of DESIGN.md:
  0 lost        every desk's outbox is empty and the server's ledger holds exactly its mutations
                1..last seq, each applied, merged or rejected, every rejection in the desk's inbox;
  0 doubled     one ledger row per mutation id, ticket numbers and provisional numbers unique;
  converged     every desk holds exactly the server's rows of each scope, field by field (a full
                scan on both sides, tests/e2e/invariants.py) and the running checksums agree;
  monotonic     cursors, server scope sequences and row versions never went back (History).
A failing schedule is printed with its seed and number (rerun it with --seed S --first N --schedules 1).
Bounded: --schedules and --time-limit (seconds; the soak stops starting schedules after it).
Last line: {"bench", "value" (fraction of schedules that passed), "floor" (1.0), "ratio", "budget"
(the schedules asked for, >= 500 for the budget), "ok"}.
"""

from __future__ import annotations

import argparse
import json
import queue
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backend.seeding import create_user  # noqa: E402
from backend.settings import database_url  # noqa: E402
from desktop.sync.faults import KILL_POINTS  # noqa: E402
from domain.roles import VERIFIER_ROLES  # noqa: E402
from tests.e2e.fault_proxy import FaultProxy  # noqa: E402
from tests.e2e.harness import PASSWORD, Backend, create_users  # noqa: E402
from tests.e2e.invariants import (  # noqa: E402
    History,
    desk_rows,
    digest,
    ledger,
    row_differences,
    server_rows,
    server_seqs,
)

BUDGET_SCHEDULES = 500
OFFICE = "soak-office"
ROLES = ("clerk", "supervisor", "hotline", "department")
# Fault kinds and how often a schedule draws each (server restarts cost seconds: rarer).
FAULTS = {"kill_desk": 4, "kill_server": 1, "drop_request": 3, "drop_response": 3, "partition": 2,
          "duplicate": 2, "clock_skew": 2, "token_expiry": 2}
SETTLE_ROUNDS = 4  # checks, each after a settled quiet period
CHECKED_DB = "server-checked.db"  # the server as the last check read it (it may write on afterwards)


def snapshot_database(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (what is still in its WAL included)."""
    import sqlite3
    from contextlib import closing

    target.unlink(missing_ok=True)
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)) as live, \
            closing(sqlite3.connect(target)) as copy:
        live.backup(copy)
# Syncs of every desk until one round in which the server wrote nothing. After a clock jump the server's
# SLA timers fire for a while (one transaction each, polled every second): a loaded machine needs rounds.
SYNC_ROUNDS = 15
ANSWER_TIMEOUT = 180.0  # a desk that answers nothing for this long is a failure (a hang)


class DeskProcess:
    """A `desk_runner --serve` process: one step line in, one JSON line out; restarted after a kill."""

    def __init__(self, name: str, user: str, role: str, home: Path, server: str) -> None:
        self.name, self.user, self.role, self.home, self.server = name, user, role, home, server
        self.process: subprocess.Popen[str] | None = None
        self.answers: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.kills = 0
        self.restart_seconds = 0.0

    def start(self) -> None:
        self.spawn()
        self.wait_ready()

    def spawn(self) -> None:
        command = [sys.executable, "-m", "desktop.sync.desk_runner", "--home", str(self.home), "--server",
                   self.server, "--user", self.user, "--password", PASSWORD, "--deadline", "60", "--serve"]
        self.home.mkdir(parents=True, exist_ok=True)
        errors = open(self.home / "stderr.log", "ab")  # noqa: SIM115 - the child keeps it
        self.process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=errors, text=True, bufsize=1)
        errors.close()
        self.answers = queue.Queue()
        threading.Thread(target=self._read, args=(self.process, self.answers), daemon=True).start()

    def wait_ready(self) -> None:
        ready = self.answers.get(timeout=ANSWER_TIMEOUT)
        if ready != {"ready": True}:
            raise RuntimeError(f"desk {self.name} did not start: {ready}")

    @staticmethod
    def _read(process: subprocess.Popen[str], answers: queue.Queue[dict[str, Any] | None]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("{"):
                answers.put(json.loads(line))
        answers.put(None)  # end of output: the process ended (killed, or quit)

    def send(self, line: str) -> None:
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def answer(self) -> dict[str, Any]:
        """The answer to the last line; a desk killed meanwhile is restarted and answers {"killed": True}."""
        try:
            got = self.answers.get(timeout=ANSWER_TIMEOUT)
        except queue.Empty:
            self.stop()
            self.start()
            return {"ok": False, "error": "hang", "message": f"no answer in {ANSWER_TIMEOUT} s"}
        if got is not None:
            return got
        assert self.process is not None
        code = self.process.wait(30)
        restarted = time.monotonic()
        self.start()
        if code != -9:
            return {"ok": False, "error": "exited", "message": f"exit code {code}: {self.stderr_tail()[-600:]}"}
        self.kills += 1
        self.restart_seconds += time.monotonic() - restarted
        return {"ok": False, "killed": True}

    def ask(self, line: str) -> dict[str, Any]:
        self.send(line)
        return self.answer()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)

    def quit(self) -> None:
        if self.process is not None and self.process.poll() is None:
            try:
                self.send("quit")
                self.process.wait(60)
            except (OSError, subprocess.TimeoutExpired):
                self.stop()

    def stderr_tail(self) -> str:
        path = self.home / "stderr.log"
        return path.read_text(errors="replace")[-1500:] if path.exists() else ""


@dataclass
class Soak:
    seed: str
    workdir: Path
    desk_count: int
    edits: int
    backend: Backend = field(init=False)
    proxy: FaultProxy = field(init=False)
    desks: list[DeskProcess] = field(default_factory=list)
    history: History = field(default_factory=History)
    server_now: datetime = field(default_factory=lambda: datetime.now(UTC))
    faults: Counter[str] = field(default_factory=Counter)
    last_edits: dict[str, dict[str, int]] = field(default_factory=dict)  # per desk, since its last start
    server_kills: int = 0
    spent: Counter[str] = field(default_factory=Counter)  # seconds per phase

    def start(self) -> None:
        db = self.workdir / "server.db"
        users = [(f"soak-{ROLES[n % len(ROLES)]}-{n}", ROLES[n % len(ROLES)]) for n in range(self.desk_count)]
        create_users(db, OFFICE)  # the schema, once
        for user, role in users:
            create_user(database_url(str(db)), username=user, role=role, office=OFFICE, password=PASSWORD)
        self.backend = Backend(db, test_clock=True).start()
        self.backend.set_clock(self.server_now.isoformat())
        self.proxy = FaultProxy(self.backend.port)
        self.proxy.start()
        for n, (user, role) in enumerate(users):
            desk = DeskProcess(f"desk{n}", user, role, self.workdir / f"desk{n}", self.proxy.url)
            desk.spawn()  # all at once: a desk process takes seconds to import on a loaded machine
            self.desks.append(desk)
        for desk in self.desks:
            desk.wait_ready()
        for desk, answer in zip(self.desks, self._answers(["sync"] * len(self.desks)), strict=True):
            if not answer.get("ok"):
                raise RuntimeError(f"{desk.name} could not sign in and sync: {answer}")

    def stop(self) -> None:
        for desk in self.desks:
            desk.quit()
        self.proxy.stop()
        self.backend.stop()

    # ---- one schedule ----

    def run_schedule(self, number: int) -> list[str]:
        """Run schedule `number`; the problems found (empty: it passed)."""
        began = time.monotonic()
        rng = random.Random(f"{self.seed}/{number}")
        kinds = list(FAULTS)
        chosen = set(rng.choices(kinds, [FAULTS[k] for k in kinds], k=rng.choice([1, 1, 2])))
        self.faults.update(chosen)
        problems: list[str] = []
        victim = rng.randrange(len(self.desks))
        if "clock_skew" in chosen:
            hours = rng.choice([-1, 1]) * rng.uniform(1, 48)
            problems += self._all(["skew:0"] * len(self.desks), only={victim: f"skew:{hours * 3600:.0f}"})
        if "token_expiry" in chosen:
            self.server_now += timedelta(minutes=rng.choice([16, 61, 24 * 60]))
            self.backend.set_clock(self.server_now.isoformat())
        for round_no in range(2):
            first = round_no == 0
            if first and "drop_request" in chosen:
                self.proxy.add_rule("drop_request", rng.choice(["/sync/push", "/sync/pull"]), rng.randint(1, 2))
            if first and "drop_response" in chosen:
                self.proxy.add_rule("drop_response", rng.choice(["/sync/push", "/sync/pull"]), rng.randint(1, 2))
            partitioned = first and "partition" in chosen
            if partitioned:
                self.proxy.partition()
            lines = []
            for n in range(len(self.desks)):
                steps = ["deadline:0.3" if partitioned else "deadline:60"]
                if rng.random() < 0.85:
                    steps.append(f"random:{self.seed}-{number}-{round_no}-{n}:{rng.randint(1, self.edits)}")
                if first and n == victim and "duplicate" in chosen:
                    steps.append("dup-push")
                if first and n == victim and "kill_desk" in chosen:
                    steps.append(f"fault:{rng.choice(KILL_POINTS)}")
                if rng.random() < 0.75 or (first and n == victim):
                    steps.append("sync")
                lines.append(" ".join(steps))
            kill_server = first and "kill_server" in chosen
            problems += self._all(lines, during=(lambda: self._kill_server(rng)) if kill_server else None,
                                  offline_ok=partitioned)
            if partitioned:
                self.proxy.heal()
        # The quiet period: no faults armed, links healed, every desk syncs twice.
        for rule in self.proxy.rules:
            rule.times = 0
        quiet = time.monotonic()
        self.spent["rounds"] += quiet - began
        problems += self._all(["fault: skew:0 deadline:60 sync"] * len(self.desks), strict=True)
        if problems:
            return problems
        for _ in range(SETTLE_ROUNDS):
            settled = self._settle()
            checking = time.monotonic()
            self.spent["quiet"] += checking - quiet
            if isinstance(settled, list):
                return settled
            # The server's own timers keep writing whenever they fire (an SLA warning after the clock jumped):
            # the desks are checked against a copy of the server as they pulled it, kept for whoever looks later.
            checked = self.workdir / CHECKED_DB
            snapshot_database(self.backend.db, checked)
            if server_seqs(checked) != settled:
                quiet = time.monotonic()  # a timer wrote since the desks' last pull: settle again
                continue
            problems = self.check(checked)
            self.spent["check"] += time.monotonic() - checking
            if not problems or server_seqs(self.backend.db) == settled:
                return problems
            quiet = time.monotonic()  # the server's own timers wrote during the check: settle again
        return problems

    def _settle(self) -> dict[str, int] | list[str]:
        """Every desk syncs until a whole round in which nothing was written on the server (no desk pushed,
        no server timer fired): then each desk has pulled the head. Returns the server's sequences then."""
        for _ in range(SYNC_ROUNDS):
            before = server_seqs(self.backend.db)
            problems = self._all(["sync"] * len(self.desks), strict=True)
            if problems:
                return problems
            if server_seqs(self.backend.db) == before:
                return before
        return [f"the server kept writing through {SYNC_ROUNDS} rounds of syncs"]

    def _kill_server(self, rng: random.Random) -> None:
        """SIGKILL the server at a named point of the round: `mid_push` (once the ledger has grown: a batch
        is partly committed) or `anytime` (after a random delay)."""
        point = rng.choice(["mid_push", "anytime"])
        self.faults[f"kill_server:{point}"] += 1
        if point == "mid_push":
            ledger_rows = "SELECT COUNT(*) FROM mutation_ledger"
            before = self.backend.query(ledger_rows)[0][0]
            deadline = time.monotonic() + 5.0
            while self.backend.query(ledger_rows)[0][0] == before and time.monotonic() < deadline:
                time.sleep(0.005)
        else:
            time.sleep(rng.uniform(0.0, 0.4))
        self.backend.kill()
        self.server_kills += 1
        restarted = time.monotonic()
        self.backend.start()
        self.spent["server restarts"] += time.monotonic() - restarted

    def _all(self, lines: list[str], *, only: dict[int, str] | None = None, during: Any = None,
             offline_ok: bool = True, strict: bool = False) -> list[str]:
        """Send each desk its line at once, then collect the answers. A killed desk is fine unless `strict`;
        a failed sync is fine while faults are armed, never in the quiet period."""
        if only:
            lines = [only.get(n, line) for n, line in enumerate(lines)]
        problems = []
        for desk, line, answer in zip(self.desks, lines, self._answers(lines, during), strict=True):
            if answer.get("ok"):
                continue
            if strict:
                problems.append(f"{desk.name} {line!r} in the quiet period: {answer}")
            elif answer.get("error") in ("hang", "exited") or (
                    not offline_ok and answer.get("error") not in (None, "Offline", "ServerError")):
                problems.append(f"{desk.name} {line!r}: {answer}")
        return problems

    def _answers(self, lines: list[str], during: Any = None) -> list[dict[str, Any]]:
        for desk, line in zip(self.desks, lines, strict=True):
            desk.send(line)
        if during is not None:
            during()
        return [desk.answer() for desk in self.desks]

    # ---- the invariants ----

    def check(self, db: Path) -> list[str]:
        """The invariants, the server read from `db` (a copy taken when the desks had pulled the head)."""
        problems: list[str] = []
        described = {desk.name: desk.ask("describe")["describe"] for desk in self.desks}
        scopes = sorted({scope for d in described.values() for scope in d["cursors"]})
        server = {scope: server_rows(db, scope) for scope in scopes}
        # A role that never verifies customers is sent their identifiers masked: compare with that.
        masked = {scope: server_rows(db, scope, role="department") for scope in scopes}
        digests = {(scope, full): digest(rows) for scope, rows in server.items()
                   for full, rows in ((True, server[scope]), (False, masked[scope]))}
        roles = {desk.name: desk.role for desk in self.desks}
        tallies = {scope: self.backend.checksum(scope) for scope in scopes}
        for name, d in described.items():
            # 0 lost: nothing waits, and the server's ledger holds exactly this desk's mutations 1..last.
            if d["outbox"] or d["pending_ids"]:
                problems.append(f"lost: {name} still has {d['outbox']} in its outbox")
            entries = ledger(db, d["client_id"])
            if [seq for _, seq, _ in entries] != list(range(1, d["last_mutation_seq"] + 1)):
                problems.append(f"lost or doubled: {name} queued 1..{d['last_mutation_seq']}, "
                                f"the ledger holds {len(entries)} (seqs {[s for _, s, _ in entries][-5:]})")
            statuses = Counter(result.get("status") for _, _, result in entries)
            if set(statuses) - {"applied", "merged", "rejected"}:
                problems.append(f"lost: {name} has ledger results {dict(statuses)}")
            rejected = {mid for mid, _, result in entries if result.get("status") == "rejected"}
            shown = {c["mutation_id"] for c in d["conflicts"]}
            if rejected - shown:
                problems.append(f"lost: {name} has {len(rejected - shown)} rejections not in its conflicts inbox")
            if any(not t["number"] for t in d["tickets"]):
                problems.append(f"lost: {name} holds tickets the server never numbered")
            # converged: whole rows, and the running tallies
            versions: dict[Any, int] = {}
            for scope in d["cursors"]:
                rows = desk_rows(Path(d["store"]), scope)
                versions.update(rows.server_versions)
                if rows.local_only:
                    problems.append(f"not converged: {name} {scope} holds {len(rows.local_only)} unacknowledged rows")
                full = roles[name] in VERIFIER_ROLES
                if digest(rows.rows) != digests[(scope, full)]:
                    expected = server[scope] if full else masked[scope]
                    problems.append(f"not converged: {name} {scope}: {row_differences(expected, rows.rows, 3)}")
                last_seq, checksum, count = tallies[scope]
                local = d["checksums"][scope]
                if (d["cursors"][scope], local["checksum"], local["count"]) != (last_seq, checksum, count):
                    problems.append(f"not converged: {name} {scope} tally {d['cursors'][scope]}/{local} "
                                    f"!= server {last_seq}/{checksum}/{count}")
            try:
                self.history.desk(name, d["cursors"], versions)
            except AssertionError as exc:
                problems.append(f"monotonic: {name}: {exc}")
            self.last_edits[name] = d["edits"]
        # 0 doubled: one ledger row per mutation id (its primary key), numbers unique
        for column in ("number", "provisional_number"):
            doubled = self.backend.query(
                f"SELECT {column}, COUNT(*) FROM ticket WHERE {column} IS NOT NULL GROUP BY {column} HAVING COUNT(*) > 1")
            if doubled:
                problems.append(f"doubled: ticket {column}s {doubled[:3]}")
        try:
            every: dict[Any, dict[str, Any]] = {}
            for rows in server.values():
                every.update(rows)
            self.history.server(server_seqs(db), every)
        except AssertionError as exc:
            problems.append(f"monotonic: server: {exc}")
        return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=BUDGET_SCHEDULES)
    parser.add_argument("--first", type=int, default=0, help="number of the first schedule (to rerun one)")
    parser.add_argument("--desks", type=int, default=3)
    parser.add_argument("--seed", default="1")
    parser.add_argument("--edits", type=int, default=4, help="most random edits per desk per round")
    parser.add_argument("--time-limit", type=float, default=4 * 3600.0, help="seconds; no schedule starts after")
    parser.add_argument("--workdir", type=Path, help="keep the databases here (default: a temporary directory)")
    args = parser.parse_args(argv)
    # A soak stopped with SIGTERM still stops its desks and its server (the `finally` below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with tempfile.TemporaryDirectory(prefix="ow-chaos-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        soak = Soak(args.seed, workdir, args.desks, args.edits)
        started = time.monotonic()
        passed = ran = 0
        failures: list[tuple[int, list[str]]] = []
        soak.start()
        try:
            for number in range(args.first, args.first + args.schedules):
                if time.monotonic() - started > args.time_limit:
                    print(f"time limit: stopped after {ran} schedules", file=sys.stderr)
                    break
                problems = soak.run_schedule(number)
                ran += 1
                if problems:
                    failures.append((number, problems))
                    print(f"schedule {number} (seed {args.seed}) FAILED: {problems}", file=sys.stderr)
                else:
                    passed += 1
                if ran % 25 == 0:
                    print(f"{ran} schedules, {passed} passed, {time.monotonic() - started:.0f} s", file=sys.stderr)
        finally:
            soak.stop()
    elapsed = time.monotonic() - started
    desk_kills = sum(desk.kills for desk in soak.desks)
    edits: Counter[str] = Counter()
    for made in soak.last_edits.values():
        edits.update(made)
    print(f"{ran} schedules in {elapsed:.0f} s ({elapsed / max(ran, 1):.2f} s each), seed {args.seed}, "
          f"{args.desks} desks; faults {dict(soak.faults)}; desks killed {desk_kills}, server killed "
          f"{soak.server_kills}; failed schedules {[n for n, _ in failures]}; edits since each desk's last start "
          f"{dict(edits)}", file=sys.stderr)
    spent = dict(soak.spent) | {"desk restarts": sum(desk.restart_seconds for desk in soak.desks)}
    print("seconds per phase: " + ", ".join(f"{k} {v:.0f}" for k, v in spent.items()), file=sys.stderr)
    value = passed / ran if ran else 0.0
    ok = ran >= args.schedules and passed == ran and args.schedules >= BUDGET_SCHEDULES
    print(json.dumps({"bench": "chaos_soak", "value": round(value, 4), "floor": 1.0, "ratio": round(value, 4),
                      "budget": BUDGET_SCHEDULES, "ok": ok}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
