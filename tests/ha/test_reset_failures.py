"""Safe reset when things go wrong: stuck relays, missing thermostats, faults."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from homeassistant.components import persistent_notification as pn
from homeassistant.components.repairs import DOMAIN as REPAIRS_DOMAIN
from homeassistant.core import HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util

from .common import CLIMATE, ERROR_CODE, RELAY, SWITCH, FakeRelay, FakeThermostat
from .reset_helpers import (
    CANCEL_RESET,
    DOMAIN,
    EVENT_FAULT,
    EVENT_RESET,
    RESET_STATUS,
    SAFE_RESET,
    call,
    helpful_daikin_code,
    press,
    reset_status,
    restore_at,
    state_of,
    statuses,
    travel,
)

SWITCH_ENTRY_ID = "01JHEATPUMPCARE0000000002"
CLIMATE_ATTRS = {
    "hvac_modes": ["off", "heat", "cool", "heat_cool", "auto"],
    "hvac_action": "off",
    "temperature": 21.5,
    "fan_mode": "auto",
    "fan_modes": ["auto", "low", "high"],
}


@pytest.fixture
def relay(hass: HomeAssistant, devices: FakeThermostat) -> FakeRelay:
    """Return the switch that can ignore commands."""
    return FakeRelay(hass)


@pytest.fixture
async def switch_entry(
    hass: HomeAssistant, relay: FakeRelay, options: dict[str, Any]
) -> MockConfigEntry:
    """Set up a heat pump whose power switch is the FakeRelay."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=options["name"],
        data={},
        options={**options, "power_switch": SWITCH},
        entry_id=SWITCH_ENTRY_ID,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


@pytest.fixture
def notifications(hass: HomeAssistant) -> dict[str, pn.Notification]:
    """Collect the persistent notifications as they are created."""
    seen: dict[str, pn.Notification] = {}

    @callback
    def _updated(_kind: pn.UpdateType, changed: dict[str, pn.Notification]) -> None:
        seen.update(changed)

    pn.async_register_callback(hass, _updated)
    return seen


async def _power_off(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> tuple[datetime, datetime]:
    """Start a reset by the button; return the start and the deadline."""
    start = dt_util.utcnow()
    await press(hass, SAFE_RESET)
    assert reset_status(hass) == "power_off"
    deadline = start + timedelta(minutes=30)
    assert restore_at(hass) == deadline
    return start, deadline


@pytest.mark.usefixtures("switch_entry")
async def test_relay_ignores_turn_on(
    hass: HomeAssistant,
    relay: FakeRelay,
    devices: FakeThermostat,
    notifications: dict[str, pn.Notification],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Switch-on is retried at 0/10/30/60 s, then failed with a critical repair."""
    entry_id = SWITCH_ENTRY_ID
    issue_registry = ir.async_get(hass)
    events = async_capture_events(hass, EVENT_RESET)
    _start, deadline = await _power_off(hass, freezer)
    assert relay.calls == ["turn_off"]
    relay.ignore_on = True
    devices.set_unavailable()  # powered by the heat pump
    await hass.async_block_till_done()

    await travel(hass, freezer, deadline)
    assert relay.calls.count("turn_on") == 1
    assert reset_status(hass) == "restoring"
    for seconds, expected in ((9, 1), (10, 2), (29, 2), (30, 3), (60, 4), (89, 4)):
        await travel(hass, freezer, deadline + timedelta(seconds=seconds))
        assert relay.calls.count("turn_on") == expected, seconds
        assert reset_status(hass) == "restoring"

    await travel(hass, freezer, deadline + timedelta(seconds=90))
    assert reset_status(hass) == "failed"
    assert relay.calls.count("turn_on") == 4
    assert state_of(hass, SWITCH).state == "off"
    assert events[-1].data["status"] == "failed"
    assert events[-1].data["reason"] == "power_not_restored"
    issue = issue_registry.async_get_issue(DOMAIN, f"power_not_restored_{entry_id}")
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.CRITICAL
    assert issue.translation_placeholders == {
        "name": "Living room heat pump",
        "code": "-",
        "meaning": "-",
    }
    messages = [note["message"] for note in notifications.values()]
    assert messages == [
        "Power to Living room heat pump could not be restored — check the breaker."
    ]
    # The thermostat is left alone while the unit has no power.
    assert len(devices.calls) == 1

    # Nothing is retried any more on a timer ...
    await travel(hass, freezer, deadline + timedelta(hours=1))
    assert relay.calls.count("turn_on") == 4

    # ... but when the relay reports back (off), it is switched on at once.
    relay.ignore_on = False
    hass.states.async_set(SWITCH, "unavailable")
    await hass.async_block_till_done()
    hass.states.async_set(SWITCH, "off")
    await hass.async_block_till_done()
    assert relay.calls.count("turn_on") == 5
    assert state_of(hass, SWITCH).state == "on"
    assert (
        issue_registry.async_get_issue(DOMAIN, f"power_not_restored_{entry_id}") is None
    )
    assert reset_status(hass) == "failed"
    # The thermostat comes back with the power and gets its settings again.
    hass.states.async_set(CLIMATE, "off", CLIMATE_ATTRS)
    await hass.async_block_till_done()
    assert state_of(hass, CLIMATE).state == "heat"


async def test_relay_never_switches_off(
    hass: HomeAssistant,
    switch_entry: MockConfigEntry,
    relay: FakeRelay,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A relay that ignores switch-off: 3 attempts, then the reset fails safely."""
    relay.ignore_off = True
    events = async_capture_events(hass, EVENT_RESET)
    start = dt_util.utcnow()
    await press(hass, SAFE_RESET)
    assert reset_status(hass) == "stopping"
    assert restore_at(hass) is None
    for seconds, expected in ((14, 1), (15, 2), (30, 3)):
        await travel(hass, freezer, start + timedelta(seconds=seconds))
        assert relay.calls.count("turn_off") == expected
    await travel(hass, freezer, start + timedelta(seconds=45))
    assert reset_status(hass) == "failed"
    assert events[-1].data["reason"] == "relay_not_off"
    assert state_of(hass, SWITCH).state == "on"
    assert state_of(hass, CLIMATE).state == "heat"


async def test_cancel_before_the_power_went_off_does_not_count(
    hass: HomeAssistant,
    switch_entry: MockConfigEntry,
    relay: FakeRelay,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A slow relay, cancelled before it switched off: no reset used up."""
    relay.ignore_off = True
    start = dt_util.utcnow()
    for minutes in (0, 10, 20):
        await travel(hass, freezer, start + timedelta(minutes=minutes))
        await press(hass, SAFE_RESET)
        assert reset_status(hass) == "stopping"
        await press(hass, CANCEL_RESET)
        assert reset_status(hass) == "cancelled"
        assert state_of(hass, RESET_STATUS).attributes["resets_last_24h"] == 0

    relay.ignore_off = False
    await press(hass, SAFE_RESET)  # the daily limit of 2 is untouched
    assert reset_status(hass) == "power_off"
    assert state_of(hass, SWITCH).state == "off"


async def test_relay_unavailable_keeps_deadline(
    hass: HomeAssistant,
    switch_entry: MockConfigEntry,
    relay: FakeRelay,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An unavailable relay neither moves nor skips the deadline."""
    start, deadline = await _power_off(hass, freezer)
    relay.ignore_on = True  # an unavailable relay does not act
    await travel(hass, freezer, start + timedelta(minutes=5))
    hass.states.async_set(SWITCH, "unavailable")
    await hass.async_block_till_done()
    assert reset_status(hass) == "power_off"
    assert restore_at(hass) == deadline

    # Back before the deadline (still off): nothing happens yet.
    await travel(hass, freezer, start + timedelta(minutes=10))
    hass.states.async_set(SWITCH, "off")
    await hass.async_block_till_done()
    assert relay.calls == ["turn_off"]
    assert restore_at(hass) == deadline

    await travel(hass, freezer, start + timedelta(minutes=29))
    hass.states.async_set(SWITCH, "unavailable")
    await hass.async_block_till_done()
    await travel(hass, freezer, deadline)
    assert relay.calls == ["turn_off", "turn_on"]
    assert reset_status(hass) == "restoring"

    # It comes back (off) between two retries: switched on at once.
    await travel(hass, freezer, deadline + timedelta(seconds=5))
    relay.ignore_on = False
    hass.states.async_set(SWITCH, "off")
    await hass.async_block_till_done()
    assert relay.calls == ["turn_off", "turn_on", "turn_on"]
    assert state_of(hass, SWITCH).state == "on"
    assert reset_status(hass) == "monitoring"
    assert state_of(hass, CLIMATE).state == "heat"


async def test_thermostat_comes_back_late(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    devices: FakeThermostat,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The thermostat is restored when it becomes available after power returns."""
    thermostat = devices
    events = async_capture_events(hass, EVENT_RESET)
    _start, deadline = await _power_off(hass, freezer)
    thermostat.set_unavailable()
    await hass.async_block_till_done()

    await travel(hass, freezer, deadline)
    assert state_of(hass, RELAY).state == "on"
    assert reset_status(hass) == "waiting_thermostat"
    assert len(thermostat.calls) == 1  # only the switch-off

    await travel(hass, freezer, deadline + timedelta(minutes=5))
    hass.states.async_set(CLIMATE, "off", CLIMATE_ATTRS)
    await hass.async_block_till_done()
    assert thermostat.calls[1:] == [
        ("set_hvac_mode", {"hvac_mode": "heat"}),
        ("set_temperature", {"temperature": 21.5}),
        ("set_fan_mode", {"fan_mode": "auto"}),
    ]
    assert state_of(hass, CLIMATE).state == "heat"
    assert reset_status(hass) == "monitoring"
    assert statuses(events)[-2:] == ["waiting_thermostat", "monitoring"]
    assert events[-1].data["reason"] is None


async def test_thermostat_wait_is_bounded(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    devices: FakeThermostat,
    freezer: FrozenDateTimeFactory,
) -> None:
    """After 15 minutes without the thermostat the fault watch starts anyway."""
    thermostat = devices
    _start, deadline = await _power_off(hass, freezer)
    thermostat.set_unavailable()
    await hass.async_block_till_done()
    await travel(hass, freezer, deadline)
    assert reset_status(hass) == "waiting_thermostat"

    await travel(hass, freezer, deadline + timedelta(minutes=15, seconds=-1))
    assert reset_status(hass) == "waiting_thermostat"
    await travel(hass, freezer, deadline + timedelta(minutes=15))
    assert reset_status(hass) == "monitoring"
    assert (
        state_of(hass, "sensor.living_room_heat_pump_reset_status").attributes["reason"]
        == "thermostat_not_restored"
    )
    assert len(thermostat.calls) == 1

    # Should it still turn up during the watch, it gets its settings back.
    hass.states.async_set(CLIMATE, "off", CLIMATE_ATTRS)
    await hass.async_block_till_done()
    assert state_of(hass, CLIMATE).state == "heat"
    await travel(hass, freezer, deadline + timedelta(minutes=45))
    assert reset_status(hass) == "completed"


async def _set_code(hass: HomeAssistant, code: str) -> None:
    await hass.services.async_call(
        "input_text",
        "set_value",
        {"entity_id": ERROR_CODE, "value": code},
        blocking=True,
    )
    await hass.async_block_till_done()


async def test_fault_returns_during_watch(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A fault during the watch: event, repair, resets blocked until acknowledged."""
    entry_id = init_integration.entry_id
    code = helpful_daikin_code()
    await _set_code(hass, code)
    _start, deadline = await _power_off(hass, freezer)
    await travel(hass, freezer, deadline)
    await _set_code(hass, "")  # the power cycle cleared it ...
    assert reset_status(hass) == "monitoring"
    faults = async_capture_events(hass, EVENT_FAULT)
    resets = async_capture_events(hass, EVENT_RESET)

    await travel(hass, freezer, deadline + timedelta(minutes=12))
    await _set_code(hass, code)  # ... but it comes back

    assert reset_status(hass) == "fault_returned"
    assert [event.data["returned_after_reset"] for event in faults] == [True]
    assert faults[0].data["code"] == code
    assert faults[0].data["category"] == "communication"
    assert faults[0].data["config_entry_id"] == entry_id
    assert statuses(resets) == ["fault_returned"]
    assert resets[0].data["error_code_before"] == code
    issue_id = f"fault_returned_{entry_id}"
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.is_fixable
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["code"] == code

    # No new reset for this code, not even forced.
    for force in (False, True):
        with pytest.raises(ServiceValidationError) as err:
            await call(hass, "start_safe_reset", entry_id, force=force)
        assert err.value.translation_key == "reset_refused_fault_unacknowledged"
        assert err.value.translation_placeholders["code"] == code
    assert state_of(hass, RELAY).state == "on"
    assert len(resets) == 1

    # The user reads the repair and confirms a technician is on the way.
    manager = hass.data[REPAIRS_DOMAIN]["flow_manager"]
    result = await manager.async_init(DOMAIN, context={"issue_id": issue_id})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "confirm"
    assert result["description_placeholders"]["code"] == code
    result = await manager.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None

    await call(hass, "start_safe_reset", entry_id)
    assert reset_status(hass) == "power_off"
    assert state_of(hass, RELAY).state == "off"


# --- cancelling in the phases a healthy reset passes quickly ----------------------


async def test_cancel_while_stopping(
    hass: HomeAssistant,
    switch_entry: MockConfigEntry,
    relay: FakeRelay,
) -> None:
    """Cancel before the relay confirmed off: power on and thermostat back."""
    relay.ignore_off = True
    events = async_capture_events(hass, EVENT_RESET)
    await press(hass, SAFE_RESET)
    assert reset_status(hass) == "stopping"
    assert state_of(hass, CLIMATE).state == "off"

    await press(hass, CANCEL_RESET)

    assert relay.calls == ["turn_off", "turn_on"]
    assert state_of(hass, SWITCH).state == "on"
    assert state_of(hass, CLIMATE).state == "heat"
    assert reset_status(hass) == "cancelled"
    assert statuses(events)[0] == "stopping"
    assert statuses(events)[-1] == "cancelled"


async def test_cancel_while_restoring(
    hass: HomeAssistant,
    switch_entry: MockConfigEntry,
    relay: FakeRelay,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Cancel while power is being restored: switch-on is sent again at once."""
    _start, deadline = await _power_off(hass, freezer)
    relay.ignore_on = True
    await travel(hass, freezer, deadline)
    assert relay.calls.count("turn_on") == 1
    await travel(hass, freezer, deadline + timedelta(seconds=5))
    relay.ignore_on = False

    await call(hass, "cancel_safe_reset", switch_entry.entry_id)

    assert relay.calls.count("turn_on") == 2
    assert state_of(hass, SWITCH).state == "on"
    assert state_of(hass, CLIMATE).state == "heat"
    assert reset_status(hass) == "cancelled"


async def test_cancel_while_waiting_for_thermostat(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    devices: FakeThermostat,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Cancel while the thermostat is missing: its settings are sent at once."""
    thermostat = devices
    _start, deadline = await _power_off(hass, freezer)
    thermostat.set_unavailable()
    thermostat.responsive = False
    await hass.async_block_till_done()
    await travel(hass, freezer, deadline)
    assert reset_status(hass) == "waiting_thermostat"

    await press(hass, CANCEL_RESET)

    assert reset_status(hass) == "cancelled"
    assert thermostat.calls[1:] == [
        ("set_hvac_mode", {"hvac_mode": "heat"}),
        ("set_temperature", {"temperature": 21.5}),
        ("set_fan_mode", {"fan_mode": "auto"}),
    ]
    assert state_of(hass, RELAY).state == "on"


async def test_dual_set_point_restored(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    devices: FakeThermostat,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A thermostat in heat_cool gets both set points back."""
    thermostat = devices
    hass.states.async_set(
        CLIMATE,
        "heat_cool",
        {
            **CLIMATE_ATTRS,
            "temperature": None,
            "target_temp_low": 19.0,
            "target_temp_high": 24.0,
        },
    )
    await hass.async_block_till_done()
    _start, deadline = await _power_off(hass, freezer)
    assert (
        state_of(hass, "sensor.living_room_heat_pump_reset_status").attributes[
            "previous_hvac_mode"
        ]
        == "heat_cool"
    )

    await travel(hass, freezer, deadline)

    assert thermostat.calls[1:] == [
        ("set_hvac_mode", {"hvac_mode": "heat_cool"}),
        ("set_temperature", {"target_temp_low": 19.0, "target_temp_high": 24.0}),
        ("set_fan_mode", {"fan_mode": "auto"}),
    ]
    assert state_of(hass, CLIMATE).state == "heat_cool"
    assert reset_status(hass) == "monitoring"


@pytest.mark.usefixtures("switch_entry")
async def test_cancel_after_failed_restore_switches_on_again(
    hass: HomeAssistant,
    relay: FakeRelay,
    freezer: FrozenDateTimeFactory,
) -> None:
    """ "Cancel reset" after a failed restore tries the switch again at once."""
    _start, deadline = await _power_off(hass, freezer)
    relay.ignore_on = True
    for seconds in (0, 10, 30, 60, 90):
        await travel(hass, freezer, deadline + timedelta(seconds=seconds))
    assert reset_status(hass) == "failed"
    attempts = relay.calls.count("turn_on")

    relay.ignore_on = False  # the user reset the breaker's controller
    await press(hass, CANCEL_RESET)
    assert relay.calls.count("turn_on") == attempts + 1
    assert state_of(hass, SWITCH).state == "on"
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"power_not_restored_{SWITCH_ENTRY_ID}"
    )
    assert issue is None
