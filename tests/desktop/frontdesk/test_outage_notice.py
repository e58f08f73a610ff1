"""The outage notice on the customer card (docs/outage.md): a customer inside a live event sees the reason and
the estimated restoration, and one click links the call to the event (queued for the server) instead of a
new repair ticket; a customer outside every event sees nothing; an event that is over disappears."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from desktop.frontdesk import FrontDesk
from local_store import Store
from tests.desktop.support import OFFSCREEN_NOISE

from .conftest import NOW, OFFICE, account_data, open_card, pull_page

pytestmark = OFFSCREEN_NOISE


def _device(device_id: str, kind: str, parent: str | None) -> dict[str, Any]:
    return {"id": device_id, "office_id": OFFICE, "version": 1, "device_kind": kind, "parent_id": parent,
            "name": f"设备{device_id}", "area_class": "urban"}


def _event(state: str = "active", version: int = 1) -> dict[str, Any]:
    return {"id": "outage-1", "office_id": OFFICE, "version": version, "outage_kind": "fault", "state": state,
            "device_ids": ["B1"], "reason": "10kV岚城1线2号分支熔断器故障", "starts_at": NOW.isoformat(),
            "ends_at": (NOW + timedelta(hours=3)).isoformat(), "created_at": NOW.isoformat()}


def place_customer_zero_in_an_outage(store: Store) -> None:
    changes = [("grid_device", _device("F1", "feeder", None)), ("grid_device", _device("B1", "branch", "F1")),
               ("grid_device", _device("T1", "transformer", "B1")), ("grid_device", _device("T2", "transformer", "F1")),
               ("account", account_data(0) | {"version": 2, "transformer_id": "T1"}),
               ("account", account_data(1) | {"version": 2, "transformer_id": "T2"}),
               ("outage_event", _event())]
    page = pull_page(changes)
    store.apply_pull_page(page.model_copy(update={
        "changes": [c.model_copy(update={"seq": 100 + c.seq}) for c in page.changes], "cursor": 200}))


def notice(desk: FrontDesk) -> tuple[QLabel, QPushButton]:
    card = desk.card
    return card.findChild(QLabel, "outageNoticeText"), card.findChild(QPushButton, "linkOutage")


def test_a_caller_inside_an_outage_is_told_and_the_call_linked_once(qtbot: QtBot, desk: FrontDesk,
                                                                     store: Store) -> None:
    place_customer_zero_in_an_outage(store)
    open_card(qtbot, desk)
    qtbot.waitUntil(lambda: desk.card.outage_notice.isVisible())
    text, button = notice(desk)
    assert text.text().startswith("您所在区域有停电：10kV岚城1线2号分支熔断器故障；预计恢复时间：")
    assert text.textFormat() == Qt.TextFormat.PlainText
    assert button.isEnabled()

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not button.isEnabled() and button.text() == "已关联到停电事件")
    linked = [m for m in store.pending_mutations() if m.entity == "interaction"]
    assert len(linked) == 1 and linked[0].fields["outage_event_id"] == "outage-1"
    assert linked[0].fields["customer_id"] == "cust-0"


def test_a_caller_outside_every_outage_sees_no_notice(qtbot: QtBot, desk: FrontDesk, store: Store) -> None:
    place_customer_zero_in_an_outage(store)
    open_card(qtbot, desk, "cust-1")  # T2 hangs from the feeder, outside the branch that is out
    qtbot.waitUntil(lambda: desk.card.accounts_model.rowCount() == 1)
    open_card(qtbot, desk, "cust-0")
    qtbot.waitUntil(lambda: desk.card.outage_notice.isVisible())
    open_card(qtbot, desk, "cust-1")
    qtbot.waitUntil(lambda: not desk.card.outage_notice.isVisible())


def test_an_outage_that_is_over_leaves_the_card(qtbot: QtBot, desk: FrontDesk, store: Store) -> None:
    place_customer_zero_in_an_outage(store)
    open_card(qtbot, desk)
    qtbot.waitUntil(lambda: desk.card.outage_notice.isVisible())
    page = pull_page([("outage_event", _event("restored", version=2))])
    store.apply_pull_page(page.model_copy(update={
        "changes": [c.model_copy(update={"seq": 300}) for c in page.changes], "cursor": 300}))
    desk.card.reload()
    qtbot.waitUntil(lambda: not desk.card.outage_notice.isVisible())
