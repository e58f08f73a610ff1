"""Identity verification at the desk: ID card reader or ID number + name in the hall, 户号 + name + ID tail
on the hotline, and the app's real-name records; every outcome is recorded (synced through the outbox).

SMS codes are not offered: the backend has no endpoint that sends one.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.context import DeskContext
from desktop.frontdesk import labels
from desktop.frontdesk.identity_checks import (
    CardReader,
    CardReading,
    CheckOutcome,
    check_account_name_id_tail,
    check_card,
    check_id_number_and_name,
)
from desktop.i18n import current_language
from desktop.operations import Operation, report_failure
from domain.errors import DomainError
from domain.records import Account, Customer, Verification


class VerifyIdentityDialog(QDialog):
    verified = Signal(object)  # the passed Verification

    def __init__(self, context: DeskContext, customer: Customer, accounts: list[Account], reader: CardReader,
                 app_records: list[Verification], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verifyIdentityDialog")
        self.setWindowTitle(self.tr("核验客户身份"))
        self._context = context
        self._customer = customer
        self._accounts = accounts
        self._reader = reader
        self._busy = False
        self.last_outcome: CheckOutcome | None = None

        self.methods = QTabWidget(self)
        self.methods.setObjectName("verifyMethods")
        self.methods.setAccessibleName(self.tr("核验方式"))
        if context.channel == "hotline":
            self.methods.addTab(self._account_tab(), self.tr("户号、姓名与证件后4位"))
        else:
            self.methods.addTab(self._card_tab(), self.tr("身份证读卡"))
            self.methods.addTab(self._id_number_tab(), self.tr("身份证号码与姓名"))
        self.methods.addTab(self._app_tab(app_records), self.tr("网上国网实名认证"))

        self.result_label = QLabel(self)
        self.result_label.setObjectName("verificationResult")
        self.result_label.setAccessibleName(self.tr("核验结果"))
        self.result_label.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.methods)
        layout.addWidget(self.result_label)
        layout.addWidget(close)
        # Enter in a field checks (returnPressed); no button may also take it as the dialog's default.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)

    # ---- the methods --------------------------------------------------------------------------------

    def _card_tab(self) -> QWidget:
        tab = QWidget(self)
        hint = QLabel(self.tr("请客户将居民身份证放在读卡器上，然后读卡。"), tab)
        hint.setWordWrap(True)
        self.read_card_button = QPushButton(self.tr("读卡(&R)"), tab)
        self.read_card_button.setObjectName("readIdCard")
        self.read_card_button.setAccessibleName(self.tr("读取身份证"))
        self.read_card_button.clicked.connect(self.read_card)
        layout = QVBoxLayout(tab)
        layout.addWidget(hint)
        layout.addWidget(self.read_card_button)
        layout.addStretch(1)
        return tab

    def _line(self, parent: QWidget, name: str, accessible: str, submit: Callable[[], None]) -> QLineEdit:
        edit = QLineEdit(parent)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.returnPressed.connect(submit)
        return edit

    def _id_number_tab(self) -> QWidget:
        tab = QWidget(self)
        self.id_number_edit = self._line(tab, "verifyIdNumber", self.tr("身份证号码"), self.check_id_number)
        self.id_name_edit = self._line(tab, "verifyIdName", self.tr("姓名"), self.check_id_number)
        button = QPushButton(self.tr("核验(&K)"), tab)
        button.setObjectName("checkIdNumber")
        button.setAccessibleName(self.tr("核验身份证号码与姓名"))
        button.clicked.connect(self.check_id_number)
        form = QFormLayout(tab)
        form.addRow(self.tr("身份证号码："), self.id_number_edit)
        form.addRow(self.tr("姓名："), self.id_name_edit)
        form.addRow(button)
        return tab

    def _account_tab(self) -> QWidget:
        tab = QWidget(self)
        self.account_edit = self._line(tab, "verifyAccountNo", self.tr("户号"), self.check_account)
        self.account_name_edit = self._line(tab, "verifyAccountName", self.tr("户名"), self.check_account)
        self.id_tail_edit = self._line(tab, "verifyIdTail", self.tr("身份证号码后4位"), self.check_account)
        self.id_tail_edit.setMaxLength(4)
        button = QPushButton(self.tr("核验(&K)"), tab)
        button.setObjectName("checkAccount")
        button.setAccessibleName(self.tr("核验户号、姓名与证件后4位"))
        button.clicked.connect(self.check_account)
        form = QFormLayout(tab)
        form.addRow(self.tr("户号："), self.account_edit)
        form.addRow(self.tr("户名："), self.account_name_edit)
        form.addRow(self.tr("身份证后4位："), self.id_tail_edit)
        form.addRow(button)
        return tab

    def _app_tab(self, records: list[Verification]) -> QWidget:
        tab = QWidget(self)
        self.app_records = QListWidget(tab)
        self.app_records.setObjectName("appVerifications")
        self.app_records.setAccessibleName(self.tr("网上国网实名认证记录"))
        for record in records:
            text = self.tr("{at}  {outcome}  凭证：{ref}").format(
                at=labels.local_time(record.at), outcome=labels.outcome_name(record.outcome),
                ref=record.evidence_ref or "—")
            item = QListWidgetItem(text, self.app_records)
            item.setData(Qt.ItemDataRole.UserRole, record)
        empty = QLabel(self.tr("尚未收到此客户在网上国网的实名认证记录。"), tab)
        empty.setVisible(not records)
        self.use_app_button = QPushButton(self.tr("采用此实名认证(&U)"), tab)
        self.use_app_button.setObjectName("useAppVerification")
        self.use_app_button.setAccessibleName(self.tr("采用所选的网上国网实名认证"))
        self.use_app_button.clicked.connect(self.use_app_record)
        self.app_records.itemActivated.connect(lambda _item: self.use_app_record())
        if records:
            self.app_records.setCurrentRow(0)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.app_records)
        layout.addWidget(empty)
        layout.addWidget(self.use_app_button)
        return tab

    # ---- checks ---------------------------------------------------------------------------------------

    def read_card(self) -> None:
        if self._busy:
            return
        self._busy = True
        self._say(self.tr("正在读卡……"))
        reader = self._reader
        Operation(self, reader.read).success(self._on_card_read).failure(self._on_failure).run()

    def _on_card_read(self, reading: CardReading) -> None:
        self._busy = False
        self._decide(lambda: check_card(self._customer, reading), evidence_ref="id_card_reader")

    def check_id_number(self) -> None:
        self._decide(lambda: check_id_number_and_name(self._customer, self.id_number_edit.text(),
                                                      self.id_name_edit.text()))

    def check_account(self) -> None:
        self._decide(lambda: check_account_name_id_tail(self._customer, self._accounts, self.account_edit.text(),
                                                        self.account_name_edit.text(), self.id_tail_edit.text()))

    def use_app_record(self) -> None:
        if self._busy:
            return
        item = self.app_records.currentItem()
        record = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not isinstance(record, Verification) or record.outcome != "passed":
            self._say(self.tr("请选择一条已通过的实名认证记录。"), error=True)
            return
        self._record(CheckOutcome("app_real_name", True), evidence_ref=f"verification:{record.id}")

    def _decide(self, check: Callable[[], CheckOutcome], evidence_ref: str | None = None) -> None:
        if self._busy:
            return  # one check at a time: Enter pressed twice must not record twice
        try:
            outcome = check()
        except DomainError as error:  # malformed input: say what is wrong, record nothing
            self._busy = False
            self._say(error.message(current_language()), error=True)
            self._focus_field(error.field)
            return
        self._record(outcome, evidence_ref)

    def _record(self, outcome: CheckOutcome, evidence_ref: str | None = None) -> None:
        store = self._context.store
        customer_id = self._customer.id
        channel = self._context.channel
        staff_id = self._context.staff.id
        self._busy = True

        def write() -> Verification:
            return store.record_verification(customer_id, channel=channel, method=outcome.method,
                                             outcome=outcome.outcome, staff_id=staff_id, evidence_ref=evidence_ref)

        Operation(self, write, changes={"verification"}).success(
            lambda verification: self._on_recorded(outcome, verification)
        ).failure(self._on_failure).run()

    def _on_recorded(self, outcome: CheckOutcome, verification: Verification) -> None:
        self._busy = False
        self.last_outcome = outcome
        if outcome.passed:
            self._say(self.tr("身份核验通过。"))
            self.verified.emit(verification)
            self.accept()
            return
        self._say(self._reason_text(outcome) + self.tr("本次未通过的核验已记录。"), error=True)

    def _on_failure(self, error: BaseException) -> None:
        self._busy = False
        if isinstance(error, DomainError):
            self._say(error.message(current_language()), error=True)
            return
        self._say(self.tr("核验未能完成。"), error=True)
        report_failure(error)

    def _reason_text(self, outcome: CheckOutcome) -> str:
        reasons = {
            "no_id_on_file": self.tr("档案中没有此客户的身份证号码，无法用此方式核验。"),
            "id_mismatch": self.tr("身份证号码与档案不一致，核验未通过。"),
            "name_mismatch": self.tr("姓名与档案不一致，核验未通过。"),
            "account_mismatch": self.tr("该户号不属于此客户，核验未通过。"),
            "id_tail_mismatch": self.tr("身份证号码后4位与档案不一致，核验未通过。"),
        }
        return reasons.get(outcome.reason or "", self.tr("核验未通过。"))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.result_label.setText(text)
        self.result_label.setStyleSheet("color: #b00020;" if error else "")

    def _focus_field(self, field: str | None) -> None:
        widgets: dict[str | None, QWidget | None] = {
            "id_number": getattr(self, "id_number_edit", None),
            "name": getattr(self, "id_name_edit", None) if self._context.channel != "hotline"
            else getattr(self, "account_name_edit", None),
            "account_no": getattr(self, "account_edit", None),
            "id_tail": getattr(self, "id_tail_edit", None),
        }
        widget = widgets.get(field)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
