"""Building blocks of the state machine: restoring power and ending a reset."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from .events import (
    ClearIssue,
    Command,
    FireFault,
    RaiseIssue,
    RestoreThermostat,
    SetRelay,
)
from .model import HISTORY_LIMIT, ResetRecord, ResetSettings, ResetState, code_key
from .phases import POWER_CUT_PHASES, Phase
from .refusals import (
    ISSUE_FAULT_RETURNED,
    ISSUE_POWER_NOT_RESTORED,
    REASON_POWER_NOT_RESTORED,
    REASON_POWER_RESTORED_LATE,
    REASON_RELAY_NOT_OFF,
)

type Result = tuple[ResetState, list[Command]]
"""The next state and the commands to execute in order."""


def finish(
    state: ResetState, now: datetime, outcome: Phase, reason: str | None
) -> ResetState:
    """End the reset with ``outcome`` and record it in the history.

    A reset that re-opened after ``Shutdown`` (to verify power) replaces its
    own earlier record instead of counting twice.
    """
    assert state.started_at is not None  # noqa: S101 - guaranteed by ResetState
    record = ResetRecord(
        started_at=state.started_at,
        ended_at=now,
        outcome=outcome,
        error_code_before=state.error_code_before,
        off_minutes=state.off_minutes,
        forced=state.forced,
        reason=reason,
        power_was_cut=state.power_was_cut,
    )
    history = state.history
    if history and history[-1].started_at == state.started_at:
        history = history[:-1]
    return replace(
        state,
        phase=outcome,
        reason=reason,
        wake_at=None,
        history=(*history, record)[-HISTORY_LIMIT:],
    )


def relay_seen(state: ResetState, is_on: bool | None) -> ResetState:
    """Take a relay report; off or unknown while cutting marks a power cut."""
    cut = is_on is not True and state.phase in POWER_CUT_PHASES
    return replace(state, relay_on=is_on, power_was_cut=state.power_was_cut or cut)


def next_restore_wake(
    started: datetime, now: datetime, settings: ResetSettings
) -> datetime:
    """Return the next retry time after ``now``, or the give-up time."""
    times = [started + timedelta(seconds=d) for d in settings.restore_retry_delays]
    times.append(started + settings.restore_give_up)
    return min(t for t in times if t > now)


def begin_restore(
    state: ResetState,
    now: datetime,
    settings: ResetSettings,
    *,
    reason: str | None = None,
    cancel: bool = False,
) -> Result:
    """Switch power on and start verifying it (retries, then give-up)."""
    new = replace(
        state,
        phase=Phase.RESTORING,
        attempt=1,
        restore_started_at=now,
        wake_at=next_restore_wake(now, now, settings),
        cancel_requested=state.cancel_requested or cancel,
        reason=reason if reason is not None else state.reason,
    )
    return new, [SetRelay(on=True)]


def power_confirmed(
    state: ResetState, now: datetime, settings: ResetSettings
) -> Result:
    """Power is back: wait for the thermostat, or go on to the outcome."""
    state = replace(state, relay_on=True)
    if state.thermostat is not None and not state.thermostat_restored:
        return (
            replace(
                state,
                phase=Phase.WAITING_THERMOSTAT,
                wake_at=now + settings.thermostat_wait,
            ),
            [],
        )
    return after_thermostat(state, now, settings)


def restore_thermostat(state: ResetState) -> Result:
    """Restore the thermostat snapshot (once)."""
    if state.thermostat is None or state.thermostat_restored:
        return state, []
    return (
        replace(state, thermostat_restored=True),
        [RestoreThermostat(snapshot=state.thermostat)],
    )


def after_thermostat(
    state: ResetState, now: datetime, settings: ResetSettings
) -> Result:
    """Thermostat restored or given up: the outcome or the fault watch."""
    if state.reason == REASON_RELAY_NOT_OFF:
        return finish(state, now, Phase.FAILED, state.reason), []
    if state.cancel_requested:
        return finish(state, now, Phase.CANCELLED, state.reason), []
    if settings.fault_watch_minutes == 0:
        return finish(state, now, Phase.COMPLETED, state.reason), []
    if state.error_code_seen is not None:
        return fault_returned(state, now, state.error_code_seen)
    until = now + settings.fault_watch
    return replace(
        state, phase=Phase.MONITORING, monitor_until=until, wake_at=until
    ), []


def fault_returned(state: ResetState, now: datetime, code: str) -> Result:
    """End with ``fault_returned``: the code is blocked until acknowledged."""
    shown = code.strip()
    key = code_key(code)
    blocked = state.blocked_codes if key is None else state.blocked_codes | {key}
    new = finish(
        replace(state, blocked_codes=blocked, error_code_seen=shown),
        now,
        Phase.FAULT_RETURNED,
        state.reason,
    )
    return new, [
        FireFault(code=shown),
        RaiseIssue(kind=ISSUE_FAULT_RETURNED, code=shown),
    ]


def failed_without_power(state: ResetState) -> bool:
    """Whether the reset failed and power was never confirmed back."""
    return state.phase is Phase.FAILED and state.reason == REASON_POWER_NOT_RESTORED


def late_power(state: ResetState, is_on: bool | None) -> Result:
    """After ``power_not_restored``: switch on at every report, clear on success."""
    if is_on is None:
        return state, []
    if not is_on:
        return state, [SetRelay(on=True)]
    return (
        replace(state, reason=REASON_POWER_RESTORED_LATE, relay_on=True),
        [ClearIssue(kind=ISSUE_POWER_NOT_RESTORED)],
    )
