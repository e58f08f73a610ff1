"""The search results show each hit's address whole beside its name (issue 12: the address column was cut
off at the right of the results pane at 1440×900)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop.frontdesk import FrontDesk
from desktop.frontdesk.search import CustomerSearchModel
from tests.desktop.support import OFFSCREEN_NOISE

from .test_search import type_query

pytestmark = OFFSCREEN_NOISE


def test_the_address_stands_beside_the_name_and_is_not_cut(qtbot: QtBot, desk: FrontDesk) -> None:
    desk.resize(1320, 800)  # the front desk's share of a 1440×900 window
    model = type_query(qtbot, desk, "张伟")
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    view = desk.search.view
    columns = view.horizontalHeader()
    address = CustomerSearchModel.ADDRESS
    assert columns.visualIndex(CustomerSearchModel.NAME) == 0 and columns.visualIndex(address) == 1
    qtbot.waitUntil(lambda: view.columnWidth(address) >= view.sizeHintForColumn(address))
    right_edge = view.columnViewportPosition(address) + view.columnWidth(address)
    assert 0 < right_edge <= view.viewport().width(), (right_edge, view.viewport().width())
    assert model.headerData(address, columns.orientation()) == "地址"
