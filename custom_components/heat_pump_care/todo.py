"""To-do list "Maintenance": one item per task, completing it marks it done."""

from __future__ import annotations

from homeassistant.components.todo import (
    TodoItem,
    TodoItemStatus,
    TodoListEntity,
    TodoListEntityFeature,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .coordinator import HeatPumpCareCoordinator
from .entity import HeatPumpCareEntity, HeatPumpCareEntityDescription
from .helpers import TaskTexts, async_task_texts
from .maintenance import TaskKey
from .models import HeatPumpCareConfigEntry, MaintenanceStatus

PARALLEL_UPDATES = 1


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpCareConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the maintenance to-do list."""
    async_add_entities([MaintenanceTodoList(entry.runtime_data)])


class MaintenanceTodoList(HeatPumpCareEntity, TodoListEntity):
    """The heat pump's maintenance tasks as a to-do list."""

    _attr_supported_features = (
        TodoListEntityFeature.UPDATE_TODO_ITEM | TodoListEntityFeature.DELETE_TODO_ITEM
    )

    def __init__(self, coordinator: HeatPumpCareCoordinator) -> None:
        """Create the list."""
        super().__init__(
            coordinator,
            HeatPumpCareEntityDescription(
                key="maintenance", translation_key="maintenance"
            ),
        )
        self._texts: TaskTexts | None = None
        self._cached: tuple[MaintenanceStatus, list[TodoItem]] | None = None

    async def async_added_to_hass(self) -> None:
        """Load the task names in the user's language."""
        self._texts = await async_task_texts(self.hass)
        self._cached = None
        await super().async_added_to_hass()

    def _value(self) -> object:
        return tuple(self.todo_items)

    @property
    def todo_items(self) -> list[TodoItem]:
        """Return one item per enabled task, due dates first.

        Home Assistant reads this on every state write: the items are built
        once per snapshot.
        """
        data = self.coordinator.data
        if self._cached is None or self._cached[0] is not data.maintenance:
            self._cached = (data.maintenance, self._items())
        return self._cached[1]

    def _items(self) -> list[TodoItem]:
        texts = self._texts
        items: list[TodoItem] = []
        for key, status in sorted(
            self.coordinator.data.tasks.items(), key=lambda kv: kv[1].due
        ):
            description = (texts.description if texts else "{last_done}").format(
                interval=status.interval_days,
                last_done=status.last_done.isoformat(),
            )
            if (recent := self.coordinator.maintenance.recent(key)) and texts:
                description += texts.history.format(
                    dates=", ".join(done_on.isoformat() for done_on in recent)
                )
            items.append(
                TodoItem(
                    summary=texts.names.get(key, str(key)) if texts else str(key),
                    uid=str(key),
                    status=TodoItemStatus.NEEDS_ACTION,
                    due=status.due,
                    description=description,
                )
            )
        return items

    async def async_update_todo_item(self, item: TodoItem) -> None:
        """Completing an item marks its task done today; nothing else changes."""
        task = self._task(item.uid)
        current = next(i for i in self._items() if i.uid == item.uid)
        if item.summary not in (None, current.summary):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="todo_rename_not_allowed",
            )
        if item.status == TodoItemStatus.COMPLETED:
            await self.coordinator.maintenance.async_mark_done(task, None, "todo")

    async def async_delete_todo_items(self, uids: list[str]) -> None:
        """Maintenance tasks cannot be deleted: switch them off in the options."""
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="todo_delete_not_allowed",
        )

    def _task(self, uid: str | None) -> TaskKey:
        if uid is None or uid not in self.coordinator.data.tasks:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="todo_item_not_found",
                translation_placeholders={"uid": str(uid)},
            )
        return TaskKey(uid)
