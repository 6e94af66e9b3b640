"""Base entity for Heat Pump Care."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.translation import async_get_translations
from homeassistant.helpers.update_coordinator import CoordinatorEntity
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN
from .coordinator import HeatPumpCareCoordinator, HeatPumpSnapshot
from .maintenance import TASK_SPECS, TaskKey


class HeatPumpCareEntity(CoordinatorEntity[HeatPumpCareCoordinator]):
    """An entity of one heat pump's device that shows its snapshot.

    Named by its translation key; written again whenever the snapshot changes.
    """

    _attr_has_entity_name = True

    def __init__(self, coordinator: HeatPumpCareCoordinator, key: str) -> None:
        """Attach the entity to the heat pump's device."""
        super().__init__(coordinator)
        self._attr_unique_id, self._attr_device_info = _identity(coordinator, key)


class HeatPumpCareActionEntity(Entity):
    """An entity of one heat pump's device that acts but shows no snapshot.

    Buttons: their state is the last press, so they do not listen to the
    coordinator (a snapshot change would only rewrite an unchanged state).
    """

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, coordinator: HeatPumpCareCoordinator, key: str) -> None:
        """Attach the entity to the heat pump's device."""
        self.coordinator = coordinator
        self._attr_unique_id, self._attr_device_info = _identity(coordinator, key)


def _identity(coordinator: HeatPumpCareCoordinator, key: str) -> tuple[str, DeviceInfo]:
    """Return an entity's unique ID and the heat pump's device it belongs to."""
    entry_id = coordinator.config_entry.entry_id
    return f"{entry_id}_{key}", DeviceInfo(identifiers={(DOMAIN, entry_id)})


class SnapshotDescription(Protocol):
    """The parts of a description that read the snapshot (sensor, binary sensor)."""

    @property
    def key(self) -> str:
        """Return the entity key."""

    @property
    def attrs_fn(self) -> Callable[[HeatPumpSnapshot], Mapping[str, Any]] | None:
        """Return the function giving the attributes, if any."""

    @property
    def available_fn(self) -> Callable[[HeatPumpSnapshot], bool]:
        """Return the function telling whether the value can be known."""


class HeatPumpCareSnapshotEntity(HeatPumpCareEntity):
    """An entity whose availability and attributes come from its description."""

    def __init__(
        self, coordinator: HeatPumpCareCoordinator, description: SnapshotDescription
    ) -> None:
        """Attach the entity and remember how it reads the snapshot."""
        super().__init__(coordinator, description.key)
        self._reads = description

    @property
    def available(self) -> bool:
        """Return whether the value can be known."""
        return super().available and self._reads.available_fn(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Return the attributes."""
        if self._reads.attrs_fn is None:
            return None
        return self._reads.attrs_fn(self.coordinator.data)


def task_entity_keys(task: TaskKey) -> tuple[str, str, str]:
    """Return the (due sensor, overdue binary sensor, done button) keys of a task.

    The filter and service keys are the public CONTRACT names; further tasks
    follow one pattern, so adding a task needs no platform change.
    """
    return TASK_ENTITY_KEYS[task]


TASK_ENTITY_KEYS: Mapping[TaskKey, tuple[str, str, str]] = {
    TaskKey.FILTER: ("filter_due", "filter_overdue", "filter_changed"),
    TaskKey.SERVICE: ("service_due", "service_overdue", "service_done"),
    **{
        key: (f"{key}_due", f"{key}_overdue", f"{key}_done")
        for key in TASK_SPECS
        if key not in (TaskKey.FILTER, TaskKey.SERVICE)
    },
}


@dataclass(frozen=True, slots=True)
class TaskTexts:
    """Texts about tasks in the user's language."""

    names: Mapping[TaskKey, str]
    description: str  # "Every {interval} d · last done {last_done}"
    history: str  # " · history: {dates}"


DATA_TASK_TEXTS: HassKey[dict[str, TaskTexts]] = HassKey(f"{DOMAIN}_task_texts")


async def async_task_texts(hass: HomeAssistant) -> TaskTexts:
    """Return task names and texts in the user's language, read once per language."""
    language = hass.config.language
    cache = hass.data.setdefault(DATA_TASK_TEXTS, {})
    if (texts := cache.get(language)) is None:
        selector = await async_get_translations(hass, language, "selector", {DOMAIN})
        messages = await async_get_translations(hass, language, "exceptions", {DOMAIN})
        prefix = f"component.{DOMAIN}.selector.task.options."
        base = f"component.{DOMAIN}.exceptions."
        texts = TaskTexts(
            names={task: selector.get(prefix + task, str(task)) for task in TaskKey},
            description=messages.get(
                f"{base}todo_description.message",
                "Every {interval} d · last done {last_done}",
            ),
            history=messages.get(f"{base}todo_history.message", " · history: {dates}"),
        )
        cache[language] = texts
    return texts


async def async_task_names(hass: HomeAssistant) -> Mapping[TaskKey, str]:
    """Return the tasks' names in the user's language."""
    return (await async_task_texts(hass)).names
