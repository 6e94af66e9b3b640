"""Every phase x every event: the resulting phase and the commands."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from custom_components.heat_pump_care.reset import (
    ACTIVE_PHASES,
    Acknowledge,
    Cancel,
    ClearIssue,
    ErrorCodeReport,
    Event,
    FireFault,
    Phase,
    RaiseIssue,
    RelayReport,
    ResetRefused,
    ResetState,
    RestoreThermostat,
    Resume,
    SetRelay,
    SetThermostatOff,
    Shutdown,
    ThermostatReport,
    Tick,
    step,
)
from tests.core.reset_helpers import (
    SETTINGS,
    SNAP,
    cancelled,
    completed,
    failed,
    fault_returned,
    monitoring,
    power_off,
    restoring,
    sec,
    start_event,
    stopping,
    waiting,
)

BUILDERS: dict[Phase, Callable[[], ResetState]] = {
    Phase.IDLE: ResetState.initial,
    Phase.STOPPING: stopping,
    Phase.POWER_OFF: power_off,
    Phase.RESTORING: restoring,
    Phase.WAITING_THERMOSTAT: waiting,
    Phase.MONITORING: monitoring,
    Phase.COMPLETED: completed,
    Phase.FAILED: failed,
    Phase.CANCELLED: cancelled,
    Phase.FAULT_RETURNED: fault_returned,
}


def _reference_time(state: ResetState) -> datetime:
    """A moment inside the phase: before its wake-up, or after it ended."""
    if state.wake_at is not None:
        return state.wake_at - sec(5)
    if state.history:
        return state.history[-1].ended_at + sec(60)
    return datetime(2025, 1, 15, 7, 0, tzinfo=UTC)


def _event(kind: str, state: ResetState) -> Event:
    now = _reference_time(state)
    events: dict[str, Event] = {
        "start": start_event(now),
        "relay_on": RelayReport(now, True),
        "relay_off": RelayReport(now, False),
        "relay_none": RelayReport(now, None),
        "thermo_up": ThermostatReport(now, True),
        "thermo_down": ThermostatReport(now, False),
        "code": ErrorCodeReport(now, "E1"),
        "no_code": ErrorCodeReport(now, None),
        "tick": Tick(state.wake_at or now),
        "cancel": Cancel(now),
        "resume": Resume(now, None, False),
        "shutdown": Shutdown(now),
        "ack": Acknowledge(now, "e1"),
    }
    return events[kind]


SAME = "same"
REFUSED = "refused"
RELAY_ON = SetRelay(on=True)
RESTORE = RestoreThermostat(SNAP)
START_COMMANDS = [SetThermostatOff(), SetRelay(on=False)]

# phase -> event -> (phase afterwards or SAME/REFUSED, commands)
_TERMINAL_QUIET: dict[str, tuple[object, list[object]]] = {
    "start": (Phase.STOPPING, START_COMMANDS),
    **{
        kind: (SAME, [])
        for kind in (
            "relay_on",
            "relay_off",
            "relay_none",
            "thermo_up",
            "thermo_down",
            "code",
            "no_code",
            "tick",
            "cancel",
            "resume",
            "shutdown",
            "ack",
        )
    },
}
EXPECTED: dict[Phase, dict[str, tuple[object, list[object]]]] = {
    Phase.IDLE: _TERMINAL_QUIET,
    Phase.COMPLETED: _TERMINAL_QUIET,
    Phase.CANCELLED: _TERMINAL_QUIET,
    Phase.FAULT_RETURNED: {
        **_TERMINAL_QUIET,
        "ack": (SAME, [ClearIssue("fault_returned", "e1")]),
    },
    Phase.FAILED: {
        **_TERMINAL_QUIET,
        "start": (
            Phase.STOPPING,
            [ClearIssue("power_not_restored"), *START_COMMANDS],
        ),
        "relay_on": (SAME, [ClearIssue("power_not_restored")]),
        "relay_off": (SAME, [RELAY_ON]),
        "thermo_up": (SAME, [RESTORE]),
        "cancel": (SAME, [RELAY_ON]),
        "shutdown": (SAME, [RELAY_ON]),
    },
    Phase.STOPPING: {
        "start": (REFUSED, []),
        "relay_on": (SAME, []),
        "relay_off": (Phase.POWER_OFF, []),
        "relay_none": (SAME, []),
        "thermo_up": (SAME, []),
        "thermo_down": (SAME, []),
        "code": (SAME, []),
        "no_code": (SAME, []),
        "tick": (SAME, [SetRelay(on=False)]),
        "cancel": (Phase.RESTORING, [RELAY_ON]),
        "resume": (Phase.RESTORING, [RELAY_ON]),
        "shutdown": (Phase.CANCELLED, [RELAY_ON, RESTORE]),
        "ack": (SAME, []),
    },
    Phase.POWER_OFF: {
        "start": (REFUSED, []),
        "relay_on": (Phase.WAITING_THERMOSTAT, []),
        "relay_off": (SAME, []),
        "relay_none": (SAME, []),
        "thermo_up": (SAME, []),
        "thermo_down": (SAME, []),
        "code": (SAME, []),
        "no_code": (SAME, []),
        "tick": (Phase.RESTORING, [RELAY_ON]),
        "cancel": (Phase.RESTORING, [RELAY_ON]),
        "resume": (SAME, []),
        "shutdown": (Phase.CANCELLED, [RELAY_ON, RESTORE]),
        "ack": (SAME, []),
    },
    Phase.RESTORING: {
        "start": (REFUSED, []),
        "relay_on": (Phase.WAITING_THERMOSTAT, []),
        "relay_off": (SAME, [RELAY_ON]),
        "relay_none": (SAME, []),
        "thermo_up": (SAME, []),
        "thermo_down": (SAME, []),
        "code": (SAME, []),
        "no_code": (SAME, []),
        "tick": (SAME, [RELAY_ON]),
        "cancel": (SAME, [RELAY_ON]),
        "resume": (SAME, [RELAY_ON]),
        "shutdown": (Phase.CANCELLED, [RELAY_ON, RESTORE]),
        "ack": (SAME, []),
    },
    Phase.WAITING_THERMOSTAT: {
        "start": (REFUSED, []),
        "relay_on": (SAME, []),
        "relay_off": (SAME, []),
        "relay_none": (SAME, []),
        "thermo_up": (Phase.MONITORING, [RESTORE]),
        "thermo_down": (SAME, []),
        "code": (SAME, []),
        "no_code": (SAME, []),
        "tick": (Phase.MONITORING, []),
        "cancel": (Phase.CANCELLED, [RESTORE]),
        "resume": (SAME, []),
        "shutdown": (Phase.CANCELLED, [RESTORE]),
        "ack": (SAME, []),
    },
    Phase.MONITORING: {
        "start": (REFUSED, []),
        "relay_on": (SAME, []),
        "relay_off": (SAME, []),
        "relay_none": (SAME, []),
        "thermo_up": (SAME, []),
        "thermo_down": (SAME, []),
        "code": (
            Phase.FAULT_RETURNED,
            [FireFault("E1"), RaiseIssue("fault_returned", "E1")],
        ),
        "no_code": (SAME, []),
        "tick": (Phase.COMPLETED, []),
        "cancel": (Phase.CANCELLED, []),
        "resume": (SAME, []),
        "shutdown": (SAME, []),
        "ack": (SAME, []),
    },
}

CASES = [
    (phase, kind, expected)
    for phase, table in EXPECTED.items()
    for kind, expected in table.items()
]


def test_matrix_is_complete() -> None:
    assert set(EXPECTED) == set(Phase)
    kinds = set(EXPECTED[Phase.IDLE])
    assert all(set(table) == kinds for table in EXPECTED.values())


@pytest.mark.parametrize(
    ("phase", "kind", "expected"),
    CASES,
    ids=[f"{phase.value}-{kind}" for phase, kind, _ in CASES],
)
def test_phase_event(
    phase: Phase, kind: str, expected: tuple[object, list[object]]
) -> None:
    state = BUILDERS[phase]()
    assert state.phase is phase
    event = _event(kind, state)
    want_phase, want_commands = expected
    if want_phase == REFUSED:
        with pytest.raises(ResetRefused) as refused:
            step(state, event, SETTINGS)
        assert refused.value.reason == "already_running"
        return
    after, commands = step(state, event, SETTINGS)
    assert commands == want_commands
    assert after.phase is (phase if want_phase == SAME else want_phase)
    if after.phase in ACTIVE_PHASES:
        assert after.wake_at is not None
        assert after.wake_at > event.now
    else:
        assert after.wake_at is None
    if after.phase is not phase and after.phase not in ACTIVE_PHASES:
        # Every terminal transition is recorded once.
        assert after.history[-1].outcome is after.phase
        assert after.history[-1].ended_at == event.now
        assert len(after.history) == len(state.history) + 1
    if want_phase == SAME and not commands:
        # Ignored events change nothing but the remembered relay state (with
        # whether the power may have been cut) and the error code seen while
        # waiting for the thermostat.
        after = replace(
            after,
            relay_on=state.relay_on,
            error_code_seen=state.error_code_seen,
            power_was_cut=state.power_was_cut,
        )
        assert after == state
