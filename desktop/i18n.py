"""Language: Chinese by default (the source strings), English from a compiled .qm file.

Qt's own words (standard buttons, file dialogs, context menus) come from Qt's translations shipped
with PySide6, and the default QLocale follows the language, so no OK/Cancel/Save appears on a
Chinese desk and numbers and calendars read the Chinese way.
"""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

LANGUAGES = {"zh_CN": "中文", "en": "English"}
_current = "zh_CN"
_translators: list[QTranslator] = []


def current_language() -> str:
    return _current


def _locale_of(language: str) -> QLocale:
    if language.startswith("zh"):
        return QLocale(QLocale.Language.Chinese, QLocale.Script.SimplifiedChineseScript, QLocale.Country.China)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def _qt_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    """Qt's own strings (qtbase) in `language`, from the translations that ship with PySide6."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(_locale_of(language), "qtbase", "_", folder):
        return translator
    return None


def qt_words_installed() -> bool:
    """Qt's own words (qtbase) are translated now: a language other than English was installed."""
    return bool(_translators)


def install_language(app: QCoreApplication, language: str) -> bool:
    """Switch the user-visible text; returns False when no translation exists for `language`."""
    global _current
    for translator in _translators:
        app.removeTranslator(translator)
    _translators.clear()
    wanted = "zh_CN" if language.startswith("zh") else language
    ours: QTranslator | None = None
    if wanted != "zh_CN":
        ours = QTranslator(app)
        qm = resources.files("resources.i18n").joinpath(f"onewindow_{wanted}.qm")
        if not qm.is_file():
            ours = None
        else:
            with resources.as_file(qm) as path:
                if not ours.load(str(path)):
                    ours = None
        if ours is None:
            wanted = "zh_CN"  # no such translation: stay on the source language, Qt's words included
    _current = wanted
    QLocale.setDefault(_locale_of(wanted))
    if not wanted.startswith("en"):
        qt = _qt_translator(app, wanted)
        if qt is not None:
            app.installTranslator(qt)
            _translators.append(qt)
    if ours is not None:
        app.installTranslator(ours)
        _translators.append(ours)
    return wanted == "zh_CN" if language.startswith("zh") else ours is not None
