"""The conflicts inbox: changes the server rejected, mine and the server's version side by side,
and the two ways out — keep the server's version, or send mine again on top of it."""

from __future__ import annotations

from datetime import datetime
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
from desktop.display import cell_text, datetime_text, plain_tooltip
from desktop.i18n import current_language
from desktop.operations import Operation, changes, report_failure
from domain.bounds import text_limit
from domain.catalogue import Channel, load_catalogue
from domain.errors import DomainError, InvalidInput
from domain.language import pick
from domain.masking import mask_customer_name, mask_phone, mask_resident_id
from domain.states import state_label
from local_store import ConflictEntry

AnyIndex = QModelIndex | QPersistentModelIndex
CHANGED_BACKGROUND = QColor("#ffe9a8")
CHANGED_FOREGROUND = QColor("#000000")
# Bookkeeping columns that differ on every rejection and mean nothing to a clerk.
HIDDEN_FIELDS = {"id", "office_id", "version", "server_version", "search_rowid", "created_at", "updated_at"}
translate = QCoreApplication.translate
EMPTY: tuple[Any, ...] = (None, False, "", [], {})
VALUE_CHARS = 40
"""A value quoted in the sentence is cut here (the table beside it shows more)."""
NOTE_CHARS = text_limit("note.body")


# What a clerk calls each column of a record (translated at use).
FIELD_WORDS = {
    "state": QT_TRANSLATE_NOOP("ConflictsInbox", "状态"),
    "summary": QT_TRANSLATE_NOOP("ConflictsInbox", "诉求摘要"),
    "account_id": QT_TRANSLATE_NOOP("ConflictsInbox", "户号"),
    "customer_id": QT_TRANSLATE_NOOP("ConflictsInbox", "客户"),
    "fields": QT_TRANSLATE_NOOP("ConflictsInbox", "业务信息"),
    "materials": QT_TRANSLATE_NOOP("ConflictsInbox", "申请材料"),
    "due_at": QT_TRANSLATE_NOOP("ConflictsInbox", "承诺时限"),
    "warn_at": QT_TRANSLATE_NOOP("ConflictsInbox", "预警时间"),
    "closed_at": QT_TRANSLATE_NOOP("ConflictsInbox", "办结时间"),
    "satisfaction": QT_TRANSLATE_NOOP("ConflictsInbox", "满意度"),
    "linked_ticket_id": QT_TRANSLATE_NOOP("ConflictsInbox", "关联工单"),
    "assignee_id": QT_TRANSLATE_NOOP("ConflictsInbox", "经办人"),
    "reason": QT_TRANSLATE_NOOP("ConflictsInbox", "原因"),
    "outcome": QT_TRANSLATE_NOOP("ConflictsInbox", "办理结果"),
    "name": QT_TRANSLATE_NOOP("ConflictsInbox", "姓名"),
    "phone": QT_TRANSLATE_NOOP("ConflictsInbox", "电话"),
    "address": QT_TRANSLATE_NOOP("ConflictsInbox", "地址"),
    "id_number": QT_TRANSLATE_NOOP("ConflictsInbox", "证件号码"),
    "body": QT_TRANSLATE_NOOP("ConflictsInbox", "内容"),
    "surveyor_id": QT_TRANSLATE_NOOP("ConflictsInbox", "勘查员"),
    "start": QT_TRANSLATE_NOOP("ConflictsInbox", "开始时间"),
    "end": QT_TRANSLATE_NOOP("ConflictsInbox", "结束时间"),
    "territory": QT_TRANSLATE_NOOP("ConflictsInbox", "辖区"),
    "number": QT_TRANSLATE_NOOP("ConflictsInbox", "工单编号"),
    "provisional_number": QT_TRANSLATE_NOOP("ConflictsInbox", "临时编号"),
    "type_code": QT_TRANSLATE_NOOP("ConflictsInbox", "业务类型"),
    "channel": QT_TRANSLATE_NOOP("ConflictsInbox", "受理渠道"),
    "accepted_at": QT_TRANSLATE_NOOP("ConflictsInbox", "受理时间"),
    "accepted_by": QT_TRANSLATE_NOOP("ConflictsInbox", "受理人"),
    "department": QT_TRANSLATE_NOOP("ConflictsInbox", "部门"),
    "stage_code": QT_TRANSLATE_NOOP("ConflictsInbox", "环节"),
    "opened_at": QT_TRANSLATE_NOOP("ConflictsInbox", "开始时间"),
    "completed_at": QT_TRANSLATE_NOOP("ConflictsInbox", "完成时间"),
    "deadline_provisional": QT_TRANSLATE_NOOP("ConflictsInbox", "时限暂定"),
    "ticket_id": QT_TRANSLATE_NOOP("ConflictsInbox", "所属工单"),
    "summary_text": QT_TRANSLATE_NOOP("ConflictsInbox", "摘要"),
}


def entity_label(entity: str) -> str:
    labels = {
        "ticket": translate("ConflictsInbox", "工单"), "customer": translate("ConflictsInbox", "客户"), "account": translate("ConflictsInbox", "户号"), "interaction": translate("ConflictsInbox", "接触记录"),
        "verification": translate("ConflictsInbox", "身份核验"), "note": translate("ConflictsInbox", "备注"), "stage_task": translate("ConflictsInbox", "环节任务"),
        "survey_assignment": translate("ConflictsInbox", "勘查派工"), "attachment": translate("ConflictsInbox", "附件"),
        "info_request": translate("ConflictsInbox", "补充材料/信息"),
    }
    return labels.get(entity, translate("ConflictsInbox", "记录"))


def field_label(entity: str, name: str, row: dict[str, Any] | None = None) -> str:
    """What a clerk calls a field: the form's words, the catalogue's label for a ticket type's own fields."""
    return _known_label(entity, name, row) or translate("ConflictsInbox", "其他信息")


def _known_label(entity: str, name: str, row: dict[str, Any] | None = None) -> str | None:
    if name in FIELD_WORDS:
        return translate("ConflictsInbox", str(FIELD_WORDS[name]))
    type_code = (row or {}).get("type_code")
    if entity == "ticket" and isinstance(type_code, str):
        try:
            for ticket_field in load_catalogue().ticket_type(type_code).fields:
                if ticket_field.name == name:
                    return ticket_field.label(current_language())
        except DomainError:
            pass
    return None


def _stage_name(code: str) -> str:
    for ticket_type in load_catalogue().types:
        for stage in ticket_type.workflow.stages:
            if stage.code == code:
                return stage.name(current_language())
    return code


def shown(value: Any, entity: str = "", name: str = "", row: dict[str, Any] | None = None) -> str:
    """A value as words: office time for moments, labels for states and codes, nothing of ids."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if name == "id" or name.endswith("_id") or name in {"accepted_by", "created_by", "by"}:
        return translate("ConflictsInbox", "（已指定）")
    if name == "id_number":  # masked like the card: the inbox is no way around it
        return mask_resident_id(value)
    if name in {"phone", "caller_number"} or name.endswith("_phone"):
        return mask_phone(value)
    if name == "state":
        try:
            return state_label(entity, str(value), current_language()[:2])
        except InvalidInput:
            return str(value)
    if name == "channel":
        try:
            return Channel(str(value)).label(current_language())
        except ValueError:
            return str(value)
    if name == "type_code":
        try:
            return load_catalogue().ticket_type(str(value)).name(current_language())
        except DomainError:
            return str(value)
    if name == "stage_code":
        return _stage_name(str(value))
    if isinstance(value, dict):
        return "；".join(f"{field_label(entity, str(k), row)}：{shown(v, entity, str(k))}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(shown(v) for v in value)
    if isinstance(value, bool):
        return translate("ConflictsInbox", "是") if value else translate("ConflictsInbox", "否")
    if isinstance(value, str) and len(value) >= 16 and value[4:5] == "-" and "T" in value:
        try:
            return datetime_text(datetime.fromisoformat(value))
        except ValueError:
            pass
    return str(value)


def what_changed(entry: ConflictEntry) -> str:
    """What I did, in words: 把状态改为「处理中」 / 新建 / 修改诉求摘要、地址."""
    mutation = entry.mutation
    if mutation.transition is not None:
        return translate("ConflictsInbox", "把状态改为「%1」").replace("%1", shown(mutation.transition.to_state, mutation.entity, "state"))
    if mutation.op == "create":
        return translate("ConflictsInbox", "新建")
    row = entry.mine or entry.server
    names = "、".join(dict.fromkeys(field_label(mutation.entity, name, row) for name in mutation.fields))
    return translate("ConflictsInbox", "修改%1").replace("%1", names)


def record_title(entry: ConflictEntry) -> str:
    """工单 GD20250000（故障报修） / 环节任务「现场勘查」 / 客户 张*."""
    row = entry.server or entry.mine or {}
    entity = entry.mutation.entity
    label = entity_label(entity)
    if entity == "ticket":
        number = row.get("number") or row.get("provisional_number")
        kind = shown(row.get("type_code"), entity, "type_code") if row.get("type_code") else ""
        text = f"{label} {number}" if number else label
        return f"{text}（{kind}）" if kind else text
    if entity == "stage_task" and row.get("stage_code"):
        return f"{label}「{_stage_name(str(row['stage_code']))}」"
    if entity == "customer" and row.get("name"):
        return f"{label} {mask_customer_name(str(row['name']), row.get('id_type'))}"
    return label


def reason_text(entry: ConflictEntry) -> str:
    """Why the server refused, in the desk's language (the server sends "中文 / English")."""
    reason = entry.reason or ""
    if " / " in reason:
        zh, _, en = reason.partition(" / ")
        reason = pick(zh, en, current_language())
    if reason:
        return reason
    known = {
        "stale_version": translate("ConflictsInbox", "他人先修改了这条记录。"), "out_of_scope": translate("ConflictsInbox", "这条记录不属于你的营业单位。"),
        "not_found": translate("ConflictsInbox", "服务器上没有这条记录。"), "invalid_input": translate("ConflictsInbox", "内容不符合规则。"),
        "forbidden": translate("ConflictsInbox", "你的岗位无权做此修改。"), "exists": translate("ConflictsInbox", "这条记录已经存在。"),
    }
    return known.get(entry.code or "", translate("ConflictsInbox", "服务器拒绝了此修改。"))


def conflict_sentence(entry: ConflictEntry) -> str:
    """The whole conflict as one sentence a clerk reads: when, which record, what I did, why, what stands now."""
    mutation = entry.mutation
    mine, server = entry.mine or {}, entry.server or {}
    sentence = translate("ConflictsInbox", "%1，你对%2的修改（%3）未能保存：%4").replace("%1", datetime_text(entry.created_at)).replace(
        "%2", record_title(entry)).replace("%3", what_changed(entry)).replace("%4", reason_text(entry))
    touched = list(mutation.fields) + (["state"] if mutation.transition is not None else [])
    differing = [name for name in dict.fromkeys(touched) if name not in HIDDEN_FIELDS
                 and mine.get(name) != server.get(name) and entry.server is not None]
    for name in differing[:3]:
        sentence += translate("ConflictsInbox", "「%1」你填的是「%2」，现在是「%3」。").replace("%1", field_label(mutation.entity, name, server)) \
            .replace("%2", cell_text(shown(mine.get(name), mutation.entity, name, mine), VALUE_CHARS)) \
            .replace("%3", cell_text(shown(server.get(name), mutation.entity, name, server), VALUE_CHARS))
    if entry.server is None:
        sentence += translate("ConflictsInbox", "服务器上没有这条记录。")
    return sentence


def ticket_of(entry: ConflictEntry) -> str | None:
    """The ticket a conflict is about (itself, or the ticket of a stage task or note), for 转主管."""
    row = entry.server or entry.mine or {}
    if entry.mutation.entity == "ticket":
        return entry.mutation.entity_id
    ticket_id = row.get("ticket_id")
    return str(ticket_id) if ticket_id else None


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
            texts = (datetime_text(entry.created_at), record_title(entry), what_changed(entry), reason_text(entry))
            text = texts[column] if 0 <= column < len(texts) else ""
            return plain_tooltip(text) if role == Qt.ItemDataRole.ToolTipRole else cell_text(text)
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
        self._entry: ConflictEntry | None = None

    def show_entry(self, entry: ConflictEntry | None) -> None:
        self.beginResetModel()
        self._entry = entry
        self.rows = self._rows(entry) if entry is not None else []
        self.endResetModel()

    @staticmethod
    def _rows(entry: ConflictEntry) -> list[tuple[str, Any, Any, bool]]:
        mine, server = entry.mine or {}, entry.server or {}
        touched = list(entry.mutation.fields)
        if entry.mutation.transition is not None:
            touched.append("state")
        names = list(dict.fromkeys(touched + sorted(set(mine) | set(server))))
        entity = entry.mutation.entity
        # Two values differ when a person would read them differently (not "Z" against "+00:00").
        def differ(name: str) -> bool:
            a, b = mine.get(name), server.get(name)
            if a in EMPTY and b in EMPTY:  # unset and "no" read alike
                return False
            return shown(a, entity, name, mine) != shown(b, entity, name, server)

        rows = [(name, mine.get(name), server.get(name), differ(name))
                for name in names if name not in HIDDEN_FIELDS
                and (name in touched or _known_label(entity, name, server or mine) is not None)]
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
        if role == Qt.ItemDataRole.UserRole:
            return name
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) and 0 <= index.column() < 3:
            entry = self._entry
            entity = entry.mutation.entity if entry is not None else ""
            rows = (entry.mine, entry.server) if entry is not None else (None, None)
            texts = (field_label(entity, name, rows[1] or rows[0]), shown(mine, entity, name, rows[0]),
                     shown(server, entity, name, rows[1]))
            if role == Qt.ItemDataRole.DisplayRole:
                return cell_text(texts[index.column()])
            tip = texts[index.column()] + ("\n" + translate("ConflictsInbox", "两个版本不同") if changed else "")
            return plain_tooltip(tip)
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

    def add_note(self, ticket_id: str, body: str, *, author_id: str | None = None) -> Any: ...


class ConflictsInboxDialog(QDialog):
    """Lists the store's unresolved conflicts, each as a sentence; settled by 放弃 (keep the server's version),
    转主管 (a note on the ticket for the supervisor with what I wanted, then the server's version stands) or
    sending mine again on top of the server's."""

    resolved = Signal(int)  # conflict id

    def __init__(self, store: ConflictsStore, engine: Any = None, parent: QWidget | None = None, *,
                 staff_id: str | None = None) -> None:
        super().__init__(parent)
        self._staff_id = staff_id
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
        self.list.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list.setWordWrap(False)
        self.list.verticalHeader().hide()
        self.list.selectionModel().currentRowChanged.connect(self._show_current)

        self.reason = QLabel(self)
        self.reason.setTextFormat(Qt.TextFormat.PlainText)  # it quotes what people typed
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

        self.keep_server = QPushButton(self.tr("放弃我的修改(&D)"), self)
        self.keep_server.setObjectName("keepServerVersion")
        self.keep_server.setToolTip(self.tr("保留服务器上的版本，我的修改不再提交"))
        self.keep_server.clicked.connect(lambda: self.resolve("keep_server"))
        self.escalate = QPushButton(self.tr("转主管(&E)"), self)
        self.escalate.setObjectName("escalateConflict")
        self.escalate.setToolTip(self.tr("在工单上留一条内部备注，写明我的修改和被拒原因，由主管决定"))
        self.escalate.clicked.connect(self.escalate_current)
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
        row.addWidget(self.escalate)
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
        self.escalate.setEnabled(entry is not None and not self._busy and ticket_of(entry) is not None)
        if entry is None:
            self.reason.clear()
            return
        self.reason.setText(conflict_sentence(entry))

    # ---- settling ----

    def resolve(self, resolution: str) -> None:
        entry = self.current_entry()
        if entry is None or self._busy:
            return
        self._busy = True
        self.keep_server.setEnabled(False)
        self.retry_mine.setEnabled(False)
        self.escalate.setEnabled(False)
        store = self._store
        Operation(self, lambda: store.resolve_conflict(entry.id, resolution), changes={entry.mutation.entity}) \
            .success(lambda _m: self._resolved(entry, resolution)).failure(self._failed).run()

    def escalate_current(self) -> None:
        """转主管: an internal note on the ticket says what I wanted and why it was refused; the server's stands."""
        entry = self.current_entry()
        ticket_id = ticket_of(entry) if entry is not None else None
        if entry is None or ticket_id is None or self._busy:
            return
        self._busy = True
        for button in (self.keep_server, self.retry_mine, self.escalate):
            button.setEnabled(False)
        store = self._store
        body = self.tr("【转主管】%1").replace("%1", conflict_sentence(entry))
        staff_id = self._staff_id

        def work() -> None:
            store.add_note(ticket_id, body[:NOTE_CHARS], author_id=staff_id)
            store.resolve_conflict(entry.id, "keep_server")

        Operation(self, work, changes={entry.mutation.entity, "note"}) \
            .success(lambda _m: self._resolved(entry, "escalate")).failure(self._failed).run()

    def _resolved(self, entry: ConflictEntry, resolution: str) -> None:
        self._busy = False
        if resolution == "escalate":
            if self._engine is not None:
                self._engine.notify_local_change()
            messages.info(self.tr("已转主管：工单上留了内部备注，主管会看到你的修改。"))
        elif resolution == "retry_mine":
            if self._engine is not None:
                self._engine.notify_local_change()
            messages.info(self.tr("已重新提交我的修改，将在下次同步时上传。"))
        else:
            messages.info(self.tr("已放弃我的修改，保留服务器版本。"))
        self.resolved.emit(entry.id)  # the announced change reloads the list

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        report_failure(exc)
        self.reload()
