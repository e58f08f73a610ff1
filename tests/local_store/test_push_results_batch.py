"""`apply_push_results` settles a batch with set-based statements: the store ends exactly as if each result had
been applied alone, in order (`_apply_result`, the per-row path rejections and repeated rows still take)."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.sync import MutationResult
from local_store import Store
from local_store.replay import driver, read_visible
from local_store.schema import ENTITY_TABLES

from .conftest import ManualClock, open_test_store
from .test_running_state import Desk, Step, assert_consistent, steps

_runs = itertools.count()

# Per pending mutation: (status, send the record?, version offset or None, ticket number?, answer twice?)
answers = st.lists(
    st.tuples(st.sampled_from(["applied", "applied", "merged", "rejected"]), st.booleans(),
              st.one_of(st.none(), st.integers(-1, 3)), st.booleans(), st.integers(0, 9)),
    min_size=1, max_size=12,
)


def _results(store: Store, plan: list[tuple[str, bool, int | None, bool, int]]) -> list[MutationResult]:
    results = []
    with store._raw() as db:
        for mutation, (status, with_record, offset, numbered, again) in zip(
            store.pending_mutations(limit=len(plan)), plan, strict=False
        ):
            visible = read_visible(db, mutation.entity, mutation.entity_id) if mutation.entity in ENTITY_TABLES else None
            version = None if offset is None else (mutation.base_version or 1) + offset
            record = visible | {"version": version or 7} if with_record and visible is not None else None
            result = MutationResult(
                mutation_id=mutation.mutation_id, status=status, entity=mutation.entity,  # type: ignore[arg-type]
                entity_id=mutation.entity_id, version=version, record=record,
                ticket_number=f"GD{mutation.seq:06d}" if numbered else None,
                code="stale" if status == "rejected" else None, reason="changed" if status == "rejected" else None,
            )
            results.append(result)
            if again == 0:
                results.append(result)  # a replayed answer: the second one finds nothing to settle
    results.append(MutationResult(mutation_id="not-in-the-outbox", status="applied", entity="customer",
                                  entity_id="nobody", version=1))
    return results


def _dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    tables = [*ENTITY_TABLES, "outbox", "server_shadow", "conflict", "sync_scope"]
    with store._raw() as db:
        dumped = {}
        for table in tables:
            columns = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")') if row[1] != "search_rowid"]
            listed = ", ".join(f'"{column}"' for column in columns)
            dumped[table] = sorted(db.execute(f'SELECT {listed} FROM "{table}"').fetchall(), key=repr)
        return dumped


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps, answers)
def test_a_batch_settles_like_its_results_one_by_one(
    tmp_path: Path, key: bytes, plan: list[Step], answer_plan: list[tuple[str, bool, int | None, bool, int]]
) -> None:
    run = next(_runs)
    batched_path, single_path = tmp_path / f"batched-{run}.db", tmp_path / f"single-{run}.db"
    store = open_test_store(batched_path, key, ManualClock())
    desk = Desk(store)
    for step in plan:
        if step[0] not in ("push", "reject"):
            desk.step(*step)
    desk.step("pull", 1, 1, False)
    for action in ("create", "edit", "accept", "edit"):  # some mutations, two on one row
        desk.step(action, 1, 2, False)
    results = _results(store, answer_plan)
    store.close()
    shutil.copy(batched_path, single_path)
    batched = open_test_store(batched_path, key, ManualClock())
    single = open_test_store(single_path, key, ManualClock())
    try:
        batched.apply_push_results(results)
        with single._write() as connection:
            for result in results:
                single._apply_result(driver(connection), result)
        assert _dump(batched) == _dump(single)
        assert_consistent(batched)
    finally:
        batched.close()
        single.close()


def test_a_backlog_of_creations_settles_to_the_server_copies(store: Store) -> None:
    made = [store.create_customer(office_id="office-1", name=f"离线客户{i}", address=f"新华路{i}号") for i in range(30)]
    pending = store.pending_mutations(limit=100)
    assert len(pending) == 30
    store.apply_push_results([
        MutationResult(mutation_id=m.mutation_id, status="applied", entity="customer", entity_id=m.entity_id, version=1,
                       record=store.customer(m.entity_id).model_dump(mode="json") | {"version": 1, "name": f"规范{n}"})
        for n, m in enumerate(pending)
    ])
    assert store.outbox_size() == 0
    assert [store.customer(c.id).name for c in made] == [f"规范{n}" for n in range(30)]
    assert store.scope_checksum("office:office-1").count == 30
    assert_consistent(store)


def test_a_row_with_later_mutations_keeps_them_replayed_over_the_new_server_copy(store: Store) -> None:
    customer = store.create_customer(office_id="office-1", name="张三", address="人民路1号")
    store.update_fields("customer", customer.id, {"address": "人民路2号"})
    create, edit = store.pending_mutations()
    store.apply_push_results([MutationResult(
        mutation_id=create.mutation_id, status="applied", entity="customer", entity_id=customer.id, version=3,
        record=store.customer(customer.id).model_dump(mode="json") | {"version": 3, "name": "张三丰", "address": "x"},
    )])
    assert [m.mutation_id for m in store.pending_mutations()] == [edit.mutation_id]
    shown = store.customer(customer.id)
    assert (shown.name, shown.address, shown.version) == ("张三丰", "人民路2号", 3)  # server copy + pending edit
    assert_consistent(store)
