"""Fixtures for the Home Assistant side of Heat Pump Care."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component

from custom_components.heat_pump_care.helpers import async_get_catalog

from .common import CLIMATE, DOMAIN, ENTRY_ID, ERROR_CODE, RELAY, FakeThermostat

START = "2026-11-22T10:00:00+01:00"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Load this checkout's custom integration in every test."""


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Serialise states and registry entries the Home Assistant way."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture(autouse=True)
def frozen_start(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    """Start every test at a known moment."""
    freezer.move_to(START)
    return freezer


@pytest.fixture
async def time_zone(hass: HomeAssistant) -> str:
    """Use a European time zone by default."""
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    return "Europe/Amsterdam"


@pytest.fixture
def options() -> dict[str, Any]:
    """Return the options of a fully configured heat pump."""
    return {
        "name": "Living room heat pump",
        "brand": "daikin",
        "model": "FTXM35R",
        "climate_entity": CLIMATE,
        "power_switch": RELAY,
        "error_code_entity": ERROR_CODE,
        "filter_last_changed": "2026-10-01",
        "filter_interval_days": 90,
        "service_last_done": "2026-03-15",
        "service_interval_days": 365,
        "reset_off_minutes": 30,
        "max_resets_per_day": 2,
        "fault_watch_minutes": 30,
        "filter_runtime_hours": 0,
    }


@pytest.fixture
def mock_config_entry(options: dict[str, Any]) -> MockConfigEntry:
    """Return the config entry of one heat pump."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=options["name"],
        data={},
        options=options,
        entry_id=ENTRY_ID,
        version=1,
        minor_version=1,
    )


@pytest.fixture
async def devices(hass: HomeAssistant, time_zone: str) -> FakeThermostat:
    """Set up a relay (input_boolean), an error-code input_text and a thermostat."""
    assert await async_setup_component(
        hass, "input_boolean", {"input_boolean": {"breaker": {"initial": True}}}
    )
    assert await async_setup_component(
        hass,
        "input_text",
        {"input_text": {"error_code": {"initial": "", "max": 32}}},
    )
    thermostat = FakeThermostat(hass)
    await hass.async_block_till_done()
    return thermostat


@pytest.fixture
async def init_integration(
    hass: HomeAssistant,
    devices: FakeThermostat,
    mock_config_entry: MockConfigEntry,
) -> MockConfigEntry:
    """Set up the integration with one heat pump."""
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    # Steady state: the catalogue is read lazily on first need; most tests
    # want it there already (tests/ha/test_catalog_loading.py covers the wait).
    await async_get_catalog(hass)
    return mock_config_entry


@pytest.fixture
async def setup_platform(
    hass: HomeAssistant,
    devices: FakeThermostat,
    mock_config_entry: MockConfigEntry,
) -> Callable[[Platform], Awaitable[MockConfigEntry]]:
    """Return a function that sets the heat pump up with one platform only."""

    async def _setup(platform: Platform) -> MockConfigEntry:
        mock_config_entry.add_to_hass(hass)
        with patch("custom_components.heat_pump_care.PLATFORMS", [platform]):
            assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
            await hass.async_block_till_done()
        return mock_config_entry

    return _setup
