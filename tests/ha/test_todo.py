"""The maintenance to-do list: one item per task, completing marks it done."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er

from .common import DOMAIN, ENTRY_ID, history_of

TODO = "todo.living_room_heat_pump_maintenance"
FILTER_DUE = "sensor.living_room_heat_pump_filter_change_due"


async def _items(hass: HomeAssistant) -> list[dict[str, Any]]:
    response = await hass.services.async_call(
        "todo",
        "get_items",
        {"entity_id": TODO},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    result: dict[str, Any] = response[TODO]  # type: ignore[assignment]
    items: list[dict[str, Any]] = result["items"]
    return items


def _summary(items: list[dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    return [
        (item["uid"], item["summary"], item["status"], item["due"]) for item in items
    ]


@pytest.mark.usefixtures("init_integration")
async def test_one_item_per_task_with_due_date(hass: HomeAssistant) -> None:
    """Filter and service are listed, soonest first, with their due dates."""
    items = await _items(hass)
    assert _summary(items) == [
        ("filter", "Filter change", "needs_action", "2026-12-30"),
        ("service", "Professional service", "needs_action", "2027-03-15"),
    ]
    assert items[0]["description"] == "Every 90 d · last done 2026-10-01"
    state = hass.states.get(TODO)
    assert state is not None
    assert state.state == "2"


@pytest.mark.usefixtures("init_integration")
async def test_completing_an_item_marks_the_task_done_today(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The item comes back, open, with the next due date and the history."""
    freezer.move_to("2026-12-31T08:00:00+01:00")
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    await hass.services.async_call(
        "todo",
        "update_item",
        {"item": "filter", "status": "completed"},
        target={"entity_id": TODO},
        blocking=True,
    )
    await hass.async_block_till_done()
    items = await _items(hass)
    assert _summary(items) == [
        ("service", "Professional service", "needs_action", "2027-03-15"),
        ("filter", "Filter change", "needs_action", "2027-03-31"),
    ]
    assert items[1]["description"] == (
        "Every 90 d · last done 2026-12-31 · history: 2026-12-31"
    )
    state = hass.states.get(FILTER_DUE)
    assert state is not None
    assert state.state == "2027-03-31"
    assert history_of(hass, "filter")[0] == {"date": "2026-12-31", "source": "todo"}
    # Completing by its name works as well.
    await hass.services.async_call(
        "todo",
        "update_item",
        {"item": "Professional service", "status": "completed"},
        target={"entity_id": TODO},
        blocking=True,
    )
    items = await _items(hass)
    assert items[1]["uid"] == "service"
    assert items[1]["due"] == "2027-12-31"


@pytest.mark.usefixtures("init_integration")
async def test_rename_is_refused(hass: HomeAssistant) -> None:
    """A maintenance task keeps its name."""
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "todo",
            "update_item",
            {"item": "filter", "rename": "Clean the filter"},
            target={"entity_id": TODO},
            blocking=True,
        )
    assert err.value.translation_key == "todo_rename_not_allowed"
    assert str(err.value) == "Maintenance tasks cannot be renamed"
    items = await _items(hass)
    assert items[0]["summary"] == "Filter change"
    assert items[0]["due"] == "2026-12-30"


@pytest.mark.usefixtures("init_integration")
async def test_delete_is_refused(hass: HomeAssistant) -> None:
    """Tasks are switched off in the options, not deleted from the list."""
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "todo",
            "remove_item",
            {"item": ["filter"]},
            target={"entity_id": TODO},
            blocking=True,
        )
    assert err.value.translation_key == "todo_delete_not_allowed"
    assert str(err.value).startswith("Maintenance tasks cannot be deleted")
    assert [item["uid"] for item in await _items(hass)] == ["filter", "service"]


@pytest.mark.usefixtures("init_integration")
async def test_needs_action_changes_nothing(
    hass: HomeAssistant,
) -> None:
    """Setting an open item to needs_action does not mark the task done."""
    before = await _items(hass)
    await hass.services.async_call(
        "todo",
        "update_item",
        {"item": "filter", "status": "needs_action"},
        target={"entity_id": TODO},
        blocking=True,
    )
    assert await _items(hass) == before


async def test_items_in_the_users_language(
    hass: HomeAssistant, devices: Any, mock_config_entry: Any
) -> None:
    """Names and descriptions follow Home Assistant's language."""
    hass.config.language = "de"
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    entity_id = er.async_get(hass).async_get_entity_id(
        "todo", DOMAIN, f"{ENTRY_ID}_maintenance"
    )
    assert entity_id is not None
    response = await hass.services.async_call(
        "todo",
        "get_items",
        {"entity_id": entity_id},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    items: list[dict[str, Any]] = response[entity_id]["items"]  # type: ignore[index]
    assert items[0]["summary"] == "Filterwechsel"
    assert items[0]["description"] == "Alle 90 Tage · zuletzt erledigt am 2026-10-01"


async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    setup_platform: Callable[[Platform], Awaitable[MockConfigEntry]],
) -> None:
    """The todo entities of a fully configured heat pump."""
    entry = await setup_platform(Platform.TODO)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)
