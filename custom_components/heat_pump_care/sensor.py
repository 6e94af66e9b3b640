"""Sensors: maintenance dates and runtime, the safe reset, the error code."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .catalog import UNKNOWN_CODE_ADVICE, Category, Severity
from .entity import (
    HeatPumpCareEntity,
    HeatPumpCareEntityDescription,
    entities_for,
    task_entity,
)
from .health import HealthReport
from .maintenance import TASK_SPECS, TaskKey
from .models import HeatPumpCareConfigEntry, HeatPumpSnapshot
from .reset import Phase

PARALLEL_UPDATES = 0

NO_ERROR = "none"
#: The error-meaning sensor's state for a code the catalogue does not know.
UNKNOWN_CODE = "unknown_code"
#: Home Assistant refuses longer states.
MAX_STATE_LENGTH = 255
# Hours of heating per heating degree day (°C·d).
RUNTIME_PER_DEGREE_DAY = "h/°Cd"


@dataclass(frozen=True, kw_only=True)
class HeatPumpSensorDescription(SensorEntityDescription, HeatPumpCareEntityDescription):
    """Describes a Heat Pump Care sensor."""

    value_fn: Callable[[HeatPumpSnapshot], str | int | float | date | datetime | None]


def _task_due(
    task: str, names: Mapping[str, str] | None = None
) -> HeatPumpSensorDescription:
    return HeatPumpSensorDescription(
        **task_entity(task, 0, names).describe(),
        device_class=SensorDeviceClass.DATE,
        value_fn=lambda data: data.tasks[task].due if task in data.tasks else None,
        attrs_fn=lambda data: _task_attrs(data, task),
        exists_fn=lambda settings: task in settings.maintenance.intervals,
    )


def _task_attrs(data: HeatPumpSnapshot, task: str) -> Mapping[str, Any]:
    status = data.tasks.get(task)
    if status is None:
        return {}
    attrs: dict[str, Any] = {
        "last_done": status.last_done.isoformat(),
        "interval_days": status.interval_days,
    }
    if status.snoozed_until is not None:
        attrs["snoozed_until"] = status.snoozed_until.isoformat()
    if status.runtime_limit_hours:
        attrs["runtime_limit_hours"] = status.runtime_limit_hours
        attrs["runtime_hours_left"] = status.runtime_hours_left
    return attrs


def _fault_attrs(data: HeatPumpSnapshot) -> Mapping[str, Any]:
    fault = data.fault
    entry = fault.entry
    # A code the catalogue does not know is still a fault: describe it the
    # way the lookup_error_code service does.
    unknown = entry is None and fault.code is not None
    return {
        "brand": entry.brand if entry else fault.brand,
        "family": entry.family if entry else None,
        "meaning": entry.meaning if entry else None,
        "category": str(entry.category)
        if entry
        else (str(Category.OTHER) if unknown else None),
        "severity": str(entry.severity)
        if entry
        else (str(Severity.ERROR) if unknown else None),
        "reset_may_help": entry.reset_may_help if entry else None,
        "advice": entry.advice if entry else (UNKNOWN_CODE_ADVICE if unknown else None),
        "since": fault.since.isoformat() if fault.since else None,
    }


def _fault_meaning(data: HeatPumpSnapshot) -> str:
    """Return what the current code means, short enough to be a state."""
    fault = data.fault
    if fault.code is None:
        return NO_ERROR
    if fault.entry is None:
        return UNKNOWN_CODE
    meaning = fault.entry.meaning
    if len(meaning) <= MAX_STATE_LENGTH:
        return meaning
    return meaning[: MAX_STATE_LENGTH - 1].rstrip() + "…"


def _reset_attrs(data: HeatPumpSnapshot) -> Mapping[str, Any]:
    state = data.reset
    return {
        "started_at": state.started_at.isoformat() if state.started_at else None,
        "deadline": state.deadline.isoformat() if state.deadline else None,
        "previous_hvac_mode": state.thermostat.hvac_mode if state.thermostat else None,
        "error_code_before": state.error_code_before,
        "resets_last_24h": data.resets_last_24h,
        "last_outcome": state.last_outcome,
        "reason": state.reason,
    }


def _health(
    key: str,
    read: Callable[[HealthReport], str | int | float | None],
    *,
    degree_days: bool = False,
    **described: Any,
) -> HeatPumpSensorDescription:
    """Describe a health figure (needs a thermostat; some an outdoor temperature)."""
    return HeatPumpSensorDescription(
        key=key,
        translation_key=key,
        value_fn=lambda data: read(data.health) if data.health else None,
        exists_fn=lambda settings: (
            settings.climate_entity is not None
            and (not degree_days or settings.outdoor_temperature_entity is not None)
        ),
        **described,
    )


HEALTH_SENSORS: tuple[HeatPumpSensorDescription, ...] = (
    _health(
        "cycles_today",
        lambda report: report.cycles_today,
        state_class=SensorStateClass.TOTAL_INCREASING,
    ),
    _health(
        "median_run_time",
        lambda report: report.median_run_minutes,
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
    ),
    _health(
        "runtime_today",
        lambda report: report.runtime_today_hours,
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.HOURS,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=2,
    ),
    _health(
        "defrosts_today",
        lambda report: report.defrosts_today,
        state_class=SensorStateClass.TOTAL_INCREASING,
    ),
    _health(
        "runtime_per_degree_day",
        lambda report: report.runtime_per_degree_day,
        degree_days=True,
        native_unit_of_measurement=RUNTIME_PER_DEGREE_DAY,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        attrs_fn=lambda data: {
            "baseline": data.health.baseline if data.health else None,
            "learning": data.health.learning if data.health else None,
        },
    ),
)

SENSORS: tuple[HeatPumpSensorDescription, ...] = (
    HeatPumpSensorDescription(
        key="filter_age",
        translation_key="filter_age",
        native_unit_of_measurement=UnitOfTime.DAYS,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda data: data.tasks[TaskKey.FILTER].days_since,
    ),
    *(_task_due(task) for task in TASK_SPECS),
    HeatPumpSensorDescription(
        key="filter_runtime",
        translation_key="filter_runtime",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.HOURS,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=1,
        value_fn=lambda data: data.maintenance.filter_runtime_hours,
        attrs_fn=lambda data: {
            "limit_hours": data.maintenance.runtime_limit_hours or None,
            "average_daily_hours": None
            if data.maintenance.runtime_average_daily_hours is None
            else round(data.maintenance.runtime_average_daily_hours, 2),
        },
        exists_fn=lambda settings: settings.climate_entity is not None,
    ),
    HeatPumpSensorDescription(
        key="reset_status",
        translation_key="reset_status",
        device_class=SensorDeviceClass.ENUM,
        options=[str(phase) for phase in Phase],
        value_fn=lambda data: str(data.reset.phase),
        attrs_fn=_reset_attrs,
        exists_fn=lambda settings: settings.power_switch is not None,
    ),
    HeatPumpSensorDescription(
        key="power_restore_at",
        translation_key="power_restore_at",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda data: (
            data.reset.deadline
            if data.reset.phase in (Phase.POWER_OFF, Phase.RESTORING)
            else None
        ),
        exists_fn=lambda settings: settings.power_switch is not None,
    ),
    HeatPumpSensorDescription(
        key="error_code",
        translation_key="error_code",
        value_fn=lambda data: data.fault.code or NO_ERROR,
        attrs_fn=_fault_attrs,
        exists_fn=lambda settings: settings.error_code_entity is not None,
        available_fn=lambda data: data.fault.available,
    ),
    HeatPumpSensorDescription(
        key="error_meaning",
        translation_key="error_meaning",
        value_fn=_fault_meaning,
        attrs_fn=lambda data: {"advice": _fault_attrs(data)["advice"]},
        exists_fn=lambda settings: settings.error_code_entity is not None,
        available_fn=lambda data: data.fault.available,
    ),
    HeatPumpSensorDescription(
        key="last_error_code",
        translation_key="last_error_code",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data: data.fault.last_code,
        attrs_fn=lambda data: {
            "seen_at": data.fault.last_seen.isoformat()
            if data.fault.last_seen
            else None,
            "meaning": data.fault.last_entry.meaning if data.fault.last_entry else None,
        },
        exists_fn=lambda settings: settings.error_code_entity is not None,
    ),
    *HEALTH_SENSORS,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpCareConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors this heat pump's settings call for."""
    async_add_entities(
        entities_for(entry.runtime_data, SENSORS, HeatPumpCareSensor, _task_due)
    )


class HeatPumpCareSensor(HeatPumpCareEntity, SensorEntity):
    """A sensor reading the heat pump's snapshot."""

    entity_description: HeatPumpSensorDescription

    def _value(self) -> object:
        return self.native_value

    @property
    def native_value(self) -> str | int | float | date | datetime | None:
        """Return the state."""
        return self.entity_description.value_fn(self.coordinator.data)
