"""Storm mode on the front desk (docs/outage.md): when outage calls surge, the screen leads with the office's live
outages, the largest first, each with the shortest way to link the call in progress to it — even before the
caller is found (an anonymous call counts on the event too). Hidden outside a storm; the rule is data
(domain.outage.storm) and is read from the desk's synced rows, offline too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QGridLayout, QPushButton, QVBoxLayout, QWidget

from desktop import messages
from desktop.change_watch import ChangeWatch
from desktop.context import DeskContext
from desktop.display import plain_label, time_text
from desktop.frontdesk.outage_notice import CallInfo
from desktop.operations import Operation, expected_failure_text, report_failure
from domain.outage.storm import StormRules, in_storm, load_storm_rules
from domain.records import OutageEvent

STORM_KINDS = frozenset({"outage_event", "interaction", "ticket"})
RECHECK_MS = 60_000  # the window slides: a storm ends when its calls grow old, even with nothing new synced

Picture = tuple[list[OutageEvent], int, dict[str, str]]  # live events, calls in the window, device names


class OutageStrip(QFrame):
    def __init__(self, context: DeskContext, clock: Callable[[], datetime], call: CallInfo,
                 customer: Callable[[], str | None], parent: QWidget | None = None,
                 rules: StormRules | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outageStrip")
        self.setAccessibleName(self.tr("停电来电高峰"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#outageStrip { background: #ffebee; border: 1px solid #c62828; }")
        self._context = context
        self._clock = clock
        self._call = call
        self._customer = customer
        self._rules = rules or load_storm_rules()
        self.events: list[OutageEvent] = []
        self._names: dict[str, str] = {}
        self._linked_call: tuple[str | None, str | None] | None = None
        self.buttons: list[QPushButton] = []
        self.headline = plain_label("", self)
        self.headline.setObjectName("outageStripHeadline")
        self.rows = QGridLayout()
        self.rows.setColumnStretch(0, 1)  # the outage's words take the room, the button its own size
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addLayout(self.rows)
        self.hide()
        self.watch = ChangeWatch(self, STORM_KINDS, self._read, self._loaded)
        self.watch.start()
        self._recheck = QTimer(self)
        self._recheck.setInterval(RECHECK_MS)
        self._recheck.timeout.connect(self.watch.reread)
        self._recheck.start()

    def stop(self) -> None:
        self._recheck.stop()
        self.watch.stop()

    def _read(self) -> Callable[[], Picture]:
        store, office_id, since = self._context.store, self._context.office_id, self._clock() - self._rules.window
        shown = self._rules.shown_events

        def read() -> Picture:
            events, calls = store.storm_picture(office_id, since)
            return events, calls, store.grid_device_names(sorted({d for e in events[:shown] for d in e.device_ids}))

        return read

    def _loaded(self, picture: Picture) -> None:
        events, calls, self._names = picture
        if not in_storm(self._rules, len(events), calls):
            self.events = []
            self.hide()
            return
        self.events = events[:self._rules.shown_events]
        minutes = int(self._rules.window.total_seconds() // 60)
        self.headline.setText(self.tr("停电来电高峰：近 %1 分钟 %2 个停电来电，%3 起停电事件。来电在下列范围内的，直接关联，不另派工单")
                              .replace("%1", str(minutes)).replace("%2", str(calls)).replace("%3", str(len(events))))
        self._fill()
        self.show()

    def _fill(self) -> None:
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons = []
        for row, event in enumerate(self.events):
            area = "、".join(self._names.get(d, d) for d in event.device_ids)
            estimate = time_text(event.ends_at) if event.ends_at is not None else self.tr("待定")
            text = self.tr("%1：%2；预计恢复 %3；已来电 %4 次").replace("%1", area).replace("%2", event.reason) \
                .replace("%3", estimate).replace("%4", str(event.call_count))
            label = plain_label(text, self)
            label.setWordWrap(True)
            button = QPushButton(self.tr("关联当前来电"), self)
            button.setObjectName(f"stormLink{row}")
            button.setAccessibleName(self.tr("把当前来电关联到：%1").replace("%1", area))
            button.clicked.connect(lambda _checked=False, chosen=event: self.link(chosen))
            button.setEnabled(self._may_link())
            self.rows.addWidget(label, row, 0)
            self.rows.addWidget(button, row, 1)
            self.buttons.append(button)

    def _may_link(self) -> bool:
        """A call is in progress and has not been linked yet (one call counts once)."""
        call = self._call()
        return call != (None, None) and call != self._linked_call

    def call_changed(self) -> None:
        """A call started or ended: linking needs one."""
        for button in self.buttons:
            button.setEnabled(self._may_link())

    def link(self, event: OutageEvent) -> None:
        if not self._may_link():
            return
        call_id, caller_number = call = self._call()
        store, office_id, staff_id = self._context.store, self._context.office_id, self._context.staff.id
        customer_id = self._customer()
        for button in self.buttons:
            button.setEnabled(False)

        def work() -> object:
            return store.link_call_to_outage(office_id=office_id, customer_id=customer_id, event_id=event.id,
                                             staff_id=staff_id, call_id=call_id, caller_number=caller_number)

        Operation(self, work, changes={"interaction"}).success(lambda _call: self._linked(call)).failure(
            self._failed).run()

    def _linked(self, call: tuple[str | None, str | None]) -> None:
        self._linked_call = call
        self.call_changed()
        self._context.notify_local_change()
        messages.info(self.tr("来电已关联到停电事件，不另派抢修工单"))

    def _failed(self, error: BaseException) -> None:
        self.call_changed()
        text = expected_failure_text(error)
        if text is None:
            report_failure(error)
            return
        messages.warning(text)
