"""A 5,000-character summary that never passed the desk's input limits (a legacy row, or one synced
from a channel that let it through) cannot widen the main window: the window stays within the screen,
the summary is elided on screen and kept whole in the label.

The input limit for a ticket summary is 500 characters, so a row this long can only arrive by pull
or sit in the store from before the limit; it is written to the store as it comes, bypassing the
intake form's bounds."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.context import DeskContext
from desktop.display import ElidedLabel
from desktop.frontdesk import FrontDesk
from desktop.main_window import Area, MainWindow
from desktop.settings import Settings
from desktop.tickets import TicketsArea
from domain.bounds import text_limit
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

LONG = 5000
WIDTH = 1280


def legacy_rows() -> list[tuple[str, dict]]:
    summary = "旧系统迁移的工单摘要" + "长" * (LONG - 10)
    contact = "话" * LONG
    return [
        ("customer", customer_data(8) | {"id": "cust-8", "name": "欧阳" + "明" * 60, "address": "路" * LONG}),
        ("ticket", ticket_data(8, id="tick-8", customer_id="cust-8", channel="app", summary=summary)),
        ("interaction", {"id": "int-8", "office_id": "office-1", "version": 1, "customer_id": "cust-8",
                         "channel": "app", "type": "app_request", "at": (NOW - timedelta(hours=2)).isoformat(),
                         "summary": contact}),
    ]


def _screen() -> int:
    """The screen the window must stay within: the office's 1280-px screen this test stands for (the
    offscreen platform's own is 800 px, narrower than the desk's layout with any data)."""
    return max(WIDTH, QGuiApplication.primaryScreen().availableGeometry().width())


def open_window(qtbot: QtBot, context: DeskContext, clock: ManualClock) -> MainWindow:
    areas = [Area("frontdesk", "前台受理", lambda: FrontDesk(context, clock=clock)),
             Area("tickets", "工单协同", lambda: TicketsArea(context, clock=clock))]
    shown = MainWindow(Settings(), context.actions, areas, "王小明（受理员）")
    qtbot.addWidget(shown)
    shown.resize(WIDTH, 800)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


# The desk cannot read such a row back yet: every stored record is validated against today's input
# bounds when read (domain.records.Record._within_bounds via local_store.rows.row_to_record), so the
# customer card and the ticket fail to open ("operation failed"). Strict: this turns red once reading
# is fixed, and the marker goes.
def test_a_5000_character_legacy_summary_does_not_widen_the_window(qtbot: QtBot, store: Store, context: DeskContext,
                                                                     clock: ManualClock) -> None:
    store.apply_pull_page(pull_page(legacy_rows()).model_copy(update={"cursor": 100}))
    stored = store.ticket("tick-8")
    assert stored is not None and len(stored.summary) == LONG > text_limit("ticket.summary")  # as it came
    window = open_window(qtbot, context, clock)
    desk = window.areas["frontdesk"]
    assert isinstance(desk, FrontDesk)
    tickets = window.areas["tickets"]
    assert isinstance(tickets, TicketsArea)
    before = {}
    for area in ("frontdesk", "tickets"):  # what the window asks for before the long text is on screen
        window.show_area(area)
        QApplication.processEvents()
        before[area] = window.minimumSizeHint().width()
    open_card(qtbot, desk, "cust-8")
    tickets.open_ticket("tick-8")
    qtbot.waitUntil(lambda: tickets.detail.bundle is not None and tickets.detail.bundle.ticket.id == "tick-8")
    for area in ("frontdesk", "tickets"):
        window.show_area(area)
        QApplication.processEvents()
        assert window.width() == WIDTH <= _screen()  # not widened by the text
        assert window.minimumSizeHint().width() <= before[area] <= _screen()  # the text asks for no room
    summary = tickets.findChild(ElidedLabel, "ticketSummary")
    assert summary is not None and summary.is_elided()
    assert summary.text().endswith(stored.summary)  # whole in the label (copy, accessibility), cut on screen
    assert summary.width() <= WIDTH and summary.height() < 100
