"""The ticket detail's attachments tab over a real store: the list, image previews from this desk's file or
a lazy download cached by sha256, and "保存为…" for other files."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop.context import DeskContext
from desktop.sync.errors import Offline
from desktop.tickets import attachments_panel
from desktop.tickets.attachments_panel import AttachmentsPanel
from desktop.tickets.detail import TicketDetail
from domain.catalogue import load_catalogue
from local_store import Store
from tests.desktop.tickets.conftest import OFFICE, START, DeskClock, Server, iso, make_context

pytestmark = [pytest.mark.usefixtures("desk_loop"),
              pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]


def png_bytes(width: int = 12, height: int = 8) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("blue"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    return bytes(data.data())


def attachment_row(n: int, content: bytes, filename: str, media_type: str) -> dict[str, Any]:
    return {"id": f"att-{n}", "office_id": OFFICE, "version": 2, "ticket_id": "tick-00001",
            "sha256": hashlib.sha256(content).hexdigest(), "filename": filename, "media_type": media_type,
            "size": len(content), "created_at": iso(START), "created_by": "s-clerk", "uploaded": True}


class FileServer:
    """The part of ApiClient the panel and the presence heartbeat use; counts downloads."""

    def __init__(self, files: dict[str, bytes], online: bool = True) -> None:
        self.files = files
        self.online = online
        self.downloads: list[str] = []

    async def download_attachment(self, sha256: str) -> bytes:
        if not self.online:
            raise Offline("no route")
        self.downloads.append(sha256)
        return self.files[sha256]

    async def presence(self, ticket_id: str, activity: str) -> None:
        return None

    async def who_is_here(self, ticket_id: str) -> list[dict[str, Any]]:
        return []


class EngineWithClient:
    def __init__(self, client: FileServer) -> None:
        self.client = client

    def notify_local_change(self) -> None:
        pass


def clerk_with(store: Store, client: FileServer) -> DeskContext:
    """A clerk's desk whose sync engine holds this client."""
    context = make_context(store, "s-clerk", "clerk", None)
    context.engine = EngineWithClient(client)
    return context


@pytest.fixture
def open_panel(qtbot: QtBot, desk_clock: DeskClock, tmp_path: Path) -> Iterator[Any]:
    opened: list[TicketDetail] = []

    def show(context: DeskContext) -> AttachmentsPanel:
        detail = TicketDetail(context, load_catalogue(), desk_clock)
        qtbot.addWidget(detail)
        opened.append(detail)
        detail.show_ticket("tick-00001")
        qtbot.waitUntil(lambda: detail.bundle is not None, timeout=5000)
        return detail.attachments

    yield show
    for detail in opened:
        detail.shutdown()


def cells(panel: AttachmentsPanel) -> list[list[str]]:
    return [[panel.table.item(row, column).text() for column in range(3)] for row in range(panel.table.rowCount())]


def test_a_file_of_this_desk_is_listed_waiting_and_previewed(qtbot: QtBot, office: Server, store: Store,
                                                             tmp_path: Path, open_panel: Any) -> None:
    scan = tmp_path / "户口本.png"
    scan.write_bytes(png_bytes())
    store.queue_attachment("tick-00001", scan, created_by="s-clerk")
    client = FileServer({})
    panel = open_panel(clerk_with(store, client))
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=5000)
    assert cells(panel) == [["户口本.png", f"{len(png_bytes())} B", "等待上传"]]
    panel.select(panel.attachments[0].id)
    qtbot.waitUntil(lambda: panel.preview.pixmap() is not None and not panel.preview.pixmap().isNull(), timeout=5000)
    assert panel.preview.pixmap().width() > 0 and client.downloads == []  # read from the desk's own file
    store.mark_attachment_uploaded(panel.attachments[0].sha256)
    panel.reload()
    qtbot.waitUntil(lambda: cells(panel)[0][2] == "已上传", timeout=5000)


def test_an_image_from_another_desk_is_downloaded_once_and_cached(qtbot: QtBot, office: Server, store: Store,
                                                                  tmp_path: Path, open_panel: Any) -> None:
    content = png_bytes(30, 20)
    office.send(("attachment", attachment_row(1, content, "现场照片.png", "image/png")))
    client = FileServer({hashlib.sha256(content).hexdigest(): content})
    panel = open_panel(clerk_with(store, client))
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=5000)
    assert cells(panel)[0][2] == "已上传"
    panel.select("att-1")
    qtbot.waitUntil(lambda: not panel.preview.pixmap().isNull(), timeout=5000)
    sha = hashlib.sha256(content).hexdigest()
    assert store.cached_attachment(sha) == content
    panel.table.clearSelection()
    panel.select("att-1")
    qtbot.waitUntil(lambda: not panel.preview.pixmap().isNull(), timeout=5000)
    assert client.downloads == [sha]  # the second look came from the cache


def test_a_downloaded_scan_is_never_on_disk_in_clear_and_goes_at_sign_out(
        qtbot: QtBot, office: Server, store: Store, tmp_path: Path, open_panel: Any) -> None:
    content = png_bytes(40, 30)
    office.send(("attachment", attachment_row(1, content, "身份证正面.png", "image/png")))
    client = FileServer({hashlib.sha256(content).hexdigest(): content})
    panel = open_panel(clerk_with(store, client))
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=5000)
    panel.select("att-1")
    qtbot.waitUntil(lambda: not panel.preview.pixmap().isNull(), timeout=5000)
    sha = hashlib.sha256(content).hexdigest()
    assert store.cached_attachment(sha) == content
    # The image's pixel rows (and its PNG header) appear in no file the desk wrote, WAL included.
    written = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert any(path.name.endswith(".attachments") for path in written)
    assert [path.name for path in written if content[8:40] in path.read_bytes() or content in path.read_bytes()] == []
    store.drop_attachment_cache()  # what the desk does at sign-out
    assert store.cached_attachment(sha) is None
    assert not [path for path in tmp_path.rglob("*.attachments*")]


def test_offline_and_not_on_this_desk_says_so(qtbot: QtBot, office: Server, store: Store, open_panel: Any) -> None:
    content = png_bytes()
    office.send(("attachment", attachment_row(1, content, "照片.png", "image/png")))
    panel = open_panel(clerk_with(store, FileServer({}, online=False)))
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=5000)
    panel.select("att-1")
    qtbot.waitUntil(lambda: "无法下载" in panel.preview.text(), timeout=5000)


def test_a_pdf_is_offered_for_saving(qtbot: QtBot, office: Server, store: Store, tmp_path: Path, open_panel: Any,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    content = b"%PDF-1.4 the signed contract"
    office.send(("attachment", attachment_row(2, content, "合同.pdf", "application/pdf")))
    client = FileServer({hashlib.sha256(content).hexdigest(): content})
    target = tmp_path / "saved" / "合同.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(attachments_panel, "ask_save_path", lambda parent, suggested: target)
    panel = open_panel(clerk_with(store, client))
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=5000)
    panel.select("att-2")
    assert "保存为" in panel.preview.text()
    save = panel.findChild(QPushButton, "saveAttachment")
    assert save.isEnabled() and save.text() == "保存为…"
    save.click()
    qtbot.waitUntil(target.exists, timeout=5000)
    assert target.read_bytes() == content
