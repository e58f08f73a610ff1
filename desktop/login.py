"""Sign-in: against the backend, with a clear sentence for every way it can fail."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.offline_login import OfflineLoginRefused
from desktop.operations import Operation, expected_failure_text, report_failure
from desktop.sync.errors import AuthFailed, Offline


def login_failure_text(exc: BaseException) -> str | None:
    """The sentence for a failed sign-in a clerk can meet, or None for a bug."""
    if isinstance(exc, AuthFailed):
        if exc.code == "account_disabled":
            return QCoreApplication.translate("LoginDialog", "此账号已停用，请联系管理员。")
        return QCoreApplication.translate("LoginDialog", "用户名或密码不正确。")
    if isinstance(exc, OfflineLoginRefused):
        unreachable = QCoreApplication.translate("LoginDialog", "无法连接服务器。")
        if exc.reason == "never_here":
            return unreachable + QCoreApplication.translate("LoginDialog", "此账号从未在这台电脑上在线登录过，暂时不能离线登录；请在网络恢复后再试。")
        if exc.reason == "too_old":
            return unreachable + QCoreApplication.translate(
                "LoginDialog", "此账号在这台电脑上最近一次在线登录已超过 %n 天，不能离线登录；请在网络恢复后再试。",
                "", exc.days)
        return unreachable + QCoreApplication.translate("LoginDialog", "离线登录密码不正确（以在这台电脑上最近一次在线登录时的密码为准）。")
    if isinstance(exc, Offline):
        return QCoreApplication.translate("LoginDialog", "无法连接服务器，请检查网络或服务器地址（设置 → 服务器地址）。")
    return expected_failure_text(exc)


class LoginDialog(QDialog):
    def __init__(
        self,
        authenticate: Callable[[str, str], Awaitable[Any]],
        *,
        hint: str = "",
        username: str = "",
        lock_username: bool = False,
        notice: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.setWindowTitle(self.tr("一窗通 — 登录"))
        self._authenticate = authenticate
        self.session: Any = None

        self.username = QLineEdit(username, self)
        self.username.setObjectName("loginUsername")
        self.username.setAccessibleName(self.tr("用户名"))
        self.username.setReadOnly(lock_username)
        self.password = QLineEdit(self)
        self.password.setObjectName("loginPassword")
        self.password.setAccessibleName(self.tr("密码"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(self)
        self.error.setObjectName("loginError")
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("用户名(&U)"), self.username)
        form.addRow(self.tr("密码(&P)"), self.password)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("登录"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        if notice:
            notice_label = QLabel(notice, self)
            notice_label.setObjectName("loginNotice")
            notice_label.setWordWrap(True)
            layout.addWidget(notice_label)
        layout.addLayout(form)
        if hint:
            hint_label = QLabel(hint, self)
            hint_label.setWordWrap(True)
            layout.addWidget(hint_label)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        (self.password if username else self.username).setFocus()

    def submit(self) -> None:
        username = self.username.text().strip()
        password = self.password.text()
        if not username or not password:
            self.error.setText(self.tr("请输入用户名和密码。"))
            return
        self.buttons.setEnabled(False)
        self.error.setText(self.tr("正在登录……"))

        async def work() -> Any:
            return await self._authenticate(username, password)

        Operation(self, work).success(self._signed_in).failure(self._failed).run()

    def _signed_in(self, session: Any) -> None:
        self.session = session
        self.buttons.setEnabled(True)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.password.clear()
        text = login_failure_text(exc)
        if text is None:
            report_failure(exc)
            text = self.tr("登录失败：程序出现意外错误。")
        self.error.setText(text)
