"""Reference calendars."""

from __future__ import annotations

from datetime import datetime

from homeassistant.components.calendar import CalendarEntity, CalendarEvent
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import ReferenceEntity, entities_for


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the entry's calendars."""
    async_add_entities(entities_for(entry, "calendar", ReferenceCalendar))


class ReferenceCalendar(ReferenceEntity, CalendarEntity):
    """An empty calendar."""

    @property
    def event(self) -> CalendarEvent | None:
        """Return no event."""
        return None

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Return no events."""
        return []
