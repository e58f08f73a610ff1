"""The intake's done page: the number (the server's once it arrives), the promised deadline, and the
receipt — 打印 / 打印预览 / PDF at the hall, the number by SMS for a phone request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop import messages
from desktop.context import DeskContext
from desktop.display import cell_text
from desktop.frontdesk import labels
from desktop.frontdesk.receipt import Receipt
from desktop.frontdesk.receipt_actions import ReceiptActions
from desktop.i18n import current_language
from domain import progress, sla
from domain.errors import DomainError
from domain.identity import validate_phone
from domain.masking import mask_customer_name, mask_phone
from domain.records import Account, Customer, Notification, Ticket

RECEIPT_SUMMARY_CHARS = 26
"""The request's own words on the receipt: one line of the A5 page (the ticket has them all)."""
REQUEST_FIELDS = ("description", "content", "question")  # where a form without a summary keeps the request


def _mobile(text: str) -> str | None:
    """`text` as an 11-digit mobile number, or None (a landline cannot receive an SMS)."""
    try:
        phone = validate_phone(text)
    except DomainError:
        return None
    return None if "-" in phone else phone


class IntakeDonePage(QWidget):
    closeRequested = Signal()

    def __init__(self, context: DeskContext, clock: Callable[[], datetime], caller_number: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakeDonePage")
        self._context = context
        self._catalogue = context.store.catalogue
        self._clock = clock
        self._caller_number = caller_number
        self._customer: Customer | None = None
        self._revealed = False
        self._accounts: list[Account] = []
        self.ticket: Ticket | None = None
        self.deadline: sla.Deadline | None = None
        self.receipts = ReceiptActions(self, context, self.receipt)
        self.receipts.waiting.connect(self._show_waiting_for_number)
        self.receipts.numbered.connect(self._on_numbered)
        self.receipts.sms_state.connect(self._on_sms_state)
        page = self
        self.done_label = QLabel(page)
        self.done_label.setTextFormat(Qt.TextFormat.PlainText)
        self.done_label.setObjectName("acceptedTicket")
        self.done_label.setWordWrap(True)
        self.done_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)  # read first, not mid-page
        self.done_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                                | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.waiting_label = QLabel(self.tr("正在取得正式工单编号，回执将使用正式编号…"), page)
        self.waiting_label.setObjectName("waitingForNumber")
        self.waiting_label.hide()
        self.print_button = QPushButton(self.tr("打印回执(&P)…"), page)
        self.print_button.setObjectName("printReceipt")
        self.print_button.setAccessibleName(self.tr("打印受理回执"))
        self.print_button.clicked.connect(self.receipts.print_receipt)
        self.preview_button = QPushButton(self.tr("打印预览(&V)…"), page)
        self.preview_button.setObjectName("previewReceipt")
        self.preview_button.setAccessibleName(self.tr("受理回执打印预览"))
        self.preview_button.clicked.connect(self.receipts.preview)
        self.receipt_button = QPushButton(self.tr("保存为PDF(&S)…"), page)
        self.receipt_button.setObjectName("saveReceipt")
        self.receipt_button.setAccessibleName(self.tr("保存受理回执PDF"))
        self.receipt_button.setAutoDefault(False)
        self.receipt_button.clicked.connect(self.receipts.save_pdf)
        self.sms_button = QPushButton(self.tr("短信告知工单编号(&M)"), page)
        self.sms_button.setObjectName("smsTicketNumber")
        self.sms_button.setAccessibleName(self.tr("以短信告知来电人工单编号"))
        self.sms_button.clicked.connect(self.send_sms)
        self.sms_label = QLabel(page)
        self.sms_label.setObjectName("smsRecorded")
        self.sms_label.setTextFormat(Qt.TextFormat.PlainText)
        self.sms_label.setWordWrap(True)
        self.sms_label.hide()
        # A phone request gets its number by SMS; paper is for the hall.
        by_phone = self._context.channel == "hotline"
        for button in (self.print_button, self.preview_button, self.receipt_button):
            button.setVisible(not by_phone)
        self.sms_button.setVisible(by_phone)
        done = QPushButton(self.tr("完成(&D)"), page)
        done.setObjectName("closeIntake")
        done.setAutoDefault(False)
        done.clicked.connect(self.closeRequested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.sms_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.receipt_button)
        buttons.addWidget(done)
        layout = QVBoxLayout(page)
        layout.addWidget(self.done_label, 1)
        layout.addWidget(self.waiting_label)
        layout.addWidget(self.sms_label)
        layout.addLayout(buttons)

    def show_accepted(self, ticket: Ticket, deadline: sla.Deadline, customer: Customer | None, revealed: bool,
                      accounts: list[Account]) -> None:
        """The request is accepted: its number and deadline, and what the receipt will say of whom."""
        self.ticket, self.deadline = ticket, deadline
        self._customer, self._revealed, self._accounts = customer, revealed, accounts
        self.receipts.track(ticket)
        self.done_label.setText(self._done_text(ticket, deadline))
        phone = self.sms_phone()
        self.sms_button.setEnabled(phone is not None)
        self.sms_button.setToolTip("" if phone else self.tr("没有可接收短信的手机号码"))

    def focus_first_action(self) -> None:
        first = self.sms_button if self.sms_button.isVisibleTo(self) else self.print_button
        first.setDefault(True)  # Enter prints (or texts): the receipt is the usual next step
        first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _done_text(self, ticket: Ticket, deadline: sla.Deadline) -> str:
        lines = [self.tr("已受理：{type}").format(type=self._catalogue.ticket_type(ticket.type_code).name(
            current_language()))]
        if ticket.number:
            lines.append(self.tr("工单编号：{number}").format(number=ticket.number))
        else:
            lines.append(self.tr("工单编号：{number}（临时编号，联网同步后分配正式编号）").format(
                number=ticket.provisional_number))
        if ticket.progress_code:  # a caller is told it: their request's page asks for it
            lines.append(self.tr("查询码：{code}（客户凭此查询办理进度）").format(code=progress.grouped(ticket.progress_code)))
        due = labels.local_time(deadline.due_at)
        if deadline.provisional:
            lines.append(self.tr("承诺办结时限：{due}（暂定：该年度节假日安排尚未公布）").format(due=due))
        else:
            lines.append(self.tr("承诺办结时限：{due}").format(due=due))
        return "\n".join(lines)

    def _on_numbered(self, ticket: Ticket) -> None:
        """The server's number arrived while the done page shows: the clerk reads the final one."""
        self.ticket = ticket
        if self.deadline is not None:
            self.done_label.setText(self._done_text(ticket, self.deadline) + "\n" + self.tr(
                "（临时编号 {provisional} 已由正式编号取代，两个编号均可查询）").format(
                provisional=ticket.provisional_number or ""))

    def _show_waiting_for_number(self, waiting: bool) -> None:
        self.waiting_label.setVisible(waiting)
        for button in (self.print_button, self.preview_button, self.receipt_button, self.sms_button):
            button.setEnabled(not waiting)

    # ---- a phone request: the number by SMS -------------------------------------------------------

    def sms_phone(self) -> str | None:
        """The mobile the ticket number goes to: the form's contact phone, the customer's, the caller's."""
        fields = self.ticket.fields if self.ticket is not None else {}
        for candidate in (fields.get("contact_phone"), self._customer.phone if self._customer else None,
                          self._caller_number):
            mobile = _mobile(str(candidate)) if candidate else None
            if mobile is not None:
                return mobile
        return None

    def send_sms(self) -> None:
        """Ask the server to text the caller the ticket number (queued with the next sync when offline)."""
        phone = self.sms_phone()
        if phone is not None:
            self.sms_button.setEnabled(False)  # one request per press; a failed one may be asked again
            self.receipts.send_sms(phone)

    def sms_state_text(self, notification: Notification) -> str:
        """待发送 / 已发送 / 发送失败（原因）, with the number masked."""
        if notification.state == "sent":
            state = self.tr("已发送")
        elif notification.state == "failed":
            state = self.tr("发送失败（{reason}）").format(reason=notification.reason or self.tr("原因不明"))
        elif self.receipts.online():
            state = self.tr("待发送")
        else:
            state = self.tr("待发送（联网同步后由服务器发送）")
        return self.tr("短信告知工单编号（{phone}）：{state}").format(phone=mask_phone(notification.phone), state=state)

    def _on_sms_state(self, notification: Notification) -> None:
        first = not self.sms_label.isVisible()
        self.sms_label.setText(self.sms_state_text(notification))
        self.sms_label.show()
        self.sms_button.setEnabled(notification.state == "failed")
        if first and notification.state == "queued":
            messages.info(self.tr("短信告知已提交：服务器将以正式工单编号发送，结果显示在此处"))

    def receipt(self, ticket: Ticket, heading: str = "") -> Receipt:
        """The receipt of `ticket` in the desk's language (the number as it stands now), under `heading`."""
        assert self.deadline is not None
        ticket_type = self._catalogue.ticket_type(ticket.type_code)
        language = current_language()
        number = ticket.number or ticket.provisional_number or ""
        lines: list[tuple[str, str]] = [(self.tr("工单编号："), number)]
        if not ticket.number:
            lines.append((self.tr("编号状态："), self.tr("临时编号，联网同步后分配正式编号，两个编号均可查询")))
        if ticket.progress_code:  # said in words for a customer without a phone camera
            lines.append((self.tr("查询码："), progress.grouped(ticket.progress_code)))
        lines.append((self.tr("业务类型："), ticket_type.name(language)))
        customer = self._customer
        if customer is None:
            name = self.tr("匿名")
        else:  # a verified customer's receipt names them in full; otherwise as the screen shows them
            name = customer.name if self._revealed else mask_customer_name(customer.name, customer.id_type)
        lines.append((self.tr("客户："), name))
        account = next((a for a in self._accounts if a.id == ticket.account_id), None)
        if account is not None:
            lines.append((self.tr("户号："), account.account_no))
        lines.append((self.tr("受理渠道："), labels.channel_name(ticket.channel)))
        lines.append((self.tr("受理时间："), labels.local_time(ticket.accepted_at)))
        due = labels.local_time(self.deadline.due_at)
        lines.append((self.tr("承诺办结时限："), self.tr("{due}（暂定）").format(due=due) if self.deadline.provisional
                      else due))
        lines.append((self.tr("受理人："), self._context.staff.display_name))
        if ticket.materials:
            names = [self._catalogue.material(code) for code in ticket.materials]
            lines.append((self.tr("已收材料："), "、".join(m.name_en if language.startswith("en") else m.name_zh
                                                          for m in names)))
        request = ticket.summary or next((str(ticket.fields[name]) for name in REQUEST_FIELDS
                                          if ticket.fields.get(name)), "")
        if request:
            lines.append((self.tr("诉求内容："), cell_text(request, RECEIPT_SUMMARY_CHARS)))
        base = self._context.public_url
        if ticket.progress_code and base:
            notes = [self.tr("扫描右侧二维码查询办理进度，或访问以下网址输入查询码："), progress.page_url(base)]
        else:
            notes = [self.tr("凭工单编号拨打95598查询办理进度。")]
        notes.append(self.tr("供电服务热线：95598（24小时）"))
        if self.deadline.provisional:
            notes.insert(0, self.tr("该年度节假日安排尚未公布，时限按工作日暂定，以正式通知为准。"))
        link = progress.page_url(base, ticket.progress_code) if ticket.progress_code and base else ""
        return Receipt(title=self.tr("受理回执"), ticket_number=number, lines=tuple(lines), notes=tuple(notes),
                       printed_at=self._clock(), heading=heading, progress_url=link)
