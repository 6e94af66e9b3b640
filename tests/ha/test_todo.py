"""The maintenance to-do list: one item per task, ticking marks it done.

A ticked item stays ticked until local midnight; un-ticking it that day
undoes the completion.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from homeassistant.components.todo import TodoListEntityFeature
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceNotSupported, ServiceValidationError
from homeassistant.helpers import entity_registry as er

from .common import (
    DOMAIN,
    ENTRY_ID,
    TODO,
    FakeThermostat,
    history_of,
    state_of,
    state_value,
    tick_to,
    todo_item,
    todo_items,
    update_todo_item,
)

FILTER_DUE = "sensor.living_room_heat_pump_filter_change_due"
SERVICE_DUE = "sensor.living_room_heat_pump_next_service_due"


def _summary(items: list[dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    return [
        (item["uid"], item["summary"], item["status"], item["due"]) for item in items
    ]


@pytest.mark.usefixtures("init_integration")
async def test_one_item_per_task_with_due_date(hass: HomeAssistant) -> None:
    """Filter and service are listed, soonest first, with their due dates."""
    items = await todo_items(hass)
    assert _summary(items) == [
        ("filter", "Filter change", "needs_action", "2026-12-30"),
        ("service", "Professional service", "needs_action", "2027-03-15"),
    ]
    assert items[0]["description"] == "Every 90 d · last done 2026-10-01 · key: filter"
    state = hass.states.get(TODO)
    assert state is not None
    assert state.state == "2"


@pytest.mark.usefixtures("init_integration")
async def test_completing_an_item_marks_the_task_done_today(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The item shows ticked off with the next due date and the history."""
    await tick_to(hass, freezer, "2026-12-31T08:00:00+01:00")
    await update_todo_item(hass, "filter", status="completed")
    items = await todo_items(hass)
    assert _summary(items) == [
        ("service", "Professional service", "needs_action", "2027-03-15"),
        ("filter", "Filter change", "completed", "2027-03-31"),
    ]
    assert items[1]["description"] == (
        "Every 90 d · last done 2026-12-31 · key: filter · history: 2026-12-31"
    )
    assert state_value(hass, FILTER_DUE) == "2027-03-31"
    assert state_value(hass, TODO) == "1"
    assert history_of(hass, "filter")[0] == {"date": "2026-12-31", "source": "todo"}


@pytest.mark.usefixtures("init_integration")
async def test_completing_by_name_works_as_well(hass: HomeAssistant) -> None:
    """The item can be named by its summary instead of its uid."""
    await update_todo_item(hass, "Professional service", status="completed")
    items = await todo_items(hass)
    assert items[1]["uid"] == "service"
    assert items[1]["due"] == "2027-11-22"


@pytest.mark.usefixtures("init_integration")
async def test_a_ticked_item_is_open_again_at_local_midnight(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """At the next local midnight the task is open with its next due date."""
    await update_todo_item(hass, "filter", status="completed")
    await tick_to(hass, freezer, "2026-11-22T23:59:00+01:00")
    assert todo_item(await todo_items(hass), "filter")["status"] == "completed"
    await tick_to(hass, freezer, "2026-11-23T00:00:01+01:00")
    items = await todo_items(hass)
    assert _summary([todo_item(items, "filter")])[0] == (
        "filter",
        "Filter change",
        "needs_action",
        "2027-02-20",
    )
    assert history_of(hass, "filter")[0]["date"] == "2026-11-22"


@pytest.mark.usefixtures("init_integration")
async def test_unticking_the_same_day_brings_the_previous_date_back(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A mis-tick is not lost: the completion is undone."""
    before = await todo_items(hass)
    await update_todo_item(hass, "filter", status="completed")
    await tick_to(hass, freezer, "2026-11-22T21:00:00+01:00")
    await update_todo_item(hass, "filter", status="needs_action")
    assert await todo_items(hass) == before
    assert state_value(hass, FILTER_DUE) == "2026-12-30"
    assert history_of(hass, "filter") == []


@pytest.mark.usefixtures("init_integration")
async def test_ticking_a_ticked_item_again_changes_nothing(
    hass: HomeAssistant,
) -> None:
    """The same tick twice records one completion."""
    await update_todo_item(hass, "filter", status="completed")
    await update_todo_item(hass, "filter", status="completed")
    assert len(history_of(hass, "filter")) == 1


async def test_a_tick_can_be_undone_after_a_restart(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """What a tick replaced is stored: the un-tick works after a reload."""
    await update_todo_item(hass, "service", status="completed")
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert todo_item(await todo_items(hass), "service")["status"] == "completed"
    await update_todo_item(hass, "service", status="needs_action")
    assert state_value(hass, SERVICE_DUE) == "2027-03-15"


@pytest.mark.usefixtures("init_integration")
async def test_untick_after_midnight_is_refused(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Once the day is over the completion stands, even if the list lags."""
    await update_todo_item(hass, "filter", status="completed")
    freezer.move_to("2026-11-23T00:00:05+01:00")  # the midnight timer has not run
    with pytest.raises(ServiceValidationError) as err:
        await update_todo_item(hass, "filter", status="needs_action")
    assert err.value.translation_key == "undo_too_late"
    assert history_of(hass, "filter")[0]["date"] == "2026-11-22"
    assert state_value(hass, FILTER_DUE) == "2027-02-20"


async def test_filter_item_tells_the_runtime_limit_and_hours_left(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    devices: FakeThermostat,
    mock_config_entry: MockConfigEntry,
    options: dict[str, Any],
) -> None:
    """With a limit of 500 h the description shows it and the hours left."""
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, options={**options, "filter_runtime_hours": 500}
    )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    devices.set_action("heating")
    await tick_to(hass, freezer, "2026-11-22T13:00:00+01:00")
    devices.set_action("idle")
    await hass.async_block_till_done()
    items = await todo_items(hass)
    assert items[0]["description"] == (
        "Every 90 d · last done 2026-10-01 · runtime limit 500 h, 497 h left"
        " · key: filter"
    )
    assert items[1]["description"] == (
        "Every 365 d · last done 2026-03-15 · key: service"
    )


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
    items = await todo_items(hass)
    assert items[0]["summary"] == "Filter change"
    assert items[0]["due"] == "2026-12-30"


@pytest.mark.usefixtures("init_integration")
async def test_delete_is_not_offered(hass: HomeAssistant) -> None:
    """The list does not advertise deleting; tasks are switched off in the options."""
    features = state_of(hass, TODO).attributes["supported_features"]
    assert features == (
        TodoListEntityFeature.UPDATE_TODO_ITEM
        | TodoListEntityFeature.SET_DUE_DATE_ON_ITEM
    )
    with pytest.raises(ServiceNotSupported):
        await hass.services.async_call(
            "todo",
            "remove_item",
            {"item": ["filter"]},
            target={"entity_id": TODO},
            blocking=True,
        )
    assert [item["uid"] for item in await todo_items(hass)] == ["filter", "service"]


@pytest.mark.usefixtures("init_integration")
async def test_needs_action_changes_nothing(
    hass: HomeAssistant,
) -> None:
    """Setting an open item to needs_action does not mark the task done."""
    before = await todo_items(hass)
    await hass.services.async_call(
        "todo",
        "update_item",
        {"item": "filter", "status": "needs_action"},
        target={"entity_id": TODO},
        blocking=True,
    )
    assert await todo_items(hass) == before


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
    assert items[0]["description"] == (
        "Alle 90 Tage · zuletzt erledigt am 2026-10-01 · Schlüssel: filter"
    )


async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    setup_platform: Callable[[Platform], Awaitable[MockConfigEntry]],
) -> None:
    """The todo entities of a fully configured heat pump."""
    entry = await setup_platform(Platform.TODO)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)
