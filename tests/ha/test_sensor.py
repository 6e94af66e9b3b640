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

from custom_components.heat_pump_care.catalog import UNKNOWN_CODE_ADVICE

from .common import (
    DOMAIN,
    ENTRY_ID,
    ERROR_CODE,
    FakeThermostat,
    attrs_of,
    state_of,
    state_value as _state,
    tick_to as _tick_to,
)

STORAGE_KEY = f"{DOMAIN}.{ENTRY_ID}"
FILTER_AGE = "sensor.living_room_heat_pump_days_since_filter_change"
FILTER_DUE = "sensor.living_room_heat_pump_filter_change_due"
FILTER_RUNTIME = "sensor.living_room_heat_pump_filter_runtime"
SERVICE_DUE = "sensor.living_room_heat_pump_next_service_due"
ERROR_CODE_SENSOR = "sensor.living_room_heat_pump_error_code"
ERROR_MEANING = "sensor.living_room_heat_pump_error_meaning"
U4_MEANING = "Signal transmission error between indoor and outdoor units"

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


async def test_filter_due_tells_the_runtime_limit_and_hours_left(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    devices: FakeThermostat,
    options: dict[str, Any],
) -> None:
    """With a 500 h limit the due sensor says so, and how many hours are left."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=options["name"],
        data={},
        options={**options, "filter_runtime_hours": 500},
        entry_id=ENTRY_ID,
    )
    await _setup(hass, entry)
    devices.set_action("heating")
    await _tick_to(hass, freezer, "2026-11-22T12:30:00+01:00")
    devices.set_action("idle")
    await hass.async_block_till_done()
    attributes = attrs_of(hass, FILTER_DUE)
    assert attributes["runtime_limit_hours"] == 500
    assert attributes["runtime_hours_left"] == 497.5
    assert "runtime_limit_hours" not in attrs_of(hass, SERVICE_DUE)


@pytest.mark.usefixtures("init_integration")
async def test_filter_due_without_runtime_limit_does_not_mention_one(
    hass: HomeAssistant,
) -> None:
    """Runtime-based wear off (0 h): the due sensor shows only the calendar."""
    assert attrs_of(hass, FILTER_DUE).keys() >= {"last_done", "interval_days"}
    assert "runtime_limit_hours" not in attrs_of(hass, FILTER_DUE)
    assert "runtime_hours_left" not in attrs_of(hass, FILTER_DUE)


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


async def _type_code(hass: HomeAssistant, value: str) -> None:
    """Type a value into the error-code input_text, like the vendor would."""
    await hass.services.async_call(
        "input_text",
        "set_value",
        {"entity_id": ERROR_CODE, "value": value},
        blocking=True,
    )
    await hass.async_block_till_done()


@pytest.mark.usefixtures("init_integration")
async def test_error_meaning_shows_what_the_code_means(hass: HomeAssistant) -> None:
    """The meaning is a state of its own; the error code's state stays the code."""
    await _type_code(hass, "U4")
    assert _state(hass, ERROR_CODE_SENSOR) == "U4"
    meaning = state_of(hass, ERROR_MEANING)
    assert meaning.state == U4_MEANING
    advice = state_of(hass, ERROR_CODE_SENSOR).attributes["advice"]
    assert meaning.attributes["advice"] == advice
    assert "safe reset" in meaning.attributes["advice"]


@pytest.mark.usefixtures("init_integration")
async def test_error_meaning_without_a_fault(hass: HomeAssistant) -> None:
    """No code: the state is "none" (shown as "No error") and there is no advice."""
    meaning = state_of(hass, ERROR_MEANING)
    assert meaning.state == "none"
    assert meaning.attributes["advice"] is None
    await _type_code(hass, "U4")
    await _type_code(hass, "")
    assert _state(hass, ERROR_MEANING) == "none"


@pytest.mark.usefixtures("init_integration")
async def test_error_meaning_of_an_unknown_code(hass: HomeAssistant) -> None:
    """A code the list lacks says so, with the general advice."""
    await _type_code(hass, "Q7")
    meaning = state_of(hass, ERROR_MEANING)
    assert meaning.state == "unknown_code"
    assert meaning.attributes["advice"] == UNKNOWN_CODE_ADVICE


@pytest.mark.usefixtures("devices")
async def test_error_meaning_fits_in_a_state(
    hass: HomeAssistant, options: dict[str, Any]
) -> None:
    """A meaning longer than a state may be (Zodiac E18, 522 characters) is cut."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=options["name"],
        data={},
        options={**options, "brand": "zodiac", "family": "z550iq", "model": "Z550iQ"},
        entry_id=ENTRY_ID,
    )
    await _setup(hass, entry)
    await _type_code(hass, "E18")
    full = state_of(hass, ERROR_CODE_SENSOR).attributes["meaning"]
    assert len(full) > 255
    shown = _state(hass, ERROR_MEANING)
    assert len(shown) <= 255
    assert shown.endswith("…")
    assert full.startswith(shown[:-1])


@pytest.mark.usefixtures("time_zone")
async def test_error_meaning_comes_with_the_error_code(
    hass: HomeAssistant, entity_registry: er.EntityRegistry
) -> None:
    """Without an error-code entity there is no meaning sensor either."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Living room heat pump",
        data={},
        options=MINIMAL_OPTIONS,
        entry_id=ENTRY_ID,
    )
    await _setup(hass, entry)
    assert entity_registry.async_get(ERROR_MEANING) is None
