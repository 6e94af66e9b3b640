"""Reference buttons."""

from __future__ import annotations

from homeassistant.components.button import ButtonEntity
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import ReferenceEntity, entities_for


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the entry's buttons."""
    async_add_entities(entities_for(entry, "button", ReferenceButton))


class ReferenceButton(ReferenceEntity, ButtonEntity):
    """A button that does nothing."""

    async def async_press(self) -> None:
        """Do nothing."""
