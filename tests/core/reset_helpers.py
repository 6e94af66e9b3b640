"""Builders shared by the reset-core tests: every phase reached by real events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from custom_components.heat_pump_care.reset import (
    Cancel,
    Command,
    ErrorCodeReport,
    Event,
    RelayReport,
    ResetSettings,
    ResetState,
    Start,
    ThermostatReport,
    ThermostatSnapshot,
    Tick,
    step,
)

T0 = datetime(2025, 1, 15, 8, 0, tzinfo=UTC)
SETTINGS = ResetSettings(max_resets_per_day=10, fault_watch_minutes=30)
SNAP = ThermostatSnapshot(
    hvac_mode="heat_cool",
    temperature=None,
    target_temp_low=19.0,
    target_temp_high=24.5,
    fan_mode="auto",
)


def sec(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


def start_event(
    now: datetime = T0,
    *,
    off_minutes: int = 30,
    force: bool = False,
    has_power_switch: bool = True,
    relay_on: bool | None = True,
    thermostat: ThermostatSnapshot | None = SNAP,
    error_code: str | None = None,
    error_category: str | None = None,
    reset_may_help: bool | None = None,
) -> Start:
    return Start(
        now,
        off_minutes,
        force,
        has_power_switch,
        relay_on,
        thermostat,
        error_code,
        error_category,
        reset_may_help,
    )


def run(
    state: ResetState, *events: Event, settings: ResetSettings = SETTINGS
) -> tuple[ResetState, list[Command]]:
    """Step through ``events``; return the last state and all commands."""
    commands: list[Command] = []
    for event in events:
        state, more = step(state, event, settings)
        commands += more
    return state, commands


def wake(state: ResetState) -> datetime:
    assert state.wake_at is not None
    return state.wake_at


def stopping(**kwargs: Any) -> ResetState:
    state, _ = run(ResetState.initial(), start_event(**kwargs))
    return state


def power_off(**kwargs: Any) -> ResetState:
    state, _ = run(stopping(**kwargs), RelayReport(T0 + sec(2), False))
    return state


def restoring(**kwargs: Any) -> ResetState:
    state = power_off(**kwargs)
    state, _ = run(state, Tick(wake(state)))
    return state


def waiting(**kwargs: Any) -> ResetState:
    state = restoring(**kwargs)
    assert state.restore_started_at is not None
    state, _ = run(state, RelayReport(state.restore_started_at + sec(1), True))
    return state


def monitoring(**kwargs: Any) -> ResetState:
    state = waiting(**kwargs)
    state, _ = run(state, ThermostatReport(wake(state) - sec(600), True))
    return state


def completed(**kwargs: Any) -> ResetState:
    state = monitoring(**kwargs)
    state, _ = run(state, Tick(wake(state)))
    return state


def failed(**kwargs: Any) -> ResetState:
    """A reset whose power could not be confirmed (``power_not_restored``)."""
    state = restoring(**kwargs)
    while state.wake_at is not None:
        state, _ = run(state, Tick(state.wake_at))
    return state


def cancelled(**kwargs: Any) -> ResetState:
    state = monitoring(**kwargs)
    state, _ = run(state, Cancel(wake(state) - sec(60)))
    return state


def fault_returned(code: str = "E1", **kwargs: Any) -> ResetState:
    state = monitoring(**kwargs)
    state, _ = run(state, ErrorCodeReport(wake(state) - sec(60), code))
    return state
