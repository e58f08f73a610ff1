"""Push and pull over HTTP: idempotent replay, scope enforcement, merges, pages and checksums."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from domain.sync import combine, format_checksum, row_hash
from tests.backend.desk import Desk
from tests.backend.server_process import ServerProcess

DeskFactory = Callable[[str], Desk]


def _customer(desk: Desk, name: str = "李四") -> dict[str, Any]:
    return desk.mutation("customer", "create", fields={"name": name, "phone": "13912345678"})


def test_replayed_batch_applies_once(desk: DeskFactory) -> None:
    clerk = desk("clerk_a")
    batch = [_customer(clerk, f"客户{i}") for i in range(3)]
    first = clerk.push(*batch)
    again = clerk.push(*batch)
    assert [r["status"] for r in first] == ["applied"] * 3
    assert again == first
    rows, _ = clerk.pull_all("office:county-a")
    for mutation in batch:
        assert rows[("customer", mutation["entity_id"])]["version"] == 1


def test_concurrent_identical_batches_apply_once(server: ServerProcess, desk: DeskFactory) -> None:
    clerk = desk("clerk_a")
    batch = [_customer(clerk, f"并发{i}") for i in range(5)]
    with ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(lambda _: clerk.push_raw(*batch), range(6)))
    assert all(r.status_code == 200 for r in responses), [r.text for r in responses]
    results = [r.json()["results"] for r in responses]
    assert all(result == results[0] for result in results)
    assert all(r["status"] == "applied" and r["version"] == 1 for r in results[0])


def test_lost_response_retry_returns_the_stored_result(desk: DeskFactory) -> None:
    clerk = desk("clerk_a")
    lost = _customer(clerk)
    clerk.push(lost)  # the desk never saw this answer
    later = clerk.mutation("customer", "update", lost["entity_id"], fields={"address": "新地址"}, base={"address": ""})
    retried, updated = clerk.push(lost, later)
    assert retried["status"] == "applied" and retried["version"] == 1
    assert updated["status"] == "applied" and updated["version"] == 2


def test_other_county_can_neither_pull_nor_push(desk: DeskFactory) -> None:
    clerk_a, clerk_b = desk("clerk_a"), desk("clerk_b")
    customer = clerk_a.new_customer()
    pulled = clerk_b.pull("office:county-a")
    assert pulled.status_code == 403
    assert pulled.json()["error"]["code"] == "out_of_scope"
    (update,) = clerk_b.push(
        clerk_b.mutation("customer", "update", customer["id"], fields={"name": "王五"}, base={"name": "张三"})
    )
    assert update["status"] == "rejected" and update["code"] == "out_of_scope" and update["record"] is None
    (create,) = clerk_b.push(
        clerk_b.mutation("customer", "create", fields={"name": "赵六", "office_id": "county-a"})
    )
    assert create["status"] == "rejected" and create["code"] == "out_of_scope"
    rows, _ = clerk_a.pull_all("office:county-a")
    assert rows[("customer", customer["id"])]["name"] == "张三"


def test_field_merge_reports_conflicts(desk: DeskFactory) -> None:
    one, two = desk("clerk_a"), desk("hotline_a")
    customer = one.new_customer(address="一号路")
    (first,) = one.push(one.mutation("customer", "update", customer["id"], fields={"address": "二号路"},
                                     base={"address": "一号路"}))
    assert first["status"] == "applied"
    (second,) = two.push(two.mutation("customer", "update", customer["id"], fields={"address": "三号路", "name": "张三丰"},
                                      base={"address": "一号路", "name": "张三"}))
    assert second["status"] == "merged"
    assert second["record"]["address"] == "二号路" and second["record"]["name"] == "张三丰"
    assert [c["field"] for c in second["conflicts"]] == ["address"]


def test_server_owned_fields_are_not_editable(desk: DeskFactory) -> None:
    clerk = desk("clerk_a")
    customer = clerk.new_customer()
    (result,) = clerk.push(clerk.mutation("customer", "update", customer["id"], fields={"version": 9}, base={}))
    assert result["status"] == "rejected" and result["code"] == "not_editable"
    assert result["record"]["version"] == 1


def test_invalid_record_is_rejected_and_nothing_stored(desk: DeskFactory) -> None:
    clerk = desk("clerk_a")
    bad = clerk.mutation("customer", "create", fields={"name": "钱七", "customer_class": "99"})
    (result,) = clerk.push(bad)
    assert result["status"] == "rejected" and result["code"] == "invalid_input"
    rows, _ = clerk.pull_all("office:county-a")
    assert ("customer", bad["entity_id"]) not in rows


def test_checksum_matches_the_rows_pulled(desk: DeskFactory) -> None:
    clerk = desk("clerk_a")
    clerk.new_customer()
    rows, last_page = clerk.pull_all("office:county-a")
    total = 0
    for (entity, entity_id), data in rows.items():
        total = combine(total, add=row_hash(entity, entity_id, data["version"]))
    assert last_page["checksum"] == format_checksum(total)
    assert last_page["count"] == len(rows)
    summary = clerk.client.get("/api/v1/sync/checksum", params={"scope": "office:county-a"}, headers=clerk.headers)
    assert summary.status_code == 200
    assert summary.json()["cursor"] >= last_page["cursor"]


def test_pages_end_on_transaction_boundaries(desk: DeskFactory) -> None:
    clerk = desk("clerk_a")
    _, page = clerk.pull_all("office:county-a")
    start = page["cursor"]
    clerk.push(_customer(clerk))  # one batch is one transaction: one seq per scope
    clerk.push(_customer(clerk), _customer(clerk))  # two rows, one seq: sent whole, never split
    pages = []
    cursor = start
    while True:
        response = clerk.pull("office:county-a", cursor, limit=1)
        body = response.json()
        pages.append(body)
        cursor = body["cursor"]
        if not body["has_more"]:
            break
    seqs = [{c["seq"] for c in p["changes"]} for p in pages if p["changes"]]
    assert all(len(s) == 1 for s in seqs)
    assert [len(p["changes"]) for p in pages if p["changes"]] == [1, 2]
    assert cursor > start


def test_a_rejection_inside_a_batch_leaves_the_rest_applied(desk: DeskFactory) -> None:
    clerk = desk("clerk_a")
    first, bad = _customer(clerk, "周一"), clerk.mutation("customer", "create", fields={"name": "周二", "customer_class": "99"})
    later = clerk.mutation("customer", "update", first["entity_id"], fields={"address": "三号路"}, base={"address": ""})
    results = clerk.push(first, bad, later)
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert results[2]["version"] == 2
    assert clerk.push(first, bad, later) == results  # replayed from the ledger, nothing applied twice
    rows, _ = clerk.pull_all("office:county-a")
    assert ("customer", bad["entity_id"]) not in rows
    assert rows[("customer", first["entity_id"])]["version"] == 2


def test_cursor_ahead_of_server_must_resync(desk: DeskFactory) -> None:
    clerk = desk("clerk_a")
    page = clerk.pull("office:county-a", cursor=10**9).json()
    assert page["must_resync"] is True and page["changes"] == []
