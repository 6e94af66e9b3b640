"""Advice that says something about the code, not only about its category."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from custom_components.heat_pump_care.catalog import CATEGORY_ADVICE, Catalog, Category
from custom_components.heat_pump_care.catalog.advice import code_lead
from custom_components.heat_pump_care.catalog.loader import load_brands
from custom_components.heat_pump_care.catalog.rules import (
    CATEGORY_ACTIONS,
    CATEGORY_SUMMARY,
    derive_advice,
    is_generic_advice,
)


@pytest.mark.parametrize(
    ("category", "meaning", "lead"),
    [
        (
            Category.SENSOR,
            "Outdoor air thermistor abnormality",
            "The outdoor air thermistor reads nonsense (open or short circuit).",
        ),
        (
            Category.SENSOR,
            "Indoor room temperature sensor T1 open or short",
            "The indoor room temperature sensor T1 reads nonsense",
        ),
        (
            Category.SENSOR,
            "Outdoor heat exchanger sensor (TE/TS) open or short",
            "The outdoor heat exchanger sensor (TE/TS) reads nonsense",
        ),
        (
            Category.SENSOR,
            "IPM/PFC module temperature sensor error",
            "The IPM/PFC module temperature sensor reads nonsense",
        ),
        (
            Category.COMMUNICATION,
            "Signal transmission error between indoor and outdoor units",
            "The indoor and outdoor units cannot talk to each other.",
        ),
        (
            Category.COMMUNICATION,
            "Transmission error between control PCB and inverter PCB",
            "inverter board that drives the compressor",
        ),
        (
            Category.FAN,
            "Outdoor fan motor lock",
            "The fan of the outdoor unit is blocked",
        ),
        (
            Category.ELECTRICAL,
            "Indoor unit EEPROM parameter error",
            "(EEPROM) on a circuit board of the indoor unit",
        ),
        (
            Category.PRESSURE,
            "Low-pressure increase protection activated",
            "suction (low) side rose too high",
        ),
        (
            Category.PRESSURE,
            "Low-pressure switch fault",
            "The pressure switch or its wiring is faulty",
        ),
        (
            Category.REFRIGERANT,
            "Outdoor four-way valve reversing fault",
            "four-way valve that switches between heating and cooling",
        ),
        (
            Category.COMPRESSOR,
            "Compressor rotor lock",
            "does not turn as it should",
        ),
        (
            Category.CONFIGURATION,
            "Too many indoor units or connected capacity exceeded",
            "More units are connected than the system allows.",
        ),
        (
            Category.OTHER,
            "Another indoor unit in the same system has an error",
            "Another unit of the same system has the actual fault",
        ),
    ],
)
def test_advice_names_the_part_the_meaning_names(
    category: Category, meaning: str, lead: str
) -> None:
    """The category's summary is replaced by a sentence about this code's part."""
    advice = derive_advice(category, meaning)
    assert lead in advice
    assert advice.endswith(CATEGORY_ACTIONS[category])
    assert not is_generic_advice(advice)


@pytest.mark.parametrize(
    ("category", "meaning"),
    [
        (Category.COMPRESSOR, "Compressor abnormality"),
        (Category.COMMUNICATION, "Communication error"),
        (Category.SENSOR, "Thermistor fault"),
        (Category.OTHER, "Undefined error"),
    ],
)
def test_meaning_without_a_part_keeps_the_category_advice(
    category: Category, meaning: str
) -> None:
    assert code_lead(category, meaning) is None
    assert derive_advice(category, meaning) == CATEGORY_ADVICE[category]


def test_category_advice_is_summary_then_actions() -> None:
    for category in Category:
        summary, actions = CATEGORY_SUMMARY[category], CATEGORY_ACTIONS[category]
        assert CATEGORY_ADVICE[category] == f"{summary} {actions}".strip()


@pytest.mark.parametrize(
    ("meaning", "needle"),
    [
        ("Indoor units mode conflict (multi-zone only)", "same mode"),
        ("Outdoor temperature too low for heating", "starts again by itself"),
    ],
)
def test_situations_with_their_own_advice(meaning: str, needle: str) -> None:
    category = Category.CONFIGURATION if "conflict" in meaning else Category.PROTECTION
    assert needle in derive_advice(category, meaning)


ROW: dict[str, Any] = {
    "code": "H9",
    "family": "main",
    "meaning": "Outdoor air thermistor abnormality",
    "category": "sensor",
    "reset_may_help": False,
    "sources": [],
}


def _load_row(tmp_path: Path, **row: Any) -> str:
    doc = {
        "schema": 1,
        "brand": "acme",
        "name": "Acme",
        "families": [{"id": "main", "name": "Main"}],
        "sources": {},
        "codes": [ROW | row],
    }
    (tmp_path / "acme.json").write_text(json.dumps(doc), encoding="utf-8")
    return load_brands(tmp_path)[0].codes[0].advice


def test_loader_replaces_a_rows_generic_advice(tmp_path: Path) -> None:
    """A row that carries only its category's text gets advice about the code."""
    advice = _load_row(tmp_path, advice=CATEGORY_ADVICE[Category.SENSOR])
    assert advice.startswith("The outdoor air thermistor reads nonsense")


def test_loader_keeps_a_rows_own_advice(tmp_path: Path) -> None:
    own = "Check the thermistor behind the outdoor unit's rear grille."
    assert _load_row(tmp_path, advice=own) == own


def test_catalog_daikin_u4_advice_is_about_the_indoor_outdoor_link() -> None:
    u4 = Catalog.load().lookup("daikin", "U4").primary
    assert u4 is not None
    assert u4.advice.startswith("The indoor and outdoor units cannot talk")
