"""Config, reconfigure and options flows: every step and every error."""

from __future__ import annotations

from typing import Any

import probatio
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.helpers import config_validation as cv

from .common import CLIMATE, DOMAIN, ERROR_CODE, RELAY, FakeThermostat

DEVICE = {
    "name": "Attic heat pump",
    "brand": "other",
    "model": "AS35",
    "climate_entity": CLIMATE,
    "power_switch": RELAY,
    "error_code_entity": ERROR_CODE,
}
MAINTENANCE = {
    "filter_last_changed": "2026-11-01",
    "filter_interval_days": 60,
    "service_last_done": "2026-01-10",
    "service_interval_days": 365,
}


async def _start(hass: HomeAssistant) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    return result


@pytest.mark.usefixtures("devices")
async def test_user_flow_single_family_brand(hass: HomeAssistant) -> None:
    """A brand with one product line goes straight to the maintenance step."""
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], DEVICE)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "maintenance"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], MAINTENANCE
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Attic heat pump"
    assert result["data"] == {}
    options = result["options"]
    assert options["brand"] == "other"
    assert options["filter_interval_days"] == 60
    assert isinstance(options["filter_interval_days"], int)
    assert options["reset_off_minutes"] == 30
    assert options["max_resets_per_day"] == 2
    assert options["fault_watch_minutes"] == 30
    assert options["filter_runtime_hours"] == 0
    assert options["condensate_drain_interval_days"] == 0
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert entry.title == "Attic heat pump"


def _suggested(result: dict[str, Any], key: str) -> Any:
    for marker in result["data_schema"].schema:
        if marker == key:
            return (marker.description or {}).get("suggested_value")
    raise KeyError(key)


@pytest.mark.parametrize(
    ("brand", "model", "family"),
    [
        ("daikin", "FTXM35R", "residential"),
        ("daikin", "EHBH08E6V", "altherma"),
        ("daikin", "RXYQ8U", "vrv"),
        ("mitsubishi_electric", "PUZ-WM50VHA", "ecodan_ftc"),
        ("panasonic", "CS-Z25XKEW", "residential_split"),
        ("daikin", "nothing like it", "not_sure"),
    ],
)
@pytest.mark.usefixtures("devices")
async def test_family_suggested_from_the_model(
    hass: HomeAssistant, brand: str, model: str, family: str | None
) -> None:
    """The model typed in the first step picks the product line in the second."""
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**DEVICE, "brand": brand, "model": model}
    )
    assert result["step_id"] == "family"
    assert _suggested(result, "family") == family


@pytest.mark.usefixtures("devices")
async def test_user_flow_family_step(hass: HomeAssistant) -> None:
    """Daikin codes differ per product line: the family step is asked."""
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**DEVICE, "brand": "daikin"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "family"
    assert result["description_placeholders"] == {"brand": "Daikin"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"family": "vrv"}
    )
    assert result["step_id"] == "maintenance"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], MAINTENANCE
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["options"]["family"] == "vrv"


@pytest.mark.usefixtures("devices")
async def test_user_flow_minimal(hass: HomeAssistant) -> None:
    """Only the name and brand are required; 'other' has no family step."""
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "  Garage  ", "brand": "other"}
    )
    assert result["step_id"] == "maintenance"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], MAINTENANCE
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    options = result["options"]
    assert options["name"] == "Garage"
    assert "climate_entity" not in options
    assert "power_switch" not in options


def _field(result: dict[str, Any], name: str) -> dict[str, Any]:
    """A form field as the frontend receives it (the flow view's JSON)."""
    fields = probatio.to_field_list(
        result["data_schema"], custom_serializer=cv.custom_serializer
    )
    return next(field for field in fields if field["name"] == name)


async def test_brand_has_no_default(hass: HomeAssistant) -> None:
    """No brand is pre-selected: the frontend fills a required select itself."""
    result = await _start(hass)
    brand = _field(result, "brand")
    assert brand["required"] is False
    assert "default" not in brand
    assert "description" not in brand


@pytest.mark.usefixtures("devices")
async def test_brand_must_be_picked(hass: HomeAssistant) -> None:
    """Leaving the brand empty is a form error on the brand field."""
    result = await _start(hass)
    without_brand = {k: v for k, v in DEVICE.items() if k != "brand"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], without_brand
    )
    assert result["step_id"] == "user"
    assert result["errors"] == {"brand": "brand_missing"}


async def test_common_brands_come_first(hass: HomeAssistant) -> None:
    """The brands most homes have lead; the rest follow A-Z; then "Other"."""
    result = await _start(hass)
    options = _field(result, "brand")["selector"]["select"]["options"]
    labels = [option["label"] for option in options]
    common = [
        "Bosch",
        "Daikin",
        "LG",
        "Mitsubishi Electric",
        "NIBE",
        "Panasonic",
        "Samsung",
        "Stiebel Eltron",
        "Vaillant",
        "Viessmann",
    ]
    assert labels[: len(common)] == common
    rest = labels[len(common) : -1]
    assert rest[0] == "Alpha Innotec"
    assert rest == sorted(rest, key=str.casefold)
    assert not set(rest) & set(common)
    assert options[-1] == {"value": "other", "label": "Other / not listed"}


@pytest.mark.usefixtures("devices")
async def test_family_step_offers_not_sure(hass: HomeAssistant) -> None:
    """The product line's last choice is "Not sure", which stores no line."""
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**DEVICE, "brand": "daikin", "model": ""}
    )
    family = _field(result, "family")
    assert family["required"] is True
    assert family["selector"]["select"]["options"][-1]["value"] == "not_sure"
    assert family["selector"]["select"]["translation_key"] == "family"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"family": "not_sure"}
    )
    assert result["step_id"] == "maintenance"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], MAINTENANCE
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert "family" not in result["options"]


@pytest.mark.usefixtures("devices")
async def test_maintenance_defaults_to_today(hass: HomeAssistant) -> None:
    """The maintenance form suggests today and the default intervals."""
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], DEVICE)
    schema = result["data_schema"].schema
    suggested = {
        str(key): key.description["suggested_value"]
        for key in schema
        if key.description
    }
    assert suggested["filter_last_changed"] == "2026-11-22"
    assert suggested["filter_interval_days"] == 90
    assert suggested["service_interval_days"] == 365


@pytest.mark.parametrize(
    ("user_input", "errors"),
    [
        ({"name": "   "}, {"name": "name_empty"}),
        ({"climate_entity": "climate.nowhere"}, {"climate_entity": "entity_not_found"}),
        ({"power_switch": "switch.nowhere"}, {"power_switch": "entity_not_found"}),
        (
            {"error_code_entity": "sensor.nowhere"},
            {"error_code_entity": "entity_not_found"},
        ),
    ],
)
@pytest.mark.usefixtures("devices")
async def test_user_step_errors(
    hass: HomeAssistant, user_input: dict[str, Any], errors: dict[str, str]
) -> None:
    """Bad device input is a form error, and can be corrected."""
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**DEVICE, **user_input}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == errors
    result = await hass.config_entries.flow.async_configure(result["flow_id"], DEVICE)
    assert result["step_id"] == "maintenance"


@pytest.mark.usefixtures("devices")
async def test_duplicate_name(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """Two heat pumps cannot share a name (case-insensitive)."""
    mock_config_entry.add_to_hass(hass)
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"name": "LIVING ROOM heat pump", "brand": "other"},
    )
    assert result["errors"] == {"name": "name_exists"}


@pytest.mark.parametrize(
    ("user_input", "errors"),
    [
        (
            {"filter_last_changed": "2026-11-23"},
            {"filter_last_changed": "date_in_future"},
        ),
        ({"service_last_done": "2027-01-01"}, {"service_last_done": "date_in_future"}),
        ({"filter_interval_days": 30.5}, {"filter_interval_days": "out_of_range"}),
    ],
)
@pytest.mark.usefixtures("devices")
async def test_maintenance_step_errors(
    hass: HomeAssistant, user_input: dict[str, Any], errors: dict[str, str]
) -> None:
    """Future dates and out-of-range intervals are form errors."""
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], DEVICE)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**MAINTENANCE, **user_input}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "maintenance"
    assert result["errors"] == errors
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], MAINTENANCE
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    "user_input",
    [
        {"filter_interval_days": 6},
        {"filter_interval_days": 366},
        {"service_interval_days": 29},
        {"service_interval_days": 1096},
    ],
)
@pytest.mark.usefixtures("devices")
async def test_maintenance_range_is_the_selectors(
    hass: HomeAssistant, user_input: dict[str, Any]
) -> None:
    """An interval outside its selector's range is refused on that field."""
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], DEVICE)
    with pytest.raises(InvalidData) as err:
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {**MAINTENANCE, **user_input}
        )
    assert set(err.value.schema_errors) == set(user_input)


async def test_reconfigure(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Reconfigure changes the device fields, keeps the rest and reloads."""
    entry = init_integration
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"name": "Den heat pump", "brand": "other", "power_switch": RELAY},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.title == "Den heat pump"
    assert entry.options["brand"] == "other"
    assert "climate_entity" not in entry.options
    assert "model" not in entry.options
    assert entry.options["filter_interval_days"] == 90
    await hass.async_block_till_done()
    assert hass.states.get("sensor.living_room_heat_pump_reset_status") is not None


async def test_reconfigure_family_and_errors(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A brand with product lines asks for the line; errors are form errors."""
    entry = init_integration
    other = MockConfigEntry(domain=DOMAIN, title="Cellar", data={}, options={})
    other.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "cellar", "brand": "panasonic"}
    )
    assert result["errors"] == {"name": "name_exists"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Living room heat pump", "brand": "panasonic"}
    )
    assert result["step_id"] == "reconfigure_family"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"family": "aquarea"}
    )
    assert result["reason"] == "reconfigure_successful"
    assert entry.options["brand"] == "panasonic"
    assert entry.options["family"] == "aquarea"


async def _options(hass: HomeAssistant, entry: MockConfigEntry, step: str) -> Any:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == [
        "device",
        "maintenance",
        "tasks",
        "safe_reset",
        "health",
        "error_codes",
    ]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": step}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == step
    return result


async def test_options_device(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The options edit the device; a Daikin entry gets the family step."""
    entry = init_integration
    result = await _options(hass, entry, "device")
    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(
            result["flow_id"], {"name": "Living room heat pump", "brand": "sunshine"}
        )
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"name": "Lounge", "brand": "daikin", "climate_entity": "climate.gone"},
    )
    assert result["errors"] == {"climate_entity": "entity_not_found"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"name": "Lounge", "brand": "daikin", "power_switch": RELAY}
    )
    assert result["step_id"] == "family"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"family": "residential"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.title == "Lounge"
    assert entry.options["family"] == "residential"
    assert "climate_entity" not in entry.options


async def test_options_brand_must_be_picked(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Editing the heat pump, a cleared brand is a form error too."""
    result = await _options(hass, init_integration, "device")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"name": "Living room heat pump", "power_switch": RELAY}
    )
    assert result["errors"] == {"brand": "brand_missing"}
    assert init_integration.options["brand"] == "daikin"


async def test_options_product_line_can_be_cleared(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A product line picked before can be taken back with "Not sure"."""
    entry = init_integration
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "family": "vrv"}
    )
    await hass.async_block_till_done()
    result = await _options(hass, entry, "device")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"name": "Living room heat pump", "brand": "daikin", "power_switch": RELAY},
    )
    assert result["step_id"] == "family"
    assert _suggested(result, "family") == "vrv"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"family": "not_sure"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert "family" not in entry.options
    assert entry.options["brand"] == "daikin"


async def test_options_device_without_family(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A single-line brand saves at once."""
    entry = init_integration
    result = await _options(hass, entry, "device")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**DEVICE, "name": "Living room heat pump"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options["brand"] == "other"
    assert entry.options["model"] == "AS35"


async def test_options_maintenance(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Optional tasks switched on without a date start today; errors show."""
    entry = init_integration
    result = await _options(hass, entry, "maintenance")
    base = {**MAINTENANCE, "filter_runtime_hours": 0}
    for bad, errors in (
        (
            {"condensate_drain_interval_days": 10},
            {"condensate_drain_interval_days": "out_of_range"},
        ),
        (
            {"outdoor_unit_last_done": "2030-01-01"},
            {"outdoor_unit_last_done": "date_in_future"},
        ),
    ):
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], {**base, **bad}
        )
        assert result["errors"] == errors
    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(
            result["flow_id"], {**base, "filter_runtime_hours": 20000}
        )
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            **base,
            "filter_runtime_hours": 500,
            "condensate_drain_interval_days": 180,
            "outdoor_unit_interval_days": 0,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options["condensate_drain_interval_days"] == 180
    assert entry.options["condensate_drain_last_done"] == "2026-11-22"
    assert "outdoor_unit_last_done" not in entry.options
    assert entry.options["filter_runtime_hours"] == 500
    state = hass.states.get(
        "sensor.living_room_heat_pump_condensate_drain_cleaning_due"
    )
    assert state is not None
    assert state.state == "2027-05-21"


async def test_options_safe_reset(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Reset timings are validated and saved."""
    entry = init_integration
    result = await _options(hass, entry, "safe_reset")
    with pytest.raises(InvalidData) as err:
        await hass.config_entries.options.async_configure(
            result["flow_id"],
            {
                "reset_off_minutes": 0,
                "max_resets_per_day": 11,
                "fault_watch_minutes": 241,
            },
        )
    assert set(err.value.schema_errors) <= {
        "reset_off_minutes",
        "max_resets_per_day",
        "fault_watch_minutes",
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"reset_off_minutes": 5.5, "max_resets_per_day": 3, "fault_watch_minutes": 0},
    )
    assert result["errors"] == {"reset_off_minutes": "out_of_range"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"reset_off_minutes": 5, "max_resets_per_day": 3, "fault_watch_minutes": 0},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options["reset_off_minutes"] == 5
    assert entry.options["max_resets_per_day"] == 3
    assert entry.options["fault_watch_minutes"] == 0


async def test_options_error_codes(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Custom codes are checked line by line."""
    entry = init_integration
    result = await _options(hass, entry, "error_codes")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"custom_codes": "E9: Fan motor seized | fan\nno colon here"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"custom_codes": "invalid_format"}
    assert result["description_placeholders"]["line"] == "2"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"custom_codes": "# my unit\nE9: Fan motor seized | fan\n"},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options["custom_codes"] == "# my unit\nE9: Fan motor seized | fan"


async def test_non_number_rejected(
    hass: HomeAssistant, devices: FakeThermostat
) -> None:
    """A value that is not a number fails schema validation."""
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], DEVICE)
    with pytest.raises(InvalidData):
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {**MAINTENANCE, "filter_interval_days": "soon"}
        )


@pytest.mark.usefixtures("devices")
async def test_power_switch_in_use(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """One breaker cannot power-cycle two heat pumps."""
    mock_config_entry.add_to_hass(hass)
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], DEVICE)
    assert result["errors"] == {"power_switch": "power_switch_in_use"}


async def test_power_switch_locked_during_reset(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """While a reset has the power cut, the switch cannot be swapped."""
    entry = init_integration
    hass.states.async_set("switch.other_breaker", "on")
    await hass.services.async_call(
        DOMAIN, "start_safe_reset", {"config_entry_id": entry.entry_id}, blocking=True
    )
    assert hass.states.get(RELAY).state == "off"
    for start in (
        lambda: _options(hass, entry, "device"),
        lambda: entry.start_reconfigure_flow(hass),
    ):
        result = await start()
        flow = (
            hass.config_entries.options
            if result.get("handler") == entry.entry_id
            else hass.config_entries.flow
        )
        result = await flow.async_configure(
            result["flow_id"],
            {
                "name": "Living room heat pump",
                "brand": "other",
                "power_switch": "switch.other_breaker",
            },
        )
        assert result["errors"] == {"power_switch": "reset_running"}
    assert entry.options["power_switch"] == RELAY
    # The same switch may stay: other settings can still be edited.
    result = await _options(hass, entry, "device")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {"name": "Living room heat pump", "brand": "other", "power_switch": RELAY},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.services.async_call(
        DOMAIN, "cancel_safe_reset", {"config_entry_id": entry.entry_id}, blocking=True
    )
