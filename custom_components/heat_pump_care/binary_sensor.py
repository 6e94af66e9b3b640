"""Binary sensors: overdue maintenance and an active fault."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
)


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

    @property
    def is_on(self) -> bool:
        """Return whether there is a problem."""
        return self.entity_description.is_on_fn(self.coordinator.data)
