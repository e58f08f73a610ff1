"""The intake form keeps a clerk inside the rules: every problem shown at once, Esc asks before a filled form
is thrown away, counters on every text field, no minus sign in a capacity, dates from a calendar."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDateEdit, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from desktop.frontdesk import FrontDesk, intake_form
from domain.bounds import text_limit
from local_store import Store
from tests.desktop.frontdesk.test_intake import CONNECTION, fill, start_intake, tick_materials
from tests.desktop.support import OFFSCREEN_NOISE

pytestmark = OFFSCREEN_NOISE
TODAY = date(2025, 3, 3)  # the screen's clock (conftest NOW) in the office's zone


def test_every_problem_is_shown_at_once(qtbot: QtBot, desk: FrontDesk, store: Store) -> None:
    dialog = start_intake(qtbot, desk)
    dialog.form.select_type("connection_residential")
    fill(qtbot, dialog, CONNECTION | {"customer_name": "", "contact_phone": "12345", "requested_kw": "0"})
    dialog.accept_button.click()
    shown = {name: dialog.form.error_text(name) for name in ("customer_name", "contact_phone", "requested_kw")}
    assert all(shown.values()), shown
    assert dialog.form.error_text("materials") != ""
    assert "不能小于 1" in shown["requested_kw"]
    qtbot.waitUntil(dialog.form.editor("customer_name").widget.hasFocus)  # the first one in form order
    assert store.pending_mutations() == [] and dialog.ticket is None


def test_esc_on_a_filled_form_asks_before_discarding(qtbot: QtBot, desk: FrontDesk,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[bool] = []
    answer = [False]
    monkeypatch.setattr(intake_form, "ask_discard", lambda _parent: asked.append(True) or answer[0])
    dialog = start_intake(qtbot, desk)
    assert not dialog.form.is_filled()  # prefilled 户号 alone is nothing to lose
    dialog.form.summary_edit.setText("客户要求上午上门")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == [True] and dialog.isVisible()  # "继续填写": the form stays with what was typed
    assert dialog.form.summary == "客户要求上午上门"
    answer[0] = True
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == [True, True] and not dialog.isVisible()


def test_esc_on_an_empty_form_closes_without_asking(qtbot: QtBot, desk: FrontDesk,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(intake_form, "ask_discard", lambda _parent: pytest.fail("asked for an empty form"))
    dialog = start_intake(qtbot, desk)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_text_fields_have_a_limit_and_a_visible_counter(qtbot: QtBot, desk: FrontDesk) -> None:
    dialog = start_intake(qtbot, desk)
    dialog.form.select_type("connection_residential")
    summary = dialog.form.summary_edit
    assert summary.maxLength() == text_limit("ticket.summary")
    summary.setText("停电三天")
    assert dialog.form.summary_counter.text() == f"4/{text_limit('ticket.summary')}"
    summary.setText("长" * 2000)
    assert len(summary.text()) == text_limit("ticket.summary")
    address = dialog.form.editor("address")
    assert address.counter is not None and address.counter.isVisibleTo(dialog)
    assert address.widget.maxLength() == text_limit("ticket.summary")
    name = dialog.form.editor("customer_name")
    assert isinstance(name.widget, QLineEdit) and name.widget.maxLength() == text_limit("customer.name")
    counters = [label for label in dialog.findChildren(QLabel) if label.text().endswith(
        f"/{text_limit('ticket.summary')}") or label.text().endswith(f"/{text_limit('customer.name')}")]
    assert len(counters) >= 3


def test_a_capacity_takes_no_minus_sign(qtbot: QtBot, desk: FrontDesk) -> None:
    dialog = start_intake(qtbot, desk)
    dialog.form.select_type("connection_residential")
    kw = dialog.form.editor("requested_kw").widget
    assert isinstance(kw, QLineEdit)
    kw.setFocus()
    qtbot.keyClicks(kw, "-5")
    assert kw.text() == "5"


def test_dates_come_from_a_calendar_and_not_from_the_past(qtbot: QtBot, desk: FrontDesk) -> None:
    dialog = start_intake(qtbot, desk)
    dialog.form.select_type("connection_residential")
    editor = dialog.form.editor("preferred_survey_date")
    picker = editor.widget
    assert isinstance(picker, QDateEdit) and picker.calendarPopup()
    assert editor.value() is None  # nothing chosen yet
    picker.setDate(QDate(2025, 3, 10))
    assert picker.text() == "2025-03-10" and editor.value() == "2025-03-10"
    picker.setDate(QDate(2025, 2, 20))  # in the past: the picker stops at its floor, which means "not chosen"
    assert editor.value() is None
    picker.setDate(QDate(TODAY.year, TODAY.month, TODAY.day))
    assert editor.value() == TODAY.isoformat()


def test_emoji_in_a_name_is_refused_before_anything_is_stored(qtbot: QtBot, desk: FrontDesk, store: Store) -> None:
    dialog = start_intake(qtbot, desk)
    dialog.form.select_type("connection_residential")
    fill(qtbot, dialog, CONNECTION | {"customer_name": "张伟\u200d😀"})
    tick_materials(dialog, "identity", "property_proof")
    dialog.accept_button.click()
    assert "表情符号" in dialog.form.error_text("customer_name")
    assert store.pending_mutations() == []


def test_the_form_is_sized_to_its_fields_and_remembers_its_size(qtbot: QtBot, desk: FrontDesk) -> None:
    dialog = start_intake(qtbot, desk)
    dialog.form.select_type("connection_residential")
    screen = dialog.screen().availableGeometry()
    body = dialog.form.scroll_area.widget().sizeHint()
    assert dialog.form.scroll_area.minimumHeight() >= min(body.height(), screen.height() * 3 // 5)
    assert dialog.form.scroll_area.minimumWidth() >= min(body.width(), screen.width() * 2 // 3)
    qtbot.waitUntil(lambda: dialog.height() >= dialog.form.scroll_area.minimumHeight())
    dialog.resize(dialog.width() + 120, dialog.height() + 40)
    wanted = dialog.size()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # nothing typed: closes without asking
    assert not dialog.isVisible()
    again = start_intake(qtbot, desk)
    qtbot.waitUntil(lambda: again.size() == wanted)
