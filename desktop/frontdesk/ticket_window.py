"""A ticket on the customer's card, opened where the clerk is (double-click or Enter): the same detail the
tickets area shows — stages, history, notes — in a window over the card."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from desktop.context import DeskContext
from desktop.tickets.detail import TicketDetail


class TicketWindow(QDialog):
    def __init__(self, context: DeskContext, clock: Callable[[], datetime], ticket_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticketWindow")
        self.setWindowTitle(self.tr("工单详情"))
        self.detail = TicketDetail(context, context.store.catalogue, clock, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.detail, 1)
        layout.addWidget(buttons)
        self.resize(960, 720)
        self.detail.show_ticket(ticket_id)

    def show_ticket(self, ticket_id: str) -> None:
        self.detail.show_ticket(ticket_id)

    def done(self, result: int) -> None:
        self.detail.shutdown()  # its presence heartbeat and change listener end with the window
        super().done(result)
