"""What happens when a heat pump is removed from Home Assistant."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN, LOGGER
from .coordinator import HeatPumpCareCoordinator
from .helpers import async_get_catalog
from .models import HeatPumpCareConfigEntry
from .reset import Phase


async def async_restore_power_after_removal(
    hass: HomeAssistant, entry: HeatPumpCareConfigEntry
) -> None:
    """Give power back if a reset had cut it, then forget the heat pump.

    The entry is already unloaded: its capabilities are built again, without
    listeners or timers, to read the stored reset and let the reset core
    decide what to restore.
    """
    await async_get_catalog(hass)
    coordinator = HeatPumpCareCoordinator(hass, entry)
    await coordinator.storage.async_load(coordinator.load_stored, lambda: None)
    state = coordinator.reset.state
    if state.power_cut or state.phase is Phase.WAITING_THERMOSTAT:
        LOGGER.warning(
            "%s was removed during a safe reset: restoring power now", entry.title
        )
        await coordinator.reset.async_restore_now()
    await coordinator.storage.async_remove()
    registry = ir.async_get(hass)
    for domain, issue_id in list(registry.issues):
        if domain == DOMAIN and issue_id.endswith(entry.entry_id):
            ir.async_delete_issue(hass, DOMAIN, issue_id)
