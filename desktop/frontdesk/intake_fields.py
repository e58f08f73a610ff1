"""One editor per catalogue field type: the intake form is built from the catalogue, never hand-written.

Editors hand over what was typed (an int when it parses, else the raw text) so the domain's own
check names the problem in its words. Each editor already keeps a person inside the rule where it can:
text has its length limit and a visible counter, numbers take only digits within the catalogue's range,
dates are picked from a calendar on the allowed side of today.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLabel, QLineEdit, QWidget

from desktop.display import date_edit, text_counter
from desktop.i18n import current_language
from domain.catalogue import FieldType, TicketField
from domain.intake import field_text_limit

INT_CEILING = 2**31 - 1  # what QIntValidator holds
EARLIEST_DAY = date(1900, 1, 1)


def length_counter(edit: QLineEdit, limit: int, parent: QWidget) -> QLabel:
    """A "12/200" beside a text field: the field stops at `limit`, the counter shows how near it is."""
    return text_counter(edit, limit, parent)


class FieldEditor:
    """A catalogue field's widget, its value for the store, and its accessible label."""

    def __init__(self, field: TicketField, parent: QWidget, today: date | None = None) -> None:
        self.field = field
        self._today = today or date.today()
        self.widget = self._build(parent)
        self.widget.setObjectName(f"field_{field.name}")
        label = field.label(current_language())
        self.widget.setAccessibleName(label)
        if field.required:
            self.widget.setAccessibleDescription(QCoreApplication.translate("FrontDesk", "必填"))
        self.counter: QLabel | None = None
        if isinstance(self.widget, QLineEdit) and field.type == FieldType.text:
            self.counter = length_counter(self.widget, field_text_limit(field), parent)

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
        if kind == FieldType.date:
            return self._date_picker(parent)
        edit = QLineEdit(parent)
        placeholders = {
            FieldType.int: QCoreApplication.translate("FrontDesk", "整数"),
            FieldType.phone: QCoreApplication.translate("FrontDesk", "手机号或区号-电话号码"),
            FieldType.id_number: QCoreApplication.translate("FrontDesk", "18位居民身份证号码"),
        }
        if kind in placeholders:
            edit.setPlaceholderText(placeholders[kind])
        if kind == FieldType.int:
            low = self.field.minimum if self.field.minimum is not None else 0
            high = self.field.maximum if self.field.maximum is not None else INT_CEILING
            edit.setValidator(QIntValidator(low, high, edit))  # no "-5": the minus sign cannot be typed
            edit.setPlaceholderText(QCoreApplication.translate("FrontDesk", "{low}–{high} 的整数").format(
                low=low, high=high))
        if kind in (FieldType.phone, FieldType.id_number):
            edit.setMaxLength(32)
        return edit

    def _date_picker(self, parent: QWidget) -> QDateEdit:
        """A calendar picker; one day before the allowed range stands for "not chosen" (a date may be optional)."""
        when = self.field.when
        first = self._today if when == "future" else EARLIEST_DAY
        edit = date_edit(parent, minimum=first - timedelta(days=1))
        if when == "past":
            edit.setMaximumDate(QDate(self._today.year, self._today.month, self._today.day))
        edit.setSpecialValueText(QCoreApplication.translate("FrontDesk", "（未选择）"))
        edit.setDate(edit.minimumDate())
        return edit

    def value(self) -> Any:
        widget = self.widget
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QDateEdit):
            if widget.date() == widget.minimumDate():
                return None
            return widget.date().toString("yyyy-MM-dd")
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
        elif isinstance(widget, QDateEdit):
            day = value if isinstance(value, date) else date.fromisoformat(str(value)) if value else None
            widget.setDate(QDate(day.year, day.month, day.day) if day else widget.minimumDate())
        elif isinstance(widget, QLineEdit):
            widget.setText("" if value is None else str(value))
