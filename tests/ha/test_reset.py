"""Acceptance tests of the safe reset: the happy path, refusals and cancelling."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import probatio as vol
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
)

from homeassistant.auth.const import GROUP_ID_USER
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceValidationError,
    Unauthorized,
)
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util

from custom_components.heat_pump_care.diagnostics import (
    async_get_config_entry_diagnostics,
)

from .common import CLIMATE, ERROR_CODE, RELAY, FakeThermostat
from .reset_helpers import (
    CANCEL_RESET,
    DOMAIN,
    EVENT_RESET,
    RESET_STATUS,
    SAFE_RESET,
    call,
    harmful_daikin_code,
    helpful_daikin_code,
    press,
    reset_status,
    restore_at,
    state_of,
    statuses,
    travel,
)

HAPPY_PHASES = [
    "stopping",
    "power_off",
    "restoring",
    "waiting_thermostat",
    "monitoring",
    "completed",
]


async def _set_error_code(hass: HomeAssistant, code: str) -> None:
    await hass.services.async_call(
        "input_text",
        "set_value",
        {"entity_id": ERROR_CODE, "value": code},
        blocking=True,
    )
    await hass.async_block_till_done()


async def _tune_thermostat(hass: HomeAssistant) -> None:
    """Give the thermostat settings that differ from its defaults."""
    for service, data in (
        ("set_temperature", {"temperature": 23.0}),
        ("set_fan_mode", {"fan_mode": "low"}),
    ):
        await hass.services.async_call(
            "climate", service, {"entity_id": CLIMATE, **data}, blocking=True
        )
    await hass.async_block_till_done()


def _device_id(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, entry.entry_id), entry.entry_id
    )
    assert device is not None
    return device.id


async def test_happy_path_timings(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    devices: FakeThermostat,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Thermostat off, relay off for exactly 30 min, everything restored, watched."""
    entry = init_integration
    thermostat = devices
    await _tune_thermostat(hass)
    thermostat.calls.clear()
    events = async_capture_events(hass, EVENT_RESET)
    start = dt_util.utcnow()
    assert reset_status(hass) == "idle"

    await press(hass, SAFE_RESET)

    # The thermostat is switched off before the power is cut.
    assert thermostat.calls == [("set_hvac_mode", {"hvac_mode": "off"})]
    assert state_of(hass, CLIMATE).state == "off"
    assert state_of(hass, RELAY).state == "off"
    assert reset_status(hass) == "power_off"
    deadline = start + timedelta(minutes=30)
    assert restore_at(hass) == deadline
    assert statuses(events) == ["stopping", "power_off"]

    # Without power the unit forgets its settings.
    hass.states.async_set(
        CLIMATE, "off", {**state_of(hass, CLIMATE).attributes, "temperature": 16.0}
    )
    hass.states.async_set(
        CLIMATE, "off", {**state_of(hass, CLIMATE).attributes, "fan_mode": "auto"}
    )
    await hass.async_block_till_done()

    await travel(hass, freezer, deadline - timedelta(seconds=1))
    assert state_of(hass, RELAY).state == "off"
    assert reset_status(hass) == "power_off"
    assert len(thermostat.calls) == 1
    assert len(events) == 2

    await travel(hass, freezer, deadline)
    assert state_of(hass, RELAY).state == "on"
    climate = state_of(hass, CLIMATE)
    assert climate.state == "heat"
    assert climate.attributes["temperature"] == 23.0
    assert climate.attributes["fan_mode"] == "low"
    assert thermostat.calls[1:] == [
        ("set_hvac_mode", {"hvac_mode": "heat"}),
        ("set_temperature", {"temperature": 23.0}),
        ("set_fan_mode", {"fan_mode": "low"}),
    ]
    assert reset_status(hass) == "monitoring"
    assert restore_at(hass) is None
    assert statuses(events) == HAPPY_PHASES[:5]

    watch_end = deadline + timedelta(minutes=30)
    await travel(hass, freezer, watch_end - timedelta(seconds=1))
    assert reset_status(hass) == "monitoring"

    await travel(hass, freezer, watch_end)
    assert reset_status(hass) == "completed"
    assert statuses(events) == HAPPY_PHASES
    device_id = _device_id(hass, entry)
    for event in events:
        assert event.data["config_entry_id"] == entry.entry_id
        assert event.data["device_id"] == device_id
        assert event.data["error_code_before"] is None
    attrs = state_of(hass, RESET_STATUS).attributes
    assert attrs["last_outcome"] == "completed"
    assert attrs["resets_last_24h"] == 1
    assert dt_util.parse_datetime(attrs["started_at"]) == start


async def test_off_minutes_override(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The service's off_minutes replaces the configured 30 minutes."""
    start = dt_util.utcnow()
    await call(hass, "start_safe_reset", init_integration.entry_id, off_minutes=5)
    deadline = start + timedelta(minutes=5)
    assert reset_status(hass) == "power_off"
    assert restore_at(hass) == deadline
    assert state_of(hass, RESET_STATUS).attributes["deadline"] == deadline.isoformat()

    await travel(hass, freezer, deadline - timedelta(seconds=1))
    assert state_of(hass, RELAY).state == "off"
    await travel(hass, freezer, deadline)
    assert state_of(hass, RELAY).state == "on"
    assert reset_status(hass) == "monitoring"


@pytest.mark.parametrize("off_minutes", [0, 181, 2.5])
async def test_off_minutes_out_of_range(
    hass: HomeAssistant, init_integration: MockConfigEntry, off_minutes: float
) -> None:
    """An off time outside 1..180 whole minutes is refused by the schema."""
    events = async_capture_events(hass, EVENT_RESET)
    with pytest.raises(vol.Invalid):
        await call(
            hass,
            "start_safe_reset",
            init_integration.entry_id,
            off_minutes=off_minutes,
        )
    assert state_of(hass, RELAY).state == "on"
    assert events == []


async def test_reset_status_attributes(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The status sensor explains the running reset and the last outcome."""
    code = helpful_daikin_code()
    await _set_error_code(hass, code)
    events = async_capture_events(hass, EVENT_RESET)
    attrs = state_of(hass, RESET_STATUS).attributes
    assert attrs["started_at"] is None
    assert attrs["resets_last_24h"] == 0
    assert attrs["last_outcome"] is None

    start = dt_util.utcnow()
    await call(hass, "start_safe_reset", init_integration.entry_id)

    attrs = state_of(hass, RESET_STATUS).attributes
    assert dt_util.parse_datetime(attrs["started_at"]) == start
    assert dt_util.parse_datetime(attrs["deadline"]) == start + timedelta(minutes=30)
    assert attrs["previous_hvac_mode"] == "heat"
    assert attrs["error_code_before"] == code
    assert attrs["resets_last_24h"] == 1
    assert attrs["last_outcome"] is None
    assert {event.data["error_code_before"] for event in events} == {code}

    await call(hass, "cancel_safe_reset", init_integration.entry_id)
    attrs = state_of(hass, RESET_STATUS).attributes
    assert reset_status(hass) == "cancelled"
    assert attrs["last_outcome"] == "cancelled"
    assert attrs["resets_last_24h"] == 1

    await travel(hass, freezer, start + timedelta(hours=24))
    attrs = state_of(hass, RESET_STATUS).attributes
    assert attrs["resets_last_24h"] == 0
    assert attrs["last_outcome"] == "cancelled"


# --- refusals -----------------------------------------------------------------


def _assert_untouched(hass: HomeAssistant, events: list[Any], status: str) -> None:
    """Nothing changed after a refusal."""
    assert events == []
    assert reset_status(hass) == status
    assert state_of(hass, CLIMATE).state == "heat"


async def test_refused_without_power_switch(
    hass: HomeAssistant,
    devices: FakeThermostat,
    options: dict[str, Any],
) -> None:
    """Without a power switch there is no reset button and the service says why."""
    options.pop("power_switch")
    entry = MockConfigEntry(
        domain=DOMAIN, title=options["name"], data={}, options=options
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    events = async_capture_events(hass, EVENT_RESET)
    assert hass.states.get(SAFE_RESET) is None
    assert hass.states.get(RESET_STATUS) is None

    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "start_safe_reset", entry.entry_id)

    assert err.value.translation_key == "reset_refused_no_power_switch"
    assert err.value.translation_placeholders["name"] == "Living room heat pump"
    assert "Living room heat pump has no power switch" in str(err.value)
    assert events == []
    assert state_of(hass, RELAY).state == "on"
    assert state_of(hass, CLIMATE).state == "heat"


async def test_refused_switch_unavailable(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """An unavailable power switch refuses the reset."""
    events = async_capture_events(hass, EVENT_RESET)
    hass.states.async_set(RELAY, "unavailable")
    await hass.async_block_till_done()

    with pytest.raises(ServiceValidationError) as err:
        await press(hass, SAFE_RESET)

    assert err.value.translation_key == "reset_refused_switch_unavailable"
    assert "unavailable" in str(err.value)
    assert state_of(hass, RELAY).state == "unavailable"
    _assert_untouched(hass, events, "idle")


async def test_refused_switch_already_off(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A power switch that is already off refuses the reset."""
    events = async_capture_events(hass, EVENT_RESET)
    await hass.services.async_call(
        "input_boolean", "turn_off", {"entity_id": RELAY}, blocking=True
    )
    await hass.async_block_till_done()

    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "start_safe_reset", init_integration.entry_id)

    assert err.value.translation_key == "reset_refused_switch_off"
    assert "already off" in str(err.value)
    assert state_of(hass, RELAY).state == "off"
    _assert_untouched(hass, events, "idle")


async def test_refused_double_start(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Pressing the button twice starts one reset; the second press is refused."""
    await press(hass, SAFE_RESET)
    events = async_capture_events(hass, EVENT_RESET)
    deadline = restore_at(hass)

    with pytest.raises(ServiceValidationError) as err:
        await press(hass, SAFE_RESET)
    assert err.value.translation_key == "reset_refused_already_running"
    with pytest.raises(ServiceValidationError):
        await call(hass, "start_safe_reset", init_integration.entry_id, off_minutes=1)

    assert events == []
    assert reset_status(hass) == "power_off"
    assert restore_at(hass) == deadline
    assert state_of(hass, RELAY).state == "off"


async def test_refused_limit_per_rolling_day(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Two resets a rolling 24 h (the default); the third waits 24 h."""
    entry_id = init_integration.entry_id
    first = dt_util.utcnow()
    for minutes in (0, 60):
        await travel(hass, freezer, first + timedelta(minutes=minutes))
        await call(hass, "start_safe_reset", entry_id)
        await call(hass, "cancel_safe_reset", entry_id)
    assert state_of(hass, RESET_STATUS).attributes["resets_last_24h"] == 2

    await travel(hass, freezer, first + timedelta(hours=23, minutes=59))
    events = async_capture_events(hass, EVENT_RESET)
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "start_safe_reset", entry_id, force=True)
    assert err.value.translation_key == "reset_refused_limit_reached"
    assert err.value.translation_placeholders["limit"] == "2"
    assert "2 times in the last 24 hours" in str(err.value)
    # 24 h after the first reset, in the user's time zone (09:00 UTC).
    assert err.value.translation_placeholders["next_reset"] == "10:00"
    assert str(err.value).endswith("The next reset is possible from 10:00")
    assert state_of(hass, RELAY).state == "on"
    _assert_untouched(hass, events, "cancelled")

    await travel(hass, freezer, first + timedelta(hours=24, seconds=1))
    await press(hass, SAFE_RESET)
    assert reset_status(hass) == "power_off"
    assert state_of(hass, RELAY).state == "off"
    assert statuses(events) == ["stopping", "power_off"]


async def test_refused_harmful_code_unless_forced(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A refrigerant/pressure/compressor code refuses the reset; force overrides."""
    code, category = harmful_daikin_code()
    await _set_error_code(hass, code)
    events = async_capture_events(hass, EVENT_RESET)

    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "start_safe_reset", init_integration.entry_id)
    assert err.value.translation_key == "reset_refused_harmful_code"
    assert err.value.translation_placeholders["code"] == code
    assert err.value.translation_placeholders["category"] == category
    assert f"Error {code} ({category})" in str(err.value)
    with pytest.raises(ServiceValidationError):
        await press(hass, SAFE_RESET)
    assert state_of(hass, RELAY).state == "on"
    _assert_untouched(hass, events, "idle")

    await call(hass, "start_safe_reset", init_integration.entry_id, force=True)
    assert reset_status(hass) == "power_off"
    assert state_of(hass, RELAY).state == "off"
    assert events[0].data["error_code_before"] == code


# --- cancelling -----------------------------------------------------------------


async def _cancel(hass: HomeAssistant, how: str, entry_id: str) -> None:
    if how == "button":
        await press(hass, CANCEL_RESET)
    else:
        await call(hass, "cancel_safe_reset", entry_id)


@pytest.mark.parametrize("how", ["button", "service"])
async def test_cancel_while_power_off(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    devices: FakeThermostat,
    freezer: FrozenDateTimeFactory,
    how: str,
) -> None:
    """Cancelling while power is off restores power and thermostat at once."""
    await _tune_thermostat(hass)
    events = async_capture_events(hass, EVENT_RESET)
    start = dt_util.utcnow()
    await press(hass, SAFE_RESET)
    await travel(hass, freezer, start + timedelta(minutes=10))

    await _cancel(hass, how, init_integration.entry_id)

    assert state_of(hass, RELAY).state == "on"
    climate = state_of(hass, CLIMATE)
    assert climate.state == "heat"
    assert climate.attributes["temperature"] == 23.0
    assert climate.attributes["fan_mode"] == "low"
    assert reset_status(hass) == "cancelled"
    assert restore_at(hass) is None
    assert statuses(events) == [
        "stopping",
        "power_off",
        "restoring",
        "waiting_thermostat",
        "cancelled",
    ]
    assert events[-1].data["reason"] == "cancelled"
    # No timer is left: the old deadline passes without any effect.
    await travel(hass, freezer, start + timedelta(hours=2))
    assert len(events) == 5
    assert state_of(hass, RELAY).state == "on"


@pytest.mark.parametrize("how", ["button", "service"])
async def test_cancel_while_monitoring(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    how: str,
) -> None:
    """Cancelling the fault watch ends the reset as cancelled."""
    start = dt_util.utcnow()
    await press(hass, SAFE_RESET)
    await travel(hass, freezer, start + timedelta(minutes=30))
    assert reset_status(hass) == "monitoring"
    events = async_capture_events(hass, EVENT_RESET)

    await _cancel(hass, how, init_integration.entry_id)

    assert reset_status(hass) == "cancelled"
    assert statuses(events) == ["cancelled"]
    assert state_of(hass, RELAY).state == "on"
    assert state_of(hass, CLIMATE).state == "heat"
    await travel(hass, freezer, start + timedelta(hours=2))
    assert len(events) == 1


async def test_cancel_when_idle(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Cancelling without a running reset is a translated error."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "cancel_safe_reset", init_integration.entry_id)
    assert err.value.translation_key == "no_reset_running"
    assert "No safe reset of Living room heat pump is running" in str(err.value)
    with pytest.raises(ServiceValidationError) as err:
        await press(hass, CANCEL_RESET)
    assert err.value.translation_key == "no_reset_running"
    assert reset_status(hass) == "idle"


# --- who may start a reset ----------------------------------------------------------


async def test_service_needs_admin(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_read_only_user: MockUser,
    hass_admin_user: MockUser,
) -> None:
    """start_safe_reset is an admin service."""
    events = async_capture_events(hass, EVENT_RESET)
    with pytest.raises(Unauthorized):
        await call(
            hass,
            "start_safe_reset",
            init_integration.entry_id,
            context=Context(user_id=hass_read_only_user.id),
        )
    assert events == []
    assert state_of(hass, RELAY).state == "on"

    await call(
        hass,
        "start_safe_reset",
        init_integration.entry_id,
        context=Context(user_id=hass_admin_user.id),
    )
    assert reset_status(hass) == "power_off"


@pytest.fixture
async def hass_normal_user(hass: HomeAssistant, local_auth: object) -> MockUser:
    """Return a user who may control entities but is no administrator."""
    group = await hass.auth.async_get_group(GROUP_ID_USER)
    return MockUser(groups=[group]).add_to_hass(hass)


async def test_button_needs_admin(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_normal_user: MockUser,
    hass_read_only_user: MockUser,
) -> None:
    """A non-admin user's press is refused with a translated error."""
    events = async_capture_events(hass, EVENT_RESET)
    assert not hass_normal_user.is_admin
    with pytest.raises(HomeAssistantError) as err:
        await press(hass, SAFE_RESET, Context(user_id=hass_normal_user.id))
    assert err.value.translation_key == "admin_required"
    assert "Only an administrator" in str(err.value)
    # A read-only user may not even press buttons.
    with pytest.raises(Unauthorized):
        await press(hass, SAFE_RESET, Context(user_id=hass_read_only_user.id))
    assert events == []
    assert reset_status(hass) == "idle"
    assert state_of(hass, RELAY).state == "on"

    # The cancel button is not restricted: anybody may give power back.
    with pytest.raises(ServiceValidationError) as err:
        await press(hass, CANCEL_RESET, Context(user_id=hass_normal_user.id))
    assert err.value.translation_key == "no_reset_running"


async def test_button_pressed_by_automation(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """An automation (a context without a user) may start the reset."""
    await press(hass, SAFE_RESET, Context())
    assert reset_status(hass) == "power_off"
    assert state_of(hass, RELAY).state == "off"


async def test_diagnostics_hold_reset_history(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Diagnostics list every finished reset with its outcome."""
    entry_id = init_integration.entry_id
    first = dt_util.utcnow()
    await call(hass, "start_safe_reset", entry_id, off_minutes=2)
    await travel(hass, freezer, first + timedelta(minutes=2))
    await travel(hass, freezer, first + timedelta(minutes=32))
    assert reset_status(hass) == "completed"
    second = dt_util.utcnow()
    await call(hass, "start_safe_reset", entry_id, force=True)
    await call(hass, "cancel_safe_reset", entry_id)

    # Called directly: the HTTP client's token would expire with the clock.
    diagnostics = await async_get_config_entry_diagnostics(hass, init_integration)

    history = diagnostics["stored"]["reset"]["history"]
    assert [record["outcome"] for record in history] == ["completed", "cancelled"]
    assert [dt_util.parse_datetime(r["started_at"]) for r in history] == [
        first,
        second,
    ]
    assert history[0]["off_minutes"] == 2
    assert history[1]["forced"] is True
    assert history[1]["reason"] == "cancelled"
    assert diagnostics["stored"]["reset"]["history"] == history
    assert diagnostics["snapshot"]["resets_last_24h"] == 2
    assert diagnostics["snapshot"]["reset"]["phase"] == "cancelled"
