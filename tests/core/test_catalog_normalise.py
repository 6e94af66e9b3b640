"""Normalisation of raw error codes."""

from __future__ import annotations

import pytest

from custom_components.heat_pump_care.catalog.normalise import (
    BUILTIN_RULES,
    GENERIC_NO_ERROR_VALUES,
    NormalisationRules,
    NumericRule,
    code_key,
    is_no_error_value,
    normalise_code,
)


@pytest.mark.parametrize(
    ("brand", "raw", "key", "display", "sub_code"),
    [
        ("lg", "CH05", "CH05", "CH05", None),
        ("lg", "CH5", "CH05", "CH05", None),
        ("lg", "C5", "CH05", "CH05", None),
        ("lg", "05", "CH05", "CH05", None),
        ("lg", "5", "CH05", "CH05", None),
        ("lg", " ch-05 ", "CH05", "CH05", None),
        ("lg", "CH104", "CH104", "CH104", None),
        ("samsung", "E101", "E101", "E101", None),
        ("samsung", "101", "E101", "E101", None),
        ("samsung", "e 101", "E101", "E101", None),
        ("daikin", "U4", "U4", "U4", None),
        ("daikin", "u4-01", "U401", "U4-01", "01"),
        ("daikin", "U401", "U401", "U4-01", "01"),
        ("daikin", "7H-01", "7H01", "7H-01", "01"),
        ("daikin", "U4 : 01", "U401", "U4-01", "01"),
        ("toshiba", "E04", "E04", "E04", None),
        ("toshiba", "e_04", "E04", "E04", None),
        ("toshiba", "E04-1", "E041", "E04-1", "1"),
        ("mitsubishi_electric", "Eb", "EB", "EB", None),
        ("panasonic", "h.20", "H20", "H20", None),
        ("panasonic", "H/20", "H20", "H20", None),
    ],
)
def test_normalise_table(
    brand: str, raw: str, key: str, display: str, sub_code: str | None
) -> None:
    norm = normalise_code(brand, raw)
    assert norm is not None
    assert (norm.key, norm.display, norm.sub_code) == (key, display, sub_code)


def test_sub_code_keeps_base_and_exact_case() -> None:
    norm = normalise_code("daikin", "u4-01")
    assert norm is not None
    assert norm.base == "U4"
    assert norm.base_exact == "u4"
    assert norm.exact == "u401"


def test_exact_case_is_kept_for_case_rules() -> None:
    norm = normalise_code("mitsubishi_electric", "Eb")
    assert norm is not None
    assert norm.exact == "Eb"
    assert norm.key == "EB"


@pytest.mark.parametrize("raw", sorted(GENERIC_NO_ERROR_VALUES))
def test_generic_no_error_values(raw: str) -> None:
    assert normalise_code("daikin", raw) is None
    assert normalise_code("daikin", f"  {raw.upper()}  ") is None


@pytest.mark.parametrize("raw", ["0000", " No  Error ", "NONE", "- -", "N/A"])
def test_more_no_error_spellings(raw: str) -> None:
    assert normalise_code("lg", raw) is None


def test_brand_no_error_values() -> None:
    assert normalise_code("x", "H00", no_error_values=("H00",)) is None
    assert normalise_code("x", "h-00", no_error_values=("H00",)) is None
    assert normalise_code("x", "H00") is not None
    assert is_no_error_value("all clear", ["All  Clear"])
    assert not is_no_error_value("E1", ["all clear"])


def test_numeric_rule_rejects_non_numbers() -> None:
    rule = NumericRule(("CH", "C"), "CH", 2)
    assert rule.apply("CH7") == "CH07"
    assert rule.apply("CHX") is None
    assert rule.apply("²") is None


def test_rules_from_mapping_overrides_builtin() -> None:
    rules = NormalisationRules.from_mapping(
        {
            "numeric": {"prefixes": ["A", "AL"], "canonical": "al", "width": 3},
            "sub_code_base_length": 3,
            "equivalents": [["A1", 1001]],
        },
        BUILTIN_RULES["daikin"],
    )
    assert rules.numeric == NumericRule(("AL", "A"), "AL", 3)
    assert rules.sub_code_base_length == 3
    assert rules.equivalents == (("A1", "1001"),)
    assert code_key("a-7", rules) == ("AL007", "AL007")
    kept = NormalisationRules.from_mapping({}, BUILTIN_RULES["lg"])
    assert kept == BUILTIN_RULES["lg"]
    assert NormalisationRules.from_mapping({}) == NormalisationRules()


def test_explicit_rules_win_over_builtin() -> None:
    norm = normalise_code("lg", "5", rules=NormalisationRules())
    assert norm is not None
    assert norm.key == "5"


@pytest.mark.parametrize("raw", ["XYZ", "E9045", "U4AB", "UA1"])
def test_daikin_code_outside_the_sub_code_form_is_not_split(raw: str) -> None:
    """Daikin sub-codes are two digits: ``XYZ`` is not ``XY`` with sub-code ``Z``."""
    norm = normalise_code("daikin", raw)
    assert norm is not None
    assert (norm.display, norm.sub_code, norm.base) == (raw, None, None)


def test_sub_code_form_comes_from_the_data_file() -> None:
    rules = NormalisationRules.from_mapping(
        {"sub_code_base_length": 1, "sub_code_form": "[A-Z]"}
    )
    split = normalise_code("acme", "7H", rules=rules)
    kept = normalise_code("acme", "71", rules=rules)
    assert split is not None
    assert (split.display, split.sub_code) == ("7-H", "H")
    assert kept is not None
    assert (kept.display, kept.sub_code) == ("71", None)
