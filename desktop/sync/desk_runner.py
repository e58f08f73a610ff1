"""A headless desk for the end-to-end fault suite and the benchmarks: a real store, a real engine, scripted steps.

    python -m desktop.sync.desk_runner --home DIR --server URL --user clerk1 --password demo1234 STEP...

Steps run in order:
  accept:N                          accept N enquiry tickets locally (offline is fine)
  edit:TICKET_ID:FIELD=VALUE        change one editable ticket field locally
  transition:ENTITY:ID:STATE:ROLE[:REASON]   a local state change (an intent in the outbox)
  sync                              sync_once, retrying failures until --deadline
  dup-push                          push the oldest outbox batch twice, apply the second answer
  live:SECONDS                      run the engine (SSE, timers) for SECONDS
  random:SEED:N                     N random local edits of every kind the role may make (desk_edits.py)
  fault:POINT[@n]                   arm a kill point from now on (as ONEWINDOW_FAULT does at start)
  skew:SECONDS                      the desk's clock runs SECONDS ahead of (or behind) the system clock
  deadline:SECONDS                  from now on a `sync` step gives up after SECONDS (--deadline)
  describe                          (with --serve) print the description now
The last line printed is one JSON object describing the store (see `describe`).
With --serve the desk then reads one step per line from stdin and answers each with one JSON line.
ONEWINDOW_FAULT=<checkpoint>[@n] SIGKILLs the desk there (desktop/sync/faults.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from desktop.sync.backoff import Backoff
from desktop.sync.client import ApiClient
from desktop.sync.desk_edits import random_edits
from desktop.sync.engine import SyncEngine
from desktop.sync.errors import SessionExpired, SyncError
from desktop.sync.faults import DURING_PAGE_APPLY, FAULT_ENV, checkpoint_for, kill_during, parse_fault
from domain.sync import PullPage, PushRequest

# A fixed key: test desks are throwaway, and a restarted desk process must open the same file.
TEST_KEY = bytes(range(32))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="desk_runner", description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True, type=Path)
    parser.add_argument("--server", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--desk-code")
    parser.add_argument("--deadline", type=float, default=60.0, help="seconds a `sync` step keeps retrying")
    parser.add_argument("--page-limit", type=int, default=1000)
    parser.add_argument("--clock-skew", type=float, default=0.0, help="seconds the desk's clock is off")
    parser.add_argument("--serve", action="store_true", help="then read steps from stdin, one per line")
    parser.add_argument("steps", nargs="*")
    return parser


class Desk:
    def __init__(self, args: argparse.Namespace) -> None:
        from local_store import Store

        self.args = args
        self.skew = timedelta(seconds=args.clock_skew)
        self.store = Store.open(args.home / "desk.db", TEST_KEY, desk_code=args.desk_code, clock=self.now)
        self.client = ApiClient(args.server)
        self.accepted: list[dict[str, str | None]] = []
        self.reports: list[dict[str, Any]] = []
        self.edits: dict[str, int] = {}
        fault = os.environ.get(FAULT_ENV)
        self._arm_page_kill(fault)
        scopes = json.loads(self.store.get_meta("runner_scopes") or "[]")
        self.engine = SyncEngine(
            self.store, self.client, scopes=scopes, checkpoint=checkpoint_for(fault),
            reauthenticate=self.login, page_limit=args.page_limit, interval=5.0,
            backoff=Backoff(base=0.05, cap=1.0),
        )

    def now(self) -> datetime:
        return datetime.now(UTC) + self.skew

    def _arm_page_kill(self, spec: str | None) -> None:
        """Kill the desk while it applies its n-th page from now; any other spec disarms it."""
        apply = self._apply_page = getattr(self, "_apply_page", self.store.apply_pull_page)
        self.store.apply_pull_page = apply  # type: ignore[method-assign]
        fault = parse_fault(spec)
        if fault is None or fault[0] != DURING_PAGE_APPLY:
            return
        nth, seen = fault[1], 0
        delay = float(os.environ.get("ONEWINDOW_FAULT_DELAY", "0.002"))

        def apply_then_die(page: PullPage) -> None:
            nonlocal seen
            seen += 1
            if seen == nth:
                kill_during(delay)
            apply(page)

        self.store.apply_pull_page = apply_then_die  # type: ignore[method-assign]

    async def login(self) -> bool:
        session = await self.client.login(self.args.user, self.args.password, self.store.client_id)
        office_id = str(session.staff.get("office_id", ""))
        self.store.set_meta("runner_office_id", office_id)
        self.store.set_meta("runner_role", str(session.staff.get("role", "clerk")))
        self.store.set_meta("runner_scopes", json.dumps(session.scopes))
        self.engine.scopes = list(session.scopes)
        return True

    def office_id(self) -> str:
        office = self.store.get_meta("runner_office_id")
        if not office:
            raise SystemExit("this desk never signed in: run a `sync` step first")
        return office

    def role(self) -> str:
        return self.store.get_meta("runner_role") or "clerk"

    async def step(self, step: str) -> None:
        name, _, rest = step.partition(":")
        if name == "accept":
            for n in range(int(rest or "1")):
                ticket = self.store.accept_ticket(
                    type_code="enquiry", channel="hall", office_id=self.office_id(),
                    summary=f"desk {self.store.desk_code} enquiry {n}",
                    fields={"enquiry_topic": "tariff", "content": f"question {n}"},
                )
                self.accepted.append({"id": ticket.id, "provisional_number": ticket.provisional_number})
        elif name == "edit":
            ticket_id, _, assignment = rest.partition(":")
            field, _, text = assignment.partition("=")
            try:
                value: Any = json.loads(text)
            except ValueError:
                value = text
            if not isinstance(value, dict | list):
                value = text
            self.store.update_fields("ticket", ticket_id, {field: value})
        elif name == "transition":
            entity, entity_id, state, role, *reason = rest.split(":")
            self.store.transition(entity, entity_id, state, role, reason[0] if reason else None)
        elif name == "sync":
            await self.sync_until_done()
        elif name == "dup-push":
            await self.duplicate_push()
        elif name == "live":
            await self.live(float(rest))
        elif name == "random":
            seed, _, count = rest.partition(":")
            done = random_edits(self.store, random.Random(seed), int(count or "1"), self.role(), self.office_id())
            for kind, n in done.items():
                self.edits[kind] = self.edits.get(kind, 0) + n
        elif name == "fault":
            self._arm_page_kill(rest)
            self.engine._checkpoint_hook = checkpoint_for(rest)
        elif name == "skew":
            self.skew = timedelta(seconds=float(rest))
        elif name == "deadline":
            self.args.deadline = float(rest)
        else:
            raise SystemExit(f"unknown step {step!r}")

    async def sync_until_done(self) -> None:
        if not self.engine.scopes:
            await self.login()
        deadline = time.monotonic() + self.args.deadline
        attempt = 0
        while True:
            try:
                report = await self.engine.sync_once()
                self.reports.append(report.__dict__ | {"resynced": list(report.resynced)})
                return
            except SessionExpired:
                await self.login()
            except SyncError as exc:
                attempt += 1
                if not exc.retryable or time.monotonic() > deadline:
                    raise
                await asyncio.sleep(Backoff(base=0.05, cap=1.0).delay(attempt))

    async def duplicate_push(self) -> None:
        if not self.engine.scopes:
            await self.login()
        batch = self.store.pending_mutations(200)
        if not batch:
            return
        request = PushRequest(schema_version=self.store.schema_version, client_id=self.store.client_id,
                              mutations=batch)
        try:
            first, second = await asyncio.gather(self.client.push(request), self.client.push(request))
        except SessionExpired:  # the refresh token expired too (as `sync` does: sign in again, send again)
            await self.login()
            first, second = await asyncio.gather(self.client.push(request), self.client.push(request))
        if [r.model_dump() for r in first.results] != [r.model_dump() for r in second.results]:
            raise SystemExit("a duplicate batch got a different answer")
        self.store.apply_push_results(second.results)

    async def live(self, seconds: float) -> None:
        if not self.engine.scopes:
            await self.login()
        self.engine._close_client = False
        task = asyncio.ensure_future(self.engine.run())
        await asyncio.sleep(seconds)
        await self.engine.stop()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    def describe(self) -> dict[str, Any]:
        scopes = self.engine.scopes
        return {
            "store": str(self.args.home / "desk.db"),
            "client_id": self.store.client_id,
            "desk_code": self.store.desk_code,
            "schema_version": self.store.schema_version,
            "outbox": self.store.outbox_size(),
            "last_mutation_seq": int(self.store.get_meta("next_seq") or "1") - 1,
            "cursors": {s: self.store.cursor(s) for s in scopes},
            "checksums": {s: self.store.scope_checksum(s).model_dump() for s in scopes},
            "conflicts": [
                {"mutation_id": c.mutation.mutation_id, "code": c.code, "entity_id": c.mutation.entity_id}
                for c in self.store.conflicts(include_resolved=True)
            ],
            "accepted": self.accepted,
            "pending_ids": [m.mutation_id for m in self.store.pending_mutations(1_000_000)],
            "tickets": [
                {"id": t.id, "number": t.number, "provisional_number": t.provisional_number,
                 "version": t.version, "state": t.state, "summary": t.summary}
                for t in self.store.ticket_queue(sort="accepted_at", limit=1_000_000)
            ],
            "reports": self.reports,
            "edits": self.edits,
        }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    desk = Desk(args)
    try:
        for step in args.steps:
            await desk.step(step)
        if args.serve:
            await serve(desk)
        return desk.describe()
    finally:
        await desk.client.aclose()
        desk.store.close()


async def serve(desk: Desk) -> None:
    """Steps from stdin until EOF or `quit`; each answered by one JSON line (a failed step is an answer too)."""
    print(json.dumps({"ready": True}), flush=True)
    loop = asyncio.get_running_loop()
    while line := (await loop.run_in_executor(None, sys.stdin.readline)).strip():
        if line == "quit":
            return
        answer: dict[str, Any]
        try:
            if line == "describe":
                answer = {"ok": True, "describe": desk.describe()}
            else:
                for step in line.split():
                    await desk.step(step)
                answer = {"ok": True}
        except SyncError as exc:
            answer = {"ok": False, "error": type(exc).__name__, "message": str(exc)}
        print(json.dumps(answer, ensure_ascii=False, default=str), flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result = asyncio.run(run(args))
    except SyncError as exc:
        print(json.dumps({"error": type(exc).__name__, "message": str(exc)}, ensure_ascii=False))
        return 2
    print(json.dumps(result, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
