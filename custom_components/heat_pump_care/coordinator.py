"""The per-heat-pump shell around the pure cores.

One coordinator per config entry.  It owns every side effect: it listens to
the thermostat, the relay and the error-code entity, keeps one timer at the
next local midnight (plus the safe reset's single wake-up and, only while the
heat pump runs, a runtime checkpoint), persists state the moment it changes,
turns reset commands into service calls and publishes an immutable snapshot
that the platforms read.  It never computes schedules or reset decisions
itself: the cores do.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from homeassistant.components.climate import (
    ATTR_FAN_MODE,
    ATTR_HVAC_ACTION,
    ATTR_HVAC_MODE,
    ATTR_TARGET_TEMP_HIGH,
    ATTR_TARGET_TEMP_LOW,
    DOMAIN as CLIMATE_DOMAIN,
    SERVICE_SET_FAN_MODE,
    SERVICE_SET_HVAC_MODE,
    SERVICE_SET_TEMPERATURE,
    HVACAction,
    HVACMode,
)
from homeassistant.components.persistent_notification import (
    async_create as async_create_notification,
)
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_TEMPERATURE,
    EVENT_CORE_CONFIG_UPDATE,
    EVENT_HOMEASSISTANT_STOP,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import (
    CALLBACK_TYPE,
    DOMAIN as HOMEASSISTANT_DOMAIN,
    Context,
    Event,
    EventStateChangedData,
    HomeAssistant,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import (
    async_call_later,
    async_track_point_in_utc_time,
    async_track_state_change_event,
)
from homeassistant.helpers.translation import async_get_translations
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .catalog import (
    UNKNOWN_CODE_ADVICE,
    Catalog,
    CodeEntry,
    LookupResult,
    parse_custom_codes,
)
from .catalog.index import BRAND_NAMES
from .catalog.normalise import is_no_error_value
from .const import DOMAIN, EVENT_FAULT, EVENT_MAINTENANCE_DUE, EVENT_RESET, LOGGER
from .helpers import async_get_catalog, loaded_catalog
from .maintenance import (
    FutureDateError,
    MaintenanceState,
    RuntimeState,
    TaskKey,
    TaskSchedule,
    apply_seeds,
    average_daily_hours,
    collect_due_notifications,
    filter_due,
    is_task_due,
    mark_done,
    recent_completions,
    runtime_checkpoint,
    runtime_hours,
    runtime_set_running,
    runtime_suspend,
    schedules,
)
from .options import Settings
from .reset import (
    ACTIVE_PHASES,
    Acknowledge,
    Cancel,
    ClearIssue,
    Command,
    ErrorCodeReport,
    Event as ResetEvent,
    FireFault,
    Notify,
    Phase,
    RaiseIssue,
    RelayReport,
    ResetRefused,
    ResetSettings,
    ResetState,
    RestoreThermostat,
    Resume,
    SetRelay,
    SetThermostatOff,
    Shutdown,
    Start,
    ThermostatReport,
    ThermostatSnapshot,
    Tick,
    step as reset_step,
)
from .store import HeatPumpCareStore, StoredData

type HeatPumpCareConfigEntry = ConfigEntry[HeatPumpCareCoordinator]

ACTIVE_HVAC_ACTIONS = frozenset(
    {
        HVACAction.HEATING,
        HVACAction.COOLING,
        HVACAction.DRYING,
        HVACAction.FAN,
        HVACAction.DEFROSTING,
        HVACAction.PREHEATING,
    }
)
RUNTIME_CHECKPOINT = timedelta(minutes=5)
# Seeds come from the entry's options: if Home Assistant stops before this
# write, the next setup applies the same seeds again, so it can wait.
SEED_SAVE_DELAY = 10  # seconds
# A code that clears and comes back within this time is one fault, not two.
FLICKER_WINDOW = timedelta(seconds=60)
UNAVAILABLE_STATES = frozenset({STATE_UNAVAILABLE, STATE_UNKNOWN})
# How many decoded raw codes one heat pump remembers.
DECODED_CACHE_SIZE = 32


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskStatus:
    """One maintenance task as the platforms show it."""

    key: TaskKey
    last_done: date
    interval_days: int
    due: date
    days_since: int
    overdue: bool
    recent: tuple[tuple[date, str], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class FaultStatus:
    """The unit's error code, decoded."""

    available: bool
    code: str | None = None
    raw: str | None = None
    sub_code: str | None = None
    entry: CodeEntry | None = None
    matches: tuple[CodeEntry, ...] = ()
    since: datetime | None = None
    last_code: str | None = None
    last_seen: datetime | None = None
    last_entry: CodeEntry | None = None
    suggestions: tuple[str, ...] = ()
    brand: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HeatPumpSnapshot:
    """Everything the entities show, computed once per change."""

    today: date
    tasks: Mapping[TaskKey, TaskStatus]
    filter_runtime_hours: float | None
    runtime_average_daily_hours: float | None
    runtime_limit_hours: int
    reset: ResetState
    resets_last_24h: int
    fault: FaultStatus


@dataclass(slots=True)
class _FaultMemory:
    """The fault state that is persisted."""

    code: str | None = None
    raw: str | None = None
    since: datetime | None = None
    last_code: str | None = None
    last_raw: str | None = None
    last_seen: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "raw": self.raw,
            "since": self.since.isoformat() if self.since else None,
            "last_code": self.last_code,
            "last_raw": self.last_raw,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> _FaultMemory:
        def _dt(value: Any) -> datetime | None:
            return dt_util.parse_datetime(value) if isinstance(value, str) else None

        return cls(
            code=data.get("code"),
            raw=data.get("raw"),
            since=_dt(data.get("since")),
            last_code=data.get("last_code"),
            last_raw=data.get("last_raw"),
            last_seen=_dt(data.get("last_seen")),
        )


@dataclass(slots=True)
class _Timers:
    midnight: CALLBACK_TYPE | None = None
    reset: CALLBACK_TYPE | None = None
    reset_at: datetime | None = None
    checkpoint: CALLBACK_TYPE | None = None
    stop: CALLBACK_TYPE | None = None
    listeners: list[CALLBACK_TYPE] = field(default_factory=list)


class HeatPumpCareCoordinator(DataUpdateCoordinator[HeatPumpSnapshot]):
    """Adapts the maintenance, reset and catalogue cores to Home Assistant."""

    config_entry: HeatPumpCareConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: HeatPumpCareConfigEntry,
        catalog: Catalog | None,
    ) -> None:
        """Prepare, without touching storage or subscribing yet.

        ``catalog`` may be None while the catalogue is still loading: setup
        then waits for it only if there is a code to decode.
        """
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} {entry.title}",
            update_interval=None,
            always_update=True,
        )
        self._catalog = catalog
        self.settings = Settings.from_options(entry.options, dt_util.now().date())
        self.custom_codes: dict[str, CodeEntry] = parse_custom_codes(
            self.settings.brand, self.settings.custom_codes
        )[0]
        self.store = HeatPumpCareStore(hass, entry.entry_id)
        self.maintenance = MaintenanceState.empty()
        self.reset_state = ResetState.initial()
        self.reset_settings = ResetSettings(
            max_resets_per_day=self.settings.max_resets_per_day,
            fault_watch_minutes=self.settings.fault_watch_minutes,
        )
        self._fault = _FaultMemory()
        self._timers = _Timers()
        self._queue: deque[ResetEvent] = deque()
        self._dispatching = False
        self.device_id: str | None = None
        self._unavailable: set[str] = set()
        self.store_problem: str | None = None
        # While setting up, _publish does nothing: one snapshot at the end.
        self._setting_up = False
        # Decoded raw codes, looked up once (see lookup).
        self._decoded: dict[str, LookupResult] = {}
        self._occurrences: (
            tuple[HeatPumpSnapshot, date, date, tuple[tuple[TaskKey, date], ...]] | None
        ) = None

    @property
    def catalog(self) -> Catalog:
        """Return the error-code catalogue (once it has been read)."""
        catalog = self._catalog or loaded_catalog(self.hass)
        if catalog is None:
            raise RuntimeError("The error-code catalogue is not loaded yet")
        self._catalog = catalog
        return catalog

    @property
    def manufacturer(self) -> str | None:
        """Return the brand's display name for the device registry."""
        brand = self.settings.brand
        if (catalog := self._catalog or loaded_catalog(self.hass)) is not None:
            known = catalog.brands.get(brand)
            return known.name if known else None
        return BRAND_NAMES.get(brand)

    def _needs_catalog(self) -> bool:
        """Return whether setup has a code to decode (stored or current)."""
        if self._fault.raw or self._fault.last_raw:
            return True
        if self.reset_state.phase not in (Phase.IDLE, Phase.COMPLETED, Phase.CANCELLED):
            return True
        if not self.settings.error_code_entity:
            return False
        state = self.hass.states.get(self.settings.error_code_entity)
        return state is not None and not is_no_error_value(state.state)

    async def async_ensure_catalog(self) -> None:
        """Wait for the catalogue if it is not loaded yet."""
        if self._catalog is None:
            self._catalog = await async_get_catalog(self.hass)

    # ------------------------------------------------------------------ setup

    async def async_setup(self) -> None:
        """Load state and start listening; called once per setup.

        The snapshot is built once, at the end.
        """
        self._setting_up = True
        try:
            await self._async_setup()
        finally:
            self._setting_up = False
        self.data = self._build_snapshot(dt_util.utcnow())

    async def _async_setup(self) -> None:
        await self.async_load_state()
        if self._catalog is None and self._needs_catalog():
            await self.async_ensure_catalog()
        now = dt_util.utcnow()
        if apply_seeds(
            self.maintenance, self.settings.task_dates, now=now, tz=self._tz
        ):
            if self.store_problem is None:
                self.store.async_delay_save(self._stored, SEED_SAVE_DELAY)
            else:  # replace the data that could not be read at once
                await self.async_save()
        self._subscribe()
        self._schedule_midnight()
        self._sync_runtime(now)
        self._refresh_error_code(initial=True)
        await self._async_day_changed()
        # Resume whatever the stored reset needs: a reset in progress goes on
        # at its deadlines, a power restore that was never confirmed (a failed
        # reset, or a shutdown while power was cut) is tried again.  Resume is
        # a no-op when nothing is pending.
        if self.settings.power_switch or self.reset_state.phase in ACTIVE_PHASES:
            await self._async_dispatch(
                Resume(
                    now=now,
                    relay_on=self._relay_on(),
                    thermostat_available=self._thermostat_available(),
                )
            )

    async def async_load_state(self) -> None:
        """Read the stored state; a bad file never fails setup."""
        entry_id = self.config_entry.entry_id
        try:
            stored = await self.store.async_load()
        except (HomeAssistantError, NotImplementedError, OSError) as err:
            self._note_store_problem(str(err))
            return
        if stored is None:
            if (moved := self._corrupt_copy(entry_id)) is not None:
                self._note_store_problem(f"unreadable file moved to {moved}")
            return
        try:
            self.maintenance = MaintenanceState.from_dict(
                stored.get("maintenance") or {}
            )
            # An absent reset section means no reset ever ran (not corruption).
            raw_reset = stored.get("reset")
            self.reset_state = (
                ResetState.from_dict(raw_reset) if raw_reset else ResetState.initial()
            )
            self._fault = _FaultMemory.from_dict(stored.get("fault") or {})
        except (ValueError, TypeError, KeyError, AttributeError) as err:
            self.maintenance = MaintenanceState.empty()
            self.reset_state = ResetState.initial()
            self._fault = _FaultMemory()
            self._note_store_problem(str(err))

    def _corrupt_copy(self, entry_id: str) -> str | None:
        """Return the name of our file that Home Assistant could not parse.

        Home Assistant renames such a file and raises a persistent
        ``storage_corruption_<key>_<time>`` issue naming the copy; asking
        the issue registry avoids a directory scan on every first setup.
        """
        prefix = f"storage_corruption_{self.store.key}_"
        copies = sorted(
            str(issue.translation_placeholders.get("corrupt_path", ""))
            for (domain, issue_id), issue in ir.async_get(self.hass).issues.items()
            if domain == HOMEASSISTANT_DOMAIN
            and issue_id.startswith(prefix)
            and issue.translation_placeholders
        )
        return Path(copies[-1]).name if copies else None

    def _note_store_problem(self, reason: str) -> None:
        LOGGER.error(
            "Stored state of %s could not be read (%s); starting from the "
            "configured dates",
            self.config_entry.title,
            reason,
        )
        self.store_problem = reason
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            f"store_corrupt_{self.config_entry.entry_id}",
            is_fixable=True,
            is_persistent=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="store_corrupt",
            translation_placeholders={"name": self.config_entry.title},
            data={"entry_id": self.config_entry.entry_id, "kind": "store_corrupt"},
        )

    def _subscribe(self) -> None:
        settings = self.settings
        listeners = self._timers.listeners
        if settings.climate_entity:
            listeners.append(
                async_track_state_change_event(
                    self.hass, settings.climate_entity, self._on_climate_change
                )
            )
        if settings.power_switch:
            listeners.append(
                async_track_state_change_event(
                    self.hass, settings.power_switch, self._on_relay_change
                )
            )
        if settings.error_code_entity:
            listeners.append(
                async_track_state_change_event(
                    self.hass, settings.error_code_entity, self._on_error_code_change
                )
            )
        listeners.append(
            self.hass.bus.async_listen(EVENT_CORE_CONFIG_UPDATE, self._on_core_config)
        )
        self._timers.stop = self.hass.bus.async_listen_once(
            EVENT_HOMEASSISTANT_STOP, self._async_on_stop
        )

    async def async_shutdown(self) -> None:
        """Stop every listener and timer and save; power stays as the core says."""
        await super().async_shutdown()
        self._unsubscribe()
        runtime_suspend(self.maintenance.runtime, dt_util.utcnow(), self._tz)
        await self.async_save()

    def _unsubscribe(self) -> None:
        timers = self._timers
        for unsub in (
            *timers.listeners,
            timers.midnight,
            timers.reset,
            timers.checkpoint,
            timers.stop,
        ):
            if unsub is not None:
                unsub()
        self._timers = _Timers()

    async def _async_on_stop(self, _event: Event) -> None:
        """Home Assistant stops: keep runtime exact up to now."""
        self._timers.stop = None  # a once-listener removes itself
        runtime_suspend(self.maintenance.runtime, dt_util.utcnow(), self._tz)
        await self.async_save()

    async def async_emergency_restore(self) -> None:
        """Give power back at once: the entry is disabled or removed."""
        await self._async_dispatch(Shutdown(now=dt_util.utcnow()))

    # --------------------------------------------------------------- storage

    def _stored(self) -> StoredData:
        return StoredData(
            maintenance=self.maintenance.to_dict(),
            reset=self.reset_state.to_dict(),
            fault=self._fault.to_dict(),
        )

    async def async_save(self) -> None:
        """Persist everything now."""
        await self.store.async_save(self._stored())

    # ------------------------------------------------------------ snapshot

    @property
    def _tz(self) -> Any:
        return dt_util.get_default_time_zone()

    async def _async_update_data(self) -> HeatPumpSnapshot:
        return self._build_snapshot(dt_util.utcnow())

    def _build_snapshot(self, now: datetime) -> HeatPumpSnapshot:
        today = dt_util.as_local(now).date()
        config = self.settings.maintenance
        tasks: dict[TaskKey, TaskStatus] = {}
        for key, schedule in schedules(self.maintenance, config).items():
            due = (
                filter_due(self.maintenance, config, now, self._tz)
                if key is TaskKey.FILTER
                else schedule.due
            )
            tasks[key] = TaskStatus(
                key=key,
                last_done=schedule.last_done,
                interval_days=schedule.interval_days,
                due=due,
                days_since=schedule.days_since(today),
                overdue=today >= due,
                recent=tuple(
                    (c.done_on, c.source)
                    for c in recent_completions(self.maintenance, key, 5)
                ),
            )
        runtime: RuntimeState = self.maintenance.runtime
        has_climate = self.settings.climate_entity is not None
        return HeatPumpSnapshot(
            today=today,
            tasks=tasks,
            filter_runtime_hours=round(runtime_hours(runtime, now), 2)
            if has_climate
            else None,
            runtime_average_daily_hours=average_daily_hours(runtime, today)
            if has_climate
            else None,
            runtime_limit_hours=config.runtime_limit_hours,
            reset=self.reset_state,
            resets_last_24h=self.reset_state.resets_in_last_24h(now),
            fault=self._fault_status(),
        )

    def _publish(self) -> None:
        if self._setting_up:
            return  # async_setup builds the first snapshot once, at its end
        self.async_set_updated_data(self._build_snapshot(dt_util.utcnow()))

    # ------------------------------------------------------------ midnight

    def _schedule_midnight(self) -> None:
        if self._timers.midnight is not None:
            self._timers.midnight()
        local_now = dt_util.now()
        next_midnight = dt_util.start_of_local_day(local_now.date() + timedelta(days=1))
        self._timers.midnight = async_track_point_in_utc_time(
            self.hass, self._on_midnight, dt_util.as_utc(next_midnight)
        )

    async def _on_midnight(self, _now: datetime) -> None:
        self._timers.midnight = None
        self._schedule_midnight()
        now = dt_util.utcnow()
        if self.maintenance.runtime.running_since is not None:
            runtime_checkpoint(self.maintenance.runtime, now, self._tz)
        await self._async_day_changed()

    @callback
    def _on_core_config(self, _event: Event) -> None:
        """Reschedule midnight: the time zone may have changed."""
        self._schedule_midnight()
        self.hass.async_create_task(self._async_day_changed(), eager_start=True)

    async def _async_day_changed(self) -> None:
        """Fire due events once per due date and sync overdue repairs."""
        now = dt_util.utcnow()
        config = self.settings.maintenance
        newly_due = collect_due_notifications(self.maintenance, config, now, self._tz)
        for task, due in newly_due:
            self.hass.bus.async_fire(
                EVENT_MAINTENANCE_DUE,
                {
                    "config_entry_id": self.config_entry.entry_id,
                    "device_id": self.device_id,
                    "task": str(task),
                    "due": due.isoformat(),
                },
            )
        self._sync_maintenance_issues(now)
        if newly_due:
            await self.async_save()
        self._publish()

    def _sync_maintenance_issues(self, now: datetime) -> None:
        config = self.settings.maintenance
        entry_id = self.config_entry.entry_id
        for task in TaskKey:
            issue_id = f"{task}_overdue_{entry_id}"
            if task in config.intervals and is_task_due(
                self.maintenance, config, task, now, self._tz
            ):
                due = (
                    filter_due(self.maintenance, config, now, self._tz)
                    if task is TaskKey.FILTER
                    else schedules(self.maintenance, config)[task].due
                )
                ir.async_create_issue(
                    self.hass,
                    DOMAIN,
                    issue_id,
                    is_fixable=True,
                    severity=ir.IssueSeverity.WARNING,
                    translation_key=f"{task}_overdue",
                    translation_placeholders={
                        "name": self.config_entry.title,
                        "due": due.isoformat(),
                    },
                    data={
                        "entry_id": entry_id,
                        "kind": "task_overdue",
                        "task": str(task),
                    },
                )
            else:
                ir.async_delete_issue(self.hass, DOMAIN, issue_id)

    # --------------------------------------------------------- maintenance

    def due_occurrences(self, start: date, end: date) -> list[tuple[TaskKey, date]]:
        """Return each task's due dates in [start, end), repeating per interval.

        The first one is the task's current due date (which for the filter may
        be the runtime projection); later ones follow at the interval.
        The last answer is remembered until the snapshot changes (the
        calendar asks on every state write).
        """
        memo = self._occurrences
        if (
            memo is not None
            and memo[0] is self.data
            and memo[1] == start
            and memo[2] == end
        ):
            return list(memo[3])
        found: list[tuple[TaskKey, date]] = []
        for key, status in self.data.tasks.items():
            schedule = TaskSchedule(
                key=key, last_done=status.last_done, interval_days=status.interval_days
            )
            found.extend(
                (key, day)
                for day in schedule.occurrences(start, end, first_due=status.due)
            )
        self._occurrences = (self.data, start, end, tuple(found))
        return found

    async def async_mark_done(
        self, task: TaskKey, done_on: date | None, source: str
    ) -> None:
        """Mark a task done (today unless back-filled); nothing stored on error."""
        now = dt_util.utcnow()
        today = dt_util.as_local(now).date()
        if task not in self.settings.maintenance.intervals:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="task_not_enabled",
                translation_placeholders={"task": str(task)},
            )
        try:
            mark_done(
                self.maintenance,
                task,
                done_on or today,
                today,
                now,
                self._tz,
                source,
            )
        except FutureDateError as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="date_in_future",
                translation_placeholders={"date": str(done_on)},
            ) from err
        if task is TaskKey.FILTER:
            self._sync_runtime(now)
        await self.async_save()
        await self._async_day_changed()

    # --------------------------------------------------------------- runtime

    def _note_availability(self, event: Event[EventStateChangedData]) -> None:
        """Log once when a source entity goes unavailable and once when back."""
        entity_id = event.data["entity_id"]
        new_state = event.data["new_state"]
        unavailable = new_state is None or new_state.state == STATE_UNAVAILABLE
        if unavailable and entity_id not in self._unavailable:
            self._unavailable.add(entity_id)
            LOGGER.info("%s: %s is unavailable", self.config_entry.title, entity_id)
        elif not unavailable and entity_id in self._unavailable:
            self._unavailable.discard(entity_id)
            LOGGER.info("%s: %s is available again", self.config_entry.title, entity_id)

    @callback
    def _on_climate_change(self, event: Event[EventStateChangedData]) -> None:
        self._note_availability(event)
        now = dt_util.utcnow()
        self._sync_runtime(now)
        # A failed reset still restores the thermostat once it is back.
        if (
            self.reset_state.phase in ACTIVE_PHASES
            or self.reset_state.phase is Phase.FAILED
        ):
            self.hass.async_create_task(
                self._async_dispatch(
                    ThermostatReport(now=now, available=self._thermostat_available())
                ),
                eager_start=True,
            )

    def _climate_running(self) -> bool:
        if not self.settings.climate_entity:
            return False
        state = self.hass.states.get(self.settings.climate_entity)
        if state is None or state.state in UNAVAILABLE_STATES:
            return False
        return state.attributes.get(ATTR_HVAC_ACTION) in ACTIVE_HVAC_ACTIONS

    def _sync_runtime(self, now: datetime) -> None:
        """Start or stop counting runtime to match the thermostat."""
        if not self.settings.climate_entity:
            return
        runtime = self.maintenance.runtime
        running = self._climate_running()
        was_running = runtime.running_since is not None
        runtime_set_running(runtime, running, now, self._tz)
        if running and self._timers.checkpoint is None:
            self._timers.checkpoint = async_call_later(
                self.hass, RUNTIME_CHECKPOINT, self._on_checkpoint
            )
        elif not running and self._timers.checkpoint is not None:
            self._timers.checkpoint()
            self._timers.checkpoint = None
        if was_running and not running:
            self.hass.async_create_task(self.async_save(), eager_start=True)
            self._publish()

    async def _on_checkpoint(self, _now: datetime) -> None:
        """While the heat pump runs: save runtime so a crash loses little."""
        self._timers.checkpoint = None
        now = dt_util.utcnow()
        runtime_checkpoint(self.maintenance.runtime, now, self._tz)
        if self._climate_running():
            self._timers.checkpoint = async_call_later(
                self.hass, RUNTIME_CHECKPOINT, self._on_checkpoint
            )
        await self.async_save()
        self._publish()

    # ----------------------------------------------------------- error code

    def lookup(self, code: str) -> LookupResult:
        """Look a code up for this heat pump (its brand, family, custom codes).

        Results are remembered per raw code (the settings and custom codes
        of a coordinator never change: new options reload the entry).
        """
        if (result := self._decoded.get(code)) is not None:
            return result
        result = self.catalog.lookup(
            self.settings.brand,
            code,
            family=self.settings.family,
            custom=self.custom_codes,
        )
        if len(self._decoded) >= DECODED_CACHE_SIZE:
            del self._decoded[next(iter(self._decoded))]
        self._decoded[code] = result
        return result

    def _fault_status(self) -> FaultStatus:
        fault = self._fault
        available = False
        if self.settings.error_code_entity:
            state = self.hass.states.get(self.settings.error_code_entity)
            available = state is not None and state.state != STATE_UNAVAILABLE
        result = self.lookup(fault.raw) if fault.raw else None
        last = self.lookup(fault.last_raw) if fault.last_raw else None
        return FaultStatus(
            available=available,
            code=fault.code,
            raw=fault.raw,
            sub_code=result.sub_code if result else None,
            entry=result.primary if result else None,
            matches=result.matches if result else (),
            since=fault.since,
            last_code=fault.last_code,
            last_seen=fault.last_seen,
            last_entry=last.primary if last else None,
            suggestions=result.suggestions if result else (),
            brand=result.brand if result else None,
        )

    async def _async_refresh_error_code_later(self) -> None:
        await self.async_ensure_catalog()
        self._refresh_error_code(initial=False)

    @callback
    def _on_error_code_change(self, event: Event[EventStateChangedData]) -> None:
        self._note_availability(event)
        self._refresh_error_code(initial=False)

    def _refresh_error_code(self, *, initial: bool) -> None:
        """Decode the unit's current code and react to a change."""
        if not self.settings.error_code_entity:
            return
        state = self.hass.states.get(self.settings.error_code_entity)
        if state is None or state.state == STATE_UNAVAILABLE:
            self._publish()
            return
        now = dt_util.utcnow()
        raw = state.state
        fault = self._fault
        catalog = self._catalog or loaded_catalog(self.hass)
        if catalog is None and not is_no_error_value(raw):
            # A code while the catalogue still loads: decode it once loaded.
            self.config_entry.async_create_task(
                self.hass,
                self._async_refresh_error_code_later(),
                f"{DOMAIN} decode {self.config_entry.title}",
            )
            return
        if catalog is None or catalog.is_no_error(self.settings.brand, raw):
            changed = fault.code is not None
            if changed:
                # The code was active until now: flicker and "seen at" count
                # from the moment it cleared, not from when it appeared.
                fault.last_seen = now
            fault.code = None
            fault.raw = None
            fault.since = None
            ir.async_delete_issue(
                self.hass, DOMAIN, f"fault_{self.config_entry.entry_id}"
            )
            if self.reset_state.phase in ACTIVE_PHASES:
                self.hass.async_create_task(
                    self._async_dispatch(ErrorCodeReport(now=now, code=None)),
                    eager_start=True,
                )
        else:
            result = self.lookup(raw)
            code = result.code
            changed = code != fault.code
            if changed:
                flicker = (
                    fault.last_code == code
                    and fault.last_seen is not None
                    and now - fault.last_seen <= FLICKER_WINDOW
                )
                fault.code = code
                fault.raw = raw
                fault.since = now
                self._on_new_fault(result, now, announce=not flicker and not initial)
            fault.last_code = code
            fault.last_raw = raw
            fault.last_seen = now
            # During a reset every fresh report counts, even of the same code:
            # a unit that went dark without power and reports the code again
            # after the restore still has the fault.
            if (changed or not initial) and self.reset_state.phase in ACTIVE_PHASES:
                self.hass.async_create_task(
                    self._async_dispatch(ErrorCodeReport(now=now, code=code)),
                    eager_start=True,
                )
        if changed:
            self.hass.async_create_task(self.async_save(), eager_start=True)
        self._publish()

    def _on_new_fault(
        self, result: LookupResult, now: datetime, *, announce: bool
    ) -> None:
        entry = result.primary
        monitoring = self.reset_state.phase is Phase.MONITORING
        if announce and not monitoring:
            self._fire_fault(result.code, entry, returned_after_reset=False)
        fixable = bool(entry and entry.reset_may_help and self.settings.power_switch)
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            f"fault_{self.config_entry.entry_id}",
            is_fixable=fixable,
            severity=ir.IssueSeverity.ERROR,
            translation_key="fault_reset" if fixable else "fault",
            translation_placeholders={
                "name": self.config_entry.title,
                "code": result.code,
                "meaning": entry.meaning if entry else "-",
                "advice": entry.advice if entry else UNKNOWN_CODE_ADVICE,
            },
            data={
                "entry_id": self.config_entry.entry_id,
                "kind": "fault",
                "code": result.code,
            },
        )

    # ---------------------------------------------------------- safe reset

    def _relay_on(self) -> bool | None:
        if not self.settings.power_switch:
            return None
        state = self.hass.states.get(self.settings.power_switch)
        if state is None or state.state in UNAVAILABLE_STATES:
            return None
        return state.state == STATE_ON

    def _thermostat_available(self) -> bool:
        if not self.settings.climate_entity:
            return False
        state = self.hass.states.get(self.settings.climate_entity)
        return state is not None and state.state not in UNAVAILABLE_STATES

    def _thermostat_snapshot(self) -> ThermostatSnapshot | None:
        if not self.settings.climate_entity:
            return None
        state = self.hass.states.get(self.settings.climate_entity)
        if state is None or state.state in UNAVAILABLE_STATES:
            return None
        attrs = state.attributes
        return ThermostatSnapshot(
            hvac_mode=state.state,
            temperature=attrs.get(ATTR_TEMPERATURE),
            target_temp_low=attrs.get(ATTR_TARGET_TEMP_LOW),
            target_temp_high=attrs.get(ATTR_TARGET_TEMP_HIGH),
            fan_mode=attrs.get(ATTR_FAN_MODE),
        )

    async def async_start_reset(
        self, *, off_minutes: int | None = None, force: bool = False
    ) -> None:
        """Start a safe reset, or raise a translated reason why not."""
        fault = self._fault_status()
        event = Start(
            now=dt_util.utcnow(),
            off_minutes=off_minutes or self.settings.reset_off_minutes,
            force=force,
            has_power_switch=self.settings.power_switch is not None,
            relay_on=self._relay_on(),
            thermostat=self._thermostat_snapshot(),
            error_code=fault.code,
            error_category=str(fault.entry.category) if fault.entry else None,
            reset_may_help=fault.entry.reset_may_help if fault.entry else None,
        )
        try:
            reset_step(self.reset_state, event, self.reset_settings)
        except ResetRefused as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key=f"reset_refused_{err.reason}",
                translation_placeholders={
                    "name": self.config_entry.title,
                    **err.placeholders,
                },
            ) from err
        await self._async_dispatch(event)

    async def async_cancel_reset(self) -> None:
        """Cancel a running reset: power and thermostat come back at once.

        After a failed restore it switches the power on again too.
        """
        if (
            self.reset_state.phase not in ACTIVE_PHASES
            and self.reset_state.phase is not Phase.FAILED
        ):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="no_reset_running",
                translation_placeholders={"name": self.config_entry.title},
            )
        await self._async_dispatch(Cancel(now=dt_util.utcnow()))

    async def async_acknowledge_fault(self, code: str) -> None:
        """Allow resets again once the user read the 'call a technician' repair."""
        await self._async_dispatch(Acknowledge(now=dt_util.utcnow(), code=code))

    async def _async_dispatch(self, event: ResetEvent) -> None:
        """Feed one event to the reset core; events are processed in order."""
        self._queue.append(event)
        if self._dispatching:
            return
        self._dispatching = True
        try:
            while self._queue:
                await self._async_process(self._queue.popleft())
        finally:
            self._dispatching = False

    async def _async_process(self, event: ResetEvent) -> None:
        old = self.reset_state
        try:
            new, commands = reset_step(old, event, self.reset_settings)
        except ResetRefused as err:
            LOGGER.warning(
                "Safe reset of %s not started: %s", self.config_entry.title, err.reason
            )
            return
        self.reset_state = new
        if new != old:
            # Persist before acting, so a crash mid-command resumes safely.
            await self.async_save()
        self._schedule_reset_wake(new.wake_at)
        if new.phase != old.phase:
            self._fire_reset_event(new)
            if new.phase is Phase.WAITING_THERMOSTAT:
                self._queue.append(
                    ThermostatReport(
                        now=dt_util.utcnow(), available=self._thermostat_available()
                    )
                )
        self._publish()
        for command in commands:
            await self._async_execute(command)

    def _fire_reset_event(self, state: ResetState) -> None:
        self.hass.bus.async_fire(
            EVENT_RESET,
            {
                "config_entry_id": self.config_entry.entry_id,
                "device_id": self.device_id,
                "status": str(state.phase),
                "error_code_before": state.error_code_before,
                "reason": state.reason,
                "power_restore_at": state.deadline.isoformat()
                if state.deadline
                else None,
            },
        )

    def _schedule_reset_wake(self, wake_at: datetime | None) -> None:
        timers = self._timers
        if wake_at == timers.reset_at and (timers.reset is not None or wake_at is None):
            return
        if timers.reset is not None:
            timers.reset()
            timers.reset = None
        timers.reset_at = wake_at
        if wake_at is not None:
            timers.reset = async_track_point_in_utc_time(
                self.hass, self._on_reset_wake, wake_at
            )

    async def _on_reset_wake(self, now: datetime) -> None:
        self._timers.reset = None
        self._timers.reset_at = None
        await self._async_dispatch(Tick(now=max(now, dt_util.utcnow())))

    @callback
    def _on_relay_change(self, event: Event[EventStateChangedData]) -> None:
        self._note_availability(event)
        if (
            self.reset_state.phase in ACTIVE_PHASES
            or self.reset_state.phase is Phase.FAILED
        ):
            self.hass.async_create_task(
                self._async_dispatch(
                    RelayReport(now=dt_util.utcnow(), is_on=self._relay_on())
                ),
                eager_start=True,
            )
        self._publish()

    async def _async_execute(self, command: Command) -> None:
        """Carry out one core command; failures are logged, never raised."""
        context = Context()
        try:
            match command:
                case SetThermostatOff():
                    await self._async_climate(
                        SERVICE_SET_HVAC_MODE, {ATTR_HVAC_MODE: HVACMode.OFF}, context
                    )
                case SetRelay(on=on):
                    await self._async_set_relay(on, context)
                case RestoreThermostat(snapshot=snapshot):
                    await self._async_restore_thermostat(snapshot, context)
                case Notify(kind=kind):
                    await self._async_notify(kind)
                case RaiseIssue(kind=kind, code=code):
                    self._raise_reset_issue(kind, code)
                case ClearIssue(kind=kind):
                    ir.async_delete_issue(
                        self.hass, DOMAIN, f"{kind}_{self.config_entry.entry_id}"
                    )
                case FireFault(code=code):
                    self._fire_returned_fault(code)
        except HomeAssistantError as err:
            LOGGER.warning("%s: %s failed: %s", self.config_entry.title, command, err)

    async def _async_set_relay(self, on: bool, context: Context) -> None:
        entity_id = self.settings.power_switch
        if entity_id is None:
            return
        domain = entity_id.split(".", 1)[0]
        try:
            await self.hass.services.async_call(
                domain,
                SERVICE_TURN_ON if on else SERVICE_TURN_OFF,
                {ATTR_ENTITY_ID: entity_id},
                blocking=True,
                context=context,
            )
        finally:
            # Confirm a relay that already is as wanted (no state change will
            # come). Anything else is not fed back: the core answers "off"
            # while restoring with another switch-on, so a relay that ignores
            # commands would loop. A later change comes through the state
            # listener, silence through the retry timer.
            if (is_on := self._relay_on()) is on:
                self._queue.append(RelayReport(now=dt_util.utcnow(), is_on=is_on))

    async def _async_climate(
        self, service: str, data: dict[str, Any], context: Context
    ) -> None:
        if not self.settings.climate_entity:
            return
        await self.hass.services.async_call(
            CLIMATE_DOMAIN,
            service,
            {ATTR_ENTITY_ID: self.settings.climate_entity, **data},
            blocking=True,
            context=context,
        )

    async def _async_restore_thermostat(
        self, snapshot: ThermostatSnapshot, context: Context
    ) -> None:
        calls: list[tuple[str, dict[str, Any]]] = []
        if snapshot.hvac_mode:
            calls.append((SERVICE_SET_HVAC_MODE, {ATTR_HVAC_MODE: snapshot.hvac_mode}))
        if snapshot.temperature is not None:
            calls.append(
                (SERVICE_SET_TEMPERATURE, {ATTR_TEMPERATURE: snapshot.temperature})
            )
        elif (
            snapshot.target_temp_low is not None
            and snapshot.target_temp_high is not None
        ):
            calls.append(
                (
                    SERVICE_SET_TEMPERATURE,
                    {
                        ATTR_TARGET_TEMP_LOW: snapshot.target_temp_low,
                        ATTR_TARGET_TEMP_HIGH: snapshot.target_temp_high,
                    },
                )
            )
        if snapshot.fan_mode:
            calls.append((SERVICE_SET_FAN_MODE, {ATTR_FAN_MODE: snapshot.fan_mode}))
        for service, data in calls:
            try:
                await self._async_climate(service, data, context)
            except (HomeAssistantError, ValueError) as err:
                LOGGER.warning(
                    "%s: restoring the thermostat (%s) failed: %s",
                    self.config_entry.title,
                    service,
                    err,
                )

    async def _async_notify(self, kind: str) -> None:
        translations = await async_get_translations(
            self.hass, self.hass.config.language, "exceptions", {DOMAIN}
        )
        prefix = f"component.{DOMAIN}.exceptions.{kind}_notification"
        name = self.config_entry.title
        title = translations.get(f"{prefix}_title.message", "Heat Pump Care")
        message = translations.get(
            f"{prefix}.message",
            "Power to {name} could not be restored — check the breaker.",
        )
        async_create_notification(
            self.hass,
            message.replace("{name}", name),
            title=title.replace("{name}", name),
            notification_id=f"{DOMAIN}_{kind}_{self.config_entry.entry_id}",
        )

    def _raise_reset_issue(self, kind: str, code: str | None) -> None:
        entry_id = self.config_entry.entry_id
        entry = self.lookup(code).primary if code else None
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            f"{kind}_{entry_id}",
            is_fixable=kind == "fault_returned",
            is_persistent=True,
            severity=ir.IssueSeverity.CRITICAL
            if kind == "power_not_restored"
            else ir.IssueSeverity.ERROR,
            translation_key=kind,
            translation_placeholders={
                "name": self.config_entry.title,
                "code": code or "-",
                "meaning": entry.meaning if entry else "-",
            },
            data={"entry_id": entry_id, "kind": kind, "code": code or ""},
        )

    def _fire_returned_fault(self, code: str) -> None:
        self._fire_fault(code, self.lookup(code).primary, returned_after_reset=True)

    def _fire_fault(
        self, code: str, entry: CodeEntry | None, *, returned_after_reset: bool
    ) -> None:
        self.hass.bus.async_fire(
            EVENT_FAULT,
            {
                "config_entry_id": self.config_entry.entry_id,
                "device_id": self.device_id,
                "code": code,
                "category": entry.category if entry else "other",
                "meaning": entry.meaning if entry else None,
                "reset_may_help": entry.reset_may_help if entry else None,
                "returned_after_reset": returned_after_reset,
            },
        )


__all__ = ["HeatPumpCareConfigEntry", "HeatPumpCareCoordinator", "HeatPumpSnapshot"]
