"""Filter runtime: counted from what the heat pump does, saved while it runs."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from homeassistant.core import HomeAssistant

from .common import CLIMATE, DOMAIN, ENTRY_ID, FakeThermostat, tick_to as _tick_to

STORAGE_KEY = f"{DOMAIN}.{ENTRY_ID}"
FILTER_RUNTIME = "sensor.living_room_heat_pump_filter_runtime"
FILTER_DUE = "sensor.living_room_heat_pump_filter_change_due"
FILTER_NEEDED = "binary_sensor.living_room_heat_pump_filter_change_needed"


def _runtime(hass: HomeAssistant) -> float:
    state = hass.states.get(FILTER_RUNTIME)
    assert state is not None
    return float(state.state)


def _value(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


def _stored_runtime(hass_storage: dict[str, Any]) -> dict[str, Any]:
    runtime: dict[str, Any] = hass_storage[STORAGE_KEY]["data"]["maintenance"][
        "runtime"
    ]
    return runtime


async def _set_action(
    hass: HomeAssistant, thermostat: FakeThermostat, action: str
) -> None:
    thermostat.set_action(action)
    await hass.async_block_till_done()


@pytest.mark.usefixtures("init_integration")
async def test_runtime_counts_hvac_action_only(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, devices: FakeThermostat
) -> None:
    """Heating and cooling count; a mode without activity does not."""
    assert _runtime(hass) == 0.0
    # hvac_mode heat, but idle: nothing counts.
    await _tick_to(hass, freezer, "2026-11-22T11:00:00+01:00")
    assert _runtime(hass) == 0.0
    # Changing only the mode (still idle) counts nothing either.
    current = devices.state
    hass.states.async_set(CLIMATE, "cool", dict(current.attributes))
    await hass.async_block_till_done()
    await _tick_to(hass, freezer, "2026-11-22T12:00:00+01:00")
    assert _runtime(hass) == 0.0
    await _set_action(hass, devices, "cooling")
    await _tick_to(hass, freezer, "2026-11-22T13:00:00+01:00")
    await _set_action(hass, devices, "idle")
    assert _runtime(hass) == 1.0
    await _tick_to(hass, freezer, "2026-11-22T14:00:00+01:00")
    assert _runtime(hass) == 1.0
    await _set_action(hass, devices, "heating")
    await _tick_to(hass, freezer, "2026-11-22T14:30:00+01:00")
    await _set_action(hass, devices, "defrosting")
    await _tick_to(hass, freezer, "2026-11-22T14:45:00+01:00")
    await _set_action(hass, devices, "off")
    assert _runtime(hass) == 1.75


@pytest.mark.usefixtures("init_integration")
async def test_runtime_not_counted_while_thermostat_unavailable(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, devices: FakeThermostat
) -> None:
    """An unavailable thermostat stops the count; it resumes when it reports."""
    await _set_action(hass, devices, "heating")
    await _tick_to(hass, freezer, "2026-11-22T11:00:00+01:00")
    devices.set_unavailable()
    await hass.async_block_till_done()
    assert _runtime(hass) == 1.0
    await _tick_to(hass, freezer, "2026-11-22T14:00:00+01:00")
    assert _runtime(hass) == 1.0
    hass.states.async_set(
        CLIMATE, "heat", {"hvac_modes": ["off", "heat"], "hvac_action": "heating"}
    )
    await hass.async_block_till_done()
    await _tick_to(hass, freezer, "2026-11-22T14:30:00+01:00")
    await _set_action(hass, devices, "idle")
    assert _runtime(hass) == 1.5


@pytest.mark.usefixtures("init_integration")
async def test_checkpoint_saves_runtime_every_five_minutes(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    devices: FakeThermostat,
    hass_storage: dict[str, Any],
) -> None:
    """While the heat pump runs, runtime reaches the store every 5 minutes."""
    await _set_action(hass, devices, "heating")
    # The first write (the configured dates) comes 10 s after setup.
    await _tick_to(hass, freezer, "2026-11-22T10:00:10+01:00")
    assert _stored_runtime(hass_storage)["total_seconds"] == 0.0
    await _tick_to(hass, freezer, "2026-11-22T10:04:59+01:00")
    assert _stored_runtime(hass_storage)["total_seconds"] == 0.0
    await _tick_to(hass, freezer, "2026-11-22T10:05:00+01:00")
    assert _stored_runtime(hass_storage)["total_seconds"] == pytest.approx(300, abs=1)
    assert _runtime(hass) == pytest.approx(300 / 3600, abs=0.01)
    await _tick_to(hass, freezer, "2026-11-22T10:10:00+01:00")
    assert _stored_runtime(hass_storage)["total_seconds"] == pytest.approx(600, abs=1)
    assert _stored_runtime(hass_storage)["daily_seconds"] == {
        "2026-11-22": pytest.approx(600, abs=1)
    }
    # Idle: no more checkpoints, the final value is saved at once.
    await _tick_to(hass, freezer, "2026-11-22T10:12:00+01:00")
    await _set_action(hass, devices, "idle")
    assert _stored_runtime(hass_storage)["total_seconds"] == pytest.approx(720, abs=1)
    await _tick_to(hass, freezer, "2026-11-22T11:00:00+01:00")
    assert _stored_runtime(hass_storage)["total_seconds"] == pytest.approx(720, abs=1)


def _history_store(options: dict[str, Any], hours_per_day: float) -> dict[str, Any]:
    """A store with 14 tracked days of running before today (2026-11-22)."""
    daily = {f"2026-11-{day:02d}": hours_per_day * 3600 for day in range(8, 22)}
    return {
        "version": 1,
        "minor_version": 2,
        "key": STORAGE_KEY,
        "data": {
            "maintenance": {
                "last_done": {
                    "filter": options["filter_last_changed"],
                    "service": options["service_last_done"],
                },
                "seeds": {
                    "filter": options["filter_last_changed"],
                    "service": options["service_last_done"],
                },
                "history": [],
                "notified_due": {},
                "runtime": {
                    "total_seconds": 600 * 3600.0,
                    "daily_seconds": daily,
                    "tracking_since": "2026-11-08",
                    "running_since": None,
                },
            },
            "reset": {},
            "fault": {},
        },
    }


@pytest.mark.parametrize(
    ("limit", "hours_per_day", "due", "average"),
    [
        # 600 h used, 10 h a day: 800 h are reached in 20 days, 640 h in 4.
        (800, 10.0, "2026-12-12", 10.0),
        (640, 10.0, "2026-11-26", 10.0),
        # 6 h a day: 1000 h would take 67 days; the calendar (90 d) is earlier.
        (1000, 6.0, "2026-12-30", 6.0),
        # 0 = off: the calendar date, even with a high average.
        (0, 20.0, "2026-12-30", 20.0),
    ],
)
async def test_runtime_limit_projection(
    hass: HomeAssistant,
    *,
    hass_storage: dict[str, Any],
    devices: FakeThermostat,
    options: dict[str, Any],
    limit: int,
    hours_per_day: float,
    due: str,
    average: float,
) -> None:
    """The filter is due when the average daily runtime reaches the limit."""
    hass_storage[STORAGE_KEY] = _history_store(options, hours_per_day)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=options["name"],
        data={},
        options={**options, "filter_runtime_hours": limit},
        entry_id=ENTRY_ID,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    state = hass.states.get(FILTER_DUE)
    assert state is not None
    assert state.state == due
    runtime = hass.states.get(FILTER_RUNTIME)
    assert runtime is not None
    assert float(runtime.state) == 600.0
    assert runtime.attributes["average_daily_hours"] == average
    assert runtime.attributes["limit_hours"] == (limit or None)


async def test_runtime_limit_reached_makes_filter_due_today(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    devices: FakeThermostat,
    options: dict[str, Any],
) -> None:
    """Running past the limit makes the filter due at once."""
    hass_storage[STORAGE_KEY] = _history_store(options, 10.0)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=options["name"],
        data={},
        options={**options, "filter_runtime_hours": 602},
        entry_id=ENTRY_ID,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    # 2 h left at 10 h a day: tomorrow.
    assert _value(hass, FILTER_DUE) == "2026-11-23"
    await _set_action(hass, devices, "heating")
    await _tick_to(hass, freezer, "2026-11-22T12:05:00+01:00")
    await _set_action(hass, devices, "idle")
    assert _value(hass, FILTER_DUE) == "2026-11-22"
    assert _value(hass, FILTER_NEEDED) == "on"


@pytest.mark.usefixtures("init_integration")
async def test_runtime_across_midnight_is_split_per_local_day(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    devices: FakeThermostat,
    hass_storage: dict[str, Any],
) -> None:
    """Running over midnight counts on both local days."""
    await _tick_to(hass, freezer, "2026-11-22T23:30:00+01:00")
    await _set_action(hass, devices, "heating")
    await _tick_to(hass, freezer, "2026-11-23T00:00:00+01:00")
    # The midnight checkpoint saved the first half hour on its day.
    assert _stored_runtime(hass_storage)["daily_seconds"] == {
        "2026-11-22": pytest.approx(1800, abs=1)
    }
    await _tick_to(hass, freezer, "2026-11-23T00:45:00+01:00")
    await _set_action(hass, devices, "idle")
    assert _runtime(hass) == 1.25
    assert _stored_runtime(hass_storage)["daily_seconds"] == {
        "2026-11-22": pytest.approx(1800, abs=1),
        "2026-11-23": pytest.approx(2700, abs=1),
    }


@pytest.mark.usefixtures("init_integration")
async def test_filter_change_restarts_runtime(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, devices: FakeThermostat
) -> None:
    """A filter change today starts at 0; a back-filled one counts since then."""
    await _set_action(hass, devices, "heating")
    await _tick_to(hass, freezer, "2026-11-22T12:00:00+01:00")
    await hass.services.async_call(
        "button",
        "press",
        {"entity_id": "button.living_room_heat_pump_filter_changed"},
        blocking=True,
    )
    assert _runtime(hass) == 0.0
    await _tick_to(hass, freezer, "2026-11-22T13:00:00+01:00")
    await _set_action(hass, devices, "idle")
    assert _runtime(hass) == 1.0
    # Back-filled to yesterday: everything run since yesterday counts (3 h).
    await hass.services.async_call(
        DOMAIN,
        "mark_maintenance_done",
        {"config_entry_id": ENTRY_ID, "task": "filter", "date": "2026-11-21"},
        blocking=True,
    )
    assert _runtime(hass) == 3.0


async def test_filter_date_edited_in_options_restarts_runtime(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    devices: FakeThermostat,
    init_integration: MockConfigEntry,
    options: dict[str, Any],
) -> None:
    """Correcting the filter date in the options counts runtime from that date."""
    await _set_action(hass, devices, "heating")
    await _tick_to(hass, freezer, "2026-11-22T12:00:00+01:00")
    await _set_action(hass, devices, "idle")
    assert _runtime(hass) == 2.0
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "maintenance"}
    )
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "filter_last_changed": "2026-11-22",
            "filter_interval_days": 90,
            "service_last_done": options["service_last_done"],
            "service_interval_days": 365,
            "filter_runtime_hours": 0,
        },
    )
    await hass.async_block_till_done()
    assert _value(hass, FILTER_DUE) == "2027-02-20"
    assert _runtime(hass) == 0.0
