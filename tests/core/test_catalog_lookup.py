"""Lookups, suggestions and search over the catalogue."""

from __future__ import annotations

import json
from typing import Any

import pytest

from custom_components.heat_pump_care.catalog import (
    UNKNOWN_CODE_ADVICE,
    Brand,
    Catalog,
    Category,
    CodeEntry,
    Family,
    Severity,
    Source,
    UnknownBrandError,
    parse_custom_codes,
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def _entry(code: str, family: str = "main", **kwargs: Any) -> CodeEntry:
    values: dict[str, Any] = {
        "brand": "acme",
        "family": family,
        "code": code,
        "meaning": f"Meaning of {code}",
        "category": Category.OTHER,
        "severity": Severity.ERROR,
        "reset_may_help": None,
        "advice": "Advice",
        "sources": ("s",),
        "family_name": family.title(),
        "source_urls": ("https://example.org",),
    }
    values.update(kwargs)
    return CodeEntry(**values)


def _acme(*codes: CodeEntry, **kwargs: Any) -> Catalog:
    brand = Brand(
        slug="acme",
        name="Acme",
        families=(Family("main", "Main"), Family("other_line", "Other line")),
        sources={
            "s": Source("s", "Manual", "https://example.org", "Acme", "manufacturer")
        },
        codes=codes,
        **kwargs,
    )
    return Catalog.from_brands([brand])


# --- real catalogue -------------------------------------------------------


def test_daikin_e5_differs_between_families(catalog: Catalog) -> None:
    result = catalog.lookup("daikin", "E5", family="residential")
    assert result.found
    families = [m.family for m in result.matches]
    assert families[0] == "residential"
    assert {"vrv", "residential"} <= set(families)
    by_family = {m.family: m for m in result.matches}
    assert by_family["vrv"].meaning != by_family["residential"].meaning
    assert all(m.category is Category.COMPRESSOR for m in result.matches)
    vrv_first = catalog.lookup("daikin", "e5", family="vrv")
    assert vrv_first.primary is not None
    assert vrv_first.primary.family == "vrv"


def test_panasonic_h20_family(catalog: Catalog) -> None:
    result = catalog.lookup("panasonic", "H20", family="pac_japan")
    assert result.found
    assert result.primary is not None
    assert result.primary.family == "pac_japan"
    assert result.primary.conflict


def test_gree_f_codes_across_families(catalog: Catalog) -> None:
    for code in ("F2", "F3"):
        result = catalog.lookup("gree", code)
        assert {m.family for m in result.matches} == {"residential", "u_match"}
    f2 = catalog.lookup("gree", "f2", family="u_match")
    assert f2.primary is not None
    assert f2.primary.family == "u_match"
    assert "ondenser" in f2.primary.meaning


@pytest.mark.parametrize("raw", ["CH05", "ch5", "C5", "05", "5", "CH-05"])
def test_lg_spellings_find_ch05(catalog: Catalog, raw: str) -> None:
    result = catalog.lookup("lg", raw)
    assert result.found
    assert result.code == "CH05"
    assert result.primary is not None
    assert result.primary.category is Category.COMMUNICATION


@pytest.mark.parametrize("raw", ["E101", "101", "e-101"])
def test_samsung_spellings(catalog: Catalog, raw: str) -> None:
    result = catalog.lookup("samsung", raw)
    assert result.found
    assert result.code == "E101"


def test_daikin_sub_code_falls_back_to_base(catalog: Catalog) -> None:
    result = catalog.lookup("daikin", "u4-01")
    assert result.found
    assert result.code == "U4-01"
    assert result.sub_code == "01"
    assert result.primary is not None
    assert result.primary.code == "U4"
    assert result.as_response()["sub_code"] == "01"


def test_mitsubishi_four_digit_equivalents(catalog: Catalog) -> None:
    letter = catalog.lookup("mitsubishi_electric", "P4")
    assert [m.code for m in letter.matches][:2] == ["P4", "2502"]
    digits = catalog.lookup("mitsubishi_electric", "2502")
    assert [m.code for m in digits.matches][:2] == ["2502", "P4"]
    only_letter = catalog.lookup("mitsubishi_electric", "5101")
    assert only_letter.found
    assert only_letter.primary is not None
    assert only_letter.primary.code == "P1"


def test_mitsubishi_lower_case_code(catalog: Catalog) -> None:
    result = catalog.lookup("mitsubishi_electric", "eb")
    assert result.found
    assert result.code == "Eb"


def test_unknown_code_response(catalog: Catalog) -> None:
    result = catalog.lookup("daikin", "X9")
    assert not result.found
    assert result.primary is None
    assert result.suggestions
    assert "J9" in result.suggestions
    response = result.as_response()
    assert response["found"] is False
    assert response["meaning"] == ""
    assert response["category"] == "other"
    assert response["severity"] == "error"
    assert response["reset_may_help"] is None
    assert response["advice"] == UNKNOWN_CODE_ADVICE
    assert response["code"] == "X9"
    assert response["suggestions"] == list(result.suggestions)
    json.dumps(response)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("XYZ", "XYZ"), (" xyz ", "xyz"), ("X  9 Z", "X 9 Z"), ("xy-7", "xy-7")],
)
def test_unknown_code_is_shown_as_the_unit_shows_it(
    catalog: Catalog, raw: str, shown: str
) -> None:
    """No sub-code split and no tidying of a code the catalogue does not know."""
    result = catalog.lookup("daikin", raw)
    assert not result.found
    assert (result.code, result.sub_code) == (shown, None)


@pytest.mark.parametrize("raw", ["Z9-01", "z901"])
def test_unknown_code_in_sub_code_form_keeps_the_split(
    catalog: Catalog, raw: str
) -> None:
    result = catalog.lookup("daikin", raw)
    assert not result.found
    assert (result.code, result.sub_code) == ("Z9-01", "01")


def test_unknown_code_of_a_brand_without_sub_codes_is_kept(catalog: Catalog) -> None:
    result = catalog.lookup("toshiba", "e99-1")
    assert not result.found
    assert (result.code, result.sub_code) == ("e99-1", None)


def test_found_response_matches_contract(catalog: Catalog) -> None:
    response = catalog.lookup("daikin", "A3", family="vrv").as_response()
    for key in (
        "found",
        "brand",
        "code",
        "meaning",
        "category",
        "severity",
        "reset_may_help",
        "advice",
        "matches",
        "suggestions",
        "sub_code",
    ):
        assert key in response
    assert response["found"] is True
    assert response["category"] == "drain"
    assert response["reset_may_help"] is False
    match = response["matches"][0]
    assert match["family_name"]
    assert match["source_urls"]
    assert all(url.startswith("http") for url in match["source_urls"])
    json.dumps(response)


def test_no_error_lookup(catalog: Catalog) -> None:
    result = catalog.lookup("lg", "00")
    assert result.no_error
    assert not result.found
    response = result.as_response()
    assert response["code"] == "none"
    assert response["no_error"] is True
    assert response["severity"] == "warning"
    assert response["advice"] == ""
    assert catalog.is_no_error("lg", " OK ")
    assert not catalog.is_no_error("lg", "5")
    assert catalog.is_no_error("other", "none")
    assert not catalog.is_no_error("other", "E1")


def test_unknown_brand_lists_known(catalog: Catalog) -> None:
    with pytest.raises(UnknownBrandError) as err:
        catalog.lookup("acme", "E1")
    assert err.value.brand == "acme"
    assert "daikin" in err.value.known
    assert "other" in err.value.known
    assert "daikin" in str(err.value)
    for call in (
        lambda: catalog.suggest("acme", "E1"),
        lambda: catalog.search("x", brand="acme"),
        lambda: catalog.is_no_error("acme", "E1"),
        lambda: catalog.families("acme"),
    ):
        with pytest.raises(UnknownBrandError):
            call()


def test_brand_other(catalog: Catalog) -> None:
    result = catalog.lookup("other", "E1")
    assert not result.found
    assert {m.brand for m in result.matches} >= {"daikin", "bosch"}
    assert result.suggestions == ()
    assert result.as_response()["meaning"] == ""
    custom, errors = parse_custom_codes("other", "E1: My unit's E1 | communication")
    assert errors == []
    mine = catalog.lookup("other", "e1", custom=custom)
    assert mine.found
    assert mine.primary is not None
    assert mine.primary.meaning == "My unit's E1"
    assert catalog.families("other") == ()
    assert catalog.suggest("other", "E1") == []
    assert catalog.normalise("other", "5") is not None


def test_brand_listing(catalog: Catalog) -> None:
    slugs = catalog.brand_slugs()
    assert slugs == sorted(slugs)
    assert "other" not in slugs
    assert set(slugs) == set(catalog.brands)
    assert catalog.families("daikin")
    assert catalog.brands["daikin"].family("vrv") is not None
    assert catalog.brands["daikin"].family("nope") is None


def test_custom_code_overrides_catalogue(catalog: Catalog) -> None:
    custom, errors = parse_custom_codes(
        "daikin", "U4: Our installer's note on U4 | communication\nZZ: Mine"
    )
    assert errors == []
    result = catalog.lookup("daikin", "U4", custom=custom)
    assert result.found
    assert result.primary is not None
    assert result.primary.family == "custom"
    assert result.primary.meaning == "Our installer's note on U4"
    assert any(m.family != "custom" for m in result.matches)
    with_sub = catalog.lookup("daikin", "U4-02", custom=custom)
    assert with_sub.primary is not None
    assert with_sub.primary.family == "custom"
    assert with_sub.code == "U4-02"
    assert with_sub.sub_code == "02"
    only_custom = catalog.lookup("daikin", "zz", custom=custom)
    assert only_custom.found
    assert only_custom.matches[0].code == "ZZ"
    missing = catalog.lookup("daikin", "QQ", custom=custom)
    assert not missing.found


def test_suggest(catalog: Catalog) -> None:
    suggestions = catalog.suggest("daikin", "E2")
    assert len(suggestions) == 5
    assert all(s.startswith("E") for s in suggestions)
    assert "E2" not in suggestions
    assert catalog.suggest("daikin", "E2", n=0) == []
    assert catalog.suggest("daikin", "none") == []
    assert catalog.suggest("lg", "CH0") != []
    assert catalog.suggest("daikin", "U4-99")[0].startswith("U")


def test_search_defrost(catalog: Catalog) -> None:
    results = catalog.search("defrost")
    assert results
    assert all(
        "defrost" in f"{r.meaning} {r.category} {r.advice}".lower() for r in results
    )
    panasonic = catalog.search("defrost", brand="panasonic")
    assert panasonic
    assert {r.brand for r in panasonic} == {"panasonic"}
    assert any(r.code == "H65" for r in panasonic)


def test_search_exact_code_first_and_limits(catalog: Catalog) -> None:
    results = catalog.search("U4", brand="daikin")
    assert results[0].code == "U4"
    assert catalog.search("U4", limit=3) == catalog.search("U4")[:3]
    assert catalog.search("") == []
    assert catalog.search("U4", limit=0) == []
    assert catalog.search("no such words zzqx") == []
    assert catalog.search("drain pump", brand="other")
    multi = catalog.search("outdoor fan motor", brand="daikin")
    assert multi
    assert all("fan" in r.meaning.lower() for r in multi[:3])


# --- synthetic catalogues -------------------------------------------------


def test_case_rule_when_codes_differ_only_by_case() -> None:
    cat = _acme(_entry("Eb", meaning="lower b"), _entry("EB", meaning="upper B"))
    lower = cat.lookup("acme", "Eb")
    assert [m.meaning for m in lower.matches] == ["lower b"]
    upper = cat.lookup("acme", "EB")
    assert [m.meaning for m in upper.matches] == ["upper B"]
    neither = cat.lookup("acme", "eb")
    assert {m.meaning for m in neither.matches} == {"lower b", "upper B"}


def test_aliases_and_equivalents() -> None:
    cat = _acme(
        _entry("A1", aliases=("ALPHA-1",)),
        _entry("A2"),
        _entry("9002", family="other_line"),
        normalisation={"equivalents": [["A2", "9002"]]},
    )
    alias = cat.lookup("acme", "alpha 1")
    assert alias.found
    assert alias.code == "A1"
    eq = cat.lookup("acme", "9002", family="main")
    assert [m.code for m in eq.matches] == ["A2", "9002"]
    alias_base = cat.lookup("acme", "ALPHA1-7")
    assert alias_base.found
    assert alias_base.sub_code == "7"


def test_brand_no_error_values_in_lookup() -> None:
    cat = _acme(_entry("A1"), _entry("H00"), no_error_values=("H00",))
    assert cat.lookup("acme", "H00").no_error
    assert cat.is_no_error("acme", "h00")
    # Brand "other" skips brands for which the value means "no error".
    assert cat.lookup("other", "H00").matches == ()
    assert cat.search("H00") == [cat.brands["acme"].codes[1]]


def test_search_by_numeric_alias(catalog: Catalog) -> None:
    """LG "5" is CH05: the exact code match comes first though no word matches."""
    for query in ("5", "C5"):
        results = catalog.search(query, brand="lg")
        assert results[0].code == "CH05"


def test_alias_of_one_family_and_code_of_another_both_match() -> None:
    """Midea residential E0 shows as EA; M-Thermal has its own EA."""
    own_code = _entry("EA", meaning="other line's EA", family="other_line")
    aliased = _entry("E0", aliases=("EA",), meaning="main's E0")
    cat = _acme(aliased, own_code)
    plain = cat.lookup("acme", "EA")
    assert plain.matches == (own_code, aliased)
    main_first = cat.lookup("acme", "ea", family="main")
    assert main_first.primary == aliased
    assert main_first.code == "E0"
