"""Search as you type over a real store: every kind of key, masking, latest query wins, keyboard and mouse."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from desktop.frontdesk import FrontDesk
from desktop.frontdesk.search import CustomerSearchModel
from tests.desktop.support import OFFSCREEN_NOISE, settled

from .conftest import customer_data, open_card, type_text

pytestmark = OFFSCREEN_NOISE


def type_query(qtbot: QtBot, desk: FrontDesk, text: str) -> CustomerSearchModel:
    box = desk.findChild(QLineEdit, "customerSearch")
    assert box is not None
    box.clear()
    box.setFocus()
    type_text(qtbot, box, text)
    model = desk.search.model
    qtbot.waitUntil(lambda: model.query == text)
    return model


def column(model: CustomerSearchModel, col: int) -> list[str]:
    return [model.data(model.index(row, col)) for row in range(model.rowCount())]


@pytest.mark.parametrize(
    ("query", "kind", "matched"),
    [
        (customer_data(2)["id_number"], "身份证号", "身份证号"),
        ("13900000002", "手机号", "手机号"),
        ("3300000002", "户号", "户号"),
        ("GD20250002", "工单号", "工单号"),
        ("李建国", "姓名或地址", "姓名"),
    ],
)
def test_each_kind_of_key_finds_the_customer(qtbot: QtBot, desk: FrontDesk, query: str, kind: str,
                                             matched: str) -> None:
    model = type_query(qtbot, desk, query)
    assert model.rowCount() == 1
    assert model.data(model.index(0, 0), CustomerSearchModel.CustomerIdRole) == "cust-2"
    assert column(model, CustomerSearchModel.MATCHED_ON) == [matched]
    assert desk.findChild(QLabel, "searchKind").text() == f"按{kind}查找"
    # Personal data stays masked in the results.
    assert column(model, CustomerSearchModel.NAME) == ["李**"]
    assert column(model, CustomerSearchModel.ID_NUMBER) == ["110101********" + customer_data(2)["id_number"][-4:]]
    assert column(model, CustomerSearchModel.PHONE) == ["139****0002"]
    assert column(model, CustomerSearchModel.ACCOUNTS) == ["3300000002"]


def test_the_latest_query_wins(qtbot: QtBot, desk: FrontDesk) -> None:
    model = desk.search.model
    shown: list[str] = []
    model.resultsReady.connect(lambda text, _n: shown.append(text))
    model.search_now("张伟")  # its results arrive after the next query was asked: dropped
    model.search_now("3300000003")
    qtbot.waitUntil(lambda: model.query == "3300000003")
    settled(qtbot)
    assert shown == ["3300000003"]
    assert column(model, CustomerSearchModel.NAME) == ["欧阳**"]


def test_typing_is_debounced_into_one_search(qtbot: QtBot, desk: FrontDesk) -> None:
    model = desk.search.model
    shown: list[str] = []
    model.resultsReady.connect(lambda text, _n: shown.append(text))
    box = desk.findChild(QLineEdit, "customerSearch")
    qtbot.keyClicks(box, "13900000001")
    qtbot.waitUntil(lambda: model.query == "13900000001")
    assert shown == ["13900000001"]


def test_clearing_the_box_clears_the_results(qtbot: QtBot, desk: FrontDesk) -> None:
    model = type_query(qtbot, desk, "3300000001")
    assert model.rowCount() == 1
    desk.search.box.clear()
    assert model.rowCount() == 0 and model.query == ""


def test_enter_opens_the_card_of_the_best_hit(qtbot: QtBot, desk: FrontDesk) -> None:
    box = desk.search.box
    qtbot.keyClicks(box, "3300000003")
    qtbot.keyClick(box, Qt.Key.Key_Return)  # before the pause ended: searches at once, then opens
    qtbot.waitUntil(lambda: desk.card.customer is not None)
    assert desk.card.customer_id == "cust-3"
    assert desk.card_stack.currentWidget() is desk.card


def test_keyboard_down_then_enter_opens_the_chosen_row(qtbot: QtBot, desk: FrontDesk) -> None:
    model = type_query(qtbot, desk, "和平里")
    assert model.rowCount() == 5
    qtbot.keyClick(desk.search.box, Qt.Key.Key_Down)
    view = desk.search.view
    assert view.hasFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    chosen = model.data(view.currentIndex(), CustomerSearchModel.CustomerIdRole)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.card.customer is not None)
    assert desk.card.customer_id == chosen


def test_double_click_opens_the_card(qtbot: QtBot, desk: FrontDesk) -> None:
    model = type_query(qtbot, desk, "王秀英")
    view = desk.search.view
    rect = view.visualRect(model.index(0, 1))
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    open_card(qtbot, desk, "cust-1")


def test_search_model_passes_the_model_tester(qtbot: QtBot, desk: FrontDesk, qtmodeltester) -> None:
    model = type_query(qtbot, desk, "和平里")
    assert model.rowCount() == 5
    qtmodeltester.check(model)
    model.search_now("")
    qtmodeltester.check(model)
