"""The stored state: exact round trips, strict reading, bounded memory."""

from __future__ import annotations

from collections.abc import Callable
import copy
from datetime import timedelta
import json
import sys
from typing import Any

import pytest

from custom_components.heat_pump_care.health import (
    DAY_LIMIT,
    LEVEL_LIMIT,
    RESET_LIMIT,
    RUN_LIMIT,
    START_LIMIT,
    HealthState,
    observe,
    observe_outdoor,
    record_reset,
)

from .test_health_support import AMS, Unit, local, round_trip, sample

# Measured by test_the_worst_case_state_fits_its_budget and stated in
# docs/health.md; the budgets leave a little room above the measurement.
WORST_CASE_ITEMS = START_LIMIT + RUN_LIMIT + RESET_LIMIT + DAY_LIMIT + LEVEL_LIMIT
JSON_BUDGET = 20 * 1024
MEMORY_BUDGET = 64 * 1024


def busy() -> HealthState:
    """A state with something in every part."""
    unit = Unit(local(2025, 1, 13))
    unit.outdoor(-2.0)
    for _ in range(30):
        unit.set("heating", room=18.0, target=21.0)
        unit.wait(minutes=50)
        unit.set("defrosting")
        unit.wait(minutes=5)
        unit.set("idle")
        unit.wait(minutes=2)
    unit.reset()
    for _ in range(12):
        unit.set("heating")
        unit.wait(minutes=2)
        unit.set("idle")
        unit.wait(minutes=3)
    unit.set("heating", room=17.0, target=21.0)
    report = unit.wait(minutes=30)
    assert report.short_cycling
    assert unit.state.gaps.levels
    return unit.state


def test_an_empty_state_round_trips() -> None:
    assert HealthState.from_dict(HealthState.empty().to_dict()) == HealthState.empty()


def test_a_busy_state_round_trips_exactly() -> None:
    state = busy()
    assert round_trip(state) == state
    assert round_trip(state).to_dict() == state.to_dict()


def test_the_stored_form_is_strict_json() -> None:
    text = json.dumps(busy().to_dict(), allow_nan=False)
    assert json.loads(text) == busy().to_dict()


def test_the_stored_form_is_a_copy() -> None:
    state = busy()
    stored = state.to_dict()
    stored["days"].clear()
    assert state.days


def test_from_dict_refuses_what_is_not_a_mapping() -> None:
    with pytest.raises(TypeError, match="mapping"):
        HealthState.from_dict([])


def test_from_dict_refuses_a_missing_key() -> None:
    stored = busy().to_dict()
    del stored["runs"]
    with pytest.raises(ValueError, match="missing keys runs"):
        HealthState.from_dict(stored)


def test_from_dict_refuses_an_unknown_key() -> None:
    stored = busy().to_dict()
    stored["tasks"] = {}
    with pytest.raises(ValueError, match="unknown keys tasks"):
        HealthState.from_dict(stored)


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(stored: dict[str, Any]) -> None:
        target: Any = stored
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _first_day(
    change: Callable[[dict[str, Any]], None],
) -> Callable[[dict[str, Any]], None]:
    def apply(stored: dict[str, Any]) -> None:
        change(stored["days"][min(stored["days"])])

    return apply


def _reverse(key: str) -> Callable[[dict[str, Any]], None]:
    def apply(stored: dict[str, Any]) -> None:
        stored[key].reverse()

    return apply


def _too_many(key: str, limit: int) -> Callable[[dict[str, Any]], None]:
    def apply(stored: dict[str, Any]) -> None:
        stored[key] = [stored[key][0]] * (limit + 1)

    return apply


BROKEN: dict[str, tuple[Callable[[dict[str, Any]], None], type[Exception]]] = {
    "clock is not text": (_set(("clock",), 5), TypeError),
    "clock is not a timestamp": (_set(("clock",), "yesterday"), ValueError),
    "clock has no zone": (_set(("clock",), "2025-01-13T10:00:00"), ValueError),
    "blind is not a flag": (_set(("blind",), "no"), TypeError),
    "outdoor is text": (_set(("outdoor",), "cold"), TypeError),
    "outdoor is infinite": (_set(("outdoor",), float("inf")), ValueError),
    "outdoor is a flag": (_set(("outdoor",), True), TypeError),
    "run seconds negative": (_set(("run_seconds",), -1.0), ValueError),
    "run seconds without a run": (_set(("run_start",), None), ValueError),
    "last sample lacks a key": (_set(("last",), {"action": "heating"}), ValueError),
    "last action is a number": (_set(("last", "action"), 3), TypeError),
    "days is a list": (_set(("days",), []), TypeError),
    "day key is not a date": (_set(("days", "monday"), {}), ValueError),
    "day key is not text": (_set(("days", 5), {}), TypeError),
    "day count negative": (_first_day(_set(("cycles",), -1)), ValueError),
    "day count fractional": (_first_day(_set(("cycles",), 1.5)), TypeError),
    "starts not a list": (_set(("starts",), "x"), TypeError),
    "starts out of order": (_reverse("starts"), ValueError),
    "too many starts": (_too_many("starts", START_LIMIT), ValueError),
    "too many resets": (_too_many("resets", RESET_LIMIT), ValueError),
    "runs out of order": (_reverse("runs"), ValueError),
    "too many runs": (_too_many("runs", RUN_LIMIT), ValueError),
    "run not a pair": (_set(("runs", 0), ["2025-01-13T10:00:00+00:00"]), ValueError),
    "run seconds text": (_set(("runs", 0, 1), "long"), TypeError),
    "flag without since": (_set(("short_cycling_since",), None), ValueError),
    "since without flag": (
        _set(("not_keeping_up_since",), "2025-01-13T10:00:00+00:00"),
        ValueError,
    ),
    "cycling days reversed": (_set(("cycling_first",), "2030-01-01"), ValueError),
    "cycling days half": (_set(("cycling_last",), None), ValueError),
    "cycling day not a date": (_set(("cycling_last",), 20250113), TypeError),
    "gaps level not a pair": (_set(("gaps", "levels", 0), [1]), ValueError),
    "gaps levels falling": (
        _set(
            ("gaps", "levels"),
            [["2025-01-13T10:00:00+00:00", 3.0], ["2025-01-13T11:00:00+00:00", 2.0]],
        ),
        ValueError,
    ),
    "gaps peak below a level": (_set(("gaps", "peak"), 0.5), ValueError),
    "gap level too small": (_set(("gaps", "levels", 0, 1), 0.1), ValueError),
    "baseline drop without since": (_set(("baseline", "drop"), True), ValueError),
    "baseline negative": (_set(("baseline", "value"), -1.0), ValueError),
    "baseline day not a date": (_set(("baseline", "learn_from"), "soon"), ValueError),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_from_dict_refuses_a_broken_state(name: str) -> None:
    change, error = BROKEN[name]
    stored = copy.deepcopy(busy().to_dict())
    change(stored)
    with pytest.raises(error):
        HealthState.from_dict(stored)


def test_from_dict_refuses_more_days_than_kept() -> None:
    stored = busy().to_dict()
    record = next(iter(stored["days"].values()))
    stored["days"] = {f"2025-01-{day:02d}": record for day in range(1, DAY_LIMIT + 2)}
    with pytest.raises(ValueError, match="days"):
        HealthState.from_dict(stored)


def _deep_size(value: object, seen: set[int] | None = None) -> int:
    """Bytes of ``value`` and everything it holds (shared objects once)."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    size = sys.getsizeof(value)
    if isinstance(value, dict):
        size += sum(_deep_size(k, seen) + _deep_size(v, seen) for k, v in value.items())
    elif (
        isinstance(value, list | tuple | set | frozenset)
        or type(value).__name__ == "deque"
    ):
        size += sum(_deep_size(item, seen) for item in value)  # type: ignore[attr-defined]
    elif hasattr(value, "__slots__"):
        size += sum(
            _deep_size(getattr(value, name), seen)
            for cls in type(value).__mro__
            for name in getattr(cls, "__slots__", ())
            if hasattr(value, name)
        )
    return size


def worst_case() -> HealthState:
    """Every ring buffer full: a thermostat flapping every 30 s, 8 days of
    data, more resets than kept, and a gap that rose through every level."""
    state = HealthState.empty()
    start = local(2025, 1, 6)
    observe_outdoor(state, -3.3333333333333335, start, AMS)
    observe(state, sample("heating"), start, AMS)
    now = start + timedelta(days=7)
    for step in range(2 * 25 * 60):
        action = "heating" if step % 2 == 0 else "idle"
        observe(state, sample(action, room=19.123456789), now, AMS)
        now += timedelta(seconds=30)
    for minute in range(RESET_LIMIT + 5):
        record_reset(state, now - timedelta(minutes=minute))
    observe(state, sample("idle"), now, AMS)
    for step in range(60):
        observe(state, sample("heating", room=20.5 - step / 10, target=21.0), now, AMS)
        now += timedelta(seconds=1)
    return state


def test_every_ring_buffer_is_bounded() -> None:
    state = worst_case()
    assert len(state.starts) == START_LIMIT
    assert len(state.runs) == RUN_LIMIT
    assert len(state.resets) == RESET_LIMIT
    assert len(state.days) == DAY_LIMIT
    assert len(state.gaps.levels) == LEVEL_LIMIT
    stored = len(state.starts) + len(state.runs) + len(state.resets)
    assert stored + len(state.days) + len(state.gaps.levels) == WORST_CASE_ITEMS == 462


def test_the_worst_case_state_fits_its_budget() -> None:
    state = worst_case()
    text = json.dumps(state.to_dict(), separators=(",", ":"))
    assert len(text) <= JSON_BUDGET
    assert _deep_size(state) <= MEMORY_BUDGET


def test_the_worst_case_state_round_trips() -> None:
    state = worst_case()
    assert round_trip(state) == state
