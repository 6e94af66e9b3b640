"""A minimal config-entry integration: the benchmark's reference.

Each entry creates ``entry.data["entities"][platform]`` plain entities per
platform (the same counts as one Heat Pump Care entry), all on one device,
with no listeners, no timers, no storage and no translations.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

DOMAIN = "bench_reference"
PLATFORMS = ("binary_sensor", "button", "calendar", "event", "sensor", "todo")


def entity_count(entry: ConfigEntry, platform: str) -> int:
    """Return how many entities the entry asks for on a platform."""
    return int(entry.data.get("entities", {}).get(platform, 0))


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Forward the entry to the platforms that have entities."""
    platforms = [p for p in PLATFORMS if entity_count(entry, p)]
    await hass.config_entries.async_forward_entry_setups(entry, platforms)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Unload the platforms."""
    platforms = [p for p in PLATFORMS if entity_count(entry, p)]
    return await hass.config_entries.async_unload_platforms(entry, platforms)
