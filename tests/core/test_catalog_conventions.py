"""The conventions of ``error_codes_SOURCES.md`` hold across the whole catalogue.

One rule per test, parametrised per brand file, so a failure names the brand
and the rows that break the rule.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from custom_components.heat_pump_care.catalog import DATA_DIR, Catalog, Category
from custom_components.heat_pump_care.catalog.model_match import normalise_model
from custom_components.heat_pump_care.catalog.normalise import (
    BUILTIN_RULES,
    NormalisationRules,
    code_key,
)

DATA_FILES = sorted(DATA_DIR.glob("*.json"))
CATEGORIES = {str(category) for category in Category}
# A power cycle can harm: never "reset may help" on these.
NEVER_RESET = {"refrigerant", "pressure", "compressor", "drain"}
# "Reset may help" only for communication and momentary supply glitches.
RESET_MAY_BE_TRUE = {"communication", "electrical"}

by_brand = pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.stem)


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _key(row: dict[str, Any]) -> tuple[str, str]:
    return (row["family"], row["code"])


@by_brand
def test_categories_are_the_twelve(path: Path) -> None:
    wrong = [
        (_key(r), r["category"])
        for r in _load(path)["codes"]
        if r["category"] not in CATEGORIES
    ]
    assert not wrong


@by_brand
def test_reset_never_helps_refrigerant_pressure_compressor_or_drain(
    path: Path,
) -> None:
    wrong = [
        (_key(r), r["category"])
        for r in _load(path)["codes"]
        if r["category"] in NEVER_RESET and r.get("reset_may_help") is True
    ]
    assert not wrong


@by_brand
def test_reset_may_help_only_communication_and_supply(path: Path) -> None:
    wrong = [
        (_key(r), r["category"])
        for r in _load(path)["codes"]
        if r.get("reset_may_help") is True and r["category"] not in RESET_MAY_BE_TRUE
    ]
    assert not wrong


@by_brand
def test_rows_cite_a_source_of_their_file(path: Path) -> None:
    data = _load(path)
    wrong = [
        _key(r)
        for r in data["codes"]
        if not r.get("sources") or not set(r["sources"]) <= set(data["sources"])
    ]
    assert not wrong


@by_brand
def test_row_families_exist(path: Path) -> None:
    data = _load(path)
    families = {f["id"] for f in data["families"]}
    wrong = [_key(r) for r in data["codes"] if r["family"] not in families]
    assert not wrong


@by_brand
def test_family_and_code_are_unique(path: Path) -> None:
    keys = [_key(r) for r in _load(path)["codes"]]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)


@by_brand
def test_codes_and_aliases_are_unambiguous_within_a_family(path: Path) -> None:
    """No code or alias normalises to the key of another row of its family.

    The key is the one lookups match on: separators and (where the brand's
    codes do not differ only by case) case ignored, numeric schemes
    canonical (LG ``5`` = ``CH05``).
    """
    data = _load(path)
    rules = NormalisationRules.from_mapping(
        data.get("normalisation") or {}, BUILTIN_RULES.get(path.stem)
    )
    owners: dict[tuple[str, str], tuple[str, str]] = {}
    clashes = []
    for row in data["codes"]:
        for spelling in (row["code"], *row.get("aliases", ())):
            slot = (row["family"], code_key(spelling, rules)[1])
            owner = owners.setdefault(slot, _key(row))
            if owner != _key(row):
                clashes.append((spelling, owner, _key(row)))
    assert not clashes


@by_brand
def test_model_prefixes_name_one_family(path: Path) -> None:
    """A model prefix belongs to one family of the brand (else no suggestion)."""
    owners: dict[str, str] = {}
    clashes = []
    for family in _load(path)["families"]:
        for prefix in family.get("models", ()):
            key = normalise_model(prefix)
            if owners.setdefault(key, family["id"]) != family["id"]:
                clashes.append((prefix, owners[key], family["id"]))
    assert not clashes


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


@by_brand
def test_every_code_and_alias_finds_its_row(catalog: Catalog, path: Path) -> None:
    """A code typed as the catalogue spells it is found (never "no error")."""
    lost = [
        (entry.family, entry.code, spelling)
        for entry in catalog.brands[path.stem].codes
        for spelling in (entry.code, *entry.aliases)
        if entry not in catalog.lookup(path.stem, spelling).matches
    ]
    assert not lost
