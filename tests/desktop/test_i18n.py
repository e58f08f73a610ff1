"""The English translation: every string in the code has one, the compiled .qm is current and loads,
and a real widget speaks English once it is installed. Chinese is the source language of tr()."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop import i18n
from resources.i18n import update

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
PLACEHOLDER = re.compile(r"%L?\d+|%n|\{\w*\}")
# Names and formats that stay as they are in a Chinese sentence; anything else in ASCII letters is English.
PROPER_NOUNS = ("OneWindow", "95598", "PDF", "Excel", "xlsx", "pdf", "http", "ID", "SMS", "QR")
UPDATE_HINT = "run `.venv/bin/python -m resources.i18n.update --list`, translate in onewindow_en.ts, run it again"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> list[update.Message]:
    """What lupdate finds in the current tree, in a fresh .ts (no translations)."""
    ts = tmp_path_factory.mktemp("i18n") / "current.ts"
    update.extract(ts, update.source_files(), locations="absolute")
    return [replace(m, location=_from_root(ts.parent, m.location)) for m in update.read_messages(ts)]


def _from_root(base: Path, location: str) -> str:
    """lupdate writes a location relative to the .ts; failures read better relative to the repository."""
    filename, _, line = location.rpartition(":")
    if not filename:
        return location
    return f"{(base / filename).resolve().relative_to(update.ROOT.resolve()).as_posix()}:{line}"


@pytest.fixture
def english(qapp: QApplication) -> Iterator[QApplication]:
    assert i18n.install_language(qapp, "en")
    yield qapp
    i18n.install_language(qapp, "zh_CN")


def test_the_extractor_sees_the_desk(extracted: list[update.Message]) -> None:
    contexts = {m.context for m in extracted}
    assert {"LoginDialog", "FrontDesk", "Dispatch", "TicketsArea", "IntakeDialog"} <= contexts
    assert len(extracted) > 300


def test_every_string_in_the_code_has_a_finished_english_translation(extracted: list[update.Message]) -> None:
    committed = {(m.context, m.source, m.numerus): m for m in update.read_messages(update.TS_PATH)}
    missing = [m for m in extracted
               if not ((found := committed.get((m.context, m.source, m.numerus))) and found.finished)]
    listing = "\n".join(f"  [{m.context}] {m.source!r}  ({m.location})" for m in missing)
    assert not missing, f"{len(missing)} string(s) without an English translation ({UPDATE_HINT}):\n{listing}"


def test_plural_messages_have_both_english_forms() -> None:
    plural = [m for m in update.read_messages(update.TS_PATH) if m.numerus and m.kind == ""]
    assert plural
    for message in plural:
        assert len(message.translations) == 2 and all("%n" in t for t in message.translations), message.source


def test_every_extracted_context_is_one_the_code_asks_for_at_runtime(extracted: list[update.Message]) -> None:
    """lupdate files a tr() outside a class under "" and `widget.tr()` under the variable's name, but at
    run time Qt looks the string up under the class (or the literal context) that asks for it."""
    asked: set[str] = set()
    for path in update.source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                asked.add(node.name)
            elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                  and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("translate", "QT_TRANSLATE_NOOP")):
                asked.add(str(node.args[0].value))
    stray = sorted({f"[{m.context}] {m.source!r} ({m.location})" for m in extracted if m.context not in asked})
    assert not stray, ("strings Qt will never find at run time (use QCoreApplication.translate(\"Context\", "
                       "\"文本\") with a literal context, or self.tr() inside the class):\n  " + "\n  ".join(stray))


def test_no_source_string_is_english(extracted: list[update.Message]) -> None:
    english = []
    for message in extracted:
        text = PLACEHOLDER.sub(" ", message.source)
        for noun in PROPER_NOUNS:
            text = text.replace(noun, " ")
        if not CJK.search(message.source) and re.search(r"[A-Za-z]{2,}", text):
            english.append(f"[{message.context}] {message.source!r} ({message.location})")
    assert not english, "Chinese is the source language of tr(); these are English:\n  " + "\n  ".join(english)


def test_english_source_check_catches_an_english_sentence() -> None:
    text = PLACEHOLDER.sub(" ", "Saved %1 tickets")
    assert not CJK.search(text) and re.search(r"[A-Za-z]{2,}", text)


def test_the_compiled_qm_is_the_committed_ts(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.qm"
    update.compile_qm(update.TS_PATH, fresh)
    assert fresh.read_bytes() == update.QM_PATH.read_bytes(), f"onewindow_en.qm is stale: {UPDATE_HINT}"


def test_the_qm_loads_and_translates(qapp: QApplication) -> None:
    translator = QTranslator()
    assert translator.load(str(update.QM_PATH))
    assert translator.translate("FrontDesk", "户号") == "Account number"
    assert translator.translate("FrontDesk", "95598热线") == "95598 hotline"
    assert translator.translate("SyncStatusWidget", "冲突 %n 条", None, 1) == "%n conflict"
    assert translator.translate("SyncStatusWidget", "冲突 %n 条", None, 3) == "%n conflicts"


def test_installed_english_reaches_qt_and_chinese_comes_back(english: QApplication) -> None:
    assert i18n.current_language() == "en"
    assert QCoreApplication.translate("Dispatch", "现场勘查") == "On-site survey"
    assert QCoreApplication.translate("SyncStatusWidget", "待上传 %n 条", "", 3) == "3 changes to upload"
    i18n.install_language(english, "zh_CN")
    assert QCoreApplication.translate("Dispatch", "现场勘查") == "现场勘查"


def test_login_dialog_shows_english(english: QApplication, qtbot: QtBot) -> None:
    from desktop.login import LoginDialog

    async def authenticate(username: str, password: str) -> None:
        return None

    dialog = LoginDialog(authenticate)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "OneWindow — Sign in"
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).text() == "Sign in"
    assert dialog.username.accessibleName() == "User name"
    dialog.submit()  # nothing typed: the dialog says so, in English
    assert dialog.error.text() == "Enter your user name and password."


def _ts(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "t.ts"
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n<TS version="2.1" language="en">\n'
                    f"{body}</TS>\n", encoding="utf-8")
    return path


def test_fill_reuses_a_translation_only_when_it_is_unambiguous(tmp_path: Path) -> None:
    ts = _ts(tmp_path, """<context><name>A</name>
<message><source>工单 &amp; 客户</source><translation>Ticket &amp; customer</translation></message>
<message><source>超时</source><translation>Overdue</translation></message>
</context><context><name>B</name>
<message><source>超时</source><translation>Timed out</translation></message>
<message><source>环节任务</source><translation>Stage tasks</translation></message>
</context><context><name></name>
<message><source>环节任务</source><translation type="vanished">Stage task</translation></message>
</context><context><name>C</name>
<message><source>工单 &amp; 客户</source><translation type="unfinished"></translation></message>
<message><source>超时</source><translation type="unfinished"></translation></message>
<message><source>环节任务</source><translation type="unfinished"></translation></message>
</context>
""")
    assert update.fill_same_text(ts) == 2
    by_key = {(m.context, m.source): m for m in update.read_messages(ts)}
    assert by_key[("C", "工单 & 客户")].finished and by_key[("C", "工单 & 客户")].translations == ("Ticket & customer",)
    assert not by_key[("C", "超时")].finished  # two different live translations: a person decides
    assert by_key[("C", "环节任务")].translations == ("Stage task",)  # the moved string keeps its own
    assert by_key[("", "环节任务")].kind == "vanished"
    assert "&amp;" in ts.read_text(encoding="utf-8")


def test_apply_writes_plural_forms_and_refuses_a_mismatch(tmp_path: Path) -> None:
    ts = _ts(tmp_path, """<context><name>S</name>
<message numerus="yes"><source>冲突 %n 条</source><translation type="unfinished"><numerusform></numerusform>\
<numerusform></numerusform></translation></message>
</context>
""")
    with pytest.raises(ValueError, match="singular, plural"):
        update.apply_translations({"冲突 %n 条": "conflicts"}, ts)
    changed, unmatched = update.apply_translations(
        [{"context": "S", "source": "冲突 %n 条", "translation": ["%n conflict", "%n conflicts"]},
         {"source": "不存在", "translation": "absent"}], ts)
    assert (changed, unmatched) == (1, ["不存在"])
    (message,) = update.read_messages(ts)
    assert message.finished and message.translations == ("%n conflict", "%n conflicts")
