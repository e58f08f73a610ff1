"""One-stop intake (一窗受理): pick a ticket type, fill the form the catalogue defines, tick the one set of
materials, attach scans or photos, accept (offline too: provisional number), then print the receipt
(打印 / 打印预览, or a PDF)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import messages
from desktop.context import DeskContext
from desktop.frontdesk.applicant import Applicant, applicant_from, register_applicant, registers_applicant
from desktop.frontdesk.card_models import is_open
from desktop.frontdesk.deadlines import promised_deadline
from desktop.frontdesk.identity_checks import CardReader, CardReading
from desktop.frontdesk.intake_done import IntakeDonePage
from desktop.frontdesk.intake_form import IntakeDraft, IntakeForm
from desktop.frontdesk.receipt import Receipt
from desktop.frontdesk.receipt_actions import ReceiptActions
from desktop.i18n import current_language
from desktop.operations import Operation, report_failure
from desktop.tickets.attachments_panel import file_size_text
from domain import sla
from domain.calendar import WorkingCalendar
from domain.errors import DomainError
from domain.intake import check_ticket_input
from domain.records import ATTACHMENT_MAX_BYTES, ATTACHMENT_MEDIA_TYPES, Account, Customer, Ticket
from local_store.attachments import attachment_media_type, check_attachment_file

CHASE_TYPE = "chase"


def ask_attachment_paths(parent: QWidget) -> list[Path]:
    """Ask for scans, photos or PDFs to attach (tests replace this)."""
    chosen, _filter = QFileDialog.getOpenFileNames(
        parent, QCoreApplication.translate("IntakeDialog", "添加附件"), "",
        QCoreApplication.translate("IntakeDialog", "图片或 PDF 文件 (*.png *.jpg *.jpeg *.pdf)"),
    )
    return [Path(name) for name in chosen]


@dataclass(frozen=True)
class DuplicateFound:
    open_tickets: list[Ticket]


@dataclass(frozen=True)
class Accepted:
    ticket: Ticket
    deadline: sla.Deadline
    unattached: list[str] = field(default_factory=list)  # files that could not be queued after all
    registered: Customer | None = None  # the walk-in applicant, now a customer
    new_customer: bool = False  # registered now (not found by their ID number)


class IntakeDialog(QDialog):
    accepted_ticket = Signal(object)  # the Ticket
    receipt_saved = Signal(object)  # the Path of the PDF

    def __init__(self, context: DeskContext, customer: Customer | None, accounts: list[Account], *,
                 clock: Callable[[], datetime], revealed: bool = False,
                 materials_on_file: set[str] | None = None, calendar: WorkingCalendar | None = None,
                 card_reader: CardReader | None = None, caller_number: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakeDialog")
        self.setWindowTitle(self.tr("受理新业务"))
        self._context = context
        self._customer = customer
        self._accounts = accounts
        self._clock = clock
        self._revealed = revealed
        self._calendar = calendar  # None: the office calendar as last synced (store.working_calendar())
        self._card_reader = card_reader
        self._caller_number = caller_number
        self._card: CardReading | None = None  # the applicant's ID card, when it was read here
        self._catalogue = context.store.catalogue
        # Materials this customer already handed over during this visit: asked once (一套资料).
        self._materials_on_file = materials_on_file if materials_on_file is not None else set()
        self._busy = False
        self._restored = False
        # A customer's unaccepted form is kept for the visit (this sign-in), keyed by the customer.
        self._draft_key = f"intake:{customer.id}" if customer is not None else None
        self.duplicates: list[Ticket] = []
        self.attachment_paths: list[Path] = []
        self.ticket: Ticket | None = None
        self.deadline: sla.Deadline | None = None

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._form_page())
        self.done_page = IntakeDonePage(context, clock, caller_number, self)
        self.done_page.closeRequested.connect(self.accept)
        self.receipts.saved.connect(self.receipt_saved)
        self.pages.addWidget(self.done_page)
        QVBoxLayout(self).addWidget(self.pages)

    def _form_page(self) -> QWidget:
        page = QWidget(self)
        self.form = IntakeForm(self._catalogue, self._context.channel, self._customer, self._accounts,
                               revealed=self._revealed, materials_on_file=self._materials_on_file,
                               today=self._clock().astimezone(sla.OFFICE_ZONE).date(),
                               caller_number=self._caller_number, parent=page)
        self.form.typeChanged.connect(lambda _code: self._hide_duplicates())
        applicant_row = self._applicant_row(page) if self._customer is None else None
        self.duplicate_box = self._duplicate_box(page)
        attachments = self._attachments_row(page)
        draft_row = self._draft_row(page)  # after the duplicate box: restoring a type hides it
        self.accept_button = QPushButton(self.tr("受理(&A)"), page)
        self.accept_button.setObjectName("acceptTicket")
        self.accept_button.setAccessibleName(self.tr("受理此业务"))
        self.accept_button.setDefault(True)  # Enter in any field accepts
        self.accept_button.clicked.connect(lambda: self.submit())
        cancel = QPushButton(self.tr("取消"), page)
        cancel.setObjectName("cancelIntake")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(page)
        if applicant_row is not None:
            layout.addLayout(applicant_row)
        layout.addLayout(draft_row)
        layout.addWidget(self.form, 1)
        layout.addLayout(attachments)
        layout.addWidget(self.duplicate_box)
        layout.addLayout(buttons)
        return page

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """Opens at the size the clerk last left it (never smaller than its fields need)."""
        geometry = self._context.settings.get("window/intake_geometry")
        if geometry and not self._restored:
            self.restoreGeometry(geometry)
        self._restored = True
        super().showEvent(event)

    @property
    def receipts(self) -> ReceiptActions:
        return self.done_page.receipts

    def receipt(self, ticket: Ticket, heading: str = "") -> Receipt:
        """The receipt of `ticket` in the desk's language (the number as it stands now), under `heading`."""
        return self.done_page.receipt(ticket, heading)

    def done(self, result: int) -> None:
        self.receipts.stop()
        self._context.settings.set("window/intake_geometry", bytes(self.saveGeometry().data()))
        super().done(result)

    def reject(self) -> None:
        """Esc or 取消: a filled form asks first, so a slip of the finger loses no one's work."""
        if self.pages.currentIndex() == 0 and not self._busy:
            if not self.form.may_discard():
                return
            self._keep_draft()
        super().reject()

    # ---- a draft kept for the visit ---------------------------------------------------------------------

    def _draft_row(self, page: QWidget) -> QHBoxLayout:
        """Opened again for the same customer in this visit: what was typed comes back, and can be cleared."""
        self.draft_label = QLabel(self.tr("已恢复本次接待中未受理的草稿。"), page)
        self.draft_label.setObjectName("intakeDraftRestored")
        self.clear_draft_button = QPushButton(self.tr("清空草稿(&E)"), page)
        self.clear_draft_button.setObjectName("clearIntakeDraft")
        self.clear_draft_button.setAccessibleName(self.tr("清空草稿，重新填写"))
        self.clear_draft_button.setAutoDefault(False)
        self.clear_draft_button.clicked.connect(self.clear_draft)
        row = QHBoxLayout()
        row.addWidget(self.draft_label, 1)
        row.addWidget(self.clear_draft_button)
        draft = self._drafts.get(self._draft_key) if self._draft_key else None
        restored = isinstance(draft, IntakeDraft) and self.form.restore(draft)
        self.draft_label.setVisible(restored)
        self.clear_draft_button.setVisible(restored)
        return row

    @property
    def _drafts(self) -> dict[str, Any]:
        return self._context.drafts

    def _keep_draft(self) -> None:
        if self._draft_key is None:
            return
        draft = self.form.draft()
        if draft is None:
            self._drafts.pop(self._draft_key, None)
        else:
            self._drafts[self._draft_key] = draft

    def clear_draft(self) -> None:
        """Throw the restored draft away: a fresh form of the same type."""
        if self._draft_key is not None:
            self._drafts.pop(self._draft_key, None)
        self.form.reset()
        self.draft_label.hide()
        self.clear_draft_button.hide()

    # ---- a walk-in applicant who is not a customer yet (新装) -------------------------------------------

    def _applicant_row(self, page: QWidget) -> QHBoxLayout:
        """No customer chosen: a 新装 request registers its applicant (typed, or read from the ID card)."""
        first = next((t for t in self._catalogue.types_for_channel(self._context.channel) if registers_applicant(t)),
                     None)
        if first is not None and self._context.channel == "hall":
            self.form.select_type(first.code)  # the usual reason a stranger is at the counter
        self.applicant_hint = QLabel(self.tr("未选择客户：新装申请人将随工单登记为新客户（读取身份证或手工填写）；"
                                             "其他业务按匿名受理。"), page)
        self.applicant_hint.setObjectName("applicantHint")
        self.applicant_hint.setWordWrap(True)
        self.read_card_button = QPushButton(self.tr("读取身份证(&R)"), page)
        self.read_card_button.setObjectName("readApplicantCard")
        self.read_card_button.setAccessibleName(self.tr("读取申请人的身份证"))
        self.read_card_button.setAutoDefault(False)
        self.read_card_button.clicked.connect(self.read_applicant_card)
        self.read_card_button.setVisible(self._card_reader is not None)
        row = QHBoxLayout()
        row.addWidget(self.applicant_hint, 1)
        row.addWidget(self.read_card_button)
        return row

    def read_applicant_card(self) -> None:
        """Fill the applicant's name and ID number from the card on the reader."""
        if self._card_reader is None:
            return
        try:
            reading = self._card_reader.read()
        except DomainError as error:
            self.form.show_general_error(error.message(current_language()))
            return
        self.form.clear_errors()
        self._card = reading
        for name, value in (("customer_name", reading.name), ("id_number", reading.id_number)):
            if name in self.form.field_names():
                self.form.editor(name).set_value(value)

    def _applicant(self, type_code: str, fields: dict[str, Any]) -> Applicant | None:
        if self._customer is not None:
            return None
        return applicant_from(self._catalogue.ticket_type(type_code), fields)

    # ---- attachments: queued with the ticket, uploaded by the sync engine when online ----------------

    def _attachments_row(self, page: QWidget) -> QHBoxLayout:
        self.attachment_list = QListWidget(page)
        self.attachment_list.setObjectName("intakeAttachments")
        self.attachment_list.setAccessibleName(self.tr("随工单提交的附件"))
        self.attachment_list.setMaximumHeight(80)
        self.attachment_list.hide()
        self.attach_button = QPushButton(self.tr("添加附件…"), page)
        self.attach_button.setObjectName("addAttachments")
        self.attach_button.setAccessibleName(self.tr("添加附件（图片或 PDF）"))
        self.attach_button.setAutoDefault(False)
        self.attach_button.clicked.connect(self.add_attachments)
        self.remove_attachment_button = QPushButton(self.tr("移除附件"), page)
        self.remove_attachment_button.setObjectName("removeAttachment")
        self.remove_attachment_button.setAutoDefault(False)
        self.remove_attachment_button.clicked.connect(self.remove_attachment)
        self.remove_attachment_button.hide()
        row = QHBoxLayout()
        row.addWidget(self.attachment_list, 1)
        row.addWidget(self.attach_button)
        row.addWidget(self.remove_attachment_button)
        return row

    def add_attachments(self) -> None:
        limit = ATTACHMENT_MAX_BYTES // (1024 * 1024)
        for path in ask_attachment_paths(self):
            if path in self.attachment_paths:
                continue
            try:
                size = path.stat().st_size
            except OSError:
                self.form.show_general_error(self.tr("无法读取附件文件：{name}").format(name=path.name))
                continue
            if attachment_media_type(path) not in ATTACHMENT_MEDIA_TYPES:
                self.form.show_general_error(self.tr("只能添加图片（JPEG、PNG）或 PDF 文件：{name}").format(name=path.name))
            elif size == 0:
                self.form.show_general_error(self.tr("附件文件为空：{name}").format(name=path.name))
            elif size > ATTACHMENT_MAX_BYTES:
                self.form.show_general_error(self.tr("附件超过 {limit} MB：{name}").format(limit=limit, name=path.name))
            else:
                self.attachment_paths.append(path)
                self.attachment_list.addItem(f"{path.name}（{file_size_text(size)}）")
        self._show_attachment_list()

    def remove_attachment(self) -> None:
        row = self.attachment_list.currentRow()
        if 0 <= row < len(self.attachment_paths):
            del self.attachment_paths[row]
            self.attachment_list.takeItem(row)
        self._show_attachment_list()

    def _show_attachment_list(self) -> None:
        self.attachment_list.setVisible(bool(self.attachment_paths))
        self.remove_attachment_button.setVisible(bool(self.attachment_paths))

    # ---- accepting ----------------------------------------------------------------------------------

    def submit(self, *, allow_duplicate: bool = False) -> None:
        if self._busy:
            return
        self.form.clear_errors()
        self._hide_duplicates()
        form = self.form
        if not form.check():  # every problem shown at once, before anything is stored
            return
        self._accept(form.ticket_type.code, form.form_values(), form.checked_materials(),
                     allow_duplicate=allow_duplicate)

    def link_as_chase(self) -> None:
        """File a 催办 on the customer's open ticket instead of a second ticket of the same type."""
        if not self.duplicates or self._busy:
            return
        chased = self.duplicates[0]
        fields: dict[str, Any] = {"chased_ticket": chased.number or chased.provisional_number}
        if self.form.summary.strip():
            fields["content"] = self.form.summary.strip()
        self.form.clear_errors()
        self._accept(CHASE_TYPE, fields, [], allow_duplicate=True, linked_ticket_id=chased.id)

    def _accept(self, type_code: str, fields: dict[str, Any], materials: list[str], *, allow_duplicate: bool,
                linked_ticket_id: str | None = None) -> None:
        store = self._context.store
        channel = self._context.channel
        customer_id = self._customer.id if self._customer else None
        account_id = self.form.account_id
        summary = self.form.summary
        office_id = self._context.office_id
        staff_id = self._context.staff.id
        attachments = list(self.attachment_paths)
        calendar = self._calendar
        customer_area = self._customer.area_class if self._customer else None
        applicant = self._applicant(type_code, fields)
        card = self._card

        def work() -> DuplicateFound | Accepted:
            check_ticket_input(store.catalogue, type_code, channel, dict(fields), list(materials))
            for path in attachments:
                check_attachment_file(path)  # a bad file is explained before any ticket exists
            registered, created = None, False
            if applicant is not None:
                registered, created = register_applicant(store, office_id, applicant)
                if created and card is not None and card.id_number == applicant.id_number:
                    store.record_verification(registered.id, channel=channel, method="id_card_reader",
                                              outcome="passed", staff_id=staff_id, evidence_ref=None)
            owner = registered.id if registered is not None else customer_id
            area = registered.area_class if registered is not None else customer_area
            if customer_id is not None and not allow_duplicate:
                same = [t for t in store.customer_tickets(customer_id) if t.type_code == type_code and is_open(t)]
                if same:
                    return DuplicateFound(same)
            ticket = store.accept_ticket(
                type_code=type_code, channel=channel, office_id=office_id, customer_id=owner,
                account_id=account_id, summary=summary, fields=fields, materials=materials, accepted_by=staff_id,
                linked_ticket_id=linked_ticket_id,
            )
            unattached = []
            for path in attachments:
                try:
                    store.queue_attachment(ticket.id, path, created_by=staff_id)
                except (DomainError, OSError):  # changed since it was checked: the ticket stands without it
                    unattached.append(path.name)
            deadline = promised_deadline(ticket, store.catalogue.ticket_type(type_code), area,
                                         calendar or store.working_calendar())
            return Accepted(ticket, deadline, unattached, registered, created)

        self._busy = True
        self.accept_button.setEnabled(False)
        Operation(self, work, changes={"ticket", "attachment", "customer", "verification"}).success(self._on_result).failure(
            self._on_failure).run()

    def _on_result(self, result: DuplicateFound | Accepted) -> None:
        self._busy = False
        self.accept_button.setEnabled(True)
        if isinstance(result, DuplicateFound):
            self._show_duplicates(result.open_tickets)
            return
        ticket = result.ticket
        self.ticket = ticket
        if self._draft_key is not None:  # accepted: nothing left to come back to
            self._drafts.pop(self._draft_key, None)
        if result.registered is not None:  # the applicant is a customer now: their receipt names them
            self._customer = result.registered
            self._revealed = result.new_customer
            if result.new_customer:
                messages.info(self.tr("已登记新客户：{name}").format(name=result.registered.name))
        if result.unattached:
            messages.warning(self.tr("工单已受理，但以下附件未能保存：{names}").format(
                names="、".join(result.unattached)))
        self._materials_on_file.update(ticket.materials)
        self._context.notify_local_change()
        self.deadline = result.deadline
        self.done_page.show_accepted(ticket, result.deadline, self._customer, self._revealed, self._accounts)
        self.pages.setCurrentIndex(1)
        self.accept_button.setDefault(False)
        self.done_page.focus_first_action()
        self.accepted_ticket.emit(ticket)

    def _on_failure(self, error: BaseException) -> None:
        self._busy = False
        self.accept_button.setEnabled(True)
        if isinstance(error, DomainError):
            self.form.show_error(error)
            return
        self.form.show_general_error(self.tr("受理未能完成，请重试。"))
        report_failure(error)

    # ---- same type already open -------------------------------------------------------------------

    def _duplicate_box(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("此客户已有同类在办工单"), parent)
        box.setObjectName("duplicateWarning")
        self.duplicate_label = QLabel(box)
        self.duplicate_label.setTextFormat(Qt.TextFormat.PlainText)
        self.duplicate_label.setWordWrap(True)
        self.chase_button = QPushButton(self.tr("转为催办(&L)"), box)
        self.chase_button.setObjectName("linkAsChase")
        self.chase_button.setAccessibleName(self.tr("转为对已有工单的催办"))
        self.chase_button.clicked.connect(self.link_as_chase)
        self.file_anyway_button = QPushButton(self.tr("仍然受理(&F)"), box)
        self.file_anyway_button.setObjectName("fileAnyway")
        self.file_anyway_button.setAccessibleName(self.tr("仍然受理新工单"))
        self.file_anyway_button.clicked.connect(lambda: self.submit(allow_duplicate=True))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.chase_button)
        row.addWidget(self.file_anyway_button)
        layout = QVBoxLayout(box)
        layout.addWidget(self.duplicate_label)
        layout.addLayout(row)
        box.hide()
        return box

    def _show_duplicates(self, tickets: list[Ticket]) -> None:
        self.duplicates = tickets
        numbers = "、".join(t.number or t.provisional_number or "" for t in tickets)
        self.duplicate_label.setText(self.tr(
            "此客户已有同类工单在办（{numbers}）。可转为催办，或确认是新的诉求后仍然受理。"
        ).format(numbers=numbers))
        self.duplicate_box.show()
        self.chase_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _hide_duplicates(self) -> None:
        self.duplicates = []
        self.duplicate_box.hide()
