"""Setting up, reloading and unloading a heat pump."""

from __future__ import annotations

from pytest_homeassistant_custom_component.common import MockConfigEntry

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from .common import DOMAIN


async def test_setup_and_unload(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """The entry loads, creates one device and unloads cleanly."""
    entry = init_integration
    assert entry.state is ConfigEntryState.LOADED
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, entry.entry_id), entry.entry_id
    )
    assert device is not None
    assert device.name == "Living room heat pump"
    assert device.manufacturer == "Daikin"
    assert device.model == "FTXM35R"
    state = hass.states.get("sensor.living_room_heat_pump_days_since_filter_change")
    assert state is not None
    assert state.state == "52"
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED
