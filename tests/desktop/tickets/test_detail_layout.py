"""The ticket detail shares its height sensibly (issue 12): the stage graph as tall as its rows (at most a
third), the stage table most of the rest, the notes what remains; a wide graph is drawn smaller to fit,
or scrolls with the stage in hand in view; the table's columns are as wide as their words."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.context import DeskContext
from desktop.tickets.detail import TicketDetail
from desktop.tickets.stage_graph import MIN_SCALE
from domain.catalogue import load_catalogue
from tests.desktop.tickets.conftest import DeskClock, Server

pytestmark = [pytest.mark.usefixtures("desk_loop"),
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


@pytest.fixture
def detail(qtbot: QtBot, office: Server, marketing_context: DeskContext,
           desk_clock: DeskClock) -> Iterator[TicketDetail]:
    shown = TicketDetail(marketing_context, load_catalogue(), desk_clock)
    qtbot.addWidget(shown)
    shown.resize(560, 760)  # the detail pane of the tickets area at 1440×900
    shown.show()
    qtbot.waitExposed(shown)
    shown.show_ticket("tick-00001")
    qtbot.waitUntil(lambda: shown.bundle is not None, timeout=5000)
    yield shown
    shown.shutdown()


def _height(widget: QWidget) -> int:
    return widget.height()


def test_the_stage_table_gets_the_room_the_graph_does_not_need(detail: TicketDetail) -> None:
    graph, table, tabs = (detail.splitter.widget(i) for i in range(3))
    total = sum(detail.splitter.sizes())
    assert graph is detail.graph
    assert _height(graph) <= max(graph.minimumHeight(), total // 3) and _height(graph) <= graph.maximumHeight()
    rows = detail.tasks.viewport().height() // detail.tasks.verticalHeader().defaultSectionSize()
    assert rows >= 6, rows  # was 2–3 rows under a graph with empty space
    assert detail.tasks.rowCount() <= rows  # every task of this ticket shows without scrolling
    assert _height(tabs) >= 120 and _height(table) > _height(tabs)


def test_a_wide_graph_is_drawn_smaller_and_keeps_the_stage_in_hand_in_view(qtbot: QtBot,
                                                                          detail: TicketDetail) -> None:
    graph = detail.graph
    assert MIN_SCALE <= graph.scale_factor < 1.0  # too wide for the pane at full size
    survey = graph.mapFromScene(graph.boxes["survey"].sceneBoundingRect()).boundingRect()
    assert graph.viewport().rect().contains(survey)  # the open stage is on screen
    detail.resize(1600, 760)
    qtbot.waitUntil(lambda: graph.scale_factor == 1.0)  # room enough: full size, nothing cut
    qtbot.waitUntil(lambda: not graph.horizontalScrollBar().isVisible())


def test_the_stage_tables_columns_show_their_words_whole(detail: TicketDetail) -> None:
    table = detail.tasks
    for column in range(1, table.columnCount()):
        assert table.columnWidth(column) >= table.sizeHintForColumn(column), column
    assert not table.verticalHeader().isVisible()  # row numbers said nothing and took the room
