"""To-do list "Maintenance": one item per task, completing it marks it done.

A ticked item stays ticked for the rest of the local day it was ticked on;
un-ticking it then undoes the completion (the previous date comes back). At
the next local midnight it is open again with its next due date. Moving an
item's due date snoozes the task to that date. Items cannot be added,
deleted or renamed: the list offers only what it supports. Each item's
description names its task key (for the services) and the last completion
with its note.
"""

from __future__ import annotations

from datetime import date, datetime

from homeassistant.components.todo import (
    TodoItem,
    TodoItemStatus,
    TodoListEntity,
    TodoListEntityFeature,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .coordinator import HeatPumpCareCoordinator
from .entity import HeatPumpCareEntity, HeatPumpCareEntityDescription
from .helpers import TaskTexts, async_task_texts, task_name
from .models import HeatPumpCareConfigEntry, MaintenanceStatus

PARALLEL_UPDATES = 1
RUNTIME_TEXT = " · runtime limit {limit} h, {left} h left"


async def _async_runtime_text(hass: HomeAssistant) -> str:
    """Return the filter item's runtime line in the user's language."""
    messages = await async_get_translations(
        hass, hass.config.language, "exceptions", {DOMAIN}
    )
    return messages.get(
        f"component.{DOMAIN}.exceptions.todo_runtime.message", RUNTIME_TEXT
    )


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpCareConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the maintenance to-do list."""
    async_add_entities([MaintenanceTodoList(entry.runtime_data)])


class MaintenanceTodoList(HeatPumpCareEntity, TodoListEntity):
    """The heat pump's maintenance tasks as a to-do list."""

    # Ticking off, un-ticking and moving the due date (a snooze): no delete,
    # add or reorder is offered.
    _attr_supported_features = (
        TodoListEntityFeature.UPDATE_TODO_ITEM
        | TodoListEntityFeature.SET_DUE_DATE_ON_ITEM
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
        self._runtime_text = RUNTIME_TEXT
        self._cached: tuple[MaintenanceStatus, list[TodoItem]] | None = None

    async def async_added_to_hass(self) -> None:
        """Load the task names in the user's language."""
        self._texts = await async_task_texts(self.hass)
        self._runtime_text = await _async_runtime_text(self.hass)
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
        maintenance = self.coordinator.data.maintenance
        own = self.coordinator.settings.user_task_names
        items: list[TodoItem] = []
        for key, status in sorted(maintenance.tasks.items(), key=lambda kv: kv[1].due):
            description = (texts.description if texts else "{last_done}").format(
                interval=status.interval_days,
                last_done=status.last_done.isoformat(),
            )
            if (left := status.runtime_hours_left) is not None:
                description += self._runtime_text.format(
                    limit=status.runtime_limit_hours, left=f"{left:.0f}"
                )
            if texts:
                description += self._history(texts, key)
            items.append(
                TodoItem(
                    summary=task_name(texts, own, key),
                    uid=str(key),
                    status=TodoItemStatus.COMPLETED
                    if status.completed_at
                    else TodoItemStatus.NEEDS_ACTION,
                    due=status.due,
                    description=description,
                    completed=status.completed_at,
                )
            )
        return items

    def _history(self, texts: TaskTexts, task: str) -> str:
        """Return the key, the last completions and the last one's note."""
        text = texts.key.format(key=task)
        if recent := self.coordinator.maintenance.recent(task):
            text += texts.history.format(
                dates=", ".join(done.done_on.isoformat() for done in recent)
            )
            if (last := recent[0]).note:
                text += texts.note.format(date=last.done_on.isoformat(), note=last.note)
        return text

    async def async_update_todo_item(self, item: TodoItem) -> None:
        """Tick off: mark the task done today; un-tick the same day: undo that.

        A new due date snoozes the task to that date (after the tick, when
        both come together). Nothing else about a task can change here.
        """
        task = self._task(item.uid)
        current = next(i for i in self.todo_items if i.uid == item.uid)
        if item.summary not in (None, current.summary):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="todo_rename_not_allowed",
            )
        maintenance = self.coordinator.maintenance
        day = _as_day(item.due) if item.due is not None else None
        moved = day is not None and item.due != current.due
        if day is not None and moved:  # first: nothing is stored when refused
            maintenance.check_snooze(task, day)
        if item.status is not None and item.status != current.status:
            if item.status == TodoItemStatus.COMPLETED:
                await maintenance.async_mark_done(task, None, "todo")
            else:
                await maintenance.async_undo_done(task)
        if day is not None and moved:
            await maintenance.async_snooze(task, day)

    def _task(self, uid: str | None) -> str:
        if uid is None or uid not in self.coordinator.data.tasks:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="todo_item_not_found",
                translation_placeholders={"uid": str(uid)},
            )
        return uid


def _as_day(due: date) -> date:
    """Return the local day of a due date or date-time (the list shows days)."""
    return dt_util.as_local(due).date() if isinstance(due, datetime) else due
