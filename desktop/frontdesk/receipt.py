"""The acceptance receipt (受理回执) as a PDF with a QR code of the ticket's progress page (Qt-free).

The words on the receipt come in with the receipt (the desk translates them), so this module
only lays them out. Printing and the print preview paint the same Receipt (receipt_print.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.display import datetime_text

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

# A CID font every PDF reader ships with: Chinese text without embedding a font file.
CHINESE_FONT = "STSong-Light"
QR_PREFIX = "onewindow:ticket:"


@dataclass(frozen=True)
class Receipt:
    title: str
    ticket_number: str
    # (label, value) lines in print order, already translated and masked
    lines: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    printed_at: datetime | None = None
    heading: str = ""  # the office's name, above the title
    # The ticket's progress page (domain.progress.page_url); "" when this desk has not learned the server's public
    # address yet: the QR code then carries the ticket number, as receipts did before the page existed.
    progress_url: str = ""

    @property
    def printed_text(self) -> str:
        """When it was printed, in the office's zone (as every screen and document says it)."""
        return datetime_text(self.printed_at)

    @property
    def qr_payload(self) -> str:
        return self.progress_url or QR_PREFIX + self.ticket_number


def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR modules of `payload` (with the quiet zone), medium error correction."""
    import qrcode  # loaded when a receipt is printed, not at start-up

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(payload)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CHINESE_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CHINESE_FONT))


def write_receipt_pdf(receipt: Receipt, path: Path) -> Path:
    """Write the receipt to `path` (one A5 page) and return the path."""
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    _register_font()
    path = Path(path)
    width, height = A5
    # Uncompressed: the file stays small anyway, and the ticket number stays findable in it.
    canvas = Canvas(str(path), pagesize=A5, pageCompression=0)
    canvas.setTitle(f"{receipt.title} {receipt.ticket_number}")
    if receipt.heading:
        canvas.setFont(CHINESE_FONT, 12)
        canvas.drawCentredString(width / 2, height - 13 * mm, receipt.heading)
    canvas.setFont(CHINESE_FONT, 18)
    canvas.drawCentredString(width / 2, height - 22 * mm, receipt.title)
    y = height - 34 * mm
    for label, value in receipt.lines:
        canvas.setFont(CHINESE_FONT, 10.5)
        canvas.drawString(14 * mm, y, label)
        # The ticket number is ASCII: a standard font keeps it as plain text in the file.
        canvas.setFont("Helvetica" if value.isascii() else CHINESE_FONT, 10.5)
        canvas.drawString(44 * mm, y, value)
        y -= 7 * mm
    _draw_qr(canvas, qr_matrix(receipt.qr_payload), x=width - 46 * mm, y=16 * mm, size=32 * mm)
    canvas.setFont(CHINESE_FONT, 8.5)
    note_y = 40 * mm
    for note in receipt.notes:
        canvas.drawString(14 * mm, note_y, note)
        note_y -= 5 * mm
    if receipt.printed_at is not None:
        canvas.setFont("Helvetica", 8)
        canvas.drawString(14 * mm, 12 * mm, receipt.printed_text)
    canvas.showPage()
    canvas.save()
    return path


def _draw_qr(canvas: Canvas, matrix: list[list[bool]], *, x: float, y: float, size: float) -> None:
    cell = size / len(matrix)
    canvas.setFillColorRGB(0, 0, 0)
    for row_index, row in enumerate(matrix):
        for column_index, dark in enumerate(row):
            if dark:
                canvas.rect(x + column_index * cell, y + size - (row_index + 1) * cell, cell, cell, stroke=0, fill=1)
