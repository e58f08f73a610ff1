"""Presence in the ticket detail: two staff signed in to a real backend process on one ticket see each other;
the Qt-free formatting and activity choice in desktop.tickets.presence."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop.actions import ActionRegistry
from desktop.context import DeskContext
from desktop.settings import Settings
from desktop.sync.client import ApiClient
from desktop.sync.tokens import MemoryTokenStore
from desktop.tickets.detail import TicketDetail
from desktop.tickets.presence import Colleague, PresenceWords, choose_activity, colleagues_here, presence_text
from domain.catalogue import load_catalogue
from domain.records import Staff
from domain.sync import PullPage
from local_store import Store
from tests.backend.coordination import set_clock
from tests.backend.desk import FIXED_NOW, Desk
from tests.backend.test_workflow import create_connection
from tests.harness.databases import PASSWORD, prepare
from tests.harness.ports import dead_url
from tests.harness.processes import ServerProcess, start_server

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
OFFICE = "county-p"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    tmp = tmp_path_factory.mktemp("presence")
    db = str(tmp / "server.db")
    prepare(db, {"clerk_p": ("clerk", OFFICE, None, "李明"), "marketing_p": ("department", OFFICE, "marketing", "张建华")})
    process = start_server(db, tmp)
    yield process
    process.stop()


class OnlineEngine:
    def __init__(self, client: ApiClient) -> None:
        self.client = client

    def notify_local_change(self) -> None:
        pass


def wait_for(qtbot: QtBot, coroutine: Coroutine[Any, Any, Any]) -> Any:
    task = asyncio.ensure_future(coroutine)
    qtbot.waitUntil(task.done, timeout=15000)
    return task.result()


@pytest.fixture
def ticket_id(server: ServerProcess) -> str:
    set_clock(server, FIXED_NOW)
    clerk = Desk(server.url, "clerk_p")
    try:
        ticket_id: str = create_connection(clerk)["record"]["id"]
        return ticket_id
    finally:
        clerk.close()


@pytest.fixture
def desk_store(tmp_path: Path, server: ServerProcess, ticket_id: str) -> Iterator[Store]:
    """One local store filled from the office scope (both details read it; presence itself is server-side)."""
    store = Store.open(tmp_path / "desk.db", os.urandom(32), desk_code="P1")
    reader = Desk(server.url, "clerk_p")
    try:
        cursor, more = 0, True
        while more:
            response = reader.pull(f"office:{OFFICE}", cursor)
            assert response.status_code == 200, response.text
            page = PullPage.model_validate_json(response.content)
            store.apply_pull_page(page)
            cursor, more = page.cursor, page.has_more
    finally:
        reader.close()
    yield store
    store.close()


@pytest.fixture
def sign_in(server: ServerProcess, qtbot: QtBot, desk_loop: qasync.QEventLoop) -> Iterator[Any]:
    clients: list[ApiClient] = []

    def login(username: str) -> ApiClient:
        client = ApiClient(server.url)
        clients.append(client)
        wait_for(qtbot, client.login(username, PASSWORD, f"desk-{username}-{len(clients)}"))
        return client

    yield login
    for client in clients:
        wait_for(qtbot, client.aclose())


@pytest.fixture
def open_detail(qtbot: QtBot, desk_store: Store, desk_loop: qasync.QEventLoop) -> Iterator[Any]:
    opened: list[TicketDetail] = []

    def show(client: ApiClient, staff: dict[str, Any], ticket: str) -> TicketDetail:
        settings = Settings()
        context = DeskContext(store=desk_store, staff=Staff.model_validate(staff), settings=settings,
                              actions=ActionRegistry(settings), engine=OnlineEngine(client))
        detail = TicketDetail(context, load_catalogue(), lambda: FIXED_NOW)
        qtbot.addWidget(detail)
        detail.show()
        opened.append(detail)
        detail.show_ticket(ticket)
        qtbot.waitUntil(lambda: detail.bundle is not None, timeout=5000)
        settle(qtbot, detail)
        return detail

    yield show
    for detail in opened:
        detail.shutdown()


def settle(qtbot: QtBot, detail: TicketDetail) -> None:
    """Wait for the heartbeat in flight (if any) to land."""
    qtbot.waitUntil(lambda: detail._beat_task is None or detail._beat_task.done(), timeout=10000)


def shown(detail: TicketDetail) -> str:
    label = detail.findChild(QLabel, "ticketPresence")
    return label.text() if label.isVisibleTo(detail) else ""


def beat(qtbot: QtBot, detail: TicketDetail) -> str:
    detail.beat()
    settle(qtbot, detail)
    return shown(detail)


def test_two_staff_on_one_ticket_see_each_other(qtbot: QtBot, server: ServerProcess, ticket_id: str,
                                                sign_in: Any, open_detail: Any) -> None:
    clerk, marketing = sign_in("clerk_p"), sign_in("marketing_p")
    assert clerk.session is not None and marketing.session is not None
    hall = open_detail(clerk, clerk.session.staff, ticket_id)
    assert shown(hall) == ""  # alone: nothing to say
    assert hall._heartbeat.isActive() and hall._heartbeat.interval() == 10_000
    label = hall.findChild(QLabel, "ticketPresence")
    assert label.accessibleName()

    back_office = open_detail(marketing, marketing.session.staff, ticket_id)
    assert shown(back_office) == "也在查看：李*"
    assert beat(qtbot, hall) == "也在查看：张**（营销）"

    hall.note_text.setPlainText("已电话联系客户")  # a note being written counts as editing
    assert hall.activity() == "editing"
    beat(qtbot, hall)
    assert beat(qtbot, back_office) == "正在编辑：李*"

    # The clerk's desk goes quiet for longer than the presence window: the next heartbeat drops them.
    set_clock(server, FIXED_NOW + timedelta(seconds=31))
    assert beat(qtbot, back_office) == ""

    hall.show_ticket(None)
    assert not hall._heartbeat.isActive() and shown(hall) == ""
    back_office.shutdown()
    assert not back_office._heartbeat.isActive()
    back_office.beat()
    assert back_office._beat_task is None  # shut down: no more heartbeats


def test_offline_desk_hides_presence_and_says_nothing(qtbot: QtBot, ticket_id: str, sign_in: Any,
                                                      open_detail: Any) -> None:
    clerk = sign_in("clerk_p")
    assert clerk.session is not None
    down = ApiClient(dead_url(), token_store=MemoryTokenStore("refresh-token"))
    try:
        detail = open_detail(down, clerk.session.staff, ticket_id)
        assert detail._beat_task is not None and detail._beat_task.done()  # it did try
        assert shown(detail) == "" and detail._heartbeat.isActive()
    finally:
        wait_for(qtbot, down.aclose())


# ---- Qt-free --------------------------------------------------------------------------------------

WORDS = PresenceWords()
DEPARTMENTS = {"marketing": "营销", "metering": "计量"}


def staff(staff_id: str, department: str | None) -> Staff:
    return Staff(id=staff_id, office_id=OFFICE, username=staff_id, display_name=staff_id, role="department",
                 department=department)


def test_activity_is_editing_while_a_dialog_or_a_note_is_open() -> None:
    assert choose_activity(dialog_open=False, note_focused=False, note_drafted=False) == "viewing"
    assert choose_activity(dialog_open=True, note_focused=False, note_drafted=False) == "editing"
    assert choose_activity(dialog_open=False, note_focused=True, note_drafted=False) == "editing"
    assert choose_activity(dialog_open=False, note_focused=False, note_drafted=True) == "editing"


def test_colleagues_merge_sessions_skip_me_and_know_departments() -> None:
    answer = [
        {"staff_id": "s-zhang", "display_name": "张建华", "activity": "viewing"},
        {"staff_id": "me", "display_name": "王小明", "activity": "editing"},
        {"staff_id": "s-li", "display_name": "李明", "activity": "viewing"},
        {"staff_id": "s-zhang", "display_name": "张建华", "activity": "editing"},  # a second desk of theirs
        {"staff_id": "s-li", "display_name": "李明", "activity": "viewing"},
    ]
    people = colleagues_here(answer, [staff("s-zhang", "marketing")], me="me")
    assert people == [Colleague("s-zhang", "张建华", "editing", "marketing"), Colleague("s-li", "李明", "viewing")]


def test_line_names_viewers_then_editors_masked() -> None:
    people = [Colleague("a", "张建华", "viewing", "marketing"), Colleague("b", "欧阳明月", "viewing", "metering"),
              Colleague("c", "李明", "editing")]
    text = presence_text(people, WORDS, DEPARTMENTS.__getitem__)
    assert text == "也在查看：张**（营销）、欧阳**（计量） / 正在编辑：李*"
    assert presence_text([Colleague("c", "李明", "editing")], WORDS, DEPARTMENTS.__getitem__) == "正在编辑：李*"
    assert presence_text([], WORDS, DEPARTMENTS.__getitem__) == ""
    english = PresenceWords(viewing="Also viewing: %1", editing="Editing: %1", with_department="%1 (%2)",
                            name_separator=", ", part_separator="; ")
    assert presence_text(people, english, {"marketing": "Marketing", "metering": "Metering"}.__getitem__) == (
        "Also viewing: 张** (Marketing), 欧阳** (Metering); Editing: 李*")
