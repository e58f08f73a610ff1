"""The customer card's tables: accounts (户号), and open tickets with live time-limit countdowns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.frontdesk import labels
from desktop.frontdesk.deadlines import ticket_deadline
from desktop.i18n import current_language
from desktop.tickets.labels import clock_stop, stopped_text
from domain import sla, ticket_rules
from domain.calendar import WorkingCalendar
from domain.catalogue import Catalogue
from domain.errors import DomainError
from domain.records import Account, StageTask, Ticket

Index = QModelIndex | QPersistentModelIndex
SLA_COLOURS = {
    sla.SlaState.ON_TIME: QColor("#d7f0d7"),
    sla.SlaState.WARNING: QColor("#ffe3a3"),
    sla.SlaState.OVERDUE: QColor("#f6c1c1"),
}
STOPPED_COLOUR = QColor("#e4e4e4")  # the clock-stop stage is done: no longer counting, on time or late


CLOSED_STATES = ticket_rules.CLOSED_TICKET_STATES
is_open = ticket_rules.is_open  # the one open-ticket rule (domain.ticket_rules)


class AccountsModel(QAbstractTableModel):
    ACCOUNT_NO, ADDRESS, METER, ARREARS, STATUS = range(5)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._accounts: list[Account] = []

    def set_accounts(self, accounts: list[Account]) -> None:
        self.beginResetModel()
        self._accounts = list(accounts)
        self.endResetModel()

    def account(self, row: int) -> Account | None:
        return self._accounts[row] if 0 <= row < len(self._accounts) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._accounts)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 5

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._accounts):
            return None
        account = self._accounts[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.ACCOUNT_NO:
                return account.account_no
            if column == self.ADDRESS:
                return account.address
            if column == self.METER:
                return account.meter_no or ""
            if column == self.ARREARS:
                return labels.money_text(account.arrears_cents) if account.arrears_cents else self.tr("无欠费")
            if column == self.STATUS:
                return {"active": self.tr("正常"), "suspended": self.tr("暂停"), "closed": self.tr("已销户")}.get(
                    account.status, account.status
                )
        if role == Qt.ItemDataRole.ForegroundRole and column == self.ARREARS and account.arrears_cents > 0:
            return QBrush(QColor("#b00020"))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (self.tr("户号"), self.tr("用电地址"), self.tr("电能表"), self.tr("欠费"), self.tr("状态"))
        return titles[section] if 0 <= section < len(titles) else None


class OpenTicketsModel(QAbstractTableModel):
    """Open tickets of one customer; `set_now` moves every countdown and its colour. A ticket whose
    clock-stop stage is done (a repair whose crew arrived) shows its stopped clock instead."""

    NUMBER, TYPE, STATE, DUE, REMAINING, SLA = range(6)
    TicketIdRole = Qt.ItemDataRole.UserRole + 1
    SlaStateRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, catalogue: Catalogue, calendar: WorkingCalendar, now: datetime,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._catalogue = catalogue
        self._calendar = calendar
        self._now = now
        self._rows: list[tuple[Ticket, sla.Deadline | None, sla.ClockStop | None]] = []

    def set_tickets(self, tickets: list[Ticket], area_class: str | None = None,
                    calendar: WorkingCalendar | None = None,
                    tasks: Mapping[str, Sequence[StageTask]] | None = None) -> None:
        """`area_class` is the customer's; `calendar`, when given, replaces the one deadlines count on;
        `tasks` are each ticket's stage tasks (by ticket id), which say whether its clock has stopped."""
        self.beginResetModel()
        self._calendar = calendar or self._calendar
        tasks = tasks or {}
        self._rows = [
            (ticket, ticket_deadline(ticket, self._catalogue, self._calendar, area_class),
             clock_stop(ticket, tasks.get(ticket.id, ()), self._catalogue))
            for ticket in tickets
            if is_open(ticket)
        ]
        self.endResetModel()

    def set_now(self, now: datetime) -> None:
        self._now = now
        if self._rows:
            self.dataChanged.emit(self.index(0, self.REMAINING), self.index(len(self._rows) - 1, self.SLA))

    def ticket(self, row: int) -> Ticket | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def clock(self, row: int) -> sla.TicketClock | None:
        """Where the row's ticket clock stands (domain.sla.ticket_clock); None without a deadline."""
        if not 0 <= row < len(self._rows):
            return None
        _ticket, deadline, stop = self._rows[row]
        return sla.ticket_clock(deadline, self._now, stop) if deadline is not None else None

    def sla_state(self, row: int) -> sla.SlaState | None:
        """The state the 预警/超时 work goes by: None once the ticket's clock has stopped."""
        clock = self.clock(row)
        return clock.live_state if clock is not None else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else 6

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        ticket, deadline, _stop = self._rows[index.row()]
        column = index.column()
        if role == self.TicketIdRole:
            return ticket.id
        if role == self.SlaStateRole:
            return self.sla_state(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(ticket, deadline, self.clock(index.row()), column)
        if role == Qt.ItemDataRole.BackgroundRole and column in (self.REMAINING, self.SLA) and deadline is not None:
            clock = self.clock(index.row())
            assert clock is not None
            return QBrush(STOPPED_COLOUR if clock.stopped or clock.state is None else SLA_COLOURS[clock.state])
        if role == Qt.ItemDataRole.ForegroundRole and column in (self.REMAINING, self.SLA) and deadline is not None:
            return QBrush(QColor("#1a1a1a"))  # readable on the light SLA colours in a dark theme too
        return None

    def _display(self, ticket: Ticket, deadline: sla.Deadline | None, clock: sla.TicketClock | None,
                 column: int) -> str | None:
        if column == self.NUMBER:
            if ticket.number:
                return ticket.number
            return self.tr("{number}（临时）").format(number=ticket.provisional_number or "")
        if column == self.TYPE:
            try:
                return self._catalogue.ticket_type(ticket.type_code).name(current_language())
            except DomainError:
                return ticket.type_code
        if column == self.STATE:
            return labels.ticket_state_name(ticket.state, current_language())
        if deadline is None:
            return "—" if column in (self.DUE, self.REMAINING, self.SLA) else None
        if column == self.DUE:
            due = labels.local_time(deadline.due_at)
            return self.tr("{due}（暂定）").format(due=due) if deadline.provisional else due
        if clock is not None and clock.stopped:
            return stopped_text(clock, current_language()) if column == self.REMAINING else (
                self.tr("已停止计时") if column == self.SLA else None)
        if column == self.REMAINING:
            return labels.duration_text(sla.remaining(deadline, self._now))
        if column == self.SLA:
            return labels.sla_state_name(sla.sla_state(deadline, self._now))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (self.tr("工单号"), self.tr("业务类型"), self.tr("状态"), self.tr("承诺时限"), self.tr("剩余时间"),
                  self.tr("时限状态"))
        return titles[section] if 0 <= section < len(titles) else None
