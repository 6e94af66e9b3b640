"""The coordinator: one snapshot per input, published only when it changed."""

from __future__ import annotations

from unittest.mock import patch

from pytest_homeassistant_custom_component.common import MockConfigEntry

from homeassistant.core import HomeAssistant

from custom_components.heat_pump_care.catalog import Catalog
from custom_components.heat_pump_care.coordinator import HeatPumpCareCoordinator

from .common import ERROR_CODE, FakeThermostat
from .reset_helpers import SAFE_RESET, press, reset_status


async def test_one_press_builds_one_snapshot(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A safe-reset press (thermostat off, relay off, confirmed) publishes once."""
    coordinator: HeatPumpCareCoordinator = init_integration.runtime_data
    published: list[object] = []
    coordinator.async_add_listener(lambda: published.append(coordinator.data))
    with patch.object(
        HeatPumpCareCoordinator,
        "_compose",
        autospec=True,
        side_effect=HeatPumpCareCoordinator._compose,
    ) as compose:
        await press(hass, SAFE_RESET)

    assert reset_status(hass) == "power_off"
    assert compose.call_count == 1
    assert len(published) == 1


async def test_one_code_change_decodes_once(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A new error code is looked up in the catalogue once, not per reader."""
    with patch.object(
        Catalog, "lookup", autospec=True, side_effect=Catalog.lookup
    ) as lookup:
        hass.states.async_set(ERROR_CODE, "U4")
        await hass.async_block_till_done()

    assert [call.args[2] for call in lookup.call_args_list] == ["U4"]


async def test_unused_thermostat_attribute_writes_nothing(
    hass: HomeAssistant, devices: FakeThermostat, init_integration: MockConfigEntry
) -> None:
    """A room temperature report (no figure uses it) publishes no snapshot."""
    coordinator: HeatPumpCareCoordinator = init_integration.runtime_data
    published: list[object] = []
    coordinator.async_add_listener(lambda: published.append(coordinator.data))
    state = devices.state
    for temperature in (20.5, 20.6, 20.7):
        hass.states.async_set(
            state.entity_id,
            state.state,
            {**state.attributes, "current_temperature": temperature},
        )
        await hass.async_block_till_done()

    assert published == []
