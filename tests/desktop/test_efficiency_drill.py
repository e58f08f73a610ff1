"""The tickets behind a tile, from the desk's own store: 办结 in the period means closed as the server counts it."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path

from desktop.efficiency import data
from tests.local_store.conftest import OFFICE, ManualClock, open_test_store, page, seed, ticket_data


def test_a_ticket_cancelled_in_the_period_is_not_behind_the_closed_count(tmp_path: Path) -> None:
    """Seen on the demo: a cancelled ticket (it has a closed_at too) made the list one longer than the server's
    办结 count (28 against 27) on the days its cancellation fell in last month."""
    store = open_test_store(tmp_path / "desk.db", os.urandom(32), ManualClock())
    try:
        seed(store, customers=3)
        store.apply_pull_page(page([
            ("ticket", ticket_data(0, 0, version=2, state="closed", closed_at="2025-03-10T02:00:00Z")),
            ("ticket", ticket_data(1, 1, version=2, state="cancelled", closed_at="2025-03-11T02:00:00Z")),
            ("ticket", ticket_data(2, 2, version=2, state="closed", closed_at="2025-02-27T02:00:00Z")),
        ], cursor=20, start_seq=20))
        now = datetime(2025, 3, 31, tzinfo=UTC)
        closed = data.drill_tickets(store, OFFICE, "closed", date(2025, 3, 1), date(2025, 3, 31), now)
        assert [t.id for t in closed] == ["tick-0"]
        accepted = data.drill_tickets(store, OFFICE, "accepted", date(2025, 3, 1), date(2025, 3, 31), now)
        assert {t.id for t in accepted} == {"tick-0", "tick-1", "tick-2"}  # all three accepted 1–3 March
    finally:
        store.close()


def test_the_tickets_behind_the_asked_again_tiles(tmp_path: Path) -> None:
    """材料重复索要: accepted in the period, its customer asked again; 信息共享质量: a stage done in the period on which
    the customer or another department was asked again."""
    store = open_test_store(tmp_path / "desk.db", os.urandom(32), ManualClock())

    def stage(n: int, ticket: int, state: str, completed: str | None) -> dict[str, object]:
        return {"id": f"task-{n}", "office_id": OFFICE, "version": 1, "ticket_id": f"tick-{ticket}",
                "stage_code": "survey", "department": "marketing", "state": state,
                "opened_at": "2025-03-02T00:00:00Z", "completed_at": completed}

    def request(n: int, ticket: int, addressee: str) -> dict[str, object]:
        return {"id": f"req-{n}", "office_id": OFFICE, "version": 1, "ticket_id": f"tick-{ticket}",
                "stage_task_id": f"task-{ticket}", "department": "marketing", "addressee": addressee,
                "to_department": None if addressee == "customer" else "design",
                "materials": [], "detail": "补充", "reason": "不清晰", "requested_at": "2025-03-05T00:00:00Z"}

    try:
        seed(store, customers=3)
        store.apply_pull_page(page([
            ("stage_task", stage(0, 0, "done", "2025-03-20T00:00:00Z")),
            ("stage_task", stage(1, 1, "done", "2025-03-21T00:00:00Z")),
            ("stage_task", stage(2, 2, "taken", None)),
            ("info_request", request(0, 0, "customer")),  # tick-0: the customer asked again, its stage done
            ("info_request", request(1, 1, "department")),  # tick-1: another department asked, its stage done
            ("info_request", request(2, 2, "customer")),  # tick-2: the customer asked, the stage not done yet
        ], cursor=20, start_seq=20))
        now = datetime(2025, 3, 31, tzinfo=UTC)
        again = data.drill_tickets(store, OFFICE, "asked_again", date(2025, 3, 1), date(2025, 3, 31), now)
        assert {t.id for t in again} == {"tick-0", "tick-2"}
        asked = data.drill_tickets(store, OFFICE, "asked", date(2025, 3, 1), date(2025, 3, 31), now)
        assert {t.id for t in asked} == {"tick-0", "tick-1"}
        assert data.drill_tickets(store, OFFICE, "asked", date(2025, 3, 1), date(2025, 3, 20), now)[0].id == "tick-0"
        assert data.drill_tickets(store, OFFICE, "asked", date(2025, 3, 1), date(2025, 3, 31), now,
                                  department="design") == []
    finally:
        store.close()


def test_the_tickets_behind_the_trips_avoided_tile(tmp_path: Path) -> None:
    """客户少跑次数: accepted in the period and sparing the customer a trip — accepted online (tick-0, app), a request
    between departments (tick-1; tick-2's was withdrawn), a remote survey done (tick-3; tick-4's on site)."""
    store = open_test_store(tmp_path / "desk.db", os.urandom(32), ManualClock())

    def request(n: int, state: str) -> dict[str, object]:
        return {"id": f"req-{n}", "office_id": OFFICE, "version": 1, "ticket_id": f"tick-{n}",
                "stage_task_id": f"task-{n}", "department": "marketing", "addressee": "department",
                "to_department": "design", "materials": [], "detail": "图纸", "reason": "要图纸", "state": state,
                "requested_at": "2025-03-05T00:00:00Z"}

    def survey(n: int, mode: str) -> dict[str, object]:
        return {"id": f"sv-{n}", "office_id": OFFICE, "version": 1, "ticket_id": f"tick-{n}", "mode": mode,
                "state": "done"}

    try:
        seed(store, customers=5)
        store.apply_pull_page(page([
            ("ticket", ticket_data(0, 0, version=2, channel="app")),
            ("info_request", request(1, "open")), ("info_request", request(2, "withdrawn")),
            ("survey_assignment", survey(3, "remote")), ("survey_assignment", survey(4, "on_site")),
        ], cursor=30, start_seq=30))
        now = datetime(2025, 3, 31, tzinfo=UTC)
        found = data.drill_tickets(store, OFFICE, "trips", date(2025, 3, 1), date(2025, 3, 31), now)
        assert {t.id for t in found} == {"tick-0", "tick-1", "tick-3"}
        assert data.drill_tickets(store, OFFICE, "trips", date(2025, 4, 1), date(2025, 4, 30), now) == []
    finally:
        store.close()
