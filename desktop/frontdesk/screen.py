"""The front desk: find the customer, verify who they are, see everything they have going on, accept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from desktop import messages
from desktop.context import DeskContext
from desktop.frontdesk.call_bar import CallBar
from desktop.frontdesk.card import CustomerCard
from desktop.frontdesk.identity_checks import CardReader, CardReading, SimulatedCardReader, detect_card_reader
from desktop.frontdesk.intake_dialog import IntakeDialog
from desktop.frontdesk.outage_strip import OutageStrip
from desktop.frontdesk.screen_pop import pop_caller
from desktop.frontdesk.search_panel import CustomerSearchPanel
from desktop.frontdesk.ticket_window import TicketWindow
from desktop.frontdesk.verify_dialog import VerifyIdentityDialog
from domain.calendar import WorkingCalendar
from domain.identity import resident_id_check_char
from domain.masking import mask_phone
from domain.records import Customer, Ticket, Verification

# The demo's walk-in applicant (新装): the simulated reader's card when no customer is on screen.
DEMO_WALK_IN_NAME = "柳青禾"
DEMO_WALK_IN_ID = "11010119880520001" + resident_id_check_char("11010119880520001")


def _utc_now() -> datetime:
    return datetime.now(UTC)


class FrontDesk(QWidget):
    """Search on the left, the customer's card on the right; F2 search, F3 verify, F4 accept."""

    def __init__(self, context: DeskContext, *, card_reader: CardReader | None = None,
                 clock: Callable[[], datetime] = _utc_now, calendar: WorkingCalendar | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("frontDesk")
        self.setAccessibleName(self.tr("前台受理"))
        self._context = context
        self._clock = clock
        self._calendar = calendar  # None: each screen part reads the store's synced calendar
        # The attached reader; in demo mode a simulated one "reads" the card of the customer on screen.
        self.card_reader: CardReader | None = card_reader or (
            SimulatedCardReader(source=self._card_of_customer_on_screen) if context.demo else detect_card_reader())
        self._materials_on_file: dict[str, set[str]] = {}
        self.verify_dialog: VerifyIdentityDialog | None = None
        self.intake_dialog: IntakeDialog | None = None
        self.ticket_window: TicketWindow | None = None
        self.caller_number: str | None = None  # the hotline call in progress (its number prefills the forms)

        self.search = CustomerSearchPanel(context.store, self)
        self.card = CustomerCard(context, clock, self, calendar=self._calendar, call=self._call_in_progress)
        placeholder = QLabel(self.tr("请在左侧查找客户（F2），按回车打开客户信息卡。\n"
                                     "新客户（新装）：按 F4 受理，申请人随工单登记。"), self)
        placeholder.setObjectName("cardPlaceholder")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setWordWrap(True)
        self.card_stack = QStackedWidget(self)
        self.card_stack.addWidget(placeholder)
        self.card_stack.addWidget(self.card)

        splitter = QSplitter(self)
        splitter.addWidget(self.search)
        splitter.addWidget(self.card_stack)
        splitter.setStretchFactor(0, 1)  # both panes grow with the window, the card more
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([480, 900])  # the results need room for masked IDs and addresses
        # A hotline call on this desk: caller, call time, wrap-up, above everything else.
        self.call_customer_id: str | None = None  # whom the call in progress turned out to be (for its wrap-up)
        self.call_bar = CallBar(context, clock, lambda: self.call_customer_id, self)
        self.call_bar.ended.connect(self._call_ended)
        # Storm mode: the live outages first, with the shortest way to link the call (hidden otherwise).
        self.outage_strip = OutageStrip(context, clock, self._call_in_progress, lambda: self.call_customer_id, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.call_bar)
        layout.addWidget(self.outage_strip)
        layout.addWidget(splitter, 1)

        self.search.customerChosen.connect(self.open_customer)
        self.card.verifyRequested.connect(self.open_verification)
        self.card.newTicketRequested.connect(self.open_intake)
        self.card.ticketRequested.connect(self.open_ticket)
        for action_id, command in (
            ("frontdesk.search", self.search.focus_search),
            ("frontdesk.verify", self.open_verification),
            ("frontdesk.new_ticket", self.open_intake),
        ):
            context.actions.bind(action_id, self._while_alive(command))

    def shutdown(self) -> None:
        """Sign-out drops the screen: its timers stop (a pending search, the card's deadline countdown)."""
        self.search.model.stop()
        self.card.countdown.stop()
        self.call_bar.stop()
        self.outage_strip.stop()
        if self.ticket_window is not None and shiboken6.isValid(self.ticket_window):
            self.ticket_window.close()

    def _while_alive(self, command: Callable[[], object]) -> Callable[[], object]:
        # The action outlives this screen when the window rebuilds its areas.
        def run() -> object:
            return command() if shiboken6.isValid(self) else None

        return run

    def _call_in_progress(self) -> tuple[str | None, str | None]:
        """The hotline call a linked outage call is recorded under (none at the hall)."""
        if not self.call_bar.active:
            return None, None
        return self.call_bar.call_id or None, self.call_bar.caller_number or None

    def customer_on_screen(self) -> Customer | None:
        """The customer whose card is shown (a call from someone else puts the card away)."""
        return self.card.customer if self.card_stack.currentWidget() is self.card else None

    def _card_of_customer_on_screen(self) -> CardReading | None:
        customer = self.customer_on_screen()
        if customer is None:  # nobody on screen: the demo's walk-in applicant hands over their card
            return CardReading(id_number=DEMO_WALK_IN_ID, name=DEMO_WALK_IN_NAME)
        if not customer.id_number:
            return None
        return CardReading(id_number=customer.id_number, name=customer.name)

    def open_customer(self, customer_id: str) -> None:
        if self.call_bar.active:
            self.call_customer_id = customer_id
        self.card.show_customer(customer_id)
        self.card_stack.setCurrentWidget(self.card)

    def handle_screen_pop(self, caller_number: str, customer_ids: list[str], *, call_id: str | None = None) -> None:
        """An incoming hotline call for this agent: show the caller's card (or ask who is calling). A call under
        way is held on the call bar with its wrap-up pending (whom it was about goes with it); the same call
        delivered again changes nothing."""
        if call_id and self.call_bar.active and self.call_bar.call_id == call_id:
            return
        messages.info(self.tr("来电 %1").replace("%1", mask_phone(caller_number)))
        self.caller_number = caller_number or None
        self.call_bar.start(call_id or "", caller_number)  # reads call_customer_id for the call it holds
        self.call_customer_id = None
        self.outage_strip.call_changed()
        self.card_stack.setCurrentIndex(0)  # not the previous caller's card: theirs, or the new-caller form
        pop_caller(self._context, caller_number, customer_ids, self.open_customer, self, call_id=call_id,
                   search=self.search_for, anonymous=lambda: self.open_intake(without_customer=True))

    def search_for(self, text: str) -> None:
        """Look the caller up by another key: the search box, filled and focused."""
        self.search.box.setText(text)
        self.search.focus_search()

    def open_verification(self) -> VerifyIdentityDialog | None:
        customer = self.customer_on_screen()
        if customer is None:
            messages.info(self.tr("请先查找并打开一位客户，再核验身份。"))
            return None
        app_records = [
            entry.record
            for entry in self.card.timeline_model.all_entries()
            if isinstance(entry.record, Verification) and entry.record.method == "app_real_name"
        ]
        dialog = VerifyIdentityDialog(self._context, customer, self.card.accounts, self.card_reader, app_records, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.verified.connect(self.card.mark_verified)
        dialog.verified.connect(lambda _verification: self.call_bar.reveal())
        self.verify_dialog = dialog
        dialog.open()
        return dialog

    def open_ticket(self, ticket_id: str) -> TicketWindow:
        """A ticket of the customer on the card, in its own window (one at a time: the next replaces it)."""
        window = self.ticket_window
        if window is None or not shiboken6.isValid(window) or not window.isVisible():
            window = TicketWindow(self._context, self._clock, ticket_id, self)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.ticket_window = window
            window.show()
        else:
            window.show_ticket(ticket_id)
        window.raise_()
        window.activateWindow()
        return window

    def _call_served(self, _ticket: Ticket) -> None:
        """The call's request is filed: the next form no longer takes that caller's number."""
        self.caller_number = None

    def _call_ended(self, _wrap_up: str) -> None:
        self.caller_number = None
        self.call_customer_id = None
        self.outage_strip.call_changed()

    def _open_owner(self, ticket: Ticket) -> None:
        if ticket.customer_id is not None and self.customer_on_screen() is None:
            self.open_customer(ticket.customer_id)

    def open_intake(self, *, without_customer: bool = False) -> IntakeDialog:
        customer = None if without_customer else self.customer_on_screen()
        on_file = self._materials_on_file.setdefault(customer.id, set()) if customer is not None else set()
        dialog = IntakeDialog(self._context, customer, self.card.accounts if customer else [], clock=self._clock,
                              revealed=self.card.revealed, materials_on_file=on_file, calendar=self._calendar,
                              card_reader=self.card_reader, caller_number=self.caller_number, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if customer is None:  # a walk-in applicant registered with the request: their card opens behind
            dialog.accepted_ticket.connect(self._open_owner)
        dialog.accepted_ticket.connect(self._call_served)
        self.intake_dialog = dialog
        dialog.open()
        return dialog
