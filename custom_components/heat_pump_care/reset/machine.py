"""The safe-reset state machine: ``step(state, event, settings)``.

A pure function: no I/O and no clock. It returns the next state and the
commands the shell must execute in order. The sequence::

    idle ─Start─▶ stopping ─relay off─▶ power_off ─deadline─▶ restoring
    restoring ─relay on─▶ waiting_thermostat ─available/timeout─▶ monitoring
    monitoring ─watch over─▶ completed   (error code ─▶ fault_returned)

Safety rules, in the order they win:

1. Power is never left cut past ``deadline``: the restore starts at the
   deadline, at once after a cancel, a ``Shutdown`` or a ``Resume`` past the
   deadline; it is re-sent on a schedule and whenever the relay reports off.
2. Without a confirmed "on" the reset ends ``failed`` / ``power_not_restored``
   (notification + critical issue), and every later "off" report while in
   that state is answered with a switch-on command.
3. A manual switch-on while power is cut counts as the restore.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import assert_never

from .events import (
    Acknowledge,
    Cancel,
    ClearIssue,
    Command,
    ErrorCodeReport,
    Event,
    Notify,
    RaiseIssue,
    RelayReport,
    Resume,
    SetRelay,
    SetThermostatOff,
    Shutdown,
    Start,
    ThermostatReport,
    Tick,
)
from .model import ResetSettings, ResetState, code_key
from .outcomes import (
    Result,
    after_thermostat,
    begin_restore,
    failed_without_power,
    fault_returned,
    finish,
    late_power,
    next_restore_wake,
    power_confirmed,
    relay_seen,
    restore_thermostat,
)
from .phases import ACTIVE_PHASES, POWER_CUT_PHASES, Phase
from .refusals import (
    ISSUE_FAULT_RETURNED,
    ISSUE_POWER_NOT_RESTORED,
    REASON_CANCELLED,
    REASON_ENTRY_REMOVED,
    REASON_INTERRUPTED,
    REASON_POWER_NOT_RESTORED,
    REASON_POWER_RESTORED_EXTERNALLY,
    REASON_RELAY_NOT_OFF,
    REASON_THERMOSTAT_NOT_RESTORED,
    check_start,
)


def step(state: ResetState, event: Event, settings: ResetSettings) -> Result:
    """Return the state after ``event`` and the commands to execute in order.

    ``Start`` raises ``ResetRefused`` (state unchanged) when refused. Events
    that mean nothing in the current phase return the state unchanged and
    no commands.
    """
    match event:
        case Start():
            return _start(state, event, settings)
        case RelayReport():
            return _relay_report(state, event, settings)
        case ThermostatReport():
            return _thermostat_report(state, event, settings)
        case ErrorCodeReport():
            return _error_code_report(state, event)
        case Tick():
            return _tick(state, event.now, settings)
        case Cancel():
            return _cancel(state, event.now, settings)
        case Resume():
            return _resume(state, event, settings)
        case Shutdown():
            return _shutdown(state, event.now)
        case Acknowledge():
            return _acknowledge(state, event)
        case _:
            assert_never(event)


# --- event handlers ----------------------------------------------------------


def _start(state: ResetState, event: Start, settings: ResetSettings) -> Result:
    check_start(state, event, settings)
    code = (event.error_code or "").strip() or None
    new = ResetState(
        phase=Phase.STOPPING,
        started_at=event.now,
        off_minutes=event.off_minutes,
        forced=event.force,
        wake_at=event.now + settings.relay_verify,
        attempt=1,
        thermostat=event.thermostat,
        error_code_before=code,
        history=state.history,
        blocked_codes=state.blocked_codes,
        relay_on=event.relay_on,
    )
    commands: list[Command] = []
    if failed_without_power(state):
        # The switch reports on, so power did come back.
        commands.append(ClearIssue(kind=ISSUE_POWER_NOT_RESTORED))
    if event.thermostat is not None:
        commands.append(SetThermostatOff())
    commands.append(SetRelay(on=False))
    return new, commands


def _relay_report(
    state: ResetState, event: RelayReport, settings: ResetSettings
) -> Result:
    if failed_without_power(state):
        return late_power(state, event.is_on)
    if state.phase not in ACTIVE_PHASES:
        return state, []
    now, is_on = event.now, event.is_on
    state = relay_seen(state, is_on)
    match state.phase:
        case Phase.STOPPING if is_on is False:
            deadline = now + timedelta(minutes=state.off_minutes)
            return (
                replace(
                    state,
                    phase=Phase.POWER_OFF,
                    deadline=deadline,
                    wake_at=deadline,
                    attempt=0,
                ),
                [],
            )
        case Phase.POWER_OFF if is_on is True:
            return power_confirmed(
                replace(state, reason=REASON_POWER_RESTORED_EXTERNALLY), now, settings
            )
        case Phase.RESTORING if is_on is True:
            return power_confirmed(state, now, settings)
        case Phase.RESTORING if is_on is False:
            return replace(state, attempt=state.attempt + 1), [SetRelay(on=True)]
        case _:
            return state, []


def _thermostat_report(
    state: ResetState, event: ThermostatReport, settings: ResetSettings
) -> Result:
    if not event.available:
        return state, []
    if state.phase is Phase.WAITING_THERMOSTAT:
        state, commands = restore_thermostat(state)
        state, more = after_thermostat(state, event.now, settings)
        return state, commands + more
    if state.phase in (Phase.MONITORING, Phase.FAILED):
        return restore_thermostat(state)
    return state, []


def _error_code_report(state: ResetState, event: ErrorCodeReport) -> Result:
    code = (event.code or "").strip() or None
    if state.phase is Phase.MONITORING and code is not None:
        return fault_returned(state, event.now, code)
    if state.phase is Phase.WAITING_THERMOSTAT:
        return replace(state, error_code_seen=code), []
    return state, []


def _tick(state: ResetState, now: datetime, settings: ResetSettings) -> Result:
    if state.phase not in ACTIVE_PHASES or state.wake_at is None or now < state.wake_at:
        return state, []
    match state.phase:
        case Phase.STOPPING if state.attempt < settings.relay_off_attempts:
            return (
                replace(
                    state,
                    attempt=state.attempt + 1,
                    wake_at=now + settings.relay_verify,
                ),
                [SetRelay(on=False)],
            )
        case Phase.STOPPING:
            return begin_restore(state, now, settings, reason=REASON_RELAY_NOT_OFF)
        case Phase.POWER_OFF:
            return begin_restore(state, now, settings)
        case Phase.RESTORING:
            return _restore_tick(state, now, settings)
        case Phase.WAITING_THERMOSTAT:
            reason = state.reason or REASON_THERMOSTAT_NOT_RESTORED
            return after_thermostat(replace(state, reason=reason), now, settings)
        case _:  # MONITORING: the watch is over without a fault
            return finish(state, now, Phase.COMPLETED, state.reason), []


def _restore_tick(state: ResetState, now: datetime, settings: ResetSettings) -> Result:
    """Handle a retry or give-up time of the restore."""
    if state.relay_on is True:
        # Known on and no "off" since: the relay was already on (no change
        # to report) when we asked for "on".
        return power_confirmed(state, now, settings)
    assert state.restore_started_at is not None  # noqa: S101 - RESTORING has it
    if now >= state.restore_started_at + settings.restore_give_up:
        failed = finish(state, now, Phase.FAILED, REASON_POWER_NOT_RESTORED)
        return failed, [
            Notify(kind=ISSUE_POWER_NOT_RESTORED),
            RaiseIssue(kind=ISSUE_POWER_NOT_RESTORED),
        ]
    return (
        replace(
            state,
            attempt=state.attempt + 1,
            wake_at=next_restore_wake(state.restore_started_at, now, settings),
        ),
        [SetRelay(on=True)],
    )


def _cancel(state: ResetState, now: datetime, settings: ResetSettings) -> Result:
    match state.phase:
        case Phase.STOPPING | Phase.POWER_OFF:
            return begin_restore(
                state, now, settings, reason=REASON_CANCELLED, cancel=True
            )
        case Phase.RESTORING:
            new = replace(
                state,
                cancel_requested=True,
                reason=REASON_CANCELLED,
                attempt=state.attempt + 1,
            )
            return new, [SetRelay(on=True)]
        case Phase.WAITING_THERMOSTAT:
            state, commands = restore_thermostat(state)
            return finish(state, now, Phase.CANCELLED, REASON_CANCELLED), commands
        case Phase.MONITORING:
            return finish(state, now, Phase.CANCELLED, REASON_CANCELLED), []
        case Phase.FAILED if failed_without_power(state):
            return state, [SetRelay(on=True)]
        case _:
            return state, []


def _resume(state: ResetState, event: Resume, settings: ResetSettings) -> Result:
    now = event.now
    commands: list[Command]
    if failed_without_power(state):
        state, commands = late_power(state, event.relay_on)
        if event.thermostat_available:
            state, more = restore_thermostat(state)
            commands += more
        return state, commands
    if state.phase not in ACTIVE_PHASES:
        return _resume_terminal(state, event, settings)
    state = relay_seen(state, event.relay_on)
    match state.phase:
        case Phase.STOPPING:
            state, commands = begin_restore(
                state, now, settings, reason=REASON_INTERRUPTED, cancel=True
            )
            if event.relay_on is True:
                state, more = power_confirmed(state, now, settings)
                commands += more
            return state, commands
        case Phase.POWER_OFF:
            assert state.deadline is not None  # noqa: S101 - POWER_OFF has it
            if event.relay_on is True:
                return power_confirmed(
                    replace(state, reason=REASON_POWER_RESTORED_EXTERNALLY),
                    now,
                    settings,
                )
            if now >= state.deadline:
                return begin_restore(state, now, settings)
            return replace(state, wake_at=state.deadline), []
        case Phase.RESTORING:
            if event.relay_on is True:
                return power_confirmed(state, now, settings)
            return begin_restore(state, now, settings)
        case Phase.WAITING_THERMOSTAT:
            state = replace(
                state,
                error_code_seen=(event.error_code or "").strip()
                or state.error_code_seen,
            )
            if event.thermostat_available:
                return _thermostat_report(state, ThermostatReport(now, True), settings)
            return _tick(state, now, settings)
        case _:  # MONITORING
            commands = []
            if event.thermostat_available:
                state, commands = restore_thermostat(state)
            code = (event.error_code or "").strip()
            if code:
                state, more = fault_returned(state, now, code)
            else:
                state, more = _tick(state, now, settings)
            return state, commands + more


def _resume_terminal(
    state: ResetState, event: Resume, settings: ResetSettings
) -> Result:
    """Resume outside a reset: verify power after an unverified ``Shutdown``."""
    if not state.restore_on_resume:
        return state, []
    state = replace(
        state,
        restore_on_resume=False,
        relay_on=event.relay_on,
        power_was_cut=state.power_was_cut or event.relay_on is not True,
    )
    if event.relay_on is True:
        return state, []
    return begin_restore(
        state, event.now, settings, reason=REASON_ENTRY_REMOVED, cancel=True
    )


def _shutdown(state: ResetState, now: datetime) -> Result:
    if state.phase in POWER_CUT_PHASES:
        restored, thermostat_commands = restore_thermostat(state)
        new = finish(
            replace(restored, restore_on_resume=True),
            now,
            Phase.CANCELLED,
            REASON_ENTRY_REMOVED,
        )
        return new, [SetRelay(on=True), *thermostat_commands]
    if state.phase is Phase.WAITING_THERMOSTAT:
        restored, commands = restore_thermostat(state)
        return finish(restored, now, Phase.CANCELLED, REASON_ENTRY_REMOVED), commands
    if failed_without_power(state):
        return state, [SetRelay(on=True)]
    return state, []


def _acknowledge(state: ResetState, event: Acknowledge) -> Result:
    key = code_key(event.code)
    if key is None or key not in state.blocked_codes:
        return state, []
    return (
        replace(state, blocked_codes=state.blocked_codes - {key}),
        [ClearIssue(kind=ISSUE_FAULT_RETURNED, code=event.code.strip())],
    )
