"""The hotline call bar: while a call is on, the top of the front desk shows the caller's number (masked
until the caller is verified), how long the call has lasted, and the wrap-up (话后小结) that 结束通话 records
on the call as an interaction linked to it.

A call that reaches the agent while another is on the bar does not drop the first one's wrap-up: the first
call is held as a 待小结 row under the new call (its caller, when it came in, the talk time it had, the code
already chosen) until the agent finishes it with 完成小结; the bar stays up while any wrap-up is left.

The calls without a wrap-up (the one on the bar and the held ones) are kept in the desk's encrypted store
for the agent as they change; signing out, closing or a crash does not lose them: the agent's next session
shows them as 待小结 rows (the call that was on the bar with the talk time it had at sign-out)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop import messages
from desktop.actions import QT_TRANSLATE_NOOP
from desktop.context import DeskContext
from desktop.display import datetime_text
from desktop.operations import Operation, background, expected_failure_text, report_failure, run_in_store
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


@dataclass(frozen=True)
class HeldCall:
    """A call whose wrap-up is still to be done: what it was when the next call took the bar."""

    call_id: str
    caller_number: str
    revealed: bool
    started: datetime
    talk_seconds: int | None  # how long it lasted (the talk time its wrap-up records); None: not known
    customer_id: str | None  # whom it turned out to be
    code: str | None  # the wrap-up code already chosen, if any

    def to_json(self) -> dict[str, Any]:
        return {"call_id": self.call_id, "caller_number": self.caller_number, "started": self.started.isoformat(),
                "talk_seconds": self.talk_seconds, "customer_id": self.customer_id, "code": self.code}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> HeldCall:
        talk, customer, code = data.get("talk_seconds"), data.get("customer_id"), data.get("code")
        return cls(call_id=str(data["call_id"]), caller_number=str(data.get("caller_number") or ""),
                   revealed=False,  # a new session: masked until the caller is verified again
                   started=datetime.fromisoformat(str(data["started"])),
                   talk_seconds=talk if isinstance(talk, int) else None,
                   customer_id=customer if isinstance(customer, str) else None,
                   code=code if code in {c for c, _ in WRAP_UP_CODES} else None)


def unfinished_calls_key(staff_id: str) -> str:
    """The store's meta key under which a person's calls without a wrap-up are kept."""
    return f"hotline.unfinished_calls:{staff_id}"


def _parse_unfinished(text: str | None) -> list[HeldCall]:
    if not text:
        return []
    return [HeldCall.from_json(item) for item in json.loads(text)]  # written by this module: a failure is a bug


def _wrap_up_combo(parent: QWidget, name: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setAccessibleName(QCoreApplication.translate("CallBar", "话后小结"))
    combo.setPlaceholderText(QCoreApplication.translate("CallBar", "选择话后小结"))
    for code, text in WRAP_UP_CODES:
        combo.addItem(QCoreApplication.translate("CallBar", text), code)
    combo.setCurrentIndex(-1)
    return combo


def record_wrap_up(parent: QWidget, context: DeskContext, *, call_id: str, caller_number: str,
                   customer_id: str | None, code_text: str, talk_seconds: int | None) -> Operation:
    """The wrap-up as an interaction on the call (not yet run: the caller adds success and failure)."""
    if talk_seconds is None:  # kept from a session that ended without saying how long the call lasted
        summary = QCoreApplication.translate("CallBar", "话后小结：%1").replace("%1", code_text)
    else:
        summary = QCoreApplication.translate("CallBar", "话后小结：%1（通话 %2）").replace("%1", code_text).replace(
            "%2", call_duration(talk_seconds))

    def work() -> object:
        return context.store.record_interaction(
            office_id=context.office_id, channel="hotline", type="call", customer_id=customer_id,
            summary=summary, staff_id=context.staff.id, call_id=call_id or None, caller_number=caller_number or None)

    return Operation(parent, work, changes={"interaction"})


def _show_failure(exc: BaseException) -> None:
    text = expected_failure_text(exc)
    if text is None:
        report_failure(exc)
        return
    messages.warning(text)


class PendingWrapUp(QWidget):
    """One held call: 待小结, its caller, when it came in and its talk time, its wrap-up code and 完成小结."""

    finished = Signal(object)  # this row, once its wrap-up is saved
    codeChosen = Signal()

    def __init__(self, context: DeskContext, call: HeldCall, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callBarPending")
        self.setAccessibleName(self.tr("待小结的来电"))
        self._context = context
        self.call = call
        self._saving = False
        number = call.caller_number if call.revealed else mask_phone(call.caller_number)
        self.caller = QLabel(self.tr("待小结 来电 %1").replace("%1", number or self.tr("未知号码")), self)
        self.caller.setObjectName("callBarPendingCaller")
        self.caller.setTextFormat(Qt.TextFormat.PlainText)
        self.caller.setStyleSheet("font-weight: bold; color: #b35c00;")
        came = datetime_text(call.started)
        if call.talk_seconds is None:
            time = self.tr("%1 来电").replace("%1", came)
        else:
            time = self.tr("%1 来电，通话 %2").replace("%1", came).replace("%2", call_duration(call.talk_seconds))
        self.time = QLabel(time, self)
        self.time.setObjectName("callBarPendingTime")
        self.wrap_up = _wrap_up_combo(self, "callBarPendingWrapUp")
        if call.code is not None:
            self.wrap_up.setCurrentIndex(self.wrap_up.findData(call.code))
        self.finish_button = QPushButton(self.tr("完成小结"), self)
        self.finish_button.setObjectName("callBarFinishPending")
        self.finish_button.setAccessibleName(self.tr("记录这通来电的话后小结"))
        self.finish_button.clicked.connect(self.finish)
        self.wrap_up.currentIndexChanged.connect(self._update_button)
        self.wrap_up.currentIndexChanged.connect(lambda _index: self.codeChosen.emit())
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.caller)
        row.addWidget(self.time)
        row.addStretch(1)
        row.addWidget(self.wrap_up)
        row.addWidget(self.finish_button)
        self._update_button()

    @property
    def saving(self) -> bool:
        return self._saving

    @saving.setter
    def saving(self, saving: bool) -> None:
        self._saving = saving
        self._update_button()

    def _update_button(self) -> None:
        self.finish_button.setEnabled(not self._saving and self.wrap_up.currentIndex() >= 0)

    def kept(self) -> HeldCall:
        """The call as it is kept: with the code chosen now."""
        code = self.wrap_up.currentData()
        return replace(self.call, code=code if isinstance(code, str) else None)

    def finish(self) -> None:
        if self.wrap_up.currentIndex() < 0:
            return
        call = self.call
        self.saving = True
        record_wrap_up(self, self._context, call_id=call.call_id, caller_number=call.caller_number,
                       customer_id=call.customer_id, code_text=self.wrap_up.currentText(),
                       talk_seconds=call.talk_seconds).success(self._finished).failure(self._failed).run()

    def _finished(self, _saved: object) -> None:
        self._context.notify_local_change()
        self.finished.emit(self)

    def _failed(self, exc: BaseException) -> None:
        self.saving = False
        _show_failure(exc)


class CallBar(QFrame):
    """Hidden between calls; `start` shows it for a call, 结束通话 records the wrap-up and hides it (unless an
    earlier call's wrap-up is still pending: its row stays until 完成小结)."""

    ended = Signal(str)  # the wrap-up code of the call on the bar, once it is saved

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
        self._saving: str | None = None  # the call whose wrap-up 结束通话 is saving
        self.call_id: str | None = None
        self.caller_number = ""
        self.revealed = False
        self._started: datetime | None = None

        self.current_row = QWidget(self)
        title = QLabel(self.tr("通话中"), self.current_row)
        title.setStyleSheet("font-weight: bold; font-size: 15px; color: #b35c00;")
        self.caller = QLabel(self.current_row)
        self.caller.setObjectName("callBarCaller")
        self.caller.setTextFormat(Qt.TextFormat.PlainText)
        self.caller.setStyleSheet("font-weight: bold; font-size: 15px;")
        self.duration = QLabel(self.current_row)
        self.duration.setObjectName("callBarDuration")
        self.duration.setAccessibleName(self.tr("通话时长"))
        self.duration.setStyleSheet("font-size: 15px; font-family: monospace;")
        self.wrap_up = _wrap_up_combo(self.current_row, "callBarWrapUp")
        self.end_button = QPushButton(self.tr("结束通话(&E)"), self.current_row)
        self.end_button.setObjectName("callBarEnd")
        self.end_button.setAccessibleName(self.tr("结束通话并记录话后小结"))
        self.end_button.clicked.connect(self.end_call)
        self.wrap_up.currentIndexChanged.connect(self._update_button)

        row = QHBoxLayout(self.current_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(title)
        row.addWidget(self.caller)
        row.addWidget(QLabel(self.tr("时长"), self.current_row))
        row.addWidget(self.duration)
        row.addStretch(1)
        row.addWidget(QLabel(self.tr("话后小结"), self.current_row))
        row.addWidget(self.wrap_up)
        row.addWidget(self.end_button)

        # Earlier calls whose wrap-up is still to be done, oldest first.
        self.pending_title = QLabel(self)
        self.pending_title.setObjectName("callBarPendingTitle")
        self.pending_title.setStyleSheet("color: #b35c00;")
        self._pending_rows: list[PendingWrapUp] = []
        self._rows = QVBoxLayout(self)
        self._rows.setContentsMargins(8, 4, 8, 4)
        self._rows.setSpacing(4)
        self._rows.addWidget(self.current_row)
        self._rows.addWidget(self.pending_title)
        self.pending_title.hide()
        self.current_row.hide()  # no call yet (restored 待小结 rows may show the bar first)
        self._update_button()

        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self.wrap_up.currentIndexChanged.connect(lambda _index: self._keep())
        self.hide()
        # The calls an earlier session left without a wrap-up come back as 待小结 rows; nothing is kept over
        # them before they are read.
        self._key = unfinished_calls_key(context.staff.id)
        self._kept_read = False
        store, key = context.store, self._key
        Operation(self, lambda: _parse_unfinished(store.get_meta(key))).success(self._restore).failure(
            self._restore_failed).run()

    @property
    def active(self) -> bool:
        return self.call_id is not None

    def start(self, call_id: str, caller_number: str) -> None:
        """A call reached this agent. The call on the bar, if any, is held with its wrap-up pending (the same
        call delivered again changes nothing)."""
        if self.active and call_id and call_id == self.call_id:
            return
        if self.active:
            self._hold_current()
        self.call_id, self.caller_number, self.revealed = call_id, caller_number, False
        self._started = self._clock()
        self.wrap_up.setCurrentIndex(-1)
        self._show_caller()
        self._tick()
        self._update_button()
        self.timer.start()
        self.current_row.show()
        self.show()
        self._keep()

    def _restore(self, calls: list[HeldCall]) -> None:
        self._kept_read = True
        known = {self.call_id} | {row.call.call_id for row in self._pending_rows}
        for call in calls:
            if call.call_id not in known:
                self._add_pending(call)
        self._keep()

    def _restore_failed(self, exc: BaseException) -> None:
        report_failure(exc)  # the kept calls stay in the store as they were (never overwritten this session)

    def _keep(self, *, talk_seconds: int | None = None) -> None:
        """Write the calls without a wrap-up to the store (in order, on the store thread)."""
        if not self._kept_read:
            return
        # A call whose wrap-up is saving is kept until the save lands: a crash meanwhile may show it twice,
        # never lose it.
        calls = [row.kept().to_json() for row in self._pending_rows]
        if self.call_id is not None and self._started is not None:
            code = self.wrap_up.currentData()
            calls.append(HeldCall(call_id=self.call_id, caller_number=self.caller_number, revealed=False,
                                  started=self._started, talk_seconds=talk_seconds, customer_id=self._customer_on_call(),
                                  code=code if isinstance(code, str) else None).to_json())
        store, key, text = self._context.store, self._key, json.dumps(calls, ensure_ascii=False)
        background(run_in_store(store.set_meta, key, text))

    def pending_calls(self) -> list[HeldCall]:
        """The held calls whose wrap-up is still to be done, oldest first."""
        return [row.call for row in self._pending_rows]

    def _hold_current(self) -> None:
        assert self.call_id is not None and self._started is not None
        held = HeldCall(call_id=self.call_id, caller_number=self.caller_number, revealed=self.revealed,
                        started=self._started, talk_seconds=self.elapsed_seconds(),
                        customer_id=self._customer_on_call(), code=self.wrap_up.currentData())
        row = self._add_pending(held)
        row.saving = self._saving == held.call_id  # 结束通话 was pressed: its save decides (see _ended)

    def _add_pending(self, call: HeldCall) -> PendingWrapUp:
        row = PendingWrapUp(self._context, call, self)
        row.finished.connect(self._pending_done)
        row.codeChosen.connect(self._keep)
        self._pending_rows.append(row)
        self._rows.addWidget(row)
        self._show_pending()
        self.show()
        return row

    def _pending_done(self, row: PendingWrapUp) -> None:
        if row in self._pending_rows:
            self._pending_rows.remove(row)
        row.hide()
        row.deleteLater()
        self._show_pending()
        self._keep()
        if not self.active and not self._pending_rows:
            self.hide()

    def _show_pending(self) -> None:
        count = len(self._pending_rows)
        self.pending_title.setText(self.tr("之前的来电待小结（%1 通），请完成：").replace("%1", str(count)))
        self.pending_title.setVisible(count > 0)

    def reveal(self) -> None:
        """The caller passed verification: their full number."""
        if self.active:
            self.revealed = True
            self._show_caller()

    def stop(self) -> None:
        """Sign-out or close: the ticking stops; the call on the bar is kept with the talk time it had."""
        self.timer.stop()
        if self.active:
            self._keep(talk_seconds=self.elapsed_seconds())

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
        call_id = self.call_id or ""
        self._saving = call_id
        self.end_button.setEnabled(False)
        record_wrap_up(self, self._context, call_id=call_id, caller_number=self.caller_number,
                       customer_id=self._customer_on_call(), code_text=self.wrap_up.currentText(),
                       talk_seconds=self.elapsed_seconds()).success(
            lambda _saved: self._ended(call_id, code)).failure(lambda exc: self._failed(call_id, exc)).run()

    def _ended(self, call_id: str, code: str) -> None:
        self._context.notify_local_change()
        self._saving = None
        if self.call_id != call_id:  # the next call took the bar while this one saved: its held row is done
            for row in [r for r in self._pending_rows if r.call.call_id == call_id and r.saving]:
                self._pending_done(row)
            return
        self.timer.stop()
        self.call_id, self._started = None, None
        self._keep()
        self.current_row.hide()
        if not self._pending_rows:
            self.hide()
        self.ended.emit(code)

    def _failed(self, call_id: str, exc: BaseException) -> None:
        self._saving = None
        self._keep()
        for row in self._pending_rows:  # held while it saved: its row takes the wrap-up now
            if row.call.call_id == call_id:
                row.saving = False
        self._update_button()
        _show_failure(exc)
