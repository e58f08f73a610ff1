"""Storm mode on the front desk (docs/outage.md): with a live outage and a surge of outage calls, the screen leads
with the live outages and links the call in progress in one click, the caller not yet found (queued for the
server, once per call); when the calls of the window grow old the strip goes away. Outside a storm it is hidden."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop.frontdesk import FrontDesk
from local_store import Store
from tests.desktop.frontdesk.test_outage_notice import place_customer_zero_in_an_outage
from tests.desktop.support import OFFSCREEN_NOISE, settled
from tests.harness.clocks import FixedClock

from .conftest import OFFICE

pytestmark = OFFSCREEN_NOISE


def _calls(store: Store, count: int) -> None:
    for _ in range(count):
        store.link_call_to_outage(office_id=OFFICE, customer_id=None, event_id="outage-1", summary="停电")


def test_a_surge_of_outage_calls_puts_the_live_outages_first(qtbot: QtBot, desk: FrontDesk, store: Store,
                                                             clock: FixedClock) -> None:
    strip = desk.outage_strip
    place_customer_zero_in_an_outage(store)
    _calls(store, 19)
    strip.watch.reread()
    settled(qtbot)
    assert not strip.isVisible()  # a live outage and 19 calls: not yet a storm

    _calls(store, 1)
    strip.watch.reread()
    qtbot.waitUntil(strip.isVisible)
    assert strip.headline.text().startswith("停电来电高峰：近 10 分钟 20 个停电来电，1 起停电事件")
    assert [e.id for e in strip.events] == ["outage-1"]
    (button,) = strip.buttons
    assert not button.isEnabled()  # no call on this desk

    desk.handle_screen_pop("13800009999", [], call_id="call-storm-1")
    assert button.isEnabled()
    button.click()
    settled(qtbot)
    qtbot.waitUntil(lambda: "21 个停电来电" in strip.headline.text())  # the strip read again, with this call
    (button,) = strip.buttons
    assert not button.isEnabled()
    linked = [m for m in store.pending_mutations() if m.entity == "interaction" and m.fields.get("call_id")]
    assert len(linked) == 1
    assert linked[0].fields["outage_event_id"] == "outage-1" and linked[0].fields["customer_id"] is None
    assert linked[0].fields["caller_number"] == "13800009999"
    strip.call_changed()
    assert not button.isEnabled()  # the same call is not linked twice

    clock.advance(minutes=11)  # the window slid past every call
    strip.watch.reread()
    qtbot.waitUntil(lambda: not strip.isVisible())
