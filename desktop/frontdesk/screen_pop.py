"""Hotline screen pop: an incoming call opens the caller's card, a picker when several
customers share the number, or a new-caller form when nobody is known by it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.context import DeskContext
from desktop.display import text_counter
from desktop.operations import Operation, expected_failure_text, report_failure
from domain.bounds import text_limit
from domain.masking import mask_address, mask_customer_name, mask_phone
from domain.records import Customer


def _with_counter(edit: QLineEdit, limit: int, parent: QWidget) -> QHBoxLayout:
    """The field and its "12/100" counter on one row (the field stops at the domain's limit)."""
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(text_counter(edit, limit, parent))
    return row

class CallerPicker(QDialog):
    """Several customers share the caller's number: the agent picks who is calling."""

    chosen = Signal(str)

    def __init__(self, caller_number: str, customers: list[Customer], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callerPicker")
        self.setWindowTitle(self.tr("来电 %1：请选择客户").replace("%1", mask_phone(caller_number)))
        self.list = QListWidget(self)
        self.list.setObjectName("callerCandidates")
        self.list.setAccessibleName(self.tr("来电号码对应的客户"))
        for customer in customers:
            item = QListWidgetItem(f"{mask_customer_name(customer.name, customer.id_type)}  {mask_address(customer.address)}", self.list)
            item.setData(Qt.ItemDataRole.UserRole, customer.id)
        self.list.setCurrentRow(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._choose)
        buttons.rejected.connect(self.reject)
        self.list.itemActivated.connect(lambda _item: self._choose())
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("这个号码登记在多位客户名下，请向来电人确认身份后选择："), self))
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def _choose(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen.emit(item.data(Qt.ItemDataRole.UserRole))
            self.accept()


class NewCallerForm(QDialog):
    """Nobody is known by the caller's number: record the caller as a new customer (the call goes into their
    timeline), look them up under another number, or take the request anonymously."""

    created = Signal(str)
    searchRequested = Signal(str)  # the caller's number: look for them in the customer search
    anonymousRequested = Signal()

    def __init__(self, context: DeskContext, caller_number: str, parent: QWidget | None = None, *,
                 call_id: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newCallerForm")
        self.setWindowTitle(self.tr("新来电客户"))
        self._context = context
        self._caller_number = caller_number
        self._call_id = call_id
        self.name = QLineEdit(self)
        self.name.setObjectName("newCallerName")
        self.name.setAccessibleName(self.tr("户名"))
        self.phone = QLineEdit(caller_number, self)
        self.phone.setObjectName("newCallerPhone")
        self.phone.setAccessibleName(self.tr("联系电话"))
        self.address = QLineEdit(self)
        self.address.setObjectName("newCallerAddress")
        self.address.setAccessibleName(self.tr("用电地址"))
        self.error = QLabel(self)
        self.error.setObjectName("newCallerError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("户名(&N)"), _with_counter(self.name, text_limit("customer.name"), self))
        form.addRow(self.tr("联系电话(&P)"), self.phone)
        form.addRow(self.tr("用电地址(&A)"), _with_counter(self.address, text_limit("customer.address"), self))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("登记新客户(&S)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.search_button = self.buttons.addButton(self.tr("查找已有客户(&F)"),
                                                    QDialogButtonBox.ButtonRole.ActionRole)
        self.search_button.setObjectName("searchExistingCaller")
        self.search_button.setAccessibleName(self.tr("在客户查询中查找来电人"))
        self.search_button.clicked.connect(self._search_existing)
        self.anonymous_button = self.buttons.addButton(self.tr("匿名受理(&U)"), QDialogButtonBox.ButtonRole.ActionRole)
        self.anonymous_button.setObjectName("anonymousCaller")
        self.anonymous_button.setAccessibleName(self.tr("不登记客户，匿名受理来电诉求"))
        self.anonymous_button.clicked.connect(self._anonymous)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("来电号码未登记。请记录来电客户，之后可为其受理业务；"
                                        "也可按其他信息查找已有客户，或匿名受理："), self))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _search_existing(self) -> None:
        self.reject()  # first: closing hands the focus back, and the search box is to have it
        self.searchRequested.emit(self._caller_number)

    def _anonymous(self) -> None:
        self.accept()
        self.anonymousRequested.emit()

    def submit(self) -> None:
        store, office_id = self._context.store, self._context.office_id
        staff_id, call_id, caller = self._context.staff.id, self._call_id, self._caller_number
        name, phone, address = self.name.text(), self.phone.text().strip(), self.address.text().strip()
        summary = self.tr("来电，登记为新客户")
        self.buttons.setEnabled(False)

        def work() -> Customer:
            from domain.identity import validate_phone

            customer = store.create_customer(
                office_id=office_id, name=name, phone=validate_phone(phone) if phone else None, address=address
            )
            # The call that brought them: in their timeline from the first minute.
            store.record_interaction(office_id=office_id, channel="hotline", type="call", customer_id=customer.id,
                                     summary=summary, staff_id=staff_id, call_id=call_id,
                                     caller_number=caller or None)
            return customer

        Operation(self, work, changes={"customer", "interaction"}).success(self._created).failure(self._failed).run()

    def _created(self, customer: Customer) -> None:
        self._context.notify_local_change()
        self.created.emit(customer.id)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        text = expected_failure_text(exc)
        if text is None:
            report_failure(exc)
            return
        self.error.setText(text)


def pop_caller(
    context: DeskContext,
    caller_number: str,
    customer_ids: list[str],
    open_customer: Callable[[str], None],
    parent: QWidget,
    *,
    call_id: str | None = None,
    search: Callable[[str], None] | None = None,
    anonymous: Callable[[], object] | None = None,
) -> None:
    """Open the card, the picker or the new-caller form for an incoming call (`search` and `anonymous`: what
    the new-caller form's 查找已有客户 and 匿名受理 do)."""
    store = context.store

    def known() -> list[Customer]:
        return [c for c in (store.customer(cid) for cid in customer_ids) if c is not None]

    def show(customers: list[Customer]) -> None:
        if len(customers) == 1:
            open_customer(customers[0].id)
            return
        dialog: CallerPicker | NewCallerForm
        if customers:
            dialog = CallerPicker(caller_number, customers, parent)
            dialog.chosen.connect(open_customer)
        else:
            dialog = NewCallerForm(context, caller_number, parent, call_id=call_id)
            dialog.created.connect(open_customer)
            if search is not None:
                dialog.searchRequested.connect(search)
            if anonymous is not None:
                dialog.anonymousRequested.connect(anonymous)
            dialog.search_button.setVisible(search is not None)
            dialog.anonymous_button.setVisible(anonymous is not None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    Operation(parent, known).success(show).run()
