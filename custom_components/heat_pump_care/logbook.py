"""Describe Heat Pump Care's events in the logbook."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from homeassistant.components.logbook import LOGBOOK_ENTRY_MESSAGE, LOGBOOK_ENTRY_NAME
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util

from .const import DOMAIN, EVENT_FAULT, EVENT_MAINTENANCE_DUE, EVENT_RESET

RESET_MESSAGES = {
    "stopping": "started a safe reset: switching the thermostat and power off",
    "power_off": "safe reset: power is off until {power_restore_at}",
    "restoring": "safe reset: restoring power",
    "waiting_thermostat": "safe reset: power is back, waiting for the thermostat",
    "monitoring": "safe reset: power and thermostat restored, watching for the fault",
    "completed": "safe reset completed",
    "failed": "safe reset failed ({reason})",
    "cancelled": "safe reset cancelled",
    "fault_returned": "safe reset did not help: the fault came back",
}


def _local_time(value: object) -> str | None:
    """Return a stored instant as people read it: local, to the minute.

    "15:18" when it falls on today's local date, else "2026-12-08 00:15"
    (Home Assistant's time zone; the logbook may be read days later).
    """
    moment = dt_util.parse_datetime(value) if isinstance(value, str) else None
    if moment is None or moment.tzinfo is None:
        return None
    local = dt_util.as_local(moment)
    if local.date() == dt_util.now().date():
        return f"{local:%H:%M}"
    return f"{local:%Y-%m-%d %H:%M}"


def _device_name(hass: HomeAssistant, data: Mapping[str, Any]) -> str:
    device_id = data.get("device_id")
    device = dr.async_get(hass).async_get(device_id) if device_id else None
    if device is not None:
        return device.name_by_user or device.name or "Heat Pump Care"
    return "Heat Pump Care"


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, str]]], None],
) -> None:
    """Describe the reset, fault and maintenance events."""

    @callback
    def describe_reset(event: Event) -> dict[str, str]:
        data = event.data
        template = RESET_MESSAGES.get(str(data.get("status")), "safe reset: {status}")
        message = template.format(
            status=data.get("status"),
            reason=data.get("reason") or "unknown reason",
            power_restore_at=_local_time(data.get("power_restore_at"))
            or "the deadline",
        )
        return {
            LOGBOOK_ENTRY_NAME: _device_name(hass, data),
            LOGBOOK_ENTRY_MESSAGE: message,
        }

    @callback
    def describe_fault(event: Event) -> dict[str, str]:
        data = event.data
        message = f"reported error {data.get('code')}"
        if data.get("meaning"):
            message += f" ({data['meaning']})"
        if data.get("returned_after_reset"):
            message += " again after a safe reset: call a technician"
        return {
            LOGBOOK_ENTRY_NAME: _device_name(hass, data),
            LOGBOOK_ENTRY_MESSAGE: message,
        }

    @callback
    def describe_due(event: Event) -> dict[str, str]:
        data = event.data
        # An own task is shown by the name the owner gave it.
        task = data.get("task_name") or str(data.get("task", "")).replace("_", " ")
        return {
            LOGBOOK_ENTRY_NAME: _device_name(hass, data),
            LOGBOOK_ENTRY_MESSAGE: f"maintenance due: {task} (since {data.get('due')})",
        }

    async_describe_event(DOMAIN, EVENT_RESET, describe_reset)
    async_describe_event(DOMAIN, EVENT_FAULT, describe_fault)
    async_describe_event(DOMAIN, EVENT_MAINTENANCE_DUE, describe_due)
