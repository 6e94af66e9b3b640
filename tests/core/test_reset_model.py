"""Data of the reset core: settings, serialisation, validation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
import json
from typing import Any

import pytest

from custom_components.heat_pump_care.reset import (
    ACTIVE_PHASES,
    POWER_CUT_PHASES,
    TERMINAL_PHASES,
    Phase,
    RelayReport,
    ResetRecord,
    ResetSettings,
    ResetState,
    ThermostatSnapshot,
    Tick,
    code_key,
)
from tests.core.reset_helpers import (
    SNAP,
    T0,
    cancelled,
    completed,
    failed,
    fault_returned,
    monitoring,
    power_off,
    restoring,
    start_event,
    stopping,
    waiting,
)

BUILDERS: list[Callable[[], ResetState]] = [
    ResetState.initial,
    stopping,
    power_off,
    restoring,
    waiting,
    monitoring,
    completed,
    failed,
    cancelled,
    fault_returned,
]


def test_phase_groups() -> None:
    assert POWER_CUT_PHASES < ACTIVE_PHASES
    assert set(Phase) == ACTIVE_PHASES | TERMINAL_PHASES
    assert not ACTIVE_PHASES & TERMINAL_PHASES
    contract = {
        "idle",
        "power_off",
        "restoring",
        "monitoring",
        "completed",
        "failed",
        "cancelled",
    }
    assert contract <= {phase.value for phase in Phase}


@pytest.mark.parametrize("builder", BUILDERS, ids=lambda b: b.__name__)
def test_state_round_trip(builder: Callable[[], ResetState]) -> None:
    state = builder()
    data = json.loads(json.dumps(state.to_dict()))
    assert ResetState.from_dict(data) == state
    assert state.power_cut is (state.phase in POWER_CUT_PHASES)


def test_round_trip_keeps_blocked_codes_and_snapshot() -> None:
    state = fault_returned("e1")
    data = json.loads(json.dumps(state.to_dict()))
    assert data["blocked_codes"] == ["E1"]
    assert data["thermostat"] == {
        "hvac_mode": "heat_cool",
        "temperature": None,
        "target_temp_low": 19.0,
        "target_temp_high": 24.5,
        "fan_mode": "auto",
    }
    assert ResetState.from_dict(data).blocked_codes == frozenset({"E1"})


def test_snapshot_round_trip_and_integer_temperatures() -> None:
    assert ThermostatSnapshot.from_dict(SNAP.to_dict()) == SNAP
    snap = ThermostatSnapshot.from_dict({"hvac_mode": "heat", "temperature": 21})
    assert snap == ThermostatSnapshot("heat", 21.0, None, None, None)
    assert isinstance(snap.temperature, float)


def test_missing_optional_keys_take_defaults() -> None:
    assert ResetState.from_dict({"phase": "idle"}) == ResetState.initial()
    history = [completed().history[0].to_dict()] * 25
    state = ResetState.from_dict({"phase": "completed", "history": history})
    assert len(state.history) == 20


def _valid() -> dict[str, Any]:
    return power_off().to_dict()


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda d: "not a mapping",
        lambda d: {**d, "phase": "exploded"},
        lambda d: {**d, "phase": 3},
        lambda d: {k: v for k, v in d.items() if k != "phase"},
        lambda d: {**d, "deadline": None},
        lambda d: {**d, "wake_at": None},
        lambda d: {**d, "deadline": "yesterday"},
        lambda d: {**d, "deadline": 1700000000},
        lambda d: {**d, "deadline": "2025-01-15T08:30:00"},  # naive
        lambda d: {**d, "attempt": -1},
        lambda d: {**d, "attempt": "1"},
        lambda d: {**d, "attempt": True},
        lambda d: {**d, "forced": "yes"},
        lambda d: {**d, "relay_on": "on"},
        lambda d: {**d, "reason": 5},
        lambda d: {**d, "history": {}},
        lambda d: {**d, "history": [{"started_at": "x"}]},
        lambda d: {**d, "history": ["nope"]},
        lambda d: {**d, "blocked_codes": "E1"},
        lambda d: {**d, "blocked_codes": [1]},
        lambda d: {**d, "thermostat": ["heat"]},
        lambda d: {**d, "thermostat": {"temperature": "warm"}},
        lambda d: {**d, "thermostat": {"temperature": True}},
        lambda d: {**d, "phase": "restoring", "restore_started_at": None},
        lambda d: {**d, "phase": "monitoring"},
        lambda d: {**d, "phase": "waiting_thermostat", "thermostat": None},
    ],
)
def test_corrupt_state_raises_value_error(
    corrupt: Callable[[dict[str, Any]], object],
) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the contract is plain ValueError
        ResetState.from_dict(corrupt(_valid()))


def test_corrupt_record_outcome() -> None:
    record = completed().history[0].to_dict()
    for outcome in ("idle", "monitoring", "nonsense"):
        with pytest.raises(ValueError):  # noqa: PT011
            ResetRecord.from_dict({**record, "outcome": outcome})
    with pytest.raises(ValueError):  # noqa: PT011
        ResetRecord.from_dict({**record, "started_at": None})


def test_state_invariants_reject_impossible_states() -> None:
    with pytest.raises(ValueError):  # noqa: PT011
        ResetState(phase=Phase.STOPPING)
    with pytest.raises(ValueError):  # noqa: PT011
        ResetState(started_at=datetime(2025, 1, 1))
    with pytest.raises(ValueError):  # noqa: PT011
        ResetState(history=completed().history * 21)
    with pytest.raises(ValueError):  # noqa: PT011
        ResetState(off_minutes=-1)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_resets_per_day": 0},
        {"fault_watch_minutes": -1},
        {"relay_verify_seconds": 0},
        {"relay_off_attempts": 0},
        {"restore_retry_delays": ()},
        {"restore_retry_delays": (5.0, 10.0)},
        {"restore_retry_delays": (0.0, 30.0, 10.0)},
        {"restore_give_up_seconds": 60.0},
        {"thermostat_wait_minutes": 0},
    ],
)
def test_invalid_settings(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011
        ResetSettings(**kwargs)


def test_default_settings_match_the_documented_timing() -> None:
    settings = ResetSettings()
    assert settings.max_resets_per_day == 2
    assert settings.fault_watch_minutes == 30
    # At least 3 switch-on attempts within about a minute, then give up.
    assert len(settings.restore_retry_delays) >= 3
    assert settings.restore_retry_delays[-1] <= 60
    assert settings.restore_give_up == timedelta(seconds=90)
    assert settings.thermostat_wait == timedelta(minutes=15)
    assert settings.relay_verify == timedelta(seconds=15)
    assert settings.fault_watch == timedelta(minutes=30)


def test_events_reject_naive_time_and_bad_off_minutes() -> None:
    with pytest.raises(ValueError):  # noqa: PT011
        Tick(datetime(2025, 1, 1))
    with pytest.raises(ValueError):  # noqa: PT011
        RelayReport(datetime(2025, 1, 1), True)
    with pytest.raises(ValueError):  # noqa: PT011
        start_event(off_minutes=0)


def test_code_key() -> None:
    assert code_key(None) is None
    assert code_key("   ") is None
    assert code_key(" u4-01 ") == "U4-01"


def test_last_outcome_and_count_of_new_state() -> None:
    state = ResetState.initial()
    assert state.last_outcome is None
    assert state.resets_in_last_24h(T0) == 0
    assert not state.running
    assert stopping().running
