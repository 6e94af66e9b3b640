"""Frequent resets: more safe resets in 30 days than the owner allows."""

from __future__ import annotations

from datetime import timedelta

from custom_components.heat_pump_care.health import (
    FREQUENT_RESETS,
    RESET_LIMIT,
    HealthSettings,
    HealthState,
    record_reset,
)

from .test_health_support import Unit, local


def test_resets_are_counted_over_30_days() -> None:
    unit = Unit(local(2025, 1, 1, 12))
    for _ in range(3):
        unit.reset()
        unit.wait(days=5)
    assert unit.report.resets_last_30_days == 3


def test_three_resets_are_not_yet_frequent() -> None:
    unit = Unit(local(2025, 1, 1, 12))
    for _ in range(3):
        report = unit.reset()
    assert FREQUENT_RESETS not in report.problems


def test_a_fourth_reset_within_30_days_is_frequent() -> None:
    unit = Unit(local(2025, 1, 1, 12))
    for _ in range(4):
        report = unit.reset()
        unit.wait(days=9)
    assert FREQUENT_RESETS in report.problems


def test_a_reset_leaves_the_count_30_days_later_to_the_second() -> None:
    unit = Unit(local(2025, 1, 1, 12))
    unit.reset()
    before = unit.wait(days=30, seconds=-1)
    assert before.resets_last_30_days == 1
    assert unit.wait(seconds=1).resets_last_30_days == 0


def test_the_allowed_number_comes_from_the_settings() -> None:
    unit = Unit(local(2025, 1, 1, 12), settings=HealthSettings(frequent_resets=1))
    unit.reset()
    assert FREQUENT_RESETS in unit.reset().problems


def test_resets_recorded_out_of_order_are_kept_in_time_order() -> None:
    state = HealthState.empty()
    late = local(2025, 1, 2, 12)
    record_reset(state, late)
    record_reset(state, late - timedelta(days=1))
    assert list(state.resets) == sorted(state.resets)


def test_the_reset_memory_is_bounded() -> None:
    state = HealthState.empty()
    start = local(2025, 1, 1, 12)
    for minute in range(RESET_LIMIT + 10):
        record_reset(state, start + timedelta(minutes=minute))
    assert len(state.resets) == RESET_LIMIT
    assert state.resets[-1] == start + timedelta(minutes=RESET_LIMIT + 9)
