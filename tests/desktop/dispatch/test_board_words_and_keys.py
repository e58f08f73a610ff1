"""The board from the keyboard and in the dispatcher's words (issue 12): Ctrl+Return books the selected
suggestion, the button says so; a legend names the colours and a line marks now on the timeline."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.dispatch import DispatchBoard
from local_store import Store
from tests.desktop.dispatch.conftest import Said, Server, office_time
from tests.desktop.dispatch.test_board import booked, select_request
from tests.desktop.support import OFFSCREEN_NOISE

pytestmark = OFFSCREEN_NOISE


def open_board(qtbot: QtBot, context: Any, hour: int = 7) -> DispatchBoard:
    board = DispatchBoard(context, clock=lambda: office_time(hour), batch_time_limit_s=10.0)
    qtbot.addWidget(board)
    board.show()
    qtbot.waitUntil(lambda: board.day is not None and board.queue_model.rowCount() == 2, timeout=5000)
    return board


def test_ctrl_return_books_the_selected_suggestion(qtbot: QtBot, desk_loop: Any, context: Any, office: Server,
                                                   store: Store, said: Said) -> None:
    board = open_board(qtbot, context)
    assert board.assign_button.toolTip() == "按选中的建议派工（Ctrl+回车）"  # Qt's key name in the desk's language
    select_request(board, "sa-2")
    top = board.suggestion_model.suggestion(0)
    assert top is not None
    context.actions.action("dispatch.assign").trigger()  # Ctrl+Return
    booked(qtbot, store, "sa-2", top.surveyor_id)
    assert not said.warnings()


def test_ctrl_return_without_a_survey_says_what_to_choose(qtbot: QtBot, desk_loop: Any, context: Any,
                                                           office: Server, said: Said) -> None:
    board = open_board(qtbot, context)
    board.queue_view.setCurrentIndex(board.queue_model.index(-1, 0))
    context.actions.action("dispatch.assign").trigger()
    assert not board.refusal.isHidden() and "选择勘查单" in board.refusal.text()


def test_the_timeline_has_a_legend_and_a_now_line(qtbot: QtBot, desk_loop: Any, context: Any, office: Server) -> None:
    board = open_board(qtbot, context, hour=9)
    words = {key: label.text() for key, label in board.legend.entries.items()}
    assert words["shift"] == "当班" and words["leave"] == "请假" and words["job"] == "已派勘查"
    assert words["conflict"] and words["now"] == "现在"
    assert board.legend.isVisible()
    timeline = board.timeline
    assert timeline.now_x() == timeline.x_of(office_time(9))
    image = timeline.grab().toImage()  # the line is painted where now is, across the surveyors' rows
    x, y = timeline.now_x(), timeline.point_for("sv-0", office_time(9)).y()
    assert image.pixelColor(x, y).name() == "#d32f2f"


def test_no_now_line_on_another_day(qtbot: QtBot, desk_loop: Any, context: Any, office: Server) -> None:
    board = open_board(qtbot, context, hour=9)
    board.date_edit.setDate(board.date_edit.date().addDays(1))
    qtbot.waitUntil(lambda: board.day is not None and board.day.day == board.selected_day(), timeout=5000)
    assert board.timeline.now_x() is None


SOLVER_WORDS = ("目标", "权重", "罚", "松弛", "下界", "objective", "penalty", "slack", "bound", "weight")


def test_the_board_speaks_the_dispatchers_language(qtbot: QtBot, board: DispatchBoard) -> None:
    select_request(board, "sa-1")
    model = board.suggestion_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["勘查员", "最早开始", "推荐度"]
    reasons = board.explanation.text()
    assert "路程：约" in reasons and "分钟车程" in reasons
    tooltip = model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    for word in SOLVER_WORDS:
        assert word not in reasons and word not in tooltip, word
    assert " → " not in reasons  # no points per reason

    board.batch_button.click()
    qtbot.waitUntil(lambda: board.proposal_dialog is not None, timeout=30000)
    dialog = board.proposal_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.table, timeout=5000)  # opens on its first field
    summary = dialog.summary.text()
    assert summary.startswith("派工 2 单，未派 0 单") and "每位勘查员" in summary, summary
    for word in SOLVER_WORDS:
        assert word not in summary, word
    dialog.reject()
    qtbot.waitUntil(lambda: board.proposal_dialog is None, timeout=5000)
