"""Heat pump health in Home Assistant: figures, problems, events and repairs."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util

from .common import DOMAIN, ENTRY_ID, FakeThermostat, state_of, state_value, tick_to

EVENT_HEALTH = "heat_pump_care_health"
CYCLES = "sensor.living_room_heat_pump_cycles_today"
RUNTIME = "sensor.living_room_heat_pump_runtime_today"
DEFROSTS = "sensor.living_room_heat_pump_defrosts_today"
MEDIAN = "sensor.living_room_heat_pump_median_run_time"
PER_DEGREE_DAY = "sensor.living_room_heat_pump_runtime_per_degree_day"
SHORT_CYCLING = "binary_sensor.living_room_heat_pump_short_cycling"
NOT_KEEPING_UP = "binary_sensor.living_room_heat_pump_not_keeping_up"
EFFICIENCY_DROP = "binary_sensor.living_room_heat_pump_efficiency_drop"
OUTDOOR = "sensor.outdoor_temperature"


def _room(thermostat: FakeThermostat, current: float, action: str) -> None:
    state = thermostat.state
    thermostat.hass.states.async_set(
        state.entity_id,
        state.state,
        {**state.attributes, "current_temperature": current, "hvac_action": action},
    )


async def _at(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, moment: datetime
) -> None:
    await tick_to(hass, freezer, moment)


async def test_short_cycling_on_and_off_again(
    hass: HomeAssistant,
    devices: FakeThermostat,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """12 two-minute runs an hour: short cycling within 2 h; long runs clear it."""
    events = async_capture_events(hass, EVENT_HEALTH)
    moment = dt_util.utcnow()
    for _ in range(24):  # two hours, a start every 5 minutes
        devices.set_action("heating")
        await _at(hass, freezer, moment + timedelta(minutes=2))
        devices.set_action("idle")
        moment += timedelta(minutes=5)
        await _at(hass, freezer, moment)

    assert state_value(hass, SHORT_CYCLING) == "on"
    assert state_value(hass, CYCLES) == "24"
    assert float(state_value(hass, MEDIAN)) == 2.0
    assert state_of(hass, SHORT_CYCLING).attributes["starts_last_hour"] >= 6
    assert [(e.data["problem"], e.data["active"]) for e in events] == [
        ("short_cycling", True)
    ]

    for _ in range(3):  # 40 minutes on, 20 off
        devices.set_action("heating")
        await _at(hass, freezer, moment + timedelta(minutes=40))
        devices.set_action("idle")
        moment += timedelta(minutes=60)
        await _at(hass, freezer, moment)

    assert state_value(hass, SHORT_CYCLING) == "off"
    assert [(e.data["problem"], e.data["active"]) for e in events] == [
        ("short_cycling", True),
        ("short_cycling", False),
    ]
    assert events[0].data["config_entry_id"] == init_integration.entry_id


async def test_not_keeping_up_and_recovery(
    hass: HomeAssistant,
    devices: FakeThermostat,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Heating for hours 3.5 °C below target: not keeping up; the target clears it."""
    start = dt_util.utcnow()
    _room(devices, 18.0, "heating")  # the target is 21.5 °C
    await hass.async_block_till_done()
    await _at(hass, freezer, start + timedelta(hours=2, minutes=59))
    assert state_value(hass, NOT_KEEPING_UP) == "off"

    await _at(hass, freezer, start + timedelta(hours=3, minutes=30))
    assert state_value(hass, NOT_KEEPING_UP) == "on"
    assert state_of(hass, NOT_KEEPING_UP).attributes["gap"] == 3.5

    _room(devices, 21.5, "heating")
    await _at(hass, freezer, start + timedelta(hours=3, minutes=40))
    assert state_value(hass, NOT_KEEPING_UP) == "off"


async def test_defrosts_are_not_cycles_and_reset_at_midnight(
    hass: HomeAssistant,
    devices: FakeThermostat,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Three defrosts inside one run: 3 defrosts, 1 cycle; 0 and 0 after midnight."""
    moment = dt_util.utcnow()
    devices.set_action("heating")
    for _ in range(3):
        moment += timedelta(minutes=30)
        await _at(hass, freezer, moment)
        devices.set_action("defrosting")
        moment += timedelta(minutes=5)
        await _at(hass, freezer, moment)
        devices.set_action("heating")
    devices.set_action("idle")
    await hass.async_block_till_done()

    assert state_value(hass, DEFROSTS) == "3"
    assert state_value(hass, CYCLES) == "1"
    await _at(hass, freezer, datetime.fromisoformat("2026-11-23T00:00:00+01:00"))
    assert state_value(hass, DEFROSTS) == "0"
    assert state_value(hass, CYCLES) == "0"


async def test_a_reload_mid_run_keeps_counts_and_run_time(
    hass: HomeAssistant,
    devices: FakeThermostat,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A reload in the middle of a run invents no run and loses no time."""
    start = dt_util.utcnow()
    devices.set_action("heating")
    await _at(hass, freezer, start + timedelta(minutes=30))
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    await _at(hass, freezer, start + timedelta(minutes=60))
    devices.set_action("idle")
    await hass.async_block_till_done()

    assert state_value(hass, CYCLES) == "1"
    assert float(state_value(hass, RUNTIME)) == 1.0


async def test_degree_days_with_an_outdoor_sensor(
    hass: HomeAssistant,
    devices: FakeThermostat,
    options: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Two days at 0 °C with a 50 % duty cycle: a plausible figure, still learning."""
    hass.states.async_set(
        OUTDOOR, "0.0", {"device_class": "temperature", "unit_of_measurement": "°C"}
    )
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=options["name"],
        options={**options, "outdoor_temperature_entity": OUTDOOR},
        entry_id=ENTRY_ID,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    moment = datetime.fromisoformat("2026-11-23T00:00:00+01:00")
    await _at(hass, freezer, moment)
    for _ in range(48):  # two days: an hour on, an hour off
        devices.set_action("heating")
        moment += timedelta(hours=1)
        await _at(hass, freezer, moment)
        devices.set_action("idle")
        moment += timedelta(hours=1)
        await _at(hass, freezer, moment)

    figure = float(state_value(hass, PER_DEGREE_DAY))
    assert 0.7 <= figure <= 0.85  # ≈ 12 h per day over 15.5 degree days
    assert state_value(hass, EFFICIENCY_DROP) == "off"
    assert state_of(hass, EFFICIENCY_DROP).attributes["learning"] is True


async def test_safe_resets_are_counted(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A safe reset that cut the power counts towards frequent resets."""
    from .reset_helpers import SAFE_RESET, press

    await press(hass, SAFE_RESET)

    report = init_integration.runtime_data.data.health
    assert report is not None
    assert report.resets_last_30_days == 1
    assert "frequent_resets" not in report.problems


async def test_frequent_resets_raise_a_repair(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """More than three safe resets in 30 days: a repair says to call a technician."""
    events = async_capture_events(hass, EVENT_HEALTH)
    monitor = init_integration.runtime_data.health
    assert monitor is not None
    for _ in range(4):
        monitor._on_reset_event("power_off", {})
    await hass.async_block_till_done()

    issue = issue_registry.async_get_issue(
        DOMAIN, f"health_frequent_resets_{init_integration.entry_id}"
    )
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["resets"] == "4"
    assert [(e.data["problem"], e.data["active"]) for e in events] == [
        ("frequent_resets", True)
    ]


async def test_health_options(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The options set the outdoor temperature and the thresholds."""
    hass.states.async_set(OUTDOOR, "3.0", {"device_class": "temperature"})
    flow = await hass.config_entries.options.async_init(init_integration.entry_id)
    flow = await hass.config_entries.options.async_configure(
        flow["flow_id"], {"next_step_id": "health"}
    )
    assert flow["step_id"] == "health"
    values: dict[str, Any] = {
        "outdoor_temperature_entity": OUTDOOR,
        "short_cycle_starts": 8,
    }
    result = await hass.config_entries.options.async_configure(flow["flow_id"], values)
    await hass.async_block_till_done()

    assert result["type"] == "create_entry"
    options = init_integration.options
    assert options["outdoor_temperature_entity"] == OUTDOOR
    assert options["short_cycle_starts"] == 8
    assert init_integration.runtime_data.settings.health.short_cycle_starts == 8
    assert hass.states.get(PER_DEGREE_DAY) is not None
