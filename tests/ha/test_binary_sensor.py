"""Binary sensors of Heat Pump Care: snapshots and the overdue transitions."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from homeassistant.const import STATE_OFF, STATE_ON, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from .common import DOMAIN, ENTRY_ID, state_value as _state

FILTER_NEEDED = "binary_sensor.living_room_heat_pump_filter_change_needed"
SERVICE_NEEDED = "binary_sensor.living_room_heat_pump_service_needed"
FAULT = "binary_sensor.living_room_heat_pump_fault"

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
async def test_all_binary_sensors(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    options: dict[str, Any],
) -> None:
    """A fully configured heat pump has every overdue sensor and the fault."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=options["name"],
        data={},
        options={**options, **OPTIONAL_TASKS},
        entry_id=ENTRY_ID,
    )
    with patch("custom_components.heat_pump_care.PLATFORMS", [Platform.BINARY_SENSOR]):
        await _setup(hass, entry)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


@pytest.mark.usefixtures("time_zone")
async def test_minimal_binary_sensors(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Without an error-code entity there is no fault sensor."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Living room heat pump",
        data={},
        options=MINIMAL_OPTIONS,
        entry_id=ENTRY_ID,
    )
    with patch("custom_components.heat_pump_care.PLATFORMS", [Platform.BINARY_SENSOR]):
        await _setup(hass, entry)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)
    assert {
        entity.entity_id
        for entity in er.async_entries_for_config_entry(entity_registry, ENTRY_ID)
    } == {FILTER_NEEDED, SERVICE_NEEDED}


@pytest.mark.usefixtures("init_integration")
async def test_filter_overdue_turns_on_at_local_midnight_of_due_date(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Due 2026-12-30: off until 23:59:59 the day before, on from midnight."""
    assert _state(hass, FILTER_NEEDED) == STATE_OFF
    state = hass.states.get(FILTER_NEEDED)
    assert state is not None
    assert state.attributes["due"] == "2026-12-30"
    freezer.move_to("2026-12-29T23:59:59+01:00")
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert _state(hass, FILTER_NEEDED) == STATE_OFF
    freezer.move_to("2026-12-30T00:00:00+01:00")
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert _state(hass, FILTER_NEEDED) == STATE_ON
    assert _state(hass, SERVICE_NEEDED) == STATE_OFF
    # Changing the filter clears it and moves the due date 90 days on.
    await hass.services.async_call(
        "button",
        "press",
        {"entity_id": "button.living_room_heat_pump_filter_changed"},
        blocking=True,
    )
    assert _state(hass, FILTER_NEEDED) == STATE_OFF
    state = hass.states.get(FILTER_NEEDED)
    assert state is not None
    assert state.attributes["due"] == "2027-03-30"


@pytest.mark.usefixtures("init_integration")
async def test_service_overdue_and_button(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The service becomes needed on 2027-03-15 and the button clears it."""
    freezer.move_to("2027-03-15T00:00:01+01:00")
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert _state(hass, SERVICE_NEEDED) == STATE_ON
    await hass.services.async_call(
        "button",
        "press",
        {"entity_id": "button.living_room_heat_pump_service_done"},
        blocking=True,
    )
    assert _state(hass, SERVICE_NEEDED) == STATE_OFF
    assert _state(hass, "sensor.living_room_heat_pump_next_service_due") == (
        "2028-03-14"
    )
