"""The ticket queue names an organisation in full and a person by surname (issue 12: a company read 岚*****)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from desktop.tickets.queue_model import TicketQueueModel
from desktop.tickets.store_reads import QueueFilters
from local_store import Store, TicketFilters
from tests.desktop.tickets.conftest import OFFICE, DeskClock, Server, customer_data, ticket_data
from tests.desktop.tickets.test_queue_model import loaded

pytestmark = pytest.mark.usefixtures("desk_loop")

COMPANY = "岚川县天成酒业有限公司"
CUSTOMER_COLUMN = 4


def test_the_queue_shows_a_companys_name_whole_and_a_persons_masked(qtbot: QtBot, store: Store,
                                                                    server: Server, desk_clock: DeskClock) -> None:
    company = customer_data(7, "01") | {"name": COMPANY, "id_type": "credit_code"}
    server.send(("customer", customer_data(0)), ("customer", company),
                ("ticket", ticket_data(1, customer=0)), ("ticket", ticket_data(2, customer=7)),
                ("ticket", ticket_data(3, customer=None)))
    model = loaded(qtbot, TicketQueueModel(store, clock=desk_clock), QueueFilters(base=TicketFilters(office_id=OFFICE)))
    shown = {model.data(model.index(r, 0)): model.data(model.index(r, CUSTOMER_COLUMN))
             for r in range(model.rowCount())}
    assert shown == {"GD20250303000001": "张*", "GD20250303000002": COMPANY, "GD20250303000003": "（匿名）"}
