"""Base entities of Heat Pump Care: one device per heat pump."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import HeatPumpCareCoordinator
from .maintenance import TASK_SPECS, TaskKey
from .models import HeatPumpSnapshot
from .options import Settings


@dataclass(frozen=True, kw_only=True)
class HeatPumpCareEntityDescription(EntityDescription):
    """What every description of the integration says besides its value."""

    exists_fn: Callable[[Settings], bool] = lambda _: True
    available_fn: Callable[[HeatPumpSnapshot], bool] = lambda _: True
    attrs_fn: Callable[[HeatPumpSnapshot], Mapping[str, Any]] | None = None


class _Conditional(Protocol):
    @property
    def exists_fn(self) -> Callable[[Settings], bool]: ...


def entities_for[D: _Conditional, E](
    coordinator: HeatPumpCareCoordinator,
    descriptions: Iterable[D],
    entity: Callable[[HeatPumpCareCoordinator, D], E],
    task_description: Callable[[str, Mapping[str, str]], D] | None = None,
) -> list[E]:
    """Return an entity per description that this heat pump's settings call for.

    With ``task_description``, each of the owner's own tasks adds the
    description it returns for the task's key and the tasks' names.
    """
    settings = coordinator.settings
    names = settings.user_task_names
    own = [task_description(task, names) for task in names] if task_description else []
    return [
        entity(coordinator, description)
        for description in (*descriptions, *own)
        if description.exists_fn(settings)
    ]


def _identity(coordinator: HeatPumpCareCoordinator, key: str) -> tuple[str, DeviceInfo]:
    """Return an entity's unique ID and the heat pump's device it belongs to."""
    entry_id = coordinator.config_entry.entry_id
    return f"{entry_id}_{key}", DeviceInfo(identifiers={(DOMAIN, entry_id)})


class HeatPumpCareEntity(CoordinatorEntity[HeatPumpCareCoordinator]):
    """An entity of the heat pump's device showing its snapshot."""

    _attr_has_entity_name = True
    entity_description: HeatPumpCareEntityDescription

    def __init__(
        self,
        coordinator: HeatPumpCareCoordinator,
        description: HeatPumpCareEntityDescription,
    ) -> None:
        """Attach the entity to the heat pump's device."""
        super().__init__(coordinator)
        self.entity_description = description
        self._attr_unique_id, self._attr_device_info = _identity(
            coordinator, description.key
        )

    _shown: tuple[object, ...] | None = None

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write the state only when what this entity shows changed.

        A snapshot changes for one capability at a time; most entities show
        the same value and attributes as before and need no write.
        """
        shown = (self.available, self._value(), self.extra_state_attributes)
        if shown == self._shown:
            return
        self._shown = shown
        super()._handle_coordinator_update()

    def _value(self) -> object:
        """Return what the platform shows besides availability and attributes."""
        return None

    async def async_added_to_hass(self) -> None:
        """Remember what the first write showed."""
        await super().async_added_to_hass()
        self._shown = (self.available, self._value(), self.extra_state_attributes)

    @property
    def available(self) -> bool:
        """Return whether the value can be known."""
        return super().available and self.entity_description.available_fn(
            self.coordinator.data
        )

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Return the attributes the description names."""
        if (attrs_fn := self.entity_description.attrs_fn) is None:
            return None
        return attrs_fn(self.coordinator.data)


class HeatPumpCareActionEntity(Entity):
    """An entity of the heat pump's device that acts but shows no snapshot.

    Buttons and event entities: their state is the last press or event, so a
    snapshot change would only rewrite an unchanged state.
    """

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(
        self, coordinator: HeatPumpCareCoordinator, description: EntityDescription
    ) -> None:
        """Attach the entity to the heat pump's device."""
        self.coordinator = coordinator
        self.entity_description = description
        self._attr_unique_id, self._attr_device_info = _identity(
            coordinator, description.key
        )


#: Per built-in task: the keys of its due sensor, overdue binary sensor and
#: done button. The filter and service keys are the public CONTRACT names;
#: further tasks follow one pattern, so adding a task needs no platform change.
TASK_ENTITY_KEYS: Mapping[str, tuple[str, str, str]] = {
    TaskKey.FILTER: ("filter_due", "filter_overdue", "filter_changed"),
    TaskKey.SERVICE: ("service_due", "service_overdue", "service_done"),
    **{
        key: (f"{key}_due", f"{key}_overdue", f"{key}_done")
        for key in TASK_SPECS
        if key not in (TaskKey.FILTER, TaskKey.SERVICE)
    },
}


@dataclass(frozen=True, slots=True)
class TaskEntity:
    """How one of a task's entities is keyed and named.

    A built-in task's entity is named by its own translation; an own task's
    by a shared one ("{task} due") with the task's name filled in.
    """

    key: str
    translation_key: str
    translation_placeholders: Mapping[str, str] | None = None

    def describe(self) -> dict[str, Any]:
        """Return the description fields that key and name the entity."""
        return {
            "key": self.key,
            "translation_key": self.translation_key,
            "translation_placeholders": self.translation_placeholders,
        }


def task_entity(
    task: str, kind: int, names: Mapping[str, str] | None = None
) -> TaskEntity:
    """Return the key and name of a task's due (0), overdue (1) or done (2) entity.

    An own task's entities are keyed ``task_<key>_<kind>`` so they can never
    meet a built-in entity's key, and removed with the task (see
    ``removal.async_remove_stale_task_entities``).
    """
    if task in TASK_ENTITY_KEYS:
        key = TASK_ENTITY_KEYS[task][kind]
        return TaskEntity(key, key)
    suffix = USER_TASK_ENTITY_SUFFIXES[kind]
    return TaskEntity(
        f"{USER_TASK_ENTITY_PREFIX}{task}_{suffix}",
        f"user_task_{suffix}",
        {"task": (names or {}).get(task, task)},
    )


USER_TASK_ENTITY_PREFIX = "task_"
USER_TASK_ENTITY_SUFFIXES = ("due", "overdue", "done")
