"""The receipt PDF module on its own (no Qt)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from desktop.frontdesk.receipt import Receipt, qr_matrix, write_receipt_pdf


def test_the_pdf_holds_the_number_and_chinese_text(tmp_path: Path) -> None:
    receipt = Receipt(title="受理回执", ticket_number="GD20259999",
                      lines=(("工单编号：", "GD20259999"), ("业务类型：", "故障报修")),
                      notes=("凭工单编号或扫描二维码查询办理进度。",), printed_at=datetime(2025, 3, 3, tzinfo=UTC))
    path = write_receipt_pdf(receipt, tmp_path / "out.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    assert b"GD20259999" in data
    assert b"STSong-Light" in data  # the Chinese lines use the CID font every reader has


def test_the_qr_code_encodes_the_ticket_number() -> None:
    small = qr_matrix("onewindow:ticket:P-D1-1")
    assert len(small) == len(small[0]) and any(any(row) for row in small)
    assert qr_matrix("onewindow:ticket:P-D1-1") == small
    assert qr_matrix("onewindow:ticket:P-D1-2") != small
    assert Receipt(title="", ticket_number="P-D1-1", lines=()).qr_payload == "onewindow:ticket:P-D1-1"
