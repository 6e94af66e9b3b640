"""Maintenance history with notes, snoozing, and where both show up.

The services ``mark_maintenance_done`` (with a note),
``get_maintenance_history`` and ``snooze_maintenance``; the to-do list, the
calendar and the overdue repair follow a snooze and show the notes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
import copy
from dataclasses import dataclass
from typing import Any, cast

from freezegun.api import FrozenDateTimeFactory
import probatio as vol
import pytest
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    MockConfigEntry,
    async_capture_events,
    async_test_home_assistant,
)

from homeassistant import loader
from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Event, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component

from .common import (
    DOMAIN,
    ENTRY_ID,
    FakeThermostat,
    attrs_of,
    state_of,
    state_value,
    tick_to,
)

STORAGE_KEY = f"{DOMAIN}.{ENTRY_ID}"
EVENT_DUE = "heat_pump_care_maintenance_due"
FILTER_DUE = "sensor.living_room_heat_pump_filter_change_due"
FILTER_NEEDED = "binary_sensor.living_room_heat_pump_filter_change_needed"
FILTER_BUTTON = "button.living_room_heat_pump_filter_changed"
SERVICE_DUE = "sensor.living_room_heat_pump_next_service_due"
SERVICE_BUTTON = "button.living_room_heat_pump_service_done"
TODO = "todo.living_room_heat_pump_maintenance"
CALENDAR = "calendar.living_room_heat_pump_maintenance_schedule"
FILTER_ISSUE = f"filter_overdue_{ENTRY_ID}"
NAME = "Living room heat pump"


# ------------------------------------------------------------------ helpers


async def _call(hass: HomeAssistant, service: str, **data: Any) -> None:
    """Call one of the integration's services on the heat pump."""
    await hass.services.async_call(
        DOMAIN, service, {"config_entry_id": ENTRY_ID, **data}, blocking=True
    )
    await hass.async_block_till_done()


async def _mark_done(hass: HomeAssistant, **data: Any) -> None:
    await _call(hass, "mark_maintenance_done", **data)


async def _snooze(hass: HomeAssistant, **data: Any) -> None:
    await _call(hass, "snooze_maintenance", **data)


async def _history(hass: HomeAssistant, **data: Any) -> list[dict[str, Any]]:
    """Return the history rows of ``get_maintenance_history``."""
    response = await hass.services.async_call(
        DOMAIN,
        "get_maintenance_history",
        {"config_entry_id": ENTRY_ID, **data},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    assert set(response) == {"history"}
    return cast("list[dict[str, Any]]", response["history"])


def _stored(hass: HomeAssistant, hass_storage: dict[str, Any]) -> tuple[Any, Any]:
    """Return the stored file and the in-memory maintenance state."""
    entry = hass.config_entries.async_get_entry(ENTRY_ID)
    assert entry is not None
    return (
        copy.deepcopy(hass_storage.get(STORAGE_KEY)),
        entry.runtime_data.maintenance.state.to_dict(),
    )


async def _todo_items(hass: HomeAssistant) -> dict[str, dict[str, Any]]:
    """Return the to-do items by uid."""
    response = await hass.services.async_call(
        "todo",
        "get_items",
        {"entity_id": TODO},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    result = cast("dict[str, Any]", response[TODO])
    return {item["uid"]: item for item in result["items"]}


async def _set_todo_due(hass: HomeAssistant, item: str, due: str) -> None:
    await hass.services.async_call(
        "todo",
        "update_item",
        {"item": item, "due_date": due},
        target={"entity_id": TODO},
        blocking=True,
    )
    await hass.async_block_till_done()


async def _calendar(
    hass: HomeAssistant, start: str, end: str
) -> list[tuple[str, str, str, str]]:
    """Return (start, end, summary, description) of the calendar's events."""
    response = await hass.services.async_call(
        "calendar",
        "get_events",
        {"entity_id": CALENDAR, "start_date_time": start, "end_date_time": end},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    result = cast("dict[str, Any]", response[CALENDAR])
    return [
        (event["start"], event["end"], event["summary"], event["description"])
        for event in result["events"]
    ]


def _due_events(events: list[Event]) -> list[tuple[str, str]]:
    return [(event.data["task"], event.data["due"]) for event in events]


@pytest.fixture
async def saved(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> dict[str, Any]:
    """Set up the heat pump and let it write its configured dates (after 10 s)."""
    await tick_to(hass, freezer, "2026-11-22T10:00:10+01:00")
    assert STORAGE_KEY in hass_storage
    return hass_storage


@dataclass
class SecondInstance:
    """A Home Assistant started after the first one stopped."""

    hass: HomeAssistant
    due_events: list[Event]


@asynccontextmanager
async def _restart(
    first: HomeAssistant,
    options: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    start_at: str,
) -> AsyncIterator[SecondInstance]:
    """Stop ``first``; start a second instance on the same storage at ``start_at``."""
    await first.async_stop(force=True)
    for entry in first.config_entries.async_entries(DOMAIN):
        if entry.state is ConfigEntryState.LOADED:
            assert await first.config_entries.async_unload(entry.entry_id)
    freezer.move_to(start_at)
    async with async_test_home_assistant(config_dir=first.config.config_dir) as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
        await hass.config.async_set_time_zone("Europe/Amsterdam")
        assert await async_setup_component(
            hass, "input_boolean", {"input_boolean": {"breaker": {"initial": True}}}
        )
        assert await async_setup_component(
            hass, "input_text", {"input_text": {"error_code": {"initial": ""}}}
        )
        FakeThermostat(hass)
        events = async_capture_events(hass, EVENT_DUE)
        entry = MockConfigEntry(
            domain=DOMAIN, title=NAME, data={}, options=options, entry_id=ENTRY_ID
        )
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        try:
            yield SecondInstance(hass, events)
        finally:
            assert await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_block_till_done()
            await hass.async_stop(force=True)


# -------------------------------------------------------- the history service


@pytest.mark.usefixtures("init_integration")
async def test_history_is_empty_before_anything_is_done(hass: HomeAssistant) -> None:
    """The configured dates are not completions: the history starts empty."""
    assert await _history(hass) == []


@pytest.mark.usefixtures("init_integration")
async def test_note_is_kept_with_the_completion(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """A note (trimmed) is returned by the history and stored with the completion."""
    await _mark_done(hass, task="filter", date="2026-11-20", note="  MERV 11, 16x25  ")
    assert await _history(hass) == [
        {
            "task": "filter",
            "date": "2026-11-20",
            "note": "MERV 11, 16x25",
            "source": "service",
        }
    ]
    stored = hass_storage[STORAGE_KEY]["data"]["maintenance"]["history"]
    assert stored[-1]["note"] == "MERV 11, 16x25"
    assert state_value(hass, FILTER_DUE) == "2027-02-18"
    # Blank is no note; exactly 500 characters are kept whole.
    await _mark_done(hass, task="service", note="   ")
    await _mark_done(hass, task="filter", note="x" * 500)
    assert [row["note"] for row in await _history(hass)] == [
        "x" * 500,
        None,
        "MERV 11, 16x25",
    ]


@pytest.mark.usefixtures("init_integration")
async def test_every_source_is_named_newest_first(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Service, button, to-do list and repair each record their own source."""
    assert await async_setup_component(hass, "repairs", {})
    await _mark_done(hass, task="service", date="2026-11-01", note="Yearly check")
    freezer.tick(60)
    await hass.services.async_call(
        "button", "press", {"entity_id": SERVICE_BUTTON}, blocking=True
    )
    freezer.tick(60)
    await hass.services.async_call(
        "todo",
        "update_item",
        {"item": "filter", "status": "completed"},
        target={"entity_id": TODO},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert state_value(hass, FILTER_DUE) == "2027-02-20"
    await tick_to(hass, freezer, "2027-02-20T08:00:00+01:00")
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": FILTER_ISSUE})
    result = await manager.async_configure(
        result["flow_id"], {"next_step_id": "confirm"}
    )
    result = await manager.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert await _history(hass) == [
        {"task": "filter", "date": "2027-02-20", "note": None, "source": "repair"},
        {"task": "filter", "date": "2026-11-22", "note": None, "source": "todo"},
        {"task": "service", "date": "2026-11-22", "note": None, "source": "button"},
        {
            "task": "service",
            "date": "2026-11-01",
            "note": "Yearly check",
            "source": "service",
        },
    ]


@pytest.mark.usefixtures("init_integration")
async def test_history_by_task_and_limit(hass: HomeAssistant) -> None:
    """A task narrows the history; the limit caps it (20 when not given)."""
    days = [f"2026-10-{day:02d}" for day in range(2, 24)]  # 22 filter changes
    for day in days:
        await _mark_done(hass, task="filter", date=day)
    await _mark_done(hass, task="service", date="2026-11-01", note="Yearly check")
    everything = await _history(hass)
    assert len(everything) == 20
    assert everything[0] == {
        "task": "service",
        "date": "2026-11-01",
        "note": "Yearly check",
        "source": "service",
    }
    assert [row["date"] for row in everything[1:]] == days[::-1][:19]
    filters = await _history(hass, task="filter", limit=100)
    assert [row["date"] for row in filters] == days[::-1]
    assert {row["task"] for row in filters} == {"filter"}
    assert await _history(hass, task="service") == everything[:1]
    assert await _history(hass, limit=3) == everything[:3]
    assert await _history(hass, task="filter", limit=1.0) == everything[1:2]


@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize("limit", [0, 1001, 2.5, -1])
async def test_history_limit_out_of_bounds(hass: HomeAssistant, limit: float) -> None:
    """A limit outside 1..1000 or not whole is refused by the schema."""
    with pytest.raises(vol.Invalid):
        await _history(hass, limit=limit)


@pytest.mark.usefixtures("init_integration")
async def test_history_of_an_unknown_task(hass: HomeAssistant) -> None:
    """Asking for a task the heat pump does not know is a translated error."""
    with pytest.raises(ServiceValidationError) as err:
        await _history(hass, task="gutter")
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "unknown_task"
    assert err.value.translation_placeholders == {
        "task": "gutter",
        "tasks": "filter, service",
    }


async def test_history_and_snooze_survive_a_restart(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    options: dict[str, Any],
) -> None:
    """Notes, sources and a snooze are all there after Home Assistant restarts."""
    await _mark_done(hass, task="filter", date="2026-11-20", note="MERV 11")
    await hass.services.async_call(
        "button", "press", {"entity_id": SERVICE_BUTTON}, blocking=True
    )
    await _snooze(hass, task="filter", until="2027-03-01")
    before = await _history(hass)
    assert len(before) == 2
    async with _restart(hass, options, freezer, "2026-11-25T09:00:00+01:00") as second:
        assert await _history(second.hass) == before
        assert state_value(second.hass, FILTER_DUE) == "2027-03-01"
        assert attrs_of(second.hass, FILTER_DUE)["snoozed_until"] == "2027-03-01"
        assert attrs_of(second.hass, FILTER_DUE)["last_done"] == "2026-11-20"
        assert state_value(second.hass, SERVICE_DUE) == "2027-11-22"
        # Nothing is due at start: the original date (2027-02-18) was moved.
        await tick_to(second.hass, freezer, "2027-02-18T00:00:00+01:00")
        assert state_value(second.hass, FILTER_NEEDED) == STATE_OFF
        assert second.due_events == []
        await tick_to(second.hass, freezer, "2027-03-01T00:00:00+01:00")
        assert state_value(second.hass, FILTER_NEEDED) == STATE_ON
        assert _due_events(second.due_events) == [("filter", "2027-03-01")]


# --------------------------------------------------- mark done refusals


@pytest.mark.parametrize(
    ("data", "key", "placeholders"),
    [
        (
            {"task": "filter", "note": "x" * 501},
            "note_too_long",
            {"length": "501", "max": "500"},
        ),
        (
            {"task": "gutter", "note": "Cleaned"},
            "unknown_task",
            {"task": "gutter", "tasks": "filter, service"},
        ),
        (
            {"task": "filter", "date": "2026-11-23", "note": "Tomorrow"},
            "date_in_future",
            {"date": "2026-11-23"},
        ),
        (
            {"task": "condensate_drain", "note": "Cleaned"},
            "task_not_enabled",
            {"task": "condensate_drain"},
        ),
    ],
    ids=["note_too_long", "unknown_task", "date_in_future", "task_not_enabled"],
)
async def test_mark_done_with_note_refusals_store_nothing(
    hass: HomeAssistant,
    saved: dict[str, Any],
    data: dict[str, Any],
    key: str,
    placeholders: dict[str, str],
) -> None:
    """Bad input is a translated validation error; nothing is stored or shown."""
    before = _stored(hass, saved)
    with pytest.raises(ServiceValidationError) as err:
        await _mark_done(hass, **data)
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == key
    assert err.value.translation_placeholders == placeholders
    assert _stored(hass, saved) == before
    assert await _history(hass) == []
    assert state_value(hass, FILTER_DUE) == "2026-12-30"


SERVICE_CALLS: list[tuple[str, dict[str, Any], bool]] = [
    ("mark_maintenance_done", {"task": "filter", "note": "MERV 11"}, False),
    ("snooze_maintenance", {"task": "filter", "days": 7}, False),
    ("get_maintenance_history", {}, True),
]
SERVICE_IDS = [service for service, _, _ in SERVICE_CALLS]


@pytest.mark.parametrize(
    ("service", "data", "response"), SERVICE_CALLS, ids=SERVICE_IDS
)
async def test_entry_not_found(
    hass: HomeAssistant,
    saved: dict[str, Any],
    service: str,
    data: dict[str, Any],
    response: bool,
) -> None:
    """An id that is not a heat pump gets Home Assistant's own error."""
    other = MockConfigEntry(domain="input_boolean", entry_id="01JNOTAHEATPUMP")
    other.add_to_hass(hass)
    before = _stored(hass, saved)
    for entry_id, key in (
        ("does_not_exist", "service_config_entry_not_found"),
        (other.entry_id, "service_config_entry_wrong_domain"),
    ):
        with pytest.raises(ServiceValidationError) as err:
            await hass.services.async_call(
                DOMAIN,
                service,
                {"config_entry_id": entry_id, **data},
                blocking=True,
                return_response=response,
            )
        assert err.value.translation_domain == "homeassistant"
        assert err.value.translation_key == key
    assert _stored(hass, saved) == before


@pytest.mark.parametrize(
    ("service", "data", "response"), SERVICE_CALLS, ids=SERVICE_IDS
)
async def test_entry_not_loaded(
    hass: HomeAssistant,
    saved: dict[str, Any],
    service: str,
    data: dict[str, Any],
    response: bool,
) -> None:
    """A heat pump that is not loaded gets Home Assistant's own error."""
    assert await hass.config_entries.async_unload(ENTRY_ID)
    await hass.async_block_till_done()
    before = copy.deepcopy(saved[STORAGE_KEY])
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            service,
            {"config_entry_id": ENTRY_ID, **data},
            blocking=True,
            return_response=response,
        )
    assert err.value.translation_domain == "homeassistant"
    assert err.value.translation_key == "service_config_entry_not_loaded"
    assert err.value.translation_placeholders is not None
    assert err.value.translation_placeholders["entry_title"] == NAME
    assert saved[STORAGE_KEY] == before


# ------------------------------------------------------------------ snooze


@pytest.mark.usefixtures("init_integration")
async def test_snooze_moves_the_due_date_everywhere(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
    hass_storage: dict[str, Any],
) -> None:
    """Overdue filter snoozed a week: sensors, to-do, calendar and repair follow."""
    events = async_capture_events(hass, EVENT_DUE)
    await tick_to(hass, freezer, "2026-12-30T00:00:00+01:00")
    assert _due_events(events) == [("filter", "2026-12-30")]
    assert state_value(hass, FILTER_NEEDED) == STATE_ON
    assert issue_registry.async_get_issue(DOMAIN, FILTER_ISSUE) is not None
    await tick_to(hass, freezer, "2026-12-30T09:00:00+01:00")

    await _snooze(hass, task="filter", days=7)

    assert state_value(hass, FILTER_DUE) == "2027-01-06"
    attrs = attrs_of(hass, FILTER_DUE)
    assert attrs["snoozed_until"] == "2027-01-06"
    assert attrs["last_done"] == "2026-10-01"
    assert state_value(hass, FILTER_NEEDED) == STATE_OFF
    assert issue_registry.async_get_issue(DOMAIN, FILTER_ISSUE) is None
    assert hass_storage[STORAGE_KEY]["data"]["maintenance"]["snoozed"] == {
        "filter": "2027-01-06"
    }
    items = await _todo_items(hass)
    assert items["filter"]["due"] == "2027-01-06"
    assert items["filter"]["status"] == "needs_action"
    calendar = state_of(hass, CALENDAR)
    assert calendar.state == STATE_OFF
    assert calendar.attributes["message"] == "Filter change"
    assert calendar.attributes["start_time"] == "2027-01-06 00:00:00"
    assert await _calendar(
        hass, "2026-12-01T00:00:00+01:00", "2027-04-10T00:00:00+02:00"
    ) == [
        ("2027-01-06", "2027-01-07", "Filter change", NAME),
        ("2027-03-15", "2027-03-16", "Professional service", NAME),
        ("2027-04-06", "2027-04-07", "Filter change", NAME),
    ]
    # No completion was recorded.
    assert await _history(hass) == []

    await tick_to(hass, freezer, "2027-01-05T23:59:59+01:00")
    assert state_value(hass, FILTER_NEEDED) == STATE_OFF
    assert issue_registry.async_get_issue(DOMAIN, FILTER_ISSUE) is None
    assert len(events) == 1
    # On the new date at local midnight it is due again, announced once.
    await tick_to(hass, freezer, "2027-01-06T00:00:00+01:00")
    assert state_value(hass, FILTER_NEEDED) == STATE_ON
    issue = issue_registry.async_get_issue(DOMAIN, FILTER_ISSUE)
    assert issue is not None
    assert issue.translation_placeholders == {"name": NAME, "due": "2027-01-06"}
    assert _due_events(events) == [("filter", "2026-12-30"), ("filter", "2027-01-06")]
    assert state_of(hass, CALENDAR).state == STATE_ON
    await tick_to(hass, freezer, "2027-01-07T00:00:00+01:00")
    await tick_to(hass, freezer, "2027-01-08T00:00:00+01:00")
    assert len(events) == 2
    assert state_value(hass, FILTER_DUE) == "2027-01-06"


@pytest.mark.usefixtures("init_integration")
async def test_snooze_until_a_date(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """``until`` moves the due date to that very day (tomorrow is the earliest)."""
    await _snooze(hass, task="service", until="2027-04-01")
    assert state_value(hass, SERVICE_DUE) == "2027-04-01"
    assert attrs_of(hass, SERVICE_DUE)["snoozed_until"] == "2027-04-01"
    assert "snoozed_until" not in attrs_of(hass, FILTER_DUE)
    await _snooze(hass, task="filter", until="2026-11-23")
    assert state_value(hass, FILTER_DUE) == "2026-11-23"
    assert hass_storage[STORAGE_KEY]["data"]["maintenance"]["snoozed"] == {
        "service": "2027-04-01",
        "filter": "2026-11-23",
    }


@pytest.mark.usefixtures("init_integration")
async def test_done_after_a_snooze_counts_from_the_completion(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """Done ends the snooze: due is the done date plus the interval."""
    await tick_to(hass, freezer, "2026-12-30T09:00:00+01:00")
    await _snooze(hass, task="filter", days=7)
    await tick_to(hass, freezer, "2027-01-02T09:00:00+01:00")
    await _mark_done(hass, task="filter", note="Washed")
    assert state_value(hass, FILTER_DUE) == "2027-04-02"
    assert "snoozed_until" not in attrs_of(hass, FILTER_DUE)
    assert attrs_of(hass, FILTER_DUE)["last_done"] == "2027-01-02"
    assert hass_storage[STORAGE_KEY]["data"]["maintenance"]["snoozed"] == {}
    assert (await _todo_items(hass))["filter"]["due"] == "2027-04-02"
    assert state_of(hass, CALENDAR).attributes["start_time"] == "2027-03-15 00:00:00"
    # The old snoozed date passes without anything becoming due.
    await tick_to(hass, freezer, "2027-01-06T00:00:00+01:00")
    assert state_value(hass, FILTER_NEEDED) == STATE_OFF


@pytest.mark.parametrize(
    ("data", "key", "placeholders"),
    [
        (
            {"days": 0},
            "snooze_days_out_of_range",
            {"days": "0", "min": "1", "max": "365"},
        ),
        (
            {"days": 366},
            "snooze_days_out_of_range",
            {"days": "366", "min": "1", "max": "365"},
        ),
        (
            {"days": 2.5},
            "snooze_days_out_of_range",
            {"days": "2.5", "min": "1", "max": "365"},
        ),
        ({"days": 7, "until": "2027-01-15"}, "snooze_days_or_until", None),
        ({}, "snooze_days_or_until", None),
        ({"until": "2026-11-22"}, "snooze_not_future", {"date": "2026-11-22"}),
        ({"until": "2026-10-01"}, "snooze_not_future", {"date": "2026-10-01"}),
        (
            {"task": "condensate_drain", "days": 7},
            "task_not_enabled",
            {"task": "condensate_drain"},
        ),
        (
            {"task": "gutter", "days": 7},
            "unknown_task",
            {"task": "gutter", "tasks": "filter, service"},
        ),
    ],
    ids=[
        "days_0",
        "days_366",
        "days_not_whole",
        "days_and_until",
        "neither",
        "until_today",
        "until_past",
        "task_not_enabled",
        "unknown_task",
    ],
)
async def test_snooze_refusals_store_nothing(
    hass: HomeAssistant,
    saved: dict[str, Any],
    data: dict[str, Any],
    key: str,
    placeholders: dict[str, str] | None,
) -> None:
    """Bad snoozes are translated validation errors; nothing changes."""
    before = _stored(hass, saved)
    with pytest.raises(ServiceValidationError) as err:
        await _snooze(hass, **{"task": "filter", **data})
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == key
    assert err.value.translation_placeholders == placeholders
    assert _stored(hass, saved) == before
    assert state_value(hass, FILTER_DUE) == "2026-12-30"
    assert "snoozed_until" not in attrs_of(hass, FILTER_DUE)


# ------------------------------------------------------------------- to-do


@pytest.mark.usefixtures("init_integration")
async def test_moving_a_todo_due_date_snoozes_the_task(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """A new due date on the item is a snooze: the sensor follows."""
    await _set_todo_due(hass, "filter", "2027-01-10")
    assert state_value(hass, FILTER_DUE) == "2027-01-10"
    assert attrs_of(hass, FILTER_DUE)["snoozed_until"] == "2027-01-10"
    item = (await _todo_items(hass))["filter"]
    assert item["due"] == "2027-01-10"
    assert item["status"] == "needs_action"
    assert hass_storage[STORAGE_KEY]["data"]["maintenance"]["snoozed"] == {
        "filter": "2027-01-10"
    }
    assert await _history(hass) == []
    # By its name, and to an earlier day than the interval's: still a snooze.
    await _set_todo_due(hass, "Professional service", "2027-02-01")
    assert state_value(hass, SERVICE_DUE) == "2027-02-01"


@pytest.mark.usefixtures("init_integration")
async def test_ticking_and_moving_the_date_together_does_both(
    hass: HomeAssistant,
) -> None:
    """Done today, and the next reminder on the date the owner picked."""
    await hass.services.async_call(
        "todo",
        "update_item",
        {"item": "filter", "status": "completed", "due_date": "2027-01-15"},
        target={"entity_id": TODO},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert [row["source"] for row in await _history(hass)] == ["todo"]
    assert state_value(hass, FILTER_DUE) == "2027-01-15"
    assert attrs_of(hass, FILTER_DUE)["snoozed_until"] == "2027-01-15"


async def test_a_refused_date_with_a_tick_records_nothing(
    hass: HomeAssistant, saved: dict[str, Any]
) -> None:
    """A past date is refused before the tick: no completion is recorded."""
    before = _stored(hass, saved)
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            "todo",
            "update_item",
            {"item": "filter", "status": "completed", "due_date": "2026-11-01"},
            target={"entity_id": TODO},
            blocking=True,
        )
    assert _stored(hass, saved) == before
    assert await _history(hass) == []


@pytest.mark.parametrize("due", ["2026-11-22", "2026-11-01"])
async def test_a_past_todo_due_date_is_refused(
    hass: HomeAssistant, saved: dict[str, Any], due: str
) -> None:
    """Today or earlier is refused with snooze_not_future; nothing changes."""
    before = _stored(hass, saved)
    with pytest.raises(ServiceValidationError) as err:
        await _set_todo_due(hass, "filter", due)
    assert err.value.translation_key == "snooze_not_future"
    assert err.value.translation_placeholders == {"date": due}
    assert _stored(hass, saved) == before
    assert (await _todo_items(hass))["filter"]["due"] == "2026-12-30"
    assert state_value(hass, FILTER_DUE) == "2026-12-30"


@pytest.mark.usefixtures("init_integration")
async def test_todo_description_names_the_key_and_the_last_note(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The description tells the task key and the last completion's note."""
    items = await _todo_items(hass)
    assert items["filter"]["description"] == (
        "Every 90 d · last done 2026-10-01 · key: filter"
    )
    assert items["service"]["description"] == (
        "Every 365 d · last done 2026-03-15 · key: service"
    )
    await _mark_done(hass, task="filter", date="2026-11-20", note="MERV 11")
    assert (await _todo_items(hass))["filter"]["description"] == (
        "Every 90 d · last done 2026-11-20 · key: filter · history: 2026-11-20"
        " · note of 2026-11-20: MERV 11"
    )
    # A later completion without a note: only the last one's note is told.
    freezer.tick(60)
    await hass.services.async_call(
        "button", "press", {"entity_id": FILTER_BUTTON}, blocking=True
    )
    await hass.async_block_till_done()
    assert (await _todo_items(hass))["filter"]["description"] == (
        "Every 90 d · last done 2026-11-22 · key: filter"
        " · history: 2026-11-22, 2026-11-20"
    )


# ---------------------------------------------------------------- calendar


@pytest.mark.usefixtures("init_integration")
async def test_completions_are_all_day_events_with_their_note(
    hass: HomeAssistant,
) -> None:
    """Past completions show on their dates as "<task> done" with the note."""
    await _mark_done(hass, task="filter", date="2026-11-20", note="MERV 11")
    await _mark_done(hass, task="service", date="2026-11-01")
    assert await _calendar(
        hass, "2026-11-01T00:00:00+01:00", "2026-12-01T00:00:00+01:00"
    ) == [
        ("2026-11-01", "2026-11-02", "Professional service done", NAME),
        ("2026-11-20", "2026-11-21", "Filter change done", "MERV 11"),
    ]
    # A range within one day holds only that day's completion.
    assert await _calendar(
        hass, "2026-11-20T12:00:00+01:00", "2026-11-20T13:00:00+01:00"
    ) == [("2026-11-20", "2026-11-21", "Filter change done", "MERV 11")]
    # The next due event is still the coming due date, not a completion.
    calendar = state_of(hass, CALENDAR)
    assert calendar.attributes["message"] == "Filter change"
    assert calendar.attributes["start_time"] == "2027-02-18 00:00:00"


# ------------------------------------------------------------------ repair


@pytest.mark.usefixtures("init_integration")
async def test_overdue_repair_remind_me_in_a_week(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
    hass_storage: dict[str, Any],
) -> None:
    """Choosing "snooze" moves the due date a week ahead; the repair comes back."""
    assert await async_setup_component(hass, "repairs", {})
    events = async_capture_events(hass, EVENT_DUE)
    await tick_to(hass, freezer, "2027-01-02T09:00:00+01:00")
    assert issue_registry.async_get_issue(DOMAIN, FILTER_ISSUE) is not None
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": FILTER_ISSUE})
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "init"
    assert result["menu_options"] == ["confirm", "snooze"]
    result = await manager.async_configure(
        result["flow_id"], {"next_step_id": "snooze"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, FILTER_ISSUE) is None
    assert state_value(hass, FILTER_DUE) == "2027-01-09"
    assert attrs_of(hass, FILTER_DUE)["snoozed_until"] == "2027-01-09"
    assert state_value(hass, FILTER_NEEDED) == STATE_OFF
    assert hass_storage[STORAGE_KEY]["data"]["maintenance"]["snoozed"] == {
        "filter": "2027-01-09"
    }
    assert await _history(hass) == []
    assert _due_events(events) == [("filter", "2026-12-30")]
    await tick_to(hass, freezer, "2027-01-08T23:59:59+01:00")
    assert issue_registry.async_get_issue(DOMAIN, FILTER_ISSUE) is None
    await tick_to(hass, freezer, "2027-01-09T00:00:00+01:00")
    issue = issue_registry.async_get_issue(DOMAIN, FILTER_ISSUE)
    assert issue is not None
    assert issue.translation_placeholders == {"name": NAME, "due": "2027-01-09"}
    assert state_value(hass, FILTER_NEEDED) == STATE_ON
    assert _due_events(events) == [("filter", "2026-12-30"), ("filter", "2027-01-09")]
