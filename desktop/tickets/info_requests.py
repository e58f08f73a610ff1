"""补充材料/信息 on a ticket: the department working a stage records that it asked the customer for materials
(the ticket type's one set, or words) or another department for information, with the reason; the requests
are listed on the ticket with their state, and marked 已补齐 when what was asked arrives. Each form asks the
server's own rule (domain.info_requests, domain.roles) before anything is written; writes run in the store
executor and are queued for the server like every other change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.context import DeskContext
from desktop.display import cell_text, plain_label, plain_tooltip, text_counter
from desktop.i18n import current_language
from desktop.tickets import labels
from desktop.tickets.task_dialogs import _Form
from domain import info_requests
from domain.bounds import text_limit
from domain.catalogue import Catalogue
from domain.errors import DomainError
from domain.records import InfoRequest, StageTask, Ticket
from domain.roles import Department, may_answer_info_request, may_request_info, may_withdraw_info_request
from domain.ticket_rules import is_unfinished_stage


def materials_of(catalogue: Catalogue, ticket: Ticket, lang: str) -> list[tuple[str, str]]:
    """(code, name) of the materials a request to this ticket's customer may name (its type's one set)."""
    try:
        ticket_type = catalogue.ticket_type(ticket.type_code)
    except DomainError:
        return []
    out = []
    for code in info_requests.askable_materials(ticket_type):
        try:
            material = catalogue.material(code)
            out.append((code, material.name_en if lang.startswith("en") else material.name_zh))
        except DomainError:
            out.append((code, code))
    return out


def may_ask_on(context: DeskContext, task: StageTask | None) -> bool:
    """The signed-in person may record a request on this stage now (the server's rule, asked first)."""
    return task is not None and is_unfinished_stage(task.state) and may_request_info(
        context.staff.role, context.staff.department, task.department)


def may_answer(context: DeskContext, request: InfoRequest | None) -> bool:
    return request is not None and request.state == info_requests.OPEN and may_answer_info_request(
        context.staff.role, context.staff.department, request.department, request.addressee, request.to_department)


def may_withdraw(context: DeskContext, request: InfoRequest | None) -> bool:
    """The signed-in person may withdraw this request as asked by mistake: still awaited, and theirs (the asking
    department) or a supervisor's to withdraw (the server's rule)."""
    return request is not None and request.state == info_requests.OPEN and may_withdraw_info_request(
        context.staff.role, context.staff.department, request.department)


@dataclass(frozen=True)
class RequestDraft:
    addressee: str
    materials: tuple[str, ...]
    to_department: str | None
    detail: str
    reason: str


class InfoRequestDialog(_Form):
    """补充材料/信息: whom the stage asks (the customer or a department), what, and why. `saved` carries the
    request once it is in the desk store."""

    saved = Signal(object)

    def __init__(self, context: DeskContext, ticket: Ticket, task: StageTask, stage_name: str,
                 materials: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(self.tr("补充材料/信息"), parent)
        self.setObjectName("infoRequestDialog")
        self._context = context
        self._ticket = ticket
        self._task = task
        self._known = tuple(code for code, _ in materials)
        lang = current_language()
        self.stage = plain_label(stage_name, self)
        self.addressee = QComboBox(self)
        self.addressee.setObjectName("infoRequestAddressee")
        self.addressee.setAccessibleName(self.tr("向谁索要"))
        self.addressee.addItem(self.tr("客户（补充材料）"), info_requests.CUSTOMER)
        self.addressee.addItem(self.tr("其他部门（补充信息）"), info_requests.DEPARTMENT)
        self.materials = QListWidget(self)
        self.materials.setObjectName("infoRequestMaterials")
        self.materials.setAccessibleName(self.tr("需补充的材料"))
        for code, name in materials:
            item = QListWidgetItem(name, self.materials)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.materials.setMaximumHeight(self.materials.fontMetrics().height() * 6)
        self.department = QComboBox(self)
        self.department.setObjectName("infoRequestDepartment")
        self.department.setAccessibleName(self.tr("被索要信息的部门"))
        self.department.addItem(self.tr("（请选择）"), None)
        for department in Department:
            if str(department) != task.department:
                self.department.addItem(labels.department_name(str(department), lang), str(department))
        self.detail = QPlainTextEdit(self)
        self.detail.setObjectName("infoRequestDetail")
        self.detail.setAccessibleName(self.tr("需补充的内容"))
        self.detail.setTabChangesFocus(True)
        self.detail.setMaximumHeight(self.detail.fontMetrics().height() * 5)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("infoRequestReason")
        self.reason.setAccessibleName(self.tr("索要原因"))
        self.form.addRow(self.tr("环节"), self.stage)
        self.form.addRow(self.tr("向谁索要(&A)"), self.addressee)
        self.form.addRow(self.tr("材料(&M)"), self.materials)
        self.form.addRow(self.tr("部门(&D)"), self.department)
        self.form.addRow(self.tr("内容(&C)"), self.detail)
        self.form.addRow("", text_counter(self.detail, text_limit("info_request.detail"), self))
        self.form.addRow(self.tr("原因(&R)"), self.reason)
        self.form.addRow("", text_counter(self.reason, text_limit("info_request.reason"), self))
        self.addressee.currentIndexChanged.connect(self._addressee_changed)
        self._addressee_changed()
        self.resize(520, self.sizeHint().height())

    def first_field(self) -> QWidget | None:
        return self.addressee

    def _addressee_changed(self, _index: int = 0) -> None:
        to_customer = self.addressee.currentData() == info_requests.CUSTOMER
        self.materials.setEnabled(to_customer)
        self.department.setEnabled(not to_customer)

    def checked_materials(self) -> tuple[str, ...]:
        items = (self.materials.item(row) for row in range(self.materials.count()))
        return tuple(str(item.data(Qt.ItemDataRole.UserRole)) for item in items
                     if item.checkState() == Qt.CheckState.Checked)

    def collect(self) -> RequestDraft:
        """The form as a request, checked with the server's rule (raises DomainError saying what is wrong)."""
        addressee = str(self.addressee.currentData())
        to_customer = addressee == info_requests.CUSTOMER
        department = None if to_customer else self.department.currentData()
        checked = info_requests.check_request(
            addressee=addressee, stage_department=self._task.department, stage_state=self._task.state,
            to_department=str(department) if department else None,
            materials=self.checked_materials() if to_customer else (), detail=self.detail.toPlainText(),
            reason=self.reason.text(), known_materials=self._known)
        return RequestDraft(checked.addressee, checked.materials, checked.to_department, checked.detail,
                            checked.reason)

    def _try_accept(self) -> None:
        try:
            draft = self.collect()
        except DomainError as error:
            self.error.setText(error.message(current_language()))
            return
        store, staff, task_id = self._context.store, self._context.staff, self._task.id

        def write() -> InfoRequest:
            return store.request_info(task_id, addressee=draft.addressee, materials=draft.materials,
                                      to_department=draft.to_department, detail=draft.detail, reason=draft.reason,
                                      role=staff.role, department=staff.department, requested_by=staff.id)

        self.save(self._context, write, {"info_request"}, self.saved.emit)


class MeetDialog(_Form):
    """已补齐: what was asked has arrived; an optional note of what came."""

    saved = Signal(object)

    def __init__(self, context: DeskContext, request: InfoRequest, asked: str, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("确认已补齐"), parent)
        self.setObjectName("infoRequestMeetDialog")
        self._context = context
        self._request = request
        self.asked = plain_label(asked, self)
        self.asked.setWordWrap(True)
        self.note = QLineEdit(self)
        self.note.setObjectName("infoRequestMetNote")
        self.note.setAccessibleName(self.tr("收到的材料或信息"))
        self.form.addRow(self.tr("所索要的"), self.asked)
        self.form.addRow(self.tr("收到(&N)"), self.note)
        self.form.addRow("", text_counter(self.note, text_limit("info_request.met_note"), self))
        self.resize(480, self.sizeHint().height())

    def first_field(self) -> QWidget | None:
        return self.note

    def collect(self) -> str:
        return info_requests.check_answer(self.note.text())

    def _try_accept(self) -> None:
        try:
            note = self.collect()
        except DomainError as error:
            self.error.setText(error.message(current_language()))
            return
        store, staff, request_id = self._context.store, self._context.staff, self._request.id

        def write() -> InfoRequest:
            return store.meet_info_request(request_id, note, role=staff.role, department=staff.department)

        self.save(self._context, write, {"info_request"}, self.saved.emit)


class WithdrawDialog(_Form):
    """撤回: the request was asked by mistake; the reason is required. The indicators then ignore it."""

    saved = Signal(object)

    def __init__(self, context: DeskContext, request: InfoRequest, asked: str, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("撤回索要"), parent)
        self.setObjectName("infoRequestWithdrawDialog")
        self._context = context
        self._request = request
        self.asked = plain_label(asked, self)
        self.asked.setWordWrap(True)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("infoRequestWithdrawReason")
        self.reason.setAccessibleName(self.tr("撤回原因"))
        self.form.addRow(self.tr("所索要的"), self.asked)
        self.form.addRow(self.tr("撤回原因(&R)"), self.reason)
        self.form.addRow("", text_counter(self.reason, text_limit("info_request.withdrawn_reason"), self))
        self.resize(480, self.sizeHint().height())

    def first_field(self) -> QWidget | None:
        return self.reason

    def collect(self) -> str:
        return info_requests.check_withdrawal(self._request.state, self.reason.text())

    def _try_accept(self) -> None:
        try:
            reason = self.collect()
        except DomainError as error:
            self.error.setText(error.message(current_language()))
            return
        store, staff, request_id = self._context.store, self._context.staff, self._request.id

        def write() -> InfoRequest:
            return store.withdraw_info_request(request_id, reason, role=staff.role, department=staff.department)

        self.save(self._context, write, {"info_request"}, self.saved.emit)


def asked_text(request: InfoRequest, material_names: Mapping[str, str], lang: str) -> str:
    """What a request asks, in words: the materials by name and the detail (user text: shown as plain text)."""
    parts = [material_names.get(code, code) for code in request.materials]
    if request.detail:
        parts.append(request.detail)
    return ("; " if lang.startswith("en") else "；").join(parts)


class InfoRequestsPanel(QWidget):
    """The ticket's requests (补充材料/信息), newest last, and 已补齐 for the selected one."""

    HEADERS = 6

    def __init__(self, context: DeskContext, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("infoRequestsPanel")
        self._context = context
        self._catalogue = catalogue
        self.requests: list[InfoRequest] = []
        self.active_dialog: _Form | None = None
        self.table = QTableWidget(0, self.HEADERS, self)
        self.table.setObjectName("infoRequestList")
        self.table.setAccessibleName(self.tr("补充材料/信息"))
        self.table.setHorizontalHeaderLabels([self.tr("时间"), self.tr("环节"), self.tr("向谁索要"), self.tr("内容"),
                                              self.tr("原因"), self.tr("状态")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.meet_button = QPushButton(self.tr("已补齐…"), self)
        self.meet_button.setObjectName("meetInfoRequest")
        self.meet_button.setAccessibleName(self.tr("确认已补齐"))
        self.meet_button.setEnabled(False)
        self.meet_button.clicked.connect(lambda _checked=False: self.meet_selected())
        self.withdraw_button = QPushButton(self.tr("撤回…"), self)
        self.withdraw_button.setObjectName("withdrawInfoRequest")
        self.withdraw_button.setAccessibleName(self.tr("撤回误发的索要"))
        self.withdraw_button.setToolTip(self.tr("索要有误时撤回（须写明原因）；撤回后不计入材料重复索要和信息共享质量"))
        self.withdraw_button.setEnabled(False)
        self.withdraw_button.clicked.connect(lambda _checked=False: self.withdraw_selected())
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.withdraw_button)
        buttons.addWidget(self.meet_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._names: dict[str, str] = {}

    def show_requests(self, ticket: Ticket | None, requests: Sequence[InfoRequest],
                      stage_names: Mapping[str, str]) -> None:
        """`stage_names`: stage task id → the stage's name in the desk's language."""
        lang = current_language()
        selected = self.selected()
        self.requests = list(requests)
        self._names = dict(materials_of(self._catalogue, ticket, lang)) if ticket is not None else {}
        self.table.setRowCount(len(self.requests))
        for row, request in enumerate(self.requests):
            whom = (self.tr("客户") if request.addressee == info_requests.CUSTOMER
                    else labels.department_name(request.to_department, lang))
            asked = asked_text(request, self._names, lang)
            state = labels.state_name("info_request", request.state, lang)
            note = request.withdrawn_reason if request.state == info_requests.WITHDRAWN else request.met_note
            if note:
                state = self.tr("%1：%2").replace("%1", state).replace("%2", cell_text(note, 40))
            cells = [(labels.local_time(request.requested_at), None),
                     (stage_names.get(request.stage_task_id, ""), None),
                     (whom, None), (cell_text(asked), asked), (cell_text(request.reason), request.reason),
                     (state, note)]
            for column, (text, tip) in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, request.id)
                if tip:
                    item.setToolTip(plain_tooltip(tip))
                self.table.setItem(row, column, item)
        if selected is not None:
            self.select(selected.id)
        self._selection_changed()

    def selected(self) -> InfoRequest | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        request_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return next((r for r in self.requests if r.id == request_id), None)

    def select(self, request_id: str) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == request_id:
                self.table.selectRow(row)
                return

    def _selection_changed(self) -> None:
        self.meet_button.setEnabled(may_answer(self._context, self.selected()))
        self.withdraw_button.setEnabled(may_withdraw(self._context, self.selected()))

    def withdraw_selected(self) -> None:
        request = self.selected()
        if not may_withdraw(self._context, request):
            return
        assert request is not None
        dialog = WithdrawDialog(self._context, request, asked_text(request, self._names, current_language()), self)
        self._open(dialog)

    def meet_selected(self) -> None:
        request = self.selected()
        if not may_answer(self._context, request):
            return
        assert request is not None
        dialog = MeetDialog(self._context, request, asked_text(request, self._names, current_language()), self)
        self._open(dialog)

    def ask(self, ticket: Ticket, task: StageTask, stage_name: str) -> None:
        """Open the 补充材料/信息 form for this stage."""
        if not may_ask_on(self._context, task):
            return
        dialog = InfoRequestDialog(self._context, ticket, task, stage_name,
                                   materials_of(self._catalogue, ticket, current_language()), self)
        self._open(dialog)

    def _open(self, dialog: _Form) -> None:
        self.active_dialog = dialog
        dialog.finished.connect(partial(self._forget, dialog))
        dialog.open()

    def _forget(self, dialog: _Form, _code: int = 0) -> None:
        if self.active_dialog is dialog:
            self.active_dialog = None
        dialog.deleteLater()

