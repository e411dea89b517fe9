"""Standardisation rules on real-format values: ID numbers and credit codes with check characters
computed by the standards' algorithms, phones as people write them, names and addresses."""

from __future__ import annotations

import datetime as dt

import pytest

from gis_core.fusion.addresses import cn_number, parse_address, parse_addresses
from gis_core.fusion.idcodes import (
    credit_check_char,
    id_check_digit,
    org_code_check_char,
    validate_credit_code,
    validate_id_number,
)
from gis_core.fusion.names import normalise_name, normalise_org_name
from gis_core.fusion.phones import normalise_phone
from gis_core.fusion.standardise import parse_date, standardise

TODAY = dt.date(2026, 11, 1)


def _rules(issues):
    return [rule for rule, _, _ in issues]


# GB 11643's own example and numbers built with the MOD 11-2 algorithm by hand.
@pytest.mark.parametrize(
    "first17, check",
    [("11010519491231002", "X"), ("44052418800101001", "4"), ("61010319900307152", "5")],
)
def test_id_check_digit_follows_gb11643(first17, check):
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    total = sum(int(c) * w for c, w in zip(first17, weights))
    assert "10X98765432"[total % 11] == check == id_check_digit(first17)


def test_valid_id_numbers_come_back_normalised():
    assert validate_id_number("11010519491231002x", TODAY) == ("11010519491231002X", [])
    assert (
        validate_id_number("１１０１０５１９４９１２３１００２Ｘ", TODAY)[0] == "11010519491231002X"
    )
    assert validate_id_number(" 110105 19491231 002X ", TODAY)[0] == "11010519491231002X"


def test_a_15_digit_id_number_is_upgraded():
    value, issues = validate_id_number("110105491231002", TODAY)
    assert value == "11010519491231002X"
    assert _rules(issues) == ["id_15_digit"]


@pytest.mark.parametrize(
    "number, rule",
    [
        ("11010519491231002Y", "id_format"),
        ("1101051949123100", "id_format"),
        ("11010519491231003X", "id_check_digit"),  # one digit wrong
        ("11010519491213002X", "id_check_digit"),  # two digits swapped
        ("99010519491231002X", "id_region"),
        ("110105" + "19491331" + "002", "id_birth_date"),  # month 13
        ("110105" + "20991231" + "002", "id_birth_date"),  # born in the future
    ],
)
def test_invalid_id_numbers_are_findings(number, rule):
    if len(number) == 17:
        number += id_check_digit(number)
    value, issues = validate_id_number(number, TODAY)
    assert value is None
    assert rule in _rules(issues)


def test_every_adjacent_transposition_breaks_the_check_digit():
    number = "11010519491231002X"
    for i in range(16):
        swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
        if swapped != number:
            assert validate_id_number(swapped, TODAY)[0] is None


def test_an_abolished_region_code_is_a_warning_only():
    first17 = "61019919900307152"  # 610199: no such county
    value, issues = validate_id_number(first17 + id_check_digit(first17), TODAY)
    assert value is not None
    assert [(r, s) for r, _, s in issues] == [("id_region_unknown", "warning")]


def test_credit_code_check_character_follows_gb32100():
    # A published valid code, and the check computed from the standard's weights (3^i mod 31).
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    code = "91350100M000100Y43"
    total = sum(alphabet.index(c) * (3**i % 31) for i, c in enumerate(code[:17]))
    assert alphabet[(31 - total % 31) % 31] == "3" == credit_check_char(code[:17])
    assert validate_credit_code(code) == (code, [])
    assert validate_credit_code("91350100m000100y43")[0] == code


def test_org_code_check_follows_gb11714():
    # C9 = 11 - sum(value * weight) mod 11 (10 → X, 11 → 0); letters count 10 (A) to 35 (Z).
    org8 = "D2600152"
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in org8]
    c9 = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2))) % 11
    assert org_code_check_char(org8) == {10: "X", 11: "0"}.get(c9, str(c9)) == "4"
    first17 = "91110108" + org8 + "4"
    code = first17 + credit_check_char(first17)
    assert validate_credit_code(code) == (code, [])
    wrong = first17[:-1] + "5"
    value, issues = validate_credit_code(wrong + credit_check_char(wrong))
    assert value is not None and _rules(issues) == ["credit_org_code"]


@pytest.mark.parametrize(
    "code, rule",
    [
        ("91350100M000100Y44", "credit_check_char"),
        ("91350100M000I00Y43", "credit_format"),  # I is not in the alphabet
        ("9135010", "credit_format"),
        ("X1350100M000100Y4" + "0", "credit_registrar"),
    ],
)
def test_invalid_credit_codes_are_findings(code, rule):
    value, issues = validate_credit_code(code)
    assert value is None and rule in _rules(issues)


@pytest.mark.parametrize(
    "raw, normal",
    [
        ("13812345678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("86-13812345678", "13812345678"),
        ("１３８ １２３４ ５６７８", "13812345678"),
        ("(029) 8888 1234", "029-88881234"),
        ("029-88881234", "029-88881234"),
        ("+86 29 8888 1234", "029-88881234"),
        ("010-6552 1234", "010-65521234"),
        ("0917-3212345", "0917-3212345"),
        ("029-88881234转123", "029-88881234-123"),
        ("400-812-3456", "400-8123456"),
    ],
)
def test_phones_are_normalised(raw, normal):
    assert normalise_phone(raw)[0] == normal


def test_a_landline_without_area_code_takes_the_default():
    assert normalise_phone("88881234")[0] is None
    value, issues = normalise_phone("88881234", default_area="029")
    assert value == "029-88881234" and _rules(issues) == ["phone_no_area_code"]


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "+1 415 555 0100", "abc"])
def test_bad_phones_are_findings(raw):
    value, issues = normalise_phone(raw)
    assert value is None and issues and issues[0][2] == "error"


def test_names_are_normalised():
    assert normalise_name(" 张 三 ")[0] == "张三"
    assert normalise_name("买买提•艾力")[0] == "买买提·艾力"
    assert normalise_name("买买提 · 艾力")[0] == "买买提·艾力"
    assert normalise_name("阿依古丽．买买提")[0] == "阿依古丽·买买提"
    assert normalise_name("ｊｏｈｎ　 smith")[0] == "JOHN SMITH"
    assert normalise_name("张3")[0] is None
    assert (
        normalise_org_name("西安 某某科技有限公司(碑林分公司)")[0]
        == "西安某某科技有限公司（碑林分公司）"
    )


def test_addresses_are_split_into_parts():
    a = parse_address("陕西省西安市碑林区南院门街道湘子庙社区书院门路12号3栋2单元501室")
    assert (a.province, a.city, a.district, a.adcode) == ("陕西省", "西安市", "碑林区", "610103")
    assert (a.street, a.community, a.road, a.number) == (
        "南院门街道",
        "湘子庙社区",
        "书院门路",
        "12",
    )
    assert (a.building, a.unit, a.room) == ("3", "2", "501")
    # The same dwelling written four other ways.
    for text in (
        "书院门路１２号三栋二单元0501",
        "碑林区书院门路12号3号楼2单元501室",
        "书院门路 12 号 3-2-501",
        "西安市碑林区书院门路12号3幢2单元501",
    ):
        assert parse_address(text).key == "书院门路|12|3|2|501", text
    b = parse_address("雁塔区小寨东路1号院翠华小区A座1203室")
    assert (b.district, b.road, b.number, b.estate, b.building, b.room) == (
        "雁塔区", "小寨东路", "1", "翠华小区", "A", "1203"
    )  # fmt: skip
    assert parse_address("湘子庙街二十一号").number == "21"
    assert cn_number("一〇一") == "101" and cn_number("十二") == "12"


def test_unparseable_addresses_are_findings():
    (a, issues), (b, issues_b), (c, issues_c) = parse_addresses(["某某小区", None, "东大街"])
    assert "address_no_road" in _rules(issues)
    assert b is None and _rules(issues_b) == ["address_missing"]
    assert "address_no_number" in _rules(issues_c)


def test_dates():
    for text in ("1990-01-02", "1990/1/2", "1990.1.2", "19900102", "1990年1月2日"):
        assert parse_date(text) == dt.date(1990, 1, 2)
    assert parse_date("1990-02-30") is None


def test_standardise_rows_gives_findings_with_source_row_and_field():
    first17 = "61010319900307152"
    good = first17 + id_check_digit(first17)
    std = standardise(
        "residents",
        {
            "name": ["张 三", "李四", None],
            "id_number": [good, good[:10] + good[11] + good[10] + good[12:], good],
            "phone": ["138 1234 5678", "12345", None],
            "gender": ["男", "男", None],
            "birth_date": ["1990-03-07", None, "1990-03-08"],
            "address": ["书院门路12号3栋2单元501室", "书院门路", None],
        },
        source="police",
        today=TODAY,
    )
    assert std.columns["id_key"] == [good, None, good]
    assert std.columns["birth_date"][1] is None and std.columns["gender"][0] == "男"
    found = {(f.row, f.field, f.rule) for f in std.findings}
    assert {
        (1, "gender", "gender_vs_id"),  # the 17th digit 2 is even: female
        (2, "id_number", "id_check_digit"),
        (2, "phone", "phone_format"),
        (2, "address", "address_no_number"),
        (3, "name", "name_missing"),
        (3, "birth_date", "birth_date_vs_id"),
    } <= found
    # No finding repeats a value: ID numbers and phones never reach a report through them.
    assert not any(good in f.message or "12345" in f.message for f in std.findings)
