"""The customer card over a real store: masked header, accounts, open tickets counting down, timeline."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel
from pytestqt.qtbot import QtBot

from desktop import operations
from desktop.frontdesk import FrontDesk
from desktop.frontdesk.card_models import SLA_COLOURS, OpenTicketsModel
from desktop.frontdesk.timeline import TimelineModel
from domain.sla import SlaState
from local_store import Store
from tests.desktop.support import OFFSCREEN_NOISE, settled

from .conftest import OFFICE, ManualClock, customer_data, open_card, pull_page, seed_changes

pytestmark = OFFSCREEN_NOISE


def texts(model, column: int) -> list[str]:
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def test_the_header_is_masked_until_verified(qtbot: QtBot, desk: FrontDesk) -> None:
    open_card(qtbot, desk)
    card = desk.card
    assert card.findChild(QLabel, "customerName").text() == "张*"
    assert card.findChild(QLabel, "customerIdNumber").text() == "110101********" + customer_data(0)["id_number"][-4:]
    assert card.findChild(QLabel, "customerPhone").text() == "139****0000"
    assert card.findChild(QLabel, "verificationStatus").text() == "未核验：个人信息已遮蔽"
    assert not card.reveal_button.isEnabled()
    card.reveal()  # without a passed verification nothing is revealed
    assert card.findChild(QLabel, "customerName").text() == "张*"


def test_accounts_with_meter_and_arrears(qtbot: QtBot, desk: FrontDesk, qtmodeltester) -> None:
    open_card(qtbot, desk, "cust-1")
    model = desk.card.accounts_model
    assert texts(model, model.ACCOUNT_NO) == ["3300000001"]
    assert texts(model, model.METER) == ["M000001"]
    assert texts(model, model.ARREARS) == ["123.45元"]
    qtmodeltester.check(model)


def test_open_tickets_count_down_and_change_colour(qtbot: QtBot, desk: FrontDesk, clock: ManualClock,
                                                    qtmodeltester) -> None:
    open_card(qtbot, desk)
    model: OpenTicketsModel = desk.card.tickets_model
    assert texts(model, model.NUMBER) == ["GD20250000"]  # the closed complaint is not listed
    qtmodeltester.check(model)

    def state() -> SlaState:
        return model.data(model.index(0, 0), OpenTicketsModel.SlaStateRole)

    def colour() -> object:
        return model.data(model.index(0, model.REMAINING), Qt.ItemDataRole.BackgroundRole).color()

    assert state() == SlaState.ON_TIME and colour() == SLA_COLOURS[SlaState.ON_TIME]
    assert model.data(model.index(0, model.REMAINING)) == "剩余2小时0分"
    clock.advance(minutes=90)
    changed: list[object] = []
    model.dataChanged.connect(lambda *args: changed.append(args))
    desk.card.tick()
    assert changed
    assert state() == SlaState.WARNING and colour() == SLA_COLOURS[SlaState.WARNING]
    assert model.data(model.index(0, model.REMAINING)) == "剩余30分0秒"
    assert model.data(model.index(0, model.SLA)) == "预警"
    clock.advance(hours=1)
    desk.card.tick()
    assert state() == SlaState.OVERDUE and colour() == SLA_COLOURS[SlaState.OVERDUE]
    assert model.data(model.index(0, model.REMAINING)) == "已超时30分0秒"


def test_the_countdown_timer_runs_by_itself(qtbot: QtBot, desk: FrontDesk, clock: ManualClock) -> None:
    open_card(qtbot, desk)
    model = desk.card.tickets_model
    desk.card.countdown.setInterval(10)
    clock.advance(hours=3)
    qtbot.waitUntil(lambda: model.data(model.index(0, 0), OpenTicketsModel.SlaStateRole) == SlaState.OVERDUE)


def test_a_ticket_not_yet_synced_counts_down_from_the_catalogue_limit(qtbot: QtBot, desk: FrontDesk,
                                                                      store: Store) -> None:
    store.accept_ticket(type_code="enquiry", channel="hall", office_id=OFFICE, customer_id="cust-2",
                        fields={"enquiry_topic": "tariff", "content": "电价"})
    open_card(qtbot, desk, "cust-2")
    model = desk.card.tickets_model
    numbers = texts(model, model.NUMBER)
    assert "P-D1-1（临时）" in numbers
    row = numbers.index("P-D1-1（临时）")
    # 1 working day after Monday 3 March 2025: end of Tuesday in the office's zone.
    assert model.data(model.index(row, model.DUE)) == "2025-03-04 23:59"


def test_timeline_shows_every_channel_and_filters(qtbot: QtBot, desk: FrontDesk, qtmodeltester) -> None:
    open_card(qtbot, desk)
    model: TimelineModel = desk.card.timeline_model
    channels = [model.data(model.index(row, 0), TimelineModel.ChannelRole) for row in range(model.rowCount())]
    assert sorted(channels) == ["app", "hall", "hall", "hotline", "hotline"]
    marks = dict(zip(channels, texts(model, model.CHANNEL), strict=True))
    assert marks["hotline"] == "95598热线" and marks["hall"] == "营业厅" and marks["app"] == "网上国网"
    icons = {channel: model.data(model.index(row, model.CHANNEL), Qt.ItemDataRole.DecorationRole)
             for row, channel in enumerate(channels)}
    assert all(not icon.isNull() for icon in icons.values())
    assert icons["hall"].cacheKey() != icons["hotline"].cacheKey()
    qtmodeltester.check(model)
    combo = desk.card.findChild(QComboBox, "timelineChannel")
    assert combo.accessibleName()
    combo.setCurrentIndex(combo.findData("hall"))
    assert texts(model, model.KIND) == ["工单", "来访"]
    assert "GD20250010" in texts(model, model.SUMMARY)[0]
    qtmodeltester.check(model)
    combo.setCurrentIndex(combo.findData("app"))
    assert texts(model, model.SUMMARY) == ["网上国网实名认证 · 通过"]
    combo.setCurrentIndex(0)
    assert model.rowCount() == 5


def test_the_card_rereads_only_when_its_kinds_change(qtbot: QtBot, desk: FrontDesk, store: Store) -> None:
    open_card(qtbot, desk, "cust-3")
    reads: list[str] = []
    desk.card.loaded.connect(reads.append)
    store.accept_ticket(type_code="enquiry", channel="hall", office_id=OFFICE, customer_id="cust-3",
                        fields={"enquiry_topic": "tariff", "content": "电价"})
    operations.changes().announce({"survey_assignment"})
    settled(qtbot)
    assert reads == [] and desk.card.tickets_model.rowCount() == 1
    operations.changes().announce({"ticket"})
    qtbot.waitUntil(lambda: reads == ["cust-3"])
    assert desk.card.tickets_model.rowCount() == 2


def test_opening_another_customer_shows_only_theirs(qtbot: QtBot, desk: FrontDesk) -> None:
    open_card(qtbot, desk, "cust-0")
    open_card(qtbot, desk, "cust-1")
    assert desk.card.verification is None and not desk.card.revealed
    assert desk.card.tickets_model.rowCount() == 1
    assert desk.card.tickets_model.ticket(0).id == "tick-1"


def test_the_card_lists_what_is_still_asked_of_the_customer_and_the_clerk_takes_it(qtbot: QtBot, desk: FrontDesk,
                                                                                    store: Store) -> None:
    """A department asked customer 0 for materials on their open repair (and another department for something, not the
    customer's business); the card lists the one request to the customer, the clerk takes the materials at the
    counter (已补齐), and the list empties. Customer 4, asked nothing, shows no list."""
    from desktop.tickets.info_requests import MeetDialog

    later = pull_page([*seed_changes(), ("stage_task", {
        "id": "task-0-repair", "office_id": OFFICE, "version": 1, "ticket_id": "tick-0", "stage_code": "repair",
        "department": "operations", "state": "taken", "opened_at": "2025-03-01T01:00:00Z"})])
    store.apply_pull_page(later)
    asked = store.request_info("task-0-repair", addressee="customer", detail="房屋产权证明原件", reason="产权人与户名不一致",
                               role="department", department="operations")
    store.request_info("task-0-repair", addressee="department", to_department="marketing", detail="户档",
                       reason="核对户名", role="department", department="operations")
    open_card(qtbot, desk, "cust-4")
    assert desk.card.requests_box.isHidden()
    open_card(qtbot, desk, "cust-0")
    card = desk.card
    qtbot.waitUntil(lambda: [r.id for r in card.open_requests] == [asked.id])
    assert not card.requests_box.isHidden() and card.requests_table.rowCount() == 1
    assert [card.requests_table.item(0, c).text() for c in range(3)] == ["GD20250000", "房屋产权证明原件",
                                                                          "产权人与户名不一致"]
    assert "1" in card.requests_box.title()
    assert not card.receive_button.isEnabled()  # nothing selected yet
    card.select_request(asked.id)
    assert card.receive_button.isEnabled()  # a clerk marks a customer's materials received
    card.receive_button.click()
    dialog = card.active_dialog
    assert isinstance(dialog, MeetDialog) and "房屋产权证明原件" in dialog.asked.text()
    dialog.note.setText("原件已核验，复印件留存")
    before = store.outbox_size()
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: store.outbox_size() == before + 1, timeout=5000)
    operations.changes().changed.emit(frozenset({"info_request"}))
    qtbot.waitUntil(lambda: card.open_requests == [] and card.requests_box.isHidden(), timeout=5000)
    met = store.info_request(asked.id)
    assert met is not None and (met.state, met.met_note) == ("met", "原件已核验，复印件留存")
    settled(qtbot)
