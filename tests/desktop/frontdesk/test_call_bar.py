"""The hotline call bar: a call shows the caller (masked until verified) and its ticking time; 结束通话 with a
wrap-up code records it on the call and closes the bar; the bar's timer stops with the screen."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop.actions import ACTION_SPECS, ActionRegistry
from desktop.frontdesk import FrontDesk
from desktop.frontdesk.call_bar import WRAP_UP_CODES, call_duration
from desktop.frontdesk.screen_pop import NewCallerForm
from desktop.settings import Settings
from domain.records import Interaction
from local_store import Store
from tests.desktop.support import OFFSCREEN_NOISE, EngineStub

from .conftest import ManualClock, make_context

pytestmark = OFFSCREEN_NOISE
CALLER = "13900000000"  # cust-0's phone


@pytest.fixture
def hotline(qtbot: QtBot, store: Store, engine: EngineStub, clock: ManualClock) -> FrontDesk:
    screen = FrontDesk(make_context(store, engine, role="hotline"), clock=clock)
    qtbot.addWidget(screen)
    screen.show()
    return screen


def test_a_call_shows_the_masked_caller_and_its_time_and_the_wrap_up_is_recorded_on_the_call(
    qtbot: QtBot, hotline: FrontDesk, store: Store, clock: ManualClock,
) -> None:
    bar = hotline.call_bar
    assert not bar.isVisible()
    hotline.handle_screen_pop(CALLER, ["cust-0"], call_id="call-9")
    qtbot.waitUntil(lambda: hotline.card.customer is not None and hotline.card.customer.id == "cust-0")
    assert bar.isVisible() and bar.timer.isActive()
    assert CALLER not in bar.caller.text() and "139" in bar.caller.text()  # masked: not verified yet
    assert bar.duration.text() == "00:00"
    clock.advance(seconds=65)
    bar.timer.timeout.emit()
    assert bar.duration.text() == "01:05"

    end = bar.findChild(QPushButton, "callBarEnd")
    assert not end.isEnabled()  # a wrap-up code first
    bar.wrap_up.setCurrentIndex([code for code, _ in WRAP_UP_CODES].index("repair"))
    assert end.isEnabled()
    end.click()
    qtbot.waitUntil(lambda: not bar.isVisible())
    assert not bar.timer.isActive() and hotline.caller_number is None
    calls = [e.record for e in store.customer_timeline("cust-0")
             if isinstance(e.record, Interaction) and e.record.call_id == "call-9"]
    assert [(c.channel, c.caller_number, c.staff_id) for c in calls] == [("hotline", CALLER, hotline._context.staff.id)]
    assert "报修" in calls[0].summary and "01:05" in calls[0].summary


def test_the_verified_caller_s_number_is_shown_in_full(qtbot: QtBot, hotline: FrontDesk) -> None:
    hotline.handle_screen_pop(CALLER, ["cust-0"], call_id="call-10")
    assert CALLER not in hotline.call_bar.caller.text()
    hotline.call_bar.reveal()
    assert CALLER in hotline.call_bar.caller.text()


def test_the_bar_s_timer_stops_when_the_screen_shuts_down(qtbot: QtBot, hotline: FrontDesk) -> None:
    hotline.handle_screen_pop(CALLER, ["cust-0"], call_id="call-11")
    assert hotline.call_bar.timer.isActive()
    hotline.shutdown()
    assert not hotline.call_bar.timer.isActive()


def test_call_duration_reads_minutes_and_seconds_then_hours() -> None:
    assert [call_duration(s) for s in (0, 59, 61, 3600 + 125)] == ["00:00", "00:59", "01:01", "1:02:05"]


def test_the_simulated_call_exists_in_demo_mode_only(qapp: QApplication) -> None:
    settings = Settings()
    demo, normal = ActionRegistry(settings, demo=True), ActionRegistry(settings)
    assert demo.has("demo.simulate_call") and not normal.has("demo.simulate_call")
    assert "demo.simulate_call" not in {spec.id for spec in ACTION_SPECS}  # nor in the shortcut table
    assert [a.objectName() for a in demo.all()][-2:] == ["demo.simulate_call", "app.quit"]  # before 退出


def test_a_call_from_an_unknown_number_puts_the_previous_card_away_and_the_wrap_up_goes_to_the_new_caller(
    qtbot: QtBot, hotline: FrontDesk, store: Store,
) -> None:
    hotline.open_customer("cust-1")
    qtbot.waitUntil(lambda: hotline.customer_on_screen() is not None)
    hotline.handle_screen_pop("13700000001", [], call_id="call-12")
    assert hotline.customer_on_screen() is None  # not the previous caller's card (F3/F4 would act on them)
    qtbot.waitUntil(lambda: any(f.isVisible() for f in hotline.findChildren(NewCallerForm)))
    form = next(f for f in hotline.findChildren(NewCallerForm) if f.isVisible())
    form.findChild(QLineEdit, "newCallerName").setText("赵新")
    form.submit()
    qtbot.waitUntil(lambda: (c := hotline.customer_on_screen()) is not None and c.name == "赵新")
    new_id = hotline.customer_on_screen().id
    bar = hotline.call_bar
    bar.wrap_up.setCurrentIndex(0)
    bar.end_button.click()
    qtbot.waitUntil(lambda: not bar.isVisible())
    wrap_ups = [e.record for e in store.customer_timeline(new_id)
                if isinstance(e.record, Interaction) and e.record.summary.startswith("话后小结")]
    assert [(w.call_id, w.caller_number) for w in wrap_ups] == [("call-12", "13700000001")]
    assert not [e for e in store.customer_timeline("cust-1")
                if isinstance(e.record, Interaction) and e.record.call_id == "call-12"]


def test_the_bar_keeps_its_height_when_the_card_is_put_away(qtbot: QtBot, hotline: FrontDesk) -> None:
    hotline.resize(1400, 900)
    hotline.handle_screen_pop("13700000002", [], call_id="call-13")
    qtbot.waitUntil(lambda: hotline.call_bar.isVisible())
    QApplication.processEvents()
    assert hotline.call_bar.height() <= hotline.call_bar.sizeHint().height()  # the placeholder does not stretch it
