"""The customer's progress lookup, end to end: a new applicant's connection request accepted at the hall through the
real window; the receipt's QR code carries the ticket's progress page (the server's public address the desk learned
at sign-in, the code the desk made) and its code in words; the page at that address shows the stages move as the
departments complete them on the server; a receipt printed with the link down already carries the page, which
answers once the ticket has synced (docs/progress-lookup.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from desktop.frontdesk import FrontDesk
from desktop.frontdesk.receipt import qr_matrix
from domain import progress
from tests.backend.desk import Desk as ApiDesk
from tests.desktop.journeys.conftest import PASSWORD, Journey, accept_request
from tests.desktop.journeys.test_clerk import find_and_verify, walk_in
from tests.desktop.support import OFFSCREEN_NOISE
from tests.e2e.fault_proxy import FaultProxy
from tests.e2e.harness import Backend

pytestmark = [OFFSCREEN_NOISE, pytest.mark.slow, pytest.mark.e2e]


def stage_state(html: str, name: str) -> str:
    """The state the page shows for stage `name` ("" when the page does not list it)."""
    marker = f"<span class=\"name\">{name}</span><span class=\"badge\">"
    start = html.find(marker)
    return html[start + len(marker):html.index("</span>", start + len(marker))] if start >= 0 else ""


def complete(office: Backend, ticket_id: str, stage_code: str) -> None:
    """The stage's department takes and completes it from its own desk (over the API, as its sync would)."""
    probe = ApiDesk(office.url, "marketing1", PASSWORD)
    try:
        rows, _ = probe.pull_all(f"office:{probe.office}")
        task = next(row for (kind, _id), row in rows.items()
                    if kind == "stage_task" and row["ticket_id"] == ticket_id and row["stage_code"] == stage_code)
    finally:
        probe.close()
    worker = ApiDesk(office.url, f"{task['department']}1", PASSWORD)
    try:
        current: dict[str, Any] = task
        for to_state in ("taken", "done"):
            (result,) = worker.push(worker.mutation("stage_task", "transition", current["id"], transition={
                "from_state": current["state"], "to_state": to_state}))
            assert result["status"] == "applied", result
            current = result["record"]
    finally:
        worker.close()


def test_a_new_applicants_receipt_opens_the_progress_page_that_follows_the_departments(
    qtbot: QtBot, office: Backend, link: FaultProxy, desk_for: Callable[[str, str], Journey],
) -> None:
    journey = desk_for(link.url, "clerk1")
    front = journey.area("frontdesk")
    assert isinstance(front, FrontDesk)
    ticket = accept_request(qtbot, front, "connection_residential", {
        "customer_name": "苏晚晴", "id_number": "110101199205081229", "address": "岚川县城关镇文昌路8号",
        "contact_phone": "13900000038", "requested_kw": "6", "phases": "single"}, ("identity", "property_proof"),
        close=False)
    dialog = front.intake_dialog
    assert dialog is not None and ticket is not None and ticket.progress_code
    try:
        preview = next(b for b in dialog.findChildren(QPushButton) if "打印预览" in b.text())
        preview.click()
        qtbot.waitUntil(lambda: any(isinstance(w, QPrintPreviewDialog) and w.isVisible()
                                    for w in QApplication.topLevelWidgets()), timeout=15000)
        receipt = dialog.receipts.last_receipt
        assert receipt is not None and receipt.ticket_number.startswith("GD")
        # What the customer's phone reads from the QR code: the page of this ticket's code on the server.
        page = receipt.qr_payload
        assert page == progress.page_url(link.url, ticket.progress_code)
        assert len(qr_matrix(page)) <= 41  # a version-4 code at most: a cheap receipt printer's dots read it
        lines = dict(receipt.lines)
        assert lines["查询码："] == progress.grouped(ticket.progress_code)  # for a customer without a camera
        assert progress.page_url(link.url) in receipt.notes
        for shown in QApplication.topLevelWidgets():
            if isinstance(shown, QPrintPreviewDialog):
                shown.reject()
    finally:
        dialog.close()

    first = httpx.get(page, timeout=30)
    assert first.status_code == 200 and receipt.ticket_number in first.text and "低压居民新装" in first.text
    assert "苏**" in first.text and "苏晚晴" not in first.text and "139****0038" in first.text
    assert journey.desk.staff is not None and journey.desk.staff.display_name not in first.text
    assert (stage_state(first.text, "受理"), stage_state(first.text, "现场勘查")) == ("已完成", "办理中")

    complete(office, ticket.id, "survey")
    second = httpx.get(page, timeout=30).text
    assert stage_state(second, "现场勘查") == "已完成" and stage_state(second, "合同签订") == "办理中"
    complete(office, ticket.id, "contract")
    third = httpx.get(page, timeout=30).text
    assert stage_state(third, "合同签订") == "已完成" and stage_state(third, "装表接电") == "办理中"
    # The same code typed from the receipt's words, in the app channel's API: the same progress.
    answer = httpx.get(f"{office.url}/api/v1/channels/app/progress/{lines['查询码：'].lower()}",
                       headers={"X-Channel-Key": "journey-telephony-key"}, timeout=30).json()
    assert [s["state"] for s in answer["stages"]][:4] == ["done", "done", "done", "working"]
    journey.finish()


def test_a_receipt_printed_offline_opens_the_page_once_the_ticket_has_synced(
    qtbot: QtBot, office: Backend, link: FaultProxy, desk_for: Callable[[str, str], Journey],
) -> None:
    journey = desk_for(link.url, "clerk1")  # online once: the desk learns the public address
    customer = walk_in(office, journey)
    front = find_and_verify(qtbot, journey, customer)
    link.partition()
    qtbot.waitUntil(lambda: journey.desk.engine is not None and journey.desk.engine.status.online is False,
                    timeout=30000)
    ticket = accept_request(qtbot, front, "complaint", {"complaint_class": "service",
                                                        "description": "离线受理后查询进度"}, close=False)
    dialog = front.intake_dialog
    assert dialog is not None and ticket is not None and ticket.progress_code and ticket.number is None
    try:
        next(b for b in dialog.findChildren(QPushButton) if "打印预览" in b.text()).click()
        qtbot.waitUntil(lambda: dialog.receipts.last_receipt is not None, timeout=15000)
        receipt = dialog.receipts.last_receipt
        assert receipt.ticket_number.startswith("P-")  # offline: the provisional number, and already the page
        assert receipt.qr_payload == progress.page_url(link.url, ticket.progress_code)
        for shown in QApplication.topLevelWidgets():
            if isinstance(shown, QPrintPreviewDialog):
                shown.reject()
    finally:
        dialog.close()
    direct = progress.page_url(office.url, ticket.progress_code)
    assert httpx.get(direct, timeout=30).status_code == 404  # the server has not seen the ticket yet

    link.heal()
    journey.press("sync.now")
    qtbot.waitUntil(lambda: (journey.store.ticket(ticket.id) or ticket).number is not None, timeout=60000)
    final = journey.store.ticket(ticket.id)
    assert final is not None and final.progress_code == ticket.progress_code  # the server kept the desk's code
    shown_page = httpx.get(receipt.qr_payload, timeout=30)
    assert shown_page.status_code == 200 and final.number in shown_page.text and "投诉" in shown_page.text
    journey.finish()
