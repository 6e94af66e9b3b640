"""Example tests of the safe-reset state machine: timings, retries, guards."""

from __future__ import annotations

from datetime import timedelta

import pytest

from custom_components.heat_pump_care.reset import (
    Acknowledge,
    Cancel,
    ClearIssue,
    ErrorCodeReport,
    FireFault,
    Notify,
    Phase,
    RaiseIssue,
    RelayReport,
    ResetRecord,
    ResetRefused,
    ResetSettings,
    ResetState,
    RestoreThermostat,
    Resume,
    SetRelay,
    SetThermostatOff,
    Shutdown,
    ThermostatReport,
    Tick,
    check_start,
    step,
)
from tests.core.reset_helpers import (
    SETTINGS,
    SNAP,
    T0,
    fault_returned,
    monitoring,
    power_off,
    restoring,
    run,
    sec,
    start_event,
    stopping,
    waiting,
    wake,
)

ON = SetRelay(on=True)
OFF = SetRelay(on=False)
MIN = timedelta(minutes=1)

# --- refusals ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "reason", "placeholders"),
    [
        ({"has_power_switch": False}, "no_power_switch", {}),
        ({"relay_on": None}, "switch_unavailable", {}),
        ({"relay_on": False}, "switch_off", {}),
        (
            {"error_code": " e7 ", "error_category": "refrigerant"},
            "harmful_code",
            {"code": "e7", "category": "refrigerant"},
        ),
        (
            {
                "error_code": "P1",
                "error_category": "pressure",
                "reset_may_help": True,
            },
            "harmful_code",
            {"code": "P1", "category": "pressure"},
        ),
    ],
)
def test_refusals(
    kwargs: dict[str, object], reason: str, placeholders: dict[str, str]
) -> None:
    state = ResetState.initial()
    with pytest.raises(ResetRefused) as refused:
        step(state, start_event(**kwargs), SETTINGS)  # type: ignore[arg-type]
    assert refused.value.reason == reason
    assert refused.value.placeholders == placeholders
    assert str(refused.value) == reason


@pytest.mark.parametrize("category", ["compressor", "drain", "pressure", "refrigerant"])
def test_force_overrides_harmful_category(category: str) -> None:
    event = start_event(error_code="X1", error_category=category, force=True)
    state, commands = step(ResetState.initial(), event, SETTINGS)
    assert state.phase is Phase.STOPPING
    assert state.forced is True
    assert state.error_code_before == "X1"
    assert commands == [SetThermostatOff(), OFF]


@pytest.mark.parametrize("category", ["communication", "sensor", "fan", None])
def test_harmless_categories_start(category: str | None) -> None:
    event = start_event(error_code="U4", error_category=category, reset_may_help=False)
    state, _ = step(ResetState.initial(), event, SETTINGS)
    assert state.phase is Phase.STOPPING


def test_already_running_wins_over_switch_state() -> None:
    with pytest.raises(ResetRefused) as refused:
        check_start(power_off(), start_event(T0 + MIN, relay_on=False), SETTINGS)
    assert refused.value.reason == "already_running"


def test_unacknowledged_fault_refused_even_with_force() -> None:
    state = fault_returned("E1")
    later = wake(monitoring()) + MIN
    for code in ("E1", " e1"):
        with pytest.raises(ResetRefused) as refused:
            step(state, start_event(later, error_code=code, force=True), SETTINGS)
        assert refused.value.reason == "fault_unacknowledged"
        assert refused.value.placeholders == {"code": code.strip()}
    # Another code, or none, may start.
    other, _ = step(state, start_event(later, error_code="E2"), SETTINGS)
    assert other.phase is Phase.STOPPING
    assert other.blocked_codes == frozenset({"E1"})
    # After acknowledging, the same code may start again.
    acked, commands = step(state, Acknowledge(later, "e1"), SETTINGS)
    assert commands == [ClearIssue("fault_returned", "e1")]
    assert acked.blocked_codes == frozenset()
    again, _ = step(acked, start_event(later, error_code="E1"), SETTINGS)
    assert again.phase is Phase.STOPPING


def test_acknowledge_unknown_or_blank_code_does_nothing() -> None:
    state = fault_returned("E1")
    for code in ("E2", "  "):
        after, commands = step(state, Acknowledge(T0, code), SETTINGS)
        assert after is state
        assert commands == []


def _finished(start_hour: float, outcome: Phase = Phase.COMPLETED) -> ResetRecord:
    started = T0 + timedelta(hours=start_hour)
    return ResetRecord(started, started + MIN * 40, outcome, None, 30, False, None)


def test_rolling_24h_limit() -> None:
    settings = ResetSettings(max_resets_per_day=2)
    state = ResetState(
        history=(_finished(-30), _finished(-23.5), _finished(-1, Phase.FAILED))
    )
    assert state.resets_in_last_24h(T0) == 2
    with pytest.raises(ResetRefused) as refused:
        step(state, start_event(T0), settings)
    assert refused.value.reason == "limit_reached"
    assert refused.value.placeholders == {"limit": "2"}
    # Exactly 24 h after the -23.5 h reset, it leaves the window.
    later = T0 + timedelta(minutes=30)
    assert state.resets_in_last_24h(later) == 1
    started, _ = step(state, start_event(later), settings)
    assert started.phase is Phase.STOPPING
    assert started.resets_in_last_24h(later) == 2
    # Force does not lift the limit.
    with pytest.raises(ResetRefused):
        step(
            ResetState(history=(_finished(-2), _finished(-1))),
            start_event(T0, force=True),
            settings,
        )


def test_running_reset_counts_once() -> None:
    state = monitoring()
    assert state.resets_in_last_24h(T0 + MIN) == 1
    done, _ = run(state, Tick(wake(state)))
    assert done.resets_in_last_24h(T0 + MIN) == 1


# --- the happy path, with exact timings ----------------------------------------


def test_happy_path_timings() -> None:
    state, commands = step(ResetState.initial(), start_event(T0), SETTINGS)
    assert commands == [SetThermostatOff(), OFF]
    assert state.phase is Phase.STOPPING
    assert state.wake_at == T0 + sec(15)
    assert state.deadline is None
    assert state.power_cut

    state, commands = step(state, RelayReport(T0 + sec(3), False), SETTINGS)
    assert commands == []
    assert state.phase is Phase.POWER_OFF
    assert state.deadline == T0 + sec(3) + 30 * MIN
    assert state.wake_at == state.deadline

    early, commands = step(state, Tick(T0 + 29 * MIN), SETTINGS)
    assert (early, commands) == (state, [])

    deadline = state.deadline
    state, commands = step(state, Tick(deadline), SETTINGS)
    assert commands == [ON]
    assert state.phase is Phase.RESTORING
    assert state.attempt == 1
    assert state.restore_started_at == deadline
    assert state.wake_at == deadline + sec(10)

    state, commands = step(state, RelayReport(deadline + sec(2), True), SETTINGS)
    assert commands == []
    assert state.phase is Phase.WAITING_THERMOSTAT
    assert state.wake_at == deadline + sec(2) + 15 * MIN
    assert not state.power_cut

    back = deadline + 4 * MIN
    state, commands = step(state, ThermostatReport(back, True), SETTINGS)
    assert commands == [RestoreThermostat(SNAP)]
    assert state.phase is Phase.MONITORING
    assert state.thermostat_restored
    assert state.monitor_until == back + 30 * MIN
    assert state.wake_at == state.monitor_until

    state, commands = step(state, Tick(back + 30 * MIN), SETTINGS)
    assert commands == []
    assert state.phase is Phase.COMPLETED
    assert state.wake_at is None
    assert state.last_outcome == "completed"
    assert state.history == (
        ResetRecord(T0, back + 30 * MIN, Phase.COMPLETED, None, 30, False, None),
    )


def test_without_thermostat_goes_straight_to_monitoring() -> None:
    state, commands = step(ResetState.initial(), start_event(thermostat=None), SETTINGS)
    assert commands == [OFF]
    state = restoring(thermostat=None)
    state, commands = step(state, RelayReport(wake(state), True), SETTINGS)
    assert commands == []
    assert state.phase is Phase.MONITORING
    assert state.monitor_until == state.wake_at


def test_fault_watch_zero_completes_after_restore() -> None:
    settings = ResetSettings(max_resets_per_day=10, fault_watch_minutes=0)
    state = waiting()
    state, commands = step(state, ThermostatReport(T0 + 40 * MIN, True), settings)
    assert commands == [RestoreThermostat(SNAP)]
    assert state.phase is Phase.COMPLETED


def test_thermostat_timeout_still_monitors_and_restores_late() -> None:
    state = waiting()
    timeout = wake(state)
    state, commands = step(state, Tick(timeout), SETTINGS)
    assert commands == []
    assert state.phase is Phase.MONITORING
    assert state.reason == "thermostat_not_restored"
    assert not state.thermostat_restored
    state, commands = step(state, ThermostatReport(timeout + MIN, True), SETTINGS)
    assert commands == [RestoreThermostat(SNAP)]
    assert state.thermostat_restored
    state, commands = step(state, ThermostatReport(timeout + 2 * MIN, True), SETTINGS)
    assert commands == []


# --- stopping: the relay must confirm off ----------------------------------------


def test_relay_never_confirms_off_aborts_and_fails_after_power_on() -> None:
    state = stopping()
    sent = []
    for expected_wake in (T0 + sec(30), T0 + sec(45)):
        state, commands = step(state, Tick(wake(state)), SETTINGS)
        sent += commands
        assert state.phase is Phase.STOPPING
        assert state.wake_at == expected_wake
    assert sent == [OFF, OFF]
    assert state.attempt == 3
    state, commands = step(state, Tick(T0 + sec(45)), SETTINGS)
    assert commands == [ON]  # power re-asserted: it may have switched late
    assert state.phase is Phase.RESTORING
    assert state.reason == "relay_not_off"
    assert state.deadline is None
    # The relay was on all along (no report); the next retry confirms it.
    state, commands = step(state, Tick(wake(state)), SETTINGS)
    assert commands == []
    assert state.phase is Phase.WAITING_THERMOSTAT
    state, commands = step(state, ThermostatReport(T0 + 2 * MIN, True), SETTINGS)
    assert commands == [RestoreThermostat(SNAP)]
    assert state.phase is Phase.FAILED
    assert state.history[-1].reason == "relay_not_off"


def test_relay_switches_off_late_after_abort_is_switched_on() -> None:
    state = stopping()
    for _ in range(3):
        state, _ = step(state, Tick(wake(state)), SETTINGS)
    assert state.phase is Phase.RESTORING
    state, commands = step(state, RelayReport(T0 + sec(50), False), SETTINGS)
    assert commands == [ON]
    state, commands = step(state, RelayReport(T0 + sec(51), True), SETTINGS)
    assert state.phase is Phase.WAITING_THERMOSTAT


def test_relay_unavailable_while_stopping_is_retried() -> None:
    state, commands = step(stopping(), RelayReport(T0 + sec(1), None), SETTINGS)
    assert commands == []
    assert state.phase is Phase.STOPPING
    assert state.relay_on is None
    state, commands = step(state, Tick(wake(state)), SETTINGS)
    assert commands == [OFF]


# --- restoring: retries and give-up -----------------------------------------


def test_restore_retries_then_gives_up() -> None:
    state = restoring()
    begun = state.restore_started_at
    assert begun is not None
    wakes = []
    sent = []
    while state.phase is Phase.RESTORING:
        wakes.append(wake(state) - begun)
        state, commands = step(state, Tick(wake(state)), SETTINGS)
        sent.append(commands)
    assert wakes == [sec(10), sec(30), sec(60), sec(90)]
    assert sent[:3] == [[ON], [ON], [ON]]
    assert sent[3] == [Notify("power_not_restored"), RaiseIssue("power_not_restored")]
    assert state.attempt == 4
    assert state.phase is Phase.FAILED
    assert state.reason == "power_not_restored"
    assert state.wake_at is None
    assert state.history[-1].outcome is Phase.FAILED


def test_off_report_while_restoring_resends_at_once() -> None:
    state = restoring()
    next_wake = state.wake_at
    state, commands = step(state, RelayReport(wake(state) - sec(5), False), SETTINGS)
    assert commands == [ON]
    assert state.attempt == 2
    assert state.wake_at == next_wake
    state, commands = step(state, RelayReport(wake(state) - sec(4), None), SETTINGS)
    assert commands == []
    assert state.wake_at == next_wake


def test_power_late_after_failure() -> None:
    state = _failed_with_thermostat()
    assert state.phase is Phase.FAILED
    later = T0 + 2 * 60 * MIN
    for _ in range(2):  # we never stop trying while HA runs
        state, commands = step(state, RelayReport(later, False), SETTINGS)
        assert commands == [ON]
    state, commands = step(state, RelayReport(later, None), SETTINGS)
    assert commands == []
    state, commands = step(state, RelayReport(later + MIN, True), SETTINGS)
    assert commands == [ClearIssue("power_not_restored")]
    assert state.phase is Phase.FAILED
    assert state.reason == "power_restored_late"
    # No more switching once power is back.
    state, commands = step(state, RelayReport(later + 2 * MIN, False), SETTINGS)
    assert commands == []
    # The thermostat, turned off by us, is restored once it is back.
    state, commands = step(state, ThermostatReport(later + 3 * MIN, True), SETTINGS)
    assert commands == [RestoreThermostat(SNAP)]
    state, commands = step(state, ThermostatReport(later + 4 * MIN, True), SETTINGS)
    assert commands == []


def _failed_with_thermostat() -> ResetState:
    state = restoring()
    while state.wake_at is not None:
        state, _ = step(state, Tick(state.wake_at), SETTINGS)
    return state


@pytest.mark.parametrize(
    ("relay_on", "thermostat", "commands", "reason"),
    [
        (False, False, [ON], "power_not_restored"),
        (None, False, [], "power_not_restored"),
        (True, False, [ClearIssue("power_not_restored")], "power_restored_late"),
        (
            True,
            True,
            [ClearIssue("power_not_restored"), RestoreThermostat(SNAP)],
            "power_restored_late",
        ),
    ],
)
def test_resume_after_failure(
    relay_on: bool | None, thermostat: bool, commands: list[object], reason: str
) -> None:
    state = _failed_with_thermostat()
    after, sent = step(state, Resume(T0 + 3 * 60 * MIN, relay_on, thermostat), SETTINGS)
    assert sent == commands
    assert after.phase is Phase.FAILED
    assert after.reason == reason


def test_start_after_late_power_clears_nothing_twice() -> None:
    state = _failed_with_thermostat()
    state, _ = step(state, RelayReport(T0 + 2 * 60 * MIN, True), SETTINGS)
    state, commands = step(state, start_event(T0 + 3 * 60 * MIN), SETTINGS)
    assert commands == [SetThermostatOff(), OFF]


# --- manual switching and unavailability ------------------------------------


def test_manual_power_on_during_power_off() -> None:
    state = power_off()
    state, commands = step(state, RelayReport(T0 + 10 * MIN, True), SETTINGS)
    assert commands == []
    assert state.phase is Phase.WAITING_THERMOSTAT
    assert state.reason == "power_restored_externally"
    assert state.wake_at == T0 + 25 * MIN
    state, _ = step(state, ThermostatReport(T0 + 11 * MIN, True), SETTINGS)
    assert state.phase is Phase.MONITORING
    state, _ = step(state, Tick(wake(state)), SETTINGS)
    assert state.phase is Phase.COMPLETED
    assert state.history[-1].reason == "power_restored_externally"


def test_relay_unavailable_during_wait_keeps_deadline() -> None:
    state = power_off()
    deadline = state.deadline
    state, commands = step(state, RelayReport(T0 + 5 * MIN, None), SETTINGS)
    assert commands == []
    assert state.deadline == deadline
    assert state.wake_at == deadline
    # Still unavailable at the deadline: the restore starts anyway.
    state, commands = step(state, Tick(wake(state)), SETTINGS)
    assert commands == [ON]
    # Back, still off: switched on at once.
    state, commands = step(state, RelayReport(wake(state) - sec(1), False), SETTINGS)
    assert commands == [ON]
    state, _ = step(state, RelayReport(wake(state) - sec(1), True), SETTINGS)
    assert state.phase is Phase.WAITING_THERMOSTAT


# --- error codes ---------------------------------------------------------------


def test_fault_returns_during_monitoring() -> None:
    state = monitoring(error_code="E1", error_category="communication")
    state, commands = step(state, ErrorCodeReport(wake(state) - MIN, None), SETTINGS)
    assert commands == []
    assert state.phase is Phase.MONITORING
    state, commands = step(state, ErrorCodeReport(wake(state) - MIN, " e1 "), SETTINGS)
    assert commands == [FireFault("e1"), RaiseIssue("fault_returned", "e1")]
    assert state.phase is Phase.FAULT_RETURNED
    assert state.blocked_codes == frozenset({"E1"})
    assert state.history[-1].error_code_before == "E1"
    assert state.last_outcome == "fault_returned"


def test_code_seen_while_waiting_for_thermostat_is_judged_after() -> None:
    state = waiting()
    state, commands = step(state, ErrorCodeReport(T0 + 31 * MIN, "E9"), SETTINGS)
    assert commands == []
    assert state.error_code_seen == "E9"
    seen, commands = step(state, ThermostatReport(T0 + 32 * MIN, True), SETTINGS)
    assert commands == [
        RestoreThermostat(SNAP),
        FireFault("E9"),
        RaiseIssue("fault_returned", "E9"),
    ]
    assert seen.phase is Phase.FAULT_RETURNED
    # A code that cleared again before monitoring started does not count.
    cleared, _ = step(state, ErrorCodeReport(T0 + 31 * MIN, None), SETTINGS)
    cleared, _ = step(cleared, ThermostatReport(T0 + 32 * MIN, True), SETTINGS)
    assert cleared.phase is Phase.MONITORING


# --- cancel ------------------------------------------------------------------


@pytest.mark.parametrize("builder", [stopping, power_off, restoring])
def test_cancel_while_power_cut_restores_then_ends_cancelled(builder: object) -> None:
    state = builder()  # type: ignore[operator]
    now = wake(state) - sec(5)
    state, commands = step(state, Cancel(now), SETTINGS)
    assert commands == [ON]
    assert state.phase is Phase.RESTORING
    assert state.cancel_requested
    assert state.reason == "cancelled"
    state, commands = step(state, RelayReport(now + sec(1), True), SETTINGS)
    assert commands == []
    assert state.phase is Phase.WAITING_THERMOSTAT
    state, commands = step(state, ThermostatReport(now + sec(30), True), SETTINGS)
    assert commands == [RestoreThermostat(SNAP)]
    assert state.phase is Phase.CANCELLED  # no fault watch after a cancel
    assert state.history[-1].outcome is Phase.CANCELLED


def test_cancel_from_power_off_is_verified_with_retries() -> None:
    state = power_off()
    now = T0 + 5 * MIN
    state, _ = step(state, Cancel(now), SETTINGS)
    assert state.restore_started_at == now
    assert state.wake_at == now + sec(10)


def test_cancel_without_thermostat_ends_on_power() -> None:
    state = power_off(thermostat=None)
    state, _ = step(state, Cancel(T0 + MIN), SETTINGS)
    state, commands = step(state, RelayReport(T0 + MIN, True), SETTINGS)
    assert commands == []
    assert state.phase is Phase.CANCELLED


def test_cancel_in_waiting_and_monitoring() -> None:
    state, commands = step(waiting(), Cancel(T0 + 31 * MIN), SETTINGS)
    assert commands == [RestoreThermostat(SNAP)]
    assert (state.phase, state.reason) == (Phase.CANCELLED, "cancelled")
    state, commands = step(monitoring(), Cancel(T0 + 40 * MIN), SETTINGS)
    assert commands == []
    assert (state.phase, state.reason) == (Phase.CANCELLED, "cancelled")


def test_cancel_while_failed_without_power_switches_on() -> None:
    state = _failed_with_thermostat()
    after, commands = step(state, Cancel(T0 + 2 * 60 * MIN), SETTINGS)
    assert commands == [ON]
    assert after == state


# --- resume after restart ------------------------------------------------------


def test_resume_stopping_restores_at_once() -> None:
    state, commands = step(stopping(), Resume(T0 + MIN, None, False), SETTINGS)
    assert commands == [ON]
    assert state.phase is Phase.RESTORING
    assert state.reason == "interrupted"
    assert state.cancel_requested
    # The relay reported on at restart: confirmed at once.
    state, commands = step(stopping(), Resume(T0 + MIN, True, True), SETTINGS)
    assert commands == [ON]
    assert state.phase is Phase.WAITING_THERMOSTAT


def test_resume_power_off_before_and_after_deadline() -> None:
    state = power_off()
    deadline = state.deadline
    assert deadline is not None
    kept, commands = step(state, Resume(deadline - MIN, False, False), SETTINGS)
    assert commands == []
    assert kept.phase is Phase.POWER_OFF
    assert kept.wake_at == deadline
    late = deadline + 2 * 60 * MIN
    restored, commands = step(state, Resume(late, None, False), SETTINGS)
    assert commands == [ON]
    assert restored.phase is Phase.RESTORING
    assert restored.restore_started_at == late
    assert restored.wake_at == late + sec(10)
    on, commands = step(state, Resume(deadline - MIN, True, False), SETTINGS)
    assert commands == []
    assert on.phase is Phase.WAITING_THERMOSTAT
    assert on.reason == "power_restored_externally"


def test_resume_restoring_restarts_attempts() -> None:
    state = restoring()
    for _ in range(2):
        state, _ = step(state, Tick(wake(state)), SETTINGS)
    now = T0 + 3 * 60 * MIN
    resumed, commands = step(state, Resume(now, False, False), SETTINGS)
    assert commands == [ON]
    assert resumed.attempt == 1
    assert resumed.restore_started_at == now
    assert resumed.wake_at == now + sec(10)
    confirmed, commands = step(state, Resume(now, True, False), SETTINGS)
    assert commands == []
    assert confirmed.phase is Phase.WAITING_THERMOSTAT


def test_resume_waiting_for_thermostat() -> None:
    state = waiting()
    timeout = wake(state)
    kept, commands = step(state, Resume(timeout - MIN, True, False), SETTINGS)
    assert (kept.phase, commands) == (Phase.WAITING_THERMOSTAT, [])
    back, commands = step(state, Resume(timeout + MIN, True, True), SETTINGS)
    assert commands == [RestoreThermostat(SNAP)]
    assert back.phase is Phase.MONITORING
    gave_up, commands = step(state, Resume(timeout + MIN, True, False), SETTINGS)
    assert commands == []
    assert gave_up.phase is Phase.MONITORING
    assert gave_up.reason == "thermostat_not_restored"
    coded, commands = step(
        state, Resume(timeout - MIN, True, True, error_code="E5"), SETTINGS
    )
    assert coded.phase is Phase.FAULT_RETURNED
    assert FireFault("E5") in commands


def test_resume_monitoring() -> None:
    state = monitoring()
    until = wake(state)
    kept, commands = step(state, Resume(until - MIN, True, True), SETTINGS)
    assert (kept.phase, commands) == (Phase.MONITORING, [])
    done, commands = step(state, Resume(until + MIN, True, True), SETTINGS)
    assert (done.phase, commands) == (Phase.COMPLETED, [])
    coded, commands = step(state, Resume(until + MIN, True, False, "E1"), SETTINGS)
    assert coded.phase is Phase.FAULT_RETURNED
    assert commands == [FireFault("E1"), RaiseIssue("fault_returned", "E1")]
    # A thermostat that timed out is restored when it is back at resume.
    timed_out, _ = step(waiting(), Tick(wake(waiting())), SETTINGS)
    restored, commands = step(
        timed_out, Resume(wake(timed_out) - MIN, True, True), SETTINGS
    )
    assert commands == [RestoreThermostat(SNAP)]
    assert restored.phase is Phase.MONITORING


# --- shutdown (entry disabled / removed) ---------------------------------------


@pytest.mark.parametrize("builder", [stopping, power_off, restoring])
def test_shutdown_while_power_cut(builder: object) -> None:
    state = builder()  # type: ignore[operator]
    now = wake(state) - sec(1)
    state, commands = step(state, Shutdown(now), SETTINGS)
    assert commands == [ON, RestoreThermostat(SNAP)]
    assert state.phase is Phase.CANCELLED
    assert state.reason == "entry_removed"
    assert state.restore_on_resume
    assert len(state.history) == 1
    # Re-enabled with the relay off: power is restored and verified, and the
    # record of this reset is updated, not duplicated.
    again, commands = step(state, Resume(now + 60 * MIN, False, True), SETTINGS)
    assert commands == [ON]
    assert again.phase is Phase.RESTORING
    assert not again.restore_on_resume
    assert again.resets_in_last_24h(now + 60 * MIN) == 1
    again, commands = step(again, RelayReport(now + 61 * MIN, True), SETTINGS)
    assert commands == []
    assert again.phase is Phase.CANCELLED
    assert len(again.history) == 1
    # Re-enabled with the relay on: nothing to do.
    fine, commands = step(state, Resume(now + 60 * MIN, True, True), SETTINGS)
    assert commands == []
    assert fine.phase is Phase.CANCELLED
    assert not fine.restore_on_resume


def test_shutdown_without_thermostat() -> None:
    state, commands = step(power_off(thermostat=None), Shutdown(T0 + MIN), SETTINGS)
    assert commands == [ON]
    assert state.phase is Phase.CANCELLED


def test_shutdown_while_waiting_for_thermostat() -> None:
    state, commands = step(waiting(), Shutdown(T0 + 31 * MIN), SETTINGS)
    assert commands == [RestoreThermostat(SNAP)]
    assert (state.phase, state.reason) == (Phase.CANCELLED, "entry_removed")
    assert not state.restore_on_resume


# --- history ---------------------------------------------------------------------


def test_history_keeps_the_last_20() -> None:
    state = ResetState.initial()
    settings = ResetSettings(max_resets_per_day=10, fault_watch_minutes=0)
    now = T0
    for _ in range(23):
        state, _ = run(
            state,
            start_event(now, thermostat=None, off_minutes=1),
            RelayReport(now, False),
            Tick(now + MIN),
            RelayReport(now + MIN, True),
            settings=settings,
        )
        assert state.phase is Phase.COMPLETED
        now += timedelta(hours=6)
    assert len(state.history) == 20
    assert state.history[0].started_at == T0 + timedelta(hours=18)
    assert state.history[-1].started_at == now - timedelta(hours=6)


def test_unknown_event_is_a_programming_error() -> None:
    with pytest.raises(AssertionError):
        step(ResetState.initial(), object(), SETTINGS)  # type: ignore[arg-type]
