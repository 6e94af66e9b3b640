"""Reference event entities."""

from __future__ import annotations

from homeassistant.components.event import EventEntity
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import ReferenceEntity, entities_for


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the entry's event entities."""
    async_add_entities(entities_for(entry, "event", ReferenceEvent))


class ReferenceEvent(ReferenceEntity, EventEntity):
    """An event entity that never fires."""

    _attr_event_types = ["happened"]
