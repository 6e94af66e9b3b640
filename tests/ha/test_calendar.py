"""The maintenance calendar: all-day events on every coming due date."""

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

from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from .common import CALENDAR, DOMAIN, ENTRY_ID, ERROR_CODE, calendar_events

ERROR_CODE_SENSOR = "sensor.living_room_heat_pump_error_code"


def _days(events: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(event["start"], event["end"], event["summary"]) for event in events]


@pytest.mark.usefixtures("init_integration")
async def test_twelve_months_ahead(hass: HomeAssistant) -> None:
    """Every due date of the coming year, repeated at each task's interval."""
    events = await calendar_events(
        hass, "2026-11-22T00:00:00+01:00", "2027-11-22T00:00:00+01:00"
    )
    assert _days(events) == [
        ("2026-12-30", "2026-12-31", "Filter change"),
        ("2027-03-15", "2027-03-16", "Professional service"),
        ("2027-03-30", "2027-03-31", "Filter change"),
        ("2027-06-28", "2027-06-29", "Filter change"),
        ("2027-09-26", "2027-09-27", "Filter change"),
    ]
    assert {event["description"] for event in events} == {"Living room heat pump"}


@pytest.mark.usefixtures("init_integration")
async def test_ranges(hass: HomeAssistant) -> None:
    """Only events overlapping the range are returned; ends are exclusive."""
    # A range within the due day returns that all-day event.
    events = await calendar_events(
        hass, "2026-12-30T12:00:00+01:00", "2026-12-30T13:00:00+01:00"
    )
    assert _days(events) == [("2026-12-30", "2026-12-31", "Filter change")]
    # A range ending at the start of the due day does not include it.
    assert (
        await calendar_events(
            hass, "2026-12-01T00:00:00+01:00", "2026-12-30T00:00:00+01:00"
        )
        == []
    )
    # A range starting when the due day ends does not include it either.
    events = await calendar_events(
        hass, "2026-12-31T00:00:00+01:00", "2027-03-16T00:00:00+01:00"
    )
    assert _days(events) == [("2027-03-15", "2027-03-16", "Professional service")]
    # Years ahead the series goes on.
    events = await calendar_events(
        hass, "2028-12-01T00:00:00+01:00", "2029-04-01T00:00:00+02:00"
    )
    assert _days(events) == [
        ("2028-12-19", "2028-12-20", "Filter change"),
        ("2029-03-14", "2029-03-15", "Professional service"),
        ("2029-03-19", "2029-03-20", "Filter change"),
    ]


@pytest.mark.usefixtures("init_integration")
async def test_event_property_and_state(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The entity shows the next due date; it is on during the due day."""
    state = hass.states.get(CALENDAR)
    assert state is not None
    assert state.state == STATE_OFF
    assert state.attributes["message"] == "Filter change"
    assert state.attributes["all_day"] is True
    assert state.attributes["start_time"] == "2026-12-30 00:00:00"
    assert state.attributes["end_time"] == "2026-12-31 00:00:00"
    assert state.attributes["description"] == "Living room heat pump"
    freezer.move_to("2026-12-30T00:00:00+01:00")
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    state = hass.states.get(CALENDAR)
    assert state is not None
    assert state.state == STATE_ON
    assert state.attributes["message"] == "Filter change"
    # Marking the filter done moves the next event to the service.
    await hass.services.async_call(
        DOMAIN,
        "mark_maintenance_done",
        {"config_entry_id": ENTRY_ID, "task": "filter"},
        blocking=True,
    )
    await hass.async_block_till_done()
    state = hass.states.get(CALENDAR)
    assert state is not None
    assert state.state == STATE_OFF
    assert state.attributes["message"] == "Professional service"
    assert state.attributes["start_time"] == "2027-03-15 00:00:00"


@pytest.mark.usefixtures("init_integration")
async def test_written_only_when_the_schedule_changes(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """An error code changes the snapshot, not the schedule: no calendar write.

    Each calendar write re-arms Home Assistant's two event alarms.
    """
    before = hass.states.get(CALENDAR)
    assert before is not None
    reported = before.last_reported  # an unchanged write moves it in place
    freezer.tick(5)
    hass.states.async_set(ERROR_CODE, "U4")
    await hass.async_block_till_done()
    assert hass.states.get(ERROR_CODE_SENSOR).state == "U4"  # type: ignore[union-attr]
    after = hass.states.get(CALENDAR)
    assert after is not None
    assert after.last_reported == reported
    # A task done today moves the next event: written at once.
    await hass.services.async_call(
        DOMAIN,
        "mark_maintenance_done",
        {"config_entry_id": ENTRY_ID, "task": "filter"},
        blocking=True,
    )
    moved = hass.states.get(CALENDAR)
    assert moved is not None
    assert moved.attributes["start_time"] == "2027-02-20 00:00:00"
    assert moved.last_updated > reported


@pytest.mark.usefixtures("init_integration")
async def test_availability_change_is_written(hass: HomeAssistant) -> None:
    """The schedule is the same, but a lost or regained snapshot is shown."""
    entry = hass.config_entries.async_get_entry(ENTRY_ID)
    assert entry is not None
    coordinator = entry.runtime_data
    coordinator.async_set_update_error(RuntimeError("lost"))
    assert hass.states.get(CALENDAR).state == STATE_UNAVAILABLE  # type: ignore[union-attr]
    coordinator.async_set_updated_data(coordinator.data)
    assert hass.states.get(CALENDAR).state == STATE_OFF  # type: ignore[union-attr]


async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    setup_platform: Callable[[Platform], Awaitable[MockConfigEntry]],
) -> None:
    """The calendar entities of a fully configured heat pump."""
    entry = await setup_platform(Platform.CALENDAR)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)
