"""The conflicts inbox: changes the server rejected, mine and the server's version side by side,
and the two ways out — keep the server's version, or send mine again on top of it."""

from __future__ import annotations

import json
from typing import Any, Protocol

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop import messages
from desktop.i18n import current_language
from desktop.operations import Operation, changes, report_failure
from domain.errors import InvalidInput
from domain.states import state_label
from local_store import ConflictEntry

AnyIndex = QModelIndex | QPersistentModelIndex
CHANGED_BACKGROUND = QColor("#ffe9a8")
CHANGED_FOREGROUND = QColor("#000000")
# Bookkeeping columns that differ on every rejection and mean nothing to a clerk.
HIDDEN_FIELDS = {"version", "server_version", "search_rowid"}



def entity_label(entity: str) -> str:
    labels = {
        "ticket": QCoreApplication.translate("ConflictsInbox", "工单"), "customer": QCoreApplication.translate("ConflictsInbox", "客户"), "account": QCoreApplication.translate("ConflictsInbox", "户号"), "interaction": QCoreApplication.translate("ConflictsInbox", "接触记录"),
        "verification": QCoreApplication.translate("ConflictsInbox", "身份核验"), "note": QCoreApplication.translate("ConflictsInbox", "备注"), "stage_task": QCoreApplication.translate("ConflictsInbox", "环节任务"),
        "survey_assignment": QCoreApplication.translate("ConflictsInbox", "勘查派工"), "attachment": QCoreApplication.translate("ConflictsInbox", "附件"),
    }
    return labels.get(entity, entity)


def what_changed(entry: ConflictEntry) -> str:
    mutation = entry.mutation
    if mutation.transition is not None:
        try:
            to = state_label(mutation.entity, mutation.transition.to_state, current_language()[:2])
        except InvalidInput:  # an entity or state the machines do not know: show it raw
            to = mutation.transition.to_state
        return QCoreApplication.translate("ConflictsInbox", "状态改为「%1」").replace("%1", to)
    if mutation.op == "create":
        return QCoreApplication.translate("ConflictsInbox", "新建")
    return QCoreApplication.translate("ConflictsInbox", "修改 %1").replace("%1", "、".join(mutation.fields))


def record_title(entry: ConflictEntry) -> str:
    row = entry.server or entry.mine or {}
    number = row.get("number") or row.get("provisional_number") or row.get("name")
    label = entity_label(entry.mutation.entity)
    return f"{label} {number}" if number else f"{label} {entry.mutation.entity_id[-8:]}"


def reason_text(entry: ConflictEntry) -> str:
    return entry.reason or (QCoreApplication.translate("ConflictsInbox", "服务器拒绝了此修改（%1）").replace("%1", entry.code) if entry.code
                            else QCoreApplication.translate("ConflictsInbox", "服务器拒绝了此修改。"))


def shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class ConflictsModel(QAbstractTableModel):
    """Unresolved conflicts, oldest first: when, which record, what I did, why the server refused."""

    HEADERS = (QT_TRANSLATE_NOOP("ConflictsInbox", "时间"), QT_TRANSLATE_NOOP("ConflictsInbox", "记录"),
               QT_TRANSLATE_NOOP("ConflictsInbox", "我的修改"), QT_TRANSLATE_NOOP("ConflictsInbox", "原因"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[ConflictEntry] = []

    def set_entries(self, entries: list[ConflictEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.HEADERS):
            return QCoreApplication.translate("ConflictsInbox", str(self.HEADERS[section]))
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        entry = self.entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == 0:
                return entry.created_at.astimezone().strftime("%m-%d %H:%M")
            if column == 1:
                return record_title(entry)
            if column == 2:
                return what_changed(entry)
            if column == 3:
                return reason_text(entry)
        if role == Qt.ItemDataRole.UserRole:
            return entry.id
        return None


class VersionsModel(QAbstractTableModel):
    """One conflict field by field: mine next to the server's, the fields that differ highlighted."""

    HEADERS = (QT_TRANSLATE_NOOP("ConflictsInbox", "字段"), QT_TRANSLATE_NOOP("ConflictsInbox", "我的版本"),
               QT_TRANSLATE_NOOP("ConflictsInbox", "服务器版本"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, Any, Any, bool]] = []

    def show_entry(self, entry: ConflictEntry | None) -> None:
        self.beginResetModel()
        self.rows = self._rows(entry) if entry is not None else []
        self.endResetModel()

    @staticmethod
    def _rows(entry: ConflictEntry) -> list[tuple[str, Any, Any, bool]]:
        mine, server = entry.mine or {}, entry.server or {}
        touched = list(entry.mutation.fields)
        if entry.mutation.transition is not None:
            touched.append("state")
        names = list(dict.fromkeys(touched + sorted(set(mine) | set(server))))
        rows = [(name, mine.get(name), server.get(name), mine.get(name) != server.get(name))
                for name in names if name not in HIDDEN_FIELDS]
        # What I touched first, then anything else that differs, then what agrees.
        return sorted(rows, key=lambda row: (row[0] not in touched, not row[3]))

    def changed_fields(self) -> list[str]:
        return [row[0] for row in self.rows if row[3]]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.HEADERS):
            return QCoreApplication.translate("ConflictsInbox", str(self.HEADERS[section]))
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        name, mine, server, changed = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (name, shown(mine), shown(server))[index.column()] if 0 <= index.column() < 3 else None
        if role == Qt.ItemDataRole.ToolTipRole and changed:
            return QCoreApplication.translate("ConflictsInbox", "两个版本不同")
        if role == Qt.ItemDataRole.BackgroundRole and changed:
            return CHANGED_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole and changed:
            return CHANGED_FOREGROUND
        if role == Qt.ItemDataRole.FontRole and changed:
            font = QFont()
            font.setBold(True)
            return font
        return None


class ConflictsStore(Protocol):
    def conflicts(self, *, include_resolved: bool = False) -> list[ConflictEntry]: ...

    def resolve_conflict(self, conflict_id: int, resolution: Any) -> Any: ...


class ConflictsInboxDialog(QDialog):
    """Lists the store's unresolved conflicts; each is settled by keeping the server's version or retrying mine."""

    resolved = Signal(int)  # conflict id

    def __init__(self, store: ConflictsStore, engine: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsInboxDialog")
        self.setWindowTitle(self.tr("冲突收件箱"))
        self.resize(980, 560)
        self._store = store
        self._engine = engine
        self._busy = False

        self.model = ConflictsModel(self)
        self.list = QTableView(self)
        self.list.setObjectName("conflictList")
        self.list.setAccessibleName(self.tr("待处理的冲突"))
        self.list.setModel(self.model)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.horizontalHeader().setStretchLastSection(True)
        self.list.verticalHeader().hide()
        self.list.selectionModel().currentRowChanged.connect(self._show_current)

        self.reason = QLabel(self)
        self.reason.setObjectName("conflictReason")
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.versions = VersionsModel(self)
        self.fields = QTableView(self)
        self.fields.setObjectName("conflictVersions")
        self.fields.setAccessibleName(self.tr("我的版本与服务器版本对照"))
        self.fields.setModel(self.versions)
        self.fields.verticalHeader().hide()
        self.fields.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        self.keep_server = QPushButton(self.tr("保留服务器版本(&S)"), self)
        self.keep_server.setObjectName("keepServerVersion")
        self.keep_server.clicked.connect(lambda: self.resolve("keep_server"))
        self.retry_mine = QPushButton(self.tr("重新提交我的修改(&R)"), self)
        self.retry_mine.setObjectName("retryMine")
        self.retry_mine.clicked.connect(lambda: self.resolve("retry_mine"))
        self.empty = QLabel(self.tr("没有待处理的冲突。"), self)
        self.empty.setObjectName("conflictsEmpty")

        detail = QWidget(self)
        column = QVBoxLayout(detail)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.reason)
        column.addWidget(self.fields, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.keep_server)
        row.addWidget(self.retry_mine)
        column.addLayout(row)
        splitter = QSplitter(self)
        splitter.addWidget(self.list)
        splitter.addWidget(detail)
        splitter.setSizes([420, 560])
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(splitter, 1)
        layout.addWidget(close)

        changes().changed.connect(self._on_changes)
        self._show_current(QModelIndex())
        self.reload()

    # ---- reading ----

    def reload(self) -> None:
        store = self._store
        Operation(self, lambda: store.conflicts()).success(self._loaded).run()

    def _on_changes(self, _kinds: object) -> None:
        if not self._busy:
            self.reload()

    def _loaded(self, entries: list[ConflictEntry]) -> None:
        keep = self.current_entry()
        self.model.set_entries(entries)
        self.empty.setVisible(not entries)
        if entries:
            ids = [entry.id for entry in entries]
            row = ids.index(keep.id) if keep is not None and keep.id in ids else 0
            self.list.setCurrentIndex(self.model.index(row, 0))
        else:
            self._show_current(QModelIndex())

    def current_entry(self) -> ConflictEntry | None:
        row = self.list.currentIndex().row()
        return self.model.entries[row] if 0 <= row < len(self.model.entries) else None

    def _show_current(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        entry = self.model.entries[current.row()] if current.isValid() else None
        self.versions.show_entry(entry)
        self.keep_server.setEnabled(entry is not None and not self._busy)
        self.retry_mine.setEnabled(entry is not None and not self._busy)
        if entry is None:
            self.reason.clear()
            return
        lines = [f"<b>{record_title(entry)}</b> · {what_changed(entry)}", reason_text(entry)]
        if entry.server is None:
            lines.append(self.tr("服务器上没有这条记录。"))
        self.reason.setText("<br>".join(lines))

    # ---- settling ----

    def resolve(self, resolution: str) -> None:
        entry = self.current_entry()
        if entry is None or self._busy:
            return
        self._busy = True
        self.keep_server.setEnabled(False)
        self.retry_mine.setEnabled(False)
        store = self._store
        Operation(self, lambda: store.resolve_conflict(entry.id, resolution), changes={entry.mutation.entity}) \
            .success(lambda _m: self._resolved(entry, resolution)).failure(self._failed).run()

    def _resolved(self, entry: ConflictEntry, resolution: str) -> None:
        self._busy = False
        if resolution == "retry_mine":
            if self._engine is not None:
                self._engine.notify_local_change()
            messages.info(self.tr("已重新提交我的修改，将在下次同步时上传。"))
        else:
            messages.info(self.tr("已保留服务器版本。"))
        self.resolved.emit(entry.id)  # the announced change reloads the list

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        report_failure(exc)
        self.reload()
