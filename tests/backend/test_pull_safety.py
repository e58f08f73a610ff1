"""Issue 13 item 15 (roles that never verify see masked identifiers) and item 1 (a row that cannot be
serialised never fails a pull page)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import update

from backend.db.engine import open_database
from backend.db.records import TicketRow
from backend.settings import database_url
from domain.identity import resident_id_check_char
from domain.masking import mask_phone, mask_resident_id
from tests.backend.desk import Desk
from tests.backend.server_process import ServerProcess
from tests.backend.test_workflow import create_connection

DeskFactory = Callable[[str], Desk]
SCOPE = "office:county-a"


def _since(desk: Desk, cursor: int) -> dict[tuple[str, str], dict[str, Any]]:
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    while True:
        response = desk.pull(SCOPE, cursor)
        assert response.status_code == 200, response.text
        page = response.json()
        rows.update({(c["entity"], c["id"]): c["data"] for c in page["changes"] if c["kind"] == "upsert"})
        cursor = page["cursor"]
        if not page["has_more"]:
            return rows


def _cursor(desk: Desk) -> int:
    answer = desk.client.get("/api/v1/sync/checksum", params={"scope": SCOPE}, headers=desk.headers)
    cursor: int = answer.json()["cursor"]
    return cursor


def test_department_staff_receive_masked_id_numbers_and_phones(desk: DeskFactory) -> None:
    clerk, marketing = desk("clerk_a"), desk("marketing_a")
    first17 = "11010119900307123"
    id_number = first17 + resident_id_check_char(first17)
    before = _cursor(clerk)
    customer = clerk.new_customer(id_number=id_number, phone="13912345678")
    full = _since(clerk, before)[("customer", customer["id"])]
    assert (full["id_number"], full["phone"]) == (id_number, "13912345678")
    masked = _since(marketing, before)[("customer", customer["id"])]
    assert (masked["id_number"], masked["phone"]) == (mask_resident_id(id_number), mask_phone("13912345678"))
    assert masked["version"] == full["version"]


def test_a_row_that_cannot_be_serialised_does_not_fail_the_page(server: ServerProcess, desk: DeskFactory) -> None:
    clerk = desk("clerk_a")
    before = _cursor(clerk)
    ticket = create_connection(clerk)
    deep: Any = "bottom"
    for _ in range(300):
        deep = {"d": deep}
    database = open_database(database_url(server.db))
    try:
        with database.write() as session:  # as a row stored before deep values were refused would be
            session.execute(update(TicketRow).where(TicketRow.id == ticket["entity_id"]).values(
                fields={"secret_note": "13700001234", "deep": deep}))
    finally:
        database.dispose()
    rows = _since(clerk, before)
    sent = rows[("ticket", ticket["entity_id"])]
    assert sent["fields"] == {} and sent["version"] == ticket["version"]
    assert any(entity == "customer" for entity, _ in rows)  # the rest of the page arrived
    logged = server.log_path.read_text(errors="replace")
    assert f"ticket {ticket['entity_id']} field 'fields' cannot be serialised" in logged
    assert "13700001234" not in logged
