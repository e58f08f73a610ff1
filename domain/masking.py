"""How personal data looks on screen by default: ID first 6 + last 4, phone 138****5678, name 张**.

An organisation's name (a customer identified by a unified social credit code) is not personal
data and shows whole (mask_customer_name).

Every function here is total: any input (None, non-text, garbage) gives a string and never raises,
and a string too short for the convention reveals fewer characters, never more.
"""

from __future__ import annotations

from domain.errors import DomainError
from domain.identity import validate_phone

MASK = "*"

# Two-character surnames: masking after the first character would reveal half a surname and hide
# nothing of the given name, so these keep both characters.
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文",
    "司徒", "夏侯", "澹台", "公冶", "宗政", "濮阳", "淳于", "单于", "太叔", "申屠", "轩辕", "呼延",
    "端木", "万俟", "闻人", "南宫", "西门", "百里", "独孤", "钟离", "赫连", "鲜于", "闾丘", "司空",
})  # fmt: skip

# Administrative levels down to the town (乡镇); anything after is street, village and house.
_ADDRESS_LEVEL_MARKERS = frozenset("省市州盟区县旗镇乡")
_ADDRESS_TAIL = MASK * 4


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    try:
        return str(value).strip()
    except Exception:  # a total function: an object whose str() fails masks to nothing
        return ""


def _mask_middle(text: str, keep_start: int, keep_end: int, min_hidden: int, min_length: int) -> str:
    """Keep keep_start + keep_end characters; if that would hide fewer than min_hidden, keep fewer."""
    length = len(text)
    if length < min_length:
        return MASK * length
    revealed = min(keep_start + keep_end, length - min_hidden)
    end = revealed * keep_end // (keep_start + keep_end)
    start = revealed - end
    return text[:start] + MASK * (length - revealed) + text[length - end :]


def mask_resident_id(value: object) -> str:
    """650101********1234: first 6 and last 4; at least 8 hidden; under 11 characters all hidden."""
    return _mask_middle(_as_text(value), keep_start=6, keep_end=4, min_hidden=8, min_length=11)


def mask_phone(value: object) -> str:
    """Mobile 138****5678; landline keeps the area code and last 2 digits (0571-******78).

    Text that is not a valid phone is masked like a mobile: at most first 3 + last 4, at least
    4 hidden, under 8 characters all hidden.
    """
    text = _as_text(value)
    try:
        phone = validate_phone(text)
    except DomainError:
        return _mask_middle(text, keep_start=3, keep_end=4, min_hidden=4, min_length=8)
    if "-" in phone:
        area, local = phone.split("-", 1)
        return f"{area}-{MASK * (len(local) - 2)}{local[-2:]}"
    return phone[:3] + MASK * 4 + phone[-4:]


def mask_name(value: object) -> str:
    """张** / 欧阳** : the surname only, and never the whole name (a 1-character name is all hidden)."""
    name = _as_text(value)
    surname_length = 2 if name[:2] in COMPOUND_SURNAMES else 1
    revealed = min(surname_length, len(name) - 1) if name else 0
    return name[:revealed] + MASK * (len(name) - revealed)


# Identification types that mark an organisation (company, institution, association): its name
# is public, not personal data, and shows whole. Every other type is a natural person's.
ORGANISATION_ID_TYPES = frozenset({"credit_code"})


def is_organisation(id_type: object) -> bool:
    """True when a customer identified by id_type (domain.records.Customer.id_type) is an organisation."""
    return isinstance(id_type, str) and id_type in ORGANISATION_ID_TYPES


def mask_customer_name(value: object, id_type: object) -> str:
    """A customer's name as shown by default: a person's surname only (mask_name), an organisation's whole.

    岚川县天成酒业有限公司 (统一社会信用代码) stays readable; 张三 (居民身份证) reads 张*. An unknown
    or missing id_type is taken as a person's: masking by mistake is the safe side.
    """
    if is_organisation(id_type):
        return _as_text(value)
    return mask_name(value)


def mask_address(value: object) -> str:
    """Keep the address down to its district/county/town, at most half of it, then ****.

    The kept part ends on the last level marker (省市州盟区县旗镇乡) that lies within the first
    half of the text and not in its first two characters; with none, nothing is kept.
    """
    address = _as_text(value)
    if not address:
        return ""
    kept = 0
    for index in range(2, len(address) // 2):
        if address[index] in _ADDRESS_LEVEL_MARKERS:
            kept = index + 1
    return address[:kept] + _ADDRESS_TAIL
