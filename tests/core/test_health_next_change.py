"""next_change: the one instant the shell wakes up for, never later than midnight."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from custom_components.heat_pump_care.health import HealthState, next_change, observe

from .test_health_support import AMS, DEFAULTS, Unit, local, sample


def test_an_empty_state_wakes_up_at_the_next_local_midnight() -> None:
    now = local(2025, 1, 15, 10)
    assert next_change(HealthState.empty(), now, AMS, DEFAULTS) == local(2025, 1, 16)


@pytest.mark.parametrize(
    ("now", "midnight"),
    [
        (local(2025, 3, 29, 23, 30), local(2025, 3, 30)),
        (local(2025, 3, 30, 12), local(2025, 3, 31)),
        (local(2025, 10, 26, 12), local(2025, 10, 27)),
    ],
)
def test_the_midnight_is_local_on_daylight_saving_days(
    now: object, midnight: object
) -> None:
    unit = Unit(now)  # type: ignore[arg-type]
    unit.set("idle")
    assert next_change(unit.state, unit.now, AMS, DEFAULTS) == midnight


def test_a_skipped_local_midnight_still_has_a_next_day() -> None:
    # Beirut (2025) moved its clocks forward at midnight on 30 March.
    beirut = ZoneInfo("Asia/Beirut")
    unit = Unit(local(2025, 3, 29, 22, tz=beirut), tz=beirut)
    unit.set("idle")
    due = next_change(unit.state, unit.now, beirut, DEFAULTS)
    assert due is not None
    assert due.astimezone(beirut).date().isoformat() == "2025-03-30"
    assert due - unit.now == timedelta(hours=2)


def test_during_a_heating_run_with_a_gap_it_is_the_not_keeping_up_instant() -> None:
    start = local(2025, 1, 15, 6)
    unit = Unit(start)
    unit.set("heating", room=17.5, target=21.0)
    unit.wait(hours=1, minutes=30)  # the start has left the rolling hour
    due = next_change(unit.state, unit.now, AMS, DEFAULTS)
    assert due == start + timedelta(hours=3)


def test_after_not_keeping_up_switched_on_it_is_midnight_again() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    unit.set("heating", room=17.5, target=21.0)
    unit.wait(hours=4)
    assert next_change(unit.state, unit.now, AMS, DEFAULTS) == local(2025, 1, 16)


def test_a_start_leaving_the_rolling_hour_is_an_instant() -> None:
    unit = Unit(local(2025, 1, 15, 10))
    unit.set("heating")
    unit.wait(minutes=10)
    unit.set("idle")
    unit.wait(minutes=10)
    assert next_change(unit.state, unit.now, AMS, DEFAULTS) == local(2025, 1, 15, 11)


def test_a_run_leaving_the_median_window_is_an_instant() -> None:
    unit = Unit(local(2025, 1, 15, 22))
    unit.set("heating")
    unit.wait(minutes=10)
    unit.set("idle")
    unit.wait(hours=3)  # past the start's hour and past midnight
    assert next_change(unit.state, unit.now, AMS, DEFAULTS) == local(
        2025, 1, 16, 22, 10
    )


def test_a_reset_leaving_the_30_days_is_an_instant() -> None:
    unit = Unit(local(2025, 1, 15, 22))
    unit.reset()
    unit.wait(days=29, hours=23)
    assert next_change(unit.state, unit.now, AMS, DEFAULTS) == local(2025, 2, 14, 22)


def test_it_is_never_later_than_the_next_local_midnight() -> None:
    unit = Unit(local(2025, 1, 15, 23, 50))
    unit.set("heating", room=17.5, target=21.0)
    assert next_change(unit.state, unit.now, AMS, DEFAULTS) == local(2025, 1, 16)


def test_it_does_not_change_the_state() -> None:
    unit = Unit(local(2025, 1, 15, 6))
    unit.set("heating", room=17.5, target=21.0)
    before = unit.state.to_dict()
    next_change(unit.state, unit.now + timedelta(hours=5), AMS, DEFAULTS)
    assert unit.state.to_dict() == before


def test_an_instant_before_the_last_input_is_taken_as_the_last_input() -> None:
    state = HealthState.empty()
    now = local(2025, 1, 15, 10)
    observe(state, sample("heating"), now, AMS)
    assert next_change(
        state, now - timedelta(hours=2), AMS, DEFAULTS
    ) == now + timedelta(hours=1)
