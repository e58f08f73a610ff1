"""Why the desk's store cannot be opened: each error carries a sentence for the clerk in Chinese and English."""

from __future__ import annotations


class StoreError(RuntimeError):
    """The local store cannot be used; `message(language)` is the sentence to show."""

    code = "store_error"

    def __init__(self, message_zh: str, message_en: str) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{message_zh} / {message_en}")

    def message(self, language: str = "zh") -> str:
        return self.message_en if language.startswith("en") else self.message_zh


class StoreLocked(StoreError):
    """The key does not open this store file (wrong key, wrong passphrase, or not a store)."""

    code = "store_locked"

    def __init__(self) -> None:
        super().__init__(
            "无法打开本机数据库：密钥不正确或文件已损坏",
            "The local store cannot be opened: the key is wrong or the file is damaged",
        )


class KeyringUnavailable(StoreError):
    """No usable operating-system keyring: the app must ask for a passphrase instead."""

    code = "keyring_unavailable"

    def __init__(self, detail: str = "") -> None:
        suffix = f" ({detail})" if detail else ""
        super().__init__(
            "系统密钥环不可用，请设置本机数据口令" + suffix,
            "The system keyring is not available; please set a passphrase for the local store" + suffix,
        )
