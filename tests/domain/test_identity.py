"""Identity validation: resident IDs, credit codes, phones, account numbers and search-box guesses."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import CatalogueError, InvalidInput
from domain.identity import (
    CREDIT_CODE_ALPHABET,
    PROVINCES,
    AccountNumberPattern,
    ResidentId,
    classify_query,
    credit_code_check_char,
    resident_id_check_char,
    validate_credit_code,
    validate_phone,
    validate_resident_id,
)

TODAY = date(2026, 11, 26)
CJK = re.compile(r"[\u4e00-\u9fff]")


# Independent oracles: ISO 7064 as usually stated (weights are powers of 2 mod 11 and of 3 mod 31),
# not the weight tables the module uses, so a typo in either table is caught.
def oracle_resident_check(first17: str) -> str:
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def oracle_credit_check(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


digit = st.sampled_from("0123456789")


@st.composite
def resident_id_parts(draw: st.DrawFn) -> tuple[str, date, str]:
    """(first 17 digits, birth date, sequence digits) of a plausible resident ID."""
    province = draw(st.sampled_from(sorted(PROVINCES)))
    region_rest = draw(st.text(digit, min_size=4, max_size=4))
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    sequence = draw(st.text(digit, min_size=3, max_size=3))
    return province + region_rest + birth.strftime("%Y%m%d") + sequence, birth, sequence


@st.composite
def valid_resident_ids(draw: st.DrawFn) -> str:
    first17, _, _ = draw(resident_id_parts())
    return first17 + oracle_resident_check(first17)


@st.composite
def valid_credit_codes(draw: st.DrawFn) -> str:
    head = draw(st.text(st.sampled_from(CREDIT_CODE_ALPHABET), min_size=2, max_size=2))
    region = draw(st.text(digit, min_size=6, max_size=6))
    subject = draw(st.text(st.sampled_from(CREDIT_CODE_ALPHABET), min_size=9, max_size=9))
    first17 = head + region + subject
    return first17 + oracle_credit_check(first17)


def assert_bilingual(error: InvalidInput, field: str, zh: str, en: str) -> None:
    assert error.field == field
    assert zh in error.message_zh and CJK.search(error.message_zh)
    assert en in error.message_en and not CJK.search(error.message_en)
    assert error.message_zh in str(error) and error.message_en in str(error)


# --- resident ID --------------------------------------------------------------------


def test_standard_examples_have_their_published_check_characters() -> None:
    assert resident_id_check_char("11010519491231002") == "X"
    assert resident_id_check_char("44052418800101001") == "4"


@given(resident_id_parts())
def test_every_valid_resident_id_passes_and_decodes(parts: tuple[str, date, str]) -> None:
    first17, birth, sequence = parts
    number = first17 + oracle_resident_check(first17)
    resident = validate_resident_id(f"  {number}\t", today=TODAY)
    assert resident == ResidentId(
        number=number,
        region_code=number[:6],
        province_code=number[:2],
        birth_date=birth,
        sex="M" if int(sequence[-1]) % 2 else "F",
    )
    assert resident_id_check_char(first17) == number[17]


@given(valid_resident_ids())
def test_every_single_character_corruption_of_a_resident_id_fails(number: str) -> None:
    for position in range(18):
        allowed = "0123456789X" if position == 17 else "0123456789"
        for replacement in allowed.replace(number[position], ""):
            corrupted = number[:position] + replacement + number[position + 1 :]
            with pytest.raises(InvalidInput) as caught:
                validate_resident_id(corrupted, today=TODAY)
            assert caught.value.field == "id_number"


@given(resident_id_parts())
def test_lower_case_x_is_accepted_and_stored_upper_case(parts: tuple[str, date, str]) -> None:
    first15 = parts[0][:15]
    # Some pair of final sequence digits always gives check value 10 (X).
    first17 = next(
        first15 + a + b
        for a in "0123456789"
        for b in "0123456789"
        if oracle_resident_check(first15 + a + b) == "X"
    )
    resident = validate_resident_id(first17 + "x", today=TODAY)
    assert resident.number == first17 + "X"


def test_full_width_digits_from_a_chinese_input_method_are_accepted() -> None:
    assert (
        validate_resident_id("１１０１０５１９４９１２３１００２Ｘ", today=TODAY).number
        == "11010519491231002X"
    )


def test_repr_masks_the_number() -> None:
    resident = validate_resident_id("11010519491231002X", today=TODAY)
    assert "11010519491231002X" not in repr(resident)
    assert repr(resident) == "ResidentId(110105********002X)"
    assert resident.province_name == "北京"
    assert resident.sex == "F"


def with_check(first17: str) -> str:
    return first17 + oracle_resident_check(first17)


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("", "请填写身份证号码", "empty"),
        ("   ", "请填写身份证号码", "empty"),
        ("11010519491231002", "应为18位，当前为17位", "must have 18 characters, not 17"),
        ("11010519491231002X1", "应为18位", "must have 18 characters"),
        ("1101051949123100AX", "前17位必须是数字", "first 17 characters"),
        ("11010519491231002Y", "最后一位必须是数字或X", "last character"),
        (with_check("99010519491231002"), "省份代码", "province code"),
        (with_check("00010519491231002"), "省份代码", "province code"),
        (with_check("11010519490230002"), "出生日期不存在", "not a real date"),
        (with_check("11010500000101002"), "出生日期不存在", "not a real date"),
        (with_check("11010518991231002"), "早于1900年", "before 1900"),
        (with_check("11010520261127002"), "晚于今天", "in the future"),
        ("110105194912310021", "校验位错误", "The check character of the ID number is wrong"),
    ],
)
def test_each_resident_id_error_is_explained_in_both_languages(text: str, zh: str, en: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_resident_id(text, today=TODAY)
    assert_bilingual(caught.value, "id_number", zh, en)
    if len(text) == 18:
        assert text not in str(caught.value)  # the number must not leak into logs via the message


def test_birth_date_today_is_accepted_and_tomorrow_is_not() -> None:
    assert validate_resident_id(with_check("11010520261126002"), today=TODAY).birth_date == TODAY
    with pytest.raises(InvalidInput):
        validate_resident_id(with_check("11010520261127002"), today=TODAY)


def test_non_text_is_rejected_as_invalid_input() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_resident_id(110105194912310021, today=TODAY)  # type: ignore[arg-type]
    assert caught.value.field == "id_number"


@pytest.mark.parametrize("first17", ["", "1234", "1101051949123100X", "１１０１０５１９４９１２３１００２"])
def test_check_char_helper_refuses_anything_but_17_digits(first17: str) -> None:
    with pytest.raises(InvalidInput):
        resident_id_check_char(first17)


# --- credit code --------------------------------------------------------------------


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91440300708461136T", "91110108551385082Q"])
def test_published_credit_codes_pass(code: str) -> None:
    assert validate_credit_code(code) == code
    assert credit_code_check_char(code[:17]) == code[17]


@given(valid_credit_codes())
def test_every_valid_credit_code_passes_lower_case_too(code: str) -> None:
    assert validate_credit_code(code) == code
    assert validate_credit_code(f" {code.lower()} ") == code


@given(valid_credit_codes())
def test_every_single_character_corruption_of_a_credit_code_fails(code: str) -> None:
    for position in range(18):
        for replacement in CREDIT_CODE_ALPHABET.replace(code[position], ""):
            corrupted = code[:position] + replacement + code[position + 1 :]
            with pytest.raises(InvalidInput) as caught:
                validate_credit_code(corrupted)
            assert caught.value.field == "credit_code"


def credit_with_check(first17: str) -> str:
    return first17 + oracle_credit_check(first17)


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("", "请填写统一社会信用代码", "empty"),
        ("91350100M000100Y4", "应为18位，当前为17位", "must have 18 characters, not 17"),
        ("91350100M000100I43", "不含I、O、Z、S、V", "other than I, O, Z, S, V"),
        ("91350100M000100-43", "只能包含数字和大写字母", "may only contain"),
        (credit_with_check("9135A100M000100Y4"), "行政区划码", "6-digit region code"),
        ("91350100M000100Y44", "校验位错误", "check character"),
    ],
)
def test_each_credit_code_error_is_explained_in_both_languages(text: str, zh: str, en: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_credit_code(text)
    assert_bilingual(caught.value, "credit_code", zh, en)


# --- phone --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("13812345678", "13812345678"),
        (" 138-1234-5678 ", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0086-13812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("010-62345678", "010-62345678"),
        ("01062345678", "010-62345678"),
        ("(021) 6234 5678", "021-62345678"),
        ("0571-8765432", "0571-8765432"),
        ("0991 12345678", "0991-12345678"),
        ("+86 10 6234 5678", "010-62345678"),
        ("+86 571 8765432", "0571-8765432"),
    ],
)
def test_phones_are_normalised(text: str, normalised: str) -> None:
    assert validate_phone(text) == normalised


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("", "请填写电话号码", "empty"),
        (" - ", "请填写电话号码", "empty"),
        ("138abc45678", "只能包含数字", "may only contain digits"),
        ("١٣٨١٢٣٤٥٦٧٨", "只能包含数字", "may only contain digits"),
        ("1381234567", "手机号码应为11位", "11 digits"),
        ("12812345678", "以13至19开头", "starts with 13 to 19"),
        ("138123456789", "手机号码应为11位", "11 digits"),
        ("95598", "固定电话应为区号", "area code"),
        ("010-0234567", "固定电话应为区号", "area code"),
        ("0571-123456", "固定电话应为区号", "area code"),
        ("0571-123456789", "固定电话应为区号", "area code"),
    ],
)
def test_each_phone_error_is_explained_in_both_languages(text: str, zh: str, en: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_phone(text)
    assert_bilingual(caught.value, "phone", zh, en)


@given(st.text())
def test_phone_validation_either_normalises_or_raises_invalid_input(text: str) -> None:
    try:
        phone = validate_phone(text)
    except InvalidInput as error:
        assert error.field == "phone"
    else:
        assert re.fullmatch(r"1[3-9][0-9]{9}|0[0-9]{2,3}-[1-9][0-9]{6,7}", phone)


# --- account number -------------------------------------------------------------------


def test_default_account_number_is_ten_digits() -> None:
    pattern = AccountNumberPattern()
    assert pattern.validate(" 1234567890 ") == "1234567890"
    for bad in ["123456789", "12345678901", "123456789a", "１２３４５６７８９٠"]:
        with pytest.raises(InvalidInput) as caught:
            pattern.validate(bad)
        assert_bilingual(caught.value, "account_no", "户号格式不正确，应为10位数字", "expected 10 digits")
    with pytest.raises(InvalidInput) as caught:
        pattern.validate("  ")
    assert_bilingual(caught.value, "account_no", "请填写户号", "empty")


def test_a_province_can_configure_its_own_account_format() -> None:
    pattern = AccountNumberPattern(
        r"^(?:35|36)[0-9]{11}$", "以35或36开头的13位数字", "13 digits starting 35 or 36"
    )
    assert pattern.validate("3512345678901") == "3512345678901"
    with pytest.raises(InvalidInput) as caught:
        pattern.validate("1234567890")
    assert_bilingual(caught.value, "account_no", "以35或36开头的13位数字", "13 digits starting 35 or 36")


def test_a_broken_account_pattern_is_a_catalogue_error() -> None:
    with pytest.raises(CatalogueError):
        AccountNumberPattern(r"^[0-9{10}$")


# --- search box -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("11010519491231002X", "resident_id"),
        ("11010519491231002x", "resident_id"),
        ("110105194912310021", "resident_id"),  # shape only: a wrong check char is still searched as an ID
        ("13812345678", "phone"),
        ("138 1234 5678", "phone"),
        ("+8613812345678", "phone"),
        ("1234567890", "account_no"),
        ("GD20261126000123", "ticket_number"),
        ("gd20261126000123", "ticket_number"),
        ("P-3F2A-17", "ticket_number"),
        ("p-3f2a-17", "ticket_number"),
        ("1381234", "digits"),
        ("12345678901234", "digits"),
        ("张三", "text"),
        ("北京市朝阳区", "text"),
        ("GD2026", "text"),
        ("P--17", "text"),
        ("", "text"),
    ],
)
def test_classify_query(text: str, kind: str) -> None:
    assert classify_query(text) == kind


def test_classify_query_uses_the_configured_account_pattern() -> None:
    pattern = AccountNumberPattern(r"^35[0-9]{11}$", "35开头13位", "13 digits starting 35")
    assert classify_query("3512345678901", pattern) == "account_no"
    assert classify_query("1234567890", pattern) == "digits"


@given(st.text())
def test_classify_query_is_total(text: str) -> None:
    assert classify_query(text) in {"resident_id", "phone", "account_no", "ticket_number", "digits", "text"}
