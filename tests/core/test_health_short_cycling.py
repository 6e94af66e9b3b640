"""Short cycling: a fast state with hysteresis, and a slow run of days."""

from __future__ import annotations

from datetime import datetime, timedelta

from custom_components.heat_pump_care.health import (
    SHORT_CYCLING,
    HealthSettings,
    short_cycling_repair,
)

from .test_health_support import Unit, local


def cycle(unit: Unit, *, on: float, off: float, times: int) -> None:
    """``times`` runs of ``on`` minutes, each followed by ``off`` minutes idle."""
    for _ in range(times):
        unit.set("heating")
        unit.wait(minutes=on)
        unit.set("idle")
        unit.wait(minutes=off)


def switched(unit: Unit, value: bool, after: datetime) -> datetime | None:
    """When the fast state first showed ``value`` at or after ``after``."""
    return next(
        (at for at, r in unit.reports if at >= after and r.short_cycling is value),
        None,
    )


def test_twelve_two_minute_runs_an_hour_switch_short_cycling_on_within_two_hours() -> (
    None
):
    start = local(2025, 1, 15, 6)
    unit = Unit(start)
    cycle(unit, on=2, off=3, times=24)
    on_at = switched(unit, True, start)
    assert on_at is not None
    assert on_at - start <= timedelta(hours=2)
    assert SHORT_CYCLING in unit.report.problems


def test_forty_on_twenty_off_switches_it_off_again_within_three_hours() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    cycle(unit, on=2, off=3, times=24)
    assert unit.report.short_cycling
    calm = unit.now
    cycle(unit, on=40, off=20, times=3)
    off_at = switched(unit, False, calm)
    assert off_at is not None
    assert off_at - calm <= timedelta(hours=3)
    assert SHORT_CYCLING not in unit.report.problems


def test_the_sixth_start_within_an_hour_with_short_periods_switches_it_on() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    cycle(unit, on=5, off=5, times=5)
    assert not unit.report.short_cycling
    report = unit.set("heating")
    assert report.starts_last_hour == 6
    assert report.short_cycling
    assert report.short_cycling_since == unit.now


def test_many_starts_with_a_long_median_period_are_not_short_cycling() -> None:
    # Six starts in 50 minutes, but three of the five periods are 16 minutes.
    unit = Unit(local(2025, 1, 15, 6))
    for period in (1, 1, 16, 16, 16):
        unit.set("heating")
        unit.wait(seconds=30)
        unit.set("idle")
        unit.wait(minutes=period - 0.5)
    report = unit.set("heating")
    assert report.starts_last_hour == 6
    assert not report.short_cycling


def test_short_cycling_holds_while_more_than_the_clear_starts_remain() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    cycle(unit, on=2, off=3, times=6)
    # Starts at 06:00 .. 06:25 every 5 minutes; at 07:07 four are in the hour.
    report = unit.wait(minutes=37)
    assert report.starts_last_hour == 4
    assert report.short_cycling


def test_short_cycling_clears_the_instant_the_starts_fall_to_the_clear_threshold() -> (
    None
):
    unit = Unit(local(2025, 1, 15, 6))
    cycle(unit, on=2, off=3, times=6)
    unit.wait(hours=2)
    # Starts at 06:00 .. 06:25: when the 06:10 start leaves the hour, three
    # remain; the shell's timer fires at that instant.
    cleared = local(2025, 1, 15, 7, 10)
    assert cleared in unit.wakeups
    assert switched(unit, False, local(2025, 1, 15, 6, 30)) == cleared


def test_fewer_starts_needed_with_a_lower_threshold() -> None:
    settings = HealthSettings(short_cycle_starts=3, short_cycle_clear_starts=1)
    unit = Unit(local(2025, 1, 15, 6), settings=settings)
    cycle(unit, on=5, off=5, times=3)
    assert unit.report.short_cycling


def test_short_cycling_days_count_consecutive_local_days_with_it() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    for day in range(3):
        cycle(unit, on=2, off=3, times=12)
        report = unit.report
        assert report.short_cycling_days == day + 1
        unit.wait(hours=23)
    assert short_cycling_repair(unit.report, HealthSettings())


def test_today_breaks_the_run_of_days_only_once_it_is_over() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    cycle(unit, on=2, off=3, times=12)
    unit.wait(hours=23)  # 06:00 on the 16th: nothing yet today
    assert unit.report.short_cycling_days == 1
    report = unit.wait(hours=18)  # 00:00 on the 17th: the 16th had none
    assert report.short_cycling_days == 0


def test_short_cycling_on_over_midnight_counts_both_days() -> None:
    unit = Unit(local(2025, 1, 15, 23, 30))
    cycle(unit, on=2, off=3, times=12)
    report = unit.report
    assert report.short_cycling
    assert report.short_cycling_days == 2


def test_a_day_between_breaks_the_run_of_days() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    cycle(unit, on=2, off=3, times=12)
    unit.wait(hours=47)  # all of the 16th calm
    cycle(unit, on=2, off=3, times=12)
    assert unit.report.short_cycling_days == 1


def test_the_repair_needs_the_configured_number_of_days() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    cycle(unit, on=2, off=3, times=12)
    report = unit.report
    assert not short_cycling_repair(report, HealthSettings())
    assert short_cycling_repair(report, HealthSettings(short_cycle_repair_days=1))
