"""Event entities: the heat pump's faults, safe-reset phases and due tasks.

The same events go to the bus under the CONTRACT's names; these entities show
the last one on dashboards and in the logbook, and let automations use the
event entity's state trigger.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import HeatPumpCareActionEntity
from .events import EVENT_TYPES, EventKind
from .models import HeatPumpCareConfigEntry
from .options import Settings

PARALLEL_UPDATES = 0

_NEEDS: dict[EventKind, str | None] = {
    EventKind.FAULT: "error_code_entity",
    EventKind.RESET: "power_switch",
    EventKind.MAINTENANCE: None,
    EventKind.HEALTH: "climate_entity",
}


def _exists(kind: EventKind, settings: Settings) -> bool:
    needed = _NEEDS[kind]
    return needed is None or getattr(settings, needed) is not None


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpCareConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the event entities this heat pump's settings call for."""
    coordinator = entry.runtime_data
    async_add_entities(
        HeatPumpCareEvent(
            coordinator,
            EventEntityDescription(
                key=kind, translation_key=kind, event_types=EVENT_TYPES[kind]
            ),
        )
        for kind in EventKind
        if _exists(kind, coordinator.settings)
    )


class HeatPumpCareEvent(HeatPumpCareActionEntity, EventEntity):
    """The last event of one kind."""

    entity_description: EventEntityDescription

    async def async_added_to_hass(self) -> None:
        """Listen to the heat pump's events of this kind."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.coordinator.events.async_subscribe(
                EventKind(self.entity_description.key), self._on_event
            )
        )

    @callback
    def _on_event(self, event_type: str, data: dict[str, Any]) -> None:
        self._trigger_event(event_type, data)
        self.async_write_ha_state()
