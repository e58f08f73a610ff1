"""The customer card: who (masked until verified), accounts, open tickets counting down, the materials still asked
of the customer (补充材料, so the hall takes them at the counter and marks them 已补齐), every contact."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import operations
from desktop.context import DeskContext
from desktop.display import ElidedLabel, cell_text, plain_label, plain_tooltip
from desktop.frontdesk import labels
from desktop.frontdesk.card_models import AccountsModel, OpenTicketsModel, is_open
from desktop.frontdesk.outage_notice import CallInfo, OutageNotice
from desktop.frontdesk.timeline import TimelineModel
from desktop.i18n import current_language
from desktop.operations import Operation
from desktop.tickets.info_requests import MeetDialog, asked_text, may_answer
from desktop.tickets.task_dialogs import _Form
from domain.calendar import WorkingCalendar
from domain.errors import DomainError
from domain.masking import mask_customer_name, mask_phone, mask_resident_id
from domain.records import Account, Customer, InfoRequest, StageTask, Ticket, Verification
from local_store import TimelineEntry

# Entity kinds the card shows: a change to any other kind never makes it re-read.
CARD_KINDS = frozenset({"customer", "account", "ticket", "stage_task", "interaction", "verification",
                        "outage_event", "grid_device", "info_request"})
COUNTDOWN_MS = 1000


@dataclass(frozen=True)
class CardData:
    customer: Customer
    accounts: list[Account]
    tickets: list[Ticket]
    timeline: list[TimelineEntry]
    calendar: WorkingCalendar  # the office calendar as last synced: unsynced tickets' deadlines count on it
    tasks: dict[str, list[StageTask]]  # open tickets' stage tasks: a done clock-stop stage stops the countdown
    requests: list[InfoRequest] = field(default_factory=list)  # 补充材料 still asked of the customer


def _table(parent: QWidget, name: str, accessible: str) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class CustomerCard(QWidget):
    verifyRequested = Signal()
    newTicketRequested = Signal()
    ticketRequested = Signal(str)  # a ticket's id: open its detail (double-click or Enter on a ticket row)
    loaded = Signal(str)  # customer id, after each (re)read
    revealedChanged = Signal(bool)

    def __init__(self, context: DeskContext, clock: Callable[[], datetime], parent: QWidget | None = None,
                 calendar: WorkingCalendar | None = None, call: CallInfo | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerCard")
        self.setAccessibleName(self.tr("客户信息卡"))
        self._context = context
        self._clock = clock
        self._data: CardData | None = None
        self._customer_id: str | None = None
        self._generation = 0
        self._verification: Verification | None = None
        self._revealed = False
        self._calendar = calendar  # None: the store's synced calendar, read with each load

        catalogue = context.store.catalogue
        self.accounts_model = AccountsModel(self)
        self.tickets_model = OpenTicketsModel(catalogue, calendar or WorkingCalendar.default(), clock(), self)
        self.timeline_model = TimelineModel(catalogue, self)

        self._build_header()
        # "您所在区域有停电": the live outage holding the customer's premises, and linking the call to it.
        self.outage_notice = OutageNotice(context, self, call=call)
        accounts_box = QGroupBox(self.tr("用电户号"), self)
        self.accounts_view = _table(accounts_box, "customerAccounts", self.tr("用电户号"))
        self.accounts_view.setModel(self.accounts_model)
        QVBoxLayout(accounts_box).addWidget(self.accounts_view)

        tickets_box = QGroupBox(self.tr("在办工单"), self)
        self.tickets_view = _table(tickets_box, "openTickets", self.tr("在办工单"))
        self.tickets_view.setModel(self.tickets_model)
        self.tickets_view.activated.connect(self._open_ticket_row)
        self.tickets_view.setToolTip(self.tr("双击或按回车打开工单详情"))
        QVBoxLayout(tickets_box).addWidget(self.tickets_view)

        self._build_requests()

        timeline_box = QGroupBox(self.tr("服务记录"), self)
        self.channel_filter = QComboBox(timeline_box)
        self.channel_filter.setObjectName("timelineChannel")
        self.channel_filter.setAccessibleName(self.tr("按渠道筛选服务记录"))
        self.channel_filter.addItem(self.tr("全部渠道"), None)
        for channel in ("hall", "hotline", "app", "wechat", "proactive"):
            self.channel_filter.addItem(labels.channel_icon(channel), labels.channel_name(channel), channel)
        self.channel_filter.currentIndexChanged.connect(self._on_channel_filter)
        self.timeline_view = _table(timeline_box, "customerTimeline", self.tr("服务记录"))
        self.timeline_view.setModel(self.timeline_model)
        self.timeline_view.activated.connect(self._open_timeline_row)
        filter_row = QHBoxLayout()
        filter_label = QLabel(self.tr("渠道(&C)："), timeline_box)
        filter_label.setBuddy(self.channel_filter)
        filter_row.addWidget(filter_label)
        filter_row.addWidget(self.channel_filter)
        filter_row.addStretch(1)
        timeline_layout = QVBoxLayout(timeline_box)
        timeline_layout.addLayout(filter_row)
        timeline_layout.addWidget(self.timeline_view)

        layout = QVBoxLayout(self)
        layout.addWidget(self.header_box)
        layout.addWidget(self.outage_notice)
        layout.addWidget(accounts_box, 1)
        layout.addWidget(tickets_box, 1)
        layout.addWidget(self.requests_box)
        layout.addWidget(timeline_box, 2)

        self.countdown = QTimer(self)
        self.countdown.setInterval(COUNTDOWN_MS)
        self.countdown.timeout.connect(self.tick)
        self.countdown.start()
        operations.changes().changed.connect(self._on_changes)
        self._show_header()

    def _build_header(self) -> None:
        self.header_box = QGroupBox(self.tr("客户"), self)
        # What a customer or channel typed: plain text, elided to the room the card has.
        self.name_label = ElidedLabel(self.header_box)
        self.name_label.setObjectName("customerName")
        self.id_label = ElidedLabel(self.header_box)
        self.id_label.setObjectName("customerIdNumber")
        self.phone_label = ElidedLabel(self.header_box)
        self.phone_label.setObjectName("customerPhone")
        self.verified_label = plain_label("", self.header_box)
        self.verified_label.setObjectName("verificationStatus")
        for label in (self.name_label, self.id_label, self.phone_label, self.verified_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                          | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verify_button = QPushButton(self.tr("核验身份(&V)"), self.header_box)
        self.verify_button.setObjectName("verifyIdentity")
        self.verify_button.setAccessibleName(self.tr("核验客户身份"))
        self.verify_button.clicked.connect(self.verifyRequested)
        self.reveal_button = QPushButton(self.header_box)
        self.reveal_button.setObjectName("revealCustomerData")
        self.reveal_button.clicked.connect(self._on_reveal_clicked)
        self.new_ticket_button = QPushButton(self.tr("受理新业务(&N)"), self.header_box)
        self.new_ticket_button.setObjectName("newTicket")
        self.new_ticket_button.setAccessibleName(self.tr("为此客户受理新业务"))
        self.new_ticket_button.clicked.connect(self.newTicketRequested)

        form = QFormLayout()
        form.addRow(self.tr("姓名："), self.name_label)
        form.addRow(self.tr("证件号码："), self.id_label)
        form.addRow(self.tr("电话："), self.phone_label)
        form.addRow(self.tr("身份核验："), self.verified_label)
        buttons = QVBoxLayout()
        buttons.addWidget(self.verify_button)
        buttons.addWidget(self.reveal_button)
        buttons.addWidget(self.new_ticket_button)
        buttons.addStretch(1)
        row = QHBoxLayout(self.header_box)
        row.addLayout(form, 1)
        row.addLayout(buttons)

    def _build_requests(self) -> None:
        """待补充材料: what the departments still ask of this customer; shown only when something is."""
        self.requests_box = QGroupBox(self.tr("待客户补充的材料"), self)
        self.requests_box.setObjectName("customerOpenRequests")
        self.requests_table = QTableWidget(0, 4, self.requests_box)
        self.requests_table.setObjectName("customerRequestList")
        self.requests_table.setAccessibleName(self.tr("待客户补充的材料"))
        self.requests_table.setHorizontalHeaderLabels([self.tr("工单"), self.tr("需补充"), self.tr("原因"),
                                                       self.tr("索要时间")])
        self.requests_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.requests_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.requests_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.requests_table.setWordWrap(False)
        self.requests_table.verticalHeader().hide()
        header = self.requests_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        rows = self.requests_table.fontMetrics().height() + 10
        self.requests_table.setMaximumHeight(rows * 5)  # a few lines: the service record keeps the room
        self.requests_table.itemSelectionChanged.connect(self._request_selection_changed)
        self.requests_table.itemActivated.connect(self._open_request_ticket)
        self.receive_button = QPushButton(self.tr("已收到材料…"), self.requests_box)
        self.receive_button.setObjectName("receiveRequestedMaterials")
        self.receive_button.setAccessibleName(self.tr("客户已交来所需材料，确认已补齐"))
        self.receive_button.setEnabled(False)
        self.receive_button.clicked.connect(lambda _checked=False: self.receive_selected())
        self.active_dialog: _Form | None = None
        self._asked: dict[str, str] = {}  # request id → what it asks, in words
        buttons = QHBoxLayout()
        buttons.addWidget(plain_label(self.tr("客户来到柜台时请收取以上材料"), self.requests_box), 1)
        buttons.addWidget(self.receive_button)
        box_layout = QVBoxLayout(self.requests_box)
        box_layout.addWidget(self.requests_table)
        box_layout.addLayout(buttons)
        self.requests_box.hide()

    @property
    def open_requests(self) -> list[InfoRequest]:
        return list(self._data.requests) if self._data is not None else []

    def _show_requests(self, data: CardData | None) -> None:
        requests = data.requests if data is not None else []
        selected = self.selected_request()
        catalogue = self._context.store.catalogue
        lang = current_language()
        names: dict[str, str] = {}
        for request in requests:
            for code in request.materials:
                try:
                    material = catalogue.material(code)
                    names[code] = material.name_en if lang.startswith("en") else material.name_zh
                except DomainError:  # a code the catalogue no longer has is shown as it is
                    names[code] = code
        numbers = {t.id: t.number or t.provisional_number or "" for t in (data.tickets if data is not None else [])}
        self.requests_table.setRowCount(len(requests))
        self._asked = {request.id: asked_text(request, names, lang) for request in requests}
        for row, request in enumerate(requests):
            asked = self._asked[request.id]
            cells = [(numbers.get(request.ticket_id, ""), None), (cell_text(asked), asked),
                     (cell_text(request.reason), request.reason), (labels.local_time(request.requested_at), None)]
            for column, (text, tip) in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, request.id)
                if tip:
                    item.setToolTip(plain_tooltip(tip))
                self.requests_table.setItem(row, column, item)
        self.requests_box.setTitle(self.tr("待客户补充的材料（%n 项）", "", len(requests)))
        self.requests_box.setVisible(bool(requests))
        if selected is not None:
            self.select_request(selected.id)
        self._request_selection_changed()

    def selected_request(self) -> InfoRequest | None:
        rows = self.requests_table.selectionModel().selectedRows() if self.requests_table.selectionModel() else []
        if not rows:
            return None
        item = self.requests_table.item(rows[0].row(), 0)
        request_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return next((r for r in self.open_requests if r.id == request_id), None)

    def select_request(self, request_id: str) -> None:
        for row in range(self.requests_table.rowCount()):
            item = self.requests_table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == request_id:
                self.requests_table.selectRow(row)
                return

    def _request_selection_changed(self) -> None:
        self.receive_button.setEnabled(may_answer(self._context, self.selected_request()))

    def _open_request_ticket(self, item: QTableWidgetItem) -> None:
        request = next((r for r in self.open_requests if r.id == item.data(Qt.ItemDataRole.UserRole)), None)
        if request is not None:
            self.ticketRequested.emit(request.ticket_id)

    def receive_selected(self) -> None:
        """已补齐 at the counter: the customer brought what was asked (the clerk may mark a customer's request)."""
        request = self.selected_request()
        if not may_answer(self._context, request):
            return
        assert request is not None
        dialog = MeetDialog(self._context, request, self._asked.get(request.id, ""), self)
        self.active_dialog = dialog
        dialog.finished.connect(partial(self._forget_dialog, dialog))
        dialog.open()

    def _forget_dialog(self, dialog: _Form, _code: int = 0) -> None:
        if self.active_dialog is dialog:
            self.active_dialog = None
        dialog.deleteLater()

    def _open_ticket_row(self, index: QModelIndex) -> None:
        ticket_id = self.tickets_model.data(index, OpenTicketsModel.TicketIdRole)
        if ticket_id:
            self.ticketRequested.emit(str(ticket_id))

    def _open_timeline_row(self, index: QModelIndex) -> None:
        """A ticket in the service record, or a contact about one, opens that ticket."""
        entry = self.timeline_model.data(index, TimelineModel.EntryRole)
        record = getattr(entry, "record", None)
        ticket_id = record.id if isinstance(record, Ticket) else getattr(record, "ticket_id", None)
        if ticket_id:
            self.ticketRequested.emit(str(ticket_id))

    # ---- what the card shows ------------------------------------------------------------------------

    @property
    def customer(self) -> Customer | None:
        return self._data.customer if self._data is not None else None

    @property
    def accounts(self) -> list[Account]:
        return list(self._data.accounts) if self._data is not None else []

    @property
    def customer_id(self) -> str | None:
        return self._customer_id

    @property
    def verification(self) -> Verification | None:
        return self._verification

    @property
    def revealed(self) -> bool:
        return self._revealed

    def show_customer(self, customer_id: str) -> None:
        if customer_id != self._customer_id:
            self._verification = None  # a verification belongs to the customer it was made for
            self._revealed = False
            self._data = None
            self._customer_id = customer_id
            self._show_header()
        self.reload()

    def reload(self) -> None:
        customer_id = self._customer_id
        if customer_id is None:
            return
        self._generation += 1
        generation = self._generation
        store = self._context.store
        calendar = self._calendar

        def read() -> CardData | None:
            customer = store.customer(customer_id)
            if customer is None:
                return None
            tickets = store.customer_tickets(customer_id)
            tasks = {t.id: store.stage_tasks(t.id) for t in tickets if is_open(t)}
            return CardData(customer, store.customer_accounts(customer_id), tickets,
                            store.customer_timeline(customer_id), calendar or store.working_calendar(), tasks,
                            store.customer_open_requests(customer_id))

        Operation(self, read).success(lambda data: self._on_loaded(generation, customer_id, data)).run()

    def _on_loaded(self, generation: int, customer_id: str, data: CardData | None) -> None:
        if generation != self._generation or customer_id != self._customer_id:
            return  # another customer (or a newer read) is on screen now
        self._data = data
        if data is not None:
            self.accounts_model.set_accounts(data.accounts)
            self.tickets_model.set_tickets(data.tickets, data.customer.area_class, calendar=data.calendar,
                                           tasks=data.tasks)
            self.tickets_model.set_now(self._clock())
            self.timeline_model.set_entries(data.timeline)
        self._show_requests(data)
        self.outage_notice.show_for(customer_id if data is not None else None)
        self._show_header()
        self.loaded.emit(customer_id)

    @Slot(object)
    def _on_changes(self, kinds: frozenset[str]) -> None:
        if self._customer_id is not None and kinds & CARD_KINDS:
            self.reload()

    @Slot()
    def tick(self) -> None:
        self.tickets_model.set_now(self._clock())

    def _on_channel_filter(self, _index: int) -> None:
        self.timeline_model.set_channel_filter(self.channel_filter.currentData())

    def _show_header(self) -> None:
        customer = self.customer
        revealed = self._revealed and customer is not None
        if customer is None:
            for label in (self.name_label, self.id_label, self.phone_label):
                label.setText("")
        elif revealed:
            self.name_label.setText(customer.name)
            self.id_label.setText(customer.id_number or "")
            self.phone_label.setText(customer.phone or "")
        else:
            self.name_label.setText(mask_customer_name(customer.name, customer.id_type))
            self.id_label.setText(mask_resident_id(customer.id_number))
            self.phone_label.setText(mask_phone(customer.phone))
        if self._verification is None:
            self.verified_label.setText(self.tr("未核验：个人信息已遮蔽"))
        else:
            self.verified_label.setText(self.tr("已核验（{method}）").format(
                method=labels.verification_method_name(self._verification.method)))
        self.reveal_button.setText(self.tr("遮蔽个人信息(&H)") if revealed else self.tr("显示完整信息(&S)"))
        self.reveal_button.setAccessibleName(self.reveal_button.text().replace("&", ""))
        self.reveal_button.setEnabled(self._verification is not None)
        enabled = customer is not None
        self.verify_button.setEnabled(enabled)
        self.new_ticket_button.setEnabled(True)

    # ---- verification and reveal -------------------------------------------------------------------

    def mark_verified(self, verification: Verification) -> None:
        """A passed check for the customer on screen: remember it and reveal the data (audited)."""
        if verification.customer_id != self._customer_id or verification.outcome != "passed":
            return
        self._verification = verification
        self._show_header()
        self.reveal()

    def reveal(self) -> None:
        """Show the full personal data; each reveal writes an audit entry first."""
        verification = self._verification
        customer_id = self._customer_id
        if verification is None or customer_id is None:
            return
        store = self._context.store
        staff_id = self._context.staff.id
        detail = {"fields": ["name", "id_number", "phone"], "verification_id": verification.id,
                  "method": verification.method}
        Operation(self, lambda: store.append_audit("customer.reveal", f"customer:{customer_id}", detail, staff_id)
                  ).success(lambda _entry: self._set_revealed(customer_id)).run()

    def hide_personal_data(self) -> None:
        self._revealed = False
        self._show_header()
        self.revealedChanged.emit(False)

    def _set_revealed(self, customer_id: str) -> None:
        if customer_id != self._customer_id:
            return
        self._revealed = True
        self._show_header()
        self.revealedChanged.emit(True)

    def _on_reveal_clicked(self) -> None:
        if self._revealed:
            self.hide_personal_data()
        else:
            self.reveal()
