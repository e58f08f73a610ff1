"""One editor per catalogue field type: the intake form is built from the catalogue, never hand-written.

Editors hand over what was typed (an int when it parses, else the raw text) so the store's own
check names the problem in its words.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from desktop.i18n import current_language
from domain.catalogue import FieldType, TicketField


class FieldEditor:
    """A catalogue field's widget, its value for the store, and its accessible label."""

    def __init__(self, field: TicketField, parent: QWidget) -> None:
        self.field = field
        self.widget = self._build(parent)
        self.widget.setObjectName(f"field_{field.name}")
        label = field.label(current_language())
        self.widget.setAccessibleName(label)
        if field.required:
            self.widget.setAccessibleDescription(QCoreApplication.translate("FrontDesk", "必填"))

    def _build(self, parent: QWidget) -> QWidget:
        kind = self.field.type
        if kind == FieldType.choice:
            combo = QComboBox(parent)
            combo.addItem(QCoreApplication.translate("FrontDesk", "（请选择）"), None)
            language = current_language()
            for choice in self.field.choices:
                combo.addItem(choice.name_en if language.startswith("en") else choice.name_zh, choice.code)
            return combo
        if kind == FieldType.bool:
            return QCheckBox(parent)
        edit = QLineEdit(parent)
        placeholders = {
            FieldType.date: QCoreApplication.translate("FrontDesk", "年-月-日，例如 2025-03-18"),
            FieldType.int: QCoreApplication.translate("FrontDesk", "整数"),
            FieldType.phone: QCoreApplication.translate("FrontDesk", "手机号或区号-电话号码"),
            FieldType.id_number: QCoreApplication.translate("FrontDesk", "18位居民身份证号码"),
        }
        if kind in placeholders:
            edit.setPlaceholderText(placeholders[kind])
        return edit

    def value(self) -> Any:
        widget = self.widget
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        assert isinstance(widget, QLineEdit)
        text = widget.text().strip()
        if not text:
            return None
        if self.field.type == FieldType.int:
            try:
                return int(text)
            except ValueError:
                return text  # the store says it must be a whole number
        return text

    def set_value(self, value: Any) -> None:
        widget = self.widget
        if isinstance(widget, QComboBox):
            found = widget.findData(value)
            widget.setCurrentIndex(max(found, 0))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QLineEdit):
            widget.setText("" if value is None else str(value))
