"""Dispatch board fixtures: a qasync loop, a real encrypted Store filled by pull pages (surveyors, surveys,
tickets), a dispatcher's DeskContext, and the board on a fixed clock (Tuesday 4 March 2025, 07:00 office time)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop import messages
from desktop.actions import ActionRegistry
from desktop.context import DeskContext
from desktop.dispatch import DispatchBoard
from desktop.operations import drop_connection
from desktop.settings import Settings
from domain.records import Staff
from domain.sync import Change, PullPage
from local_store import Store
from tests.desktop.support import EngineStub
from tests.harness.clocks import TickingClock

OFFICE = "office-d"
SCOPE = f"office:{OFFICE}"
NOW = datetime(2025, 3, 3, 23, 0, tzinfo=UTC)  # Tuesday 4 March 2025, 07:00 in the office


def office_time(hour: int, minute: int = 0, day: int = 0) -> datetime:
    return NOW + timedelta(days=day, hours=hour - 7, minutes=minute)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "desk.db", os.urandom(32), clock=TickingClock(NOW), desk_code="D1")
    try:
        yield opened
    finally:
        opened.close()


class Server:
    """Sends pull pages to the desk's store the way the sync engine applies them."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._seq = itertools.count(1)

    def send(self, *rows: tuple[str, dict[str, Any]]) -> None:
        changes = [Change(seq=next(self._seq), entity=entity, id=data["id"], kind="upsert", version=data["version"],
                          data=data) for entity, data in rows]
        self.store.apply_pull_page(PullPage(scope=SCOPE, changes=changes, cursor=changes[-1].seq, has_more=False))


def surveyor_data(n: int, *, skills: list[str], territories: list[str] | None = None, capacity: int = 4,
                  home: tuple[float, float] = (0.0, 0.0)) -> dict[str, Any]:
    return {"id": f"sv-{n}", "office_id": OFFICE, "version": 1, "name": ["李勘查", "王勘查", "赵勘查", "钱勘查"][n],
            "territories": territories or ["城关"], "skills": skills, "home_x_km": home[0], "home_y_km": home[1],
            "daily_capacity": capacity}


def survey_rows(n: int, *, skill: str = "low_voltage", mode: str = "on_site", state: str = "unassigned",
                surveyor: str | None = None, start: datetime | None = None, minutes: int = 60,
                due_hours: float = 48) -> list[tuple[str, dict[str, Any]]]:
    """A ticket, its survey stage task and the survey assignment the server opened for it."""
    ticket = {"id": f"tick-{n}", "office_id": OFFICE, "version": 1, "number": f"GD2025030400{n:04d}",
              "type_code": "connection_residential", "channel": "hall", "customer_id": "cust-1",
              "state": "in_progress", "accepted_at": (NOW - timedelta(days=1)).isoformat(),
              "due_at": (NOW + timedelta(days=5)).isoformat()}
    task = {"id": f"task-{n}", "office_id": OFFICE, "version": 1, "ticket_id": f"tick-{n}", "stage_code": "survey",
            "department": "marketing", "state": "open", "opened_at": (NOW - timedelta(days=1)).isoformat(),
            "due_at": (NOW + timedelta(hours=due_hours)).isoformat()}
    survey = {"id": f"sa-{n}", "office_id": OFFICE, "version": 1, "ticket_id": f"tick-{n}", "stage_task_id": f"task-{n}",
              "mode": mode, "state": state, "territory": "城关", "required_skill": skill, "surveyor_id": surveyor,
              "start": start.isoformat() if start else None,
              "end": (start + timedelta(minutes=minutes)).isoformat() if start else None,
              "customer_id": "cust-1", "location_x_km": 3.0, "location_y_km": 4.0, "duration_minutes": minutes,
              "due_at": (NOW + timedelta(hours=due_hours)).isoformat()}
    return [("ticket", ticket), ("stage_task", task), ("survey_assignment", survey)]


@pytest.fixture
def server(store: Store) -> Server:
    server = Server(store)
    server.send(("customer", {"id": "cust-1", "office_id": OFFICE, "version": 1, "name": "张伟", "customer_class": "03"}))
    return server


@pytest.fixture
def office(server: Server) -> Server:
    """Three surveyors: sv-0 low voltage, sv-1 high voltage only, sv-2 low voltage + video with a full day."""
    server.send(
        ("surveyor", surveyor_data(0, skills=["low_voltage"])),
        ("surveyor", surveyor_data(1, skills=["high_voltage"])),
        ("surveyor", surveyor_data(2, skills=["low_voltage", "remote_video"], capacity=1)),
        *survey_rows(1),
        *survey_rows(2),
        *survey_rows(9, state="assigned", surveyor="sv-2", start=office_time(9)),
    )
    return server


@pytest.fixture
def context(qapp: QApplication, store: Store) -> DeskContext:
    staff = Staff(id="s-disp", office_id=OFFICE, version=1, username="disp", display_name="派工员", role="dispatcher")
    settings = Settings()
    return DeskContext(store=store, staff=staff, settings=settings, actions=ActionRegistry(settings),
                       engine=EngineStub())


class Said:
    """Every sentence sent through the message bridge during a test."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, str]] = []
        self._connection = messages.bridge().message.connect(self._heard)

    def _heard(self, level: str, text: str, _details: str) -> None:
        self.lines.append((level, text))

    def close(self) -> None:
        drop_connection(self._connection)

    def warnings(self) -> list[str]:
        return [text for level, text in self.lines if level == "warning"]


@pytest.fixture
def said() -> Iterator[Said]:
    listener = Said()
    yield listener
    listener.close()


@pytest.fixture
def board(qtbot: QtBot, desk_loop: qasync.QEventLoop, context: DeskContext, office: Server) -> DispatchBoard:
    widget = DispatchBoard(context, clock=lambda: NOW, batch_time_limit_s=10.0)
    qtbot.addWidget(widget)
    widget.resize(1400, 800)
    widget.show()
    qtbot.waitUntil(lambda: widget.day is not None and widget.queue_model.rowCount() == 2, timeout=5000)
    return widget
