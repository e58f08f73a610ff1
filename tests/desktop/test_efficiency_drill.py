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
