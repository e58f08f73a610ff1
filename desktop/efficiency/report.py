"""A report as data — titled sections of tables and charts — written as an Excel workbook (openpyxl) and a PDF
(reportlab). Qt-free: the words come translated from the caller. Used for the monthly analysis pack of the
服务效率专题分析会 (desktop/efficiency/monthly.py).

In the workbook every figure is a number with its display format (86.4 % is 0.864 shown as a percentage), so
the meeting can sort and sum them; charts are the workbook's own charts drawn from those cells. In the PDF,
charts are drawn as vector graphics and every text is escaped (a customer's words are never markup).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from desktop.tickets.export import CJK_FONT

Format = Literal["text", "rate", "count", "rating", "days", "minutes", "score", "per_thousand", "trips"]


@dataclass(frozen=True)
class Figure:
    """A number with its own format, for a column whose rows differ (86.4 % above 12 件)."""

    value: float | None
    fmt: Format


Cell = str | int | float | None | Figure

# openpyxl number formats, and the same figure written for the PDF
_XLSX_FORMATS: dict[str, str] = {"rate": "0.0%", "count": "#,##0", "rating": "0.00", "days": "0.0",
                                 "minutes": "#,##0", "score": "0.00", "text": "General", "per_thousand": "0.0",
                                 "trips": "#,##0"}


def figure_text(value: Cell, fmt: Format) -> str:
    """How the PDF writes a cell (the workbook keeps the number and shows it with _XLSX_FORMATS)."""
    if isinstance(value, Figure):
        return figure_text(value.value, value.fmt)
    if value is None:
        return "—"
    if isinstance(value, str) or fmt == "text":
        return str(value)
    if fmt == "rate":
        return f"{value * 100:.1f}%"
    if fmt in ("count", "minutes", "trips"):
        return f"{round(value):,}"
    if fmt in ("rating", "score"):
        return f"{value:.2f}"
    return f"{value:.1f}"


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    formats: tuple[Format, ...]  # one per column
    rows: Sequence[Sequence[Cell]]
    empty: str = "—"  # what a table without rows says


@dataclass(frozen=True)
class Chart:
    kind: Literal["line", "bar"]
    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]  # (name, one value per category)
    fmt: Format = "rate"


@dataclass(frozen=True)
class Section:
    title: str
    sheet: str  # the workbook sheet's name (at most 31 characters)
    table: Table | None = None
    chart: Chart | None = None
    note: str = ""


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    sections: tuple[Section, ...] = field(default_factory=tuple)


# ---- Excel ----


def write_xlsx(report: Report, path: Path) -> Path:
    """One sheet per section: its title, its note, the table (numbers as numbers) and the chart drawn from it."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    used: set[str] = set()
    for section in report.sections:
        name = _sheet_name(section.sheet, used)
        sheet = workbook.create_sheet(name)
        sheet.append([section.title])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([report.subtitle if not section.note else section.note])
        row = 3
        if section.table is not None:
            table = section.table
            sheet.append(list(table.headers))
            for cell in sheet[row]:
                cell.font = Font(bold=True)
                cell.fill = header_fill
            for values in table.rows:
                sheet.append([v.value if isinstance(v, Figure) else v for v in values])
                for column, fmt in enumerate(table.formats, start=1):
                    value = values[column - 1] if column - 1 < len(values) else None
                    own = value.fmt if isinstance(value, Figure) else fmt
                    sheet.cell(row=sheet.max_row, column=column).number_format = _XLSX_FORMATS[own]
            if not table.rows:
                sheet.append([table.empty])
            for column, header in enumerate(table.headers, start=1):
                widest = max([len(str(header))] + [len(figure_text(r[column - 1], table.formats[column - 1]))
                                                   for r in table.rows if column - 1 < len(r)])
                sheet.column_dimensions[get_column_letter(column)].width = min(60, max(10, widest * 2 + 2))
            row = sheet.max_row + 2
        if section.chart is not None:
            chart = section.chart
            start = row
            sheet.cell(row=start, column=1, value="")
            for offset, (series_name, _values) in enumerate(chart.series, start=2):
                sheet.cell(row=start, column=offset, value=series_name)
            for index, category in enumerate(chart.categories, start=1):
                sheet.cell(row=start + index, column=1, value=category)
                for offset, (_name, values) in enumerate(chart.series, start=2):
                    cell = sheet.cell(row=start + index, column=offset, value=values[index - 1])
                    cell.number_format = _XLSX_FORMATS[chart.fmt]
            drawn = LineChart() if chart.kind == "line" else BarChart()
            drawn.title = chart.title
            drawn.height, drawn.width = 8, 18
            data = Reference(sheet, min_col=2, max_col=1 + len(chart.series), min_row=start,
                             max_row=start + len(chart.categories))
            drawn.add_data(data, titles_from_data=True)
            drawn.set_categories(Reference(sheet, min_col=1, min_row=start + 1, max_row=start + len(chart.categories)))
            sheet.add_chart(drawn, f"{get_column_letter(len(chart.series) + 3)}{start}")
    path = Path(path)
    workbook.save(path)
    return path


def _sheet_name(wanted: str, used: set[str]) -> str:
    base = "".join(c for c in wanted if c not in "[]:*?/\\")[:28] or "Sheet"
    name, n = base, 2
    while name in used:
        name, n = f"{base}{n}", n + 1
    used.add(name)
    return name


# ---- PDF ----


def _register_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    return CJK_FONT


def _text(value: object) -> str:
    # STSong-Light has no U+00B7 (the desk's "部门 · 环节"): the CJK middle dot it has
    return escape(str(value).replace("\u00b7", "\u30fb")).replace("\n", "<br/>")


def write_pdf(report: Report, path: Path) -> Path:
    """Landscape A4: the title, then each section's heading, note, chart and table."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    font = _register_font()
    title_style = ParagraphStyle("title", fontName=font, fontSize=16, leading=20, spaceAfter=4)
    subtitle_style = ParagraphStyle("subtitle", fontName=font, fontSize=9, leading=12, spaceAfter=8,
                                    textColor=colors.grey)
    heading_style = ParagraphStyle("heading", fontName=font, fontSize=12, leading=16, spaceBefore=10, spaceAfter=4)
    note_style = ParagraphStyle("note", fontName=font, fontSize=8, leading=11, textColor=colors.grey, spaceAfter=4)
    cell_style = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10)
    story: list[object] = [Paragraph(_text(report.title), title_style), Paragraph(_text(report.subtitle), subtitle_style)]
    for section in report.sections:
        block: list[object] = [Paragraph(_text(section.title), heading_style)]
        if section.note:
            block.append(Paragraph(_text(section.note), note_style))
        if section.chart is not None:
            block.append(_drawing(section.chart, font))
        story.append(KeepTogether(block))
        if section.table is not None:
            table = section.table
            data = [[Paragraph(_text(h), cell_style) for h in table.headers]]
            data += [[Paragraph(_text(figure_text(v, table.formats[i])), cell_style) for i, v in enumerate(row)]
                     for row in table.rows]
            if not table.rows:
                data.append([Paragraph(_text(table.empty), cell_style)]
                            + [Paragraph("", cell_style)] * (len(table.headers) - 1))
            drawn = PdfTable(data, repeatRows=1)
            drawn.setStyle(TableStyle([
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]))
            story.append(drawn)
        story.append(Spacer(1, 6))
    story.pop()  # no space after the last section (it could start a blank page)
    path = Path(path)
    document = SimpleDocTemplate(str(path), pagesize=landscape(A4), title=report.title,
                                 leftMargin=28, rightMargin=28, topMargin=28, bottomMargin=28)
    document.build(story)
    return path


def _drawing(chart: Chart, font: str) -> object:
    """The chart as reportlab graphics: a line or grouped bars, gaps where a value is missing."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    palette = [colors.HexColor("#1565C0"), colors.HexColor("#2E7D32"), colors.HexColor("#EF6C00")]
    scale = 100.0 if chart.fmt == "rate" else 1.0
    drawing = Drawing(760, 200)
    plot = HorizontalLineChart() if chart.kind == "line" else VerticalBarChart()
    plot.x, plot.y, plot.width, plot.height = 40, 30, 560, 140
    plot.data = [tuple((v * scale) if v is not None else None for v in values) for _name, values in chart.series]
    plot.categoryAxis.categoryNames = list(chart.categories)
    plot.categoryAxis.labels.fontName = font
    plot.categoryAxis.labels.fontSize = 7
    plot.valueAxis.labels.fontName = font
    plot.valueAxis.labels.fontSize = 7
    plot.valueAxis.valueMin = 0
    for index in range(len(chart.series)):
        colour = palette[index % len(palette)]
        if chart.kind == "line":
            plot.lines[index].strokeColor = colour
            plot.lines[index].strokeWidth = 1.5
        else:
            plot.bars[index].fillColor = colour
    drawing.add(plot)
    drawing.add(String(40, 185, chart.title, fontName=font, fontSize=9))
    legend = Legend()
    legend.x, legend.y = 620, 160
    legend.fontName, legend.fontSize = font, 8
    legend.colorNamePairs = [(palette[i % len(palette)], name) for i, (name, _v) in enumerate(chart.series)]
    drawing.add(legend)
    return drawing
