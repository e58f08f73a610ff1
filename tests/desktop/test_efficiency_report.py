"""The report writers of the monthly pack (desktop/efficiency/report.py): numbers stay numbers in the workbook,
a missing figure is a blank cell (not 0), and text is text — a customer's words are never PDF markup."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from desktop.efficiency.report import (
    Chart,
    Figure,
    Report,
    Section,
    Table,
    figure_text,
    write_pdf,
    write_xlsx,
)

HOSTILE = "<b>加粗</b> & <font size=40>大</font> <unclosed"


def sample() -> Report:
    rows = [["按时办结率", Figure(0.864, "rate"), Figure(None, "rate")], ["超期积压", Figure(12, "count"), 3],
            [HOSTILE, None, 1.5]]
    return Report("服务效率月度分析 2026年11月", HOSTILE, (
        Section("一、关键指标", "关键指标", Table(("指标", "本月", "上月"), ("text", "rate", "days"), rows)),
        Section("二、走势", "走势", Table(("日期", "按时办结率"), ("text", "rate"), [["11-01", 0.5], ["11-02", None]]),
                Chart("line", "按时办结率（%）", ("11-01", "11-02"), (("按时办结率", (0.5, None)),)), note=HOSTILE),
        Section("三、异常预警", "异常预警", Table(("指标",), ("text",), [], empty="本月无异常预警")),
    ))


def test_the_workbook_keeps_numbers_as_numbers_with_their_formats(tmp_path: Path) -> None:
    book = load_workbook(write_xlsx(sample(), tmp_path / "pack.xlsx"))
    assert book.sheetnames == ["关键指标", "走势", "异常预警"]
    sheet = book["关键指标"]
    assert [c.value for c in sheet[4]] == ["按时办结率", 0.864, None] and sheet["B4"].number_format == "0.0%"
    assert sheet["B5"].value == 12 and sheet["B5"].number_format == "#,##0" and sheet["C5"].value == 3
    assert sheet["A6"].value == HOSTILE  # text as typed
    assert book["走势"]._charts and book["异常预警"]["A4"].value == "本月无异常预警"


def test_the_pdf_writes_markup_as_text(tmp_path: Path) -> None:
    pdf = write_pdf(sample(), tmp_path / "pack.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and b"STSong-Light" in pdf and b"%%EOF" in pdf[-64:]
    assert figure_text(Figure(0.864, "rate"), "text") == "86.4%" and figure_text(None, "rate") == "—"
