"""What customers, channels and staff typed is shown as plain text, and no long text widens the window.

Seen on every desk: an app-channel summary `<h1>请立即回电</h1><a href=…>` rendered as a heading and
a phishing link, and one very long summary made the main window 32,767 px wide.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QTableView, QWidget
from pytestqt.qtbot import QtBot

from desktop.context import DeskContext
from desktop.display import ElidedLabel, plain_tooltip
from desktop.frontdesk import FrontDesk
from desktop.main_window import Area, MainWindow
from desktop.settings import Settings
from desktop.tickets import TicketsArea
from domain.bounds import text_limit
from domain.records import Verification
from local_store import Store
from tests.desktop.frontdesk.conftest import (
    NOW,
    ManualClock,
    customer_data,
    open_card,
    pull_page,
    ticket_data,
)
from tests.desktop.support import OFFSCREEN_NOISE

pytestmark = OFFSCREEN_NOISE

HTML = '<h1>请立即回电</h1><a href="http://phish.example/x">点此退费</a>'
WIDTH = 1280


def hostile_rows() -> list[tuple[str, dict]]:
    """A customer, ticket and contact whose text is HTML, the summaries as long as the rules allow."""
    summary = HTML + "长" * (text_limit("ticket.summary") - len(HTML))
    contact = HTML + "话" * (text_limit("interaction.summary") - len(HTML))
    return [
        ("customer", customer_data(7) | {"id": "cust-7", "name": "<b>欧阳</b>" + "明" * 60,
                                         "address": HTML + "路" * (text_limit("customer.address") - len(HTML))}),
        ("ticket", ticket_data(7, id="tick-7", customer_id="cust-7", channel="app", summary=summary)),
        ("interaction", {"id": "int-7", "office_id": "office-1", "version": 1, "customer_id": "cust-7",
                         "channel": "app", "type": "app_request", "at": (NOW - timedelta(hours=2)).isoformat(),
                         "summary": contact}),
    ]


@pytest.fixture
def window(qtbot: QtBot, store: Store, context: DeskContext, clock: ManualClock) -> MainWindow:
    store.apply_pull_page(pull_page(hostile_rows()).model_copy(update={"cursor": 100}))
    areas = [Area("frontdesk", "前台受理", lambda: FrontDesk(context, clock=clock)),
             Area("tickets", "工单协同", lambda: TicketsArea(context, clock=clock))]
    shown = MainWindow(Settings(), context.actions, areas, "王小明（受理员）")
    qtbot.addWidget(shown)
    shown.resize(WIDTH, 800)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def _labels_showing(text: str) -> list[QLabel]:
    return [label for top in QApplication.topLevelWidgets() for label in top.findChildren(QLabel)
            if text in label.text()]


def _open_everything(qtbot: QtBot, window: MainWindow) -> None:
    desk = window.areas["frontdesk"]
    assert isinstance(desk, FrontDesk)
    open_card(qtbot, desk, "cust-7")
    tickets = window.areas["tickets"]
    assert isinstance(tickets, TicketsArea)
    tickets.open_ticket("tick-7")
    qtbot.waitUntil(lambda: tickets.detail.bundle is not None and tickets.detail.bundle.ticket.id == "tick-7")
    window.show_message("warning", "客户留言：" + HTML + "长" * 3000, "")


def test_typed_html_is_never_rendered(qtbot: QtBot, window: MainWindow) -> None:
    _open_everything(qtbot, window)
    desk = window.areas["frontdesk"]
    assert isinstance(desk, FrontDesk)
    desk.card.mark_verified(Verification(id="ver-7", office_id="office-1", version=1, customer_id="cust-7",
                                         channel="hall", method="id_card_reader", at=NOW, outcome="passed"))
    qtbot.waitUntil(lambda: desk.card.revealed)  # the full name, as after a verification
    window.show_area("tickets")
    shown = _labels_showing("<h1>") + _labels_showing("<b>")
    names = {label.objectName() for label in shown}
    assert {"ticketSummary", "statusMessage", "customerName"} <= names
    rich = [label.objectName() or repr(label) for label in shown if label.textFormat() != Qt.TextFormat.PlainText]
    assert rich == []
    # Tooltips are rich text whenever they look like it: what a view shows in one is escaped.
    timeline = desk.card.timeline_model
    tips = [timeline.data(timeline.index(row, column), Qt.ItemDataRole.ToolTipRole)
            for row in range(timeline.rowCount()) for column in range(timeline.columnCount())]
    assert any("&lt;h1&gt;" in (tip or "") for tip in tips)
    assert not any("<h1>" in (tip or "") for tip in tips)
    for label in shown:
        assert "<h1>" not in label.toolTip() and "<b>" not in label.toolTip()


def test_long_text_does_not_widen_the_window(qtbot: QtBot, window: MainWindow) -> None:
    screen = QGuiApplication.primaryScreen().availableGeometry().width()
    _open_everything(qtbot, window)
    for area in ("frontdesk", "tickets"):
        window.show_area(area)
        QApplication.processEvents()
        assert window.width() == WIDTH
        assert window.minimumSizeHint().width() <= max(WIDTH, screen)
    # The summary is cut on screen with an ellipsis; the whole text stays in the label and its tooltip.
    tickets = window.areas["tickets"]
    summary = tickets.findChild(ElidedLabel, "ticketSummary")
    assert summary is not None and summary.is_elided()
    assert summary.text().endswith("长" * 10)
    assert summary.height() < 100


def test_ticket_numbers_are_never_cut(qtbot: QtBot, window: MainWindow) -> None:
    _open_everything(qtbot, window)
    window.show_area("tickets")
    number = window.areas["tickets"].findChild(QWidget, "ticketNumber")
    assert isinstance(number, ElidedLabel)
    assert not number.is_elided()
    assert number.width() >= number.fontMetrics().horizontalAdvance("GD20250007")
    queue = window.areas["tickets"].findChild(QTableView, "ticketQueue")
    assert queue is not None
    assert queue.columnWidth(0) >= queue.fontMetrics().horizontalAdvance("GD20261206000029") + 8


def test_plain_tooltip_escapes_and_bounds() -> None:
    tip = plain_tooltip(HTML + "x" * 5000)
    assert "<h1>" not in tip and "&lt;h1&gt;" in tip
    assert len(tip) < 1000
    assert plain_tooltip("") == ""
    assert QModelIndex().data(Qt.ItemDataRole.ToolTipRole) is None


def test_search_results_tooltips_are_escaped(qtbot: QtBot, window: MainWindow) -> None:
    desk = window.areas["frontdesk"]
    assert isinstance(desk, FrontDesk)
    model = desk.search.model
    model.search_now("请立即回电")  # in the address
    qtbot.waitUntil(lambda: any(model.data(model.index(row, 0), model.CustomerIdRole) == "cust-7"
                                for row in range(model.rowCount())))
    tips = [model.data(model.index(row, column), Qt.ItemDataRole.ToolTipRole)
            for row in range(model.rowCount()) for column in range(model.columnCount())]
    assert any("&lt;h1&gt;" in tip for tip in tips)
    assert not any("<h1>" in tip for tip in tips)
