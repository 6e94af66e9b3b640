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
    FireFault,
    Notify,
    RaiseIssue,
    RelayReport,
    RestoreThermostat,
    Resume,
    SetRelay,
    SetThermostatOff,
    Shutdown,
    Start,
    ThermostatReport,
    Tick,
)
from .model import (
    ACTIVE_PHASES,
    HARMFUL_CATEGORIES,
    HISTORY_LIMIT,
    POWER_CUT_PHASES,
    Phase,
    ResetRecord,
    ResetSettings,
    ResetState,
    normalize_code,
)

# Reason keys (``ResetState.reason``; also the refusal keys of ``ResetRefused``).
REASON_RELAY_NOT_OFF = "relay_not_off"
REASON_POWER_NOT_RESTORED = "power_not_restored"
REASON_POWER_RESTORED_LATE = "power_restored_late"
REASON_POWER_RESTORED_EXTERNALLY = "power_restored_externally"
REASON_THERMOSTAT_NOT_RESTORED = "thermostat_not_restored"
REASON_CANCELLED = "cancelled"
REASON_INTERRUPTED = "interrupted"
REASON_ENTRY_REMOVED = "entry_removed"

REFUSE_NO_POWER_SWITCH = "no_power_switch"
REFUSE_SWITCH_UNAVAILABLE = "switch_unavailable"
REFUSE_SWITCH_OFF = "switch_off"
REFUSE_ALREADY_RUNNING = "already_running"
REFUSE_LIMIT_REACHED = "limit_reached"
REFUSE_HARMFUL_CODE = "harmful_code"
REFUSE_FAULT_UNACKNOWLEDGED = "fault_unacknowledged"

ISSUE_POWER_NOT_RESTORED = "power_not_restored"
ISSUE_FAULT_RETURNED = "fault_returned"

type Result = tuple[ResetState, list[Command]]


class ResetRefused(Exception):  # noqa: N818 - name fixed by the interface
    """A reset cannot start; ``reason`` is a translation key."""

    def __init__(self, reason: str, placeholders: dict[str, str] | None = None) -> None:
        """Store the reason key and its translation placeholders."""
        super().__init__(reason)
        self.reason = reason
        self.placeholders: dict[str, str] = placeholders or {}


def check_start(state: ResetState, event: Start, settings: ResetSettings) -> None:
    """Raise ``ResetRefused`` when ``event`` must not start a reset.

    Checked in this order: no power switch, a reset already running, switch
    unavailable, switch already off, the active code returned after an
    earlier reset and is not acknowledged (``force`` does not help), the
    active code's category is harmful (``force`` overrides), the rolling
    24-hour limit (``force`` does not help). ``reset_may_help`` does not
    override a harmful category.
    """
    if not event.has_power_switch:
        raise ResetRefused(REFUSE_NO_POWER_SWITCH)
    if state.running:
        raise ResetRefused(REFUSE_ALREADY_RUNNING)
    if event.relay_on is None:
        raise ResetRefused(REFUSE_SWITCH_UNAVAILABLE)
    if not event.relay_on:
        raise ResetRefused(REFUSE_SWITCH_OFF)
    code = normalize_code(event.error_code)
    shown = (event.error_code or "").strip()
    if code is not None and code in state.blocked_codes:
        raise ResetRefused(REFUSE_FAULT_UNACKNOWLEDGED, {"code": shown})
    category = event.error_category
    if not event.force and category is not None and category in HARMFUL_CATEGORIES:
        raise ResetRefused(REFUSE_HARMFUL_CODE, {"code": shown, "category": category})
    if state.resets_in_last_24h(event.now) >= settings.max_resets_per_day:
        raise ResetRefused(
            REFUSE_LIMIT_REACHED, {"limit": str(settings.max_resets_per_day)}
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


# --- building blocks ---------------------------------------------------------


def _finish(
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


def _next_restore_wake(
    started: datetime, now: datetime, settings: ResetSettings
) -> datetime:
    """Return the next retry time after ``now``, or the give-up time."""
    times = [started + timedelta(seconds=d) for d in settings.restore_retry_delays]
    times.append(started + settings.restore_give_up)
    return min(t for t in times if t > now)


def _begin_restore(
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
        wake_at=_next_restore_wake(now, now, settings),
        cancel_requested=state.cancel_requested or cancel,
        reason=reason if reason is not None else state.reason,
    )
    return new, [SetRelay(on=True)]


def _power_confirmed(
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
    return _after_thermostat(state, now, settings)


def _restore_thermostat(state: ResetState) -> Result:
    """Restore the thermostat snapshot (once)."""
    if state.thermostat is None or state.thermostat_restored:
        return state, []
    return (
        replace(state, thermostat_restored=True),
        [RestoreThermostat(snapshot=state.thermostat)],
    )


def _after_thermostat(
    state: ResetState, now: datetime, settings: ResetSettings
) -> Result:
    """Thermostat restored or given up: the outcome or the fault watch."""
    if state.reason == REASON_RELAY_NOT_OFF:
        return _finish(state, now, Phase.FAILED, state.reason), []
    if state.cancel_requested:
        return _finish(state, now, Phase.CANCELLED, state.reason), []
    if settings.fault_watch_minutes == 0:
        return _finish(state, now, Phase.COMPLETED, state.reason), []
    if state.error_code_seen is not None:
        return _fault_returned(state, now, state.error_code_seen)
    until = now + settings.fault_watch
    return replace(
        state, phase=Phase.MONITORING, monitor_until=until, wake_at=until
    ), []


def _fault_returned(state: ResetState, now: datetime, code: str) -> Result:
    """End with ``fault_returned``: the code is blocked until acknowledged."""
    shown = code.strip()
    key = normalize_code(code)
    blocked = state.blocked_codes if key is None else state.blocked_codes | {key}
    new = _finish(
        replace(state, blocked_codes=blocked, error_code_seen=shown),
        now,
        Phase.FAULT_RETURNED,
        state.reason,
    )
    return new, [
        FireFault(code=shown),
        RaiseIssue(kind=ISSUE_FAULT_RETURNED, code=shown),
    ]


def _failed_without_power(state: ResetState) -> bool:
    """Whether the reset failed and power was never confirmed back."""
    return state.phase is Phase.FAILED and state.reason == REASON_POWER_NOT_RESTORED


def _late_power(state: ResetState, is_on: bool | None) -> Result:
    """After ``power_not_restored``: switch on at every report, clear on success."""
    if is_on is None:
        return state, []
    if not is_on:
        return state, [SetRelay(on=True)]
    return (
        replace(state, reason=REASON_POWER_RESTORED_LATE, relay_on=True),
        [ClearIssue(kind=ISSUE_POWER_NOT_RESTORED)],
    )


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
    if _failed_without_power(state):
        # The switch reports on, so power did come back.
        commands.append(ClearIssue(kind=ISSUE_POWER_NOT_RESTORED))
    if event.thermostat is not None:
        commands.append(SetThermostatOff())
    commands.append(SetRelay(on=False))
    return new, commands


def _relay_report(
    state: ResetState, event: RelayReport, settings: ResetSettings
) -> Result:
    if _failed_without_power(state):
        return _late_power(state, event.is_on)
    if state.phase not in ACTIVE_PHASES:
        return state, []
    now, is_on = event.now, event.is_on
    state = replace(state, relay_on=is_on)
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
            return _power_confirmed(
                replace(state, reason=REASON_POWER_RESTORED_EXTERNALLY), now, settings
            )
        case Phase.RESTORING if is_on is True:
            return _power_confirmed(state, now, settings)
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
        state, commands = _restore_thermostat(state)
        state, more = _after_thermostat(state, event.now, settings)
        return state, commands + more
    if state.phase in (Phase.MONITORING, Phase.FAILED):
        return _restore_thermostat(state)
    return state, []


def _error_code_report(state: ResetState, event: ErrorCodeReport) -> Result:
    code = (event.code or "").strip() or None
    if state.phase is Phase.MONITORING and code is not None:
        return _fault_returned(state, event.now, code)
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
            return _begin_restore(state, now, settings, reason=REASON_RELAY_NOT_OFF)
        case Phase.POWER_OFF:
            return _begin_restore(state, now, settings)
        case Phase.RESTORING:
            return _restore_tick(state, now, settings)
        case Phase.WAITING_THERMOSTAT:
            reason = state.reason or REASON_THERMOSTAT_NOT_RESTORED
            return _after_thermostat(replace(state, reason=reason), now, settings)
        case _:  # MONITORING: the watch is over without a fault
            return _finish(state, now, Phase.COMPLETED, state.reason), []


def _restore_tick(state: ResetState, now: datetime, settings: ResetSettings) -> Result:
    """Handle a retry or give-up time of the restore."""
    if state.relay_on is True:
        # Known on and no "off" since: the relay was already on (no change
        # to report) when we asked for "on".
        return _power_confirmed(state, now, settings)
    assert state.restore_started_at is not None  # noqa: S101 - RESTORING has it
    if now >= state.restore_started_at + settings.restore_give_up:
        failed = _finish(state, now, Phase.FAILED, REASON_POWER_NOT_RESTORED)
        return failed, [
            Notify(kind=ISSUE_POWER_NOT_RESTORED),
            RaiseIssue(kind=ISSUE_POWER_NOT_RESTORED),
        ]
    return (
        replace(
            state,
            attempt=state.attempt + 1,
            wake_at=_next_restore_wake(state.restore_started_at, now, settings),
        ),
        [SetRelay(on=True)],
    )


def _cancel(state: ResetState, now: datetime, settings: ResetSettings) -> Result:
    match state.phase:
        case Phase.STOPPING | Phase.POWER_OFF:
            return _begin_restore(
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
            state, commands = _restore_thermostat(state)
            return _finish(state, now, Phase.CANCELLED, REASON_CANCELLED), commands
        case Phase.MONITORING:
            return _finish(state, now, Phase.CANCELLED, REASON_CANCELLED), []
        case Phase.FAILED if _failed_without_power(state):
            return state, [SetRelay(on=True)]
        case _:
            return state, []


def _resume(state: ResetState, event: Resume, settings: ResetSettings) -> Result:
    now = event.now
    commands: list[Command]
    if _failed_without_power(state):
        state, commands = _late_power(state, event.relay_on)
        if event.thermostat_available:
            state, more = _restore_thermostat(state)
            commands += more
        return state, commands
    if state.phase not in ACTIVE_PHASES:
        return _resume_terminal(state, event, settings)
    state = replace(state, relay_on=event.relay_on)
    match state.phase:
        case Phase.STOPPING:
            state, commands = _begin_restore(
                state, now, settings, reason=REASON_INTERRUPTED, cancel=True
            )
            if event.relay_on is True:
                state, more = _power_confirmed(state, now, settings)
                commands += more
            return state, commands
        case Phase.POWER_OFF:
            assert state.deadline is not None  # noqa: S101 - POWER_OFF has it
            if event.relay_on is True:
                return _power_confirmed(
                    replace(state, reason=REASON_POWER_RESTORED_EXTERNALLY),
                    now,
                    settings,
                )
            if now >= state.deadline:
                return _begin_restore(state, now, settings)
            return replace(state, wake_at=state.deadline), []
        case Phase.RESTORING:
            if event.relay_on is True:
                return _power_confirmed(state, now, settings)
            return _begin_restore(state, now, settings)
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
                state, commands = _restore_thermostat(state)
            code = (event.error_code or "").strip()
            if code:
                state, more = _fault_returned(state, now, code)
            else:
                state, more = _tick(state, now, settings)
            return state, commands + more


def _resume_terminal(
    state: ResetState, event: Resume, settings: ResetSettings
) -> Result:
    """Resume outside a reset: verify power after an unverified ``Shutdown``."""
    if not state.restore_on_resume:
        return state, []
    state = replace(state, restore_on_resume=False, relay_on=event.relay_on)
    if event.relay_on is True:
        return state, []
    return _begin_restore(
        state, event.now, settings, reason=REASON_ENTRY_REMOVED, cancel=True
    )


def _shutdown(state: ResetState, now: datetime) -> Result:
    if state.phase in POWER_CUT_PHASES:
        restored, thermostat_commands = _restore_thermostat(state)
        new = _finish(
            replace(restored, restore_on_resume=True),
            now,
            Phase.CANCELLED,
            REASON_ENTRY_REMOVED,
        )
        return new, [SetRelay(on=True), *thermostat_commands]
    if state.phase is Phase.WAITING_THERMOSTAT:
        restored, commands = _restore_thermostat(state)
        return _finish(restored, now, Phase.CANCELLED, REASON_ENTRY_REMOVED), commands
    if _failed_without_power(state):
        return state, [SetRelay(on=True)]
    return state, []


def _acknowledge(state: ResetState, event: Acknowledge) -> Result:
    key = normalize_code(event.code)
    if key is None or key not in state.blocked_codes:
        return state, []
    return (
        replace(state, blocked_codes=state.blocked_codes - {key}),
        [ClearIssue(kind=ISSUE_FAULT_RETURNED, code=event.code.strip())],
    )
