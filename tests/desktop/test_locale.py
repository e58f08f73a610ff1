"""A Chinese desk: Qt's own buttons speak Chinese, the locale is zh_CN, dates read 2026-12-07 in the office's
zone on every screen, role names are Chinese and the signed-in person's own name is not masked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from desktop import i18n
from desktop.display import date_edit, date_text, datetime_text, staff_line, time_text
from domain.records import Staff


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[QApplication]:
    assert i18n.install_language(qapp, "zh_CN")
    yield qapp
    i18n.install_language(qapp, "zh_CN")


def test_standard_buttons_speak_chinese(chinese: QApplication, qtbot: QtBot) -> None:
    box = QMessageBox(QMessageBox.Icon.Question, "一窗通", "确认？",
                      QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    texts = {box.button(QMessageBox.StandardButton.Ok).text(), box.button(QMessageBox.StandardButton.Cancel).text()}
    assert texts == {"确定(&O)", "取消(&C)"} or texts == {"确定", "取消"}
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
    qtbot.addWidget(buttons)
    for button in buttons.buttons():
        assert not any(word in button.text() for word in ("OK", "Cancel", "Save", "Close")), button.text()


def test_english_drops_qt_chinese_and_comes_back(chinese: QApplication, qtbot: QtBot) -> None:
    assert i18n.install_language(chinese, "en")
    assert QLocale().language() == QLocale.Language.English
    box = QMessageBox(QMessageBox.Icon.Question, "OneWindow", "?", QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert "Cancel" in box.button(QMessageBox.StandardButton.Cancel).text()
    assert i18n.install_language(chinese, "zh_CN")
    assert QLocale().name() == "zh_CN"


def test_unknown_language_stays_chinese(chinese: QApplication) -> None:
    assert not i18n.install_language(chinese, "fr")
    assert i18n.current_language() == "zh_CN" and QLocale().name() == "zh_CN"


def test_dates_and_times_one_format_in_the_office_zone() -> None:
    late_evening_utc = datetime(2026, 12, 6, 17, 30, tzinfo=UTC)  # 01:30 on 7 December in Beijing
    assert date_text(late_evening_utc) == "2026-12-07"
    assert date_text(date(2026, 12, 7)) == "2026-12-07"
    assert datetime_text(late_evening_utc) == "2026-12-07 01:30"
    assert time_text(late_evening_utc) == "01:30"
    assert date_text(None) == datetime_text(None) == ""


def test_date_picker_reads_iso_and_pops_a_calendar(chinese: QApplication, qtbot: QtBot) -> None:
    edit = date_edit(None, minimum=date(2026, 12, 7))
    qtbot.addWidget(edit)
    edit.setDate(QDate(2026, 12, 9))
    assert edit.calendarPopup()
    assert edit.text() == "2026-12-09"
    edit.setDate(QDate(2026, 12, 1))  # before the minimum: the picker refuses it
    assert edit.date() == QDate(2026, 12, 7)


def test_staff_line_names_the_person_in_full_and_the_role_in_chinese() -> None:
    staff = Staff(id="s-1", office_id="o-1", username="clerk1", display_name="王小明", role="clerk")
    assert staff_line(staff) == "王小明 · 营业厅柜员"
    assert staff_line(staff.model_copy(update={"role": "supervisor"}), "en") == "王小明 · Supervisor"
    assert "unknown" in staff_line(staff.model_copy(update={"role": "unknown"}))
