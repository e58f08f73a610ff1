"""The one rule for choosing between the Chinese and English text of a bilingual label."""

from __future__ import annotations


def is_english(lang: str) -> bool:
    """English for "en", "en_US", ...; Chinese (the default language) for everything else."""
    return lang.startswith("en")


def pick(zh: str, en: str, lang: str) -> str:
    return en if is_english(lang) else zh
