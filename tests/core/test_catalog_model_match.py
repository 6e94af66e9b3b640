"""The family a model name suggests (``Catalog.suggest_family``)."""

from __future__ import annotations

import pytest

from custom_components.heat_pump_care.catalog import (
    BRAND_OTHER,
    Brand,
    Catalog,
    Family,
    UnknownBrandError,
)
from custom_components.heat_pump_care.catalog.model_match import (
    normalise_model,
    suggest_family,
)

FAMILIES = (
    Family("residential", "Residential split", models=("FTX", "FTXM", "atx")),
    Family("altherma", "Altherma", models=("EHBH", "EHVX", "ERGA")),
    Family("vrv", "VRV", models=("RXYQ", "RXYSQ", "REYQ")),
    Family("sky_air", "Sky Air", models=("FTXM-Z",)),
    Family("no_models", "No model list"),
)


@pytest.fixture
def catalog() -> Catalog:
    brand = Brand(slug="acme", name="Acme", families=FAMILIES, sources={}, codes=())
    return Catalog.from_brands([brand])


@pytest.mark.parametrize(
    ("model", "family"),
    [
        ("FTXM35R", "residential"),
        ("FTX25K", "residential"),
        ("ATX20KV1B", "residential"),
        ("EHBH08E6V", "altherma"),
        ("ERGA04EV", "altherma"),
        ("RXYSQ4T8V", "vrv"),
    ],
)
def test_a_model_suggests_its_family(catalog: Catalog, model: str, family: str) -> None:
    assert catalog.suggest_family("acme", model) == family


@pytest.mark.parametrize("model", ["ftxm35r", "FTXM 35 R", " ftxm-35r ", "F-T-X-M35R"])
def test_case_spaces_and_dashes_are_ignored(catalog: Catalog, model: str) -> None:
    assert catalog.suggest_family("acme", model) == "residential"


def test_the_longest_prefix_wins(catalog: Catalog) -> None:
    assert catalog.suggest_family("acme", "FTXMZ50") == "sky_air"
    assert catalog.suggest_family("acme", "FTXM50") == "residential"


@pytest.mark.parametrize("model", ["", "  ", "---", "XYZ123", "FT", "EHB"])
def test_no_matching_prefix_suggests_nothing(catalog: Catalog, model: str) -> None:
    assert catalog.suggest_family("acme", model) is None


def test_a_prefix_of_two_families_suggests_nothing() -> None:
    families = (
        Family("split", "Split", models=("PUZ",)),
        Family("ecodan", "Ecodan", models=("puz", "PUZ-WM")),
    )
    assert suggest_family(families, "PUZ-ZM100") is None
    # A longer prefix of one family still decides.
    assert suggest_family(families, "PUZ-WM50VHA") == "ecodan"


def test_one_family_listing_a_prefix_twice_is_not_ambiguous() -> None:
    families = (Family("a", "A", models=("WH-", "WH")),)
    assert suggest_family(families, "WH-MDC05J3E5") == "a"


def test_brand_other_suggests_nothing(catalog: Catalog) -> None:
    assert catalog.suggest_family(BRAND_OTHER, "FTXM35R") is None


def test_unknown_brand_raises(catalog: Catalog) -> None:
    with pytest.raises(UnknownBrandError):
        catalog.suggest_family("nope", "FTXM35R")


def test_shipped_brands_without_prefixes_suggest_nothing() -> None:
    """Until the data files list prefixes, nothing is guessed."""
    shipped = Catalog.load()
    for slug in shipped.brand_slugs():
        if not any(f.models for f in shipped.families(slug)):
            assert shipped.suggest_family(slug, "FTXM35R") is None


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [("MSZ-AP25VG", "MSZAP25VG"), ("cs z25 xke", "CSZ25XKE"), ("WH-", "WH"), ("", "")],
)
def test_normalise_model(raw: str, normalised: str) -> None:
    assert normalise_model(raw) == normalised
