"""Language: Chinese by default (the source strings), English from a compiled .qm file."""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QCoreApplication, QTranslator

LANGUAGES = {"zh_CN": "中文", "en": "English"}
_current = "zh_CN"
_translator: QTranslator | None = None


def current_language() -> str:
    return _current


def install_language(app: QCoreApplication, language: str) -> bool:
    """Switch the user-visible text; returns False when no translation exists for `language`."""
    global _current, _translator
    if _translator is not None:
        app.removeTranslator(_translator)
        _translator = None
    _current = "zh_CN"
    if language.startswith("zh"):
        return True
    translator = QTranslator(app)
    qm = resources.files("resources.i18n").joinpath(f"onewindow_{language}.qm")
    if not qm.is_file():
        return False
    with resources.as_file(qm) as path:
        if not translator.load(str(path)):
            return False
    app.installTranslator(translator)
    _translator = translator
    _current = language
    return True
