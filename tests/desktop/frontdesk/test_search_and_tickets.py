"""Search says when its list is cut ("前50位", not "找到50位"), says which check a mistyped ID number failed,
and its pane grows with the window; a ticket on the customer card opens its detail (double-click or Enter)."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from desktop.frontdesk import FrontDesk
from domain.sync import Change, PullPage
from local_store import Store
from tests.desktop.support import OFFSCREEN_NOISE

from .conftest import SCOPE, customer_data, open_card
from .test_search import type_query

pytestmark = OFFSCREEN_NOISE


def add_namesakes(store: Store, count: int) -> None:
    changes = []
    for n in range(count):
        data = customer_data(100 + n) | {"id": f"cust-namesake-{n}", "name": f"欧阳明{n:03d}",
                                         "id_number": None, "phone": None}
        changes.append(Change(seq=5000 + n, entity="customer", id=data["id"], kind="upsert", version=1, data=data))
    store.apply_pull_page(PullPage(scope=SCOPE, changes=changes, cursor=5000 + count, has_more=False))


def double_click(qtbot: QtBot, widget: QWidget, pos: QPoint) -> None:
    """A click, then the double-click event (QTest's mouseDClick yields no double-click on an item view here)."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    local = QPointF(pos)
    QApplication.sendEvent(widget, QMouseEvent(QEvent.Type.MouseButtonDblClick, local, widget.mapToGlobal(local),
                                               Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton,
                                               Qt.KeyboardModifier.NoModifier))


def count_text(desk: FrontDesk) -> str:
    return desk.findChild(QLabel, "searchCount").text()


def test_a_capped_list_says_it_shows_the_first_50(qtbot: QtBot, desk: FrontDesk, store: Store) -> None:
    add_namesakes(store, 60)
    model = type_query(qtbot, desk, "欧阳明")
    assert model.rowCount() == 50 and model.capped
    assert count_text(desk).startswith("显示前50位客户") and "找到" not in count_text(desk)
    model = type_query(qtbot, desk, "欧阳明05")  # 050..059: all shown
    assert model.rowCount() == 10 and not model.capped and count_text(desk) == "找到10位客户"


def test_exactly_50_matches_are_not_called_capped(qtbot: QtBot, desk: FrontDesk, store: Store) -> None:
    add_namesakes(store, 50)
    model = type_query(qtbot, desk, "欧阳明0")
    assert model.rowCount() == 50 and not model.capped and count_text(desk) == "找到50位客户"


def test_a_mistyped_id_number_says_which_check_failed(qtbot: QtBot, desk: FrontDesk) -> None:
    valid = customer_data(2)["id_number"]
    wrong_check = valid[:17] + ("0" if valid[17] != "0" else "1")
    type_query(qtbot, desk, wrong_check)
    problem = desk.findChild(QLabel, "searchIdProblem")
    assert problem.isVisible() and "校验位" in problem.text()
    type_query(qtbot, desk, valid[:10] + "13" + valid[12:])  # month 13
    assert "出生日期" in problem.text()
    type_query(qtbot, desk, valid)
    assert not problem.isVisible()
    type_query(qtbot, desk, "张伟")  # not an ID number: nothing to say
    assert not problem.isVisible()


def test_the_results_pane_grows_with_the_window(qtbot: QtBot, desk: FrontDesk) -> None:
    desk.resize(1200, 800)
    qtbot.waitUntil(lambda: desk.width() == 1200)
    narrow = desk.search.width()
    desk.resize(2000, 800)
    qtbot.waitUntil(lambda: desk.search.width() > narrow + 100)


def test_a_ticket_on_the_card_opens_its_detail_by_double_click_or_enter(qtbot: QtBot, desk: FrontDesk) -> None:
    open_card(qtbot, desk, "cust-0")
    view = desk.card.tickets_view
    qtbot.waitUntil(lambda: view.model().rowCount() >= 1)
    index = view.model().index(0, 0)
    ticket_id = view.model().data(index, Qt.ItemDataRole.UserRole + 1)
    double_click(qtbot, view.viewport(), view.visualRect(index).center())
    qtbot.waitUntil(lambda: desk.ticket_window is not None and desk.ticket_window.isVisible())
    window = desk.ticket_window
    qtbot.waitUntil(lambda: window.detail.bundle is not None)
    assert window.detail.ticket_id == ticket_id and window.detail.bundle.ticket.id == ticket_id
    window.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(window) or not window.isVisible())
    view.setFocus()
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.ticket_window is not None and shiboken6.isValid(desk.ticket_window)
                    and desk.ticket_window.isVisible())
    assert desk.ticket_window.detail.ticket_id == ticket_id
    desk.ticket_window.close()
