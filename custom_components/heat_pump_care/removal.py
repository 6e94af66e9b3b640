"""What happens when a heat pump is removed from Home Assistant."""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er, issue_registry as ir

from .const import DOMAIN, LOGGER
from .coordinator import HeatPumpCareCoordinator
from .entity import USER_TASK_ENTITY_PREFIX, USER_TASK_ENTITY_SUFFIXES, task_entity
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


@callback
def async_remove_stale_task_entities(
    hass: HomeAssistant, entry: HeatPumpCareConfigEntry
) -> None:
    """Remove the entities of own tasks the owner has removed.

    Their repairs, snoozes and history go with the stored state (see
    ``MaintenanceTracker.async_start``).
    """
    entry_id = entry.entry_id
    prefix = f"{entry_id}_{USER_TASK_ENTITY_PREFIX}"
    keep = {
        f"{entry_id}_{task_entity(task, kind).key}"
        for task in entry.runtime_data.settings.user_task_names
        for kind in range(len(USER_TASK_ENTITY_SUFFIXES))
    }
    registry = er.async_get(hass)
    for entity in er.async_entries_for_config_entry(registry, entry_id):
        if entity.unique_id.startswith(prefix) and entity.unique_id not in keep:
            registry.async_remove(entity.entity_id)
