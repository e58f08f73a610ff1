"""The outage notice on the customer card (docs/outage.md): "您所在区域有停电" with the reason and the estimated
restoration when a live event holds the customer's premises, and one action that links the call to the event
instead of a new repair ticket (the server counts it on the event)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from desktop import messages
from desktop.context import DeskContext
from desktop.display import datetime_text, plain_label
from desktop.operations import Operation, expected_failure_text, report_failure
from domain.records import OutageEvent

# The call in progress on this desk: (call id, caller number), both None when there is none.
CallInfo = Callable[[], tuple[str | None, str | None]]


def _no_call() -> tuple[str | None, str | None]:
    return None, None


class OutageNotice(QFrame):
    def __init__(self, context: DeskContext, parent: QWidget | None = None, *, call: CallInfo | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outageNotice")
        self.setAccessibleName(self.tr("停电提示"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#outageNotice { background: #fff3e0; border: 1px solid #ef6c00; }")
        self._context = context
        self._call = call or _no_call
        self._customer_id: str | None = None
        self._generation = 0
        self.outage: OutageEvent | None = None
        self._linked: set[tuple[str, str]] = set()  # (customer, event) linked on this desk: once is enough
        self.text = plain_label("", self)  # the reason is typed by dispatch: plain text, wrapped
        self.text.setObjectName("outageNoticeText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.link_button = QPushButton(self.tr("关联到此停电事件(&L)"), self)
        self.link_button.setObjectName("linkOutage")
        self.link_button.setAccessibleName(self.tr("把这次来电关联到停电事件，不另派抢修工单"))
        self.link_button.clicked.connect(self.link)
        row = QHBoxLayout(self)
        row.addWidget(self.text, 1)
        row.addWidget(self.link_button)
        self.hide()

    def show_for(self, customer_id: str | None) -> None:
        """Read the live event holding the customer's premises (hidden when there is none)."""
        if customer_id != self._customer_id:
            self.outage = None
            self.hide()
        self._customer_id = customer_id
        self._generation += 1
        generation = self._generation
        if customer_id is None:
            return
        store = self._context.store
        Operation(self, lambda: store.outage_for_customer(customer_id)).success(
            lambda event: self._show(generation, event)).run()

    def _show(self, generation: int, event: OutageEvent | None) -> None:
        if generation != self._generation:
            return  # another customer, or a newer read, is on screen now
        self.outage = event
        if event is None:
            self.hide()
            return
        estimate = datetime_text(event.ends_at) if event.ends_at is not None else self.tr("待定")
        state = self.tr("（研判中）") if event.state == "predicted" else ""
        self.text.setText(self.tr("您所在区域有停电{state}：{reason}；预计恢复时间：{estimate}").format(
            state=state, reason=event.reason or self.tr("原因待查"), estimate=estimate))
        linked = (self._customer_id or "", event.id) in self._linked
        self.link_button.setEnabled(not linked)
        self.link_button.setText(self.tr("已关联到停电事件") if linked else self.tr("关联到此停电事件(&L)"))
        self.show()

    def link(self) -> None:
        event, customer_id = self.outage, self._customer_id
        if event is None or customer_id is None:
            return
        store, office_id, staff_id = self._context.store, self._context.office_id, self._context.staff.id
        call_id, caller_number = self._call()
        self.link_button.setEnabled(False)

        def work() -> object:
            return store.link_call_to_outage(office_id=office_id, customer_id=customer_id, event_id=event.id,
                                             staff_id=staff_id, call_id=call_id, caller_number=caller_number)

        Operation(self, work, changes={"interaction"}).success(
            lambda _call: self._linked_now(customer_id, event)).failure(self._failed).run()

    def _linked_now(self, customer_id: str, event: OutageEvent) -> None:
        self._linked.add((customer_id, event.id))
        self._context.notify_local_change()  # push now if the desk is online: the event counts the call
        messages.info(self.tr("来电已关联到停电事件，不另派抢修工单"))
        if self.outage is not None and self.outage.id == event.id and self._customer_id == customer_id:
            self._show(self._generation, self.outage)

    def _failed(self, error: BaseException) -> None:
        self.link_button.setEnabled(True)
        text = expected_failure_text(error)
        if text is None:
            report_failure(error)
            return
        messages.warning(text)
