"""Identity verification at the desk: ID card reader or ID number + name in the hall, 户号 + name + ID tail
on the hotline, an SMS code the server texts to the phone on file, and the app's real-name records; every
outcome is recorded (the desk's checks through the outbox, the SMS check by the server, which syncs it back).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
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
    ResendCountdown,
    SmsCheck,
    check_account_name_id_tail,
    check_card,
    check_id_number_and_name,
    clean_sms_code,
)
from desktop.i18n import current_language
from desktop.operations import Operation, expected_failure_text, report_failure
from desktop.sync.errors import Offline, RequestRefused
from domain.errors import DomainError
from domain.masking import mask_phone
from domain.records import Account, Customer, Verification


class VerifyIdentityDialog(QDialog):
    verified = Signal(object)  # the passed Verification

    def __init__(self, context: DeskContext, customer: Customer, accounts: list[Account], reader: CardReader | None,
                 app_records: list[Verification], parent: QWidget | None = None,
                 resend_clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.setObjectName("verifyIdentityDialog")
        self.setWindowTitle(self.tr("核验客户身份"))
        self._context = context
        self._customer = customer
        self._accounts = accounts
        self._reader = reader
        self._busy = False
        self.last_outcome: CheckOutcome | None = None
        self._resend = ResendCountdown(clock=resend_clock)
        self._resend_timer = QTimer(self)
        self._resend_timer.setInterval(1000)
        self._resend_timer.timeout.connect(self.refresh_send_button)

        self.methods = QTabWidget(self)
        self.methods.setObjectName("verifyMethods")
        self.methods.setAccessibleName(self.tr("核验方式"))
        if context.channel == "hotline":
            self.methods.addTab(self._account_tab(), self.tr("户号、姓名与证件后4位"))
        else:
            self.methods.addTab(self._card_tab(), self.tr("身份证读卡"))
            self.methods.addTab(self._id_number_tab(), self.tr("身份证号码与姓名"))
        self.methods.addTab(self._sms_tab(), self.tr("短信验证码"))
        self.methods.addTab(self._app_tab(app_records), self.tr("网上国网实名认证"))

        self.result_label = QLabel(self)
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)  # may quote what was typed or sent
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
        if context.channel != "hotline" and reader is None:
            # No reader on this desk: open on the ID number, focus in its field, and say why.
            self.methods.setCurrentIndex(1)
            self._say(self.tr("未检测到读卡器。请核对客户的身份证号码与姓名。"))
            self.id_number_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---- the methods --------------------------------------------------------------------------------

    def _card_tab(self) -> QWidget:
        tab = QWidget(self)
        if self._reader is None:
            hint = QLabel(self.tr("未检测到读卡器。请连接身份证读卡器，或改用“身份证号码与姓名”核验。"), tab)
            hint.setObjectName("noCardReader")
        else:
            hint = QLabel(self.tr("请客户将居民身份证放在读卡器上，然后读卡。"), tab)
        hint.setWordWrap(True)
        self.read_card_button = QPushButton(self.tr("读卡(&R)"), tab)
        self.read_card_button.setObjectName("readIdCard")
        self.read_card_button.setAccessibleName(self.tr("读取身份证"))
        self.read_card_button.setEnabled(self._reader is not None)
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

    def _sms_tab(self) -> QWidget:
        tab = QWidget(self)
        self.sms_tab = tab
        phone = self._customer.phone
        self.sms_hint = QLabel(tab)
        self.sms_hint.setTextFormat(Qt.TextFormat.PlainText)  # may quote what was typed or sent
        self.sms_hint.setObjectName("smsHint")
        self.sms_hint.setWordWrap(True)
        self.sms_hint.setText(
            self.tr("验证码将由系统发送到客户登记的手机 %1，请客户读出收到的6位验证码。").replace("%1", mask_phone(phone))
            if phone else self.tr("档案中没有此客户的手机号码，无法用短信验证码核验。"))
        self.send_sms_button = QPushButton(self.tr("发送验证码(&S)"), tab)
        self.send_sms_button.setObjectName("sendSmsCode")
        self.send_sms_button.setAccessibleName(self.tr("发送短信验证码"))
        self.send_sms_button.clicked.connect(self.send_sms_code)
        self.sms_code_edit = self._line(tab, "smsCode", self.tr("客户读出的验证码"), self.check_sms_code)
        self.sms_code_edit.setMaxLength(6)
        self.check_sms_button = QPushButton(self.tr("核对(&C)"), tab)
        self.check_sms_button.setObjectName("checkSmsCode")
        self.check_sms_button.setAccessibleName(self.tr("核对短信验证码"))
        self.check_sms_button.clicked.connect(self.check_sms_code)
        self.sms_offline = QLabel(tab)
        self.sms_offline.setObjectName("smsOffline")
        self.sms_offline.setWordWrap(True)
        other = self.tr("户号、姓名与证件后4位") if self._context.channel == "hotline" else self.tr("身份证读卡")
        self.sms_offline.setText(self.tr("短信验证码需要连接服务器，当前无法使用。请改用“%1”核验。").replace("%1", other))
        self.use_other_button = QPushButton(self.tr("改用%1(&O)").replace("%1", other), tab)
        self.use_other_button.setObjectName("useOtherMethod")
        self.use_other_button.setAccessibleName(self.tr("改用其他核验方式"))
        self.use_other_button.clicked.connect(lambda _checked=False: self.methods.setCurrentIndex(0))
        form = QFormLayout(tab)
        form.addRow(self.sms_hint)
        form.addRow(self.send_sms_button)
        form.addRow(self.tr("验证码："), self.sms_code_edit)
        form.addRow(self.check_sms_button)
        form.addRow(self.sms_offline)
        form.addRow(self.use_other_button)
        self._show_sms_offline(self._api() is None)
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
        reader = self._reader
        if reader is None:
            self._say(self.tr("未检测到读卡器。"), error=True)
            return
        self._busy = True
        self._say(self.tr("正在读卡……"))
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

    # ---- SMS code: the server sends and checks it; the desk never sees the code -------------------

    def _api(self) -> Any:
        """The signed-in ApiClient, or None on a desk without a sync engine."""
        return getattr(self._context.engine, "client", None)

    def _show_sms_offline(self, offline: bool) -> None:
        """Say SMS needs the network; with an engine the agent may still retry once the link is back."""
        self.sms_offline.setVisible(offline)
        self.use_other_button.setVisible(offline)
        self.check_sms_button.setEnabled(self._api() is not None)
        self.refresh_send_button()

    def refresh_send_button(self) -> None:
        """The send button counts down the desk's resend limit; it stays off with no server or no phone."""
        left = self._resend.seconds_left()
        if left:
            self.send_sms_button.setText(self.tr("重新发送（%1秒）").replace("%1", str(left)))
        else:
            self._resend_timer.stop()
            self.send_sms_button.setText(self.tr("发送验证码(&S)"))
        self.send_sms_button.setEnabled(not left and self._api() is not None and bool(self._customer.phone))

    def send_sms_code(self) -> None:
        client = self._api()
        if client is None:
            self._show_sms_offline(True)
            return
        if self._busy or self._resend.seconds_left() or not self._customer.phone:
            return
        self._busy = True
        self._resend.start()  # counted from the click: a second click while the first is in flight sends nothing
        self.refresh_send_button()
        self._resend_timer.start()
        self._say(self.tr("正在发送验证码……"))
        customer_id = self._customer.id

        async def send() -> dict[str, Any]:
            result: dict[str, Any] = await client.send_sms_code(customer_id)
            return result

        Operation(self, send).success(self._on_sms_sent).failure(self._on_sms_failure).run()

    def _on_sms_sent(self, answer: dict[str, Any]) -> None:
        self._busy = False
        self._show_sms_offline(False)
        self._say(self.tr("验证码已发送到 %1，5分钟内有效。请客户读出验证码后填写并核对。").replace(
            "%1", str(answer.get("phone_masked", ""))))
        self.sms_code_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def check_sms_code(self) -> None:
        client = self._api()
        if client is None:
            self._show_sms_offline(True)
            return
        if self._busy:
            return
        try:
            code = clean_sms_code(self.sms_code_edit.text())
        except DomainError as error:  # malformed input: the server is not asked, nothing is recorded
            self._say(error.message(current_language()), error=True)
            self.sms_code_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._busy = True
        self._say(self.tr("正在核对验证码……"))
        customer_id = self._customer.id

        async def check() -> SmsCheck:
            return SmsCheck.from_answer(await client.check_sms_code(customer_id, code))

        Operation(self, check).success(self._on_sms_checked).failure(self._on_sms_failure).run()

    def _on_sms_checked(self, check: SmsCheck) -> None:
        # The server's answer carries the Verification it wrote: pass that on now rather than wait for the pull
        # that brings the same record to the desk (the card's reveal audit only needs its id and method).
        self._show_sms_offline(False)
        reason = None if check.outcome.passed else self._sms_reason_text(check)
        self._on_recorded(check.outcome, check.verification, reason_text=reason)
        if not check.outcome.passed:
            self.sms_code_edit.selectAll()
            self.sms_code_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _sms_reason_text(self, check: SmsCheck) -> str:
        if check.outcome.reason == "wrong_code":
            return self.tr("验证码不正确，还可再试 %1 次。").replace("%1", str(check.attempts_left))
        reasons = {
            "too_many_attempts": self.tr("验证码输错次数过多，已作废，请重新发送验证码。"),
            "expired": self.tr("验证码已过期（有效期5分钟），请重新发送验证码。"),
        }
        return reasons.get(check.outcome.reason or "", self.tr("没有可核对的验证码，请先发送验证码。"))

    def _on_sms_failure(self, error: BaseException) -> None:
        self._busy = False
        if isinstance(error, Offline):
            self._resend.reset()  # nothing was sent: the agent may try again once the link is back
            self._show_sms_offline(True)
            self._say(self.tr("无法连接服务器，短信验证码未能发送或核对。"), error=True)
            return
        if isinstance(error, RequestRefused) and error.code == "no_phone":
            self._resend.reset()
            self.refresh_send_button()
            self._say(self.tr("服务器上没有此客户的手机号码，无法发送验证码。"), error=True)
            return
        text = expected_failure_text(error)
        if text is None:
            self._on_failure(error)
            return
        self._resend.reset()
        self.refresh_send_button()
        self._say(text, error=True)

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

    def _on_recorded(self, outcome: CheckOutcome, verification: Verification, reason_text: str | None = None) -> None:
        self._busy = False
        self.last_outcome = outcome
        if outcome.passed:
            self._say(self.tr("身份核验通过。"))
            self.verified.emit(verification)
            self.accept()
            return
        self._say((reason_text or self._reason_text(outcome)) + self.tr("本次未通过的核验已记录。"), error=True)

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
