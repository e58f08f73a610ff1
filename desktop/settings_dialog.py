"""The settings dialog: server address, language, theme, locking, and the shortcut of every action.

Everything goes through the Settings schema: the whole form is checked first, and bad input gets a
sentence and changes nothing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import messages
from desktop.actions import ACTION_SPECS, ActionRegistry, check_shortcuts, translated
from desktop.i18n import LANGUAGES, install_language
from desktop.operations import expected_failure_text
from desktop.settings import LOCK_MINUTES, OFFLINE_LOGIN_DAYS, Settings
from desktop.theme import apply_theme
from domain.errors import InvalidInput


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, actions: ActionRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("设置"))
        self._settings = settings
        self._actions = actions

        self.backend_url = QLineEdit(settings.get("backend/url"), self)
        self.backend_url.setObjectName("settingsBackendUrl")
        self.backend_url.setAccessibleName(self.tr("服务器地址"))
        self.backend_url.setPlaceholderText(self.tr("留空：使用本机内置服务"))
        url_note = QLabel(self.tr("形如 http://主机名:8600。保存新地址后立即连接该服务器（需重新登录），无需重启。"), self)
        url_note.setWordWrap(True)

        self.language = QComboBox(self)
        self.language.setObjectName("settingsLanguage")
        self.language.setAccessibleName(self.tr("界面语言"))
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.get("ui/language"))))

        self.theme = QComboBox(self)
        self.theme.setObjectName("settingsTheme")
        self.theme.setAccessibleName(self.tr("配色"))
        self.theme.addItem(self.tr("浅色"), "light")
        self.theme.addItem(self.tr("深色"), "dark")
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.get("ui/theme"))))

        self.lock_minutes = QSpinBox(self)
        self.lock_minutes.setObjectName("settingsLockMinutes")
        self.lock_minutes.setAccessibleName(self.tr("无操作锁屏分钟数"))
        self.lock_minutes.setRange(*LOCK_MINUTES)
        self.lock_minutes.setSuffix(self.tr(" 分钟"))
        self.lock_minutes.setValue(settings.get("security/lock_minutes"))

        self.offline_days = QSpinBox(self)
        self.offline_days.setObjectName("settingsOfflineDays")
        self.offline_days.setAccessibleName(self.tr("离线登录有效天数"))
        self.offline_days.setRange(*OFFLINE_LOGIN_DAYS)
        self.offline_days.setSuffix(self.tr(" 天"))
        self.offline_days.setValue(settings.get("security/offline_login_days"))

        general = QGroupBox(self.tr("常规"), self)
        form = QFormLayout(general)
        form.addRow(self.tr("服务器地址(&B)"), self.backend_url)
        form.addRow("", url_note)
        form.addRow(self.tr("界面语言(&L)"), self.language)
        form.addRow(self.tr("配色(&T)"), self.theme)
        form.addRow(self.tr("无操作锁屏(&M)"), self.lock_minutes)
        form.addRow(self.tr("离线登录有效期(&D)"), self.offline_days)

        self.shortcuts = QTableWidget(len(ACTION_SPECS), 2, self)
        self.shortcuts.setObjectName("settingsShortcuts")
        self.shortcuts.setAccessibleName(self.tr("快捷键"))
        self.shortcuts.setHorizontalHeaderLabels([self.tr("操作"), self.tr("快捷键")])
        self.shortcuts.verticalHeader().hide()
        self.shortcuts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.shortcuts.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.shortcuts.horizontalHeader().setStretchLastSection(True)
        self.key_edits: dict[str, QKeySequenceEdit] = {}
        for row, spec in enumerate(ACTION_SPECS):
            self.shortcuts.setItem(row, 0, QTableWidgetItem(translated(spec)))
            edit = QKeySequenceEdit(QKeySequence(actions.keys(spec.id)), self.shortcuts)
            edit.setObjectName(f"shortcut:{spec.id}")
            edit.setAccessibleName(self.tr("「%1」的快捷键").replace("%1", translated(spec)))
            edit.setMaximumSequenceLength(1)
            edit.setClearButtonEnabled(True)
            self.shortcuts.setCellWidget(row, 1, edit)
            self.key_edits[spec.id] = edit
        self.reset_keys = QPushButton(self.tr("恢复默认快捷键(&R)"), self)
        self.reset_keys.setObjectName("resetShortcuts")
        self.reset_keys.clicked.connect(self.reset_shortcuts)
        keys_box = QGroupBox(self.tr("快捷键"), self)
        keys_layout = QVBoxLayout(keys_box)
        keys_layout.addWidget(self.shortcuts)
        reset_row = QHBoxLayout()
        reset_row.addStretch(1)
        reset_row.addWidget(self.reset_keys)
        keys_layout.addLayout(reset_row)

        self.error = QLabel(self)
        self.error.setObjectName("settingsError")
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(general)
        layout.addWidget(keys_box, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, 640)

    def reset_shortcuts(self) -> None:
        """Fill the table with the default keys; nothing is stored until Save."""
        for spec in ACTION_SPECS:
            self.key_edits[spec.id].setKeySequence(QKeySequence(spec.default_keys))

    def _form_values(self) -> dict[str, Any]:
        return {
            "backend/url": self.backend_url.text(),
            "ui/language": self.language.currentData(),
            "ui/theme": self.theme.currentData(),
            "security/lock_minutes": self.lock_minutes.value(),
            "security/offline_login_days": self.offline_days.value(),
        }

    def save(self) -> bool:
        """Check the whole form, then store it; on bad input say why and store nothing."""
        try:
            values = {name: self._settings.validate(name, value) for name, value in self._form_values().items()}
            wanted = {spec_id: edit.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
                      for spec_id, edit in self.key_edits.items()}
            check_shortcuts(wanted)
        except InvalidInput as exc:
            self.error.setText(expected_failure_text(exc) or str(exc))
            return False
        before = {name: self._settings.get(name) for name in values}
        for name, value in values.items():
            self._settings.set(name, value)
        self._actions.rebind(wanted)
        self._after_save(before, values)
        self.error.clear()
        self.accept()
        return True

    def _after_save(self, before: dict[str, Any], after: dict[str, Any]) -> None:
        app = QApplication.instance()
        if before["ui/theme"] != after["ui/theme"] and isinstance(app, QApplication):
            apply_theme(app, after["ui/theme"])
        # A new server address is picked up by the desk at once (it signs out to sign in there): see Desk.
        if before["ui/language"] != after["ui/language"] and app is not None:
            if install_language(app, after["ui/language"]):
                messages.info(self.tr("界面语言已切换：此后打开的窗口使用新语言，重新启动后全部生效。"))
            else:
                messages.warning(self.tr("界面语言已保存，但本机没有该语言的译文，界面仍显示中文。"))
