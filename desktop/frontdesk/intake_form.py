"""The intake form: ticket type grouped by family, 户号, summary, the fields the catalogue defines for
the type, the one-set-of-materials checklist, and each problem shown beside the field it is about."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.display import ElidedLabel
from desktop.frontdesk.intake_fields import FieldEditor, length_counter
from desktop.i18n import current_language
from domain.bounds import text_limit
from domain.catalogue import Catalogue, FieldType, TicketType
from domain.errors import DomainError
from domain.identity import validate_phone, validate_resident_id
from domain.intake import ticket_input_problems
from domain.masking import mask_customer_name
from domain.records import Account, Customer
from domain.sla import OFFICE_ZONE

# Domain validators name their own field ("phone"), not the form's ("contact_phone").
_VALIDATORS: dict[str, tuple[FieldType, Callable[[str], object]]] = {
    "phone": (FieldType.phone, validate_phone),
    "id_number": (FieldType.id_number, validate_resident_id),
}


FORM_WIDTH_CHARS = 64  # room for an address and its counter without squeezing the labels


def ask_discard(parent: QWidget) -> bool:
    """Ask before a filled form is closed (tests replace this); the safe answer is the default.

    A customer's form is kept as a draft for the visit, and the question says so; a form without a
    customer (a walk-in, an anonymous report) is thrown away: the next person at the counter is someone else.
    """
    keeps_draft = isinstance(parent, IntakeForm) and parent.keeps_draft
    text = (QCoreApplication.translate("IntakeForm", "表单尚未受理。已填写的内容将保留为本次接待的草稿，"
                                                     "再次受理此客户的业务时恢复。确定关闭吗？")
            if keeps_draft else QCoreApplication.translate("IntakeForm", "表单已填写的内容将丢失。确定放弃吗？"))
    title = (QCoreApplication.translate("IntakeForm", "关闭受理？") if keeps_draft
             else QCoreApplication.translate("IntakeForm", "放弃受理？"))
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel, parent)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Discard).setText(
        QCoreApplication.translate("IntakeForm", "关闭") if keeps_draft
        else QCoreApplication.translate("IntakeForm", "放弃"))
    box.button(QMessageBox.StandardButton.Cancel).setText(QCoreApplication.translate("IntakeForm", "继续填写"))
    return box.exec() == QMessageBox.StandardButton.Discard


@dataclass(frozen=True)
class IntakeDraft:
    """What the clerk typed into a form that was closed without accepting, to come back in the same visit."""

    type_code: str
    account_id: str | None
    summary: str
    typed: dict[str, Any]  # values that differ from the desk's prefill (None: a prefilled value cleared)
    materials: frozenset[str]


def error_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)  # a message may quote what was typed
    label.setObjectName(name)
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    label.hide()
    return label


class IntakeForm(QWidget):
    typeChanged = Signal(str)  # the ticket type code

    def __init__(self, catalogue: Catalogue, channel: str, customer: Customer | None, accounts: list[Account], *,
                 revealed: bool, materials_on_file: set[str], today: date | None = None,
                 caller_number: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalogue = catalogue
        self.today = today or datetime.now(OFFICE_ZONE).date()  # the office's date: dates are judged against it
        self._pristine: tuple[dict[str, Any], list[str]] = ({}, [])
        self._channel = channel
        self._customer = customer
        self._accounts = accounts
        self._revealed = revealed
        self._caller_number = caller_number  # the hotline call in progress: the number they called from
        self._materials_on_file = materials_on_file
        self._editors: dict[str, FieldEditor] = {}
        self._errors: dict[str, QLabel] = {}
        self._material_boxes: dict[str, QCheckBox] = {}

        self.type_combo = QComboBox(self)
        self.type_combo.setObjectName("ticketType")
        self.type_combo.setAccessibleName(self.tr("业务类型"))
        self._fill_types()
        self.account_combo = QComboBox(self)
        self.account_combo.setObjectName("ticketAccount")
        self.account_combo.setAccessibleName(self.tr("户号"))
        self.account_combo.addItem(self.tr("（不指定户号）"), None)
        for account in accounts:
            self.account_combo.addItem(f"{account.account_no}  {account.address}", account.id)
        if accounts:
            self.account_combo.setCurrentIndex(1)
        # A long address must not widen the dialog: the combo is as wide as the room, the list shows all.
        self.account_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.account_combo.setMinimumContentsLength(24)
        self.summary_edit = QLineEdit(self)
        self.summary_edit.setObjectName("ticketSummary")
        self.summary_edit.setAccessibleName(self.tr("诉求摘要"))
        self.summary_counter = length_counter(self.summary_edit, text_limit("ticket.summary"), self)
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.summary_edit, 1)
        summary_row.addWidget(self.summary_counter)

        who = (customer.name if revealed else mask_customer_name(customer.name, customer.id_type)) if customer else self.tr("（未选择客户）")
        top = QFormLayout()
        top.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        who_label = ElidedLabel(self)
        who_label.setObjectName("intakeCustomer")
        who_label.setText(who)
        top.addRow(self.tr("客户："), who_label)
        for text, widget in ((self.tr("业务类型(&T)："), self.type_combo), (self.tr("户号(&U)："), self.account_combo),
                             (self.tr("诉求摘要(&Y)："), self.summary_edit)):
            label = QLabel(text, self)
            label.setBuddy(widget)
            top.addRow(label, summary_row if widget is self.summary_edit else widget)

        self.fields_box = QGroupBox(self.tr("业务信息"), self)
        self.fields_form = QFormLayout(self.fields_box)
        self.fields_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.materials_box = QGroupBox(self.tr("申请材料（一套资料）"), self)
        self.materials_layout = QVBoxLayout(self.materials_box)
        self.materials_error = error_label(self.materials_box, "error_materials")
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(self.fields_box)
        body_layout.addWidget(self.materials_box)
        body_layout.addStretch(1)
        self._body = body
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.scroll_area = scroll
        self.error_label = error_label(self, "intakeError")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error_label)

        self.type_combo.currentIndexChanged.connect(self._on_type_changed)
        self.account_combo.currentIndexChanged.connect(lambda _i: self._prefill())
        self._on_type_changed()

    # ---- ticket type ----------------------------------------------------------------------------------

    def _fill_types(self) -> None:
        model = QStandardItemModel(self.type_combo)
        language = current_language()
        family = None
        bold = QFont()
        bold.setBold(True)
        for ticket_type in self._catalogue.types_for_channel(self._channel):
            if ticket_type.family != family:
                family = ticket_type.family
                header = QStandardItem(family.label(language))
                header.setFlags(Qt.ItemFlag.NoItemFlags)  # a family heading, not a choice
                header.setFont(bold)
                model.appendRow(header)
            item = QStandardItem("    " + ticket_type.name(language))
            item.setData(ticket_type.code, Qt.ItemDataRole.UserRole)
            model.appendRow(item)
        self.type_combo.setModel(model)
        first = next((row for row in range(model.rowCount()) if model.item(row).isEnabled()), -1)
        self.type_combo.setCurrentIndex(first)

    def select_type(self, code: str) -> None:
        index = self.type_combo.findData(code, Qt.ItemDataRole.UserRole)
        if index < 0:
            raise KeyError(code)
        self.type_combo.setCurrentIndex(index)

    @property
    def ticket_type(self) -> TicketType:
        return self._catalogue.ticket_type(self.type_combo.currentData(Qt.ItemDataRole.UserRole))

    def _on_type_changed(self, _index: int = -1) -> None:
        while self.fields_form.rowCount():
            self.fields_form.removeRow(0)
        while self.materials_layout.count():
            item = self.materials_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.materials_error:
                widget.setParent(None)  # gone at once, so no lookup finds the old type's boxes
        self._editors.clear()
        self._errors.clear()
        self._material_boxes.clear()
        self.clear_errors()
        ticket_type = self.ticket_type
        for field in ticket_type.fields:
            self._add_field_row(field)
        language = current_language()
        for code, required in [(c, True) for c in ticket_type.materials] + [
            (c, False) for c in ticket_type.optional_materials
        ]:
            material = self._catalogue.material(code)
            name = material.name_en if language.startswith("en") else material.name_zh
            box = QCheckBox(name + (self.tr("（必需）") if required else self.tr("（可选）")), self.materials_box)
            box.setObjectName(f"material_{code}")
            box.setAccessibleName(name)
            box.setChecked(code in self._materials_on_file)
            self.materials_layout.addWidget(box)
            self._material_boxes[code] = box
        if not self._material_boxes:
            self.materials_layout.addWidget(QLabel(self.tr("此业务无需提交材料。"), self.materials_box))
        self.materials_layout.addWidget(self.materials_error)
        self._prefill()
        self._pristine = (self.form_values(), self.checked_materials())
        if self.isVisible():
            self._fit_to_fields()
        self.typeChanged.emit(ticket_type.code)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        self._fit_to_fields()  # sizes are only right once the widgets are polished for the screen
        super().showEvent(event)

    def _fit_to_fields(self) -> None:
        """The form asks for room for all its fields (up to most of the screen; beyond that it scrolls)."""
        hint = self._body.sizeHint()
        screen = self.screen().availableGeometry()
        bar = self.scroll_area.verticalScrollBar().sizeHint().width()
        wide = max(hint.width(), self.fontMetrics().averageCharWidth() * FORM_WIDTH_CHARS)
        self.scroll_area.setMinimumSize(min(wide + bar + 4, screen.width() * 2 // 3),
                                   min(hint.height() + 4, screen.height() * 3 // 5))

    def _add_field_row(self, field: Any) -> None:
        editor = FieldEditor(field, self.fields_box, self.today)
        error = error_label(self.fields_box, f"error_{field.name}")
        cell = QWidget(self.fields_box)
        cell_layout = QVBoxLayout(cell)
        cell_layout.setContentsMargins(0, 0, 0, 0)
        if editor.counter is not None:
            row = QHBoxLayout()
            row.addWidget(editor.widget, 1)
            row.addWidget(editor.counter)
            cell_layout.addLayout(row)
        else:
            cell_layout.addWidget(editor.widget)
        cell_layout.addWidget(error)
        text = field.label(current_language()) + ("＊" if field.required else "") + self.tr("：")
        label = QLabel(text, self.fields_box)
        label.setBuddy(editor.widget)
        self.fields_form.addRow(label, cell)
        self._editors[field.name] = editor
        self._errors[field.name] = error

    def _prefill(self) -> None:
        """Fill what the desk already knows (collect once): the chosen 户号 and its address as the fault's,
        the number a caller rings from; other personal data only once it is revealed."""
        account = next((a for a in self._accounts if a.id == self.account_id), None)
        known: dict[str, Any] = {"account_number": account.account_no if account else None,
                                 "fault_address": account.address if account else None}
        if self._caller_number:
            known["contact_phone"] = self._caller_number
        if self._customer is not None:
            known["area_class"] = self._customer.area_class
            if self._revealed:
                known |= {"customer_name": self._customer.name,
                          "contact_phone": self._caller_number or self._customer.phone,
                          "id_number": self._customer.id_number, "address": self._customer.address}
        for name, value in known.items():
            editor = self._editors.get(name)
            if editor is not None and value and editor.value() in (None, False):
                editor.set_value(value)

    # ---- what was entered -----------------------------------------------------------------------------

    def field_names(self) -> list[str]:
        return list(self._editors)

    def editor(self, name: str) -> FieldEditor:
        return self._editors[name]

    def material_box(self, code: str) -> QCheckBox:
        return self._material_boxes[code]

    @property
    def account_id(self) -> str | None:
        return self.account_combo.currentData()

    @property
    def summary(self) -> str:
        return self.summary_edit.text()

    def form_values(self) -> dict[str, Any]:
        return {name: editor.value() for name, editor in self._editors.items() if editor.value() is not None}

    def checked_materials(self) -> list[str]:
        return [code for code, box in self._material_boxes.items() if box.isChecked()]

    def may_discard(self) -> bool:
        """True when nothing would be lost, or the clerk said so."""
        return not self.is_filled() or ask_discard(self)

    @property
    def keeps_draft(self) -> bool:
        """A customer's form closed unaccepted comes back in the same visit; a walk-in's does not."""
        return self._customer is not None

    def draft(self) -> IntakeDraft | None:
        """What was typed, as a draft; None when nothing beyond the prefill was entered."""
        if not self.is_filled():
            return None
        prefilled, values = self._pristine[0], self.form_values()
        typed: dict[str, Any] = {name: value for name, value in values.items() if prefilled.get(name) != value}
        typed |= {name: None for name in prefilled if name not in values}
        return IntakeDraft(self.ticket_type.code, self.account_id, self.summary, typed,
                           frozenset(self.checked_materials()))

    def restore(self, draft: IntakeDraft) -> bool:
        """Bring back a draft's type, 户号, summary, typed values and ticked materials; False if its type is gone."""
        try:
            self.select_type(draft.type_code)
        except KeyError:
            return False
        account = self.account_combo.findData(draft.account_id)
        if account >= 0:
            self.account_combo.setCurrentIndex(account)
        self.summary_edit.setText(draft.summary)
        for name, value in draft.typed.items():
            if name in self._editors:
                self._editors[name].set_value(value)
        for code, box in self._material_boxes.items():
            box.setChecked(code in draft.materials or code in self._materials_on_file)
        return True

    def reset(self) -> None:
        """Back to a fresh form of the chosen type: only what the desk prefills."""
        self.summary_edit.clear()
        self.account_combo.setCurrentIndex(1 if self._accounts else 0)
        self._on_type_changed()

    def is_filled(self) -> bool:
        """Has the clerk entered anything beyond what the desk prefilled (so Esc would lose work)?"""
        return bool(self.summary.strip()) or (self.form_values(), self.checked_materials()) != self._pristine

    # ---- problems, in place -----------------------------------------------------------------------------

    def check(self, type_code: str | None = None) -> bool:
        """Show every problem of the form at once, each beside its field; True when there is none."""
        self.clear_errors()
        code = type_code or self.ticket_type.code
        _type, _cleaned, problems = ticket_input_problems(
            self._catalogue, code, self._channel, self.form_values(), self.checked_materials(), today=self.today)
        self.show_errors(problems)
        return not problems

    def show_errors(self, problems: Sequence[DomainError]) -> None:
        """Each problem beside its field (general ones below the form); the first field in form order gets focus."""
        general: list[str] = []
        for problem in problems:
            field = self._form_field_of(problem)
            text = problem.message(current_language())
            if field in self._errors:
                self._errors[field].setText(text)
                self._errors[field].show()
            elif field == "materials":
                self.materials_error.setText(text)
                self.materials_error.show()
            else:
                general.append(text)
        if general:
            self.show_general_error("\n".join(general))
        first = next((name for name in self._editors if self._errors[name].isVisibleTo(self)), None)
        if first is not None:
            self._editors[first].widget.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.materials_error.isVisibleTo(self):
            box = next(iter(self._material_boxes.values()), None)
            if box is not None:
                box.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_error(self, error: DomainError) -> None:
        field = self._form_field_of(error)
        text = error.message(current_language())
        if field in self._errors:
            self._errors[field].setText(text)
            self._errors[field].show()
            self._editors[field].widget.setFocus(Qt.FocusReason.OtherFocusReason)
        elif field == "materials":
            self.materials_error.setText(text)
            self.materials_error.show()
            first = next(iter(self._material_boxes.values()), None)
            if first is not None:
                first.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.show_general_error(text)

    def show_general_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def error_text(self, field: str | None = None) -> str:
        """The message shown in place for `field` (None: the form's general message)."""
        if field == "materials":
            label = self.materials_error
        else:
            label = self._errors.get(field, self.error_label) if field else self.error_label
        return label.text() if label.isVisibleTo(self) else ""

    def clear_errors(self) -> None:
        for label in (*self._errors.values(), self.error_label, self.materials_error):
            label.clear()
            label.hide()

    def _form_field_of(self, error: DomainError) -> str | None:
        """The form field an error is about; for a validator's own name, the editor of that type failing it."""
        if error.field in self._editors or error.field not in _VALIDATORS:
            return error.field
        field_type, validate = _VALIDATORS[error.field]
        for name, editor in self._editors.items():
            value = editor.value()
            if editor.field.type != field_type or value is None:
                continue
            try:
                validate(value)
            except DomainError:
                return name
        return error.field
