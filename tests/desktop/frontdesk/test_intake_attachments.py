"""Intake with attachments: chosen files are checked, listed, and queued with the new ticket (offline)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QListWidget, QPushButton
from pytestqt.qtbot import QtBot

from desktop.frontdesk import FrontDesk, intake_dialog
from local_store import Store
from tests.desktop.support import OFFSCREEN_NOISE

from .test_intake import COMPLAINT, accept, fill, start_intake

pytestmark = OFFSCREEN_NOISE


def small_png(path: Path) -> Path:
    image = QImage(8, 6, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    assert image.save(str(path), "PNG")
    return path


def test_chosen_files_are_queued_with_the_accepted_ticket(qtbot: QtBot, desk: FrontDesk, store: Store,
                                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scan = small_png(tmp_path / "身份证.png")
    form = tmp_path / "申请表.pdf"
    form.write_bytes(b"%PDF-1.4 signed form")
    word = tmp_path / "notes.docx"
    word.write_bytes(b"PK not allowed")
    monkeypatch.setattr(intake_dialog, "ask_attachment_paths", lambda parent: [scan, form, word, scan])
    dialog = start_intake(qtbot, desk)
    dialog.form.select_type("complaint")
    fill(qtbot, dialog, COMPLAINT)
    button = dialog.findChild(QPushButton, "addAttachments")
    assert button.text() == "添加附件…" and button.accessibleName()
    button.click()
    listed = dialog.findChild(QListWidget, "intakeAttachments")
    assert [listed.item(i).text().split("（")[0] for i in range(listed.count())] == ["身份证.png", "申请表.pdf"]
    assert "notes.docx" in dialog.form.error_text()  # refused in place, the others kept
    accept(qtbot, dialog)
    ticket = dialog.ticket
    assert ticket is not None
    files = store.ticket_attachments(ticket.id)
    assert [(a.filename, a.media_type, a.uploaded) for a in files] == [
        ("身份证.png", "image/png", False), ("申请表.pdf", "application/pdf", False)]
    assert [(m.entity, m.op) for m in store.pending_mutations()] == [
        ("ticket", "create"), ("attachment", "create"), ("attachment", "create")]  # metadata follows its ticket
    assert {p.path for p in store.pending_attachments()} == {scan.resolve(), form.resolve()}


def test_a_file_can_be_taken_off_the_list_before_accepting(qtbot: QtBot, desk: FrontDesk, store: Store,
                                                           tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = small_png(tmp_path / "a.png"), small_png(tmp_path / "b.png")
    second.write_bytes(second.read_bytes() + b"\0")  # another content
    monkeypatch.setattr(intake_dialog, "ask_attachment_paths", lambda parent: [first, second])
    dialog = start_intake(qtbot, desk)
    dialog.form.select_type("complaint")
    fill(qtbot, dialog, COMPLAINT)
    dialog.findChild(QPushButton, "addAttachments").click()
    listed = dialog.findChild(QListWidget, "intakeAttachments")
    listed.setCurrentRow(0)
    dialog.findChild(QPushButton, "removeAttachment").click()
    assert dialog.attachment_paths == [second] and listed.count() == 1
    accept(qtbot, dialog)
    assert dialog.ticket is not None
    assert [a.filename for a in store.ticket_attachments(dialog.ticket.id)] == ["b.png"]


def test_a_file_gone_before_acceptance_stops_it_with_nothing_stored(qtbot: QtBot, desk: FrontDesk, store: Store,
                                                                    tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    scan = small_png(tmp_path / "scan.png")
    monkeypatch.setattr(intake_dialog, "ask_attachment_paths", lambda parent: [scan])
    dialog = start_intake(qtbot, desk)
    dialog.form.select_type("complaint")
    fill(qtbot, dialog, COMPLAINT)
    dialog.findChild(QPushButton, "addAttachments").click()
    scan.unlink()
    dialog.findChild(QPushButton, "acceptTicket").click()
    qtbot.waitUntil(lambda: "scan.png" in dialog.form.error_text())
    assert dialog.ticket is None and store.outbox_size() == 0
