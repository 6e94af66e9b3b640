"""Maintenance history with notes, snoozing, and where both show up.

The services ``mark_maintenance_done`` (with a note),
``get_maintenance_history`` and ``snooze_maintenance``; the to-do list, the
calendar and the overdue repair follow a snooze and show the notes.
"""

from __future__ import annotations

import copy
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import probatio as vol
import pytest
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    MockConfigEntry,
    async_capture_events,
)

from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Context, Event, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component

from .common import (
    CALENDAR,
    DOMAIN,
    ENTRY_ID,
    EVENT_DUE,
    STORAGE_KEY,
    attrs_of,
    calendar_events,
    maintenance_history,
    mark_done,
    restart,
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
FILTER_NEEDED = "binary_sensor.living_room_heat_pump_filter_change_needed"
FILTER_BUTTON = "button.living_room_heat_pump_filter_changed"
SERVICE_DUE = "sensor.living_room_heat_pump_next_service_due"
SERVICE_BUTTON = "button.living_room_heat_pump_service_done"
FILTER_ISSUE = f"filter_overdue_{ENTRY_ID}"
NAME = "Living room heat pump"


# ------------------------------------------------------------------ helpers


def _stored(hass: HomeAssistant, hass_storage: dict[str, Any]) -> tuple[Any, Any]:
    """Return the stored file and the in-memory maintenance state."""
    entry = hass.config_entries.async_get_entry(ENTRY_ID)
    assert entry is not None
    return (
        copy.deepcopy(hass_storage.get(STORAGE_KEY)),
        entry.runtime_data.maintenance.state.to_dict(),
    )


async def _calendar(
    hass: HomeAssistant, start: str, end: str
) -> list[tuple[str, str, str, str]]:
    """Return (start, end, summary, description) of the calendar's events."""
    return [
        (event["start"], event["end"], event["summary"], event["description"])
        for event in await calendar_events(hass, start, end)
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


# -------------------------------------------------------- the history service


@pytest.mark.usefixtures("init_integration")
async def test_history_is_empty_before_anything_is_done(hass: HomeAssistant) -> None:
    """The configured dates are not completions: the history starts empty."""
    assert await maintenance_history(hass) == []


@pytest.mark.usefixtures("init_integration")
async def test_note_is_kept_with_the_completion(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """A note (trimmed) is returned by the history and stored with the completion."""
    await mark_done(hass, task="filter", date="2026-11-20", note="  MERV 11, 16x25  ")
    assert await maintenance_history(hass) == [
        {
            "task": "filter",
            "date": "2026-11-20",
            "note": "MERV 11, 16x25",
            "source": "service",
        }
    ]
    stored = stored_maintenance(hass_storage)["history"]
    assert stored[-1]["note"] == "MERV 11, 16x25"
    assert state_value(hass, FILTER_DUE) == "2027-02-18"
    # Blank is no note; exactly 500 characters are kept whole.
    await mark_done(hass, task="service", note="   ")
    await mark_done(hass, task="filter", note="x" * 500)
    assert [row["note"] for row in await maintenance_history(hass)] == [
        "x" * 500,
        None,
        "MERV 11, 16x25",
    ]


@pytest.mark.usefixtures("init_integration")
async def test_a_completion_by_an_automation_says_so(hass: HomeAssistant) -> None:
    """A call in an automation's or script's run is recorded as "automation"."""
    run = Context()
    await hass.services.async_call(
        DOMAIN,
        "mark_maintenance_done",
        {"config_entry_id": ENTRY_ID, "task": "filter"},
        blocking=True,
        context=Context(parent_id=run.id),
    )
    await mark_done(hass, task="service")
    assert [
        (row["task"], row["source"]) for row in await maintenance_history(hass)
    ] == [
        ("service", "service"),
        ("filter", "automation"),
    ]


@pytest.mark.usefixtures("init_integration")
async def test_every_source_is_named_newest_first(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Service, button, to-do list and repair each record their own source."""
    assert await async_setup_component(hass, "repairs", {})
    await mark_done(hass, task="service", date="2026-11-01", note="Yearly check")
    freezer.tick(60)
    await hass.services.async_call(
        "button", "press", {"entity_id": SERVICE_BUTTON}, blocking=True
    )
    freezer.tick(60)
    await update_todo_item(hass, "filter", status="completed")
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
    assert await maintenance_history(hass) == [
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
        await mark_done(hass, task="filter", date=day)
    await mark_done(hass, task="service", date="2026-11-01", note="Yearly check")
    everything = await maintenance_history(hass)
    assert len(everything) == 20
    assert everything[0] == {
        "task": "service",
        "date": "2026-11-01",
        "note": "Yearly check",
        "source": "service",
    }
    assert [row["date"] for row in everything[1:]] == days[::-1][:19]
    filters = await maintenance_history(hass, task="filter", limit=100)
    assert [row["date"] for row in filters] == days[::-1]
    assert {row["task"] for row in filters} == {"filter"}
    assert await maintenance_history(hass, task="service") == everything[:1]
    assert await maintenance_history(hass, limit=3) == everything[:3]
    assert await maintenance_history(hass, task="filter", limit=1.0) == everything[1:2]


@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize("limit", [0, 1001, 2.5, -1])
async def test_history_limit_out_of_bounds(hass: HomeAssistant, limit: float) -> None:
    """A limit outside 1..1000 or not whole is refused by the schema."""
    with pytest.raises(vol.Invalid):
        await maintenance_history(hass, limit=limit)


@pytest.mark.usefixtures("init_integration")
async def test_history_of_an_unknown_task(hass: HomeAssistant) -> None:
    """Asking for a task the heat pump does not know is a translated error."""
    with pytest.raises(ServiceValidationError) as err:
        await maintenance_history(hass, task="gutter")
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
    hass_storage: dict[str, Any],
) -> None:
    """Notes, sources and a snooze are all there after Home Assistant restarts."""
    await mark_done(hass, task="filter", date="2026-11-20", note="MERV 11")
    await hass.services.async_call(
        "button", "press", {"entity_id": SERVICE_BUTTON}, blocking=True
    )
    await snooze(hass, task="filter", until="2027-03-01")
    before = await maintenance_history(hass)
    assert len(before) == 2
    async with restart(
        hass, hass_storage, options, freezer, "2026-11-25T09:00:00+01:00"
    ) as second:
        assert await maintenance_history(second.hass) == before
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
        await mark_done(hass, **data)
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == key
    assert err.value.translation_placeholders == placeholders
    assert _stored(hass, saved) == before
    assert await maintenance_history(hass) == []
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

    await snooze(hass, task="filter", days=7)

    assert state_value(hass, FILTER_DUE) == "2027-01-06"
    attrs = attrs_of(hass, FILTER_DUE)
    assert attrs["snoozed_until"] == "2027-01-06"
    assert attrs["last_done"] == "2026-10-01"
    assert state_value(hass, FILTER_NEEDED) == STATE_OFF
    assert issue_registry.async_get_issue(DOMAIN, FILTER_ISSUE) is None
    assert stored_maintenance(hass_storage)["snoozed"] == {"filter": "2027-01-06"}
    item = todo_item(await todo_items(hass), "filter")
    assert item["due"] == "2027-01-06"
    assert item["status"] == "needs_action"
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
    assert await maintenance_history(hass) == []

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
    await snooze(hass, task="service", until="2027-04-01")
    assert state_value(hass, SERVICE_DUE) == "2027-04-01"
    assert attrs_of(hass, SERVICE_DUE)["snoozed_until"] == "2027-04-01"
    assert "snoozed_until" not in attrs_of(hass, FILTER_DUE)
    await snooze(hass, task="filter", until="2026-11-23")
    assert state_value(hass, FILTER_DUE) == "2026-11-23"
    assert stored_maintenance(hass_storage)["snoozed"] == {
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
    await snooze(hass, task="filter", days=7)
    await tick_to(hass, freezer, "2027-01-02T09:00:00+01:00")
    await mark_done(hass, task="filter", note="Washed")
    assert state_value(hass, FILTER_DUE) == "2027-04-02"
    assert "snoozed_until" not in attrs_of(hass, FILTER_DUE)
    assert attrs_of(hass, FILTER_DUE)["last_done"] == "2027-01-02"
    assert stored_maintenance(hass_storage)["snoozed"] == {}
    assert todo_item(await todo_items(hass), "filter")["due"] == "2027-04-02"
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
        await snooze(hass, **{"task": "filter", **data})
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
    await update_todo_item(hass, "filter", due_date="2027-01-10")
    assert state_value(hass, FILTER_DUE) == "2027-01-10"
    assert attrs_of(hass, FILTER_DUE)["snoozed_until"] == "2027-01-10"
    item = todo_item(await todo_items(hass), "filter")
    assert item["due"] == "2027-01-10"
    assert item["status"] == "needs_action"
    assert stored_maintenance(hass_storage)["snoozed"] == {"filter": "2027-01-10"}
    assert await maintenance_history(hass) == []
    # By its name, and to an earlier day than the interval's: still a snooze.
    await update_todo_item(hass, "Professional service", due_date="2027-02-01")
    assert state_value(hass, SERVICE_DUE) == "2027-02-01"


@pytest.mark.usefixtures("init_integration")
async def test_ticking_and_moving_the_date_together_does_both(
    hass: HomeAssistant,
) -> None:
    """Done today, and the next reminder on the date the owner picked."""
    await update_todo_item(hass, "filter", status="completed", due_date="2027-01-15")
    assert [row["source"] for row in await maintenance_history(hass)] == ["todo"]
    assert state_value(hass, FILTER_DUE) == "2027-01-15"
    assert attrs_of(hass, FILTER_DUE)["snoozed_until"] == "2027-01-15"


async def test_a_refused_date_with_a_tick_records_nothing(
    hass: HomeAssistant, saved: dict[str, Any]
) -> None:
    """A past date is refused before the tick: no completion is recorded."""
    before = _stored(hass, saved)
    with pytest.raises(ServiceValidationError):
        await update_todo_item(
            hass, "filter", status="completed", due_date="2026-11-01"
        )
    assert _stored(hass, saved) == before
    assert await maintenance_history(hass) == []


@pytest.mark.parametrize("due", ["2026-11-22", "2026-11-01"])
async def test_a_past_todo_due_date_is_refused(
    hass: HomeAssistant, saved: dict[str, Any], due: str
) -> None:
    """Today or earlier is refused with snooze_not_future; nothing changes."""
    before = _stored(hass, saved)
    with pytest.raises(ServiceValidationError) as err:
        await update_todo_item(hass, "filter", due_date=due)
    assert err.value.translation_key == "snooze_not_future"
    assert err.value.translation_placeholders == {"date": due}
    assert _stored(hass, saved) == before
    assert todo_item(await todo_items(hass), "filter")["due"] == "2026-12-30"
    assert state_value(hass, FILTER_DUE) == "2026-12-30"


@pytest.mark.usefixtures("init_integration")
async def test_todo_description_names_the_key_and_the_last_note(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The description tells the task key and the last completion's note."""
    items = await todo_items(hass)
    assert todo_item(items, "filter")["description"] == (
        "Every 90 d · last done 2026-10-01 · key: filter"
    )
    assert todo_item(items, "service")["description"] == (
        "Every 365 d · last done 2026-03-15 · key: service"
    )
    await mark_done(hass, task="filter", date="2026-11-20", note="MERV 11")
    assert todo_item(await todo_items(hass), "filter")["description"] == (
        "Every 90 d · last done 2026-11-20 · key: filter · history: 2026-11-20"
        " · note of 2026-11-20: MERV 11"
    )
    # A later completion without a note: only the last one's note is told.
    freezer.tick(60)
    await hass.services.async_call(
        "button", "press", {"entity_id": FILTER_BUTTON}, blocking=True
    )
    await hass.async_block_till_done()
    assert todo_item(await todo_items(hass), "filter")["description"] == (
        "Every 90 d · last done 2026-11-22 · key: filter"
        " · history: 2026-11-22, 2026-11-20"
    )


# ---------------------------------------------------------------- calendar


@pytest.mark.usefixtures("init_integration")
async def test_completions_are_all_day_events_with_their_note(
    hass: HomeAssistant,
) -> None:
    """Past completions show on their dates as "<task> done" with the note."""
    await mark_done(hass, task="filter", date="2026-11-20", note="MERV 11")
    await mark_done(hass, task="service", date="2026-11-01")
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
    assert stored_maintenance(hass_storage)["snoozed"] == {"filter": "2027-01-09"}
    assert await maintenance_history(hass) == []
    assert _due_events(events) == [("filter", "2026-12-30")]
    await tick_to(hass, freezer, "2027-01-08T23:59:59+01:00")
    assert issue_registry.async_get_issue(DOMAIN, FILTER_ISSUE) is None
    await tick_to(hass, freezer, "2027-01-09T00:00:00+01:00")
    issue = issue_registry.async_get_issue(DOMAIN, FILTER_ISSUE)
    assert issue is not None
    assert issue.translation_placeholders == {"name": NAME, "due": "2027-01-09"}
    assert state_value(hass, FILTER_NEEDED) == STATE_ON
    assert _due_events(events) == [("filter", "2026-12-30"), ("filter", "2027-01-09")]


@pytest.mark.usefixtures("init_integration")
async def test_overdue_repair_snooze_when_the_heat_pump_is_gone(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """An unloaded heat pump cannot be snoozed: the flow says so and stores nothing."""
    assert await async_setup_component(hass, "repairs", {})
    await tick_to(hass, freezer, "2027-01-02T09:00:00+01:00")
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": FILTER_ISSUE})
    issue = issue_registry.async_get_issue(DOMAIN, FILTER_ISSUE)
    assert issue is not None
    assert await hass.config_entries.async_unload(ENTRY_ID)
    await hass.async_block_till_done()
    # The repair outlives the unload (it says the filter is overdue).
    result = await manager.async_configure(
        result["flow_id"], {"next_step_id": "snooze"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "entry_not_loaded"


@pytest.mark.usefixtures("init_integration")
async def test_overdue_repair_snooze_of_a_task_switched_off(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A repair left for a task that is off now: the snooze is refused, with why."""
    assert await async_setup_component(hass, "repairs", {})
    await tick_to(hass, freezer, "2027-01-02T09:00:00+01:00")
    manager = repairs_flow_manager(hass)
    assert manager is not None
    ir.async_create_issue(
        hass,
        DOMAIN,
        "stale_overdue",
        is_fixable=True,
        severity=ir.IssueSeverity.WARNING,
        translation_key="filter_overdue",
        translation_placeholders={"name": NAME, "due": "2026-12-30"},
        data={"entry_id": ENTRY_ID, "kind": "task_overdue", "task": "outdoor_unit"},
    )
    result = await manager.async_init(DOMAIN, data={"issue_id": "stale_overdue"})
    result = await manager.async_configure(
        result["flow_id"], {"next_step_id": "snooze"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "action_failed"
    assert "outdoor_unit" in result["description_placeholders"]["error"]
