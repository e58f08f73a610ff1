"""A second call while one is under way: the first call's wrap-up stays pending (待小结) on the call bar, with
the code already chosen and the talk time it had, until the agent finishes it; nothing is dropped, not even
by signing out (the next session shows what is left). And the
call's own record in the customer's timeline (the one the screen pop brings) reads as a call: the masked
number, the time it came in and the wrap-up it got."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QPushButton
from pytestqt.qtbot import QtBot

from desktop.display import time_text
from desktop.frontdesk import FrontDesk
from desktop.frontdesk.call_bar import WRAP_UP_CODES
from desktop.frontdesk.screen_pop import NewCallerForm
from desktop.frontdesk.timeline import TimelineModel
from domain.records import Interaction
from domain.sync import PullPage
from local_store import Store
from tests.desktop.support import OFFSCREEN_NOISE, EngineStub, drain

from .conftest import NOW, OFFICE, ManualClock, make_context, pull_page, seed_changes

pytestmark = OFFSCREEN_NOISE
CALLER = "13900000000"  # cust-0's phone
CODES = [code for code, _ in WRAP_UP_CODES]


@pytest.fixture
def hotline(qtbot: QtBot, store: Store, engine: EngineStub, clock: ManualClock) -> FrontDesk:
    screen = FrontDesk(make_context(store, engine, role="hotline"), clock=clock)
    qtbot.addWidget(screen)
    screen.show()
    return screen


def _call_records(store: Store, customer_id: str, call_id: str) -> list[Interaction]:
    return [e.record for e in store.customer_timeline(customer_id)
            if isinstance(e.record, Interaction) and e.record.call_id == call_id]


def _pending_buttons(hotline: FrontDesk) -> list[QPushButton]:
    return [b for b in hotline.call_bar.findChildren(QPushButton, "callBarFinishPending") if b.isVisible()]


def test_a_second_call_keeps_the_first_call_s_wrap_up_pending_until_the_agent_finishes_it(
    qtbot: QtBot, hotline: FrontDesk, store: Store, clock: ManualClock,
) -> None:
    bar = hotline.call_bar
    hotline.handle_screen_pop(CALLER, ["cust-0"], call_id="call-A")
    qtbot.waitUntil(lambda: hotline.card.customer is not None and hotline.card.customer.id == "cust-0")
    clock.advance(seconds=90)
    bar.wrap_up.setCurrentIndex(CODES.index("repair"))  # chosen, but 结束通话 not pressed yet

    # The second call arrives: it becomes the call on the bar; the first waits for its wrap-up.
    hotline.handle_screen_pop("13700000009", [], call_id="call-B")
    qtbot.waitUntil(lambda: any(f.isVisible() for f in hotline.findChildren(NewCallerForm)))
    next(f for f in hotline.findChildren(NewCallerForm) if f.isVisible()).reject()
    assert bar.call_id == "call-B" and bar.wrap_up.currentIndex() == -1
    assert [p.call_id for p in bar.pending_calls()] == ["call-A"]
    [finish] = _pending_buttons(hotline)
    row = finish.parentWidget()
    assert "待小结" in row.findChild(type(bar.caller), "callBarPendingCaller").text()
    assert CALLER not in row.findChild(type(bar.caller), "callBarPendingCaller").text()  # masked: not verified
    assert "01:30" in row.findChild(type(bar.caller), "callBarPendingTime").text()  # its talk time, frozen
    pending_code = row.findChild(QComboBox, "callBarPendingWrapUp")
    assert pending_code.currentData() == "repair"  # what the agent had chosen is kept
    assert not _call_records(store, "cust-0", "call-A")  # nothing recorded behind the agent's back

    # The second call ends first: the bar stays, the first call's wrap-up is still to do.
    clock.advance(seconds=30)
    bar.wrap_up.setCurrentIndex(CODES.index("enquiry"))
    bar.end_button.click()
    qtbot.waitUntil(lambda: bar.call_id is None)
    assert bar.isVisible() and len(_pending_buttons(hotline)) == 1

    # 完成小结: recorded on the first call, for its customer, with its talk time; the bar goes.
    clock.advance(seconds=300)  # the time spent since does not count as talk time
    finish.click()
    qtbot.waitUntil(lambda: not bar.isVisible())
    [first] = _call_records(store, "cust-0", "call-A")
    assert (first.caller_number, first.staff_id) == (CALLER, hotline._context.staff.id)
    assert "报修" in first.summary and "01:30" in first.summary
    assert not bar.pending_calls()


def test_a_pending_wrap_up_needs_a_code_and_the_bar_shows_how_many_wait(
    qtbot: QtBot, hotline: FrontDesk, store: Store,
) -> None:
    bar = hotline.call_bar
    for n, call_id in enumerate(("call-C", "call-D", "call-E")):
        hotline.handle_screen_pop(f"1370000001{n}", [], call_id=call_id)
        qtbot.waitUntil(lambda: any(f.isVisible() for f in hotline.findChildren(NewCallerForm)))
        for form in hotline.findChildren(NewCallerForm):
            if form.isVisible():
                form.reject()
    assert [p.call_id for p in bar.pending_calls()] == ["call-C", "call-D"]
    assert "2" in bar.pending_title.text() and bar.pending_title.isVisible()
    finishes = _pending_buttons(hotline)
    assert len(finishes) == 2 and not any(b.isEnabled() for b in finishes)  # a wrap-up code first
    combo = finishes[0].parentWidget().findChild(QComboBox, "callBarPendingWrapUp")
    combo.setCurrentIndex(CODES.index("other"))
    assert finishes[0].isEnabled()
    finishes[0].click()
    qtbot.waitUntil(lambda: [p.call_id for p in bar.pending_calls()] == ["call-D"])
    assert bar.call_id == "call-E" and "1" in bar.pending_title.text()


def test_the_same_call_popped_again_keeps_its_time_and_wrap_up(
    qtbot: QtBot, hotline: FrontDesk, clock: ManualClock,
) -> None:
    bar = hotline.call_bar
    hotline.handle_screen_pop(CALLER, ["cust-0"], call_id="call-F")
    clock.advance(seconds=20)
    bar.wrap_up.setCurrentIndex(0)
    hotline.handle_screen_pop(CALLER, ["cust-0"], call_id="call-F")  # the event delivered twice
    assert bar.call_id == "call-F" and not bar.pending_calls()
    assert bar.wrap_up.currentIndex() == 0 and bar.elapsed_seconds() == 20


def later_page(changes: list[tuple[str, dict[str, Any]]]) -> PullPage:
    """A page after the seed's (an older page than the cursor is ignored)."""
    first = pull_page(seed_changes()).cursor
    page = pull_page(changes)
    return PullPage(scope=page.scope, changes=[c.model_copy(update={"seq": first + c.seq}) for c in page.changes],
                    cursor=first + page.cursor, has_more=False)


def _timeline_text(hotline: FrontDesk, record_id: str) -> str:
    model = hotline.card.timeline_model
    for row in range(model.rowCount()):
        entry = model.entry(row)
        if entry is not None and entry.record.id == record_id:
            return str(model.index(row, TimelineModel.SUMMARY).data(Qt.ItemDataRole.DisplayRole))
    raise AssertionError(f"{record_id} is not in the timeline")


def test_the_screen_pop_s_call_reads_as_a_call_in_the_timeline(qtbot: QtBot, hotline: FrontDesk, store: Store) -> None:
    at = NOW - timedelta(hours=2)
    popped = {"office_id": OFFICE, "version": 1, "customer_id": "cust-0", "channel": "hotline", "type": "call",
              "staff_id": "staff-1", "caller_number": CALLER}
    store.apply_pull_page(later_page([
        # What the server records when the call reaches the agent: no words of its own.
        ("interaction", popped | {"id": "pop-1", "call_id": "call-G", "at": at.isoformat()}),
        ("interaction", popped | {"id": "wrap-1", "call_id": "call-G", "at": (at + timedelta(minutes=3)).isoformat(),
                                  "summary": "话后小结：报修（通话 02:41）"}),
        ("interaction", popped | {"id": "pop-2", "call_id": "call-H", "at": (at + timedelta(minutes=9)).isoformat()}),
    ]))
    hotline.open_customer("cust-0")
    qtbot.waitUntil(lambda: any(e.record.id == "pop-2" for e in hotline.card.timeline_model.all_entries()))
    text = _timeline_text(hotline, "pop-1")
    assert text.startswith("来电 139****0000")  # masked as every screen masks a phone
    assert CALLER not in text
    assert time_text(at) in text  # when it came in
    assert "话后小结：报修（通话 02:41）" in text  # what came of it
    unwrapped = _timeline_text(hotline, "pop-2")  # no wrap-up (yet): the call, and no words it does not have
    assert unwrapped.startswith("来电 139****0000") and "话后小结" not in unwrapped
    assert _timeline_text(hotline, "wrap-1") == "话后小结：报修（通话 02:41）"  # a row with words keeps them


def test_calls_left_without_a_wrap_up_come_back_in_the_agent_s_next_session(
    qtbot: QtBot, store: Store, engine: EngineStub, clock: ManualClock, desk_loop: qasync.QEventLoop,
) -> None:
    context = make_context(store, engine, role="hotline")

    def session() -> FrontDesk:
        screen = FrontDesk(context, clock=clock)
        qtbot.addWidget(screen)
        screen.show()
        return screen

    first = session()
    first.handle_screen_pop(CALLER, ["cust-0"], call_id="call-K")
    qtbot.waitUntil(lambda: first.card.customer is not None and first.card.customer.id == "cust-0")
    clock.advance(seconds=40)
    first.call_bar.wrap_up.setCurrentIndex(CODES.index("complaint"))
    first.handle_screen_pop("13700000020", [], call_id="call-L")
    clock.advance(seconds=15)
    first.shutdown()  # signed out with one call on the bar and one pending
    drain(qtbot, desk_loop)
    first.close()

    second = session()  # the next session at this desk
    qtbot.waitUntil(lambda: len(second.call_bar.pending_calls()) == 2)
    kept, on_bar = second.call_bar.pending_calls()
    assert (kept.call_id, kept.code, kept.talk_seconds, kept.customer_id) == ("call-K", "complaint", 40, "cust-0")
    assert (on_bar.call_id, on_bar.code, on_bar.talk_seconds) == ("call-L", None, 15)
    assert second.call_bar.isVisible() and not second.call_bar.active
    assert not second.call_bar.current_row.isVisible() and not second.call_bar.end_button.isEnabled()  # no call on
    assert all(CALLER not in label.text() for label in second.call_bar.findChildren(type(second.call_bar.caller)))
    later = next(b for b in _pending_buttons(second) if b.parentWidget().call.call_id == "call-L")
    later.parentWidget().findChild(QComboBox, "callBarPendingWrapUp").setCurrentIndex(CODES.index("enquiry"))
    later.click()
    qtbot.waitUntil(lambda: [c.call_id for c in second.call_bar.pending_calls()] == ["call-K"])
    drain(qtbot, desk_loop)
    second.close()

    third = session()
    qtbot.waitUntil(lambda: bool(third.call_bar.pending_calls()))
    assert [c.call_id for c in third.call_bar.pending_calls()] == ["call-K"]  # finished ones stay finished
    assert not _call_records(store, "cust-0", "call-K")
