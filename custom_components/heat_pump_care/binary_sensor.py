"""Binary sensors: overdue maintenance and an active fault."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import (
    TASK_ENTITY_KEYS,
    HeatPumpCareEntity,
    HeatPumpCareEntityDescription,
    entities_for,
)
from .maintenance import TASK_SPECS, TaskKey
from .models import HeatPumpCareConfigEntry, HeatPumpSnapshot

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class HeatPumpBinarySensorDescription(
    BinarySensorEntityDescription, HeatPumpCareEntityDescription
):
    """Describes a Heat Pump Care binary sensor."""

    is_on_fn: Callable[[HeatPumpSnapshot], bool]


def _task_overdue(task: TaskKey) -> HeatPumpBinarySensorDescription:
    key = TASK_ENTITY_KEYS[task][1]
    return HeatPumpBinarySensorDescription(
        key=key,
        translation_key=key,
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=lambda data: task in data.tasks and data.tasks[task].overdue,
        attrs_fn=lambda data: (
            {"due": data.tasks[task].due.isoformat()} if task in data.tasks else {}
        ),
        exists_fn=lambda settings: task in settings.maintenance.intervals,
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
    HeatPumpBinarySensorDescription(
        key="short_cycling",
        translation_key="short_cycling",
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=lambda data: bool(data.health and data.health.short_cycling),
        attrs_fn=lambda data: (
            {
                "starts_last_hour": data.health.starts_last_hour,
                "median_run_minutes": data.health.median_run_minutes,
                "days": data.health.short_cycling_days,
                "since": _iso(data.health.short_cycling_since),
            }
            if data.health
            else {}
        ),
        exists_fn=lambda settings: settings.climate_entity is not None,
    ),
    HeatPumpBinarySensorDescription(
        key="not_keeping_up",
        translation_key="not_keeping_up",
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=lambda data: bool(data.health and data.health.not_keeping_up),
        attrs_fn=lambda data: (
            {
                "gap": data.health.gap,
                "since": _iso(data.health.not_keeping_up_since),
            }
            if data.health
            else {}
        ),
        exists_fn=lambda settings: settings.climate_entity is not None,
    ),
    HeatPumpBinarySensorDescription(
        key="efficiency_drop",
        translation_key="efficiency_drop",
        device_class=BinarySensorDeviceClass.PROBLEM,
        is_on_fn=lambda data: bool(data.health and data.health.efficiency_drop),
        attrs_fn=lambda data: (
            {
                "runtime_per_degree_day": data.health.runtime_per_degree_day,
                "baseline": data.health.baseline,
                "learning": data.health.learning,
                "learning_days": data.health.learning_days,
                "since": _iso(data.health.efficiency_drop_since),
            }
            if data.health
            else {}
        ),
        exists_fn=lambda settings: (
            settings.climate_entity is not None
            and settings.outdoor_temperature_entity is not None
        ),
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
        entities_for(entry.runtime_data, BINARY_SENSORS, HeatPumpCareBinarySensor)
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
