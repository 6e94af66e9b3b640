"""What happens when a heat pump is removed from Home Assistant."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN, LOGGER
from .coordinator import HeatPumpCareConfigEntry, HeatPumpCareCoordinator
from .helpers import async_get_catalog
from .reset import Phase


async def async_restore_power_after_removal(
    hass: HomeAssistant, entry: HeatPumpCareConfigEntry
) -> None:
    """Give power back if a reset had cut it, then forget the heat pump.

    The entry is already unloaded, so a short-lived coordinator reads the
    stored reset and lets the reset core decide what to restore.
    """
    coordinator = HeatPumpCareCoordinator(hass, entry, await async_get_catalog(hass))
    await coordinator.async_load_state()
    state = coordinator.reset_state
    if state.power_cut or state.phase is Phase.WAITING_THERMOSTAT:
        LOGGER.warning(
            "%s was removed during a safe reset: restoring power now", entry.title
        )
        await coordinator.async_emergency_restore()
    await coordinator.store.async_remove()
    registry = ir.async_get(hass)
    for domain, issue_id in list(registry.issues):
        if domain == DOMAIN and issue_id.endswith(entry.entry_id):
            ir.async_delete_issue(hass, DOMAIN, issue_id)
