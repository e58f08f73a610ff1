"""The staff password rule, one for the server (password change, `onewindow-server` account commands)
and the desk (the change-password dialog can say what is wrong before sending).

Length is what counts against guessing; the other checks only refuse the guesses an attacker tries
first. The server throttles sign-ins and keeps only an argon2id hash.
"""

from __future__ import annotations

from domain.errors import InvalidInput

MIN_LENGTH = 10
MAX_LENGTH = 256

# The passwords tried first (leaked-password lists, utility and Chinese favourites), lower-cased.
COMMON = frozenset({
    "1234567890", "0123456789", "12345678910", "1234567890a", "a1234567890", "qwertyuiop", "1qaz2wsx3edc",
    "qwerty123456", "password123", "password1234", "passw0rd123", "p@ssw0rd123", "administrator", "admin12345",
    "admin123456", "iloveyou123", "woaini1314", "woaini520", "abc1234567", "abcd123456", "abcdefghij",
    "aa123456789", "a123456789", "123456789a", "1q2w3e4r5t", "zxcvbnm123", "welcome123", "changeme123",
    "letmein123", "sgcc123456", "sgcc12345678", "95598955989", "dianli123456", "guowang123", "demo123456",
    "onewindow123", "onewindow1", "1111111111", "0000000000", "8888888888", "6666666666",
})


def _classes(password: str) -> int:
    return sum((
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
        any(c.isalpha() and not c.isascii() for c in password),  # 汉字 and other letters count as a class
    ))


def password_problem(password: str, username: str = "") -> InvalidInput | None:
    """Why `password` is not acceptable for `username`, or None when it is."""
    if len(password) < MIN_LENGTH:
        return InvalidInput(f"密码至少 {MIN_LENGTH} 位", f"the password needs at least {MIN_LENGTH} characters",
                            field="password")
    if len(password) > MAX_LENGTH:
        return InvalidInput(f"密码最多 {MAX_LENGTH} 位", f"the password may have at most {MAX_LENGTH} characters",
                            field="password")
    if _classes(password) < 2:
        return InvalidInput("密码不能只用一类字符（如全是数字）", "the password must mix kinds of characters (not only digits, say)",
                            field="password")
    lowered = password.lower()
    if username and username.lower() in lowered:
        return InvalidInput("密码不能包含用户名", "the password must not contain the user name", field="password")
    if lowered in COMMON or len(set(lowered)) <= 2:
        return InvalidInput("密码过于常见，请换一个", "this password is too common, choose another", field="password")
    return None


def check_password(password: str, username: str = "") -> None:
    """Raise `InvalidInput` when `password_problem` finds one."""
    problem = password_problem(password, username)
    if problem is not None:
        raise problem
