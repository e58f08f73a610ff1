"""The hotline call bar: while a call is on, the top of the front desk shows the caller's number (masked
until the caller is verified), how long the call has lasted, and the wrap-up (话后小结) that 结束通话 records
on the call as an interaction linked to it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from desktop import messages
from desktop.actions import QT_TRANSLATE_NOOP
from desktop.context import DeskContext
from desktop.operations import Operation, expected_failure_text, report_failure
from domain.masking import mask_phone

# The wrap-up codes an agent closes a call with: code (kept on the call's record) and its words.
WRAP_UP_CODES: tuple[tuple[str, str], ...] = (
    ("enquiry", QT_TRANSLATE_NOOP("CallBar", "咨询")),
    ("repair", QT_TRANSLATE_NOOP("CallBar", "报修")),
    ("complaint", QT_TRANSLATE_NOOP("CallBar", "投诉")),
    ("other", QT_TRANSLATE_NOOP("CallBar", "其他")),
)


def call_duration(seconds: int) -> str:
    """"04:07", or "1:02:05" past the hour."""
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


class CallBar(QFrame):
    """Hidden between calls; `start` shows it for a call, 结束通话 records the wrap-up and hides it."""

    ended = Signal(str)  # the wrap-up code, once it is saved

    def __init__(self, context: DeskContext, clock: Callable[[], datetime],
                 customer_on_call: Callable[[], str | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callBar")
        self.setAccessibleName(self.tr("通话"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)  # a bar: never taller
        self.setStyleSheet("#callBar { background: #fff4e0; border: 1px solid #f0a030; border-radius: 4px; }")
        self._context = context
        self._clock = clock
        self._customer_on_call = customer_on_call
        self.call_id: str | None = None
        self.caller_number = ""
        self.revealed = False
        self._started: datetime | None = None

        title = QLabel(self.tr("通话中"), self)
        title.setStyleSheet("font-weight: bold; font-size: 15px; color: #b35c00;")
        self.caller = QLabel(self)
        self.caller.setObjectName("callBarCaller")
        self.caller.setTextFormat(Qt.TextFormat.PlainText)
        self.caller.setStyleSheet("font-weight: bold; font-size: 15px;")
        self.duration = QLabel(self)
        self.duration.setObjectName("callBarDuration")
        self.duration.setAccessibleName(self.tr("通话时长"))
        self.duration.setStyleSheet("font-size: 15px; font-family: monospace;")
        self.wrap_up = QComboBox(self)
        self.wrap_up.setObjectName("callBarWrapUp")
        self.wrap_up.setAccessibleName(self.tr("话后小结"))
        self.wrap_up.setPlaceholderText(self.tr("选择话后小结"))
        for code, text in WRAP_UP_CODES:
            self.wrap_up.addItem(self.tr(text), code)
        self.end_button = QPushButton(self.tr("结束通话(&E)"), self)
        self.end_button.setObjectName("callBarEnd")
        self.end_button.setAccessibleName(self.tr("结束通话并记录话后小结"))
        self.end_button.clicked.connect(self.end_call)
        self.wrap_up.currentIndexChanged.connect(self._update_button)

        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(title)
        row.addWidget(self.caller)
        row.addWidget(QLabel(self.tr("时长"), self))
        row.addWidget(self.duration)
        row.addStretch(1)
        row.addWidget(QLabel(self.tr("话后小结"), self))
        row.addWidget(self.wrap_up)
        row.addWidget(self.end_button)

        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self.hide()

    @property
    def active(self) -> bool:
        return self.call_id is not None

    def start(self, call_id: str, caller_number: str) -> None:
        """A call reached this agent (a new call replaces the one shown)."""
        self.call_id, self.caller_number, self.revealed = call_id, caller_number, False
        self._started = self._clock()
        self.wrap_up.setCurrentIndex(-1)
        self._show_caller()
        self._tick()
        self._update_button()
        self.timer.start()
        self.show()

    def reveal(self) -> None:
        """The caller passed verification: their full number."""
        if self.active:
            self.revealed = True
            self._show_caller()

    def stop(self) -> None:
        """Sign-out or close: the ticking stops."""
        self.timer.stop()

    def elapsed_seconds(self) -> int:
        return 0 if self._started is None else int((self._clock() - self._started).total_seconds())

    def _show_caller(self) -> None:
        number = self.caller_number if self.revealed else mask_phone(self.caller_number)
        self.caller.setText(self.tr("来电 %1").replace("%1", number or self.tr("未知号码")))

    def _tick(self) -> None:
        self.duration.setText(call_duration(self.elapsed_seconds()))

    def _update_button(self) -> None:
        self.end_button.setEnabled(self.active and self.wrap_up.currentIndex() >= 0)

    def end_call(self) -> None:
        code = self.wrap_up.currentData()
        if not self.active or code is None:
            return
        context, call_id, caller = self._context, self.call_id, self.caller_number
        customer_id = self._customer_on_call()
        summary = self.tr("话后小结：%1（通话 %2）").replace("%1", self.wrap_up.currentText()).replace(
            "%2", call_duration(self.elapsed_seconds()))
        self.end_button.setEnabled(False)

        def work() -> object:
            return context.store.record_interaction(
                office_id=context.office_id, channel="hotline", type="call", customer_id=customer_id,
                summary=summary, staff_id=context.staff.id, call_id=call_id or None, caller_number=caller or None)

        Operation(self, work, changes={"interaction"}).success(lambda _saved: self._ended(code)).failure(
            self._failed).run()

    def _ended(self, code: str) -> None:
        self._context.notify_local_change()
        self.timer.stop()
        self.call_id, self._started = None, None
        self.hide()
        self.ended.emit(code)

    def _failed(self, exc: BaseException) -> None:
        self._update_button()
        text = expected_failure_text(exc)
        if text is None:
            report_failure(exc)
            return
        messages.warning(text)
