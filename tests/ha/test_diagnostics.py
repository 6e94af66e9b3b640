"""Diagnostics of a heat pump."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import paths

from homeassistant.core import HomeAssistant

from .common import ERROR_CODE

REDACTED = "**REDACTED**"


@pytest.fixture
def options(options: dict[str, Any]) -> dict[str, Any]:
    """Add a custom code, so the diagnostics list it."""
    return {**options, "custom_codes": "X1: Pump of the buffer tank blocked | fan"}


async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Diagnostics show settings, state and the decoded fault, without the name."""
    await hass.services.async_call(
        "input_text",
        "set_value",
        {"entity_id": ERROR_CODE, "value": "U4-01"},
        blocking=True,
    )
    await hass.async_block_till_done()

    result = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)

    # The catalogue's size and its rows' wording change as data is added:
    # they are checked below, not frozen in the snapshot.
    assert result == snapshot.use_extension(HomeAssistantSnapshotExtension)(
        exclude=paths("catalog.brands", "catalog.codes", "snapshot.fault.entry")
    )
    entry = result["entry"]
    assert isinstance(entry, dict)
    options = entry["options"]
    assert isinstance(options, dict)
    assert options["name"] == REDACTED
    assert options["model"] == REDACTED
    assert entry["title"] == REDACTED
    # Nothing that identifies the home is left anywhere in the dump.
    dump = json.dumps(result)
    assert "Living room" not in dump
    assert "FTXM35R" not in dump
    # What is needed to debug is kept.
    assert options["brand"] == "daikin"
    assert options["error_code_entity"] == ERROR_CODE
    snapshot_data = result["snapshot"]
    assert isinstance(snapshot_data, dict)
    fault = snapshot_data["fault"]
    assert isinstance(fault, dict)
    assert fault["code"] == "U4-01"
    # Catalogue rows by reference (brand/family/code): their texts are in
    # the catalogue, not repeated in every dump.
    assert fault["entry"] == "daikin/residential/U4"
    catalog = result["catalog"]
    assert isinstance(catalog, dict)
    assert catalog["custom_codes"] == ["X1"]
    brands, codes = catalog["brands"], catalog["codes"]
    assert isinstance(brands, int)
    assert isinstance(codes, int)
    assert brands >= 20
    assert codes > brands


async def test_diagnostics_include_the_history_with_notes(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
) -> None:
    """A completion's note and a snooze are in the stored state of the dump."""
    await hass.services.async_call(
        "heat_pump_care",
        "mark_maintenance_done",
        {
            "config_entry_id": init_integration.entry_id,
            "task": "filter",
            "note": "MERV 11, 16x25x1",
        },
        blocking=True,
    )
    await hass.services.async_call(
        "heat_pump_care",
        "snooze_maintenance",
        {"config_entry_id": init_integration.entry_id, "task": "service", "days": 7},
        blocking=True,
    )
    result = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
    maintenance = result["stored"]["maintenance"]
    assert [(row["task"], row["note"]) for row in maintenance["history"]] == [
        ("filter", "MERV 11, 16x25x1")
    ]
    assert list(maintenance["snoozed"]) == ["service"]
