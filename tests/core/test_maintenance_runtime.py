"""Tests for runtime accounting: local-day splitting, checkpoints, projection."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
import math
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from custom_components.heat_pump_care.maintenance import (
    DAILY_HISTORY_DAYS,
    CorruptStateError,
    FutureDateError,
    RuntimeState,
    as_utc,
    average_daily_hours,
    local_date,
    next_local_midnight,
    project_runtime_due,
    runtime_checkpoint,
    runtime_hours,
    runtime_reset,
    runtime_set_running,
    runtime_suspend,
)

AMS = ZoneInfo("Europe/Amsterdam")
NYC = ZoneInfo("America/New_York")
HOUR = 3600.0


def at(tz: tzinfo, *fields: int) -> datetime:
    """Aware datetime from local wall-clock fields (year .. minute)."""
    year, month, day, *clock = fields
    hour, minute = (*clock, 0, 0)[:2]
    return datetime(year, month, day, hour, minute, tzinfo=tz)


def start_of_day(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=tz)


def run(
    state: RuntimeState, start: datetime, end: datetime, tz: tzinfo
) -> RuntimeState:
    runtime_set_running(state, True, start, tz)
    runtime_set_running(state, False, end, tz)
    return state


# Daylight-saving days. EU: summer time starts/ends on the last Sunday of
# March/October at 01:00 UTC (Directive 2000/84/EC). US: second Sunday of
# March / first Sunday of November at 02:00 local (Energy Policy Act of 2005).
@pytest.mark.parametrize(
    ("tz", "day", "hours"),
    [
        (AMS, date(2025, 3, 30), 23),
        (AMS, date(2025, 10, 26), 25),
        (AMS, date(2026, 3, 29), 23),
        (AMS, date(2024, 10, 27), 25),
        (AMS, date(2025, 6, 15), 24),
        (AMS, date(2024, 2, 29), 24),
        (NYC, date(2025, 3, 9), 23),
        (NYC, date(2025, 11, 2), 25),
        (NYC, date(2024, 3, 10), 23),
        (NYC, date(2024, 11, 3), 25),
        (NYC, date(2025, 1, 15), 24),
    ],
)
def test_whole_local_day_has_its_real_length(tz: tzinfo, day: date, hours: int) -> None:
    state = run(
        RuntimeState(),
        start_of_day(day, tz),
        start_of_day(day + timedelta(days=1), tz),
        tz,
    )
    assert state.daily_seconds == {day: hours * HOUR}
    assert state.total_seconds == hours * HOUR
    assert state.tracking_since == day
    assert state.running_since is None


@pytest.mark.parametrize(
    ("tz", "start", "end", "expected"),
    [
        # Night into the EU spring change: 22:00 CET .. 04:00 CEST is 5 h.
        (
            AMS,
            at(AMS, 2025, 3, 29, 22),
            at(AMS, 2025, 3, 30, 4),
            {date(2025, 3, 29): 2 * HOUR, date(2025, 3, 30): 3 * HOUR},
        ),
        # Night into the EU autumn change: 22:00 CEST .. 04:00 CET is 7 h.
        (
            AMS,
            at(AMS, 2025, 10, 25, 22),
            at(AMS, 2025, 10, 26, 4),
            {date(2025, 10, 25): 2 * HOUR, date(2025, 10, 26): 5 * HOUR},
        ),
        # US autumn change: 22:00 EDT .. 02:00 EST, 01:00-02:00 twice: 5 h.
        (
            NYC,
            at(NYC, 2025, 11, 1, 22),
            at(NYC, 2025, 11, 2, 2),
            {date(2025, 11, 1): 2 * HOUR, date(2025, 11, 2): 3 * HOUR},
        ),
        # US spring change: 23:30 EST .. 03:30 EDT, 02:00-03:00 skipped: 3 h.
        (
            NYC,
            at(NYC, 2025, 3, 8, 23, 30),
            at(NYC, 2025, 3, 9, 3, 30),
            {date(2025, 3, 8): 0.5 * HOUR, date(2025, 3, 9): 2.5 * HOUR},
        ),
        # Leap day into March across two midnights.
        (
            AMS,
            at(AMS, 2028, 2, 28, 23),
            at(AMS, 2028, 3, 1, 1),
            {
                date(2028, 2, 28): HOUR,
                date(2028, 2, 29): 24 * HOUR,
                date(2028, 3, 1): HOUR,
            },
        ),
        # Ending exactly at local midnight adds nothing to the next day.
        (
            NYC,
            at(NYC, 2025, 1, 1, 20),
            at(NYC, 2025, 1, 2, 0),
            {date(2025, 1, 1): 4 * HOUR},
        ),
    ],
)
def test_running_is_split_at_local_midnight(
    tz: tzinfo, start: datetime, end: datetime, expected: dict[date, float]
) -> None:
    state = run(RuntimeState(), start, end, tz)
    assert state.daily_seconds == expected
    assert state.total_seconds == sum(expected.values())
    assert state.total_seconds == (end - start.astimezone(UTC)).total_seconds()


def test_same_instant_in_other_zones_gives_the_same_split() -> None:
    start = at(AMS, 2025, 10, 25, 22)
    end = at(AMS, 2025, 10, 26, 4)
    in_utc = run(RuntimeState(), start.astimezone(UTC), end.astimezone(NYC), AMS)
    assert in_utc.daily_seconds == run(RuntimeState(), start, end, AMS).daily_seconds


@pytest.mark.parametrize("tz_name", ["Europe/Amsterdam", "America/New_York"])
@pytest.mark.parametrize("year", [2024, 2025])
def test_every_local_day_of_a_year(tz_name: str, year: int) -> None:
    """Running a whole year: each day gets exactly its instants (15-min buckets)."""
    tz = ZoneInfo(tz_name)
    start = start_of_day(date(year, 1, 1), tz)
    end = start_of_day(date(year + 1, 1, 1), tz)
    state = RuntimeState()
    runtime_set_running(state, True, start, tz)
    seen: dict[date, float] = {}
    moment = start
    while moment < end:  # daily checkpoints; remember days before pruning
        moment = min(end, moment + timedelta(days=1))
        runtime_checkpoint(state, moment, tz)
        assert len(state.daily_seconds) <= DAILY_HISTORY_DAYS
        seen.update(state.daily_seconds)
    runtime_suspend(state, end, tz)
    # Independent count: 15-minute UTC steps bucketed by their local date.
    buckets: dict[date, float] = {}
    step = as_utc(start)
    while step < as_utc(end):
        day = step.astimezone(tz).date()
        buckets[day] = buckets.get(day, 0.0) + 900.0
        step += timedelta(minutes=15)
    assert seen == buckets
    assert len(buckets) == (date(year + 1, 1, 1) - date(year, 1, 1)).days
    assert state.total_seconds == sum(buckets.values())
    # Only the last days are kept (the year's end is today, with 0 s so far).
    assert sorted(state.daily_seconds) == sorted(buckets)[-(DAILY_HISTORY_DAYS - 1) :]
    assert sorted(set(buckets.values())) == [23 * HOUR, 24 * HOUR, 25 * HOUR]


@pytest.mark.parametrize(
    ("tz_name", "day"),
    [
        # Zones whose clocks change at local midnight (skipped or repeated).
        ("America/Santiago", date(2025, 9, 6)),
        ("America/Santiago", date(2025, 4, 5)),
        ("Asia/Beirut", date(2025, 3, 29)),
        ("Asia/Beirut", date(2025, 10, 25)),
        ("America/Havana", date(2025, 11, 1)),
        ("Australia/Lord_Howe", date(2025, 4, 5)),
    ],
)
def test_midnight_transitions_keep_every_second(tz_name: str, day: date) -> None:
    tz = ZoneInfo(tz_name)
    start = start_of_day(day - timedelta(days=1), tz)
    end = start + timedelta(days=4)
    state = run(RuntimeState(), start, end, tz)
    assert state.total_seconds == (as_utc(end) - as_utc(start)).total_seconds()
    assert math.fsum(state.daily_seconds.values()) == state.total_seconds
    buckets: dict[date, float] = {}
    step = as_utc(start)
    while step < as_utc(end):
        local = step.astimezone(tz).date()
        buckets[local] = buckets.get(local, 0.0) + 900.0
        step += timedelta(minutes=15)
    assert state.daily_seconds == buckets
    assert any(seconds != 24 * HOUR for seconds in buckets.values())


@pytest.mark.parametrize("tz", [AMS, NYC, UTC])
def test_next_local_midnight(tz: tzinfo) -> None:
    moment = at(AMS, 2025, 3, 30, 1, 30)
    midnight = next_local_midnight(moment, tz)
    assert midnight > moment
    local = midnight.astimezone(tz)
    assert local.time() == time()
    assert local.date() == local_date(moment, tz) + timedelta(days=1)


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValueError, match="naive"):
        runtime_set_running(RuntimeState(), True, datetime(2025, 1, 1), AMS)
    with pytest.raises(ValueError, match="naive"):
        as_utc(datetime(2025, 1, 1))


def test_set_running_is_idempotent() -> None:
    state = RuntimeState()
    runtime_set_running(state, False, at(AMS, 2025, 5, 1, 8), AMS)
    assert state.tracking_since == date(2025, 5, 1)
    assert state.to_dict()["running_since"] is None
    assert state.total_seconds == 0
    runtime_set_running(state, True, at(AMS, 2025, 5, 2, 8), AMS)
    runtime_set_running(state, True, at(AMS, 2025, 5, 2, 9), AMS)
    assert state.running_since == at(AMS, 2025, 5, 2, 8).astimezone(UTC)
    assert state.running_since is not None
    assert state.running_since.tzinfo is UTC
    runtime_set_running(state, False, at(AMS, 2025, 5, 2, 10), AMS)
    runtime_set_running(state, False, at(AMS, 2025, 5, 2, 11), AMS)
    assert state.total_seconds == 2 * HOUR
    assert state.tracking_since == date(2025, 5, 1)


def test_checkpoint_accrues_and_keeps_running() -> None:
    state = RuntimeState()
    runtime_set_running(state, True, at(NYC, 2025, 1, 1, 10), NYC)
    runtime_checkpoint(state, at(NYC, 2025, 1, 1, 10, 5), NYC)
    assert state.total_seconds == 300
    assert state.running_since == at(NYC, 2025, 1, 1, 10, 5)
    assert runtime_hours(state, at(NYC, 2025, 1, 1, 10, 7)) == pytest.approx(420 / HOUR)
    # A clock that went back counts nothing and does not move the start back.
    runtime_checkpoint(state, at(NYC, 2025, 1, 1, 10, 3), NYC)
    assert state.total_seconds == 300
    assert state.running_since == at(NYC, 2025, 1, 1, 10, 5)
    assert runtime_hours(state, at(NYC, 2025, 1, 1, 10, 3)) == pytest.approx(300 / HOUR)
    runtime_set_running(state, False, at(NYC, 2025, 1, 1, 10, 10), NYC)
    assert state.total_seconds == 600


def test_checkpoint_while_stopped_changes_nothing() -> None:
    state = RuntimeState(total_seconds=5.0, daily_seconds={date(2025, 1, 1): 5.0})
    runtime_checkpoint(state, at(AMS, 2025, 1, 2, 0), AMS)
    assert state == RuntimeState(
        total_seconds=5.0, daily_seconds={date(2025, 1, 1): 5.0}
    )


def test_suspend_accrues_and_stops() -> None:
    state = RuntimeState()
    runtime_set_running(state, True, at(AMS, 2025, 1, 1, 23), AMS)
    runtime_suspend(state, at(AMS, 2025, 1, 2, 1), AMS)
    assert state.running_since is None
    assert state.daily_seconds == {date(2025, 1, 1): HOUR, date(2025, 1, 2): HOUR}
    runtime_suspend(state, at(AMS, 2025, 1, 2, 5), AMS)
    assert state.total_seconds == 2 * HOUR
    assert runtime_hours(state, at(AMS, 2025, 1, 2, 5)) == 2.0


def test_from_dict_drops_the_interval_in_flight() -> None:
    """A crash loses at most the time since the last checkpoint, never more."""
    state = RuntimeState()
    runtime_set_running(state, True, at(AMS, 2025, 1, 1, 10), AMS)
    runtime_checkpoint(state, at(AMS, 2025, 1, 1, 10, 5), AMS)
    saved = state.to_dict()
    assert (
        saved["running_since"] == at(AMS, 2025, 1, 1, 10, 5).astimezone(UTC).isoformat()
    )
    # Home Assistant crashes at 10:09 and comes back at 12:00.
    restored = RuntimeState.from_dict(saved)
    assert restored.running_since is None
    assert restored.total_seconds == 300
    assert runtime_hours(restored, at(AMS, 2025, 1, 1, 12)) == pytest.approx(300 / HOUR)
    runtime_set_running(restored, True, at(AMS, 2025, 1, 1, 12), AMS)
    runtime_set_running(restored, False, at(AMS, 2025, 1, 1, 12, 10), AMS)
    assert restored.total_seconds == 900
    assert restored.daily_seconds == {date(2025, 1, 1): 900}
    assert restored.tracking_since == date(2025, 1, 1)


def test_round_trip_without_interval_in_flight() -> None:
    state = RuntimeState(
        total_seconds=12.5,
        daily_seconds={date(2025, 1, 2): 2.5, date(2025, 1, 1): 10},
        tracking_since=date(2024, 12, 31),
    )
    data = state.to_dict()
    assert list(data["daily_seconds"]) == ["2025-01-01", "2025-01-02"]
    assert data["running_since"] is None
    assert RuntimeState.from_dict(data) == state
    assert RuntimeState.from_dict({}) == RuntimeState()


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"total_seconds": "1"},
        {"total_seconds": True},
        {"total_seconds": -1},
        {"total_seconds": math.nan},
        {"total_seconds": math.inf},
        {"daily_seconds": []},
        {"daily_seconds": {"2025-13-01": 1}},
        {"daily_seconds": {"2025-01-01": None}},
        {"daily_seconds": {1: 1}},
        {"tracking_since": 20250101},
        {"tracking_since": "yesterday"},
        {"running_since": "2025-01-01T10:00:00"},
        {"running_since": "soon"},
        {"running_since": 5},
    ],
)
def test_from_dict_rejects_corrupt_data(data: Any) -> None:
    with pytest.raises(CorruptStateError) as info:
        RuntimeState.from_dict(data)
    assert isinstance(info.value, ValueError)


def test_daily_history_keeps_sixty_days() -> None:
    state = RuntimeState()
    first = date(2025, 1, 1)
    for offset in range(70):
        day = first + timedelta(days=offset)
        run(
            state,
            at(AMS, day.year, day.month, day.day, 12),
            at(AMS, day.year, day.month, day.day, 13),
            AMS,
        )
    last = first + timedelta(days=69)
    assert sorted(state.daily_seconds) == [
        last - timedelta(days=back) for back in range(DAILY_HISTORY_DAYS - 1, -1, -1)
    ]
    assert state.total_seconds == 70 * HOUR


def _history_state() -> RuntimeState:
    """Runs 1 h on 1 Jan, 2 h on 2 Jan, 3 h on 3 Jan 2025 (Amsterdam), running now."""
    state = RuntimeState()
    for day, hours in ((1, 1), (2, 2), (3, 3)):
        run(state, at(AMS, 2025, 1, day, 8), at(AMS, 2025, 1, day, 8 + hours), AMS)
    runtime_set_running(state, True, at(AMS, 2025, 1, 3, 20), AMS)
    return state


@pytest.mark.parametrize(
    ("since", "expected_hours"),
    [
        (date(2025, 1, 1), 1 + 2 + 3 + 2),
        (date(2025, 1, 2), 2 + 3 + 2),
        (date(2024, 12, 1), 1 + 2 + 3 + 2),
    ],
)
def test_back_filled_filter_change_uses_daily_history(
    since: date, expected_hours: float
) -> None:
    state = _history_state()
    now = at(AMS, 2025, 1, 3, 22)
    runtime_reset(state, since, now, AMS)
    assert state.total_seconds == expected_hours * HOUR
    assert state.running_since == now
    assert runtime_hours(state, at(AMS, 2025, 1, 3, 23)) == expected_hours + 1


def test_filter_changed_today_counts_from_now() -> None:
    state = _history_state()
    now = at(AMS, 2025, 1, 3, 22)
    runtime_reset(state, date(2025, 1, 3), now, AMS)
    assert state.total_seconds == 0
    assert state.daily_seconds[date(2025, 1, 3)] == 5 * HOUR
    assert runtime_hours(state, at(AMS, 2025, 1, 3, 22, 30)) == 0.5


def test_reset_rejects_future_and_starts_tracking() -> None:
    state = RuntimeState()
    with pytest.raises(FutureDateError):
        runtime_reset(state, date(2025, 1, 4), at(AMS, 2025, 1, 3, 23, 59), AMS)
    runtime_reset(state, date(2025, 1, 1), at(AMS, 2025, 1, 3, 23, 59), AMS)
    assert state.tracking_since == date(2025, 1, 3)
    assert state.total_seconds == 0


@pytest.mark.parametrize(
    ("tracking_since", "today", "window", "expected"),
    [
        (None, date(2025, 1, 10), 14, None),
        (date(2025, 1, 10), date(2025, 1, 10), 14, None),
        # Days 1..9 tracked: (1+2+3) h over 9 days.
        (date(2025, 1, 1), date(2025, 1, 10), 14, 6 / 9),
        # Window of 2 days: 9 Jan and 8 Jan ran nothing.
        (date(2025, 1, 1), date(2025, 1, 10), 2, 0.0),
        # Window of 8 days before 4 Jan, but tracking began 2 Jan: (2+3)/2.
        (date(2025, 1, 2), date(2025, 1, 4), 8, 2.5),
        # Only 3 Jan in the window.
        (date(2025, 1, 1), date(2025, 1, 4), 1, 3.0),
        (date(2025, 1, 1), date(2025, 1, 4), 0, None),
    ],
)
def test_average_daily_hours(
    tracking_since: date | None, today: date, window: int, expected: float | None
) -> None:
    state = RuntimeState(
        total_seconds=6 * HOUR,
        daily_seconds={
            date(2025, 1, 1): HOUR,
            date(2025, 1, 2): 2 * HOUR,
            date(2025, 1, 3): 3 * HOUR,
            date(2025, 1, 10): 10 * HOUR,  # today never counts
        },
        tracking_since=tracking_since,
    )
    result = average_daily_hours(state, today, window)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


def test_average_uses_fourteen_days_by_default() -> None:
    state = RuntimeState(
        daily_seconds={
            date(2025, 2, 1) - timedelta(days=n): 14 * HOUR for n in (1, 15)
        },
        tracking_since=date(2024, 1, 1),
    )
    assert average_daily_hours(state, date(2025, 2, 1)) == 1.0


TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("limit", "used", "avg", "expected"),
    [
        (500, 500, None, TODAY),
        (500, 612.5, 3.0, TODAY),
        (500, 100, None, None),
        (500, 100, 0.0, None),
        (500, 100, -1.0, None),
        (100, 40, 6.0, TODAY + timedelta(days=10)),  # exactly 10 days
        (100, 40, 7.0, TODAY + timedelta(days=9)),  # 8.57 rounds up
        (100, 99.5, 24.0, TODAY + timedelta(days=1)),  # any remainder: a day
        (100, 40, 60.0, TODAY + timedelta(days=1)),
        (1000, 0, 1.0, TODAY + timedelta(days=1000)),
        (10000, 0, 1e-300, None),  # beyond the calendar
    ],
)
def test_project_runtime_due(
    limit: float, used: float, avg: float | None, expected: date | None
) -> None:
    assert project_runtime_due(limit, used, avg, TODAY) == expected


def test_runtime_hours_clamps_a_clock_behind_the_start() -> None:
    state = RuntimeState(total_seconds=HOUR)
    runtime_set_running(state, True, at(AMS, 2025, 1, 1, 12), AMS)
    assert runtime_hours(state, at(AMS, 2025, 1, 1, 11)) == 1.0
    assert runtime_hours(state, at(AMS, 2025, 1, 1, 12, 30)) == 1.5


def test_next_local_midnight_where_daylight_saving_skips_midnight() -> None:
    """In Beirut on 2025-03-30 the clocks jump from 00:00 to 01:00: the day turns at 01:00."""
    from zoneinfo import ZoneInfo

    from custom_components.heat_pump_care.maintenance import next_local_midnight

    beirut = ZoneInfo("Asia/Beirut")
    evening = datetime(2025, 3, 29, 20, 0, tzinfo=beirut)
    turn = next_local_midnight(evening, beirut)
    assert turn.astimezone(beirut).date().isoformat() == "2025-03-30"
    assert turn.astimezone(beirut).hour == 1
