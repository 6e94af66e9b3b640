"""The integration's events read well in the logbook."""

from __future__ import annotations

from collections.abc import Callable

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from homeassistant.components.logbook import LOGBOOK_ENTRY_MESSAGE, LOGBOOK_ENTRY_NAME
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import device_registry as dr

from custom_components.heat_pump_care.logbook import async_describe_events

from .common import DOMAIN

DescribeEvent = Callable[[Event], dict[str, str]]


def _describers(hass: HomeAssistant) -> dict[str, DescribeEvent]:
    described: dict[str, DescribeEvent] = {}

    def register(domain: str, event_type: str, describe: DescribeEvent) -> None:
        assert domain == DOMAIN
        described[event_type] = describe

    async_describe_events(hass, register)
    return described


def _power_off_until(hass: HomeAssistant, power_restore_at: str | None) -> str:
    describe = _describers(hass)["heat_pump_care_reset"]
    event = Event(
        "heat_pump_care_reset",
        {"status": "power_off", "power_restore_at": power_restore_at},
    )
    return describe(event)[LOGBOOK_ENTRY_MESSAGE]


@pytest.mark.usefixtures("time_zone")
async def test_power_restore_time_is_local_on_another_day(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Read on a later day, the local date comes with the local time."""
    freezer.move_to("2026-12-08T09:00:00+01:00")
    assert _power_off_until(hass, "2026-12-07T14:18:59.860362+00:00") == (
        "safe reset: power is off until 2026-12-07 15:18"
    )


@pytest.mark.usefixtures("time_zone")
async def test_power_restore_time_follows_the_local_day_not_utc(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """23:30 UTC is 00:30 the next day in Amsterdam: that day's time only."""
    freezer.move_to("2026-12-08T00:10:00+01:00")
    assert _power_off_until(hass, "2026-12-07T23:30:00+00:00") == (
        "safe reset: power is off until 00:30"
    )


async def test_power_restore_time_missing_reads_the_deadline(
    hass: HomeAssistant,
) -> None:
    """An event without a readable time still reads as a sentence."""
    assert _power_off_until(hass, None) == (
        "safe reset: power is off until the deadline"
    )
    assert _power_off_until(hass, "soon") == (
        "safe reset: power is off until the deadline"
    )


async def test_describe_events(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Each event type is described with the heat pump's name, times local."""
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, init_integration.entry_id), init_integration.entry_id
    )
    assert device is not None
    described = _describers(hass)
    assert set(described) == {
        "heat_pump_care_reset",
        "heat_pump_care_fault",
        "heat_pump_care_maintenance_due",
    }
    reset = described["heat_pump_care_reset"](
        Event(
            "heat_pump_care_reset",
            {
                "device_id": device.id,
                "status": "power_off",
                "power_restore_at": "2026-11-22T09:30:00+00:00",
            },
        )
    )
    assert reset[LOGBOOK_ENTRY_NAME] == "Living room heat pump"
    # 09:30 UTC is 10:30 in Amsterdam, today.
    assert reset[LOGBOOK_ENTRY_MESSAGE] == "safe reset: power is off until 10:30"
    failed = described["heat_pump_care_reset"](
        Event(
            "heat_pump_care_reset", {"status": "failed", "reason": "power_not_restored"}
        )
    )
    assert failed[LOGBOOK_ENTRY_NAME] == "Heat Pump Care"
    assert failed[LOGBOOK_ENTRY_MESSAGE] == "safe reset failed (power_not_restored)"
    fault = described["heat_pump_care_fault"](
        Event(
            "heat_pump_care_fault",
            {
                "device_id": device.id,
                "code": "U4",
                "meaning": "Communication error",
                "returned_after_reset": True,
            },
        )
    )
    assert fault[LOGBOOK_ENTRY_MESSAGE] == (
        "reported error U4 (Communication error) again after a safe reset: "
        "call a technician"
    )
    due = described["heat_pump_care_maintenance_due"](
        Event(
            "heat_pump_care_maintenance_due",
            {"device_id": device.id, "task": "outdoor_unit", "due": "2026-11-22"},
        )
    )
    assert (
        due[LOGBOOK_ENTRY_MESSAGE] == "maintenance due: outdoor unit (since 2026-11-22)"
    )
    # An own task is named as the owner named it.
    own = described["heat_pump_care_maintenance_due"](
        Event(
            "heat_pump_care_maintenance_due",
            {
                "device_id": device.id,
                "task": "descaling",
                "due": "2026-11-22",
                "task_name": "Descale the tank",
            },
        )
    )
    assert own[LOGBOOK_ENTRY_MESSAGE] == (
        "maintenance due: Descale the tank (since 2026-11-22)"
    )
