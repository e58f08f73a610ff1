"""The receipt at the hall: 打印 and 打印预览 on the done page, the office's heading, the verified customer's
full name, the request and the 95598 line; while online, the server's number rather than the provisional one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop.frontdesk import FrontDesk, receipt_print
from desktop.frontdesk.intake_dialog import IntakeDialog
from desktop.operations import changes
from domain.sync import Change, MutationResult, PullPage
from local_store import Store
from tests.desktop.support import OFFSCREEN_NOISE, EngineStub

from .conftest import OFFICE, SCOPE, open_card
from .test_intake import COMPLAINT, accept, fill, start_intake

pytestmark = OFFSCREEN_NOISE
OFFICE_NAME = "国网东城区供电公司和平里营业厅"


@dataclass
class _Status:
    online: bool | None


class OnlineEngine(EngineStub):
    """The desk's engine as the done page sees it: online, the push still under way."""

    def __init__(self) -> None:
        super().__init__()
        self.status = _Status(online=True)


def accepted_complaint(qtbot: QtBot, desk: FrontDesk, customer_id: str = "cust-4") -> IntakeDialog:
    dialog = start_intake(qtbot, desk, customer_id)
    dialog.form.select_type("complaint")
    fill(qtbot, dialog, COMPLAINT)
    accept(qtbot, dialog)
    return dialog


def previews() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QPrintPreviewDialog) and w.isVisible()]


def test_the_done_page_offers_print_and_preview_first_and_enter_prints(qtbot: QtBot, desk: FrontDesk) -> None:
    dialog = accepted_complaint(qtbot, desk)
    printing = dialog.findChild(QPushButton, "printReceipt")
    assert printing.isVisible() and printing.isDefault() and printing.hasFocus()
    assert dialog.findChild(QPushButton, "previewReceipt").isVisible()
    assert dialog.findChild(QPushButton, "saveReceipt").text().startswith("保存为PDF")


def test_the_preview_paints_the_receipt_with_the_office_heading_and_95598(qtbot: QtBot, desk: FrontDesk,
                                                                          store: Store) -> None:
    office = {"id": OFFICE, "office_id": OFFICE, "version": 1, "code": "110101", "name": OFFICE_NAME,
              "prefecture": "北京"}
    store.apply_pull_page(PullPage(scope=SCOPE, changes=[Change(seq=1000, entity="office", id=OFFICE, kind="upsert",
                                                                version=1, data=office)], cursor=1000, has_more=False))
    assert store.office(OFFICE) is not None
    dialog = accepted_complaint(qtbot, desk)
    dialog.findChild(QPushButton, "previewReceipt").click()
    qtbot.waitUntil(lambda: bool(previews()))
    preview = dialog.receipts.preview_dialog
    assert preview is not None and preview in previews()
    receipt = dialog.receipts.last_receipt
    assert receipt is not None and receipt.heading == OFFICE_NAME
    assert any("95598" in note for note in receipt.notes)
    assert dict(receipt.lines)["诉求内容："] == COMPLAINT["description"]
    assert receipt.ticket_number == "P-D1-1"  # offline (no engine status): the provisional number, explained
    # One zone on the paper as on the screen: 01:00 UTC is 09:00 at the office.
    assert receipt.printed_text == "2025-03-03 09:00" and dict(receipt.lines)["受理时间："].endswith("09:00")
    preview.reject()
    qtbot.waitUntil(lambda: not previews())


def test_a_verified_customer_is_named_in_full(qtbot: QtBot, desk: FrontDesk) -> None:
    open_card(qtbot, desk, "cust-4")
    desk.card.verify_button.click()
    verify = desk.verify_dialog
    assert verify is not None
    verify.findChild(QPushButton, "readIdCard").click()
    qtbot.waitUntil(lambda: desk.card.revealed)
    dialog = accepted_complaint(qtbot, desk)
    assert dict(dialog.receipt(dialog.ticket).lines)["客户："] == "张伟4"  # the unverified receipt says 张**


def test_printing_paints_one_page_on_the_chosen_printer(qtbot: QtBot, desk: FrontDesk, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "printed.pdf"

    def choose_pdf_printer(_parent: QWidget, printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return True

    monkeypatch.setattr(receipt_print, "ask_printer", choose_pdf_printer)
    dialog = accepted_complaint(qtbot, desk)
    printed: list[bool] = []
    dialog.receipts.printed.connect(lambda: printed.append(True))
    dialog.findChild(QPushButton, "printReceipt").click()
    qtbot.waitUntil(lambda: printed == [True])
    data = target.read_bytes()
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") >= 1


def test_online_the_receipt_waits_for_the_servers_number(qtbot: QtBot, store: Store, clock: object) -> None:
    from .conftest import make_context

    context = make_context(store, OnlineEngine())
    desk = FrontDesk(context, clock=clock)  # type: ignore[arg-type]
    qtbot.addWidget(desk)
    desk.show()
    dialog = accepted_complaint(qtbot, desk)
    assert dialog.ticket is not None and dialog.ticket.number is None
    dialog.findChild(QPushButton, "previewReceipt").click()
    waiting = dialog.findChild(QLabel, "waitingForNumber")
    qtbot.waitUntil(waiting.isVisible)
    assert not previews() and not dialog.findChild(QPushButton, "printReceipt").isEnabled()
    # The push answers: the server numbered the ticket.
    [mutation] = [m for m in store.pending_mutations() if m.entity == "ticket"]
    store.apply_push_results([MutationResult(mutation_id=mutation.mutation_id, status="applied", entity="ticket",
                                             entity_id=mutation.entity_id, version=1,
                                             ticket_number="GD20250303000001")])
    changes().announce({"ticket"})
    qtbot.waitUntil(lambda: bool(previews()))
    receipt = dialog.receipts.last_receipt
    assert receipt is not None and receipt.ticket_number == "GD20250303000001"
    assert "编号状态：" not in dict(receipt.lines)
    assert not waiting.isVisible() and "GD20250303000001" in dialog.findChild(QLabel, "acceptedTicket").text()
    for shown in previews():
        shown.close()
