"""A ticket's attachments: which files it carries, whether each reached the server, a preview of images
(downloaded lazily when this desk does not hold the file, cached for the session inside the store's
encrypted attachment cache, dropped at sign-out) and "保存为…" for everything."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import messages
from desktop.context import DeskContext
from desktop.i18n import current_language
from desktop.operations import Operation, report_failure, store_executor
from desktop.sync.errors import SyncError
from local_store.attachments import AttachmentInfo

PREVIEW_TYPES = frozenset({"image/png", "image/jpeg"})
PREVIEW_WIDTH, PREVIEW_HEIGHT = 480, 360


def file_size_text(size: int) -> str:
    """1 234 567 → "1.2 MB": sizes as people read them (units are the same in Chinese and English)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def ask_save_path(parent: QWidget, suggested: str) -> Path | None:
    """Ask where to save an attachment (tests replace this)."""
    path, _filter = QFileDialog.getSaveFileName(
        parent, QCoreApplication.translate("AttachmentsPanel", "保存附件"), suggested)
    return Path(path) if path else None


def _read_verified(path: Path, sha256: str) -> bytes | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def remove_plaintext_cache(data_dir: Path) -> None:
    """Older versions cached downloads in clear under `<data dir>/attachments`: delete that directory."""
    legacy = data_dir / "attachments"
    if legacy.is_dir():
        shutil.rmtree(legacy, ignore_errors=True)


class AttachmentsPanel(QWidget):
    def __init__(self, context: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachmentsPanel")
        self._context = context
        self._ticket_id: str | None = None
        self.attachments: list[AttachmentInfo] = []
        self._loading: asyncio.Task[Any] | None = None

        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("attachmentList")
        self.table.setAccessibleName(self.tr("工单附件"))
        self.table.setHorizontalHeaderLabels([self.tr("文件名"), self.tr("大小"), self.tr("状态")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self._selected)
        self.preview = QLabel(self)
        self.preview.setObjectName("attachmentPreview")
        self.preview.setTextFormat(Qt.TextFormat.PlainText)  # a file name is whatever the sender typed
        self.preview.setAccessibleName(self.tr("附件预览"))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumHeight(120)
        self.preview.setWordWrap(True)
        self.save_button = QPushButton(self.tr("保存为…"), self)
        self.save_button.setObjectName("saveAttachment")
        self.save_button.setAccessibleName(self.tr("将所选附件保存为文件"))
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save_selected)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.preview, 2)
        layout.addLayout(buttons)

    # ---- listing ----------------------------------------------------------------------------------

    def show_ticket(self, ticket_id: str | None) -> None:
        if ticket_id != self._ticket_id:
            self._clear_preview()
        self._ticket_id = ticket_id
        if ticket_id is None:
            self._show([])
            return
        store = self._context.store
        Operation(self, lambda: store.ticket_attachments(ticket_id)).success(
            lambda found: self._landed(ticket_id, found)).run()

    def reload(self) -> None:
        self.show_ticket(self._ticket_id)

    def _landed(self, ticket_id: str, found: list[AttachmentInfo]) -> None:
        if ticket_id == self._ticket_id:
            self._show(found)

    def _show(self, found: list[AttachmentInfo]) -> None:
        selected = self.selected()
        self.attachments = found
        self.table.blockSignals(True)
        self.table.setRowCount(len(found))
        for row, info in enumerate(found):
            state = self.tr("已上传") if info.uploaded else self.tr("等待上传")
            for column, text in enumerate((info.filename, file_size_text(info.size), state)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, info.id)
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        if selected is not None:
            self.select(selected.id)

    def selected(self) -> AttachmentInfo | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model is not None else []
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        chosen = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return next((a for a in self.attachments if a.id == chosen), None)

    def select(self, attachment_id: str) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == attachment_id:
                self.table.selectRow(row)
                return

    # ---- content: this desk's file, the cache, or a download --------------------------------------

    async def content(self, info: AttachmentInfo) -> bytes | None:
        """The attachment's bytes, or None when this desk cannot get them now (offline, not uploaded yet)."""
        loop = asyncio.get_running_loop()
        store = self._context.store
        local = await loop.run_in_executor(store_executor, store.local_attachment_file, info.sha256)
        if local is not None:
            data = await loop.run_in_executor(store_executor, _read_verified, local, info.sha256)
            if data is not None:
                return data
        cached = await loop.run_in_executor(store_executor, store.cached_attachment, info.sha256)
        if cached is not None:
            return cached
        client = getattr(self._context.engine, "client", None)
        if client is None:
            return None
        data = await client.download_attachment(info.sha256)
        if hashlib.sha256(data).hexdigest() == info.sha256:  # never cache what is not the attachment
            await loop.run_in_executor(store_executor, store.cache_attachment, info.sha256, data)
        return data

    def _selected(self) -> None:
        info = self.selected()
        self.save_button.setEnabled(info is not None)
        self._clear_preview()
        if info is None:
            return
        if info.media_type not in PREVIEW_TYPES:
            self.preview.setText(self.tr("此类文件不能预览，请用“保存为…”保存后打开。"))
            return
        self.preview.setText(self.tr("正在载入预览…"))
        self._loading = Operation(self, partial(self.content, info)).success(
            lambda data: self._show_preview(info, data)).failure(self._preview_failed).run()

    def _show_preview(self, info: AttachmentInfo, data: bytes | None) -> None:
        if self.selected() != info:
            return  # another attachment was chosen meanwhile
        if data is None:
            self.preview.setText(self.tr("此附件不在本机，联网并上传完成后可查看。"))
            return
        pixmap = QPixmap()
        if not pixmap.loadFromData(data):
            self.preview.setText(self.tr("图片无法显示，可保存后用其他程序打开。"))
            return
        self.preview.setPixmap(pixmap.scaled(PREVIEW_WIDTH, PREVIEW_HEIGHT, Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation))

    def _preview_failed(self, error: BaseException) -> None:
        if isinstance(error, SyncError):
            self.preview.setText(self.tr("暂时无法下载此附件：%1").replace("%1", error.message(current_language())))
            return
        self.preview.clear()
        report_failure(error)

    def _clear_preview(self) -> None:
        if self._loading is not None and not self._loading.done():
            self._loading.cancel()
        self._loading = None
        self.preview.clear()

    # ---- saving -----------------------------------------------------------------------------------

    def save_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        target = ask_save_path(self, info.filename)
        if target is None:
            return

        async def save() -> Path | None:
            data = await self.content(info)
            if data is None:
                return None
            await asyncio.get_running_loop().run_in_executor(store_executor, target.write_bytes, data)
            return target

        Operation(self, save).success(self._saved).failure(self._save_failed).run()

    def _saved(self, target: Path | None) -> None:
        if target is None:
            messages.warning(self.tr("此附件不在本机，联网并上传完成后可保存。"))
        else:
            messages.info(self.tr("附件已保存：%1").replace("%1", str(target)))

    def _save_failed(self, error: BaseException) -> None:
        if isinstance(error, OSError):
            messages.warning(self.tr("无法保存附件：%1").replace("%1", error.strerror or str(error)))
            return
        report_failure(error)
