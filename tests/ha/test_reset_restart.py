"""A safe reset survives reloads and restarts; disabling or removing gives power back."""

from __future__ import annotations

import asyncio
import copy
from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
    async_test_home_assistant,
)

from homeassistant import loader
from homeassistant.config_entries import ConfigEntryDisabler, ConfigEntryState
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from homeassistant.util.async_ import get_scheduled_timer_handles

from .common import CLIMATE, ERROR_CODE, RELAY, FakeThermostat
from .reset_helpers import (
    DOMAIN,
    EVENT_RESET,
    SAFE_RESET,
    helpful_daikin_code,
    press,
    reset_status,
    restore_at,
    state_of,
    statuses,
    travel,
)

STORAGE_KEY = f"{DOMAIN}.01JHEATPUMPCARE0000000001"


async def _power_off(hass: HomeAssistant) -> tuple[datetime, datetime]:
    start = dt_util.utcnow()
    await press(hass, SAFE_RESET)
    deadline = start + timedelta(minutes=30)
    assert reset_status(hass) == "power_off"
    assert state_of(hass, RELAY).state == "off"
    return start, deadline


async def test_reload_keeps_deadline(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A reload mid-reset leaves power off and restores it at the original time."""
    start, deadline = await _power_off(hass)
    await travel(hass, freezer, start + timedelta(minutes=10))

    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()

    assert init_integration.state is ConfigEntryState.LOADED
    assert state_of(hass, RELAY).state == "off"
    assert reset_status(hass) == "power_off"
    assert restore_at(hass) == deadline
    await travel(hass, freezer, deadline - timedelta(seconds=1))
    assert state_of(hass, RELAY).state == "off"
    await travel(hass, freezer, deadline)
    assert state_of(hass, RELAY).state == "on"
    assert state_of(hass, CLIMATE).state == "heat"
    assert reset_status(hass) == "monitoring"


async def _second_instance(
    hass2: HomeAssistant, options: dict[str, Any]
) -> tuple[MockConfigEntry, FakeThermostat]:
    """Set up the same devices and heat pump in a restarted Home Assistant.

    The relay kept its "off" state across the restart; the thermostat came
    back switched off with a default set point.
    """
    hass2.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
    await hass2.config.async_set_time_zone("Europe/Amsterdam")
    assert await async_setup_component(
        hass2, "input_boolean", {"input_boolean": {"breaker": {"initial": False}}}
    )
    assert await async_setup_component(
        hass2, "input_text", {"input_text": {"error_code": {"initial": "", "max": 32}}}
    )
    thermostat = FakeThermostat(hass2)
    hass2.states.async_set(
        CLIMATE, "off", {**thermostat.state.attributes, "temperature": 16.0}
    )
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=options["name"],
        data={},
        options=options,
        entry_id="01JHEATPUMPCARE0000000001",
        version=1,
        minor_version=1,
    )
    entry.add_to_hass(hass2)
    return entry, thermostat


async def _stop_first(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Stop the first instance as a restart does, and make sure it is dead.

    Home Assistant does not unload config entries when it stops. A real
    process then ends; this test instance shares the event loop with the
    next one, so its leftover timers are cancelled by unloading afterwards
    (that only saves the state that is already stored).
    """
    await hass.async_stop(force=True)
    assert hass.state is CoreState.stopped
    assert await hass.config_entries.async_unload(entry.entry_id)


async def _stop(hass2: HomeAssistant, entry: MockConfigEntry) -> None:
    """Stop the second instance as the test harness stops the first one."""
    assert await hass2.config_entries.async_unload(entry.entry_id)
    await hass2.async_stop(force=True)


async def test_restart_before_deadline(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
    options: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """After a restart the power comes back exactly at the original deadline."""
    start, deadline = await _power_off(hass)
    await travel(hass, freezer, start + timedelta(minutes=10))
    await _stop_first(hass, init_integration)
    assert hass_storage[STORAGE_KEY]["data"]["reset"]["phase"] == "power_off"

    async with async_test_home_assistant() as hass2:
        entry, thermostat = await _second_instance(hass2, options)
        events = async_capture_events(hass2, EVENT_RESET)
        assert await hass2.config_entries.async_setup(entry.entry_id)
        await hass2.async_block_till_done()

        assert reset_status(hass2) == "power_off"
        assert restore_at(hass2) == deadline
        assert state_of(hass2, RELAY).state == "off"
        await travel(hass2, freezer, deadline - timedelta(seconds=1))
        assert state_of(hass2, RELAY).state == "off"
        assert events == []

        await travel(hass2, freezer, deadline)
        assert state_of(hass2, RELAY).state == "on"
        climate = state_of(hass2, CLIMATE)
        assert climate.state == "heat"
        assert climate.attributes["temperature"] == 21.5
        assert thermostat.calls[0] == ("set_hvac_mode", {"hvac_mode": "heat"})
        assert statuses(events) == ["restoring", "waiting_thermostat", "monitoring"]
        assert reset_status(hass2) == "monitoring"
        await _stop(hass2, entry)


async def test_restart_after_deadline(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
    options: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Home Assistant down past the deadline: power comes back at start-up."""
    start, deadline = await _power_off(hass)
    await travel(hass, freezer, start + timedelta(minutes=10))
    await _stop_first(hass, init_integration)
    freezer.move_to(deadline + timedelta(minutes=15))

    async with async_test_home_assistant() as hass2:
        entry, _thermostat = await _second_instance(hass2, options)
        events = async_capture_events(hass2, EVENT_RESET)
        assert state_of(hass2, RELAY).state == "off"

        assert await hass2.config_entries.async_setup(entry.entry_id)
        await hass2.async_block_till_done()

        assert state_of(hass2, RELAY).state == "on"
        assert state_of(hass2, CLIMATE).state == "heat"
        assert reset_status(hass2) == "monitoring"
        assert statuses(events) == ["restoring", "waiting_thermostat", "monitoring"]
        stored = hass_storage[STORAGE_KEY]["data"]["reset"]
        assert stored["phase"] == "monitoring"
        assert stored["deadline"] == deadline.isoformat()
        await _stop(hass2, entry)


async def test_disable_mid_reset_restores_power(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Disabling the heat pump while power is cut gives power back at once."""
    start, _deadline = await _power_off(hass)
    await travel(hass, freezer, start + timedelta(minutes=3))
    events = async_capture_events(hass, EVENT_RESET)

    assert await hass.config_entries.async_set_disabled_by(
        init_integration.entry_id, ConfigEntryDisabler.USER
    )
    await hass.async_block_till_done()

    assert init_integration.state is ConfigEntryState.NOT_LOADED
    assert state_of(hass, RELAY).state == "on"
    assert state_of(hass, CLIMATE).state == "heat"
    assert statuses(events) == ["cancelled"]
    assert events[0].data["reason"] == "entry_removed"
    stored = hass_storage[STORAGE_KEY]["data"]["reset"]
    assert stored["phase"] == "cancelled"
    assert stored["history"][-1]["outcome"] == "cancelled"


async def test_remove_mid_reset_restores_power(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Removing the heat pump while power is cut gives power back and forgets it."""
    entry_id = init_integration.entry_id
    start, _deadline = await _power_off(hass)
    await travel(hass, freezer, start + timedelta(minutes=3))
    assert STORAGE_KEY in hass_storage
    issues = ir.async_get(hass)
    # An error code leaves a repair issue that must go with the heat pump.
    await hass.services.async_call(
        "input_text",
        "set_value",
        {"entity_id": ERROR_CODE, "value": helpful_daikin_code()},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert issues.async_get_issue(DOMAIN, f"fault_{entry_id}") is not None

    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()

    assert state_of(hass, RELAY).state == "on"
    assert state_of(hass, CLIMATE).state == "heat"
    assert STORAGE_KEY not in hass_storage
    assert hass.states.get("sensor.living_room_heat_pump_reset_status") is None
    assert [issue_id for domain, issue_id in issues.issues if domain == DOMAIN] == []


def _calls_into_us(handle: asyncio.TimerHandle) -> bool:
    """Return whether a timer would run a job of this integration."""
    for obj in (handle._callback, *handle._args):
        holder = getattr(obj, "__self__", obj)  # a bound method's object
        job = getattr(holder, "job", holder)  # Home Assistant's timer wrappers
        target = getattr(job, "target", None)
        owner = getattr(target, "__self__", target)
        if type(owner).__module__.startswith("custom_components.heat_pump_care"):
            return True
    return False


def _our_timers(hass: HomeAssistant) -> list[asyncio.TimerHandle]:
    """Return the scheduled timers that would call into this integration."""
    return [
        handle
        for handle in get_scheduled_timer_handles(hass.loop)
        if not handle.cancelled() and _calls_into_us(handle)
    ]


async def test_stop_mid_reset_leaves_no_timer(
    hass: HomeAssistant,
    devices: FakeThermostat,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Stopping Home Assistant mid-reset ends the wake-up and runtime timers."""
    # A thermostat that keeps reporting "heating": the runtime is counted,
    # so a runtime checkpoint is scheduled as well as the reset's wake-up.
    devices.responsive = False
    devices.set_action("heating")
    await hass.async_block_till_done()
    _start, deadline = await _power_off(hass)
    # Midnight, runtime checkpoint, reset wake-up and the health figures' next change.
    assert len(_our_timers(hass)) >= 3

    await hass.async_stop(force=True)

    assert _our_timers(hass) == []
    stored = copy.deepcopy(hass_storage[STORAGE_KEY])
    assert stored["data"]["reset"]["phase"] == "power_off"
    # Nothing of the stopped instance runs later and rewrites the file.
    freezer.move_to(deadline + timedelta(minutes=15))
    async_fire_time_changed(hass)
    await asyncio.sleep(0)
    assert hass_storage[STORAGE_KEY] == stored


async def test_start_after_deadline_restores_power_at_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
    options: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A new instance started after the deadline switches the power on at setup."""
    _start, deadline = await _power_off(hass)
    await hass.async_stop(force=True)
    freezer.move_to(deadline + timedelta(minutes=1))

    async with async_test_home_assistant() as hass2:
        entry, _thermostat = await _second_instance(hass2, options)
        assert state_of(hass2, RELAY).state == "off"

        assert await hass2.config_entries.async_setup(entry.entry_id)

        # At setup, before any timer could run.
        assert state_of(hass2, RELAY).state == "on"
        await hass2.async_block_till_done()
        assert reset_status(hass2) == "monitoring"
        await _stop(hass2, entry)
