"""A ticket's state follows its first taken stage, on the desk too (issue 12): a repair the hotline filed is
已受理; once 调度 takes its first stage the server moves it to 处理中, and the desk that took it shows so."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from desktop.tickets.area import TicketsArea
from tests.desktop.journeys.conftest import Journey
from tests.desktop.journeys.test_department import click, repair_from_the_hotline
from tests.desktop.support import OFFSCREEN_NOISE
from tests.e2e.harness import Backend

pytestmark = [OFFSCREEN_NOISE, pytest.mark.slow, pytest.mark.e2e]


def test_taking_the_first_stage_shows_the_ticket_in_progress(
    qtbot: QtBot, office: Backend, desk_for: Callable[[str, str], Journey],
) -> None:
    journey = desk_for(office.url, "hotline1")
    ticket_id = repair_from_the_hotline(qtbot, office, journey)
    journey.switch_to("dispatch1")
    area = journey.area("tickets")
    assert isinstance(area, TicketsArea)
    area.open_ticket(ticket_id)
    detail = area.detail
    qtbot.waitUntil(lambda: detail.bundle is not None and detail.bundle.ticket.id == ticket_id
                    and any(t.stage_code == "accept_dispatch" for t in detail.bundle.tasks), timeout=15000)
    assert detail.bundle.ticket.state == "accepted" and "已受理" in detail.summary.text()
    task = next(t for t in detail.bundle.tasks if t.stage_code == "accept_dispatch")
    detail.select_task(task.id)
    click(area, "stageAction_taken")
    qtbot.waitUntil(lambda: office.query("SELECT state FROM ticket WHERE id = ?", ticket_id) == [("in_progress",)],
                    timeout=30000)
    qtbot.waitUntil(lambda: detail.bundle is not None and detail.bundle.ticket.state == "in_progress", timeout=30000)
    assert "处理中" in detail.summary.text()
    journey.finish()
