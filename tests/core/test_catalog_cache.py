"""The catalogue's memos: lookups, responses, suggestions and brand names."""

from __future__ import annotations

import difflib
import json
import random
import string

import pytest

from custom_components.heat_pump_care.catalog import (
    DATA_DIR,
    Catalog,
    index as catalog_index,
    parse_custom_codes,
)
from custom_components.heat_pump_care.catalog.index import BRAND_NAMES


@pytest.fixture
def catalog() -> Catalog:
    """Return a freshly loaded catalogue (empty memos)."""
    return Catalog.load()


def _reference_suggest(catalog: Catalog, brand: str, code: str, n: int) -> list[str]:
    """The plain algorithm: rank every code of the brand with difflib."""
    index = catalog._index(brand)
    norm = index.normalise(code)
    if norm is None:
        return []
    target = norm.base or norm.key
    scored = []
    for key, display in index.keys:
        if key == target:
            continue
        ratio = difflib.SequenceMatcher(None, target, key).ratio()
        same_prefix = key[:1] == target[:1]
        if same_prefix or ratio >= 0.5:
            scored.append((not same_prefix, -ratio, key, display))
    scored.sort()
    return [display for *_, display in scored[:n]]


def test_brand_names_match_the_data_files() -> None:
    """The built-in name index names exactly the brands of the data files."""
    from_files = {}
    for path in sorted(DATA_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        from_files[data["brand"]] = data.get("name") or data["brand"]
    assert dict(BRAND_NAMES) == from_files


def test_repeated_lookup_is_remembered(catalog: Catalog) -> None:
    first = catalog.lookup("daikin", "U4")
    assert first.found
    assert catalog.lookup("daikin", "U4") is first
    # Another spelling, family or brand is its own lookup with its own query.
    other_spelling = catalog.lookup("daikin", "u4")
    assert other_spelling is not first
    assert other_spelling.query == "u4"
    assert other_spelling.code == first.code
    assert catalog.lookup("daikin", "U4", family="vrv") is not first


def test_lookup_with_custom_codes_is_not_remembered(catalog: Catalog) -> None:
    custom, errors = parse_custom_codes("daikin", "U4: My own meaning | fan")
    assert errors == []
    mine = catalog.lookup("daikin", "U4", custom=custom)
    assert mine.primary is not None
    assert mine.primary.meaning == "My own meaning"
    # The catalogue's answer is not replaced by (or mixed with) the custom one.
    plain = catalog.lookup("daikin", "U4")
    assert plain.primary is not None
    assert plain.primary.meaning != "My own meaning"
    assert catalog.lookup("daikin", "U4", custom=custom) is not mine


def test_lookup_memo_is_bounded(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog_index, "LOOKUP_CACHE_SIZE", 4)
    first = catalog.lookup("daikin", "U4")
    for code in ("A1", "A3", "A5"):
        catalog.lookup("daikin", code)
    assert catalog.lookup("daikin", "U4") is first  # still among the last four
    catalog.lookup("daikin", "E7")  # the fifth drops the oldest (U4)
    again = catalog.lookup("daikin", "U4")
    assert again is not first
    assert again == first


def test_responses_are_independent_copies(catalog: Catalog) -> None:
    result = catalog.lookup("daikin", "A5")
    assert len(result.matches) >= 2
    first = result.as_response()
    pristine = json.loads(json.dumps(first))
    # A caller that changes everything it got...
    first["meaning"] = "changed"
    first["suggestions"].append("X")
    for match in first["matches"]:
        match["meaning"] = "changed"
        match["aliases"].append("X")
        match["sources"].append("X")
        match["source_urls"].append("X")
    first["matches"].append({})
    # ...changes nothing for the next caller.
    assert result.as_response() == pristine
    assert catalog.lookup("daikin", "A5").as_response() == pristine


def test_unknown_code_response_and_suggestions_are_copies(catalog: Catalog) -> None:
    result = catalog.lookup("daikin", "X9")
    assert not result.found
    response = result.as_response()
    assert response["suggestions"] == list(result.suggestions)
    response["suggestions"].clear()
    assert result.as_response()["suggestions"] == list(result.suggestions)
    suggestions = catalog.suggest("daikin", "X9")
    suggestions.clear()
    assert catalog.suggest("daikin", "X9") == list(result.suggestions)


def test_suggestions_equal_the_plain_algorithm(catalog: Catalog) -> None:
    """Pruned and remembered, suggestions are exactly what ranking all gives."""
    rnd = random.Random(20261122)  # noqa: S311 - reproducible test inputs
    alphabet = string.ascii_uppercase[:12] + string.digits
    checked = 0
    for brand in catalog.brand_slugs():
        codes = [
            "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 5)))
            for _ in range(12)
        ]
        codes += [display for _, display in catalog._index(brand).keys[:3]]
        for code in codes:
            for n in (1, 5, 12):
                expected = _reference_suggest(catalog, brand, code, n)
                assert catalog.suggest(brand, code, n) == expected, (brand, code, n)
                # Asked again (now from the memo): the same answer.
                assert catalog.suggest(brand, code, n) == expected
                checked += 1
    assert checked > 1000


def test_brand_tables_built_on_first_use_answer_like_prebuilt(catalog: Catalog) -> None:
    """A fresh catalogue answers cross-brand questions without a prior lookup."""
    fresh = Catalog.load()
    other = fresh.lookup("other", "E1")
    assert {m.brand for m in other.matches} >= {"daikin", "bosch"}
    for slug in fresh.brand_slugs():
        catalog.lookup(slug, "E1")  # builds every brand's tables here
    assert other.matches == catalog.lookup("other", "E1").matches
    assert Catalog.load().search("E1", limit=50) == catalog.search("E1", limit=50)
