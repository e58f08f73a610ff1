"""State the store keeps incrementally (running scope checksums, the FTS index, trigram counts) agrees with a
recomputation from scratch after any sequence of sync and desk operations."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import local_store.search_stats
from domain.sync import Change, MutationResult, PullPage
from local_store import Store
from local_store.replay import driver

from .conftest import OFFICE, SCOPE, ManualClock, account_data, customer_data, open_test_store, ticket_data

OTHER_OFFICE = "office-2"
SCOPES = (SCOPE, f"office:{OTHER_OFFICE}", "calendar")
REPAIR_FIELDS = {"fault_kind": "no_power", "contact_phone": "13900001111"}
_stores = itertools.count()

Step = tuple[str, int, int, bool]
steps = st.lists(
    st.tuples(
        st.sampled_from(["pull", "pull", "remove", "delete", "edit", "transition", "accept", "create", "push", "reject",
                         "reset", "calendar"]),
        st.integers(0, 5),  # which row
        st.integers(1, 4),  # which version
        st.booleans(),  # which office
    ),
    max_size=30,
)


class Desk:
    """Drives a store the way the sync engine and the clerk would, with a growing cursor."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.cursor = 0

    def pull(self, changes: list[Change]) -> None:
        self.cursor += len(changes) + 1
        self.store.apply_pull_page(PullPage(scope=SCOPE, changes=changes, cursor=self.cursor, has_more=False))

    def step(self, action: str, n: int, version: int, other: bool) -> None:
        office = OTHER_OFFICE if other else OFFICE
        seq = self.cursor + 1
        if action == "pull":
            rows: list[tuple[str, dict[str, Any]]] = [
                ("customer", customer_data(n, version, office_id=office, name=f"客户{n}v{version}")),
                ("account", account_data(n, n, version)),
                ("ticket", ticket_data(n, n, version, office_id=office)),
            ]
            self.pull([Change(seq=seq + i, entity=e, id=d["id"], kind="upsert", version=version, data=d)
                       for i, (e, d) in enumerate(rows)])
        elif action in ("remove", "delete"):
            self.pull([Change(seq=seq, entity=entity, id=f"{prefix}-{n}", kind=action, version=version)  # type: ignore[arg-type]
                       for entity, prefix in (("customer", "cust"), ("ticket", "tick"))])
        elif action == "calendar":
            day = {"id": f"day-{n}", "office_id": "*", "version": version, "day": f"2025-05-0{n + 1}", "working": False}
            self.store.apply_pull_page(PullPage(
                scope="calendar", changes=[Change(seq=seq, entity="calendar_day", id=day["id"], kind="upsert",
                                                  version=version, data=day)],
                cursor=seq, has_more=False))
            self.cursor = seq
        elif action == "edit" and self.store.customer(f"cust-{n}") is not None:
            self.store.update_fields("customer", f"cust-{n}", {"address": f"新地址{n}-{version}号"})
        elif action == "transition":
            ticket = self.store.ticket(f"tick-{n}")
            if ticket is not None and ticket.state == "accepted":
                self.store.transition("ticket", ticket.id, "in_progress", role="clerk")
        elif action == "accept":
            self.store.accept_ticket(type_code="repair", channel="hall", office_id=office, fields=REPAIR_FIELDS)
        elif action == "create":
            self.store.create_customer(office_id=office, name=f"新客户{n}", address=f"新建路{version}号")
        elif action in ("push", "reject"):
            self.settle(action == "reject", version)
        elif action == "reset":
            self.store.reset_scope(SCOPE)
            self.cursor = 0

    def settle(self, reject: bool, version: int) -> None:
        pending = self.store.pending_mutations(limit=3)
        results = []
        for mutation in pending:
            current = self.store.ticket(mutation.entity_id) if mutation.entity == "ticket" else (
                self.store.customer(mutation.entity_id))
            if reject and version == 1:
                current = None  # a rejected create without a record removes the row
            record = current.model_dump(mode="json") | {"version": version + 4} if current is not None else None
            results.append(MutationResult(
                mutation_id=mutation.mutation_id, status="rejected" if reject else "applied", entity=mutation.entity,
                entity_id=mutation.entity_id, version=version + 4, record=record,
                ticket_number=None if reject else f"GD{mutation.seq:06d}"))
        self.store.apply_push_results(results)


def assert_consistent(store: Store) -> None:
    for scope in SCOPES:
        assert store.scope_checksum(scope) == store.verify_scope_checksum(scope), scope
    with store._write() as connection:
        # FTS5 compares its index with the customer table and raises on any difference.
        driver(connection).execute("INSERT INTO customer_fts(customer_fts, rank) VALUES ('integrity-check', 1)")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps)
def test_running_checksum_and_fts_agree_with_a_full_recount(tmp_path: Path, key: bytes, plan: list[Step]) -> None:
    store = open_test_store(tmp_path / f"desk-{next(_stores)}.db", key, ManualClock())
    try:
        desk = Desk(store)
        for number, step in enumerate(plan):
            desk.step(*step)
            if number % 5 == 4:
                assert_consistent(store)
        assert_consistent(store)
    finally:
        store.close()


def test_a_broken_running_total_is_caught_by_the_verification(store: Store) -> None:
    Desk(store).step("pull", 1, 1, False)
    assert store.scope_checksum(SCOPE).count == 3
    with store._write() as connection:
        driver(connection).execute("UPDATE ticket SET server_version = 9 WHERE id = 'tick-1'")  # behind the tally
    assert store.scope_checksum(SCOPE) != store.verify_scope_checksum(SCOPE)


def test_a_bulk_load_makes_totals_unknown_then_they_are_rescanned(store: Store) -> None:
    Desk(store).step("pull", 1, 1, False)
    store.bulk_insert_customers([customer_data(n, 2) for n in range(10, 15)])
    with store._raw() as db:
        assert db.execute("SELECT local_checksum FROM sync_scope WHERE scope = ?", (SCOPE,)).fetchone() == (None,)
    assert store.scope_checksum(SCOPE) == store.verify_scope_checksum(SCOPE)
    assert store.scope_checksum(SCOPE).count == 8
    assert [hit.customer_id for hit in store.search_customers("和平里12号")] == ["cust-12"]


def _names(store: Store, text: str) -> set[str]:
    return {hit.customer_id for hit in store.search_customers(text, limit=500)}


@pytest.mark.parametrize("with_statistics", [False, True])
def test_text_search_finds_exactly_the_customers_containing_the_text(
    store: Store, monkeypatch: pytest.MonkeyPatch, with_statistics: bool
) -> None:
    streets = ["和平里", "建设路", "人民路"]
    rows = [customer_data(n, name=["张伟", "王秀英", "李建国"][n % 3] + str(n), address=f"河北省保定市{streets[n % 3]}{n}号")
            for n in range(60)]
    if with_statistics:
        monkeypatch.setattr(local_store.search_stats, "MIN_CUSTOMERS", 10)
        monkeypatch.setattr(local_store.search_stats, "COMMON_TERM_DOCS", 5)
    store.apply_pull_page(PullPage(
        scope=SCOPE, changes=[Change(seq=n + 1, entity="customer", id=d["id"], kind="upsert", version=1, data=d)
                              for n, d in enumerate(rows)], cursor=60, has_more=False))
    with store._raw() as db:
        counted = db.execute("SELECT count(*) FROM search_trigram").fetchone()[0]
    assert (counted > 0) is with_statistics
    for text in ["河北省保定市", "保定市建设路1", "建设路1", "路1", "人民路59号", "保定 王秀英", "秀英", "省保定市和平里3"]:
        expected = {d["id"] for d in rows
                    if all(term in d["name"] or term in d["address"] for term in text.split())}
        if len(text) < 3 and " " not in text:
            expected = {d["id"] for d in rows if d["name"].startswith(text)}
        assert _names(store, text) == expected, text
