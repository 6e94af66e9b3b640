"""Persistence: restarts keep everything, bad or old files never break setup."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir, storage
from homeassistant.setup import async_setup_component

from .common import (
    DOMAIN,
    ENTRY_ID,
    EVENT_DUE,
    STORAGE_KEY,
    FakeThermostat,
    attrs_of as _attrs,
    history_of,
    restart,
    setup_entry,
    state_value as _state,
    tick_to as _tick_to,
)

STORE_ISSUE = f"store_corrupt_{ENTRY_ID}"
FILTER_AGE = "sensor.living_room_heat_pump_days_since_filter_change"
FILTER_DUE = "sensor.living_room_heat_pump_filter_change_due"
FILTER_RUNTIME = "sensor.living_room_heat_pump_filter_runtime"
SERVICE_DUE = "sensor.living_room_heat_pump_next_service_due"
FILTER_ISSUE = f"filter_overdue_{ENTRY_ID}"


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """Use a temporary config directory: some tests write real files."""
    return hass_tmp_config_dir


# ---------------------------------------------------------------- restart


@pytest.mark.usefixtures("init_integration")
async def test_restart_keeps_dates_history_and_runtime(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    devices: FakeThermostat,
    options: dict[str, Any],
    hass_storage: dict[str, Any],
) -> None:
    """Dates, history and runtime survive; the stopped hours are not counted."""
    await hass.services.async_call(
        DOMAIN,
        "mark_maintenance_done",
        {"config_entry_id": ENTRY_ID, "task": "filter", "date": "2026-11-20"},
        blocking=True,
    )
    await hass.services.async_call(
        "button",
        "press",
        {"entity_id": "button.living_room_heat_pump_service_done"},
        blocking=True,
    )
    devices.set_action("heating")
    await hass.async_block_till_done()
    await _tick_to(hass, freezer, "2026-11-22T11:00:00+01:00")
    before = {
        entity_id: (_state(hass, entity_id), _attrs(hass, entity_id))
        for entity_id in (FILTER_AGE, FILTER_DUE, SERVICE_DUE)
    }
    # Three minutes after the last checkpoint Home Assistant stops while the
    # heat pump runs, and stays down 5 hours.
    freezer.move_to("2026-11-22T11:03:00+01:00")
    async with restart(
        hass,
        hass_storage,
        options,
        freezer,
        "2026-11-22T16:00:00+01:00",
        action="heating",
    ) as second:
        # Stopping saved the time run so far, not just the last checkpoint.
        assert second.saved_at_stop is not None
        stored = second.saved_at_stop["data"]["maintenance"]["runtime"]
        assert stored["total_seconds"] == pytest.approx(3780, abs=1)
        after = {
            entity_id: (_state(second.hass, entity_id), _attrs(second.hass, entity_id))
            for entity_id in before
        }
        assert after == before
        assert history_of(second.hass, "filter") == [
            {"date": "2026-11-20", "source": "service"}
        ]
        assert history_of(second.hass, "service") == [
            {"date": "2026-11-22", "source": "button"}
        ]
        assert float(_state(second.hass, FILTER_RUNTIME)) == 1.05
        # It keeps counting from the restart on.
        await _tick_to(second.hass, freezer, "2026-11-22T17:00:00+01:00")
        second.thermostat.set_action("idle")
        await second.hass.async_block_till_done()
        assert float(_state(second.hass, FILTER_RUNTIME)) == 2.05
        assert second.due_events == []


@pytest.mark.usefixtures("devices")
async def test_configured_dates_written_shortly_after_first_setup(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    options: dict[str, Any],
) -> None:
    """The first write waits 10 s (setup stays cheap); a reload saves at once."""
    entry = await setup_entry(hass, options)
    assert STORAGE_KEY not in hass_storage
    await _tick_to(hass, freezer, "2026-11-22T10:00:09+01:00")
    assert STORAGE_KEY not in hass_storage
    await _tick_to(hass, freezer, "2026-11-22T10:00:10+01:00")
    stored = hass_storage[STORAGE_KEY]["data"]["maintenance"]
    assert stored["last_done"] == {"filter": "2026-10-01", "service": "2026-03-15"}

    hass_storage.clear()
    hass.config_entries.async_update_entry(
        entry, options={**options, "filter_last_changed": "2026-11-01"}
    )
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    # The unload saved the old state at once; the new date follows 10 s later.
    stored = hass_storage[STORAGE_KEY]["data"]["maintenance"]
    assert stored["last_done"]["filter"] == "2026-10-01"
    await _tick_to(hass, freezer, "2026-11-22T10:00:20+01:00")
    stored = hass_storage[STORAGE_KEY]["data"]["maintenance"]
    assert stored["last_done"]["filter"] == "2026-11-01"


@pytest.mark.usefixtures("init_integration")
async def test_due_event_not_repeated_after_restart(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    options: dict[str, Any],
) -> None:
    """The filter's due event fired before the restart: not again after it."""
    events = async_capture_events(hass, EVENT_DUE)
    await _tick_to(hass, freezer, "2026-12-30T00:00:00+01:00")
    assert [event.data["task"] for event in events] == ["filter"]
    async with restart(
        hass, hass_storage, options, freezer, "2026-12-31T09:00:00+01:00"
    ) as second:
        assert second.due_events == []
        # The overdue repair is back after the restart.
        issue = ir.async_get(second.hass).async_get_issue(DOMAIN, FILTER_ISSUE)
        assert issue is not None
        assert issue.translation_placeholders == {
            "name": "Living room heat pump",
            "due": "2026-12-30",
        }
        await _tick_to(second.hass, freezer, "2027-01-01T00:00:00+01:00")
        assert second.due_events == []


async def test_due_while_stopped_fires_on_start(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    options: dict[str, Any],
) -> None:
    """A due date passed while Home Assistant was down fires once at start."""
    async with restart(
        hass, hass_storage, options, freezer, "2027-01-05T09:00:00+01:00"
    ) as second:
        assert [(e.data["task"], e.data["due"]) for e in second.due_events] == [
            ("filter", "2026-12-30")
        ]
        assert second.due_events[0].data["config_entry_id"] == ENTRY_ID


# ---------------------------------------------------------- bad storage


def _valid_maintenance(options: dict[str, Any]) -> dict[str, Any]:
    return {
        "last_done": {"filter": "2026-11-01", "service": "2026-06-01"},
        "seeds": {
            "filter": options["filter_last_changed"],
            "service": options["service_last_done"],
        },
        "history": [
            {
                "task": "filter",
                "done_on": "2026-11-01",
                "recorded_at": "2026-11-01T10:00:00+00:00",
                "source": "button",
            },
            {
                "task": "service",
                "done_on": "2026-06-01",
                "recorded_at": "2026-06-02T10:00:00+00:00",
                "source": "service",
            },
        ],
        "notified_due": {},
        "runtime": {
            "total_seconds": 7200.0,
            "daily_seconds": {"2026-11-21": 7200.0},
            "tracking_since": "2026-11-01",
            "running_since": None,
        },
    }


@pytest.mark.parametrize(
    ("version", "data"),
    [
        (1, {"maintenance": {"last_done": "2026-11-01"}, "reset": {}, "fault": {}}),
        (1, {"maintenance": {"last_done": {"": "2026-11-01"}}}),
        (1, {"maintenance": {"history": [{"task": "filter"}]}}),
        (1, {"maintenance": {"runtime": {"total_seconds": -5}}}),
        (1, {"maintenance": {}, "reset": {"phase": "exploded"}}),
        (1, ["not", "a", "mapping"]),
        (2, {"maintenance": {}}),
    ],
    ids=[
        "dates_not_mapping",
        "empty_task_key",
        "history_incomplete",
        "negative_runtime",
        "unknown_reset_phase",
        "not_a_mapping",
        "newer_major_version",
    ],
)
@pytest.mark.usefixtures("devices")
async def test_invalid_store_starts_from_configured_dates(
    hass: HomeAssistant,
    *,
    hass_storage: dict[str, Any],
    issue_registry: ir.IssueRegistry,
    caplog: pytest.LogCaptureFixture,
    options: dict[str, Any],
    version: int,
    data: Any,
) -> None:
    """Setup succeeds, logs an error and raises the store_corrupt issue."""
    hass_storage[STORAGE_KEY] = {
        "version": version,
        "minor_version": 2,
        "key": STORAGE_KEY,
        "data": data,
    }
    with caplog.at_level(logging.ERROR):
        entry = await setup_entry(hass, options)
    assert entry.state is ConfigEntryState.LOADED
    assert "could not be read" in caplog.text
    assert _state(hass, FILTER_DUE) == "2026-12-30"
    assert _state(hass, SERVICE_DUE) == "2027-03-15"
    assert history_of(hass, "filter") == []
    issue = issue_registry.async_get_issue(DOMAIN, STORE_ISSUE)
    assert issue is not None
    assert issue.translation_key == "store_corrupt"
    assert issue.translation_placeholders == {"name": "Living room heat pump"}
    assert issue.is_fixable


@pytest.mark.usefixtures("devices")
async def test_store_corrupt_issue_fix_flow(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    issue_registry: ir.IssueRegistry,
    options: dict[str, Any],
) -> None:
    """Confirming the store_corrupt repair dismisses it; the new file is valid."""
    hass_storage[STORAGE_KEY] = {
        "version": 1,
        "minor_version": 2,
        "key": STORAGE_KEY,
        "data": {"maintenance": {"last_done": []}},
    }
    await setup_entry(hass, options)
    assert await async_setup_component(hass, "repairs", {})
    # The configured dates were written over the bad data.
    stored = hass_storage[STORAGE_KEY]["data"]["maintenance"]
    assert stored["last_done"] == {"filter": "2026-10-01", "service": "2026-03-15"}
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": STORE_ISSUE})
    assert result["type"] is FlowResultType.FORM
    result = await manager.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert issue_registry.async_get_issue(DOMAIN, STORE_ISSUE) is None


def _write_bad_file(path: Path, kind: str) -> None:
    """Put a file that is not JSON, or a directory, where the store lives."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "undecodable":
        path.write_bytes(b'{"version": 1, "data": {"maint\x00\xff')
    else:
        path.mkdir()


async def _real_load(store: storage.Store[Any]) -> Any:
    """Read the file on disk, as Home Assistant does outside of tests."""
    return await store._async_load_data()


@pytest.mark.parametrize("kind", ["undecodable", "unreadable"])
@pytest.mark.usefixtures("devices")
async def test_unreadable_file(
    hass: HomeAssistant,
    issue_registry: ir.IssueRegistry,
    caplog: pytest.LogCaptureFixture,
    options: dict[str, Any],
    kind: str,
) -> None:
    """A file that is not JSON, or cannot be read at all, does not fail setup."""
    path = Path(hass.config.path(".storage", STORAGE_KEY))
    await hass.async_add_executor_job(_write_bad_file, path, kind)
    with (
        patch.object(storage.Store, "_async_load", _real_load),
        caplog.at_level(logging.ERROR),
    ):
        entry = await setup_entry(hass, options)
    assert entry.state is ConfigEntryState.LOADED
    assert "Stored state of Living room heat pump could not be read" in caplog.text
    assert _state(hass, FILTER_DUE) == "2026-12-30"
    assert _state(hass, FILTER_AGE) == "52"
    assert issue_registry.async_get_issue(DOMAIN, STORE_ISSUE) is not None
    if kind == "undecodable":
        # Home Assistant moved the bad file aside.
        moved = await hass.async_add_executor_job(
            lambda: list(path.parent.glob(f"{STORAGE_KEY}.corrupt.*"))
        )
        assert len(moved) == 1


@pytest.mark.usefixtures("devices")
async def test_store_without_reset_section_is_not_corrupt(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    issue_registry: ir.IssueRegistry,
    options: dict[str, Any],
) -> None:
    """A missing reset section means no reset ever ran; maintenance stays."""
    hass_storage[STORAGE_KEY] = {
        "version": 1,
        "minor_version": 2,
        "key": STORAGE_KEY,
        "data": {"maintenance": _valid_maintenance(options)},
    }
    await setup_entry(hass, options)
    assert issue_registry.async_get_issue(DOMAIN, STORE_ISSUE) is None
    assert _state(hass, FILTER_DUE) == "2027-01-30"
    assert _state(hass, "sensor.living_room_heat_pump_reset_status") == "idle"


@pytest.mark.usefixtures("devices")
async def test_store_from_minor_version_1_migrates(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    issue_registry: ir.IssueRegistry,
    options: dict[str, Any],
) -> None:
    """Version 1.1 had no fault section: its data loads and is saved as 1.2."""
    hass_storage[STORAGE_KEY] = {
        "version": 1,
        "minor_version": 1,
        "key": STORAGE_KEY,
        "data": {"maintenance": _valid_maintenance(options), "reset": {}},
    }
    await setup_entry(hass, options)
    assert issue_registry.async_get_issue(DOMAIN, STORE_ISSUE) is None
    # The stored dates win over the configured ones (unchanged seeds).
    assert _state(hass, FILTER_DUE) == "2027-01-30"
    assert _state(hass, FILTER_AGE) == "21"
    assert _state(hass, SERVICE_DUE) == "2027-06-01"
    assert history_of(hass, "filter") == [{"date": "2026-11-01", "source": "button"}]
    assert float(_state(hass, FILTER_RUNTIME)) == 2.0
    assert _state(hass, "sensor.living_room_heat_pump_error_code") == "none"
    # The next save writes the current layout.
    await hass.services.async_call(
        "button",
        "press",
        {"entity_id": "button.living_room_heat_pump_service_done"},
        blocking=True,
    )
    written = hass_storage[STORAGE_KEY]
    assert (written["version"], written["minor_version"]) == (1, 4)
    assert set(written["data"]) == {"maintenance", "reset", "fault", "health"}
    assert written["data"]["maintenance"]["last_done"]["filter"] == "2026-11-01"


@pytest.mark.usefixtures("devices")
async def test_store_from_minor_version_3_keeps_history_without_notes(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    issue_registry: ir.IssueRegistry,
    options: dict[str, Any],
) -> None:
    """Version 1.3 had no notes and no snoozes: the history reads back without notes."""
    hass_storage[STORAGE_KEY] = {
        "version": 1,
        "minor_version": 3,
        "key": STORAGE_KEY,
        "data": {
            "maintenance": _valid_maintenance(options),
            "reset": {},
            "fault": {},
            "health": {},
        },
    }
    await setup_entry(hass, options)
    assert issue_registry.async_get_issue(DOMAIN, STORE_ISSUE) is None
    response = await hass.services.async_call(
        DOMAIN,
        "get_maintenance_history",
        {"config_entry_id": ENTRY_ID},
        blocking=True,
        return_response=True,
    )
    assert response == {
        "history": [
            {"task": "filter", "date": "2026-11-01", "note": None, "source": "button"},
            {
                "task": "service",
                "date": "2026-06-01",
                "note": None,
                "source": "service",
            },
        ]
    }
    assert _state(hass, FILTER_DUE) == "2027-01-30"
    await hass.services.async_call(
        DOMAIN,
        "snooze_maintenance",
        {"config_entry_id": ENTRY_ID, "task": "filter", "days": 7},
        blocking=True,
    )
    written = hass_storage[STORAGE_KEY]
    assert (written["version"], written["minor_version"]) == (1, 4)
    assert written["data"]["maintenance"]["snoozed"] == {"filter": "2026-11-29"}
