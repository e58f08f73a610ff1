"""Masking: the conventions on realistic data, and for any input at all never more than they allow."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.masking import (
    COMPOUND_SURNAMES,
    is_organisation,
    mask_address,
    mask_customer_name,
    mask_name,
    mask_phone,
    mask_resident_id,
)
from domain.records import Customer

MASKERS: list[Callable[[object], str]] = [mask_resident_id, mask_phone, mask_name, mask_address]


def revealed(masked: str) -> int:
    return sum(1 for char in masked if char != "*")


class Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no text for you")


# --- the conventions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("650101199001011234", "650101********1234"),
        ("11010519491231002X", "110105********002X"),
        (" 650101199001011234 ", "650101********1234"),
        ("130321860311519", "13032********19"),  # old 15-digit ID: still 8 or more hidden
        ("12345678901", "12********1"),
        ("1234567890", "**********"),
        ("1", "*"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_resident_id(value: object, masked: str) -> None:
    assert mask_resident_id(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("+86 138-1234-5678", "138****5678"),
        ("010-62345678", "010-******78"),
        ("0571 8765432", "0571-*****32"),
        ("1381234567", "138****567"),  # not a valid phone: masked like a mobile, 4 or more hidden
        ("1381234", "*******"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(value: object, masked: str) -> None:
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("张三", "张*"),
        ("张三丰", "张**"),
        ("欧阳修", "欧阳*"),
        ("诸葛孔明", "诸葛**"),
        ("欧阳", "欧*"),  # a compound surname alone would otherwise be shown whole
        ("王", "*"),
        (" 李四 ", "李*"),
        ("买买提·艾力", "买*****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_name(value: object, masked: str) -> None:
    assert mask_name(value) == masked


@pytest.mark.parametrize(
    ("name", "id_type", "shown"),
    [
        ("岚川县天成酒业有限公司", "credit_code", "岚川县天成酒业有限公司"),  # an organisation: public name
        (" 岚川县供销合作社 ", "credit_code", "岚川县供销合作社"),
        ("张三丰", "resident", "张**"),  # a natural person: surname only
        ("欧阳修", "other", "欧阳*"),  # passport and the like are people too
        ("张三丰", None, "张**"),  # unknown type: masked, the safe side
        ("张三丰", "", "张**"),
        ("张三丰", "CREDIT_CODE", "张**"),  # only the exact code counts
        ("张三丰", object(), "张**"),
        (None, "credit_code", ""),
    ],
)
def test_mask_customer_name(name: object, id_type: object, shown: str) -> None:
    assert mask_customer_name(name, id_type) == shown


def test_every_customer_id_type_is_either_a_person_or_an_organisation() -> None:
    id_types = Customer.model_fields["id_type"].annotation.__args__  # type: ignore[union-attr]
    assert set(id_types) == {"resident", "credit_code", "other"}
    assert [t for t in id_types if is_organisation(t)] == ["credit_code"]


@given(text=st.text(min_size=1).filter(lambda t: t.strip() and "*" not in t))
def test_a_persons_name_is_never_shown_whole(text: str) -> None:
    for id_type in ("resident", "other", None):
        assert mask_customer_name(text, id_type) == mask_name(text)


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("北京市朝阳区建国路88号院3号楼2单元501", "北京市朝阳区****"),
        ("浙江省杭州市西湖区文三路90号东部软件园", "浙江省杭州市西湖区****"),
        ("新疆维吾尔自治区乌鲁木齐市天山区解放北路123号", "新疆维吾尔自治区****"),
        ("河北省保定市涞源县王安镇东村12号", "河北省保定市****"),
        ("解放北路123号", "****"),
        ("市区", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_address(value: object, masked: str) -> None:
    assert mask_address(value) == masked


@pytest.mark.parametrize("masker", MASKERS)
@pytest.mark.parametrize(
    "value", [None, "", 650101199001011234, 3.5, b"13812345678", object(), Unprintable(), ["a"]]
)
def test_masking_never_raises_on_odd_input(masker: Callable[[object], str], value: object) -> None:
    assert isinstance(masker(value), str)


def test_a_non_text_id_is_masked_like_its_text() -> None:
    assert mask_resident_id(650101199001011234) == "650101********1234"


# --- never more than the convention, for any text -------------------------------------------


@given(st.text())
def test_resident_id_masking_reveals_at_most_first_6_and_last_4(text: str) -> None:
    stripped = text.strip()
    masked = mask_resident_id(text)
    assert len(masked) == len(stripped)
    assert all(m in ("*", s) for m, s in zip(masked, stripped, strict=True))
    assert revealed(masked) <= min(10, max(0, len(stripped) - 8))
    if len(stripped) < 11:
        assert revealed(masked) == 0
    visible = [i for i, char in enumerate(masked) if char != "*"]
    assert all(i < 6 or i >= len(stripped) - 4 for i in visible)


@given(st.text())
def test_phone_masking_reveals_at_most_7_characters(text: str) -> None:
    stripped = text.strip()
    masked = mask_phone(text)
    assert revealed(masked) <= 7
    if stripped and "*" not in stripped:
        assert stripped not in masked


@given(st.from_regex(r"\A1[3-9][0-9]{9}\Z"))
def test_every_mobile_keeps_first_3_and_last_4(mobile: str) -> None:
    assert mask_phone(mobile) == mobile[:3] + "****" + mobile[-4:]


@given(st.text())
def test_name_masking_reveals_at_most_the_surname(text: str) -> None:
    name = text.strip()
    masked = mask_name(text)
    assert len(masked) == len(name)
    kept = len(masked.rstrip("*"))
    assert masked == name[:kept] + "*" * (len(name) - kept)
    assert kept < len(name) or not name
    assert kept <= (2 if name[:2] in COMPOUND_SURNAMES else 1)


@given(st.text())
def test_address_masking_reveals_at_most_half(text: str) -> None:
    address = text.strip()
    masked = mask_address(text)
    if not address:
        assert masked == ""
        return
    assert masked.endswith("****")
    kept = masked[:-4]
    assert address.startswith(kept)
    assert len(kept) <= len(address) // 2


@pytest.mark.parametrize("masker", MASKERS)
@given(text=st.text(min_size=1).filter(lambda t: t.strip() and "*" not in t))
def test_no_masker_returns_its_input_whole(masker: Callable[[object], str], text: str) -> None:
    assert text.strip() not in masker(text)
