"""Degree days: run time per heating degree day, the learned baseline, drift."""

from __future__ import annotations

from datetime import timedelta

import pytest

from custom_components.heat_pump_care.health import (
    EFFICIENCY_DROP,
    HealthReport,
    HealthSettings,
)

from .test_health_support import Unit, local

# A day at 0 °C has 15.5 heating degree days on the default base.
HDD_AT_ZERO = 15.5


def live(
    unit: Unit, days: int, *, on_hours: float = 12.0, outdoor: float = 0.0
) -> HealthReport:
    """Whole local days from midnight: ``on_hours`` of heating in two runs."""
    for _ in range(days):
        unit.outdoor(outdoor)
        half = on_hours / 2
        for _ in range(2):
            if half:
                unit.set("heating")
                unit.wait(hours=half)
            unit.set("idle")
            unit.wait(hours=12 - half)
    return unit.report


def test_two_days_at_zero_degrees_and_half_duty_give_a_plausible_figure() -> None:
    unit = Unit(local(2025, 1, 13))
    report = live(unit, 2, on_hours=12)
    assert report.runtime_per_degree_day == pytest.approx(12 / HDD_AT_ZERO, abs=0.001)
    assert report.learning
    assert report.learning_days == 2
    assert not report.efficiency_drop
    assert report.baseline is None


def test_without_outdoor_data_there_is_no_figure() -> None:
    unit = Unit(local(2025, 1, 13))
    unit.set("heating")
    report = unit.wait(hours=48)
    assert report.runtime_per_degree_day is None
    assert report.learning_days == 0


def test_today_is_not_in_the_figure_until_it_is_complete() -> None:
    unit = Unit(local(2025, 1, 13))
    unit.outdoor(0.0)
    unit.set("heating")
    assert unit.wait(hours=23).runtime_per_degree_day is None
    assert unit.wait(hours=1).runtime_per_degree_day == pytest.approx(
        24 / HDD_AT_ZERO, abs=0.001
    )


def test_the_mean_outdoor_temperature_is_weighted_by_time() -> None:
    # 6 hours at -6 °C and 18 hours at +2 °C: mean 0 °C.
    unit = Unit(local(2025, 1, 13))
    unit.set("heating")
    unit.outdoor(-6.0)
    unit.wait(hours=6)
    unit.outdoor(2.0)
    report = unit.wait(hours=18)
    assert report.runtime_per_degree_day == pytest.approx(24 / HDD_AT_ZERO, abs=0.001)


def test_a_base_of_18_degrees_gives_more_degree_days() -> None:
    unit = Unit(local(2025, 1, 13), settings=HealthSettings(degree_day_base=18.0))
    report = live(unit, 1, on_hours=12)
    assert report.runtime_per_degree_day == pytest.approx(12 / 18, abs=0.001)


def test_days_warmer_than_the_base_have_no_degree_days() -> None:
    unit = Unit(local(2025, 1, 13))
    report = live(unit, 2, on_hours=2, outdoor=16.0)
    assert report.runtime_per_degree_day is None
    assert report.learning_days == 0


def test_a_warm_day_adds_run_time_but_no_degree_days_to_the_week() -> None:
    unit = Unit(local(2025, 1, 13))
    live(unit, 1, on_hours=12, outdoor=0.0)
    report = live(unit, 1, on_hours=2, outdoor=20.0)
    assert report.runtime_per_degree_day == pytest.approx(14 / HDD_AT_ZERO, abs=0.001)
    assert report.learning_days == 1


def test_a_day_with_the_outdoor_sensor_away_for_three_hours_is_left_out() -> None:
    unit = Unit(local(2025, 1, 13))
    live(unit, 1, on_hours=12)
    unit.set("heating")
    unit.outdoor(None)
    unit.wait(hours=3)
    unit.outdoor(0.0)
    report = unit.wait(hours=21)
    assert report.runtime_per_degree_day == pytest.approx(12 / HDD_AT_ZERO, abs=0.001)
    assert report.learning_days == 1


def test_a_day_with_the_thermostat_unavailable_for_three_hours_is_left_out() -> None:
    unit = Unit(local(2025, 1, 13))
    unit.outdoor(0.0)
    unit.set(None)
    unit.wait(hours=3)
    unit.set("heating")
    report = unit.wait(hours=21)
    assert report.runtime_per_degree_day is None


def test_a_short_restart_keeps_the_day_but_a_long_one_leaves_it_out() -> None:
    unit = Unit(local(2025, 1, 13))
    unit.outdoor(0.0)
    unit.set("heating")
    unit.wait(hours=12)
    unit.restart(down=timedelta(minutes=10))
    unit.outdoor(0.0)
    unit.set("heating")
    unit.wait(hours=11, minutes=50)
    assert unit.report.learning_days == 1
    unit.restart(down=timedelta(hours=4))
    unit.outdoor(0.0)
    unit.set("heating")
    assert unit.wait(hours=20).learning_days == 1


def test_a_daylight_saving_day_is_a_complete_day() -> None:
    unit = Unit(local(2025, 3, 30))
    unit.outdoor(0.0)
    unit.set("heating")
    report = unit.wait(hours=23)
    assert report.runtime_per_degree_day == pytest.approx(23 / HDD_AT_ZERO, abs=0.001)


def test_the_figure_covers_the_last_seven_complete_days() -> None:
    unit = Unit(local(2025, 1, 13))
    live(unit, 1, on_hours=24)
    report = live(unit, 7, on_hours=12)
    assert report.runtime_per_degree_day == pytest.approx(12 / HDD_AT_ZERO, abs=0.001)


def test_the_baseline_is_learned_over_the_first_heating_days() -> None:
    unit = Unit(local(2025, 1, 1))
    report = live(unit, 13, on_hours=12)
    assert (report.learning, report.learning_days) == (True, 13)
    report = live(unit, 1, on_hours=12)
    assert (report.learning, report.learning_days) == (False, 14)
    assert report.baseline == pytest.approx(12 / HDD_AT_ZERO, abs=0.001)


def test_learning_stops_at_the_configured_number_of_days() -> None:
    unit = Unit(local(2025, 1, 1), settings=HealthSettings(baseline_days=7))
    live(unit, 7, on_hours=12)
    report = live(unit, 3, on_hours=6)
    assert report.learning_days == 7
    assert report.baseline == pytest.approx(12 / HDD_AT_ZERO, abs=0.001)


def learned(settings: HealthSettings | None = None) -> Unit:
    """A unit that learned 0.774 h per degree day over 14 days at 0 °C."""
    unit = Unit(local(2025, 1, 1), settings=settings or HealthSettings())
    live(unit, 14, on_hours=12)
    return unit


def test_more_run_time_for_the_same_weather_on_three_days_is_an_efficiency_drop() -> (
    None
):
    unit = learned()
    # Running all day: the 7-day figure exceeds the baseline by 25 % from the
    # second day on, so the third day above it ends after the fourth day.
    assert not live(unit, 3, on_hours=24).efficiency_drop
    report = live(unit, 1, on_hours=24)
    assert report.efficiency_drop
    assert EFFICIENCY_DROP in report.problems
    assert report.efficiency_drop_since == local(2025, 1, 19)


def test_the_efficiency_drop_clears_when_the_figure_is_back_down() -> None:
    unit = learned()
    live(unit, 4, on_hours=24)
    report = live(unit, 7, on_hours=12)
    assert not report.efficiency_drop
    assert report.efficiency_drop_since is None


def test_days_above_the_limit_must_be_consecutive() -> None:
    unit = learned(HealthSettings(efficiency_drop_days=2))
    # The week's hours swing between 108 (above 1.25 x 84) and 96 (below).
    above = []
    for hours in (24, 24, 0, 24, 0, 24, 0):
        report = live(unit, 1, on_hours=hours)
        above.append(report.runtime_per_degree_day > 1.25 * report.baseline)
        assert not report.efficiency_drop
    assert above == [False, True, False, True, False, True, False]


def test_a_service_makes_it_learn_again() -> None:
    unit = learned()
    live(unit, 4, on_hours=24)
    report = unit.service()
    assert (report.learning, report.learning_days, report.baseline) == (True, 0, None)
    assert not report.efficiency_drop
    unit.wait(hours=24)  # the rest of the service day is not learned from
    report = live(unit, 2, on_hours=12)
    assert report.learning_days == 2


def test_a_new_degree_day_base_makes_it_learn_again() -> None:
    unit = learned()
    unit.settings = HealthSettings(degree_day_base=18.0)
    report = unit.report
    assert (report.learning, report.learning_days) == (True, 0)


def test_a_long_absence_breaks_the_run_of_days_above() -> None:
    unit = learned()
    live(unit, 3, on_hours=24)  # two days above the limit so far
    unit.restart(down=timedelta(days=10))
    assert not live(unit, 1, on_hours=24).efficiency_drop
