"""Custom error codes from the options flow."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from .common import DOMAIN, ERROR_CODE, FakeThermostat, service_response

ERROR_SENSOR = "sensor.living_room_heat_pump_error_code"
U4_MEANING = "Signal transmission error between indoor and outdoor units"
CUSTOM_TEXT = (
    "# codes our installer explained\n"
    "U4: Wi-Fi adapter lost the indoor unit | communication | warning\n"
    "X1: Pump of the buffer tank blocked | fan\n"
)


async def open_error_codes_step(
    hass: HomeAssistant, entry: MockConfigEntry
) -> dict[str, Any]:
    """Open the options flow and pick the custom error codes."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert "error_codes" in result["menu_options"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "error_codes"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "error_codes"
    return dict(result)


async def save_custom_codes(
    hass: HomeAssistant, entry: MockConfigEntry, text: str
) -> dict[str, Any]:
    """Submit custom codes through the options flow."""
    result = await open_error_codes_step(hass, entry)
    result = dict(
        await hass.config_entries.options.async_configure(
            result["flow_id"], {"custom_codes": text}
        )
    )
    await hass.async_block_till_done()
    return result


async def lookup(hass: HomeAssistant, code: str, **data: Any) -> dict[str, Any]:
    """Call the lookup service."""
    return await service_response(hass, "lookup_error_code", code=code, **data)


async def set_code(hass: HomeAssistant, value: str) -> None:
    """Type a value into the error-code input_text."""
    await hass.services.async_call(
        "input_text",
        "set_value",
        {"entity_id": ERROR_CODE, "value": value},
        blocking=True,
    )
    await hass.async_block_till_done()


async def test_valid_custom_codes_are_saved(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Valid text is stored in the options and the heat pump reloads with it."""
    entry = init_integration
    result = await save_custom_codes(hass, entry, CUSTOM_TEXT)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options["custom_codes"] == CUSTOM_TEXT.strip()
    # Everything else is kept.
    assert entry.options["brand"] == "daikin"
    assert entry.options["power_switch"] == "input_boolean.breaker"
    assert entry.runtime_data.settings.custom_codes == CUSTOM_TEXT.strip()

    # The form shows the saved text next time.
    form = await open_error_codes_step(hass, entry)
    schema = form["data_schema"].schema
    key = next(k for k in schema if k == "custom_codes")
    assert key.description["suggested_value"] == CUSTOM_TEXT.strip()


@pytest.mark.parametrize(
    ("text", "error", "line"),
    [
        ("X1: Fine | fan\nthis line has no colon", "invalid_format", "2"),
        ("X1: Fine\n\nX2: Bad | weather", "invalid_category", "3"),
        ("X1: Fine\nx-1: Same code again", "duplicate_code", "2"),
        ("X1:   | fan", "empty_meaning", "1"),
        ("# comment\nX1: Fine | fan | fatal", "invalid_severity", "2"),
        ("X1: a | fan | error | extra", "invalid_format", "1"),
    ],
)
async def test_invalid_custom_codes_show_the_line(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    text: str,
    error: str,
    line: str,
) -> None:
    """Invalid lines are a form error naming the first bad line; nothing saved."""
    entry = init_integration
    result = await save_custom_codes(hass, entry, text)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "error_codes"
    assert result["errors"] == {"custom_codes": error}
    assert result["description_placeholders"]["line"] == line
    assert "custom_codes" not in entry.options

    # The user corrects the text in the same form.
    fixed = await hass.config_entries.options.async_configure(
        result["flow_id"], {"custom_codes": "X1: Fine | fan"}
    )
    await hass.async_block_till_done()
    assert fixed["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options["custom_codes"] == "X1: Fine | fan"


async def test_custom_codes_override_lookups_of_that_entry(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A custom code wins for its heat pump, the catalogue stays for the rest."""
    entry = init_integration
    await save_custom_codes(hass, entry, CUSTOM_TEXT)

    by_entry = await lookup(hass, "u4", config_entry_id=entry.entry_id)
    assert by_entry["found"] is True
    assert by_entry["family"] == "custom"
    assert by_entry["meaning"] == "Wi-Fi adapter lost the indoor unit"
    assert by_entry["severity"] == "warning"
    # The catalogue's meaning is still listed after the user's.
    families = [m["family"] for m in by_entry["matches"]]
    assert families[:2] == ["custom", "residential"]

    new_code = await lookup(hass, "X1", config_entry_id=entry.entry_id)
    assert new_code["found"] is True
    assert new_code["category"] == "fan"
    assert new_code["meaning"] == "Pump of the buffer tank blocked"

    by_brand = await lookup(hass, "U4", brand="daikin")
    assert by_brand["meaning"] == U4_MEANING
    assert (await lookup(hass, "X1", brand="daikin"))["found"] is False


async def test_custom_codes_decode_live(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The error-code sensor and the event use the unit's custom codes."""
    entry = init_integration
    await save_custom_codes(hass, entry, CUSTOM_TEXT)
    events = async_capture_events(hass, "heat_pump_care_fault")

    await set_code(hass, "X1")

    state = hass.states.get(ERROR_SENSOR)
    assert state is not None
    assert state.state == "X1"
    assert state.attributes["family"] == "custom"
    assert state.attributes["meaning"] == "Pump of the buffer tank blocked"
    assert state.attributes["category"] == "fan"
    assert [(e.data["code"], e.data["category"]) for e in events] == [("X1", "fan")]

    await set_code(hass, "U4-03")
    state = hass.states.get(ERROR_SENSOR)
    assert state is not None
    assert state.state == "U4-03"
    assert state.attributes["meaning"] == "Wi-Fi adapter lost the indoor unit"
    assert state.attributes["severity"] == "warning"
    fault = hass.config_entries.async_loaded_entries(DOMAIN)[0].runtime_data.data.fault
    assert [match.family for match in fault.matches[1:2]] == ["residential"]


async def test_custom_codes_stay_with_their_entry(
    hass: HomeAssistant, devices: FakeThermostat, mock_config_entry: MockConfigEntry
) -> None:
    """Another heat pump of the same brand keeps the catalogue's meaning."""
    mine = MockConfigEntry(
        domain=DOMAIN,
        title="Attic heat pump",
        options={**mock_config_entry.options, "name": "Attic heat pump"},
        entry_id="01JATTIC",
    )
    for entry in (mock_config_entry, mine):
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await save_custom_codes(hass, mine, CUSTOM_TEXT)

    await set_code(hass, "U4")

    attic = hass.states.get("sensor.attic_heat_pump_error_code")
    living = hass.states.get(ERROR_SENSOR)
    assert attic is not None
    assert living is not None
    assert attic.attributes["meaning"] == "Wi-Fi adapter lost the indoor unit"
    assert living.attributes["meaning"] == U4_MEANING
    other = await lookup(hass, "U4", config_entry_id=mock_config_entry.entry_id)
    assert other["meaning"] == U4_MEANING
