"""The catalogue loads in the background: setup waits only for a code to decode."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
import threading
from unittest.mock import patch

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from custom_components.heat_pump_care.catalog import Catalog

from .common import DOMAIN, ERROR_CODE, FakeThermostat

ERROR_SENSOR = "sensor.living_room_heat_pump_error_code"
U4_MEANING = "Signal transmission error between indoor and outdoor units"


@pytest.fixture
def held_catalog() -> Iterator[threading.Event]:
    """Hold the catalogue's file reading until the returned event is set."""
    release = threading.Event()
    real_load = Catalog.load

    def held_load() -> Catalog:
        release.wait(10)
        return real_load()

    with patch.object(Catalog, "load", held_load):
        yield release
    release.set()


async def test_setup_does_not_wait_for_the_catalogue(
    hass: HomeAssistant,
    devices: FakeThermostat,
    mock_config_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    held_catalog: threading.Event,
) -> None:
    """No code at start: the heat pump is up while the files are still read.

    A code reported meanwhile is decoded as soon as the catalogue is read.
    """
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert not held_catalog.is_set()
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, mock_config_entry.entry_id), mock_config_entry.entry_id
    )
    assert device is not None
    assert device.manufacturer == "Daikin"
    state = hass.states.get(ERROR_SENSOR)
    assert state is not None
    assert state.state == "none"

    await hass.services.async_call(
        "input_text",
        "set_value",
        {"entity_id": ERROR_CODE, "value": "U4"},
        blocking=True,
    )
    state = hass.states.get(ERROR_SENSOR)
    assert state is not None
    assert state.state == "none"  # not decoded yet: the catalogue is not read

    held_catalog.set()
    await hass.async_block_till_done()
    state = hass.states.get(ERROR_SENSOR)
    assert state is not None
    assert state.state == "U4"
    assert state.attributes["meaning"] == U4_MEANING


async def test_setup_waits_for_the_catalogue_with_an_active_code(
    hass: HomeAssistant,
    devices: FakeThermostat,
    mock_config_entry: MockConfigEntry,
    held_catalog: threading.Event,
) -> None:
    """A code active at start is decoded by the time setup returns."""
    await hass.services.async_call(
        "input_text",
        "set_value",
        {"entity_id": ERROR_CODE, "value": "U4"},
        blocking=True,
    )
    mock_config_entry.add_to_hass(hass)
    setup = hass.async_create_task(
        hass.config_entries.async_setup(mock_config_entry.entry_id)
    )
    for _ in range(20):
        await asyncio.sleep(0)
    assert not setup.done()  # waiting for the catalogue
    held_catalog.set()
    assert await setup
    state = hass.states.get(ERROR_SENSOR)
    assert state is not None
    assert state.state == "U4"
    assert state.attributes["meaning"] == U4_MEANING
    await hass.async_block_till_done()
