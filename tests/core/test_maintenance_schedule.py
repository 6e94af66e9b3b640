"""Tests for maintenance tasks, schedules, due dates and occurrences."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, strategies as st
import pytest

from custom_components.heat_pump_care.maintenance import (
    REQUIRED_TASKS,
    TASK_SPECS,
    FutureDateError,
    TaskKey,
    TaskSchedule,
    TaskSpec,
    validate_done_date,
)


def test_task_keys_are_the_contract_strings() -> None:
    assert [str(key) for key in TaskKey] == [
        "filter",
        "service",
        "condensate_drain",
        "outdoor_unit",
    ]


@pytest.mark.parametrize(
    ("key", "optional", "default", "low", "high"),
    [
        (TaskKey.FILTER, False, 90, 7, 365),
        (TaskKey.SERVICE, False, 365, 30, 1095),
        (TaskKey.CONDENSATE_DRAIN, True, 180, 30, 730),
        (TaskKey.OUTDOOR_UNIT, True, 180, 30, 730),
    ],
)
def test_task_specs(
    key: TaskKey, optional: bool, default: int, low: int, high: int
) -> None:
    spec = TASK_SPECS[key]
    assert spec == TaskSpec(key, optional, default, low, high)
    assert spec.allows(low)
    assert spec.allows(high)
    assert not spec.allows(low - 1)
    assert not spec.allows(high + 1)
    assert spec.clamp(low - 1) == low
    assert spec.clamp(high + 1) == high
    assert spec.clamp(default) == default


def test_task_specs_display_order_and_required() -> None:
    assert list(TASK_SPECS) == list(TaskKey)
    assert REQUIRED_TASKS == (TaskKey.FILTER, TaskKey.SERVICE)
    with pytest.raises(TypeError):
        TASK_SPECS[TaskKey.FILTER] = TASK_SPECS[TaskKey.SERVICE]  # type: ignore[index]


@pytest.mark.parametrize(
    ("low", "default", "high"), [(0, 5, 10), (10, 5, 20), (1, 30, 20)]
)
def test_task_spec_rejects_inconsistent_limits(
    low: int, default: int, high: int
) -> None:
    with pytest.raises(ValueError, match="inconsistent"):
        TaskSpec(TaskKey.FILTER, False, default, low, high)


@pytest.mark.parametrize(
    ("last_done", "interval", "due"),
    [
        (date(2025, 1, 1), 90, date(2025, 4, 1)),
        # Leap days: 2024-02-29 and 2028-02-29 plus 365 days land on 28 February
        # of the following (common) year; a 365-day interval that spans a leap
        # day ends one calendar day "early".
        (date(2024, 2, 29), 365, date(2025, 2, 28)),
        (date(2028, 2, 29), 365, date(2029, 2, 28)),
        (date(2023, 3, 1), 365, date(2024, 2, 29)),
        (date(2024, 2, 28), 1, date(2024, 2, 29)),
        (date(2025, 2, 28), 1, date(2025, 3, 1)),
        (date(2024, 12, 31), 7, date(2025, 1, 7)),
        (date(2024, 1, 1), 1095, date(2026, 12, 31)),
    ],
)
def test_due_date(last_done: date, interval: int, due: date) -> None:
    schedule = TaskSchedule(TaskKey.SERVICE, last_done, interval)
    assert schedule.due == due
    assert schedule.days_since(due) == interval
    assert schedule.is_due(due)
    assert not schedule.is_due(due - timedelta(days=1))
    assert schedule.is_due(due + timedelta(days=1))


@pytest.mark.parametrize(
    ("today", "days"),
    [(date(2025, 1, 1), 0), (date(2025, 3, 1), 59), (date(2024, 12, 31), -1)],
)
def test_days_since(today: date, days: int) -> None:
    assert TaskSchedule(TaskKey.FILTER, date(2025, 1, 1), 90).days_since(today) == days


@pytest.mark.parametrize("interval", [0, -1])
def test_schedule_rejects_non_positive_interval(interval: int) -> None:
    with pytest.raises(ValueError, match="at least one day"):
        TaskSchedule(TaskKey.FILTER, date(2025, 1, 1), interval)


def test_occurrences_over_twelve_months() -> None:
    schedule = TaskSchedule(TaskKey.FILTER, date(2025, 1, 1), 90)
    assert schedule.occurrences(date(2025, 1, 1), date(2026, 1, 1)) == [
        date(2025, 4, 1),
        date(2025, 6, 30),
        date(2025, 9, 28),
        date(2025, 12, 27),
    ]
    yearly = TaskSchedule(TaskKey.SERVICE, date(2024, 2, 29), 365)
    assert yearly.occurrences(date(2025, 1, 1), date(2026, 1, 1)) == [date(2025, 2, 28)]
    assert yearly.occurrences(date(2025, 3, 1), date(2026, 3, 1)) == [date(2026, 2, 28)]


def test_occurrences_of_an_overdue_task() -> None:
    schedule = TaskSchedule(TaskKey.FILTER, date(2025, 1, 1), 30)
    # Due 2025-01-31, the calendar starts a week before: the past due date shows;
    # the next one, 2025-04-01, is the exclusive end.
    assert schedule.occurrences(date(2025, 1, 24), date(2025, 4, 1)) == [
        date(2025, 1, 31),
        date(2025, 3, 2),
    ]
    # Range starting after the due date: the series continues on its grid.
    assert schedule.occurrences(date(2025, 2, 1), date(2025, 4, 2)) == [
        date(2025, 3, 2),
        date(2025, 4, 1),
    ]
    # Start exactly on a grid date includes it, end is exclusive.
    assert schedule.occurrences(date(2025, 3, 2), date(2025, 4, 1)) == [
        date(2025, 3, 2)
    ]


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2025, 6, 1), date(2025, 6, 1)), (date(2025, 6, 2), date(2025, 6, 1))],
)
def test_occurrences_of_an_empty_range(start: date, end: date) -> None:
    assert (
        TaskSchedule(TaskKey.FILTER, date(2025, 1, 1), 7).occurrences(start, end) == []
    )


def test_occurrences_from_an_earlier_first_due() -> None:
    schedule = TaskSchedule(TaskKey.FILTER, date(2025, 1, 1), 90)
    assert schedule.occurrences(
        date(2025, 1, 1), date(2025, 7, 1), first_due=date(2025, 2, 15)
    ) == [date(2025, 2, 15), date(2025, 5, 16)]


@given(
    last_done=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    interval=st.integers(min_value=1, max_value=1095),
    start_offset=st.integers(min_value=-2000, max_value=2000),
    length=st.integers(min_value=0, max_value=800),
)
def test_occurrences_match_brute_force(
    last_done: date, interval: int, start_offset: int, length: int
) -> None:
    schedule = TaskSchedule(TaskKey.SERVICE, last_done, interval)
    start = last_done + timedelta(days=start_offset)
    end = start + timedelta(days=length)
    expected = []
    current = schedule.due
    while current < end:
        if current >= start:
            expected.append(current)
        current += timedelta(days=interval)
    assert schedule.occurrences(start, end) == expected


@pytest.mark.parametrize(
    "done", [date(2025, 5, 1), date(2025, 4, 30), date(2000, 1, 1)]
)
def test_validate_done_date_accepts_today_and_past(done: date) -> None:
    validate_done_date(done, date(2025, 5, 1))


def test_validate_done_date_rejects_future() -> None:
    with pytest.raises(FutureDateError, match="2025-05-02") as info:
        validate_done_date(date(2025, 5, 2), date(2025, 5, 1))
    assert isinstance(info.value, ValueError)
