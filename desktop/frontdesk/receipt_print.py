"""Printing the receipt: 打印 (the system's print dialog) and 打印预览 (Qt's preview), painted with QPainter
from the same Receipt the PDF is written from, on an A5 page."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QFont, QPageLayout, QPageSize, QPainter, QTextLayout
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QWidget

from desktop.frontdesk.receipt import Receipt, qr_matrix

LABEL_COLUMN_MM = 30.0
QR_SIZE_MM = 30.0


def receipt_printer() -> QPrinter:
    """A printer set up for the receipt: A5 portrait, 12 mm margins."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    set_up(printer)
    return printer


def set_up(printer: QPrinter) -> None:
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A5), QPageLayout.Orientation.Portrait,
                                      QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter))
    printer.setDocName(QCoreApplication.translate("IntakeDialog", "受理回执"))


def paint_receipt(printer: QPrinter, receipt: Receipt) -> None:
    """Paint `receipt` on one page of `printer` (a real printer, a PDF file or the preview)."""
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(QCoreApplication.translate("IntakeDialog", "打印机无法开始打印"))
    try:
        _paint(painter, printer, receipt)
    finally:
        painter.end()


def _paint(painter: QPainter, printer: QPrinter, receipt: Receipt) -> None:
    dots_per_mm = printer.resolution() / 25.4
    page = printer.pageLayout().paintRectPixels(printer.resolution())
    width = float(page.width())

    def mm(value: float) -> float:
        return value * dots_per_mm

    def font(points: float, *, bold: bool = False) -> QFont:
        chosen = QFont()
        chosen.setPointSizeF(points)
        chosen.setBold(bold)
        return chosen

    painter.setPen(QColor("black"))
    y = 0.0
    if receipt.heading:
        painter.setFont(font(12))
        box = QRectF(0, y, width, mm(8))
        painter.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap, receipt.heading)
        y += mm(8)
    painter.setFont(font(18, bold=True))
    painter.drawText(QRectF(0, y, width, mm(12)), Qt.AlignmentFlag.AlignHCenter, receipt.title)
    y += mm(16)
    label_width = mm(LABEL_COLUMN_MM)
    line_font = font(10.5)
    painter.setFont(line_font)
    for label, value in receipt.lines:
        value_box = QRectF(label_width, y, width - label_width, mm(40))
        needed = painter.boundingRect(value_box, Qt.TextFlag.TextWordWrap, value)
        # Label and value on one baseline: Latin digits come from another font than the Chinese label.
        baseline = y + max(_ascent(label, line_font, printer), _ascent(value, line_font, printer))
        painter.drawText(QPointF(0, baseline), label)
        if needed.height() <= painter.fontMetrics().height() * 1.5:
            painter.drawText(QPointF(label_width, baseline), value)
        else:  # a long value wraps under itself
            painter.drawText(value_box, Qt.TextFlag.TextWordWrap, value)
        y += max(mm(7), needed.height() + mm(1.5))
    y += mm(4)
    painter.setFont(font(8.5))
    notes_width = width - mm(QR_SIZE_MM + 4)
    for note in receipt.notes:
        box = QRectF(0, y, notes_width, mm(20))
        needed = painter.boundingRect(box, Qt.TextFlag.TextWordWrap, note)
        painter.drawText(box, Qt.TextFlag.TextWordWrap, note)
        y += needed.height() + mm(1)
    bottom = float(page.height())
    qr_size = mm(QR_SIZE_MM)
    _paint_qr(painter, qr_matrix(receipt.qr_payload), QRectF(width - qr_size, bottom - qr_size, qr_size, qr_size))
    if receipt.printed_at is not None:
        painter.setFont(font(8))
        painter.drawText(QRectF(0, bottom - mm(6), notes_width, mm(6)), Qt.AlignmentFlag.AlignLeft,
                         receipt.printed_text)


def _ascent(text: str, chosen: QFont, device: QPrinter) -> float:
    """The first line's ascent as laid out (with whatever fallback font the text needs)."""
    layout = QTextLayout(text or " ", chosen, device)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(1e6)
    layout.endLayout()
    return float(line.ascent())


def _paint_qr(painter: QPainter, matrix: list[list[bool]], box: QRectF) -> None:
    cell = box.width() / len(matrix)
    for row_index, row in enumerate(matrix):
        for column_index, dark in enumerate(row):
            if dark:
                painter.fillRect(QRectF(box.left() + column_index * cell, box.top() + row_index * cell, cell, cell),
                                 QColor("black"))


def ask_printer(parent: QWidget, printer: QPrinter) -> bool:
    """The system's print dialog: printer, copies (tests replace this)."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(QCoreApplication.translate("IntakeDialog", "打印受理回执"))
    return dialog.exec() == QDialog.DialogCode.Accepted


def open_preview(parent: QWidget, receipt: Receipt) -> QPrintPreviewDialog:
    """Qt's print preview of the receipt, window-modal over `parent` (its print button prints it)."""
    preview = QPrintPreviewDialog(parent)  # its own printer, which lives as long as it does
    set_up(preview.printer())
    preview.setObjectName("receiptPreview")
    preview.setWindowTitle(QCoreApplication.translate("IntakeDialog", "受理回执 - 打印预览"))
    preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    preview.paintRequested.connect(lambda printer: paint_receipt(printer, receipt))
    say_toolbar_in_desk_words(preview)
    preview.open()
    return preview


def _toolbar_words() -> dict[str, str]:
    """The preview toolbar's actions, by Qt's English source text, in the desk's own words."""
    return {
        "Fit width": QCoreApplication.translate("ReceiptPreview", "适应宽度"),
        "Fit page": QCoreApplication.translate("ReceiptPreview", "适应页面"),
        "Zoom out": QCoreApplication.translate("ReceiptPreview", "缩小"),
        "Zoom in": QCoreApplication.translate("ReceiptPreview", "放大"),
        "Portrait": QCoreApplication.translate("ReceiptPreview", "纵向"),
        "Landscape": QCoreApplication.translate("ReceiptPreview", "横向"),
        "First page": QCoreApplication.translate("ReceiptPreview", "第一页"),
        "Previous page": QCoreApplication.translate("ReceiptPreview", "上一页"),
        "Next page": QCoreApplication.translate("ReceiptPreview", "下一页"),
        "Last page": QCoreApplication.translate("ReceiptPreview", "最后一页"),
        "Show single page": QCoreApplication.translate("ReceiptPreview", "单页显示"),
        "Show facing pages": QCoreApplication.translate("ReceiptPreview", "对页显示"),
        "Show overview of all pages": QCoreApplication.translate("ReceiptPreview", "显示全部页面"),
        "Page setup": QCoreApplication.translate("ReceiptPreview", "页面设置"),
        "Print": QCoreApplication.translate("ReceiptPreview", "打印"),
    }


def say_toolbar_in_desk_words(preview: QPrintPreviewDialog) -> None:
    """Name the preview's toolbar actions (their text and tooltip) through the desk's translation.

    Qt names them itself, from its own qtbase translation; where that file is missing or was not
    loaded (a build without Qt's translations folder, an application that installed none) they read
    "Next page", "Zoom in", "Print"; and Qt's Chinese calls 页面设置 "打印设置". An action is recognised
    by Qt's English text or by Qt's translation of it, whichever it shows."""
    words: dict[str, str] = {}
    for english, ours in _toolbar_words().items():
        words[english] = ours
        words[QCoreApplication.translate("QPrintPreviewDialog", english)] = ours
    for action in preview.findChildren(QAction):
        ours = words.get(action.text())
        if ours is not None:
            action.setText(ours)
            action.setIconText(ours)
            action.setToolTip(ours)
