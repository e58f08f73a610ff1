"""What the intake's done page does with the receipt: 打印, 打印预览 or 保存PDF, always with the number as it
stands — and while the desk is online, the server's final number: a request accepted online waits (a few
seconds at most) for its push instead of printing the provisional P- number the customer cannot use.
A phone request's number goes by SMS instead: requested here, sent by the server (docs/notifications.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop import messages
from desktop.context import DeskContext
from desktop.frontdesk import receipt_print
from desktop.frontdesk.receipt import Receipt, write_receipt_pdf
from desktop.i18n import current_language
from desktop.operations import Operation, changes, report_failure
from domain.errors import DomainError
from domain.records import Notification, Ticket

NUMBER_WAIT_MS = 10_000
"""How long a receipt waits for the server's number while online, before it prints the provisional one."""


def ask_receipt_path(parent: QWidget, suggested: str) -> Path | None:
    """Ask where to save the receipt PDF (tests replace this)."""
    path, _filter = QFileDialog.getSaveFileName(
        parent, QCoreApplication.translate("IntakeDialog", "保存受理回执"), suggested,
        QCoreApplication.translate("IntakeDialog", "PDF 文件 (*.pdf)"),
    )
    return Path(path) if path else None


class ReceiptActions(QObject):
    saved = Signal(object)  # the Path of the PDF
    printed = Signal()
    previewing = Signal(object)  # the QPrintPreviewDialog
    waiting = Signal(bool)  # True while the receipt waits for the server's number
    numbered = Signal(object)  # the Ticket, once the server's number replaced the provisional one
    sms_state = Signal(object)  # the Notification of the ticket-number SMS, when requested and as its state changes

    def __init__(self, parent: QWidget, context: DeskContext, build: Callable[[Ticket, str], Receipt]) -> None:
        super().__init__(parent)
        self._window = parent
        self._context = context
        self._build = build  # (ticket as it stands, office heading) -> Receipt
        self._ticket: Ticket | None = None
        self._pending: Callable[[Receipt], None] | None = None
        self._gave_up = False
        self._notification: Notification | None = None
        self.preview_dialog: QPrintPreviewDialog | None = None
        self.last_receipt: Receipt | None = None  # what was last printed, previewed or saved
        self._wait = QTimer(self)
        self._wait.setSingleShot(True)
        self._wait.setInterval(NUMBER_WAIT_MS)
        self._wait.timeout.connect(self._give_up)
        changes().changed.connect(self._on_changes)

    @property
    def ticket(self) -> Ticket | None:
        return self._ticket

    def track(self, ticket: Ticket) -> None:
        """The ticket just accepted: its number is watched from now on."""
        self._ticket = ticket

    def stop(self) -> None:
        self._wait.stop()
        self._pending = None

    # ---- the three actions --------------------------------------------------------------------------

    def print_receipt(self) -> None:
        self._when_ready(self._print)

    def preview(self) -> None:
        self._when_ready(self._preview)

    def save_pdf(self) -> None:
        ticket = self._ticket
        if ticket is None:
            return
        path = ask_receipt_path(self._window, f"{ticket.number or ticket.provisional_number}.pdf")
        if path is not None:
            self._when_ready(lambda receipt: self._write(receipt, path))

    def send_sms(self, phone: str) -> None:
        """A phone request: the ticket number by SMS instead of a paper receipt. The request is queued with the
        desk's next sync; the server writes the text from the ticket (with its final number) and sends it
        once (docs/notifications.md). Its state comes back by sync: `sms_state` tells each change."""
        ticket = self._ticket
        if ticket is None:
            return
        store, staff_id = self._context.store, self._context.staff.id
        Operation(self, lambda: store.request_sms(ticket.id, phone, staff_id=staff_id),
                  changes={"notification", "interaction"}).success(self._on_sms_requested).failure(
            self._on_sms_refused).run()

    @property
    def notification(self) -> Notification | None:
        """The SMS requested from this page, as last read (None before one is)."""
        return self._notification

    def _on_sms_requested(self, notification: Notification) -> None:
        self._notification = notification
        self._context.notify_local_change()  # push now if the desk is online
        self.sms_state.emit(notification)

    def _on_sms_refused(self, error: BaseException) -> None:
        if isinstance(error, DomainError):  # a number that cannot take an SMS: nothing was stored
            messages.warning(error.message(current_language()))
            return
        report_failure(error)

    def _read_sms(self) -> None:
        requested = self._notification
        if requested is None:
            return
        store = self._context.store
        Operation(self, lambda: store.notification(requested.id)).success(self._on_sms_read).run()

    def _on_sms_read(self, notification: Notification | None) -> None:
        before = self._notification
        if notification is None or before is None or notification.id != before.id:
            return
        self._notification = notification
        if (notification.state, notification.reason) != (before.state, before.reason):
            self.sms_state.emit(notification)

    # ---- the number as it stands -------------------------------------------------------------------

    def online(self) -> bool:
        return self._online()

    def _online(self) -> bool:
        status = getattr(self._context.engine, "status", None)
        return status is not None and status.online is True

    def _when_ready(self, then: Callable[[Receipt], None]) -> None:
        if self._ticket is None:
            return
        self._pending = then
        self._read()

    def _read(self) -> None:
        ticket = self._ticket
        if ticket is None:
            return
        store = self._context.store
        office_id = self._context.office_id

        def work() -> tuple[Ticket, str]:
            office = store.office(office_id)
            return store.ticket(ticket.id) or ticket, office.name if office is not None else ""

        Operation(self, work).success(self._on_current).run()

    def _on_current(self, current: tuple[Ticket, str]) -> None:
        ticket, heading = current
        before = self._ticket
        self._ticket = ticket
        if ticket.number and before is not None and not before.number:
            self.numbered.emit(ticket)
        if self._pending is None:
            return
        if ticket.number or self._gave_up or not self._online():
            then, self._pending = self._pending, None
            self._gave_up = False
            if self._wait.isActive():
                self._wait.stop()
                self.waiting.emit(False)
            self.last_receipt = self._build(ticket, heading)
            then(self.last_receipt)
        elif not self._wait.isActive():
            self._wait.start()
            self.waiting.emit(True)
            self._context.notify_local_change()  # push now if it has not already

    def _on_changes(self, kinds: frozenset[str]) -> None:
        if "ticket" in kinds and self._ticket is not None and not self._ticket.number:
            self._read()
        if "notification" in kinds:
            self._read_sms()

    def _give_up(self) -> None:
        """No number in time (the link is slow): the provisional number, which the receipt explains."""
        self._gave_up = True
        self._read()

    # ---- doing it -----------------------------------------------------------------------------------

    def _print(self, receipt: Receipt) -> None:
        printer = receipt_print.receipt_printer()
        if not receipt_print.ask_printer(self._window, printer):
            return
        try:
            receipt_print.paint_receipt(printer, receipt)
        except OSError as error:
            messages.warning(self.tr("无法打印受理回执：{reason}").format(reason=error))
            return
        messages.info(self.tr("受理回执已发送到打印机"))
        self.printed.emit()

    def _preview(self, receipt: Receipt) -> None:
        self.preview_dialog = receipt_print.open_preview(self._window, receipt)
        self.previewing.emit(self.preview_dialog)

    def _write(self, receipt: Receipt, path: Path) -> None:
        Operation(self, lambda: write_receipt_pdf(receipt, path)).success(self._on_saved).failure(
            self._on_save_failed).run()

    def _on_save_failed(self, error: BaseException) -> None:
        if isinstance(error, OSError):  # a full disk or a folder without write access: not a bug
            messages.warning(self.tr("无法保存受理回执：{reason}").format(reason=error.strerror or error))
            return
        report_failure(error)

    def _on_saved(self, path: Path) -> None:
        messages.info(self.tr("受理回执已保存：{path}").format(path=path))
        self.saved.emit(path)
