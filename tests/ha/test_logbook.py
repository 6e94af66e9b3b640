"""The integration's events read well in the logbook."""

from __future__ import annotations

from pytest_homeassistant_custom_component.common import MockConfigEntry

from homeassistant.components.logbook import LOGBOOK_ENTRY_MESSAGE, LOGBOOK_ENTRY_NAME
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import device_registry as dr

from custom_components.heat_pump_care.logbook import async_describe_events

from .common import DOMAIN


async def test_describe_events(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Each event type is described with the heat pump's name."""
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, init_integration.entry_id), init_integration.entry_id
    )
    assert device is not None
    described = {}

    def register(domain: str, event_type: str, describe: object) -> None:
        assert domain == DOMAIN
        described[event_type] = describe

    async_describe_events(hass, register)
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
    assert reset[LOGBOOK_ENTRY_MESSAGE] == (
        "safe reset: power is off until 2026-11-22T09:30:00+00:00"
    )
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
