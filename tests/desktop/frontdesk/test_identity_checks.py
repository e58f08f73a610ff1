"""The identity comparisons behind the verification dialog (no Qt)."""

from __future__ import annotations

import pytest

from desktop.frontdesk.identity_checks import (
    CardReading,
    NoCardPresent,
    SimulatedCardReader,
    check_account_name_id_tail,
    check_card,
    check_id_number_and_name,
)
from domain.errors import InvalidInput
from domain.records import Account, Customer

from .conftest import account_data, customer_data

CUSTOMER = Customer.model_validate(customer_data(0))
ACCOUNTS = [Account.model_validate(account_data(0))]
ID = CUSTOMER.id_number or ""


def test_id_number_and_name() -> None:
    assert check_id_number_and_name(CUSTOMER, ID.lower(), " 张 伟 ").passed
    assert check_id_number_and_name(CUSTOMER, ID, "张伟").outcome == "passed"
    assert check_id_number_and_name(CUSTOMER, customer_data(1)["id_number"], "张伟").reason == "id_mismatch"
    assert check_id_number_and_name(CUSTOMER, ID, "张为").reason == "name_mismatch"
    no_id = CUSTOMER.model_copy(update={"id_number": None})
    assert check_id_number_and_name(no_id, ID, "张伟").reason == "no_id_on_file"
    with pytest.raises(InvalidInput, match="校验位"):
        check_id_number_and_name(CUSTOMER, ID[:17] + ("1" if ID[17] == "0" else "0"), "张伟")
    with pytest.raises(InvalidInput) as empty_name:
        check_id_number_and_name(CUSTOMER, ID, "  ")
    assert empty_name.value.field == "name"


def test_card_reading() -> None:
    reader = SimulatedCardReader()
    with pytest.raises(NoCardPresent):
        reader.read()
    reader.place(CardReading(ID, "张伟"))
    outcome = check_card(CUSTOMER, reader.read())
    assert outcome.passed and outcome.method == "id_card_reader"
    assert ID not in repr(reader.read())  # a reading may reach a log; the full number may not
    from_source = SimulatedCardReader(source=lambda: CardReading(ID, "李四"))
    assert check_card(CUSTOMER, from_source.read()).reason == "name_mismatch"


def test_account_name_and_id_tail() -> None:
    assert check_account_name_id_tail(CUSTOMER, ACCOUNTS, "3300000000", "张伟", ID[-4:].lower()).passed
    assert check_account_name_id_tail(CUSTOMER, ACCOUNTS, "3300000001", "张伟", ID[-4:]).reason == "account_mismatch"
    assert check_account_name_id_tail(CUSTOMER, ACCOUNTS, "3300000000", "王伟", ID[-4:]).reason == "name_mismatch"
    wrong_tail = "0000" if ID[-4:] != "0000" else "1111"
    assert check_account_name_id_tail(CUSTOMER, ACCOUNTS, "3300000000", "张伟", wrong_tail).reason == "id_tail_mismatch"
    with pytest.raises(InvalidInput) as bad_tail:
        check_account_name_id_tail(CUSTOMER, ACCOUNTS, "3300000000", "张伟", "12a")
    assert bad_tail.value.field == "id_tail"
    with pytest.raises(InvalidInput) as bad_account:
        check_account_name_id_tail(CUSTOMER, ACCOUNTS, "330", "张伟", ID[-4:])
    assert bad_account.value.field == "account_no"
