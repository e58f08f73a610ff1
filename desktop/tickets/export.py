"""The coordination lists as an Excel workbook (openpyxl) and a PDF (reportlab). Qt-free.

The PDF uses reportlab's built-in CID font for Chinese (STSong-Light), so no font file ships.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from desktop.tickets import labels
from desktop.tickets.coordination import CoordinationReport, DepartmentLine, StuckItem
from desktop.tickets.progress import format_duration

CJK_FONT = "STSong-Light"
_HEADERS = {
    "stuck": (("工单号", "业务类型", "环节", "承办部门", "主责部门", "状态", "已等待", "时限", "超时", "原因"),
              ("Ticket", "Type", "Stage", "Held by", "Lead", "State", "Waited", "Due", "Overdue", "Reason")),
    "departments": (("部门", "在办环节", "当前超时", "本期完成", "本期超时完成", "按时率", "主责评价均分", "协作互评均分"),
                    ("Department", "Active", "Overdue now", "Completed", "Completed late", "On time",
                     "Lead rating", "Peer rating")),
    "sheets": (("跨部门卡点", "各部门超时统计"), ("Stuck between departments", "Overdue by department")),
}


def column_titles(key: str, lang: str) -> tuple[str, ...]:
    zh, en = _HEADERS[key]
    return en if lang.startswith("en") else zh


def stuck_rows(items: list[StuckItem], lang: str) -> list[list[str]]:
    yes, no = ("yes", "") if lang.startswith("en") else ("是", "")
    return [[i.ticket_number, i.ticket_type, i.stage, labels.department_name(i.department, lang),
             labels.department_name(i.lead_department, lang), i.state, format_duration(i.waited, lang),
             labels.local_time(i.due_at), yes if i.overdue else no, i.reason] for i in items]


def department_rows(lines: list[DepartmentLine], lang: str) -> list[list[str | int | float]]:
    def rate(value: float | None) -> str:
        return f"{value:.0%}" if value is not None else "—"

    def score(value: float | None) -> str:
        return f"{value:.2f}" if value is not None else "—"

    return [[labels.department_name(line.department, lang), line.active, line.overdue_now, line.completed,
             line.completed_late, rate(line.on_time_rate), score(line.lead_rating), score(line.peer_rating)]
            for line in lines]


def write_xlsx(report: CoordinationReport, path: Path) -> Path:
    """Two sheets, one per list, with the report's title in the first row."""
    from openpyxl import Workbook  # the export libraries load when a list is exported, not at start-up
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook()
    stuck_sheet = workbook.active
    assert stuck_sheet is not None
    names = column_titles("sheets", report.lang)
    stuck_sheet.title = names[0]
    department_sheet = workbook.create_sheet(names[1])
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    sheets: list[tuple[object, tuple[str, ...], list[list[str]] | list[list[str | int | float]]]] = [
        (stuck_sheet, column_titles("stuck", report.lang), stuck_rows(report.stuck, report.lang)),
        (department_sheet, column_titles("departments", report.lang), department_rows(report.departments, report.lang)),
    ]
    for sheet, headers, rows in sheets:
        sheet.append([report.title()])  # type: ignore[attr-defined]
        sheet["A1"].font = Font(bold=True, size=13)  # type: ignore[index]
        sheet.append(list(headers))  # type: ignore[attr-defined]
        for cell in sheet[2]:  # type: ignore[index]
            cell.font = Font(bold=True)
            cell.fill = header_fill
        for row in rows:
            sheet.append(row)  # type: ignore[attr-defined]
        sheet.freeze_panes = "A3"  # type: ignore[attr-defined]
        for column, header in zip("ABCDEFGHIJ", headers, strict=False):
            sheet.column_dimensions[column].width = max(12, len(header) * 2 + 4)  # type: ignore[attr-defined]
    path = Path(path)
    workbook.save(path)
    return path


def _register_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    return CJK_FONT


def write_pdf(report: CoordinationReport, path: Path) -> Path:
    """A landscape A4 PDF: title, then both lists as tables."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _register_font()
    title_style = ParagraphStyle("title", fontName=font, fontSize=14, leading=18, spaceAfter=8)
    heading_style = ParagraphStyle("heading", fontName=font, fontSize=11, leading=15, spaceBefore=10, spaceAfter=4)
    cell_style = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10)
    names = column_titles("sheets", report.lang)
    story: list[object] = [Paragraph(escape(report.title()), title_style)]
    for name, headers, rows in (
        (names[0], column_titles("stuck", report.lang), stuck_rows(report.stuck, report.lang)),
        (names[1], column_titles("departments", report.lang), department_rows(report.departments, report.lang)),
    ):
        story.append(Paragraph(escape(name), heading_style))
        # reportlab reads a Paragraph as markup: a reason typed as "<b>" or "a < b" must stay text
        data = [[Paragraph(escape(str(h)), cell_style) for h in headers]]
        data += [[Paragraph(escape(str(value)), cell_style) for value in row] for row in rows]
        if len(data) == 1:
            data.append([Paragraph("（无）" if not report.lang.startswith("en") else "(none)", cell_style)]
                        + [Paragraph("", cell_style)] * (len(headers) - 1))
        table = Table(data, repeatRows=1)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        story += [table, Spacer(1, 6)]
    path = Path(path)
    document = SimpleDocTemplate(str(path), pagesize=landscape(A4), title=report.title(),
                                 leftMargin=28, rightMargin=28, topMargin=28, bottomMargin=28)
    document.build(story)
    return path
