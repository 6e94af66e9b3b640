"""Reference binary sensors."""

from __future__ import annotations

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import ReferenceEntity, entities_for


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the entry's binary sensors."""
    async_add_entities(entities_for(entry, "binary_sensor", ReferenceBinarySensor))


class ReferenceBinarySensor(ReferenceEntity, BinarySensorEntity):
    """A binary sensor that is off."""

    _attr_is_on = False
