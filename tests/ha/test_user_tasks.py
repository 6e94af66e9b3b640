"""The owner's own maintenance tasks: added, edited and removed in the options.

Every task added through the options flow behaves like the built-in filter
on every surface (sensors, button, to-do item, calendar, repair, due event,
services, runtime limit) and leaves no trace once it is removed.
"""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import async_capture_events

from homeassistant.components.binary_sensor import BinarySensorDeviceClass
from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import ConfigEntry, ConfigEntryState, ConfigFlowResult
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.setup import async_setup_component

from .common import (
    CALENDAR,
    DOMAIN,
    ENTRY_ID,
    EVENT_DUE,
    TODO,
    FakeThermostat,
    attrs_of,
    calendar_events,
    call_service,
    heat_until,
    history_of,
    maintenance_history,
    mark_done,
    snooze,
    state_of,
    state_value,
    stored_maintenance,
    tick_to,
    todo_item,
    todo_items,
    update_todo_item,
)

FILTER_DUE = "sensor.living_room_heat_pump_filter_change_due"

NAME = "Descale tank"
KEY = "descale_tank"
ISSUE = f"{KEY}_overdue_{ENTRY_ID}"
# Done on 1 November, every 30 days: due on 1 December (the filter: 30 Dec).
TASK = {
    "task_name": NAME,
    "task_interval_days": 30,
    "task_runtime_hours": 0,
    "task_last_done": "2026-11-01",
}
DUE = "sensor.living_room_heat_pump_descale_tank_due"
OVERDUE = "binary_sensor.living_room_heat_pump_descale_tank_overdue"
DONE = "button.living_room_heat_pump_descale_tank_done"

KINDS = (("sensor", "due"), ("binary_sensor", "overdue"), ("button", "done"))


# ------------------------------------------------------------------ helpers


async def _tasks_menu(hass: HomeAssistant, entry: ConfigEntry) -> ConfigFlowResult:
    """Open the options and go to "Your own tasks"."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert "tasks" in result["menu_options"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "tasks"}
    )
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "tasks"
    return result


async def _open(hass: HomeAssistant, entry: ConfigEntry, step: str) -> ConfigFlowResult:
    """Open one step of the tasks menu."""
    result = await _tasks_menu(hass, entry)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": step}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == step
    return result


async def _finish(
    hass: HomeAssistant, entry: ConfigEntry, result: ConfigFlowResult
) -> None:
    """Check the flow saved; let the entry reload."""
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def _add(
    hass: HomeAssistant, entry: ConfigEntry, user_input: dict[str, Any]
) -> None:
    """Add a task through the options flow; the entry reloads."""
    result = await _open(hass, entry, "add_task")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], user_input
    )
    await _finish(hass, entry, result)


async def _edit(
    hass: HomeAssistant, entry: ConfigEntry, key: str, changes: dict[str, Any]
) -> ConfigFlowResult:
    """Edit a task through the options flow, starting from what it has."""
    result = await _open(hass, entry, "edit_task")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"task": key}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "edit_task_details"
    return await hass.config_entries.options.async_configure(
        result["flow_id"], {**_suggested(result), **changes}
    )


async def _remove(hass: HomeAssistant, entry: ConfigEntry, *keys: str) -> None:
    """Remove tasks through the options flow; the entry reloads."""
    result = await _open(hass, entry, "remove_task")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"tasks": list(keys)}
    )
    await _finish(hass, entry, result)


def _schema(result: ConfigFlowResult) -> dict[Any, Any]:
    """Return the fields of a form."""
    data_schema = result["data_schema"]
    assert data_schema is not None
    fields: dict[Any, Any] = data_schema.schema
    return fields


def _unique_id(key: str, kind: str) -> str:
    return f"{ENTRY_ID}_task_{key}_{kind}"


def _entity_ids(entity_registry: er.EntityRegistry, key: str) -> list[str | None]:
    """Return the due sensor, overdue sensor and done button of a task."""
    return [
        entity_registry.async_get_entity_id(domain, DOMAIN, _unique_id(key, kind))
        for domain, kind in KINDS
    ]


def _suggested(result: ConfigFlowResult) -> dict[str, Any]:
    return {
        str(marker): marker.description["suggested_value"]
        for marker in _schema(result)
        if marker.description and "suggested_value" in marker.description
    }


def _labels(result: ConfigFlowResult, field: str) -> list[dict[str, str]]:
    """Return the options of a select field of a form."""
    for marker, selector in _schema(result).items():
        if str(marker) == field:
            options: list[dict[str, str]] = selector.config["options"]
            return options
    raise KeyError(field)


async def _calendar(hass: HomeAssistant, start: str, end: str) -> list[tuple[str, str]]:
    """Return (start, summary) of the calendar's events."""
    return [
        (event["start"], event["summary"])
        for event in await calendar_events(hass, start, end)
    ]


def _traces(maintenance: dict[str, Any], key: str) -> dict[str, bool]:
    """Where the stored maintenance state mentions a task."""
    return {
        "last_done": key in maintenance["last_done"],
        "seeds": key in maintenance["seeds"],
        "snoozed": key in maintenance["snoozed"],
        "notified_due": key in maintenance["notified_due"],
        "undo": key in maintenance.get("undo", {}),
        "history": any(c["task"] == key for c in maintenance["history"]),
        "task_seconds": key in maintenance["runtime"].get("task_seconds", {}),
    }


# --------------------------------------------------------------- adding


async def test_add_task(
    hass: HomeAssistant,
    init_integration: ConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """The task is stored with its key; its entities, item and events appear."""
    entry = init_integration
    menu = await _tasks_menu(hass, entry)
    assert menu["menu_options"] == ["add_task"]
    assert menu["description_placeholders"] == {"tasks": "-"}
    result = await hass.config_entries.options.async_configure(
        menu["flow_id"], {"next_step_id": "add_task"}
    )
    assert _suggested(result) == {
        "task_interval_days": 90,
        "task_runtime_hours": 0,
        "task_last_done": "2026-11-22",
    }
    # What the frontend sends: numbers as floats, the name with spaces.
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {**TASK, "task_name": f"  {NAME} ", "task_interval_days": 30.0},
    )
    await _finish(hass, entry, result)
    assert entry.options["user_tasks"] == [{"key": KEY, **TASK}]
    assert isinstance(entry.options["user_tasks"][0]["task_interval_days"], int)
    # The built-in settings are untouched.
    assert entry.options["filter_interval_days"] == 90

    assert _entity_ids(entity_registry, KEY) == [DUE, OVERDUE, DONE]
    due = state_of(hass, DUE)
    assert due.state == "2026-12-01"
    assert due.attributes["friendly_name"] == "Living room heat pump Descale tank due"
    assert due.attributes["device_class"] == "date"
    assert due.attributes["last_done"] == "2026-11-01"
    assert due.attributes["interval_days"] == 30
    assert "runtime_limit_hours" not in due.attributes
    overdue = state_of(hass, OVERDUE)
    assert overdue.state == STATE_OFF
    assert overdue.attributes["friendly_name"] == (
        "Living room heat pump Descale tank overdue"
    )
    assert overdue.attributes["device_class"] == BinarySensorDeviceClass.PROBLEM
    assert overdue.attributes["due"] == "2026-12-01"
    done = state_of(hass, DONE)
    assert done.state == STATE_UNKNOWN
    assert done.attributes["friendly_name"] == "Living room heat pump Descale tank done"
    # One device: the heat pump's.
    device_ids = {
        entity_registry.async_get(entity_id).device_id  # type: ignore[union-attr]
        for entity_id in (DUE, OVERDUE, DONE, FILTER_DUE)
    }
    assert len(device_ids) == 1

    items = await todo_items(hass)
    assert [(i["uid"], i["summary"], i["status"], i["due"]) for i in items] == [
        (KEY, NAME, "needs_action", "2026-12-01"),
        ("filter", "Filter change", "needs_action", "2026-12-30"),
        ("service", "Professional service", "needs_action", "2027-03-15"),
    ]
    assert items[0]["description"] == (
        "Every 30 d · last done 2026-11-01 · key: descale_tank"
    )
    assert await _calendar(
        hass, "2026-11-22T00:00:00+01:00", "2027-01-15T00:00:00+01:00"
    ) == [
        ("2026-12-01", NAME),
        ("2026-12-30", "Filter change"),
        ("2026-12-31", NAME),
    ]
    calendar = state_of(hass, CALENDAR)
    assert calendar.attributes["message"] == NAME
    assert calendar.attributes["start_time"] == "2026-12-01 00:00:00"

    # Now the menu offers editing and removing, and lists the task with its key.
    menu = await _tasks_menu(hass, entry)
    assert menu["menu_options"] == ["add_task", "edit_task", "remove_task"]
    assert menu["description_placeholders"] == {"tasks": "Descale tank (descale_tank)"}


async def test_add_task_without_date_starts_today(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: ConfigEntry,
) -> None:
    """Without a last-done date the task starts today, stored in the options."""
    entry = init_integration
    await _add(hass, entry, {"task_name": NAME, "task_interval_days": 7})
    assert entry.options["user_tasks"] == [
        {
            "key": KEY,
            "task_name": NAME,
            "task_interval_days": 7,
            "task_runtime_hours": 0,
            "task_last_done": "2026-11-22",
        }
    ]
    assert state_value(hass, DUE) == "2026-11-29"
    # A later reload does not move it.
    await tick_to(hass, freezer, "2026-11-25T10:00:00+01:00")
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert state_value(hass, DUE) == "2026-11-29"


@pytest.mark.parametrize(
    ("user_input", "errors"),
    [
        ({"task_name": "DESCALE TANK"}, {"task_name": "task_name_exists"}),
        ({"task_name": "filter change"}, {"task_name": "task_name_exists"}),
        ({"task_name": "Professional Service"}, {"task_name": "task_name_exists"}),
        ({"task_name": "   "}, {"task_name": "name_empty"}),
        ({"task_name": ""}, {"task_name": "name_empty"}),
        ({"task_last_done": "2026-11-23"}, {"task_last_done": "date_in_future"}),
        ({"task_interval_days": 30.5}, {"task_interval_days": "out_of_range"}),
        ({"task_runtime_hours": 0.5}, {"task_runtime_hours": "out_of_range"}),
    ],
)
async def test_add_task_errors(
    hass: HomeAssistant,
    init_integration: ConfigEntry,
    user_input: dict[str, Any],
    errors: dict[str, str],
) -> None:
    """Wrong input is a form error; nothing is saved until it is corrected."""
    entry = init_integration
    await _add(hass, entry, TASK)
    before = dict(entry.options)
    result = await _open(hass, entry, "add_task")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**TASK, "task_name": "Bleed radiators", **user_input}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "add_task"
    assert result["errors"] == errors
    assert dict(entry.options) == before
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**TASK, "task_name": "Bleed radiators"}
    )
    await _finish(hass, entry, result)
    assert [task["key"] for task in entry.options["user_tasks"]] == [
        KEY,
        "bleed_radiators",
    ]


@pytest.mark.parametrize(
    "user_input",
    [
        {"task_interval_days": 0},
        {"task_interval_days": 1826},
        {"task_runtime_hours": -1},
        {"task_runtime_hours": 10001},
    ],
)
async def test_add_task_range_is_the_selectors(
    hass: HomeAssistant, init_integration: ConfigEntry, user_input: dict[str, Any]
) -> None:
    """An interval or runtime limit outside its selector's range is refused."""
    result = await _open(hass, init_integration, "add_task")
    with pytest.raises(InvalidData) as err:
        await hass.config_entries.options.async_configure(
            result["flow_id"], {**TASK, **user_input}
        )
    assert set(err.value.schema_errors) == set(user_input)


async def test_same_slug_gets_distinct_keys(
    hass: HomeAssistant,
    init_integration: ConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A slug taken by a task (own or built-in) gets _2, _3…; labels show keys."""
    entry = init_integration
    for name in (NAME, "Descale-tank!", "Descale: tank", "Filter", "Service"):
        await _add(hass, entry, {**TASK, "task_name": name})
    keys = {task["task_name"]: task["key"] for task in entry.options["user_tasks"]}
    assert keys == {
        NAME: KEY,
        "Descale-tank!": "descale_tank_2",
        "Descale: tank": "descale_tank_3",
        "Filter": "filter_2",
        "Service": "service_2",
    }
    for key in keys.values():
        assert None not in _entity_ids(entity_registry, key)
    # The built-in filter's entities are still its own.
    assert state_value(hass, FILTER_DUE) == "2026-12-30"
    assert (
        entity_registry.async_get_entity_id("sensor", DOMAIN, f"{ENTRY_ID}_filter_due")
        == FILTER_DUE
    )
    uids = [item["uid"] for item in await todo_items(hass)]
    assert sorted(uids) == sorted(["filter", "service", *keys.values()])
    menu = await _tasks_menu(hass, entry)
    assert menu["description_placeholders"] == {
        "tasks": "Descale tank (descale_tank), Descale-tank! (descale_tank_2), "
        "Descale: tank (descale_tank_3), Filter (filter_2), Service (service_2)"
    }
    result = await _open(hass, entry, "edit_task")
    assert _labels(result, "task") == [
        {"value": key, "label": f"{name} ({key})"} for name, key in keys.items()
    ]
    result = await _open(hass, entry, "remove_task")
    assert _labels(result, "tasks") == [
        {"value": key, "label": f"{name} ({key})"} for name, key in keys.items()
    ]


async def test_name_without_letters_gets_the_fallback_key(
    hass: HomeAssistant, init_integration: ConfigEntry
) -> None:
    """A name that makes no slug is keyed "task", "task_2"…"""
    entry = init_integration
    for name in ("!!!", "?"):
        await _add(hass, entry, {**TASK, "task_name": name})
    assert [task["key"] for task in entry.options["user_tasks"]] == ["task", "task_2"]


# ------------------------------------------------- like the filter: due


async def test_overdue_at_local_midnight(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: ConfigEntry,
    issue_registry: ir.IssueRegistry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """At the due date's local midnight: problem on, repair, due event once."""
    entry = init_integration
    await _add(hass, entry, TASK)
    events = async_capture_events(hass, EVENT_DUE)
    await tick_to(hass, freezer, "2026-11-30T23:59:59+01:00")
    assert state_value(hass, OVERDUE) == STATE_OFF
    assert issue_registry.async_get_issue(DOMAIN, ISSUE) is None
    assert events == []
    await tick_to(hass, freezer, "2026-12-01T00:00:00+01:00")
    assert state_value(hass, OVERDUE) == STATE_ON
    issue = issue_registry.async_get_issue(DOMAIN, ISSUE)
    assert issue is not None
    assert issue.translation_key == "user_task_overdue"
    assert issue.translation_placeholders == {
        "name": "Living room heat pump",
        "due": "2026-12-01",
        "task": NAME,
    }
    assert issue.is_fixable
    assert issue.severity is ir.IssueSeverity.WARNING
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, ENTRY_ID), ENTRY_ID
    )
    assert device is not None
    assert [event.data for event in events] == [
        {
            "config_entry_id": ENTRY_ID,
            "device_id": device.id,
            "task": KEY,
            "due": "2026-12-01",
            "task_name": NAME,
        }
    ]
    event = attrs_of(hass, "event.living_room_heat_pump_maintenance_due")
    assert event["event_type"] == "due"
    assert (event["task"], event["due"], event["task_name"]) == (
        KEY,
        "2026-12-01",
        NAME,
    )
    calendar = state_of(hass, CALENDAR)
    assert calendar.state == STATE_ON
    assert calendar.attributes["message"] == NAME
    # Once, also over a day and a reload.
    await tick_to(hass, freezer, "2026-12-02T00:00:00+01:00")
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await tick_to(hass, freezer, "2026-12-03T00:00:00+01:00")
    assert len(events) == 1
    assert state_value(hass, OVERDUE) == STATE_ON
    assert issue_registry.async_get_issue(DOMAIN, ISSUE) is not None


async def test_repair_fix_flow_marks_done(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: ConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """The repair's "done" marks the own task done; "later" snoozes it."""
    assert await async_setup_component(hass, "repairs", {})
    await _add(hass, init_integration, TASK)
    await tick_to(hass, freezer, "2026-12-02T09:00:00+01:00")
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": ISSUE})
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["confirm", "snooze"]
    assert result["description_placeholders"] == {
        "name": "Living room heat pump",
        "due": "2026-12-01",
        "task": NAME,
    }
    result = await manager.async_configure(
        result["flow_id"], {"next_step_id": "snooze"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, ISSUE) is None
    assert state_value(hass, DUE) == "2026-12-09"
    await tick_to(hass, freezer, "2026-12-09T09:00:00+01:00")
    result = await manager.async_init(DOMAIN, data={"issue_id": ISSUE})
    result = await manager.async_configure(
        result["flow_id"], {"next_step_id": "confirm"}
    )
    result = await manager.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, ISSUE) is None
    assert state_value(hass, DUE) == "2027-01-08"
    assert history_of(hass, KEY) == [{"date": "2026-12-09", "source": "repair"}]


async def test_button_marks_done(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: ConfigEntry,
    issue_registry: ir.IssueRegistry,
    hass_storage: dict[str, Any],
) -> None:
    """Pressing "done": due moves an interval on, the repair goes, history."""
    await _add(hass, init_integration, TASK)
    await tick_to(hass, freezer, "2026-12-05T08:00:00+01:00")
    assert issue_registry.async_get_issue(DOMAIN, ISSUE) is not None
    filter_issue = f"filter_overdue_{ENTRY_ID}"
    await tick_to(hass, freezer, "2026-12-30T08:00:00+01:00")
    assert issue_registry.async_get_issue(DOMAIN, filter_issue) is not None
    await hass.services.async_call(
        "button", "press", {"entity_id": DONE}, blocking=True
    )
    await hass.async_block_till_done()
    assert state_value(hass, DUE) == "2027-01-29"
    assert attrs_of(hass, DUE)["last_done"] == "2026-12-30"
    assert state_value(hass, OVERDUE) == STATE_OFF
    assert issue_registry.async_get_issue(DOMAIN, ISSUE) is None
    # Only this task: the filter is still overdue.
    assert issue_registry.async_get_issue(DOMAIN, filter_issue) is not None
    assert state_value(hass, FILTER_DUE) == "2026-12-30"
    assert history_of(hass, KEY) == [{"date": "2026-12-30", "source": "button"}]
    assert stored_maintenance(hass_storage)["last_done"][KEY] == "2026-12-30"
    assert await maintenance_history(hass, task=KEY) == [
        {"task": KEY, "date": "2026-12-30", "note": None, "source": "button"}
    ]
    # The calendar's logbook shows it under the task's name.
    assert (
        "2026-12-30",
        f"{NAME} done",
    ) in await _calendar(hass, "2026-12-30T00:00:00+01:00", "2026-12-31T00:00:00+01:00")


async def test_todo_tick_and_untick(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: ConfigEntry,
) -> None:
    """Ticking the item marks the task done; un-ticking the same day undoes."""
    await _add(hass, init_integration, TASK)
    await tick_to(hass, freezer, "2026-12-03T08:00:00+01:00")
    assert state_value(hass, OVERDUE) == STATE_ON
    await update_todo_item(hass, KEY, status="completed")
    item = todo_item(await todo_items(hass), KEY)
    assert (item["status"], item["due"]) == ("completed", "2027-01-02")
    assert item["description"] == (
        "Every 30 d · last done 2026-12-03 · key: descale_tank · history: 2026-12-03"
    )
    assert state_value(hass, DUE) == "2027-01-02"
    assert state_value(hass, OVERDUE) == STATE_OFF
    assert history_of(hass, KEY) == [{"date": "2026-12-03", "source": "todo"}]
    await update_todo_item(hass, KEY, status="needs_action")
    assert state_value(hass, DUE) == "2026-12-01"
    assert state_value(hass, OVERDUE) == STATE_ON
    assert history_of(hass, KEY) == []
    # By its name as well.
    await update_todo_item(hass, NAME, status="completed")
    assert history_of(hass, KEY) == [{"date": "2026-12-03", "source": "todo"}]
    await tick_to(hass, freezer, "2026-12-04T00:00:01+01:00")
    item = todo_item(await todo_items(hass), KEY)
    assert (item["status"], item["due"]) == ("needs_action", "2027-01-02")


async def test_services_accept_the_key(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: ConfigEntry,
    issue_registry: ir.IssueRegistry,
    hass_storage: dict[str, Any],
) -> None:
    """mark_maintenance_done, snooze_maintenance, get_maintenance_history."""
    await _add(hass, init_integration, TASK)
    await tick_to(hass, freezer, "2026-12-02T08:00:00+01:00")
    assert issue_registry.async_get_issue(DOMAIN, ISSUE) is not None
    await snooze(hass, task=KEY, days=10)
    assert state_value(hass, DUE) == "2026-12-12"
    assert attrs_of(hass, DUE)["snoozed_until"] == "2026-12-12"
    assert state_value(hass, OVERDUE) == STATE_OFF
    assert issue_registry.async_get_issue(DOMAIN, ISSUE) is None
    assert stored_maintenance(hass_storage)["snoozed"] == {KEY: "2026-12-12"}
    assert todo_item(await todo_items(hass), KEY)["due"] == "2026-12-12"
    # Moving the item's due date in the list is a snooze as well.
    await hass.services.async_call(
        "todo",
        "update_item",
        {"item": KEY, "due_date": "2026-12-20"},
        target={"entity_id": TODO},
        blocking=True,
    )
    assert state_value(hass, DUE) == "2026-12-20"
    await snooze(hass, task=KEY, until="2026-12-15")
    assert state_value(hass, DUE) == "2026-12-15"
    await tick_to(hass, freezer, "2026-12-15T00:00:00+01:00")
    assert state_value(hass, OVERDUE) == STATE_ON
    assert issue_registry.async_get_issue(DOMAIN, ISSUE) is not None
    # Back-filled with a note: the snooze ends.
    await mark_done(hass, task=KEY, date="2026-12-10", note="New anode")
    assert state_value(hass, DUE) == "2027-01-09"
    assert "snoozed_until" not in attrs_of(hass, DUE)
    assert issue_registry.async_get_issue(DOMAIN, ISSUE) is None
    assert await maintenance_history(hass, task=KEY) == [
        {"task": KEY, "date": "2026-12-10", "note": "New anode", "source": "service"}
    ]
    with pytest.raises(ServiceValidationError) as err:
        await mark_done(hass, task=KEY, date="2026-12-16")
    assert err.value.translation_key == "date_in_future"


# ----------------------------------------------------------- runtime limit


async def test_runtime_limit_makes_it_due_earlier(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: ConfigEntry,
    devices: FakeThermostat,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Counted from the thermostat: projected earlier, due today at the limit."""
    await _add(
        hass,
        init_integration,
        {**TASK, "task_last_done": "2026-11-22", "task_runtime_hours": 10},
    )
    assert init_integration.options["user_tasks"][0]["task_runtime_hours"] == 10
    assert state_value(hass, DUE) == "2026-12-22"
    attrs = attrs_of(hass, DUE)
    assert attrs["runtime_limit_hours"] == 10
    assert attrs["runtime_hours_left"] == 10.0
    await heat_until(hass, freezer, devices, "2026-11-22T12:00:00+01:00")
    assert attrs_of(hass, DUE)["runtime_hours_left"] == 8.0
    assert (
        "runtime limit 10 h, 8 h left"
        in todo_item(await todo_items(hass), KEY)["description"]
    )
    # No average yet: still the calendar date.
    assert state_value(hass, DUE) == "2026-12-22"
    # The next day: 2 h a day on average, 8 h left: due in 4 days.
    await tick_to(hass, freezer, "2026-11-23T00:00:01+01:00")
    assert state_value(hass, DUE) == "2026-11-27"
    assert state_value(hass, OVERDUE) == STATE_OFF
    # Running on: once the limit is reached the task is due today.
    events = async_capture_events(hass, EVENT_DUE)
    await heat_until(hass, freezer, devices, "2026-11-23T08:05:00+01:00")
    assert attrs_of(hass, DUE)["runtime_hours_left"] == 0.0
    assert state_value(hass, DUE) == "2026-11-23"
    assert state_value(hass, OVERDUE) == STATE_ON
    assert todo_item(await todo_items(hass), KEY)["due"] == "2026-11-23"
    # The repair and the due event follow at the next day change (see
    # test_runtime_limit_reached_raises_repair_and_event_at_once).
    await tick_to(hass, freezer, "2026-11-24T00:00:01+01:00")
    assert state_value(hass, DUE) == "2026-11-24"
    assert issue_registry.async_get_issue(DOMAIN, ISSUE) is not None
    assert [(e.data["task"], e.data["task_name"]) for e in events] == [(KEY, NAME)]
    # Done: counting starts again from zero.
    await hass.services.async_call(
        "button", "press", {"entity_id": DONE}, blocking=True
    )
    await hass.async_block_till_done()
    assert attrs_of(hass, DUE)["runtime_hours_left"] == 10.0
    assert state_value(hass, OVERDUE) == STATE_OFF
    assert issue_registry.async_get_issue(DOMAIN, ISSUE) is None
    # The filter (no limit) kept its calendar date.
    assert state_value(hass, FILTER_DUE) == "2026-12-30"


async def test_runtime_limit_reached_raises_repair_and_event_at_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: ConfigEntry,
    devices: FakeThermostat,
    issue_registry: ir.IssueRegistry,
) -> None:
    """When the limit is reached the task is overdue on every surface at once."""
    await _add(
        hass,
        init_integration,
        {**TASK, "task_last_done": "2026-11-22", "task_runtime_hours": 2},
    )
    events = async_capture_events(hass, EVENT_DUE)
    await heat_until(hass, freezer, devices, "2026-11-22T12:05:00+01:00")
    assert state_value(hass, DUE) == "2026-11-22"
    assert state_value(hass, OVERDUE) == STATE_ON
    issue = issue_registry.async_get_issue(DOMAIN, ISSUE)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["due"] == "2026-11-22"
    assert [(e.data["task"], e.data["due"]) for e in events] == [(KEY, "2026-11-22")]


# -------------------------------------------------------------------- edit


async def test_rename_keeps_key_and_entities(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: ConfigEntry,
    entity_registry: er.EntityRegistry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A new name: the same key, unique IDs, entity IDs and history."""
    entry = init_integration
    await _add(hass, entry, TASK)
    await tick_to(hass, freezer, "2026-12-02T08:00:00+01:00")
    await mark_done(hass, task=KEY, date="2026-11-25")
    await tick_to(hass, freezer, "2026-12-30T08:00:00+01:00")
    assert state_value(hass, OVERDUE) == STATE_ON
    result = await _open(hass, entry, "edit_task")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"task": KEY}
    )
    assert result["description_placeholders"] == {"task": NAME, "key": KEY}
    assert _suggested(result) == TASK
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**TASK, "task_name": "Descale the boiler"}
    )
    await _finish(hass, entry, result)
    assert entry.options["user_tasks"] == [
        {"key": KEY, **TASK, "task_name": "Descale the boiler"}
    ]
    assert _entity_ids(entity_registry, KEY) == [DUE, OVERDUE, DONE]
    assert state_of(hass, DUE).attributes["friendly_name"] == (
        "Living room heat pump Descale the boiler due"
    )
    assert state_of(hass, OVERDUE).attributes["friendly_name"] == (
        "Living room heat pump Descale the boiler overdue"
    )
    assert state_of(hass, DONE).attributes["friendly_name"] == (
        "Living room heat pump Descale the boiler done"
    )
    # What was recorded under the key stays: the completion of 25 November.
    assert state_value(hass, DUE) == "2026-12-25"
    assert history_of(hass, KEY) == [{"date": "2026-11-25", "source": "service"}]
    item = todo_item(await todo_items(hass), KEY)
    assert item["summary"] == "Descale the boiler"
    issue = issue_registry.async_get_issue(DOMAIN, ISSUE)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["task"] == "Descale the boiler"
    # Its own name in another case is fine; another task's is not.
    result = await _edit(hass, entry, KEY, {"task_name": "DESCALE THE BOILER"})
    await _finish(hass, entry, result)
    await _add(hass, entry, {**TASK, "task_name": "Bleed radiators"})
    result = await _edit(hass, entry, KEY, {"task_name": "bleed radiators"})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"task_name": "task_name_exists"}
    result = await _edit(hass, entry, KEY, {"task_name": "Filter change"})
    assert result["errors"] == {"task_name": "task_name_exists"}
    result = await _edit(hass, entry, KEY, {"task_last_done": "2026-12-31"})
    assert result["errors"] == {"task_last_done": "date_in_future"}
    assert [t["key"] for t in entry.options["user_tasks"]] == [KEY, "bleed_radiators"]


async def test_edit_interval_and_last_done(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: ConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """A new interval moves the due date; a new date re-seeds the task."""
    entry = init_integration
    await _add(hass, entry, TASK)
    await snooze(hass, task=KEY, days=3)
    assert state_value(hass, DUE) == "2026-11-25"
    # Only the interval: the snooze stays (as for the built-in tasks).
    result = await _edit(hass, entry, KEY, {"task_interval_days": 60})
    await _finish(hass, entry, result)
    assert entry.options["user_tasks"][0]["task_interval_days"] == 60
    assert attrs_of(hass, DUE)["interval_days"] == 60
    assert state_value(hass, DUE) == "2026-11-25"
    await mark_done(hass, task=KEY, date="2026-11-10")
    assert state_value(hass, DUE) == "2027-01-09"
    result = await _edit(hass, entry, KEY, {"task_interval_days": 14})
    await _finish(hass, entry, result)
    assert state_value(hass, DUE) == "2026-11-24"
    # A new last-done date replaces the recorded one and ends a snooze.
    await snooze(hass, task=KEY, days=20)
    result = await _edit(hass, entry, KEY, {"task_last_done": "2026-11-20"})
    await _finish(hass, entry, result)
    assert entry.options["user_tasks"][0]["task_last_done"] == "2026-11-20"
    assert state_value(hass, DUE) == "2026-12-04"
    attrs = attrs_of(hass, DUE)
    assert attrs["last_done"] == "2026-11-20"
    assert "snoozed_until" not in attrs
    # The history keeps the completion.
    assert history_of(hass, KEY) == [{"date": "2026-11-10", "source": "service"}]
    # The new seed is written shortly after the reload.
    await tick_to(hass, freezer, "2026-11-22T10:01:00+01:00")
    assert stored_maintenance(hass_storage)["seeds"][KEY] == "2026-11-20"
    assert stored_maintenance(hass_storage)["last_done"][KEY] == "2026-11-20"
    # An edit that leaves the date empty keeps the date the task had.
    result = await _open(hass, entry, "edit_task")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"task": KEY}
    )
    cleared = {k: v for k, v in _suggested(result).items() if k != "task_last_done"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], cleared
    )
    await _finish(hass, entry, result)
    assert entry.options["user_tasks"][0]["task_last_done"] == "2026-11-20"
    assert state_value(hass, DUE) == "2026-12-04"


async def test_edit_runtime_limit(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: ConfigEntry,
    devices: FakeThermostat,
    hass_storage: dict[str, Any],
) -> None:
    """A limit given later counts from the last completion; 0 stops counting."""
    entry = init_integration
    await _add(hass, entry, TASK)
    await heat_until(hass, freezer, devices, "2026-11-22T12:00:00+01:00")
    assert "runtime_limit_hours" not in attrs_of(hass, DUE)
    result = await _edit(hass, entry, KEY, {"task_runtime_hours": 10})
    await _finish(hass, entry, result)
    # Done on 1 November: today's 2 h of running count.
    attrs = attrs_of(hass, DUE)
    assert (attrs["runtime_limit_hours"], attrs["runtime_hours_left"]) == (10, 8.0)
    assert state_value(hass, DUE) == "2026-12-01"
    result = await _edit(hass, entry, KEY, {"task_runtime_hours": 0})
    await _finish(hass, entry, result)
    assert "runtime_limit_hours" not in attrs_of(hass, DUE)
    await tick_to(hass, freezer, "2026-11-22T12:01:00+01:00")
    assert KEY not in stored_maintenance(hass_storage)["runtime"]["task_seconds"]


async def test_edit_of_a_task_removed_meanwhile_adds_nothing(
    hass: HomeAssistant, init_integration: ConfigEntry
) -> None:
    """Saving the edit form of a task removed in another window aborts."""
    entry = init_integration
    await _add(hass, entry, TASK)
    result = await _open(hass, entry, "edit_task")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"task": KEY}
    )
    assert result["step_id"] == "edit_task_details"
    await _remove(hass, entry, KEY)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**TASK, "task_name": "Descale the boiler"}
    )
    assert entry.options["user_tasks"] == []
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "task_removed"


# ------------------------------------------------------------------ remove


async def test_remove_task_leaves_no_trace(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    init_integration: ConfigEntry,
    devices: FakeThermostat,
    entity_registry: er.EntityRegistry,
    issue_registry: ir.IssueRegistry,
    hass_storage: dict[str, Any],
) -> None:
    """Entities, repair, snooze, history and runtime count go with the task."""
    entry = init_integration
    await _add(hass, entry, {**TASK, "task_runtime_hours": 100})
    await _add(hass, entry, {**TASK, "task_name": "Bleed radiators"})
    other = "bleed_radiators"
    # Give the task everything that is stored about a task.
    await heat_until(hass, freezer, devices, "2026-11-22T11:00:00+01:00")
    await hass.services.async_call(
        "button", "press", {"entity_id": DONE}, blocking=True
    )
    await snooze(hass, task=KEY, until="2026-11-23")
    await tick_to(hass, freezer, "2026-11-23T00:00:00+01:00")
    await mark_done(hass, task=other, note="All of them")
    assert issue_registry.async_get_issue(DOMAIN, ISSUE) is not None
    assert _traces(stored_maintenance(hass_storage), KEY) == {
        "last_done": True,
        "seeds": True,
        "snoozed": True,
        "notified_due": True,
        "undo": False,  # forgotten at midnight
        "history": True,
        "task_seconds": True,
    }
    assert None not in _entity_ids(entity_registry, KEY)

    await _remove(hass, entry, KEY)
    assert entry.options["user_tasks"] == [
        {"key": other, **TASK, "task_name": "Bleed radiators"}
    ]
    assert _entity_ids(entity_registry, KEY) == [None, None, None]
    for entity_id in (DUE, OVERDUE, DONE):
        assert hass.states.get(entity_id) is None
    assert None not in _entity_ids(entity_registry, other)
    assert issue_registry.async_get_issue(DOMAIN, ISSUE) is None
    assert [item["uid"] for item in await todo_items(hass)] == [
        other,
        "filter",
        "service",
    ]
    summaries = {
        summary
        for _, summary in await _calendar(
            hass, "2026-11-01T00:00:00+01:00", "2027-12-01T00:00:00+01:00"
        )
    }
    assert not {NAME, f"{NAME} done"} & summaries
    assert "Bleed radiators done" in summaries
    # The state is written shortly after the reload.
    await tick_to(hass, freezer, "2026-11-23T00:01:00+01:00")
    stored = stored_maintenance(hass_storage)
    assert not any(_traces(stored, KEY).values())
    assert KEY not in str(stored)
    assert _traces(stored, other)["history"]
    assert history_of(hass, other) == [{"date": "2026-11-23", "source": "service"}]
    # The services no longer know the key.
    for service, data in (
        ("mark_maintenance_done", {"task": KEY}),
        ("snooze_maintenance", {"task": KEY, "days": 7}),
    ):
        with pytest.raises(ServiceValidationError) as err:
            await call_service(hass, service, **data)
        assert err.value.translation_key == "unknown_task"
        assert err.value.translation_placeholders == {
            "task": KEY,
            "tasks": "filter, service, bleed_radiators",
        }
    with pytest.raises(ServiceValidationError) as err:
        await maintenance_history(hass, task=KEY)
    assert err.value.translation_key == "unknown_task"
    # Nor does a restart bring anything back.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert _entity_ids(entity_registry, KEY) == [None, None, None]
    assert issue_registry.async_get_issue(DOMAIN, ISSUE) is None


async def test_removed_key_can_be_added_again_fresh(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: ConfigEntry,
    entity_registry: er.EntityRegistry,
    hass_storage: dict[str, Any],
) -> None:
    """The same name added after removing gets the same key and starts anew."""
    entry = init_integration
    await _add(hass, entry, TASK)
    await hass.services.async_call(
        "button", "press", {"entity_id": DONE}, blocking=True
    )
    assert todo_item(await todo_items(hass), KEY)["status"] == "completed"
    assert _traces(stored_maintenance(hass_storage), KEY)["undo"]
    await _remove(hass, entry, KEY)
    assert entry.options["user_tasks"] == []
    await tick_to(hass, freezer, "2026-11-22T10:01:00+01:00")
    assert not any(_traces(stored_maintenance(hass_storage), KEY).values())
    await _add(hass, entry, TASK)
    assert entry.options["user_tasks"][0]["key"] == KEY
    assert _entity_ids(entity_registry, KEY) == [DUE, OVERDUE, DONE]
    assert state_value(hass, DUE) == "2026-12-01"
    assert history_of(hass, KEY) == []
    # Not shown as ticked off today: the old completion is gone.
    item = todo_item(await todo_items(hass), KEY)
    assert (item["status"], item["due"]) == ("needs_action", "2026-12-01")


async def test_remove_several(
    hass: HomeAssistant,
    init_integration: ConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Several tasks can be removed at once; picking none removes nothing."""
    entry = init_integration
    for name in ("One", "Two", "Three"):
        await _add(hass, entry, {**TASK, "task_name": name})
    result = await _open(hass, entry, "remove_task")
    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(
            result["flow_id"], {"tasks": ["nope"]}
        )
    await _remove(hass, entry)
    assert [t["key"] for t in entry.options["user_tasks"]] == ["one", "two", "three"]
    await _remove(hass, entry, "one", "three")
    assert [t["key"] for t in entry.options["user_tasks"]] == ["two"]
    assert _entity_ids(entity_registry, "one") == [None, None, None]
    assert _entity_ids(entity_registry, "three") == [None, None, None]
    assert None not in _entity_ids(entity_registry, "two")


# --------------------------------------------------------- no tasks left


async def test_edit_and_remove_abort_without_tasks(
    hass: HomeAssistant, init_integration: ConfigEntry
) -> None:
    """A menu opened while tasks existed: once they are gone, both steps abort."""
    entry = init_integration
    await _add(hass, entry, TASK)
    stale_edit = await _tasks_menu(hass, entry)
    stale_remove = await _tasks_menu(hass, entry)
    assert stale_edit["menu_options"] == ["add_task", "edit_task", "remove_task"]
    await _remove(hass, entry, KEY)
    for menu, step in ((stale_edit, "edit_task"), (stale_remove, "remove_task")):
        result = await hass.config_entries.options.async_configure(
            menu["flow_id"], {"next_step_id": step}
        )
        assert result["type"] is FlowResultType.ABORT
        assert result["reason"] == "no_tasks"
    # A menu opened now offers adding only; the other steps cannot be picked.
    menu = await _tasks_menu(hass, entry)
    assert menu["menu_options"] == ["add_task"]
    assert menu["description_placeholders"] == {"tasks": "-"}
    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(
            menu["flow_id"], {"next_step_id": "edit_task"}
        )
