"""Event entities: the last fault, safe-reset phase and due task of a heat pump."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from freezegun.api import FrozenDateTimeFactory
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from homeassistant.const import Platform
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event

from .common import ERROR_CODE, state_of, tick_to
from .reset_helpers import SAFE_RESET, press

FAULT_EVENT = "event.living_room_heat_pump_fault_reported"
RESET_EVENT = "event.living_room_heat_pump_safe_reset_progress"
DUE_EVENT = "event.living_room_heat_pump_maintenance_due"


async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    setup_platform: Callable[[Platform], Awaitable[MockConfigEntry]],
) -> None:
    """A fully configured heat pump has the three event entities, never fired."""
    entry = await setup_platform(Platform.EVENT)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


async def test_fault_event(
    hass: HomeAssistant,
    setup_platform: Callable[[Platform], Awaitable[MockConfigEntry]],
) -> None:
    """A new code fires the fault event entity with the bus event's data."""
    await setup_platform(Platform.EVENT)
    hass.states.async_set(ERROR_CODE, "U4")
    await hass.async_block_till_done()

    state = state_of(hass, FAULT_EVENT)
    assert state.attributes["event_type"] == "fault"
    assert state.attributes["code"] == "U4"
    assert state.attributes["category"] == "communication"
    assert state.attributes["returned_after_reset"] is False


async def test_reset_event(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Each reset phase is an event type of the reset event entity."""
    types: list[str] = []

    # A callback runs in the event loop, in the order the states were
    # written; a plain function would run in the executor, in any order.
    @callback
    def _record(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if new is not None and "event_type" in new.attributes:
            types.append(new.attributes["event_type"])

    async_track_state_change_event(hass, RESET_EVENT, _record)
    await press(hass, SAFE_RESET)

    assert types == ["stopping", "power_off"]
    assert state_of(hass, RESET_EVENT).attributes["power_restore_at"] is not None


async def test_maintenance_event(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    setup_platform: Callable[[Platform], Awaitable[MockConfigEntry]],
) -> None:
    """A task that becomes due fires the maintenance event entity."""
    await setup_platform(Platform.EVENT)
    await tick_to(hass, freezer, "2026-12-30T00:00:00+01:00")

    state = state_of(hass, DUE_EVENT)
    assert state.attributes["event_type"] == "due"
    assert state.attributes["task"] == "filter"
    assert state.attributes["due"] == "2026-12-30"
