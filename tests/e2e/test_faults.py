"""The fault suite: a real backend process, real desk processes, faults injected; then the four invariants."""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backend.sync.push import PER_TRANSACTION
from desktop.sync.desk_runner import TEST_KEY
from tests.e2e.fault_proxy import FaultProxy
from tests.e2e.harness import ROOT, Backend, DeskRun, assert_invariants, create_users, run_desk, settled
from tests.e2e.invariants import History

_offices = itertools.count(1)


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    db = tmp_path_factory.mktemp("fault-backend") / "server.db"
    create_users(db, "warmup", "warmup")
    server = Backend(db).start()
    yield server
    server.stop()


@pytest.fixture
def proxy(backend: Backend) -> Iterator[FaultProxy]:
    faults = FaultProxy(backend.port)
    faults.start()
    yield faults
    faults.stop()


class Observed:
    """Settled desk runs, each observed on the way: cursors, scope sequences and row versions never go back."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.history = History()

    def __call__(self, run: DeskRun) -> dict[str, Any]:
        return self.observe(settled(run))

    def observe(self, desk: dict[str, Any]) -> dict[str, Any]:
        self.history.observe(self.backend.db, {desk["store"]: desk})
        return desk


@pytest.fixture
def settle(backend: Backend) -> Observed:
    return Observed(backend)


def office_users(backend: Backend, *roles: str) -> tuple[str, list[str]]:
    office = f"fault-office-{next(_offices)}"
    names = [f"{office}-{role}" for role in roles]
    create_users(backend.db, office, *names)
    return office, names


def ledger_size(backend: Backend, client_id: str) -> int:
    return int(backend.query("SELECT COUNT(*) FROM mutation_ledger WHERE client_id = ?", client_id)[0][0])


@pytest.mark.parametrize("fault", ["drop_request", "drop_response"])
def test_lost_push_request_or_response(
        backend: Backend, proxy: FaultProxy, tmp_path: Path, fault: str, settle: Observed
) -> None:
    _, (user,) = office_users(backend, "clerk")
    proxy.add_rule(fault, "/api/v1/sync/push", times=2)
    desk = settle(run_desk(tmp_path, proxy.url, user, "sync", "accept:3", "sync"))
    assert [kind for kind, _ in proxy.fired] == [fault, fault]
    assert ledger_size(backend, desk["client_id"]) == 3
    assert_invariants(backend, desk)


def test_partition_mid_sync_then_heal(
        backend: Backend, proxy: FaultProxy, tmp_path: Path, settle: Observed
) -> None:
    _, (user,) = office_users(backend, "clerk")
    settle(run_desk(tmp_path, proxy.url, user, "sync"))
    proxy.partition()
    offline = run_desk(tmp_path, proxy.url, user, "accept:2", "sync", deadline=1.0)
    assert offline.returncode == 2 and '"Offline"' in offline.stdout
    proxy.heal()
    desk = settle(run_desk(tmp_path, proxy.url, user, "sync"))
    assert len(desk["tickets"]) == 2
    assert_invariants(backend, desk)


def test_server_killed_mid_batch_and_restarted(backend: Backend, tmp_path: Path, settle: Observed) -> None:
    _, (user,) = office_users(backend, "clerk")
    tickets = 2 * PER_TRANSACTION + PER_TRANSACTION // 2  # several server transactions
    settle(run_desk(tmp_path, backend.url, user, "sync", f"accept:{tickets}"))
    before = backend.query("SELECT COUNT(*) FROM mutation_ledger")[0][0]
    desk = subprocess.Popen(
        [sys.executable, "-m", "desktop.sync.desk_runner", "--home", str(tmp_path), "--server", backend.url,
         "--user", user, "--password", "demo1234", "--deadline", "60", "sync"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while backend.query("SELECT COUNT(*) FROM mutation_ledger")[0][0] == before:
            assert time.monotonic() < deadline and desk.poll() is None, "the desk never started pushing"
            time.sleep(0.01)
        backend.kill()  # mid-batch: the first transaction of the batch has committed, not the last
        assert backend.query("SELECT COUNT(*) FROM mutation_ledger")[0][0] < before + tickets
        backend.start()
        out, err = desk.communicate(timeout=90)
    finally:
        if desk.poll() is None:
            desk.kill()
    assert desk.returncode == 0, err.decode()[-2000:]
    result = settle.observe(json.loads(out.decode().strip().splitlines()[-1]))
    assert ledger_size(backend, result["client_id"]) == tickets
    assert_invariants(backend, result)


def test_desk_killed_after_the_server_answered_before_marking_the_outbox(
        backend: Backend, tmp_path: Path, settle: Observed
) -> None:
    _, (user,) = office_users(backend, "clerk")
    killed = run_desk(tmp_path, backend.url, user, "sync", "accept:5", "sync",
                      fault="after_push_response_before_apply")
    assert killed.killed, killed.stderr
    desk = settle(run_desk(tmp_path, backend.url, user, "sync"))
    assert ledger_size(backend, desk["client_id"]) == 5
    assert len(desk["tickets"]) == 5
    assert_invariants(backend, desk)


def test_desk_killed_while_applying_a_page(backend: Backend, tmp_path: Path, settle: Observed) -> None:
    _, (user,) = office_users(backend, "clerk")
    killed = run_desk(tmp_path, backend.url, user, "sync", fault="during_page_apply@1")
    assert killed.killed, killed.stderr
    desk = settle(run_desk(tmp_path, backend.url, user, "sync"))
    assert_invariants(backend, desk)


def test_duplicate_batch_applies_once(backend: Backend, tmp_path: Path, settle: Observed) -> None:
    _, (user,) = office_users(backend, "clerk")
    desk = settle(run_desk(tmp_path, backend.url, user, "sync", "accept:3", "dup-push", "sync"))
    assert ledger_size(backend, desk["client_id"]) == 3
    assert_invariants(backend, desk)


def test_days_offline_with_a_compacted_cursor_resyncs(backend: Backend, tmp_path: Path, settle: Observed) -> None:
    office, (user,) = office_users(backend, "clerk")
    scope = f"office:{office}"
    first = settle(run_desk(tmp_path, backend.url, user, "sync"))
    create_users(backend.db, office, f"{office}-newcomer")  # the office moves on while the desk is away
    backend.execute("UPDATE scope_state SET horizon = last_seq WHERE scope = ?", scope)
    desk = settle(run_desk(tmp_path, backend.url, user, "accept:2", "sync"))
    assert scope in desk["reports"][-1]["resynced"]
    assert desk["cursors"][scope] > first["cursors"][scope]
    assert len(desk["tickets"]) == 2
    assert_invariants(backend, desk)


def test_two_desks_edit_one_ticket_and_an_offline_transition_goes_stale(
        backend: Backend, tmp_path: Path, settle: Observed
) -> None:
    _, (user_a, user_b) = office_users(backend, "a", "b")
    home_a, home_b = tmp_path / "a", tmp_path / "b"
    a1 = settle(run_desk(home_a, backend.url, user_a, "sync", "accept:1", "sync"))
    ticket = a1["tickets"][0]["id"]
    mine = json.dumps({"enquiry_topic": "policy", "content": "from A"})
    theirs = json.dumps({"enquiry_topic": "outage", "content": "from B"})
    # B edits two fields offline; A edits one of them and syncs first.
    settle(run_desk(home_b, backend.url, user_b, "sync", f"edit:{ticket}:summary=B summary",
                     f"edit:{ticket}:fields={theirs}"))
    settle(run_desk(home_a, backend.url, user_a, f"edit:{ticket}:fields={mine}", "sync"))
    b2 = settle(run_desk(home_b, backend.url, user_b, "sync",
                          f"transition:ticket:{ticket}:cancelled:clerk:duplicate request", "sync"))
    assert b2["reports"][0]["merged"] + b2["reports"][0]["rejected"] >= 1  # B's `fields` lost to A's
    # A, still believing the ticket is accepted, closes it offline: the server says stale_state.
    a3 = settle(run_desk(home_a, backend.url, user_a, f"transition:ticket:{ticket}:closed:clerk", "sync"))
    assert [c["code"] for c in a3["conflicts"]] == ["stale_state"]
    (summary, fields, state) = backend.query("SELECT summary, fields, state FROM ticket WHERE id = ?", ticket)[0]
    assert summary == "B summary" and state == "cancelled"
    assert json.loads(fields)["content"] == "from A"
    assert a3["tickets"][0]["state"] == "cancelled"
    assert_invariants(backend, a3, b2)


def test_upgraded_desk_pushes_the_outbox_it_migrated(backend: Backend, tmp_path: Path, settle: Observed) -> None:
    _, (user,) = office_users(backend, "clerk")
    queued = settle(run_desk(tmp_path, backend.url, user, "sync", "accept:3"))
    assert queued["outbox"] == 3
    make_it_an_older_store(tmp_path / "desk.db")
    desk = settle(run_desk(tmp_path, backend.url, user, "sync"))
    assert desk["schema_version"] == queued["schema_version"] > 1
    assert ledger_size(backend, desk["client_id"]) == 3
    assert_invariants(backend, desk)


def make_it_an_older_store(path: Path) -> None:
    """Turn a head store back into what revision 0001 left: drop later indexes, rewind alembic_version."""
    from local_store.engine import create_store_engine
    from local_store.migrate import upgrade

    def indexes(store_path: Path) -> set[str]:
        engine = create_store_engine(store_path, TEST_KEY)
        try:
            with engine.connect() as connection:
                rows = connection.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all()
                return {row[0] for row in rows}
        finally:
            engine.dispose()

    old = path.with_name("reference-0001.db")
    reference = create_store_engine(old, TEST_KEY)
    upgrade(reference, "0001")
    reference.dispose()
    later = indexes(path) - indexes(old)
    assert later, "no migration after 0001 left a trace to rewind"
    engine = create_store_engine(path, TEST_KEY)
    try:
        with engine.begin() as connection:
            for name in sorted(later):
                connection.exec_driver_sql(f'DROP INDEX "{name}"')
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    finally:
        engine.dispose()


def test_desk_refuses_to_close_a_ticket_whose_stages_are_open(
        backend: Backend, tmp_path: Path, settle: Observed
) -> None:
    """Found by the chaos soak (seed 501): the desk closed a connection ticket whose stages were open and the
    server undid it through the conflicts inbox; the store now asks domain.ticket_rules like the server."""
    from desktop.sync.desk_edits import _connection
    from domain.errors import DomainError
    from local_store import Store

    office, (user,) = office_users(backend, "clerk")
    settle(run_desk(tmp_path, backend.url, user, "sync"))
    store = Store.open(tmp_path / "desk.db", TEST_KEY)
    try:
        ticket = store.accept_ticket(type_code="connection_residential", channel="hall", office_id=office,
                                     fields=_connection(random.Random(1)), materials=["identity", "property_proof"])
    finally:
        store.close()
    settle(run_desk(tmp_path, backend.url, user, "sync"))
    store = Store.open(tmp_path / "desk.db", TEST_KEY)
    try:
        assert any(task.state == "open" for task in store.stage_tasks(ticket.id))
        with pytest.raises(DomainError):
            store.transition("ticket", ticket.id, "closed", "clerk")
    finally:
        store.close()
