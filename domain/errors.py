"""Errors every layer understands: each carries a sentence for a clerk in Chinese and English."""

from __future__ import annotations

from domain.language import pick


class DomainError(ValueError):
    """A rule was broken; the message says which, in Chinese then English."""

    code = "domain_error"

    def __init__(self, message_zh: str, message_en: str, *, field: str | None = None) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        self.field = field
        super().__init__(f"{message_zh} / {message_en}")

    def message(self, language: str = "zh") -> str:
        return pick(self.message_zh, self.message_en, language)


class InvalidInput(DomainError):
    """Bad input from a person or a system: reject it, store nothing."""

    code = "invalid_input"


class InvalidTransition(DomainError):
    """A state change that the state machine does not allow (for this role, or without a reason)."""

    code = "invalid_transition"


class CatalogueError(DomainError):
    """The business catalogue data is inconsistent; the message names the file and line."""

    code = "catalogue_error"
