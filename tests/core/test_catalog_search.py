"""Text search: most relevant first, a heat pump's own brand and line first."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.heat_pump_care.catalog import (
    Brand,
    Catalog,
    Category,
    CodeEntry,
    Family,
    Severity,
)


def _entry(brand: str, code: str, meaning: str, **kwargs: Any) -> CodeEntry:
    values: dict[str, Any] = {
        "brand": brand,
        "family": "main",
        "code": code,
        "meaning": meaning,
        "category": Category.OTHER,
        "severity": Severity.ERROR,
        "reset_may_help": None,
        "advice": "Call your installer.",
        "family_name": "Main",
    }
    values.update(kwargs)
    return CodeEntry(**values)


def _catalog(*entries: CodeEntry) -> Catalog:
    brands = []
    for slug in sorted({entry.brand for entry in entries}):
        codes = tuple(entry for entry in entries if entry.brand == slug)
        brands.append(
            Brand(
                slug=slug,
                name=slug.title(),
                families=(Family("main", "Main"), Family("split", "Split")),
                sources={},
                codes=codes,
            )
        )
    return Catalog.from_brands(brands)


def _codes(results: list[CodeEntry]) -> list[str]:
    return [f"{entry.brand}:{entry.code}" for entry in results]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def test_meaning_outranks_brand_name_order() -> None:
    """A code about the word beats one that names it in passing, whatever the brand."""
    catalog = _catalog(
        _entry("alpha", "A1", "Pump stopped while defrost was running (see manual)"),
        _entry("alpha", "A2", "Water flow low", advice="Defrost may be slow."),
        _entry("zulu", "Z1", "Defrost fault", category=Category.DEFROST),
    )

    assert _codes(catalog.search("defrost")) == ["zulu:Z1", "alpha:A1", "alpha:A2"]


def test_brands_take_turns_among_equal_matches() -> None:
    """A brand with many similar codes does not fill the list."""
    catalog = _catalog(
        *(_entry("alpha", f"A{n}", f"Defrost fault {n}") for n in range(4)),
        _entry("zulu", "Z1", "Defrost fault 9"),
    )

    assert _codes(catalog.search("defrost", limit=3)) == [
        "alpha:A0",
        "zulu:Z1",
        "alpha:A1",
    ]


def test_preferred_brand_and_product_line_come_first() -> None:
    catalog = _catalog(
        _entry("alpha", "A1", "Defrost fault"),
        _entry("zulu", "Z1", "Defrost took too long; outdoor coil iced"),
        _entry("zulu", "Z2", "Defrost fault", family="split"),
    )

    results = catalog.search("defrost", prefer_brand="zulu", prefer_family="split")

    assert _codes(results) == ["zulu:Z2", "zulu:Z1", "alpha:A1"]


def test_preferred_brand_without_product_line() -> None:
    catalog = _catalog(
        _entry("alpha", "A1", "Defrost fault"),
        _entry("zulu", "Z1", "Defrost took too long; outdoor coil iced"),
    )

    results = catalog.search("defrost", prefer_brand="zulu")

    assert _codes(results) == ["zulu:Z1", "alpha:A1"]


def test_unknown_preferred_brand_changes_nothing() -> None:
    catalog = _catalog(_entry("alpha", "A1", "Defrost fault"))

    assert catalog.search("defrost", prefer_brand="other") == catalog.search("defrost")


def test_catalogue_defrost_is_not_sorted_by_brand(catalog: Catalog) -> None:
    """The first results are about defrosting and come from several brands."""
    results = catalog.search("defrost")

    assert [r.brand for r in results] != sorted(r.brand for r in results)
    assert all(r.category is Category.DEFROST for r in results[:5])
    assert len({r.brand for r in results[:5]}) == 5


def test_catalogue_heat_pump_first(catalog: Catalog) -> None:
    results = catalog.search("fan motor", prefer_brand="daikin", prefer_family="vrv")

    assert results[0].brand == "daikin"
    assert results[0].family == "vrv"
    daikin = [r for r in results if r.brand == "daikin"]
    assert results[: len(daikin)] == daikin
