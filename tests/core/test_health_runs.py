"""Runs, cycles, run time and defrosts, counted per local day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.heat_pump_care.health import HealthState, Sample, assess, observe

from .test_health_support import AMS, DEFAULTS, Unit, local, round_trip, sample


def test_a_first_heating_report_starts_a_run() -> None:
    unit = Unit(local(2025, 1, 15, 10))
    assert unit.set("heating").cycles_today == 1


@pytest.mark.parametrize("action", ["heating", "preheating", "cooling"])
def test_each_compressor_action_starts_a_run(action: str) -> None:
    unit = Unit(local(2025, 1, 15, 10))
    unit.set("idle")
    assert unit.set(action).cycles_today == 1


@pytest.mark.parametrize("action", ["idle", "off", "fan", "drying", None, "unknown"])
def test_an_action_without_the_compressor_starts_nothing(action: str | None) -> None:
    unit = Unit(local(2025, 1, 15, 10))
    unit.set("idle")
    unit.wait(minutes=30)
    report = unit.set(action)
    unit.wait(minutes=30)
    assert report.cycles_today == 0
    assert unit.report.runtime_today_hours == 0


def test_each_start_from_not_running_is_a_cycle() -> None:
    unit = Unit(local(2025, 1, 15, 10))
    for action in ["heating", "idle", "heating", "off", "cooling", None, "heating"]:
        unit.set(action)
        unit.wait(minutes=10)
    assert unit.report.cycles_today == 4


def test_repeated_reports_of_a_run_are_one_run() -> None:
    unit = Unit(local(2025, 1, 15, 10))
    for room in (19.0, 19.2, 19.4):
        unit.set("heating", room=room)
        unit.wait(minutes=5)
    assert unit.report.cycles_today == 1


def test_switching_from_heating_to_cooling_inside_a_run_is_not_a_new_run() -> None:
    unit = Unit(local(2025, 1, 15, 10))
    unit.set("heating", mode="heat_cool")
    unit.wait(minutes=20)
    unit.set("cooling", mode="heat_cool")
    unit.wait(minutes=20)
    report = unit.set("idle", mode="heat_cool")
    assert report.cycles_today == 1
    assert report.median_run_minutes == 40.0


def test_the_fan_alone_ends_a_run() -> None:
    unit = Unit(local(2025, 1, 15, 10))
    unit.set("heating")
    unit.wait(minutes=12)
    unit.set("fan")
    unit.wait(minutes=30)
    report = unit.report
    assert report.median_run_minutes == 12.0
    assert report.runtime_today_hours == 0.2


def test_an_unavailable_thermostat_ends_the_run() -> None:
    unit = Unit(local(2025, 1, 15, 10))
    unit.set("heating")
    unit.wait(minutes=30)
    unit.set(None)
    unit.wait(minutes=30)
    report = unit.set("heating")
    assert report.cycles_today == 2
    assert report.runtime_today_hours == 0.5


def test_run_time_is_the_time_spent_running() -> None:
    unit = Unit(local(2025, 1, 15, 10))
    unit.set("heating")
    unit.wait(minutes=45)
    unit.set("idle")
    unit.wait(minutes=30)
    unit.set("heating")
    report = unit.wait(minutes=15)
    assert report.runtime_today_hours == 1.0


def test_run_time_of_a_run_under_way_counts_up_to_now() -> None:
    unit = Unit(local(2025, 1, 15, 10))
    unit.set("heating")
    assert unit.wait(minutes=90).runtime_today_hours == 1.5


def test_a_run_over_midnight_counts_its_start_on_the_first_day() -> None:
    unit = Unit(local(2025, 1, 15, 23))
    unit.set("heating")
    report = unit.wait(hours=2)
    assert report.cycles_today == 0
    assert report.runtime_today_hours == 1.0


def test_counts_start_again_at_local_midnight() -> None:
    unit = Unit(local(2025, 1, 15, 20))
    unit.set("heating")
    unit.wait(hours=1)
    unit.set("idle")
    before = unit.wait(minutes=179, seconds=59)
    assert before.cycles_today == 1
    after = unit.wait(seconds=1)
    assert (after.cycles_today, after.runtime_today_hours) == (0, 0.0)


@pytest.mark.parametrize(
    ("day", "hours"), [((2025, 3, 30), 23.0), ((2025, 10, 26), 25.0)]
)
def test_a_daylight_saving_day_counts_its_real_length(
    day: tuple[int, int, int], hours: float
) -> None:
    # EU summer time starts/ends on the last Sunday of March/October.
    unit = Unit(local(*day))
    unit.set("heating")
    report = unit.wait(hours=hours - 0.001)
    assert report.runtime_today_hours == hours
    assert unit.wait(hours=0.002).runtime_today_hours == 0.0


def test_the_median_run_is_over_runs_that_ended_in_the_last_24_hours() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    for minutes in (10, 20, 60):
        unit.set("heating")
        unit.wait(minutes=minutes)
        unit.set("idle")
        unit.wait(minutes=30)
    assert unit.report.median_run_minutes == 20.0  # now 09:00
    # The runs ended at 06:10, 07:00 and 08:30; at 06:30 the next day the
    # first has left the 24 hours, at 07:00 the second too.
    assert unit.wait(hours=21, minutes=30).median_run_minutes == 40.0
    assert unit.wait(minutes=30).median_run_minutes == 60.0


def test_the_median_leaves_out_the_run_under_way() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    unit.set("heating")
    assert unit.wait(hours=2).median_run_minutes is None


def test_the_median_is_none_once_all_runs_aged_out() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    unit.set("heating")
    unit.wait(minutes=10)
    unit.set("idle")
    assert unit.report.median_run_minutes == 10.0
    assert unit.wait(hours=24).median_run_minutes is None


def test_three_defrosts_inside_runs_leave_the_cycles_alone() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    unit.set("heating")
    for _ in range(2):
        unit.wait(minutes=40)
        unit.set("defrosting")
        unit.wait(minutes=8)
        unit.set("heating")
    unit.wait(minutes=30)
    unit.set("idle")
    unit.wait(minutes=20)
    unit.set("heating")
    unit.wait(minutes=40)
    unit.set("defrosting")
    unit.wait(minutes=8)
    report = unit.set("heating")
    assert (report.defrosts_today, report.cycles_today) == (3, 2)
    after_midnight = unit.wait(hours=18)
    assert (after_midnight.defrosts_today, after_midnight.cycles_today) == (0, 0)


def test_a_defrost_is_part_of_the_run() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    unit.set("heating")
    unit.wait(minutes=30)
    unit.set("defrosting")
    unit.wait(minutes=10)
    unit.set("heating")
    unit.wait(minutes=20)
    report = unit.set("idle")
    assert report.median_run_minutes == 60.0
    assert report.runtime_today_hours == 1.0


def test_a_defrost_episode_is_counted_once() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    unit.set("heating")
    for room in (20.0, 19.9, 19.8):
        unit.set("defrosting", room=room)
        unit.wait(minutes=3)
    assert unit.set("heating").defrosts_today == 1


def test_a_defrost_outside_a_run_is_a_defrost_but_not_a_run() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    unit.set("idle")
    unit.set("defrosting")
    unit.wait(minutes=5)
    report = unit.set("idle")
    assert (report.defrosts_today, report.cycles_today) == (1, 0)
    assert report.runtime_today_hours == 0.0


def test_heating_after_a_defrost_outside_a_run_starts_a_run() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    unit.set("idle")
    unit.set("defrosting")
    unit.wait(minutes=5)
    assert unit.set("heating").cycles_today == 1


def test_a_restart_in_the_middle_of_a_run_keeps_counts_and_run_time_exact() -> None:
    unit = Unit(local(2025, 1, 15, 10))
    unit.set("heating")
    unit.wait(minutes=30)
    unit.restart(down=timedelta(minutes=5))
    assert unit.set("heating").cycles_today == 1
    unit.wait(minutes=25)
    report = unit.set("idle")
    assert report.cycles_today == 1
    # 30 minutes before the stop and 25 after; the 5 minutes down are not run time.
    assert report.runtime_today_hours == round(55 / 60, 2)
    assert report.median_run_minutes == 55.0


def test_a_restart_that_finds_the_unit_idle_ends_the_run_at_its_counted_length() -> (
    None
):
    unit = Unit(local(2025, 1, 15, 10))
    unit.set("heating")
    unit.wait(minutes=30)
    unit.restart(down=timedelta(hours=2))
    report = unit.set("idle")
    assert report.median_run_minutes == 30.0
    assert report.runtime_today_hours == 0.5


def test_an_unavailable_thermostat_right_after_a_restart_does_not_split_the_run() -> (
    None
):
    unit = Unit(local(2025, 1, 15, 10))
    unit.set("heating")
    unit.wait(minutes=30)
    unit.restart(down=timedelta(minutes=1))
    unit.set(None)
    unit.wait(minutes=1)
    report = unit.set("heating")
    assert report.cycles_today == 1
    unit.wait(minutes=29)
    assert unit.set("idle").median_run_minutes == 59.0


def test_a_restart_during_a_defrost_does_not_count_it_twice() -> None:
    unit = Unit(local(2025, 1, 15, 10))
    unit.set("heating")
    unit.set("defrosting")
    unit.restart(down=timedelta(minutes=1))
    assert unit.set("defrosting").defrosts_today == 1


def test_a_crash_counts_the_time_down_as_the_last_report() -> None:
    # Without suspend nothing tells the core Home Assistant was down: the
    # last report holds, as it does between any two reports.
    unit = Unit(local(2025, 1, 15, 10))
    unit.set("heating")
    unit.wait(minutes=30)
    unit.restart(down=timedelta(minutes=10), clean=False)
    report = unit.set("heating")
    assert (report.cycles_today, report.runtime_today_hours) == (1, round(40 / 60, 2))


def test_an_input_dated_before_the_last_one_counts_at_the_last_one() -> None:
    state = HealthState.empty()
    start = datetime(2025, 1, 15, 9, tzinfo=UTC)
    observe(state, sample("heating"), start, AMS)
    observe(state, sample("idle"), start + timedelta(hours=1), AMS)
    observe(state, sample("heating"), start + timedelta(minutes=30), AMS)
    report = assess(state, start + timedelta(hours=1), AMS, DEFAULTS)
    assert report.cycles_today == 2
    assert report.runtime_today_hours == 1.0


def test_a_non_finite_room_temperature_is_unknown() -> None:
    unit = Unit(local(2025, 1, 15, 10))
    assert unit.set("heating", room=float("nan")).gap is None
    assert round_trip(unit.state) == unit.state


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        observe(
            HealthState.empty(),
            Sample("heating", "heat", 20.0, 21.0, 21.0),
            datetime(2025, 1, 15, 10),
            AMS,
        )
