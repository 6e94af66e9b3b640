"""Binary sensors: overdue maintenance and an active fault."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import (
    HeatPumpCareEntity,
    HeatPumpCareEntityDescription,
    entities_for,
    task_entity,
)
from .health import HealthReport
from .maintenance import TASK_SPECS
from .models import HeatPumpCareConfigEntry, HeatPumpSnapshot

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class HeatPumpBinarySensorDescription(
    BinarySensorEntityDescription, HeatPumpCareEntityDescription
):
    """Describes a Heat Pump Care binary sensor."""

    is_on_fn: Callable[[HeatPumpSnapshot], bool]


def _task_overdue(
    task: str, names: Mapping[str, str] | None = None
) -> HeatPumpBinarySensorDescription:
    return HeatPumpBinarySensorDescription(
        **task_entity(task, 1, names).describe(),
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=lambda data: task in data.tasks and data.tasks[task].overdue,
        # ``task``: automations find a task's problem sensor by its key.
        attrs_fn=lambda data: (
            {"due": data.tasks[task].due.isoformat(), "task": task}
            if task in data.tasks
            else {}
        ),
        exists_fn=lambda settings: task in settings.maintenance.intervals,
    )


def _health_problem(
    key: str,
    is_on: Callable[[HealthReport], bool],
    attrs: Callable[[HealthReport], Mapping[str, Any]],
    *,
    degree_days: bool = False,
) -> HeatPumpBinarySensorDescription:
    """Describe a health problem (needs a thermostat; some an outdoor temperature)."""
    return HeatPumpBinarySensorDescription(
        key=key,
        translation_key=key,
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=lambda data: bool(data.health and is_on(data.health)),
        attrs_fn=lambda data: attrs(data.health) if data.health else {},
        exists_fn=lambda settings: (
            settings.climate_entity is not None
            and (not degree_days or settings.outdoor_temperature_entity is not None)
        ),
    )


BINARY_SENSORS: tuple[HeatPumpBinarySensorDescription, ...] = (
    *(_task_overdue(task) for task in TASK_SPECS),
    HeatPumpBinarySensorDescription(
        key="fault",
        translation_key="fault",
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=lambda data: data.fault.code is not None,
        attrs_fn=lambda data: {
            "code": data.fault.code,
            "category": str(data.fault.entry.category) if data.fault.entry else None,
        },
        exists_fn=lambda settings: settings.error_code_entity is not None,
        available_fn=lambda data: data.fault.available,
    ),
    _health_problem(
        "short_cycling",
        lambda report: report.short_cycling,
        lambda report: {
            "starts_last_hour": report.starts_last_hour,
            "median_run_minutes": report.median_run_minutes,
            "days": report.short_cycling_days,
            "since": _iso(report.short_cycling_since),
        },
    ),
    _health_problem(
        "not_keeping_up",
        lambda report: report.not_keeping_up,
        lambda report: {"gap": report.gap, "since": _iso(report.not_keeping_up_since)},
    ),
    _health_problem(
        "efficiency_drop",
        lambda report: report.efficiency_drop,
        lambda report: {
            "runtime_per_degree_day": report.runtime_per_degree_day,
            "baseline": report.baseline,
            "learning": report.learning,
            "learning_days": report.learning_days,
            "since": _iso(report.efficiency_drop_since),
        },
        degree_days=True,
    ),
)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpCareConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors this heat pump's settings call for."""
    async_add_entities(
        entities_for(
            entry.runtime_data,
            BINARY_SENSORS,
            HeatPumpCareBinarySensor,
            _task_overdue,
        )
    )


class HeatPumpCareBinarySensor(HeatPumpCareEntity, BinarySensorEntity):
    """A problem sensor reading the heat pump's snapshot."""

    entity_description: HeatPumpBinarySensorDescription

    def _value(self) -> object:
        return self.is_on

    @property
    def is_on(self) -> bool:
        """Return whether there is a problem."""
        return self.entity_description.is_on_fn(self.coordinator.data)
