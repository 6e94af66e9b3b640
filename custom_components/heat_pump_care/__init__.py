"""Heat Pump Care: maintenance, safe resets and error codes for heat pumps."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .const import DOMAIN
from .coordinator import HeatPumpCareCoordinator
from .models import HeatPumpCareConfigEntry
from .removal import async_remove_stale_task_entities, async_restore_power_after_removal
from .services import async_setup_services

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.CALENDAR,
    Platform.EVENT,
    Platform.SENSOR,
    Platform.TODO,
]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the services once for every heat pump.

    The error-code catalogue is read lazily, off the event loop, the first time
    something needs it (a code to decode, a lookup, the config flow); entries
    without an active code never wait for it.
    """
    async_setup_services(hass)
    return True


async def async_setup_entry(
    hass: HomeAssistant, entry: HeatPumpCareConfigEntry
) -> bool:
    """Set up one heat pump."""
    coordinator = HeatPumpCareCoordinator(hass, entry)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = coordinator
    async_remove_stale_task_entities(hass, entry)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(
    hass: HomeAssistant, entry: HeatPumpCareConfigEntry
) -> bool:
    """Unload a heat pump; a disabled entry gives power back at once.

    On a reload the reset state stays stored and resumes on the next setup:
    power comes back at the original deadline.
    """
    if entry.disabled_by is not None:
        await entry.runtime_data.reset.async_restore_now()
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(
    hass: HomeAssistant, entry: HeatPumpCareConfigEntry
) -> None:
    """Restore power if a reset had cut it when the heat pump is removed."""
    await async_restore_power_after_removal(hass, entry)
