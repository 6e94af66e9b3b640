"""Live decoding of the unit's error code through a real input_text."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.util import dt as dt_util

from .common import DOMAIN, ERROR_CODE, FakeThermostat, state_of

EVENT_FAULT = "heat_pump_care_fault"
ERROR_SENSOR = "sensor.living_room_heat_pump_error_code"
LAST_ERROR_SENSOR = "sensor.living_room_heat_pump_last_error_code"
FAULT_SENSOR = "binary_sensor.living_room_heat_pump_fault"
U4_MEANING = "Signal transmission error between indoor and outdoor units"


async def set_code(hass: HomeAssistant, value: str) -> None:
    """Type a value into the error-code input_text, like the vendor would."""
    await hass.services.async_call(
        "input_text",
        "set_value",
        {"entity_id": ERROR_CODE, "value": value},
        blocking=True,
    )
    await hass.async_block_till_done()


def fault_issue(
    issue_registry: ir.IssueRegistry, entry: MockConfigEntry
) -> ir.IssueEntry | None:
    """Return the fault repair issue of a heat pump."""
    return issue_registry.async_get_issue(DOMAIN, f"fault_{entry.entry_id}")


@pytest.mark.parametrize("raw", ["U4", "u4", " U4 ", "U-4"])
async def test_known_code_is_decoded(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    device_registry: dr.DeviceRegistry,
    raw: str,
) -> None:
    """A Daikin code in any spelling shows its meaning, fires once, raises a repair."""
    entry = init_integration
    events = async_capture_events(hass, EVENT_FAULT)
    assert state_of(hass, ERROR_SENSOR).state == "none"
    assert state_of(hass, FAULT_SENSOR).state == STATE_OFF

    await set_code(hass, raw)

    state = state_of(hass, ERROR_SENSOR)
    assert state.state == "U4"
    attrs = state.attributes
    assert attrs["brand"] == "daikin"
    assert attrs["family"] == "residential"
    assert attrs["meaning"] == U4_MEANING
    assert attrs["category"] == "communication"
    assert attrs["severity"] == "error"
    assert attrs["reset_may_help"] is True
    assert "safe reset" in attrs["advice"]
    assert entry.runtime_data.data.fault.raw == raw
    assert attrs["since"] == "2026-11-22T09:00:00+00:00"
    fault = state_of(hass, FAULT_SENSOR)
    assert fault.state == STATE_ON
    assert fault.attributes["code"] == "U4"
    assert fault.attributes["category"] == "communication"

    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, entry.entry_id), entry.entry_id
    )
    assert device is not None
    assert len(events) == 1
    assert events[0].data == {
        "config_entry_id": entry.entry_id,
        "device_id": device.id,
        "code": "U4",
        "category": "communication",
        "meaning": U4_MEANING,
        "reset_may_help": True,
        "returned_after_reset": False,
    }

    issue = fault_issue(issue_registry, entry)
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.ERROR
    assert issue.is_fixable is True
    assert issue.translation_key == "fault_reset"
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["code"] == "U4"
    assert issue.translation_placeholders["name"] == "Living room heat pump"
    assert issue.translation_placeholders["meaning"] == U4_MEANING
    assert issue.translation_placeholders["advice"] == attrs["advice"]


async def test_sub_code_is_kept(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """``U4-01`` decodes as U4 and keeps the sub-code in state and attributes."""
    events = async_capture_events(hass, EVENT_FAULT)
    await set_code(hass, "u4-01")

    state = state_of(hass, ERROR_SENSOR)
    assert state.state == "U4-01"
    assert init_integration.runtime_data.data.fault.sub_code == "01"
    assert state.attributes["meaning"] == U4_MEANING
    assert [event.data["code"] for event in events] == ["U4-01"]
    issue = fault_issue(issue_registry, init_integration)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["code"] == "U4-01"


async def test_code_where_reset_does_not_help_is_not_fixable(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A configuration fault raises a repair without a reset fix flow."""
    await set_code(hass, "UA")

    state = state_of(hass, ERROR_SENSOR)
    assert state.state == "UA"
    assert state.attributes["category"] == "configuration"
    assert state.attributes["reset_may_help"] is False
    issue = fault_issue(issue_registry, init_integration)
    assert issue is not None
    assert issue.is_fixable is False
    assert issue.translation_key == "fault"
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["advice"] == state.attributes["advice"]


async def test_fault_is_not_fixable_without_power_switch(
    hass: HomeAssistant,
    devices: FakeThermostat,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Without a power switch even a resettable code offers no reset."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Living room heat pump",
        options={
            "name": "Living room heat pump",
            "brand": "daikin",
            "error_code_entity": ERROR_CODE,
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    await set_code(hass, "U4")

    assert state_of(hass, ERROR_SENSOR).attributes["reset_may_help"] is True
    issue = fault_issue(issue_registry, entry)
    assert issue is not None
    assert issue.is_fixable is False
    assert issue.translation_key == "fault"


@pytest.mark.parametrize("cleared", ["", "0", "none", "OK", "000"])
async def test_clearing_the_code(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
    cleared: str,
) -> None:
    """A "no error" value ends the fault; the last code stays on record."""
    await set_code(hass, "U4")
    assert fault_issue(issue_registry, init_integration) is not None
    freezer.tick(timedelta(minutes=5))

    await set_code(hass, cleared)

    state = state_of(hass, ERROR_SENSOR)
    assert state.state == "none"
    assert state.attributes["meaning"] is None
    assert state.attributes["since"] is None
    assert state_of(hass, "sensor.living_room_heat_pump_last_error_code").state == "U4"
    assert state_of(hass, FAULT_SENSOR).state == STATE_OFF
    assert fault_issue(issue_registry, init_integration) is None
    last = state_of(hass, LAST_ERROR_SENSOR)
    assert last.state == "U4"
    assert last.attributes["meaning"] == U4_MEANING
    # The code was last seen active when it cleared.
    assert last.attributes["seen_at"] == "2026-11-22T09:05:00+00:00"


async def test_flicker_is_one_fault(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A code that blinks on and off within seconds fires one event only."""
    events = async_capture_events(hass, EVENT_FAULT)
    for _ in range(5):
        await set_code(hass, "U4")
        freezer.tick(timedelta(seconds=3))
        await set_code(hass, "")
        freezer.tick(timedelta(seconds=4))
    await set_code(hass, "U4")

    assert [event.data["code"] for event in events] == ["U4"]
    assert state_of(hass, ERROR_SENSOR).state == "U4"
    assert state_of(hass, LAST_ERROR_SENSOR).state == "U4"
    assert fault_issue(issue_registry, init_integration) is not None

    await set_code(hass, "0")
    assert state_of(hass, ERROR_SENSOR).state == "none"
    assert state_of(hass, LAST_ERROR_SENSOR).state == "U4"
    assert len(events) == 1


async def test_long_fault_that_blinks_off_is_one_fault(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A code active for an hour that clears for seconds is not a new fault."""
    events = async_capture_events(hass, EVENT_FAULT)
    await set_code(hass, "U4")
    freezer.tick(timedelta(hours=1))
    await set_code(hass, "")
    freezer.tick(timedelta(seconds=5))
    await set_code(hass, "U4")

    assert len(events) == 1
    assert state_of(hass, ERROR_SENSOR).state == "U4"


async def test_code_returning_after_a_while_is_a_new_fault(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Once the code stayed away for minutes its return is announced again."""
    events = async_capture_events(hass, EVENT_FAULT)
    await set_code(hass, "U4")
    freezer.tick(timedelta(seconds=10))
    await set_code(hass, "")
    freezer.tick(timedelta(minutes=10))
    await set_code(hass, "U4")

    assert [event.data["code"] for event in events] == ["U4", "U4"]
    assert all(not event.data["returned_after_reset"] for event in events)


async def test_other_code_within_seconds_is_a_new_fault(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A different code is announced even right after the first one cleared."""
    events = async_capture_events(hass, EVENT_FAULT)
    await set_code(hass, "U4")
    freezer.tick(timedelta(seconds=2))
    await set_code(hass, "")
    freezer.tick(timedelta(seconds=2))
    await set_code(hass, "UA")

    assert [event.data["code"] for event in events] == ["U4", "UA"]
    assert [event.data["category"] for event in events] == [
        "communication",
        "configuration",
    ]
    issue = fault_issue(issue_registry, init_integration)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["code"] == "UA"
    assert issue.is_fixable is False


async def test_unknown_code_is_still_a_fault(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A code the catalogue does not know is shown and treated as a fault."""
    events = async_capture_events(hass, EVENT_FAULT)
    await set_code(hass, "Z9")

    state = state_of(hass, ERROR_SENSOR)
    assert state.state == "Z9"
    assert state.attributes["brand"] == "daikin"
    assert state.attributes["meaning"] is None
    assert state.attributes["category"] == "other"
    assert state.attributes["severity"] == "error"
    assert state.attributes["reset_may_help"] is None
    assert "not in the catalogue" in state.attributes["advice"]
    suggestions = init_integration.runtime_data.data.fault.suggestions
    assert suggestions
    assert all(isinstance(code, str) for code in suggestions)
    assert state_of(hass, FAULT_SENSOR).state == STATE_ON
    assert len(events) == 1
    assert events[0].data["code"] == "Z9"
    assert events[0].data["category"] == "other"
    assert events[0].data["meaning"] is None
    assert events[0].data["reset_may_help"] is None
    issue = fault_issue(issue_registry, init_integration)
    assert issue is not None
    assert issue.is_fixable is False
    assert issue.translation_key == "fault_unknown"
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["code"] == "Z9"


async def test_error_entity_unavailable(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """When the source entity is unavailable the code cannot be known."""
    await set_code(hass, "U4")
    hass.states.async_set(ERROR_CODE, STATE_UNAVAILABLE)
    await hass.async_block_till_done()

    assert state_of(hass, ERROR_SENSOR).state == STATE_UNAVAILABLE
    assert state_of(hass, FAULT_SENSOR).state == STATE_UNAVAILABLE
    # An outage of the source is not a repair: the fault stays on record.
    assert fault_issue(issue_registry, init_integration) is not None

    hass.states.async_set(ERROR_CODE, "")
    await hass.async_block_till_done()
    assert state_of(hass, ERROR_SENSOR).state == "none"
    assert state_of(hass, FAULT_SENSOR).state == STATE_OFF
    assert fault_issue(issue_registry, init_integration) is None


async def test_error_entity_missing(
    hass: HomeAssistant,
    devices: FakeThermostat,
    mock_config_entry: MockConfigEntry,
) -> None:
    """An error-code entity that does not exist makes the sensors unavailable."""
    hass.states.async_remove(ERROR_CODE)
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert state_of(hass, ERROR_SENSOR).state == STATE_UNAVAILABLE
    assert state_of(hass, FAULT_SENSOR).state == STATE_UNAVAILABLE


async def test_code_active_at_setup_is_shown_not_announced(
    hass: HomeAssistant,
    devices: FakeThermostat,
    mock_config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A code already present at start-up is decoded and raises the repair.

    It is not announced as a new fault: it did not just become active.
    """
    await set_code(hass, "U4")
    events = async_capture_events(hass, EVENT_FAULT)
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert state_of(hass, ERROR_SENSOR).state == "U4"
    assert state_of(hass, FAULT_SENSOR).state == STATE_ON
    assert fault_issue(issue_registry, mock_config_entry) is not None
    assert events == []


async def test_fault_is_stored(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """The active and the last code are persisted the moment they change."""
    await set_code(hass, "U4-01")
    stored = hass_storage[f"{DOMAIN}.{init_integration.entry_id}"]["data"]["fault"]
    assert stored["code"] == "U4-01"
    assert stored["raw"] == "U4-01"
    assert stored["last_code"] == "U4-01"

    await set_code(hass, "")
    stored = hass_storage[f"{DOMAIN}.{init_integration.entry_id}"]["data"]["fault"]
    assert stored["code"] is None
    assert stored["last_code"] == "U4-01"


async def test_code_still_there_after_reset_is_a_returned_fault(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The source going dark during the power cut and reporting the same code
    after it means the reset did not help: that is a returned fault.
    """
    entry = init_integration
    await set_code(hass, "U4")
    events = async_capture_events(hass, EVENT_FAULT)
    await hass.services.async_call(
        DOMAIN,
        "start_safe_reset",
        {"config_entry_id": entry.entry_id},
        blocking=True,
    )
    assert state_of(hass, "sensor.living_room_heat_pump_reset_status").state == (
        "power_off"
    )
    # Without power the vendor integration loses the unit.
    hass.states.async_set(ERROR_CODE, STATE_UNAVAILABLE)
    await hass.async_block_till_done()
    restore = dt_util.utcnow() + timedelta(minutes=30)
    freezer.move_to(restore)
    async_fire_time_changed(hass, restore)
    await hass.async_block_till_done()
    assert state_of(hass, "sensor.living_room_heat_pump_reset_status").state == (
        "monitoring"
    )

    # The unit is back and still reports the same code.
    freezer.tick(timedelta(minutes=2))
    hass.states.async_set(ERROR_CODE, "U4")
    await hass.async_block_till_done()

    assert state_of(hass, "sensor.living_room_heat_pump_reset_status").state == (
        "fault_returned"
    )
    assert [(e.data["code"], e.data["returned_after_reset"]) for e in events] == [
        ("U4", True)
    ]
    assert (
        issue_registry.async_get_issue(DOMAIN, f"fault_returned_{entry.entry_id}")
        is not None
    )
