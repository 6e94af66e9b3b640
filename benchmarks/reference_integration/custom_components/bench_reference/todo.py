"""Reference to-do lists."""

from __future__ import annotations

from homeassistant.components.todo import TodoItem, TodoListEntity
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import ReferenceEntity, entities_for


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the entry's to-do lists."""
    async_add_entities(entities_for(entry, "todo", ReferenceTodo))


class ReferenceTodo(ReferenceEntity, TodoListEntity):
    """An empty to-do list."""

    _attr_todo_items: list[TodoItem] | None = []
