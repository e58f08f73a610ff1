"""The receipt's print preview names its toolbar in the desk's language, whether or not Qt's own
qtbase translation was found (a build without Qt's translations folder showed "Next page", "Zoom in",
"Print"; Qt's own Chinese calls 页面设置 "打印设置")."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLibraryInfo
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop import i18n
from desktop.frontdesk.receipt import Receipt
from desktop.frontdesk.receipt_print import open_preview
from tests.desktop.support import OFFSCREEN_NOISE

pytestmark = OFFSCREEN_NOISE

CHINESE = ["适应宽度", "适应页面", "缩小", "放大", "纵向", "横向", "第一页", "上一页", "下一页", "最后一页",
           "单页显示", "对页显示", "显示全部页面", "页面设置", "打印"]
ENGLISH = ["Fit width", "Fit page", "Zoom out", "Zoom in", "Portrait", "Landscape", "First page", "Previous page",
           "Next page", "Last page", "Show single page", "Show facing pages", "Show all pages", "Page setup", "Print"]


def toolbar_tips(qtbot: QtBot) -> list[str]:
    parent = QWidget()
    qtbot.addWidget(parent)
    preview = open_preview(parent, Receipt(title="受理回执", ticket_number="GD20261208000001",
                                           lines=(("客户：", "张三"),)))
    try:
        qtbot.waitUntil(preview.isVisible)
        return [a.toolTip() for a in preview.findChildren(QAction) if a.text()]
    finally:
        preview.reject()


@pytest.fixture
def language(qapp: QApplication) -> Iterator[object]:
    yield lambda name: i18n.install_language(qapp, name)
    i18n.install_language(qapp, "zh_CN")


def test_with_qts_chinese_the_toolbar_reads_the_desks_chinese(qtbot: QtBot, language) -> None:  # type: ignore[no-untyped-def]
    assert language("zh_CN")
    assert sorted(toolbar_tips(qtbot)) == sorted(CHINESE)


def test_without_qts_translations_the_toolbar_still_reads_chinese(qtbot: QtBot, language, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # A desk whose Qt translations folder is empty (as in a build that did not ship it).
    monkeypatch.setattr(i18n.QLibraryInfo, "path", staticmethod(lambda _which: str(tmp_path)))
    assert language("zh_CN")
    assert QApplication.translate("QPrintPreviewDialog", "Next page") == "Next page"  # Qt's words are English
    assert sorted(toolbar_tips(qtbot)) == sorted(CHINESE)
    monkeypatch.undo()
    assert QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath) != str(tmp_path)


def test_in_english_the_toolbar_reads_english(qtbot: QtBot, language) -> None:  # type: ignore[no-untyped-def]
    assert language("en")
    assert sorted(toolbar_tips(qtbot)) == sorted(ENGLISH)
