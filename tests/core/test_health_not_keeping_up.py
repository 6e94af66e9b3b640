"""Not keeping up: a long run with the room behind and the gap not closing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from custom_components.heat_pump_care.health import (
    NOT_KEEPING_UP,
    HealthSettings,
    HealthState,
    assess,
    observe,
)

from .test_health_support import AMS, DEFAULTS, Unit, local, sample


def test_a_flat_room_three_and_a_half_degrees_behind_is_flagged_within_3h30() -> None:
    start = local(2025, 1, 15, 6)
    unit = Unit(start)
    unit.set("heating", room=17.5, target=21.0)
    report = unit.wait(hours=3, minutes=30)
    assert report.not_keeping_up
    assert NOT_KEEPING_UP in report.problems
    assert report.not_keeping_up_since == start + timedelta(hours=3)
    assert report.gap == 3.5


def test_it_clears_within_30_minutes_after_the_room_reaches_the_target() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    unit.set("heating", room=17.5, target=21.0)
    unit.wait(hours=3, minutes=30)
    reached = unit.now
    unit.set("heating", room=21.0, target=21.0)
    report = unit.wait(minutes=30)
    assert not report.not_keeping_up
    cleared = next(
        at for at, r in unit.reports if at >= reached and not r.not_keeping_up
    )
    assert cleared - reached <= timedelta(minutes=30)


def test_the_flag_switches_on_at_the_instant_the_duration_is_reached() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    unit.set("heating", room=17.5, target=21.0)
    unit.wait(hours=2, minutes=59, seconds=59)
    assert not unit.report.not_keeping_up
    assert unit.wait(seconds=1).not_keeping_up
    assert local(2025, 1, 15, 9) in unit.wakeups


def test_small_fluctuations_of_the_room_do_not_restart_the_clock() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    for step in range(37):
        unit.set("heating", room=17.5 + (0.1 if step % 2 else -0.1), target=21.0)
        unit.wait(minutes=5)
    assert unit.report.not_keeping_up


def test_a_coarse_thermostat_flickering_by_half_a_degree_is_not_progress() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    for step in range(37):
        unit.set("heating", room=17.5 if step % 2 else 18.0, target=21.0)
        unit.wait(minutes=5)
    assert unit.report.not_keeping_up


def test_a_room_catching_up_is_not_flagged() -> None:
    # Morning recovery: 5 °C behind, warming 0.8 °C an hour.
    unit = Unit(local(2025, 1, 15, 6))
    for step in range(20):
        unit.set("heating", room=16.0 + 0.2 * step, target=21.0)
        unit.wait(minutes=15)
    assert not unit.report.not_keeping_up


def test_catching_up_then_stalling_is_flagged_three_hours_after_the_stall() -> None:
    # Each reading 0.6 °C warmer than the last is progress; then it stalls.
    unit = Unit(local(2025, 1, 15, 6))
    for step in range(4):
        unit.set("heating", room=16.0 + 0.6 * step, target=21.0)
        unit.wait(minutes=15)
    stall = unit.now
    unit.set("heating", room=18.4, target=21.0)
    unit.wait(hours=4)
    assert unit.report.not_keeping_up_since == stall + timedelta(hours=3)


def test_a_gap_below_the_threshold_is_never_flagged() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    unit.set("heating", room=20.2, target=21.0)
    assert not unit.wait(hours=8).not_keeping_up


def test_the_streak_begins_when_the_room_falls_to_the_threshold() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    unit.set("heating", room=20.5, target=21.0)
    unit.wait(hours=2)
    behind = unit.now
    unit.set("heating", room=19.5, target=21.0)
    unit.wait(hours=4)
    assert unit.report.not_keeping_up_since == behind + timedelta(hours=3)


def test_a_room_falling_further_behind_is_flagged() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    for step in range(13):
        unit.set("heating", room=20.0 - 0.25 * step, target=21.0)
        unit.wait(minutes=15)
    assert unit.report.not_keeping_up


def test_a_room_within_the_threshold_but_short_of_the_target_keeps_the_flag() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    unit.set("heating", room=17.5, target=21.0)
    unit.wait(hours=3)
    assert unit.set("heating", room=20.5, target=21.0).not_keeping_up


def test_the_unit_stopping_clears_it() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    unit.set("heating", room=17.5, target=21.0)
    unit.wait(hours=3)
    report = unit.set("idle", room=17.5, target=21.0)
    assert not report.not_keeping_up
    assert report.not_keeping_up_since is None


def test_a_new_target_starts_the_clock_again() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    unit.set("heating", room=17.5, target=21.0)
    unit.wait(hours=2)
    changed = unit.now
    unit.set("heating", room=17.5, target=20.0)
    unit.wait(hours=4)
    assert unit.report.not_keeping_up_since == changed + timedelta(hours=3)


def test_a_brief_unknown_room_temperature_does_not_break_the_streak() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    unit.set("heating", room=17.5, target=21.0)
    unit.wait(hours=1)
    unit.set("heating", room=None, target=21.0)
    unit.wait(minutes=5)
    unit.set("heating", room=17.5, target=21.0)
    assert unit.wait(hours=2).not_keeping_up


def test_cooling_compares_the_room_with_the_cooling_target() -> None:
    unit = Unit(local(2025, 7, 15, 12))
    unit.set("cooling", room=29.0, target=20.0, cool_target=25.0, mode="cool")
    report = unit.wait(hours=3)
    assert report.not_keeping_up
    assert report.gap == 4.0


def test_turning_from_heating_to_cooling_clears_it() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    unit.set("heating", room=17.5, target=21.0, mode="heat_cool")
    unit.wait(hours=3)
    report = unit.set("cooling", room=17.5, target=21.0, mode="heat_cool")
    assert not report.not_keeping_up


def test_a_defrost_does_not_interrupt_the_streak() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    unit.set("heating", room=17.5, target=21.0)
    unit.wait(hours=1)
    unit.set("defrosting", room=17.4, target=21.0)
    unit.wait(minutes=8)
    unit.set("heating", room=17.5, target=21.0)
    assert unit.wait(hours=2).not_keeping_up


def test_a_restart_starts_the_clock_again() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    unit.set("heating", room=17.5, target=21.0)
    unit.wait(hours=2)
    unit.restart(down=timedelta(minutes=2))
    back = unit.now
    unit.set("heating", room=17.5, target=21.0)
    unit.wait(hours=3)
    assert unit.report.not_keeping_up_since == back + timedelta(hours=3)


def test_the_flag_survives_a_restart_that_finds_the_unit_running() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    unit.set("heating", room=17.5, target=21.0)
    unit.wait(hours=3)
    unit.restart(down=timedelta(minutes=2))
    assert unit.set("heating", room=17.5, target=21.0).not_keeping_up


def test_a_late_assessment_dates_the_problem_to_when_the_duration_was_reached() -> None:
    state = HealthState.empty()
    start = datetime(2025, 1, 15, 5, tzinfo=UTC)
    observe(state, sample("heating", room=17.0, target=21.0), start, AMS)
    report = assess(state, start + timedelta(hours=5), AMS, DEFAULTS)
    assert report.not_keeping_up_since == start + timedelta(hours=3)


def test_shorter_duration_and_smaller_gap_from_the_settings() -> None:
    settings = HealthSettings(not_keeping_up_hours=1.0, not_keeping_up_gap=0.5)
    unit = Unit(local(2025, 1, 15, 6), settings=settings)
    unit.set("heating", room=20.4, target=21.0)
    assert unit.wait(hours=1).not_keeping_up


def test_idle_in_heat_mode_has_no_gap_and_is_never_behind() -> None:
    """At rest the room temperature changes no figure (no entity write)."""
    unit = Unit(local(2025, 1, 15, 6))
    report = unit.set("idle", room=17.5, target=21.0)
    assert report.gap is None
    assert unit.set("idle", room=17.4, target=21.0) == report
    assert not unit.wait(hours=5).not_keeping_up


def test_the_gap_is_shown_once_not_keeping_up() -> None:
    """A normal run creeping towards the target rewrites nothing each report."""
    unit = Unit(local(2025, 1, 15, 6))
    assert unit.set("heating", room=17.5, target=21.0, mode="heat_cool").gap is None
    assert unit.set("heating", room=17.6, target=21.0, mode="heat_cool").gap is None
    assert unit.wait(hours=3).gap == 3.4


def test_the_gap_is_unknown_without_a_target() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    assert unit.set("heating", room=17.5, target=None).gap is None
