"""Expected sync failures, each with a sentence a clerk can read in Chinese and English."""

from __future__ import annotations


class SyncError(Exception):
    """Base of every expected failure of the sync client; `retryable` tells the engine to try again later."""

    retryable = False

    def __init__(self, message_zh: str, message_en: str, *, code: str | None = None) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        self.code = code
        super().__init__(f"{message_zh} / {message_en}")

    def message(self, language: str = "zh") -> str:
        return self.message_en if language.startswith("en") else self.message_zh


class Offline(SyncError):
    """The server could not be reached or did not answer in time."""

    retryable = True

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "无法连接服务器，已转为离线工作，恢复后自动同步。",
            "Cannot reach the server; working offline, will sync when the link returns.",
            code="offline",
        )
        self.detail = detail


class AuthFailed(SyncError):
    """Wrong user name or password, or the account is disabled or locked."""

    def __init__(self, code: str = "unauthenticated", server_message: str | None = None) -> None:
        super().__init__(
            "用户名或密码错误，或账号已停用。",
            "Wrong user name or password, or the account is disabled.",
            code=code,
        )
        self.server_message = server_message


class SessionExpired(SyncError):
    """The session cannot be renewed (refresh token expired, revoked or reused): sign in again."""

    def __init__(self, code: str = "session_expired") -> None:
        super().__init__("登录已过期，请重新登录。", "Your session has ended; please sign in again.", code=code)


class Throttled(SyncError):
    """The server asked us to slow down; `retry_after` is in seconds."""

    retryable = True

    def __init__(self, retry_after: float) -> None:
        super().__init__(
            f"服务器繁忙，{retry_after:.0f} 秒后重试。",
            f"The server is busy; retrying in {retry_after:.0f} s.",
            code="throttled",
        )
        self.retry_after = retry_after


class ProtocolTooOld(SyncError):
    """The server no longer accepts this desk's protocol version."""

    def __init__(self) -> None:
        super().__init__(
            "客户端版本过旧，请升级后再同步。",
            "This desk's version is too old for the server; please upgrade.",
            code="protocol_too_old",
        )


class ServerError(SyncError):
    """The server failed (5xx) or answered something this desk cannot read; worth retrying."""

    retryable = True

    def __init__(self, status: int, detail: str = "") -> None:
        super().__init__(
            f"服务器出错（{status}），稍后自动重试。",
            f"The server failed ({status}); retrying shortly.",
            code="server_error",
        )
        self.status = status
        self.detail = detail


class RequestRefused(SyncError):
    """The server refused this request for good (400/403/404/409/413): retrying unchanged will not help."""

    def __init__(self, status: int, code: str, server_message: str) -> None:
        super().__init__(
            f"服务器拒绝了请求：{server_message}",
            f"The server refused the request: {server_message}",
            code=code,
        )
        self.status = status
