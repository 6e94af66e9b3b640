"""One heat pump: its capabilities, composed into one snapshot.

The coordinator builds the maintenance tracker, the fault tracker and the
reset runner of one config entry, hands each the state changes of the
entities it adapts (one listener for all of them, each change read once from
the event) and publishes a new snapshot only when something visible changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from homeassistant.const import EVENT_HOMEASSISTANT_STOP, STATE_UNAVAILABLE
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .capability import HeatPumpContext
from .catalog.normalise import is_no_error_value
from .const import DOMAIN, LOGGER
from .events import HeatPumpEvents
from .fault_tracker import FaultTracker
from .health_monitor import HealthMonitor
from .helpers import AvailabilityLog, async_brand_name, async_get_catalog
from .maintenance import TaskKey
from .maintenance_tracker import MaintenanceTracker
from .models import HeatPumpCareConfigEntry, HeatPumpSnapshot
from .options import Settings
from .reset_runner import ResetRunner
from .storage import HeatPumpCareStorage, StoredData


class HeatPumpCareCoordinator(DataUpdateCoordinator[HeatPumpSnapshot]):
    """Composes the capabilities of one heat pump; never polls."""

    config_entry: HeatPumpCareConfigEntry

    def __init__(self, hass: HomeAssistant, entry: HeatPumpCareConfigEntry) -> None:
        """Build the capabilities; nothing is read or subscribed yet."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {entry.title}",
            update_interval=None,
        )
        self.settings = settings = Settings.from_options(
            entry.options, dt_util.now().date()
        )
        self.storage = HeatPumpCareStorage(hass, entry)
        self.events = HeatPumpEvents(hass, entry)
        context = HeatPumpContext(
            hass, entry, settings, self.storage, self.events, self.async_changed
        )
        self.maintenance = MaintenanceTracker(context)
        self.fault = FaultTracker(context)
        self.reset = ResetRunner(context, describe=self.fault.describe, hold=self.hold)
        self.health = (
            HealthMonitor(context, settings.health) if settings.climate_entity else None
        )
        if self.health is not None:
            self.maintenance.on_done(self._on_task_done)
            self.maintenance.on_midnight(self.health.on_midnight)
        self.storage.collect_with(self._stored)
        self._holds = 0
        self._pending = False
        self._availability = AvailabilityLog(entry.title)
        self._stopped = False

    async def _async_setup(self) -> None:
        """Read the stored state, register the device and start listening."""
        hass, entry, settings = self.hass, self.config_entry, self.settings
        await self.storage.async_load(self.load_stored, self._load_empty)
        if self._needs_catalog():
            await async_get_catalog(hass)
        device = dr.async_get(hass).async_get_or_create(
            config_entry_id=entry.entry_id,
            identifiers={(DOMAIN, entry.entry_id)},
            name=entry.title,
            manufacturer=await async_brand_name(hass, settings.brand),
            model=settings.model,
        )
        self.events.device_id = device.id
        sources = [
            entity_id
            for entity_id in (
                settings.climate_entity,
                settings.power_switch,
                settings.error_code_entity,
                settings.outdoor_temperature_entity if self.health else None,
            )
            if entity_id
        ]
        if sources:
            entry.async_on_unload(
                async_track_state_change_event(hass, sources, self._on_source_change)
            )
        remove_stop = hass.bus.async_listen_once(
            EVENT_HOMEASSISTANT_STOP, self._async_on_stop
        )
        entry.async_on_unload(lambda: None if self._stopped else remove_stop())
        climate = hass.states.get(settings.climate_entity or "")
        with self.hold():
            await self.maintenance.async_start(climate)
            if settings.error_code_entity:
                self.fault.start(hass.states.get(settings.error_code_entity))
            await self.reset.async_resume(
                hass.states.get(settings.power_switch or ""), climate
            )
            if self.health is not None:
                self.health.start(
                    climate, hass.states.get(settings.outdoor_temperature_entity or "")
                )

    async def _async_update_data(self) -> HeatPumpSnapshot:
        """Return the snapshot: nothing is fetched, everything is local."""
        return self._compose()

    def _compose(self) -> HeatPumpSnapshot:
        now = dt_util.utcnow()
        maintenance = self.maintenance.status(now)
        if self.data is not None and maintenance == self.data.maintenance:
            # The same object: the calendar and the to-do list keep their work.
            maintenance = self.data.maintenance
        return HeatPumpSnapshot(
            maintenance=maintenance,
            reset=self.reset.state,
            resets_last_24h=self.reset.state.resets_in_last_24h(now),
            fault=self.fault.status,
            health=self.health.report if self.health else None,
        )

    @callback
    def async_changed(self) -> None:
        """Publish a new snapshot (after the current batch, if one runs)."""
        if self._holds:
            self._pending = True
        elif self.data is not None:  # before the first refresh it is built anyway
            self._publish()

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Publish at most once for everything that changes inside the block."""
        self._holds += 1
        try:
            yield
        finally:
            self._holds -= 1
            if not self._holds and self._pending:
                self._pending = False
                if self.data is not None:
                    self._publish()

    def _publish(self) -> None:
        snapshot = self._compose()
        if snapshot != self.data:
            self.async_set_updated_data(snapshot)

    @callback
    def _on_source_change(self, event: Event[EventStateChangedData]) -> None:
        """Hand one entity's new state to the capabilities that adapt it."""
        if self._stopped:
            return
        entity_id = event.data["entity_id"]
        new_state = event.data["new_state"]
        self._availability.note(
            entity_id, new_state is not None and new_state.state != STATE_UNAVAILABLE
        )
        settings = self.settings
        with self.hold():
            if entity_id == settings.climate_entity:
                self.maintenance.on_climate(new_state)
                self.reset.on_thermostat(new_state)
                if self.health is not None:
                    self.health.on_climate(new_state)
            if self.health is not None and entity_id == (
                settings.outdoor_temperature_entity
            ):
                self.health.on_outdoor(new_state)
            if entity_id == settings.power_switch:
                self.reset.on_relay(new_state)
            if entity_id == settings.error_code_entity and (
                report := self.fault.on_state(
                    new_state, announce=not self.reset.monitoring
                )
            ):
                self.reset.on_error_code(report.code)

    async def async_shutdown(self) -> None:
        """Unload: end every timer and store the state (power as the core says)."""
        await super().async_shutdown()
        if not self._stopped:
            self._stop_capabilities()
            await self.storage.async_save()

    async def _async_on_stop(self, _event: Event) -> None:
        """Home Assistant stops: no timer may outlive it; runtime exact to now."""
        self._stop_capabilities()
        await self.storage.async_save()

    def _stop_capabilities(self) -> None:
        self._stopped = True
        self.maintenance.async_stop()
        self.reset.async_stop()
        if self.health is not None:
            self.health.stop()

    def load_stored(self, stored: StoredData) -> None:
        """Give each capability its stored section (raises on foreign data)."""
        self.maintenance.load(stored.get("maintenance"))
        self.reset.load(stored.get("reset"))
        self.fault.load(stored.get("fault"))
        if self.health is not None:
            self.health.load(stored.get("health"))

    def _load_empty(self) -> None:
        self.load_stored({})

    def _stored(self) -> StoredData:
        return StoredData(
            maintenance=self.maintenance.to_dict(),
            reset=self.reset.to_dict(),
            fault=self.fault.to_dict(),
            **({"health": self.health.to_dict()} if self.health else {}),
        )

    @callback
    def _on_task_done(self, task: str) -> None:
        """Learn the health baseline again after a professional service."""
        if task == TaskKey.SERVICE and self.health is not None:
            self.health.relearn()

    def _needs_catalog(self) -> bool:
        """Return whether setup has a code to decode (stored or current)."""
        if self.fault.needs_catalog or self.reset.needs_catalog:
            return True
        state = self.hass.states.get(self.settings.error_code_entity or "")
        return state is not None and not is_no_error_value(state.state)
