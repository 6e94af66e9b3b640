"""Maintenance tracking in Home Assistant: services, events, repairs, options."""

from __future__ import annotations

import copy
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import probatio as vol
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_OFF
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.setup import async_setup_component

from .common import (
    DOMAIN,
    ENTRY_ID,
    EVENT_DUE,
    STORAGE_KEY,
    FakeThermostat,
    attrs_of as _attrs,
    heat_until,
    history_of,
    mark_done,
    state_value as _state,
    tick_to as _tick_to,
)

FILTER_AGE = "sensor.living_room_heat_pump_days_since_filter_change"
FILTER_DUE = "sensor.living_room_heat_pump_filter_change_due"
FILTER_RUNTIME = "sensor.living_room_heat_pump_filter_runtime"
SERVICE_DUE = "sensor.living_room_heat_pump_next_service_due"
FILTER_NEEDED = "binary_sensor.living_room_heat_pump_filter_change_needed"
DRAIN_DUE = "sensor.living_room_heat_pump_condensate_drain_cleaning_due"
DRAIN_NEEDED = "binary_sensor.living_room_heat_pump_condensate_drain_cleaning_needed"
DRAIN_BUTTON = "button.living_room_heat_pump_condensate_drain_cleaned"
OUTDOOR_DUE = "sensor.living_room_heat_pump_outdoor_unit_cleaning_due"
FILTER_ISSUE = f"filter_overdue_{ENTRY_ID}"


async def _options_step(
    hass: HomeAssistant, entry: MockConfigEntry, step: str, user_input: dict[str, Any]
) -> None:
    """Run one step of the options menu; the entry reloads afterwards."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": step}
    )
    assert result["type"] is FlowResultType.FORM
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], user_input
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


# ----------------------------------------------------------- the service


@pytest.mark.usefixtures("init_integration")
async def test_back_filled_filter_change(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """A date in the past becomes the last change; the history remembers it."""
    await mark_done(hass, task="filter", date="2026-11-20")
    assert _state(hass, FILTER_AGE) == "2"
    assert _state(hass, FILTER_DUE) == "2027-02-18"
    attrs = _attrs(hass, FILTER_DUE)
    assert attrs["last_done"] == "2026-11-20"
    assert history_of(hass, "filter") == [{"date": "2026-11-20", "source": "service"}]
    stored = hass_storage[STORAGE_KEY]["data"]["maintenance"]
    assert stored["last_done"]["filter"] == "2026-11-20"
    assert stored["history"][-1]["done_on"] == "2026-11-20"
    assert stored["history"][-1]["task"] == "filter"
    # Without a date it is today.
    await mark_done(hass, task="service")
    assert _state(hass, SERVICE_DUE) == "2027-11-22"
    assert _attrs(hass, SERVICE_DUE)["last_done"] == "2026-11-22"


@pytest.mark.usefixtures("init_integration")
async def test_future_date_is_refused_and_nothing_stored(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """Tomorrow (local date) is refused with a translated error."""
    before = copy.deepcopy(hass_storage.get(STORAGE_KEY))
    with pytest.raises(ServiceValidationError) as err:
        await mark_done(hass, task="filter", date="2026-11-23")
    assert err.value.translation_key == "date_in_future"
    assert err.value.translation_domain == DOMAIN
    assert str(err.value) == "The date 2026-11-23 is in the future"
    assert hass_storage.get(STORAGE_KEY) == before
    assert _state(hass, FILTER_DUE) == "2026-12-30"
    assert history_of(hass, "filter") == []
    # Today is allowed.
    await mark_done(hass, task="filter", date="2026-11-22")
    assert _state(hass, FILTER_AGE) == "0"


@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize(
    ("data", "key", "message"),
    [
        (
            {"task": "gutter"},
            "unknown_task",
            'Unknown task "gutter". Tasks of this heat pump: filter, service',
        ),
        (
            {"task": "condensate_drain"},
            "task_not_enabled",
            'The task "condensate_drain" is not switched on for this heat pump',
        ),
    ],
)
async def test_mark_done_refusals(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    data: dict[str, Any],
    key: str,
    message: str,
) -> None:
    """Wrong input is a translated validation error and changes nothing."""
    before = copy.deepcopy(hass_storage.get(STORAGE_KEY))
    with pytest.raises(ServiceValidationError) as err:
        await mark_done(hass, **data)
    assert err.value.translation_key == key
    assert str(err.value) == message
    assert hass_storage.get(STORAGE_KEY) == before
    assert _state(hass, FILTER_DUE) == "2026-12-30"


@pytest.mark.usefixtures("init_integration")
async def test_mark_done_date_not_iso_is_a_schema_error(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """A date that is not YYYY-MM-DD is refused by the schema; nothing stored."""
    before = copy.deepcopy(hass_storage.get(STORAGE_KEY))
    with pytest.raises(vol.Invalid):
        await mark_done(hass, task="filter", date="22-11-2026")
    assert hass_storage.get(STORAGE_KEY) == before


# ------------------------------------------------------ due event, repairs


@pytest.mark.usefixtures("init_integration")
async def test_due_event_fires_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    device_registry: dr.DeviceRegistry,
) -> None:
    """The due event fires at the due date's midnight, once, also over reloads."""
    events = async_capture_events(hass, EVENT_DUE)
    await _tick_to(hass, freezer, "2026-12-29T23:59:59+01:00")
    assert events == []
    await _tick_to(hass, freezer, "2026-12-30T00:00:00+01:00")
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, ENTRY_ID), ENTRY_ID
    )
    assert device is not None
    assert [event.data for event in events] == [
        {
            "config_entry_id": ENTRY_ID,
            "device_id": device.id,
            "task": "filter",
            "due": "2026-12-30",
            "task_name": None,
        }
    ]
    await _tick_to(hass, freezer, "2026-12-31T00:00:00+01:00")
    assert await hass.config_entries.async_reload(ENTRY_ID)
    await hass.async_block_till_done()
    await _tick_to(hass, freezer, "2027-01-01T00:00:00+01:00")
    assert len(events) == 1
    # Done: the next due date (2027-03-31) fires again when it comes; the
    # service (due 2027-03-15) fires on its own day.
    await mark_done(hass, task="filter", date="2026-12-31")
    assert _state(hass, FILTER_DUE) == "2027-03-31"
    await _tick_to(hass, freezer, "2027-03-30T23:59:59+02:00")
    assert [(e.data["task"], e.data["due"]) for e in events] == [
        ("filter", "2026-12-30"),
        ("service", "2027-03-15"),
    ]
    await _tick_to(hass, freezer, "2027-03-31T00:00:00+02:00")
    assert [(e.data["task"], e.data["due"]) for e in events] == [
        ("filter", "2026-12-30"),
        ("service", "2027-03-15"),
        ("filter", "2027-03-31"),
    ]


@pytest.mark.usefixtures("init_integration")
async def test_overdue_repair_and_fix_flow(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
    hass_storage: dict[str, Any],
) -> None:
    """An overdue filter raises a fixable issue; fixing it marks the filter done."""
    assert await async_setup_component(hass, "repairs", {})
    assert issue_registry.async_get_issue(DOMAIN, FILTER_ISSUE) is None
    await _tick_to(hass, freezer, "2026-12-30T00:00:00+01:00")
    issue = issue_registry.async_get_issue(DOMAIN, FILTER_ISSUE)
    assert issue is not None
    assert issue.is_fixable
    assert issue.translation_key == "filter_overdue"
    assert issue.translation_placeholders == {
        "name": "Living room heat pump",
        "due": "2026-12-30",
    }
    assert issue.severity is ir.IssueSeverity.WARNING
    # The service is not overdue: no issue for it.
    assert issue_registry.async_get_issue(DOMAIN, f"service_overdue_{ENTRY_ID}") is None
    await _tick_to(hass, freezer, "2027-01-02T09:00:00+01:00")
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": FILTER_ISSUE})
    # Two choices: done today, or remind me in a week.
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["confirm", "snooze"]
    assert result["description_placeholders"] == {
        "name": "Living room heat pump",
        "due": "2026-12-30",
    }
    result = await manager.async_configure(
        result["flow_id"], {"next_step_id": "confirm"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "confirm"
    result = await manager.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, FILTER_ISSUE) is None
    assert _state(hass, FILTER_NEEDED) == STATE_OFF
    assert _state(hass, FILTER_DUE) == "2027-04-02"
    assert history_of(hass, "filter") == [{"date": "2027-01-02", "source": "repair"}]
    assert hass_storage[STORAGE_KEY]["data"]["maintenance"]["last_done"]["filter"] == (
        "2027-01-02"
    )


@pytest.mark.usefixtures("init_integration")
async def test_overdue_issue_removed_when_done_elsewhere(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Pressing the button also removes the overdue issue."""
    await _tick_to(hass, freezer, "2027-03-15T08:00:00+01:00")
    assert issue_registry.async_get_issue(DOMAIN, FILTER_ISSUE) is not None
    service_issue = f"service_overdue_{ENTRY_ID}"
    assert issue_registry.async_get_issue(DOMAIN, service_issue) is not None
    await hass.services.async_call(
        "button",
        "press",
        {"entity_id": "button.living_room_heat_pump_filter_changed"},
        blocking=True,
    )
    assert issue_registry.async_get_issue(DOMAIN, FILTER_ISSUE) is None
    assert issue_registry.async_get_issue(DOMAIN, service_issue) is not None


# ------------------------------------------------------- optional tasks


async def test_optional_tasks_enabled_through_options(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    options: dict[str, Any],
) -> None:
    """Switching a task on adds its due sensor, overdue sensor and button."""
    entry = init_integration
    assert hass.states.get(DRAIN_DUE) is None
    assert hass.states.get(DRAIN_BUTTON) is None
    await _options_step(
        hass,
        entry,
        "maintenance",
        {
            "filter_last_changed": options["filter_last_changed"],
            "filter_interval_days": 90.0,
            "service_last_done": options["service_last_done"],
            "service_interval_days": 365.0,
            "condensate_drain_interval_days": 180.0,
            "condensate_drain_last_done": "2026-06-01",
            "outdoor_unit_interval_days": 180.0,
            "filter_runtime_hours": 0.0,
        },
    )
    assert entry.options["condensate_drain_interval_days"] == 180
    # The outdoor unit had no date: it starts today, stored in the options.
    assert entry.options["outdoor_unit_last_done"] == "2026-11-22"
    assert _state(hass, DRAIN_DUE) == "2026-11-28"
    assert _state(hass, DRAIN_NEEDED) == STATE_OFF
    assert _state(hass, OUTDOOR_DUE) == "2027-05-21"
    assert _state(hass, DRAIN_BUTTON) == "unknown"
    # The other values survived the reload.
    assert _state(hass, FILTER_DUE) == "2026-12-30"
    await hass.services.async_call(
        "button", "press", {"entity_id": DRAIN_BUTTON}, blocking=True
    )
    assert _state(hass, DRAIN_DUE) == "2027-05-21"
    assert history_of(hass, "condensate_drain") == [
        {"date": "2026-11-22", "source": "button"}
    ]
    # Now the service accepts the task, with a back-filled date.
    await mark_done(hass, task="condensate_drain", date="2026-11-01")
    assert _state(hass, DRAIN_DUE) == "2027-04-30"


# ----------------------------------------------------------------- undo


@pytest.mark.usefixtures("init_integration")
async def test_what_a_completion_replaced_is_forgotten_at_local_midnight(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """Stored for an undo the same day; gone from storage once the day ends."""
    await mark_done(hass, task="filter")
    stored = hass_storage[STORAGE_KEY]["data"]["maintenance"]
    assert stored["undo"]["filter"]["previous_done"] == "2026-10-01"
    await _tick_to(hass, freezer, "2026-11-23T00:00:01+01:00")
    assert "undo" not in hass_storage[STORAGE_KEY]["data"]["maintenance"]
    assert history_of(hass, "filter")[0]["date"] == "2026-11-22"


# --------------------------------------------------------------- reload


async def test_reload_keeps_every_value(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    devices: FakeThermostat,
) -> None:
    """An options change reloads the entry; dates, history and runtime stay."""
    entry = init_integration
    await mark_done(hass, task="filter", date="2026-11-20")
    await mark_done(hass, task="service", date="2026-11-01")
    await heat_until(hass, freezer, devices, "2026-11-22T11:30:00+01:00")
    before = {
        entity_id: (_state(hass, entity_id), _attrs(hass, entity_id))
        for entity_id in (FILTER_AGE, FILTER_DUE, FILTER_RUNTIME, SERVICE_DUE)
    }
    assert before[FILTER_RUNTIME][0] == "1.5"
    await _options_step(
        hass,
        entry,
        "safe_reset",
        {
            "reset_off_minutes": 20.0,
            "max_resets_per_day": 3.0,
            "fault_watch_minutes": 30.0,
        },
    )
    assert entry.options["reset_off_minutes"] == 20
    after = {
        entity_id: (_state(hass, entity_id), _attrs(hass, entity_id))
        for entity_id in before
    }
    assert after == before


# -------------------------------------------------------------- time zone


@pytest.mark.usefixtures("init_integration")
async def test_time_zone_change_reschedules_midnight(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Moving to Tokyo (UTC+9): the day changes at Tokyo's midnight."""
    assert _state(hass, FILTER_AGE) == "52"
    # 10:00 in Amsterdam is 18:00 in Tokyo.
    await hass.config.async_update(time_zone="Asia/Tokyo")
    await hass.async_block_till_done()
    assert _state(hass, FILTER_AGE) == "52"
    await _tick_to(hass, freezer, "2026-11-22T23:59:59+09:00")
    assert _state(hass, FILTER_AGE) == "52"
    # Midnight in Tokyo is 16:00 in Amsterdam, long before Amsterdam's.
    await _tick_to(hass, freezer, "2026-11-23T00:00:00+09:00")
    assert _state(hass, FILTER_AGE) == "53"
    await _tick_to(hass, freezer, "2026-11-24T00:00:00+09:00")
    assert _state(hass, FILTER_AGE) == "54"


@pytest.mark.usefixtures("init_integration")
async def test_time_zone_change_moves_today(hass: HomeAssistant) -> None:
    """The local date follows the new zone at once."""
    # 09:00 UTC is 23:00 on 22 November in Kiritimati (UTC+14): same day.
    await hass.config.async_update(time_zone="Pacific/Kiritimati")
    await hass.async_block_till_done()
    assert _state(hass, FILTER_AGE) == "52"
    # It is 22:00 on 21 November in Pago Pago (UTC-11): one day less.
    await hass.config.async_update(time_zone="Pacific/Pago_Pago")
    await hass.async_block_till_done()
    assert _state(hass, FILTER_AGE) == "51"
    assert _state(hass, FILTER_DUE) == "2026-12-30"
