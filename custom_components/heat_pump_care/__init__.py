"""Heat Pump Care: maintenance, safe resets and error codes for heat pumps."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .catalog import BRAND_OTHER
from .catalog.index import BRAND_NAMES
from .const import DOMAIN
from .coordinator import HeatPumpCareConfigEntry, HeatPumpCareCoordinator
from .helpers import loaded_catalog
from .removal import async_restore_power_after_removal
from .services import async_setup_services

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.CALENDAR,
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
    coordinator = HeatPumpCareCoordinator(hass, entry, loaded_catalog(hass))
    if coordinator.settings.brand not in (*BRAND_NAMES, BRAND_OTHER):
        # A brand newer than the name index: name the device from the files.
        await coordinator.async_ensure_catalog()
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, entry.entry_id)},
        name=entry.title,
        manufacturer=coordinator.manufacturer,
        model=coordinator.settings.model,
    )
    coordinator.device_id = device.id
    await coordinator.async_setup()
    entry.runtime_data = coordinator
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
        await entry.runtime_data.async_emergency_restore()
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(
    hass: HomeAssistant, entry: HeatPumpCareConfigEntry
) -> None:
    """Restore power if a reset had cut it when the heat pump is removed."""
    await async_restore_power_after_removal(hass, entry)
