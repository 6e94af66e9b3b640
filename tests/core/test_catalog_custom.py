"""User-defined codes and the severity / advice rules."""

from __future__ import annotations

import pytest

from custom_components.heat_pump_care.catalog import (
    CATEGORY_ADVICE,
    HARMFUL_RESET_CATEGORIES,
    Category,
    Severity,
    parse_custom_codes,
)
from custom_components.heat_pump_care.catalog.rules import (
    default_reset_may_help,
    derive_advice,
    derive_severity,
)

TEXT = """
# my unit's own codes

E1: Lost contact with the outdoor unit | communication
e-1: duplicate of E1
F7: Filter clogged
P9 Missing colon
C2: | sensor
C3: Odd | nonsense
C4: Valve stuck | refrigerant | critical
C5: Water below tray | drain | urgent
C6: a | b | c | d
: no code
0: zero means no error
CH5: LG style
"""


def test_parse_custom_codes_with_line_numbers() -> None:
    entries, errors = parse_custom_codes("lg", TEXT)
    assert errors == [
        (5, "duplicate_code"),
        (7, "invalid_format"),
        (8, "empty_meaning"),
        (9, "invalid_category"),
        (11, "invalid_severity"),
        (12, "invalid_format"),
        (13, "invalid_format"),
        (14, "invalid_format"),
    ]
    assert set(entries) == {"E1", "F7", "CH04", "CH05"}
    e1 = entries["E1"]
    assert e1.family == "custom"
    assert e1.sources == ("user",)
    assert e1.category is Category.COMMUNICATION
    assert e1.reset_may_help is True
    assert e1.severity is Severity.ERROR
    assert entries["F7"].category is Category.OTHER
    assert entries["F7"].reset_may_help is None
    assert entries["CH04"].severity is Severity.CRITICAL
    assert entries["CH04"].reset_may_help is False
    assert entries["CH05"].code == "CH5"
    assert entries["E1"].as_dict()["family_name"]


def test_empty_text() -> None:
    assert parse_custom_codes("daikin", "") == ({}, [])


@pytest.mark.parametrize("category", list(Category))
def test_default_reset_may_help(category: Category) -> None:
    value = default_reset_may_help(category)
    if category in HARMFUL_RESET_CATEGORIES:
        assert value is False
    elif category is Category.COMMUNICATION:
        assert value is True
    else:
        assert value is None


@pytest.mark.parametrize(
    ("category", "meaning", "expected"),
    [
        (Category.PROTECTION, "System lockout after five trips", Severity.CRITICAL),
        (Category.SENSOR, "Humidity sensor fault (warning)", Severity.WARNING),
        (Category.PROTECTION, "Freeze stop (unit can restart)", Severity.WARNING),
        (Category.PROTECTION, "Freeze stop (unit cannot restart)", Severity.CRITICAL),
        (Category.OTHER, "Another indoor unit has an error", Severity.WARNING),
        (Category.REFRIGERANT, "Gas leak", Severity.CRITICAL),
        (Category.PRESSURE, "High pressure", Severity.CRITICAL),
        (Category.COMPRESSOR, "Compressor lock", Severity.CRITICAL),
        (Category.ELECTRICAL, "IPM protection", Severity.CRITICAL),
        (Category.ELECTRICAL, "Indoor PCB fault", Severity.ERROR),
        (Category.COMMUNICATION, "Link lost", Severity.ERROR),
        (Category.DRAIN, "Float switch", Severity.ERROR),
    ],
)
def test_derive_severity(category: Category, meaning: str, expected: Severity) -> None:
    assert derive_severity(category, None, meaning) is expected


@pytest.mark.parametrize(
    ("category", "meaning", "needle"),
    [
        (Category.DRAIN, "Float switch tripped", "condensate pump"),
        (Category.SENSOR, "Drain sensor fault", "drain line"),
        (Category.PROTECTION, "Low water flow: flow switch off", "water pressure"),
        (Category.PROTECTION, "Indoor coil freeze protection", "freezing"),
        (Category.PROTECTION, "Backup heater OLP tripped", "heater"),
        (Category.PROTECTION, "Discharge temperature too high", "ran too hot"),
        (Category.COMMUNICATION, "Wired remote link lost", "controller cable"),
        (Category.ELECTRICAL, "Open phase detected", "phases"),
        (Category.SENSOR, "Outdoor air thermistor", "sensor"),
    ],
)
def test_derive_advice(category: Category, meaning: str, needle: str) -> None:
    advice = derive_advice(category, meaning)
    assert needle in advice


def test_every_category_has_advice() -> None:
    assert set(CATEGORY_ADVICE) == set(Category)
    for category in Category:
        assert derive_advice(category, "") == CATEGORY_ADVICE[category]
