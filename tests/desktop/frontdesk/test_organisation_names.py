"""An organisation's name is not personal data: the desk shows it whole where a person's is masked (issue 12).

Seen: 岚川县天成酒业有限公司 read 岚********** in the search results and on the card.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop.conflicts_dialog import record_title
from desktop.frontdesk import FrontDesk
from desktop.frontdesk.search import CustomerSearchModel
from domain.identity import credit_code_check_char
from domain.sync import Mutation
from local_store import ConflictEntry, Store
from tests.desktop.support import OFFSCREEN_NOISE

from .conftest import OFFICE, customer_data, open_card, pull_page
from .test_search import column, type_query

pytestmark = OFFSCREEN_NOISE

COMPANY = "岚川县天成酒业有限公司"
COMPANY_ID = "cust-org"


def _credit_code() -> str:
    first17 = "91110101MA01ABCD1"
    return first17 + credit_code_check_char(first17)


def _company(store: Store) -> None:
    data = customer_data(0) | {"id": COMPANY_ID, "name": COMPANY, "id_type": "credit_code",
                               "id_number": _credit_code(), "phone": "01088886666", "address": "北京市东城区酒仙桥1号"}
    store.apply_pull_page(pull_page([("customer", data)]).model_copy(update={"cursor": 100}))


def test_search_results_show_a_company_whole_and_a_person_masked(qtbot: QtBot, desk: FrontDesk, store: Store) -> None:
    _company(store)
    model = type_query(qtbot, desk, "天成酒业")
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert column(model, CustomerSearchModel.NAME) == [COMPANY]
    model = type_query(qtbot, desk, "张伟")
    qtbot.waitUntil(lambda: model.rowCount() >= 1)
    assert column(model, CustomerSearchModel.NAME)[0] == "张*"


def test_the_card_shows_a_company_name_whole_and_its_identifiers_masked(qtbot: QtBot, desk: FrontDesk,
                                                                        store: Store) -> None:
    _company(store)
    open_card(qtbot, desk, COMPANY_ID)
    card = desk.card
    assert card.findChild(QLabel, "customerName").text() == COMPANY
    assert card.findChild(QLabel, "customerIdNumber").text() != _credit_code()  # the code stays masked
    assert card.findChild(QLabel, "customerPhone").text() != "01088886666"
    open_card(qtbot, desk, "cust-0")
    assert card.findChild(QLabel, "customerName").text() == "张*"


def _conflict(row: dict[str, object]) -> ConflictEntry:
    at = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)
    mutation = Mutation(mutation_id="m-1", client_id="c-1", seq=1, entity="customer", entity_id=str(row["id"]),
                        op="update", created_at=at)
    return ConflictEntry(id=1, mutation=mutation, code="stale", reason=None, mine=row, server=row, created_at=at)


def test_the_conflicts_inbox_names_a_company_whole_and_a_person_by_surname() -> None:
    company = {"id": COMPANY_ID, "office_id": OFFICE, "name": COMPANY, "id_type": "credit_code"}
    assert record_title(_conflict(company)).endswith(COMPANY)
    person = customer_data(0)
    assert record_title(_conflict(person)).endswith(" 张*")
