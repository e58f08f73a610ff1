"""What a passphrase protecting a desk's data must be: the key is derived from it (argon2id), so a short or
guessable one would let anyone holding the file open it offline."""

from __future__ import annotations

from domain.errors import InvalidInput

PASSPHRASE_MIN_CHARS = 12
PASSPHRASE_MIN_DISTINCT = 6
# Passphrases anyone would try first (compared without spaces, case-folded).
COMMON = frozenset({
    "password1234", "passw0rd1234", "qwertyuiop12", "1qaz2wsx3edc", "onewindow123", "onewindow1234",
    "administrator", "iloveyou1234", "woaini1314520",
})


def check_new_passphrase(passphrase: str) -> None:
    """Refuse a new passphrase that is too short or too easy to guess, with the reason (InvalidInput)."""
    text = passphrase.strip()
    if len(text) < PASSPHRASE_MIN_CHARS:
        raise InvalidInput(
            f"口令至少需要 {PASSPHRASE_MIN_CHARS} 个字符（可用一句话，如“城关营业厅2025年春季”）",
            f"The passphrase needs at least {PASSPHRASE_MIN_CHARS} characters (a short sentence works well)",
            field="passphrase",
        )
    if text.isdigit():
        raise InvalidInput("口令不能只由数字组成", "The passphrase cannot be digits only", field="passphrase")
    if len(set(text.casefold())) < PASSPHRASE_MIN_DISTINCT or _is_run(text):
        raise InvalidInput(
            "口令重复或连续的字符太多，容易被猜到",
            "The passphrase repeats or runs through characters and is easy to guess",
            field="passphrase",
        )
    if "".join(text.casefold().split()) in COMMON:
        raise InvalidInput("这是常见口令，容易被猜到", "That is a common passphrase and easy to guess",
                           field="passphrase")


def _is_run(text: str) -> bool:
    """abcdefghijkl, 987654321098, a repeated block (abcabcabcabc)."""
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    if steps <= {1, -9} or steps <= {-1, 9}:
        return True
    return any(len(text) % size == 0 and text == text[:size] * (len(text) // size) for size in range(1, 5))
