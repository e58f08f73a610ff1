"""Offline feedback at the hall desk (issue 12): the outbox count follows a change the moment it is saved,
F5 while the link is down says the desk is offline, and when the server's GD number replaces a provisional
P- number the status bar names both and the open ticket shows the new one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from desktop.sync.backoff import Backoff
from desktop.tickets import TicketsArea
from tests.desktop.journeys.conftest import Journey
from tests.desktop.journeys.test_clerk import accept_complaint, find_and_verify, walk_in
from tests.desktop.support import OFFSCREEN_NOISE
from tests.e2e.fault_proxy import FaultProxy
from tests.e2e.harness import Backend

pytestmark = [OFFSCREEN_NOISE, pytest.mark.slow, pytest.mark.e2e]


def test_offline_the_desk_says_so_and_tells_the_new_number(
    qtbot: QtBot, office: Backend, link: FaultProxy, desk_for: Callable[[str, str], Journey],
) -> None:
    journey = desk_for(link.url, "clerk1")
    front = find_and_verify(qtbot, journey, walk_in(office, journey))
    engine, window = journey.desk.engine, journey.window
    assert engine is not None
    link.partition()
    qtbot.waitUntil(lambda: engine.status.online is False and not engine.status.syncing, timeout=30000)

    # Saved offline: the count in the status bar follows at once, though no sync round will come for a while.
    engine._backoff = Backoff(base=3600.0, cap=3600.0)  # noqa: SLF001 - no new retry may refresh it for us
    queued = journey.store.outbox_size()
    offline = accept_complaint(qtbot, front, "离线受理：待上传条数立即更新")
    assert offline.provisional_number and offline.provisional_number.startswith("P-")
    qtbot.waitUntil(lambda: window.sync_status.outbox.text() == f"待上传 {queued + 1} 条", timeout=10000)

    # F5 while the link is down: the desk says it is offline (it used to say nothing).
    window.message_label.clear()
    journey.press("sync.now")
    assert "离线" in window.message_label.text()

    # The ticket is open in the tickets area when the link returns.
    tickets = journey.area("tickets")
    assert isinstance(tickets, TicketsArea)
    window.show_area("tickets")
    tickets.open_ticket(offline.id)
    qtbot.waitUntil(lambda: offline.provisional_number in tickets.detail.number.text(), timeout=10000)
    link.heal()
    journey.press("sync.now")  # tries at once, though the engine was backing off for an hour
    qtbot.waitUntil(lambda: (journey.store.ticket(offline.id) or offline).number is not None, timeout=60000)
    number = journey.store.ticket(offline.id).number  # type: ignore[union-attr]
    assert number is not None and number.startswith("GD")
    qtbot.waitUntil(lambda: number in window.message_label.text(), timeout=10000)
    assert offline.provisional_number in window.message_label.text()  # both numbers named
    qtbot.waitUntil(lambda: number in tickets.detail.number.text(), timeout=10000)
    journey.finish()
