"""What every capability of a heat pump is built from."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
import inspect

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

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

    @property
    def _tz(self) -> tzinfo:
        return dt_util.get_default_time_zone()


def next_local_midnight() -> datetime:
    """Return the instant (UTC) the next local day begins."""
    tomorrow = dt_util.now().date() + timedelta(days=1)
    return dt_util.as_utc(dt_util.start_of_local_day(tomorrow))


class InstantTimer:
    """One timer at an exact instant: moved, cleared or kept as asked.

    Setting the instant it already waits for does nothing (most inputs leave
    a core's next instant where it was). After ``stop`` it never arms again:
    no timer outlives an unload or Home Assistant's stop.
    """

    def __init__(
        self, hass: HomeAssistant, action: Callable[[datetime], Awaitable[None] | None]
    ) -> None:
        """Call ``action(now)`` when the instant comes."""
        self._hass = hass
        self._action = action
        self._cancel: CALLBACK_TYPE | None = None
        self._stopped = False
        self.at: datetime | None = None

    @callback
    def set(self, when: datetime | None) -> None:
        """Wait for ``when`` (None: for nothing)."""
        if when == self.at and (self._cancel is not None or when is None):
            return
        if self._cancel is not None:
            self._cancel()
            self._cancel = None
        self.at = when
        if when is not None and not self._stopped:
            self._cancel = async_track_point_in_utc_time(self._hass, self._fire, when)

    @callback
    def stop(self) -> None:
        """End the timer for good."""
        self._stopped = True
        self.set(None)

    async def _fire(self, now: datetime) -> None:
        self._cancel = None
        self.at = None
        result = self._action(now)
        if inspect.isawaitable(result):
            await result
