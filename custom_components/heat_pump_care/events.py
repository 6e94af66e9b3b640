"""The integration's events: on the bus (the CONTRACT's names) and as entities.

Each payload is built here once and goes both to the bus, for automations,
and to the heat pump's ``event`` entities, for dashboards and the logbook.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback

from .catalog import Category, CodeEntry
from .const import EVENT_FAULT, EVENT_HEALTH, EVENT_MAINTENANCE_DUE, EVENT_RESET
from .reset import Phase, ResetState

type EventListener = Callable[[str, dict[str, Any]], None]


class EventKind(StrEnum):
    """The heat pump's event entities (translation keys)."""

    FAULT = "fault_event"
    RESET = "reset_event"
    MAINTENANCE = "maintenance_event"
    HEALTH = "health_event"


FAULT_FIRST = "fault"
FAULT_RETURNED = "fault_returned"
MAINTENANCE_DUE = "due"
PROBLEM_STARTED = "problem_started"
PROBLEM_ENDED = "problem_ended"

#: The event types each event entity announces.
EVENT_TYPES: dict[EventKind, list[str]] = {
    EventKind.FAULT: [FAULT_FIRST, FAULT_RETURNED],
    EventKind.RESET: [str(phase) for phase in Phase],
    EventKind.MAINTENANCE: [MAINTENANCE_DUE],
    EventKind.HEALTH: [PROBLEM_STARTED, PROBLEM_ENDED],
}


class HeatPumpEvents:
    """Fires one heat pump's events and hands them to its event entities."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Fire for ``entry``; ``device_id`` is set once the device exists."""
        self._hass = hass
        self._entry_id = entry.entry_id
        self.device_id: str | None = None
        self._listeners: dict[EventKind, list[EventListener]] = {
            kind: [] for kind in EventKind
        }

    @callback
    def async_subscribe(
        self, kind: EventKind, listener: EventListener
    ) -> CALLBACK_TYPE:
        """Call ``listener(event_type, data)`` on each event of ``kind``."""
        self._listeners[kind].append(listener)
        return lambda: self._listeners[kind].remove(listener)

    @callback
    def fire_fault(
        self, code: str, entry: CodeEntry | None, *, returned_after_reset: bool
    ) -> None:
        """Announce a code that became active or came back after a safe reset."""
        self._fire(
            EventKind.FAULT,
            FAULT_RETURNED if returned_after_reset else FAULT_FIRST,
            EVENT_FAULT,
            {
                "code": code,
                "category": str(entry.category if entry else Category.OTHER),
                "meaning": entry.meaning if entry else None,
                "reset_may_help": entry.reset_may_help if entry else None,
                "returned_after_reset": returned_after_reset,
            },
        )

    @callback
    def fire_reset(self, state: ResetState) -> None:
        """Announce the safe reset's new phase."""
        self._fire(
            EventKind.RESET,
            str(state.phase),
            EVENT_RESET,
            {
                "status": str(state.phase),
                "error_code_before": state.error_code_before,
                "reason": state.reason,
                "power_restore_at": state.deadline.isoformat()
                if state.deadline
                else None,
            },
        )

    @callback
    def fire_due(self, task: str, due: date, name: str | None = None) -> None:
        """Announce a maintenance task that became due (an own task with its name)."""
        self._fire(
            EventKind.MAINTENANCE,
            MAINTENANCE_DUE,
            EVENT_MAINTENANCE_DUE,
            {"task": str(task), "due": due.isoformat(), "task_name": name},
        )

    @callback
    def fire_health(self, problem: str, *, active: bool) -> None:
        """Announce a health problem that started or ended."""
        self._fire(
            EventKind.HEALTH,
            PROBLEM_STARTED if active else PROBLEM_ENDED,
            EVENT_HEALTH,
            {"problem": problem, "active": active},
        )

    def _fire(
        self, kind: EventKind, event_type: str, bus_event: str, data: dict[str, Any]
    ) -> None:
        self._hass.bus.async_fire(
            bus_event,
            {"config_entry_id": self._entry_id, "device_id": self.device_id, **data},
        )
        for listener in list(self._listeners[kind]):
            listener(event_type, data)
