"""The health capability in Home Assistant: the one adapter of ``health/``.

It turns each thermostat change (and outdoor temperature change) into one
sample for the core, asks the core for its report, publishes it when it
changed, fires ``heat_pump_care_health`` when a problem starts or ends and
keeps one repair per lasting problem.  One timer waits for the instant the
core says a figure can change on its own; nothing is polled.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, tzinfo
from typing import Any

from homeassistant.components.climate import (
    ATTR_CURRENT_TEMPERATURE,
    ATTR_HVAC_ACTION,
    ATTR_TARGET_TEMP_HIGH,
    ATTR_TARGET_TEMP_LOW,
)
from homeassistant.const import ATTR_TEMPERATURE, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import CALLBACK_TYPE, State, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from .capability import Capability, HeatPumpContext
from .events import EventKind
from .health import (
    HealthReport,
    HealthSettings,
    HealthState,
    Sample,
    assess,
    next_change,
    observe,
    observe_outdoor,
    record_reset,
    relearn,
    suspend,
)
from .helpers import sync_issue
from .reset import Phase

UNKNOWN_STATES = frozenset({STATE_UNAVAILABLE, STATE_UNKNOWN})
# Health figures can be rebuilt from the next samples: written within a minute.
SAVE_DELAY = 60  # seconds
# hvac_action values of a run (a defrost is inside one).
RUN_ACTIONS = frozenset({"heating", "preheating", "cooling", "defrosting"})
PROBLEMS = ("short_cycling", "not_keeping_up", "efficiency_drop", "frequent_resets")


def _next_midnight() -> datetime:
    tomorrow = dt_util.now().date() + timedelta(days=1)
    return dt_util.as_utc(dt_util.start_of_local_day(tomorrow))


def _number(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except TypeError, ValueError:
        return None


def climate_sample(state: State | None) -> Sample:
    """Return what the health core needs of a thermostat state."""
    if state is None or state.state in UNKNOWN_STATES:
        return Sample(
            action=None, mode=None, current=None, target_heat=None, target_cool=None
        )
    attrs = state.attributes
    single = _number(attrs.get(ATTR_TEMPERATURE))
    return Sample(
        action=attrs.get(ATTR_HVAC_ACTION),
        mode=state.state,
        current=_number(attrs.get(ATTR_CURRENT_TEMPERATURE)),
        target_heat=single
        if single is not None
        else _number(attrs.get(ATTR_TARGET_TEMP_LOW)),
        target_cool=single
        if single is not None
        else _number(attrs.get(ATTR_TARGET_TEMP_HIGH)),
    )


def outdoor_temperature(state: State | None) -> float | None:
    """Return a temperature sensor's value or a weather entity's temperature."""
    if state is None or state.state in UNKNOWN_STATES:
        return None
    if state.domain == "weather":
        return _number(state.attributes.get(ATTR_TEMPERATURE))
    return _number(state.state)


class HealthMonitor(Capability):
    """Cycles, run time, defrosts, degree days and health problems of one heat pump."""

    def __init__(self, context: HeatPumpContext, settings: HealthSettings) -> None:
        """Prepare; nothing is scheduled until ``start``."""
        super().__init__(context)
        self.health_settings = settings
        self.state = HealthState.empty()
        self.report: HealthReport | None = None
        self._last_sample: Sample | None = None
        self._timer: CALLBACK_TYPE | None = None
        self._timer_at: datetime | None = None
        self._stopped = False

    @property
    def _tz(self) -> tzinfo:
        return dt_util.get_default_time_zone()

    def load(self, data: dict[str, Any] | None) -> None:
        """Take the stored state (raises on data that is not ours)."""
        self.state = HealthState.from_dict(data) if data else HealthState.empty()

    def to_dict(self) -> dict[str, Any]:
        """Return the state to store."""
        return self.state.to_dict()

    @callback
    def start(self, climate: State | None, outdoor: State | None) -> None:
        """Take the current states and subscribe to completed resets."""
        self._entry.async_on_unload(
            self._events.async_subscribe(EventKind.RESET, self._on_reset_event)
        )
        now = dt_util.utcnow()
        self._last_sample = climate_sample(climate)
        observe(self.state, self._last_sample, now, self._tz)
        if self._settings.outdoor_temperature_entity:
            observe_outdoor(self.state, outdoor_temperature(outdoor), now, self._tz)
        self._assess(announce=False)

    @callback
    def stop(self) -> None:
        """End the timer and account up to now (unload or stop)."""
        self._stopped = True
        if self._timer is not None:
            self._timer()
            self._timer = None
        suspend(self.state, dt_util.utcnow(), self._tz)

    @callback
    def on_climate(self, new_state: State | None) -> None:
        """Feed a thermostat change to the core.

        Most thermostats report the room temperature every few seconds. At
        rest it changes no figure: nothing to do. During a run the gap
        tracker takes it, and the report is assessed only while "not keeping
        up" is on (the room reaching the target clears it); the threshold
        instants come from the core's ``next_change`` timer.
        """
        sample = climate_sample(new_state)
        last, self._last_sample = self._last_sample, sample
        if last is not None and replace(last, current=sample.current) == sample:
            if last.action not in RUN_ACTIONS:
                return
            observe(self.state, sample, dt_util.utcnow(), self._tz)
            if self.report is None or not self.report.not_keeping_up:
                return
        else:
            observe(self.state, sample, dt_util.utcnow(), self._tz)
        self._assess()

    @callback
    def on_outdoor(self, new_state: State | None) -> None:
        """Feed an outdoor temperature change to the core."""
        observe_outdoor(
            self.state, outdoor_temperature(new_state), dt_util.utcnow(), self._tz
        )
        self._assess()

    @callback
    def relearn(self) -> None:
        """Learn the unit's baseline again (a professional service was done)."""
        relearn(self.state, dt_util.utcnow(), self._tz)
        self._assess()

    @callback
    def _on_reset_event(self, event_type: str, _data: dict[str, Any]) -> None:
        if event_type == Phase.POWER_OFF:  # a safe reset cut the power
            record_reset(self.state, dt_util.utcnow())
            self._assess()

    def _assess(self, *, announce: bool = True) -> None:
        now = dt_util.utcnow()
        report = assess(self.state, now, self._tz, self.health_settings)
        self._schedule(next_change(self.state, now, self._tz, self.health_settings))
        if report == self.report:
            return
        before = self.report.problems if self.report else frozenset()
        self.report = report
        self._storage.save_later(SAVE_DELAY)
        if announce:
            for problem in PROBLEMS:
                if (problem in report.problems) != (problem in before):
                    self._events.fire_health(problem, active=problem in report.problems)
        self._sync_issues(report)
        self._changed()

    def _sync_issues(self, report: HealthReport) -> None:
        settings = self.health_settings
        lasting = {
            "short_cycling": report.short_cycling_days
            >= settings.short_cycle_repair_days,
            "efficiency_drop": report.efficiency_drop,
            "frequent_resets": "frequent_resets" in report.problems,
        }
        for problem, active in lasting.items():
            sync_issue(
                self._hass,
                f"health_{problem}_{self._entry.entry_id}",
                active,
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key=f"health_{problem}",
                translation_placeholders={
                    "name": self._entry.title,
                    "days": str(report.short_cycling_days),
                    "resets": str(report.resets_last_30_days),
                    "percent": str(settings.efficiency_drop_percent),
                },
            )

    @callback
    def on_midnight(self) -> None:
        """Start the day's figures again at local midnight."""
        self._assess()

    def _schedule(self, when: datetime | None) -> None:
        if when is not None and when >= _next_midnight():
            when = None  # the maintenance tracker's midnight timer calls us
        if when == self._timer_at and (self._timer is not None or when is None):
            return  # most samples leave the next instant where it was
        if self._timer is not None:
            self._timer()
            self._timer = None
        self._timer_at = when
        if when is not None and not self._stopped:
            self._timer = async_track_point_in_utc_time(
                self._hass, self._on_timer, when
            )

    @callback
    def _on_timer(self, _now: datetime) -> None:
        self._timer = None
        self._timer_at = None
        self._assess()
