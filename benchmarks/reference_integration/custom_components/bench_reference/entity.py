"""The reference entities' common base."""

from __future__ import annotations

from collections.abc import Callable

from homeassistant.config_entries import ConfigEntry
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity

from . import DOMAIN, entity_count


class ReferenceEntity(Entity):
    """A plain entity on the entry's device; never polled."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, entry: ConfigEntry, platform: str, index: int) -> None:
        """Name the entity after its platform and position."""
        self._attr_unique_id = f"{entry.entry_id}_{platform}_{index}"
        self._attr_name = f"{platform} {index}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, entry.entry_id)}, name=entry.title
        )


def entities_for(
    entry: ConfigEntry, platform: str, cls: Callable[[ConfigEntry, str, int], Entity]
) -> list[Entity]:
    """Return the entry's entities of one platform."""
    return [
        cls(entry, platform, index) for index in range(entity_count(entry, platform))
    ]
