"""The phases of a safe reset."""

from __future__ import annotations

from enum import StrEnum


class Phase(StrEnum):
    """Where a safe reset is; the value is the ``reset_status`` state."""

    IDLE = "idle"
    STOPPING = "stopping"
    POWER_OFF = "power_off"
    RESTORING = "restoring"
    WAITING_THERMOSTAT = "waiting_thermostat"
    MONITORING = "monitoring"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    FAULT_RETURNED = "fault_returned"


ACTIVE_PHASES: frozenset[Phase] = frozenset(
    {
        Phase.STOPPING,
        Phase.POWER_OFF,
        Phase.RESTORING,
        Phase.WAITING_THERMOSTAT,
        Phase.MONITORING,
    }
)
"""Phases of a running reset; each of them always has a wake-up time."""

POWER_CUT_PHASES: frozenset[Phase] = frozenset(
    {Phase.STOPPING, Phase.POWER_OFF, Phase.RESTORING}
)
"""Phases in which the heat pump may be without power because of us."""

TERMINAL_PHASES: frozenset[Phase] = frozenset(Phase) - ACTIVE_PHASES
"""Phases in which no reset runs (``idle`` and the outcomes)."""
