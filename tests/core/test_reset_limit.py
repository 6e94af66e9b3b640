"""The daily limit of the safe reset: what counts, and when the next is allowed.

``start_refusal`` is the one place the guards live: the shell asks it before
offering a reset (the fault repair) and ``step`` raises what it returns.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from custom_components.heat_pump_care.reset import (
    Cancel,
    Phase,
    RelayReport,
    ResetRecord,
    ResetRefused,
    ResetSettings,
    ResetState,
    Resume,
    Shutdown,
    ThermostatReport,
    Tick,
    check_start,
    limit_lifts_at,
    start_refusal,
    step,
)
from tests.core.reset_helpers import (
    SETTINGS,
    T0,
    power_off,
    run,
    sec,
    start_event,
    stopping,
    wake,
)

LIMIT_2 = ResetSettings(max_resets_per_day=2)
HOUR = timedelta(hours=1)


def _record(
    start_hour: float, outcome: Phase = Phase.COMPLETED, *, power_was_cut: bool = True
) -> ResetRecord:
    started = T0 + start_hour * HOUR
    return ResetRecord(
        started, started + 40 * sec(60), outcome, power_was_cut=power_was_cut
    )


def _cancel_and_finish(state: ResetState, now: datetime) -> ResetState:
    """Cancel, then let power and the thermostat come back."""
    state, _ = run(
        state,
        Cancel(now),
        RelayReport(now + sec(1), True),
        ThermostatReport(now + sec(2), True),
    )
    assert state.phase is Phase.CANCELLED
    return state


# --- what counts -------------------------------------------------------------


def test_cancelled_before_the_switch_went_off_does_not_count() -> None:
    state = _cancel_and_finish(stopping(), T0 + sec(3))

    assert state.history[-1].power_was_cut is False
    assert state.resets_in_last_24h(T0 + sec(5)) == 0


def test_cancelled_after_the_switch_went_off_counts() -> None:
    state = _cancel_and_finish(power_off(), T0 + 5 * sec(60))

    assert state.history[-1].power_was_cut is True
    assert state.resets_in_last_24h(T0 + HOUR) == 1


def test_switch_unavailable_while_cutting_counts_as_a_cut() -> None:
    """Unknown is not "never cut": the switch may have cut before it vanished."""
    state, _ = run(stopping(), RelayReport(T0 + sec(2), None))

    state = _cancel_and_finish(state, T0 + sec(5))

    assert state.resets_in_last_24h(T0 + HOUR) == 1


def test_switch_off_arriving_after_the_cancel_counts() -> None:
    state, _ = run(stopping(), Cancel(T0 + sec(3)), RelayReport(T0 + sec(4), False))
    state, _ = run(
        state, RelayReport(T0 + sec(5), True), ThermostatReport(T0 + sec(6), True)
    )

    assert state.phase is Phase.CANCELLED
    assert state.resets_in_last_24h(T0 + HOUR) == 1


def test_relay_that_never_went_off_still_counts_as_failed() -> None:
    """Only a cancel is forgiven; a reset that failed on its own is counted."""
    state = stopping()
    while state.phase is Phase.STOPPING:
        state, _ = run(state, Tick(wake(state)))
    now = wake(state)
    state, _ = run(state, RelayReport(now, True), ThermostatReport(now, True))

    assert (state.phase, state.reason) == (Phase.FAILED, "relay_not_off")
    assert state.resets_in_last_24h(T0 + HOUR) == 1


def test_running_reset_counts_before_it_cut_power() -> None:
    assert stopping().resets_in_last_24h(T0 + sec(1)) == 1


def test_shutdown_before_the_cut_then_switch_found_off_counts() -> None:
    state, _ = run(stopping(), Shutdown(T0 + sec(3)))
    assert state.resets_in_last_24h(T0 + sec(4)) == 0

    state, _ = run(
        state, Resume(T0 + HOUR, False, True), RelayReport(T0 + HOUR + sec(1), True)
    )

    assert state.phase is Phase.CANCELLED
    assert len(state.history) == 1
    assert state.resets_in_last_24h(T0 + HOUR) == 1


def test_a_forgiven_cancel_leaves_room_for_another_reset() -> None:
    stopped, _ = step(ResetState(history=(_record(-3),)), start_event(T0), LIMIT_2)
    forgiven = _cancel_and_finish(stopped, T0 + sec(3))

    after, _ = step(forgiven, start_event(T0 + HOUR), LIMIT_2)

    assert after.phase is Phase.STOPPING


def test_records_stored_before_the_flag_existed_count() -> None:
    raw = _record(-1, Phase.CANCELLED).to_dict()
    del raw["power_was_cut"]

    assert ResetRecord.from_dict(raw).counts_towards_limit


def test_flag_survives_storage() -> None:
    state = _cancel_and_finish(stopping(), T0 + sec(3))

    assert ResetState.from_dict(state.to_dict()) == state


# --- when the next reset is allowed -------------------------------------------


def test_limit_refusal_says_when_the_next_reset_is_allowed() -> None:
    state = ResetState(history=(_record(-23), _record(-2)))

    refusal = start_refusal(state, start_event(T0), LIMIT_2)

    assert refusal is not None
    assert refusal.reason == "limit_reached"
    assert refusal.placeholders == {"limit": "2"}
    assert refusal.allowed_at == T0 + HOUR


def test_the_given_time_is_exact() -> None:
    state = ResetState(history=(_record(-23), _record(-2)))
    allowed_at = limit_lifts_at(state, T0, LIMIT_2)
    assert allowed_at is not None

    assert start_refusal(state, start_event(allowed_at - sec(1)), LIMIT_2)
    assert start_refusal(state, start_event(allowed_at), LIMIT_2) is None


def test_lowered_limit_waits_for_enough_resets_to_leave_the_window() -> None:
    state = ResetState(history=(_record(-20), _record(-10), _record(-5)))

    assert limit_lifts_at(state, T0, LIMIT_2) == T0 + 14 * HOUR


def test_forgiven_cancels_do_not_hold_the_limit() -> None:
    state = ResetState(
        history=(
            _record(-20),
            _record(-10, Phase.CANCELLED, power_was_cut=False),
            _record(-5),
        )
    )

    assert limit_lifts_at(state, T0, LIMIT_2) == T0 + 4 * HOUR


def test_below_the_limit_nothing_to_wait_for() -> None:
    state = ResetState(history=(_record(-2),))

    assert limit_lifts_at(state, T0, LIMIT_2) is None
    assert start_refusal(state, start_event(T0), LIMIT_2) is None


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"has_power_switch": False}, "no_power_switch"),
        ({"relay_on": None}, "switch_unavailable"),
        ({"relay_on": False}, "switch_off"),
        ({"error_code": "E7", "error_category": "refrigerant"}, "harmful_code"),
    ],
)
def test_refusals_time_cannot_lift_have_no_time(
    kwargs: dict[str, object], reason: str
) -> None:
    refusal = start_refusal(ResetState.initial(), start_event(**kwargs), SETTINGS)  # type: ignore[arg-type]

    assert refusal is not None
    assert refusal.reason == reason
    assert refusal.allowed_at is None


def test_check_and_step_refuse_exactly_what_start_refusal_returns() -> None:
    state = ResetState(history=(_record(-23), _record(-2)))
    event = start_event(T0)
    expected = start_refusal(state, event, LIMIT_2)
    assert expected is not None

    for attempt in (check_start, step):
        with pytest.raises(ResetRefused) as refused:
            attempt(state, event, LIMIT_2)
        assert refused.value.reason == expected.reason
        assert refused.value.allowed_at == expected.allowed_at


def test_asking_changes_nothing() -> None:
    state = power_off()
    before = state.to_dict()

    assert start_refusal(state, start_event(T0 + HOUR), SETTINGS) is not None
    assert state.to_dict() == before
