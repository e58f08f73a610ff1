"""Who the customer is: resident IDs, credit codes, phone and account numbers, checked and normalised."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from domain.errors import CatalogueError, InvalidInput

# Province codes of GB 11643 digits 1-2, with the short name a clerk recognises.
PROVINCES: dict[str, str] = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古",
    "21": "辽宁", "22": "吉林", "23": "黑龙江",
    "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西", "37": "山东",
    "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
    "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏",
    "61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏", "65": "新疆",
    "71": "台湾", "81": "香港", "82": "澳门",
}  # fmt: skip

_RESIDENT_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RESIDENT_CHECK_CHARS = "10X98765432"
_EARLIEST_BIRTH_DATE = date(1900, 1, 1)

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# Explicit [0-9]: \d would also accept Arabic-Indic and other Unicode digits.
_DIGITS17 = re.compile(r"[0-9]{17}")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
# 010 and 02X are the only three-digit area codes; every other area code has four digits.
_LANDLINE = re.compile(r"(?P<area>0(?:10|2[0-9]|[3-9][0-9]{2}))(?P<local>[1-9][0-9]{6,7})")
_PHONE_SEPARATORS = re.compile(r"[\s\-()]")
_COUNTRY_PREFIX = re.compile(r"(?:\+|00)86")

# Full-width ASCII (what a Chinese input method types) mapped to half-width.
_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def _to_halfwidth(text: str) -> str:
    return text.translate(_HALFWIDTH)


def _clean(text: object, field_name: str, empty_zh: str, empty_en: str) -> str:
    if not isinstance(text, str):
        raise InvalidInput(
            f"{empty_zh}（输入不是文本）", f"{empty_en} (the input is not text)", field=field_name
        )
    cleaned = _to_halfwidth(text).strip()
    if not cleaned:
        raise InvalidInput(empty_zh, empty_en, field=field_name)
    return cleaned


# --- Resident ID (GB 11643) -------------------------------------------------------


@dataclass(frozen=True, repr=False)
class ResidentId:
    """A checked 18-character resident ID number and what it encodes."""

    number: str
    region_code: str
    province_code: str
    birth_date: date
    sex: Literal["M", "F"]

    @property
    def province_name(self) -> str:
        return PROVINCES[self.province_code]

    def __repr__(self) -> str:
        # The full number must never reach a log, and reprs end up in logs.
        return f"ResidentId({self.number[:6]}{'*' * 8}{self.number[-4:]})"


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of a resident ID."""
    if not isinstance(first17, str) or not _DIGITS17.fullmatch(first17):
        raise InvalidInput(
            "计算校验位需要17位数字",
            "The check character needs exactly 17 digits",
            field="id_number",
        )
    total = sum(int(digit) * weight for digit, weight in zip(first17, _RESIDENT_WEIGHTS, strict=True))
    return _RESIDENT_CHECK_CHARS[total % 11]


def validate_resident_id(text: str, *, today: date | None = None) -> ResidentId:
    """Check a resident ID number; raise InvalidInput saying what is wrong (never echoing the number)."""
    number = _clean(text, "id_number", "请填写身份证号码", "The ID number is empty").upper()

    def fail(message_zh: str, message_en: str) -> InvalidInput:
        return InvalidInput(message_zh, message_en, field="id_number")

    if len(number) != 18:
        raise fail(
            f"身份证号码应为18位，当前为{len(number)}位",
            f"The ID number must have 18 characters, not {len(number)}",
        )
    first17, check_char = number[:17], number[17]
    if not _DIGITS17.fullmatch(first17):
        raise fail("身份证号码前17位必须是数字", "The first 17 characters of the ID number must be digits")
    if check_char not in "0123456789X":
        raise fail(
            "身份证号码最后一位必须是数字或X", "The last character of the ID number must be a digit or X"
        )
    province_code = number[:2]
    if province_code not in PROVINCES:
        raise fail(
            "身份证号码前两位不是有效的省份代码",
            "The first two digits of the ID number are not a valid province code",
        )
    try:
        birth_date = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise fail(
            "身份证号码中的出生日期不存在", "The birth date in the ID number is not a real date"
        ) from None
    if birth_date < _EARLIEST_BIRTH_DATE:
        raise fail("身份证号码中的出生日期早于1900年", "The birth date in the ID number is before 1900")
    if birth_date > (today if today is not None else date.today()):
        raise fail("身份证号码中的出生日期晚于今天", "The birth date in the ID number is in the future")
    if resident_id_check_char(first17) != check_char:
        raise fail("身份证号码校验位错误", "The check character of the ID number is wrong")
    return ResidentId(
        number=number,
        region_code=number[:6],
        province_code=province_code,
        birth_date=birth_date,
        sex="M" if int(number[16]) % 2 else "F",
    )


# --- Unified social credit code (GB 32100) -----------------------------------------


def credit_code_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a unified social credit code."""
    if (
        not isinstance(first17, str)
        or len(first17) != 17
        or any(char not in CREDIT_CODE_ALPHABET for char in first17)
    ):
        raise InvalidInput(
            "计算校验位需要17位有效字符",
            "The check character needs exactly 17 valid characters",
            field="credit_code",
        )
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight
        for char, weight in zip(first17, _CREDIT_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(text: str) -> str:
    """Check a unified social credit code; return it upper-cased."""
    code = _clean(
        text, "credit_code", "请填写统一社会信用代码", "The unified social credit code is empty"
    ).upper()

    def fail(message_zh: str, message_en: str) -> InvalidInput:
        return InvalidInput(message_zh, message_en, field="credit_code")

    if len(code) != 18:
        raise fail(
            f"统一社会信用代码应为18位，当前为{len(code)}位",
            f"The unified social credit code must have 18 characters, not {len(code)}",
        )
    if any(char not in CREDIT_CODE_ALPHABET for char in code):
        raise fail(
            "统一社会信用代码只能包含数字和大写字母（不含I、O、Z、S、V）",
            "The unified social credit code may only contain digits and capital letters other than I, O, Z, S, V",
        )
    if not code[2:8].isdigit():
        raise fail(
            "统一社会信用代码第3至8位应为行政区划码（6位数字）",
            "Characters 3 to 8 of the unified social credit code must be a 6-digit region code",
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise fail(
            "统一社会信用代码校验位错误", "The check character of the unified social credit code is wrong"
        )
    return code


# --- Names and identifiers typed by hand ---------------------------------------------------

# Emoji pieces outside the "other symbol" category: skin tones, variation selectors, keycap, tags.
_EMOJI_PARTS = {*range(0x1F3FB, 0x1F400), *range(0xFE00, 0xFE10), 0x20E3, *range(0xE0020, 0xE0080)}


def refused_char(text: str, *, line_breaks: bool = False) -> str | None:
    """The first character a name or identifier may not hold: control, format (ZWJ), private use,
    unassigned or emoji/pictograph ("So"); None when there is none. Line breaks pass when allowed."""
    for char in text:
        if line_breaks and char in "\n\t":
            continue
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "So") or ord(char) in _EMOJI_PARTS:
            return char
    return None


def validate_typed_name(text: str, field: str = "name") -> str:
    """A person's name or an identifier typed at the desk: refuses control characters and emoji
    (they break printing, search and the ID card comparison); returns it trimmed."""
    if refused_char(text) is not None:
        raise InvalidInput("不能含有表情符号或控制字符", "must not contain emoji or control characters",
                           field=field)
    return text.strip()


# --- Phone ---------------------------------------------------------------------------


def validate_phone(text: str) -> str:
    """Check a customer's phone; return a mobile as 11 digits or a landline as "area-number"."""
    raw = _clean(text, "phone", "请填写电话号码", "The phone number is empty")

    def fail(message_zh: str, message_en: str) -> InvalidInput:
        return InvalidInput(message_zh, message_en, field="phone")

    digits = _PHONE_SEPARATORS.sub("", raw)
    international = _COUNTRY_PREFIX.match(digits)
    if international:
        digits = digits[international.end() :]
    if not digits:
        raise fail("请填写电话号码", "The phone number is empty")
    if not digits.isascii() or not digits.isdigit():
        raise fail(
            "电话号码只能包含数字、空格、括号和连字符",
            "A phone number may only contain digits, spaces, brackets and dashes",
        )
    if international and (digits.startswith("10") or not digits.startswith("1")):
        digits = "0" + digits  # +86 10 1234 5678 drops the area code's leading 0; mobiles are 1[3-9]
    if _MOBILE.fullmatch(digits):
        return digits
    if digits.startswith("1"):
        raise fail(
            "手机号码应为11位，以13至19开头",
            "A mobile number has 11 digits and starts with 13 to 19",
        )
    landline = _LANDLINE.fullmatch(digits)
    if landline:
        return f"{landline['area']}-{landline['local']}"
    raise fail(
        "固定电话应为区号加7至8位号码，例如010-12345678",
        "A landline needs its area code and a 7- or 8-digit number, e.g. 010-12345678",
    )


# --- Account number (户号) ------------------------------------------------------------


@dataclass(frozen=True)
class AccountNumberPattern:
    """The 户号 format of one province: a regular expression and how to describe it to a clerk."""

    pattern: str = r"^[0-9]{10}$"
    description_zh: str = "10位数字"
    description_en: str = "10 digits"
    _compiled: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            compiled = re.compile(self.pattern, re.ASCII)
        except re.error as error:
            raise CatalogueError(
                f"户号格式配置不是有效的正则表达式：{error}",
                f"The account number pattern is not a valid regular expression: {error}",
                field="account_no",
            ) from None
        object.__setattr__(self, "_compiled", compiled)

    def matches(self, text: str) -> bool:
        return self._compiled.fullmatch(_to_halfwidth(text).strip()) is not None

    def validate(self, text: str) -> str:
        """Return the account number stripped, or raise InvalidInput naming the expected format."""
        account_no = _clean(text, "account_no", "请填写户号", "The account number is empty")
        if self._compiled.fullmatch(account_no) is None:
            raise InvalidInput(
                f"户号格式不正确，应为{self.description_zh}",
                f"The account number is not valid: expected {self.description_en}",
                field="account_no",
            )
        return account_no


DEFAULT_ACCOUNT_NUMBER_PATTERN = AccountNumberPattern()


# --- What a search box string looks like ----------------------------------------------

QueryKind = Literal["resident_id", "phone", "account_no", "ticket_number", "digits", "text"]

_SERVER_TICKET = re.compile(r"[A-Z]{2}[0-9]{8,}", re.IGNORECASE | re.ASCII)
_PROVISIONAL_TICKET = re.compile(r"P-[A-Z0-9]+-[0-9]+", re.IGNORECASE | re.ASCII)
_RESIDENT_ID_SHAPE = re.compile(r"[0-9]{17}[0-9Xx]")
_SEARCH_SEPARATORS = re.compile(r"[\s\-]")


def classify_query(
    text: str, account_pattern: AccountNumberPattern = DEFAULT_ACCOUNT_NUMBER_PATTERN
) -> QueryKind:
    """Guess what a clerk typed into the search box, so the search can use the right index."""
    if not isinstance(text, str):
        return "text"
    query = _to_halfwidth(text).strip()
    if _SERVER_TICKET.fullmatch(query) or _PROVISIONAL_TICKET.fullmatch(query):
        return "ticket_number"
    compact = _SEARCH_SEPARATORS.sub("", query)
    if _RESIDENT_ID_SHAPE.fullmatch(compact):
        return "resident_id"
    international = _COUNTRY_PREFIX.match(compact)
    if _MOBILE.fullmatch(compact[international.end() :] if international else compact):
        return "phone"
    if query and account_pattern.matches(query):
        return "account_no"
    if compact.isascii() and compact.isdigit():
        return "digits"
    return "text"
