"""Property tests: normalisation is stable and lookups take any text."""

from __future__ import annotations

from hypothesis import example, given, settings, strategies as st
import pytest

from custom_components.heat_pump_care.catalog import BRAND_OTHER, Catalog
from custom_components.heat_pump_care.catalog.model_match import normalise_model
from custom_components.heat_pump_care.catalog.normalise import compact

CATALOG = Catalog.load()
BRANDS = [*CATALOG.brand_slugs(), BRAND_OTHER]

brands = st.sampled_from(BRANDS)
# Code-like text (letters, digits, separators), and any text at all.
code_like = st.text(alphabet="ABCEFHLPUbcdefhl0123456789 -_:./", max_size=10)
any_text = st.text(max_size=20)
texts = st.one_of(code_like, any_text)


@settings(max_examples=400, deadline=None)
@given(brand=brands, raw=texts)
@example(brand="daikin", raw="no-error")  # was the code NOERROR, then "no error"
@example(brand="lg", raw="c-5")
@example(brand="daikin", raw="u4-01")
def test_normalising_a_key_gives_the_same_key(brand: str, raw: str) -> None:
    norm = CATALOG.normalise(brand, raw)
    if norm is None:
        return
    again = CATALOG.normalise(brand, norm.key)
    assert again is not None
    assert again.key == norm.key


@settings(max_examples=300, deadline=None)
@given(brand=brands, raw=texts)
def test_key_has_no_separators_or_lower_case(brand: str, raw: str) -> None:
    norm = CATALOG.normalise(brand, raw)
    if norm is None:
        return
    assert norm.key == compact(norm.key)
    assert norm.key == norm.key.upper()


@settings(max_examples=300, deadline=None)
@given(brand=brands, raw=texts, pad=st.sampled_from(["", " ", "  ", "\t"]))
def test_surrounding_whitespace_changes_nothing(brand: str, raw: str, pad: str) -> None:
    plain = CATALOG.lookup(brand, raw)
    padded = CATALOG.lookup(brand, f"{pad}{raw}{pad}")
    assert padded.matches == plain.matches
    assert padded.no_error == plain.no_error


@settings(max_examples=400, deadline=None)
@given(brand=brands, raw=texts, family=st.none() | st.text(max_size=8))
def test_lookup_never_raises_and_answers_json(
    brand: str, raw: str, family: str | None
) -> None:
    result = CATALOG.lookup(brand, raw, family=family)
    response = result.as_response()
    assert response["query"] == raw
    assert response["found"] is (result.primary is not None)
    if result.no_error:
        assert not result.found


@settings(max_examples=200, deadline=None)
@given(query=any_text, brand=st.none() | brands)
def test_search_never_raises(query: str, brand: str | None) -> None:
    assert len(CATALOG.search(query, brand=brand, limit=5)) <= 5


@settings(max_examples=300, deadline=None)
@given(brand=brands, model=any_text)
def test_suggest_family_never_raises(brand: str, model: str) -> None:
    family = CATALOG.suggest_family(brand, model)
    assert family is None or family in {f.id for f in CATALOG.families(brand)}


@given(model=any_text)
def test_normalising_a_model_is_idempotent(model: str) -> None:
    once = normalise_model(model)
    assert normalise_model(once) == once


@pytest.mark.parametrize("raw", ["No_Error", "no-error", "N-A", "UNKNOWN.", "0-0"])
def test_no_error_spellings_with_separators(raw: str) -> None:
    """Separators do not hide "no error" (``no-error`` was the code NOERROR)."""
    assert CATALOG.is_no_error("daikin", raw)
    assert CATALOG.lookup("daikin", raw).no_error
