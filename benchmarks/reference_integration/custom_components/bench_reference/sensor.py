"""Reference sensors."""

from __future__ import annotations

from homeassistant.components.sensor import SensorEntity
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import ReferenceEntity, entities_for


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the entry's sensors."""
    async_add_entities(entities_for(entry, "sensor", ReferenceSensor))


class ReferenceSensor(ReferenceEntity, SensorEntity):
    """A sensor with a fixed value."""

    _attr_native_value = 1
