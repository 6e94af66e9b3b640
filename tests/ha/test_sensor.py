"""Sensors of Heat Pump Care: snapshots, day rollover, DST and leap days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from unittest.mock import patch
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from .common import (
    DOMAIN,
    ENTRY_ID,
    FakeThermostat,
    state_value as _state,
    tick_to as _tick_to,
)

STORAGE_KEY = f"{DOMAIN}.{ENTRY_ID}"
FILTER_AGE = "sensor.living_room_heat_pump_days_since_filter_change"
FILTER_DUE = "sensor.living_room_heat_pump_filter_change_due"
FILTER_RUNTIME = "sensor.living_room_heat_pump_filter_runtime"
SERVICE_DUE = "sensor.living_room_heat_pump_next_service_due"

# Every optional setting switched on, for the "fully configured" snapshots.
OPTIONAL_TASKS: dict[str, Any] = {
    "condensate_drain_interval_days": 180,
    "condensate_drain_last_done": "2026-06-01",
    "outdoor_unit_interval_days": 365,
    "outdoor_unit_last_done": "2026-04-01",
    "filter_runtime_hours": 500,
}
MINIMAL_OPTIONS: dict[str, Any] = {
    "name": "Living room heat pump",
    "brand": "other",
    "filter_last_changed": "2026-10-01",
    "filter_interval_days": 90,
    "service_last_done": "2026-03-15",
    "service_interval_days": 365,
}


async def _setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


@pytest.mark.usefixtures("devices")
async def test_all_sensors(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    options: dict[str, Any],
) -> None:
    """A fully configured heat pump has every sensor, with its attributes."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=options["name"],
        data={},
        options={**options, **OPTIONAL_TASKS},
        entry_id=ENTRY_ID,
    )
    with patch("custom_components.heat_pump_care.PLATFORMS", [Platform.SENSOR]):
        await _setup(hass, entry)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


@pytest.mark.usefixtures("time_zone")
async def test_minimal_sensors(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Without entities only the maintenance sensors exist."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Living room heat pump",
        data={},
        options=MINIMAL_OPTIONS,
        entry_id=ENTRY_ID,
    )
    with patch("custom_components.heat_pump_care.PLATFORMS", [Platform.SENSOR]):
        await _setup(hass, entry)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)
    entity_ids = {
        entity.entity_id
        for entity in er.async_entries_for_config_entry(entity_registry, ENTRY_ID)
    }
    assert entity_ids == {FILTER_AGE, FILTER_DUE, SERVICE_DUE}


@pytest.mark.usefixtures("init_integration")
async def test_filter_age_increments_exactly_at_local_midnight(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The day changes at local midnight (Amsterdam, UTC+1), not at UTC midnight."""
    assert _state(hass, FILTER_AGE) == "52"
    # UTC midnight is 01:00 in Amsterdam: nothing happens at 00:00 UTC - 1 s.
    await _tick_to(hass, freezer, "2026-11-22T23:59:59+01:00")
    assert _state(hass, FILTER_AGE) == "52"
    await _tick_to(hass, freezer, "2026-11-23T00:00:00+01:00")
    assert _state(hass, FILTER_AGE) == "53"
    await _tick_to(hass, freezer, "2026-11-23T23:59:59+01:00")
    assert _state(hass, FILTER_AGE) == "53"
    await _tick_to(hass, freezer, "2026-11-24T00:00:00+01:00")
    assert _state(hass, FILTER_AGE) == "54"
    # The due date itself does not move with the days.
    assert _state(hass, FILTER_DUE) == "2026-12-30"


@pytest.mark.parametrize(
    ("zone", "day", "hours"),
    [
        ("Europe/Amsterdam", date(2027, 3, 28), 23),
        ("Europe/Amsterdam", date(2027, 10, 31), 25),
        ("America/New_York", date(2027, 3, 14), 23),
        ("America/New_York", date(2027, 11, 7), 25),
    ],
)
async def test_midnight_on_daylight_saving_days(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    devices: FakeThermostat,
    options: dict[str, Any],
    zone: str,
    day: date,
    hours: int,
) -> None:
    """On 23 h and 25 h days the day still changes exactly at local midnight."""
    await hass.config.async_set_time_zone(zone)
    tz = ZoneInfo(zone)
    day_start = datetime.combine(day, time(), tz).astimezone(UTC)
    day_end = datetime.combine(day + timedelta(days=1), time(), tz).astimezone(UTC)
    assert day_end - day_start == timedelta(hours=hours)
    freezer.move_to(day_start - timedelta(hours=12))
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=options["name"],
        data={},
        options={**options, "filter_last_changed": "2027-01-01"},
        entry_id=ENTRY_ID,
    )
    await _setup(hass, entry)
    age = int(_state(hass, FILTER_AGE))
    await _tick_to(hass, freezer, day_start - timedelta(seconds=1))
    assert int(_state(hass, FILTER_AGE)) == age
    await _tick_to(hass, freezer, day_start)
    assert int(_state(hass, FILTER_AGE)) == age + 1
    # The next midnight is 23 or 25 hours later, not 24.
    await _tick_to(hass, freezer, day_end - timedelta(seconds=1))
    assert int(_state(hass, FILTER_AGE)) == age + 1
    await _tick_to(hass, freezer, day_end)
    assert int(_state(hass, FILTER_AGE)) == age + 2


async def test_leap_day(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    devices: FakeThermostat,
    options: dict[str, Any],
) -> None:
    """29 February 2028 is a real day: it counts, and dates from it work."""
    freezer.move_to("2028-02-28T18:00:00+01:00")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=options["name"],
        data={},
        options={
            **options,
            "filter_last_changed": "2028-02-27",
            "service_last_done": "2027-03-01",
        },
        entry_id=ENTRY_ID,
    )
    await _setup(hass, entry)
    assert _state(hass, FILTER_AGE) == "1"
    # 2027-03-01 + 365 days lands on the leap day.
    assert _state(hass, SERVICE_DUE) == "2028-02-29"
    await _tick_to(hass, freezer, "2028-02-29T00:00:00+01:00")
    assert _state(hass, FILTER_AGE) == "2"
    # Back-fill a filter change on the leap day itself, the day after.
    await _tick_to(hass, freezer, "2028-03-01T00:00:00+01:00")
    assert _state(hass, FILTER_AGE) == "3"
    await hass.services.async_call(
        DOMAIN,
        "mark_maintenance_done",
        {"config_entry_id": ENTRY_ID, "task": "filter", "date": "2028-02-29"},
        blocking=True,
    )
    await hass.services.async_call(
        DOMAIN,
        "mark_maintenance_done",
        {"config_entry_id": ENTRY_ID, "task": "service", "date": "2028-02-29"},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert _state(hass, FILTER_AGE) == "1"
    assert _state(hass, FILTER_DUE) == "2028-05-29"
    # A year after a leap day: 365 days later is 28 February.
    assert _state(hass, SERVICE_DUE) == "2029-02-28"
    state = hass.states.get(SERVICE_DUE)
    assert state is not None
    assert state.attributes["last_done"] == "2028-02-29"
