from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.sync import MutationResult
from local_store import Store

from .conftest import OFFICE, customer_data, seed

REPAIR_FIELDS = {"fault_kind": "no_power", "contact_phone": "13900001111"}


def _ids(store: Store, text: str) -> list[str]:
    return [hit.customer_id for hit in store.search_customers(text)]


def test_exact_keys_find_the_customer(store: Store) -> None:
    seed(store, customers=12)
    target = customer_data(5)
    assert _ids(store, target["id_number"]) == ["cust-5"]
    assert _ids(store, target["id_number"].lower()) == ["cust-5"]
    assert _ids(store, "139 0000 0005") == ["cust-5"]
    assert _ids(store, "3300000005") == ["cust-5"]
    assert _ids(store, "GD20250005") == ["cust-5"]
    [hit] = store.search_customers(target["id_number"])
    assert hit.matched_on == "resident_id"
    assert hit.id_number_masked == target["id_number"][:6] + "********" + target["id_number"][-4:]
    assert hit.phone_masked == "139****0005"
    assert hit.account_nos == ("3300000005",)
    assert hit.name == target["name"]


def test_digit_prefixes_narrow_as_you_type(store: Store) -> None:
    seed(store, customers=12)
    assert set(_ids(store, "1390000001")) == {"cust-10", "cust-11"}
    assert store.search_customers("1390000001")[0].matched_on == "phone_prefix"
    assert len(_ids(store, "110101")) == 12
    assert _ids(store, "33000000") and store.search_customers("33000000")[0].matched_on == "account_prefix"


def test_names_and_addresses_in_chinese(store: Store) -> None:
    seed(store, customers=12)
    assert set(_ids(store, "欧阳明月")) == {"cust-3", "cust-7", "cust-11"}
    assert _ids(store, "欧阳明月")[0] == "cust-3"  # the exact name first, then names containing it
    assert store.search_customers("欧阳明月")[0].matched_on == "name"
    assert set(_ids(store, "欧阳明")) == {"cust-3", "cust-7", "cust-11"}
    assert _ids(store, "和平里7号") == ["cust-7"]
    assert store.search_customers("和平里7号")[0].matched_on == "address"
    assert len(_ids(store, "东城区")) == 12
    assert set(_ids(store, "东城区 欧阳")) == {"cust-3", "cust-7", "cust-11"}


def test_one_or_two_characters_still_find_names(store: Store) -> None:
    seed(store, customers=12)
    assert set(_ids(store, "王")) == {"cust-1", "cust-5", "cust-9"}
    assert _ids(store, "张伟") == ["cust-0", "cust-4", "cust-8"]
    assert _ids(store, "张伟")[0] == "cust-0"  # the exact name ranks first
    assert _ids(store, "赵") == []
    assert len(store.search_customers("张", limit=2)) == 2


def test_provisional_and_final_ticket_numbers_both_find_the_customer(store: Store) -> None:
    seed(store)
    ticket = store.accept_ticket(
        type_code="repair", channel="hotline", office_id=OFFICE, customer_id="cust-2", fields=REPAIR_FIELDS
    )
    assert _ids(store, "P-D1-1") == ["cust-2"]
    assert _ids(store, "p-d1-1") == ["cust-2"]
    [mutation] = store.pending_mutations()
    record = dict(mutation.fields) | {"number": "GD20259999", "version": 1}
    store.apply_push_results(
        [MutationResult(mutation_id=mutation.mutation_id, status="applied", entity="ticket", entity_id=ticket.id,
                        version=1, record=record, ticket_number="GD20259999")]
    )
    assert _ids(store, "GD20259999") == ["cust-2"]
    assert _ids(store, "P-D1-1") == ["cust-2"]
    assert store.ticket_by_number("P-D1-1") == store.ticket_by_number("GD20259999")


def test_a_locally_created_customer_is_searchable_at_once(store: Store) -> None:
    customer = store.create_customer(office_id=OFFICE, name="诸葛亮亮", phone="13711112222", address="南阳市卧龙区")
    assert _ids(store, "卧龙区") == [customer.id]
    assert _ids(store, "13711112222") == [customer.id]
    store.update_fields("customer", customer.id, {"address": "成都市武侯区"})
    assert _ids(store, "卧龙区") == []
    assert _ids(store, "武侯区") == [customer.id]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=25))
def test_search_never_fails_on_any_text(store: Store, text: str) -> None:
    hits = store.search_customers(text)
    assert len(hits) <= 50
    assert len({hit.customer_id for hit in hits}) == len(hits)
