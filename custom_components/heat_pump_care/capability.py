"""What every capability of a heat pump is built from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

from .events import HeatPumpEvents
from .options import Settings
from .storage import HeatPumpCareStorage


@dataclass(frozen=True, slots=True)
class HeatPumpContext:
    """One heat pump's entry, settings, storage and events, shared by its parts."""

    hass: HomeAssistant
    entry: ConfigEntry
    settings: Settings
    storage: HeatPumpCareStorage
    events: HeatPumpEvents
    changed: Callable[[], None]
    """Ask the coordinator to publish (once per batch of changes)."""


class Capability:
    """The shell of one pure core: the one place that adapts it."""

    def __init__(self, context: HeatPumpContext) -> None:
        """Keep the heat pump's context."""
        self._hass = context.hass
        self._entry = context.entry
        self._settings = context.settings
        self._storage = context.storage
        self._events = context.events
        self._changed = context.changed
