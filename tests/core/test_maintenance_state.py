"""Tests for the maintenance state: seeds, completions, due dates, notifications."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
import json
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest

from custom_components.heat_pump_care.maintenance import (
    HISTORY_LIMIT,
    Completion,
    CorruptStateError,
    FutureDateError,
    MaintenanceConfig,
    MaintenanceState,
    RuntimeState,
    TaskKey,
    TaskSchedule,
    apply_seeds,
    collect_due_notifications,
    due_date,
    due_dates,
    filter_due,
    is_task_due,
    mark_done,
    recent_completions,
    runtime_hours,
    runtime_set_running,
    schedules,
)

from .maintenance_helpers import AMS, BASE, CDR, FIL, HOUR, ODU, SRV, noon, seeded

# ----------------------------------------------------------------- config


def test_config_orders_intervals_for_display() -> None:
    config = MaintenanceConfig({ODU: 60, SRV: 365, FIL: 30, CDR: 120}, 500)
    assert list(config.intervals) == [FIL, SRV, CDR, ODU]
    assert config.enabled_tasks == (FIL, SRV, CDR, ODU)
    assert config.runtime_limit_hours == 500
    assert BASE.runtime_limit_hours == 0


@pytest.mark.parametrize(
    ("intervals", "limit", "match"),
    [
        ({FIL: 90}, 0, "service"),
        ({SRV: 365}, 0, "filter"),
        ({FIL: 0, SRV: 365}, 0, "at least one day"),
        ({FIL: 90, SRV: 365, CDR: -5}, 0, "at least one day"),
        ({FIL: 90, SRV: 365, "": 30}, 0, "needs a key"),
        ({FIL: 90, SRV: 365}, -1, "negative"),
    ],
)
def test_config_rejects_invalid_settings(
    intervals: dict[Any, int], limit: int, match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        MaintenanceConfig(intervals, limit)


# ----------------------------------------------------------------- seeds


def test_seeds_are_applied_only_on_change() -> None:
    state = MaintenanceState.empty()
    configured = {FIL: date(2025, 1, 1), SRV: date(2024, 6, 1)}
    assert apply_seeds(state, configured)
    assert state.last_done == configured
    assert state.seeds == configured
    # A completion after the seed survives a restart with the same options.
    mark_done(
        state,
        FIL,
        date(2025, 3, 1),
        date(2025, 3, 1),
        noon(date(2025, 3, 1)),
        AMS,
        "button",
    )
    assert not apply_seeds(state, configured)
    assert state.last_done[FIL] == date(2025, 3, 1)
    # The user edits the service date in the options: only that task changes.
    edited = {**configured, SRV: date(2025, 2, 1)}
    assert apply_seeds(state, edited)
    assert state.last_done == {FIL: date(2025, 3, 1), SRV: date(2025, 2, 1)}
    assert state.seeds == edited
    assert not apply_seeds(state, edited)


def test_seed_fills_a_task_without_last_done() -> None:
    state = MaintenanceState(seeds={CDR: date(2025, 1, 1)})
    assert apply_seeds(state, {CDR: date(2025, 1, 1)})
    assert state.last_done == {CDR: date(2025, 1, 1)}
    assert not apply_seeds(state, {})


def test_changed_filter_seed_restarts_runtime_when_given_the_clock() -> None:
    state = seeded(filter=date(2025, 1, 1), service=date(2025, 1, 1))
    runtime_set_running(state.runtime, True, noon(date(2025, 1, 9)), AMS)
    now = noon(date(2025, 1, 10))
    # Without the clock only the date changes.
    assert apply_seeds(state, {FIL: date(2025, 1, 5)})
    assert runtime_hours(state.runtime, now) == 24.0
    # With it, the runtime restarts from the configured day (back-filled).
    assert apply_seeds(state, {FIL: date(2025, 1, 10)}, now=now, tz=AMS)
    assert runtime_hours(state.runtime, now) == 0.0
    # A configured future date restarts from today, never the future.
    later = noon(date(2025, 1, 11))
    assert apply_seeds(state, {FIL: date(2025, 2, 1)}, now=later, tz=AMS)
    assert state.last_done[FIL] == date(2025, 2, 1)
    assert runtime_hours(state.runtime, later) == 0.0


# -------------------------------------------------------------- schedules


def test_schedules_cover_enabled_seeded_tasks_in_order() -> None:
    state = seeded(
        outdoor_unit=date(2025, 3, 1),
        service=date(2025, 2, 1),
        filter=date(2025, 1, 1),
        condensate_drain=date(2025, 4, 1),
    )
    config = MaintenanceConfig({FIL: 90, SRV: 365, ODU: 30})
    result = schedules(state, config)
    assert list(result) == [FIL, SRV, ODU]
    assert result[ODU] == TaskSchedule(ODU, date(2025, 3, 1), 30)
    assert result[ODU].due == date(2025, 3, 31)
    # Enabled but never seeded: left out until the shell seeds it.
    assert list(schedules(state, MaintenanceConfig({FIL: 90, SRV: 365, CDR: 30}))) == [
        FIL,
        SRV,
        CDR,
    ]
    assert list(schedules(seeded(filter=date(2025, 1, 1)), BASE)) == [FIL]


# -------------------------------------------------------------- mark done


def test_mark_done_sets_date_and_records_history() -> None:
    state = seeded(filter=date(2025, 1, 1), service=date(2025, 1, 1))
    now = noon(date(2025, 3, 1))
    completion = mark_done(
        state, SRV, date(2025, 2, 20), date(2025, 3, 1), now, AMS, "service"
    )
    assert completion == Completion(
        SRV, date(2025, 2, 20), now.astimezone(UTC), "service"
    )
    assert completion.recorded_at.tzinfo is UTC
    assert state.last_done[SRV] == date(2025, 2, 20)
    assert state.history == [completion]
    # Back-filling an earlier date corrects the date.
    mark_done(state, SRV, date(2025, 2, 10), date(2025, 3, 1), now, AMS, "service")
    assert state.last_done[SRV] == date(2025, 2, 10)


def test_mark_done_rejects_future_date_and_changes_nothing() -> None:
    state = seeded(filter=date(2025, 1, 1), service=date(2025, 1, 1))
    before = state.to_dict()
    with pytest.raises(FutureDateError):
        mark_done(
            state,
            FIL,
            date(2025, 3, 2),
            date(2025, 3, 1),
            noon(date(2025, 3, 1)),
            AMS,
            "button",
        )
    assert state.to_dict() == before


def test_history_is_ordered_by_done_date_then_recording() -> None:
    state = MaintenanceState.empty()
    today = date(2025, 6, 1)
    entries = [
        (FIL, date(2025, 5, 1), 1),
        (SRV, date(2025, 3, 1), 2),
        (FIL, date(2025, 5, 1), 3),
        (CDR, date(2025, 4, 1), 4),
        (ODU, date(2025, 3, 1), 0),
    ]
    for task, done_on, minute in entries:
        now = datetime(2025, 6, 1, 9, minute, tzinfo=AMS)
        mark_done(state, task, done_on, today, now, AMS, f"m{minute}")
    assert [(c.done_on, c.source) for c in state.history] == [
        (date(2025, 3, 1), "m0"),
        (date(2025, 3, 1), "m2"),
        (date(2025, 4, 1), "m4"),
        (date(2025, 5, 1), "m1"),
        (date(2025, 5, 1), "m3"),
    ]
    assert [c.source for c in recent_completions(state)] == [
        "m3",
        "m1",
        "m4",
        "m2",
        "m0",
    ]
    assert [c.source for c in recent_completions(state, FIL)] == ["m3", "m1"]
    assert [c.source for c in recent_completions(state, limit=2)] == ["m3", "m1"]
    assert recent_completions(state, SRV, limit=5) == [state.history[1]]
    assert recent_completions(state, limit=0) == []
    assert recent_completions(MaintenanceState.empty()) == []


def test_history_is_capped() -> None:
    state = MaintenanceState.empty()
    start = date(2024, 1, 1)
    total = HISTORY_LIMIT + 15
    for offset in range(total):
        done_on = start + timedelta(days=offset)
        mark_done(state, SRV, done_on, done_on, noon(done_on), AMS, "service")
    assert len(state.history) == HISTORY_LIMIT
    assert state.history[0].done_on == start + timedelta(days=15)
    assert state.history[-1].done_on == start + timedelta(days=total - 1)
    # The bound is per task: a filter change joins however full the
    # service's logbook is ...
    today = date(2025, 1, 1)
    other = mark_done(state, FIL, date(2020, 1, 1), today, noon(today), AMS, "x")
    assert other in state.history
    assert len(state.history) == HISTORY_LIMIT + 1
    # ... while a service older than every one kept is dropped at once, yet
    # returned and applied.
    old = mark_done(state, SRV, date(2020, 1, 1), today, noon(today), AMS, "x")
    assert old not in state.history
    assert len(state.history) == HISTORY_LIMIT + 1
    assert state.last_done[SRV] == date(2020, 1, 1)


def test_filter_change_restarts_runtime() -> None:
    state = seeded(filter=date(2025, 1, 1), service=date(2025, 1, 1))
    runtime_set_running(state.runtime, True, noon(date(2025, 1, 8)), AMS)
    now = noon(date(2025, 1, 10))
    assert runtime_hours(state.runtime, now) == 48
    mark_done(state, SRV, date(2025, 1, 10), date(2025, 1, 10), now, AMS, "button")
    assert runtime_hours(state.runtime, now) == 48
    mark_done(state, FIL, date(2025, 1, 9), date(2025, 1, 10), now, AMS, "button")
    assert runtime_hours(state.runtime, now) == 36  # 9 Jan 00:00 .. 10 Jan 12:00
    mark_done(state, FIL, date(2025, 1, 10), date(2025, 1, 10), now, AMS, "button")
    assert runtime_hours(state.runtime, now) == 0
    assert runtime_hours(state.runtime, now + timedelta(hours=2)) == 2


# ------------------------------------------------------------ filter due


def _runtime_state(
    avg_hours: float, used_hours: float, today: date
) -> MaintenanceState:
    """Filter changed 2025-01-01; 14 complete days averaging ``avg_hours``."""
    daily = {today - timedelta(days=n): avg_hours * HOUR for n in range(1, 15)}
    state = seeded(filter=date(2025, 1, 1), service=date(2025, 1, 1))
    state.runtime = RuntimeState(
        total_seconds=used_hours * HOUR,
        daily_seconds=daily,
        tracking_since=date(2025, 1, 1),
    )
    return state


@pytest.mark.parametrize(
    ("limit", "avg", "used", "expected"),
    [
        (0, 10.0, 5000.0, date(2025, 4, 1)),  # runtime off: calendar only
        (500, 10.0, 300.0, date(2025, 2, 9)),  # 20 days at 10 h
        (500, 10.0, 295.0, date(2025, 2, 10)),  # 20.5 days → 21
        (500, 1.0, 300.0, date(2025, 4, 1)),  # projection after the calendar
        (500, 0.0, 300.0, date(2025, 4, 1)),  # no average: calendar
        (500, 10.0, 500.0, date(2025, 1, 20)),  # limit reached: today
        (500, 0.0, 501.0, date(2025, 1, 20)),
    ],
)
def test_filter_due(limit: int, avg: float, used: float, expected: date) -> None:
    today = date(2025, 1, 20)
    state = _runtime_state(avg, used, today)
    config = MaintenanceConfig({FIL: 90, SRV: 365}, limit)
    assert filter_due(state, config, noon(today), AMS) == expected
    assert due_date(state, config, FIL, noon(today), AMS) == expected
    assert is_task_due(state, config, FIL, noon(today), AMS) is (expected <= today)


def test_filter_due_counts_running_in_flight() -> None:
    today = date(2025, 1, 20)
    state = _runtime_state(10.0, 490.0, today)
    config = MaintenanceConfig({FIL: 90, SRV: 365}, 500)
    runtime_set_running(state.runtime, True, noon(today), AMS)
    assert filter_due(state, config, noon(today), AMS) == today + timedelta(days=1)
    later = noon(today) + timedelta(hours=10)
    assert filter_due(state, config, later, AMS) == today


def test_filter_due_needs_a_filter_date() -> None:
    with pytest.raises(KeyError):
        filter_due(MaintenanceState.empty(), BASE, noon(date(2025, 1, 1)), AMS)


def test_due_dates_and_is_task_due() -> None:
    state = seeded(
        filter=date(2025, 1, 1), service=date(2024, 6, 1), outdoor_unit=date(2025, 1, 1)
    )
    config = MaintenanceConfig({FIL: 90, SRV: 365, ODU: 30, CDR: 30})
    now = noon(date(2025, 3, 1))
    assert due_dates(state, config, now, AMS) == {
        FIL: date(2025, 4, 1),
        SRV: date(2025, 6, 1),
        ODU: date(2025, 1, 31),
    }
    assert due_date(state, config, CDR, now, AMS) is None  # never seeded
    assert due_date(state, BASE, ODU, now, AMS) is None  # disabled
    assert [task for task in TaskKey if is_task_due(state, config, task, now, AMS)] == [
        ODU
    ]
    assert is_task_due(state, config, SRV, noon(date(2025, 6, 1)), AMS)
    assert not is_task_due(state, config, SRV, noon(date(2025, 5, 31)), AMS)


def test_due_uses_the_local_date() -> None:
    state = seeded(filter=date(2025, 1, 1), service=date(2025, 1, 1))
    # 23:30 UTC on 31 March is already 1 April in Amsterdam (CEST).
    now = datetime(2025, 3, 31, 23, 30, tzinfo=UTC)
    assert is_task_due(state, BASE, FIL, now, AMS)
    assert not is_task_due(state, BASE, FIL, now, ZoneInfo("America/New_York"))


# ---------------------------------------------------------- notifications


def test_due_event_fires_once_per_due_date() -> None:
    state = seeded(filter=date(2025, 1, 1), service=date(2024, 4, 1))
    assert collect_due_notifications(state, BASE, noon(date(2025, 3, 31)), AMS) == []
    first = collect_due_notifications(state, BASE, noon(date(2025, 4, 1)), AMS)
    assert first == [(FIL, date(2025, 4, 1)), (SRV, date(2025, 4, 1))]
    assert state.notified_due == {FIL: date(2025, 4, 1), SRV: date(2025, 4, 1)}
    assert collect_due_notifications(state, BASE, noon(date(2025, 4, 1)), AMS) == []
    assert collect_due_notifications(state, BASE, noon(date(2025, 5, 1)), AMS) == []
    # Restart: the persisted state remembers what fired.
    restored = MaintenanceState.from_dict(json.loads(json.dumps(state.to_dict())))
    assert collect_due_notifications(restored, BASE, noon(date(2025, 5, 2)), AMS) == []


def test_due_event_fires_again_after_mark_done() -> None:
    state = seeded(filter=date(2025, 1, 1), service=date(2025, 1, 1))
    assert collect_due_notifications(state, BASE, noon(date(2025, 4, 2)), AMS) == [
        (FIL, date(2025, 4, 1))
    ]
    mark_done(
        state,
        FIL,
        date(2025, 4, 3),
        date(2025, 4, 3),
        noon(date(2025, 4, 3)),
        AMS,
        "button",
    )
    assert FIL not in state.notified_due
    assert collect_due_notifications(state, BASE, noon(date(2025, 4, 3)), AMS) == []
    assert collect_due_notifications(state, BASE, noon(date(2025, 7, 2)), AMS) == [
        (FIL, date(2025, 7, 2))
    ]
    # Back-filled to a date that is overdue already: the new due date fires now.
    mark_done(
        state,
        FIL,
        date(2025, 3, 1),
        date(2025, 7, 2),
        noon(date(2025, 7, 2)),
        AMS,
        "service",
    )
    assert collect_due_notifications(state, BASE, noon(date(2025, 7, 2)), AMS) == [
        (FIL, date(2025, 5, 30))
    ]


def test_runtime_due_does_not_fire_every_day() -> None:
    """Past the runtime limit the due date is "today" each day: fire once."""
    today = date(2025, 1, 20)
    state = _runtime_state(10.0, 600.0, today)
    config = MaintenanceConfig({FIL: 90, SRV: 365}, 500)
    assert collect_due_notifications(state, config, noon(today), AMS) == [(FIL, today)]
    for days in range(1, 5):
        later = noon(today + timedelta(days=days))
        assert filter_due(state, config, later, AMS) == today + timedelta(days=days)
        assert collect_due_notifications(state, config, later, AMS) == []


def test_due_event_fires_again_when_the_task_stopped_being_due() -> None:
    state = seeded(filter=date(2025, 1, 1), service=date(2025, 1, 1))
    assert collect_due_notifications(state, BASE, noon(date(2025, 4, 1)), AMS) == [
        (FIL, date(2025, 4, 1))
    ]
    longer = MaintenanceConfig({FIL: 120, SRV: 365})
    assert collect_due_notifications(state, longer, noon(date(2025, 4, 2)), AMS) == []
    assert FIL not in state.notified_due
    assert collect_due_notifications(state, longer, noon(date(2025, 5, 1)), AMS) == [
        (FIL, date(2025, 5, 1))
    ]


def test_seed_change_and_disabled_task_reset_notification() -> None:
    state = seeded(
        filter=date(2025, 1, 1), service=date(2025, 1, 1), outdoor_unit=date(2025, 1, 1)
    )
    config = MaintenanceConfig({FIL: 90, SRV: 365, ODU: 30})
    fired = collect_due_notifications(state, config, noon(date(2025, 4, 1)), AMS)
    assert fired == [(FIL, date(2025, 4, 1)), (ODU, date(2025, 1, 31))]
    # Outdoor unit task switched off: its record goes.
    assert collect_due_notifications(state, BASE, noon(date(2025, 4, 1)), AMS) == []
    assert ODU not in state.notified_due
    # The filter date is edited in the options to one that is still overdue.
    apply_seeds(state, {FIL: date(2024, 12, 1), SRV: date(2025, 1, 1)})
    assert collect_due_notifications(state, BASE, noon(date(2025, 4, 1)), AMS) == [
        (FIL, date(2025, 3, 1))
    ]


# ---------------------------------------------------------- serialisation


def _full_state() -> MaintenanceState:
    state = seeded(filter=date(2025, 1, 1), service=date(2024, 2, 29))
    runtime_set_running(state.runtime, True, noon(date(2025, 1, 5)), AMS)
    mark_done(
        state,
        FIL,
        date(2025, 1, 6),
        date(2025, 1, 6),
        noon(date(2025, 1, 6)),
        AMS,
        "button",
    )
    mark_done(
        state,
        SRV,
        date(2025, 1, 2),
        date(2025, 1, 6),
        noon(date(2025, 1, 6)),
        AMS,
        "service",
    )
    runtime_set_running(state.runtime, False, noon(date(2025, 1, 7)), AMS)
    collect_due_notifications(
        state, MaintenanceConfig({FIL: 7, SRV: 365}), noon(date(2025, 1, 13)), AMS
    )
    return state


def test_state_round_trips_through_json() -> None:
    state = _full_state()
    data = json.loads(json.dumps(state.to_dict()))
    assert data["last_done"] == {"filter": "2025-01-06", "service": "2025-01-02"}
    assert data["notified_due"] == {"filter": "2025-01-13"}
    restored = MaintenanceState.from_dict(data)
    assert restored == state
    assert MaintenanceState.from_dict({}) == MaintenanceState.empty()


def test_from_dict_sorts_and_caps_history() -> None:
    items = [
        Completion(
            FIL,
            date(2025, 1, 1) + timedelta(days=n),
            datetime(2025, 6, 1, tzinfo=UTC),
            "x",
        ).to_dict()
        for n in range(HISTORY_LIMIT + 5)
    ]
    restored = MaintenanceState.from_dict({"history": list(reversed(items))})
    assert len(restored.history) == HISTORY_LIMIT
    assert restored.history[0].done_on == date(2025, 1, 6)
    assert restored.history == sorted(restored.history, key=lambda c: c.done_on)


def _corrupt(path: str, value: object) -> dict[str, Any]:
    data = cast("dict[str, Any]", json.loads(json.dumps(_full_state().to_dict())))
    *parents, leaf = path.split(".")
    target: Any = data
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if isinstance(target, list):
        target[int(leaf)] = value
    else:
        target[leaf] = value
    return data


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("last_done", ["filter"]),
        ("last_done.filter", "2025-02-30"),
        ("last_done.filter", None),
        ("last_done.", "2025-01-01"),
        ("seeds", "2025-01-01"),
        ("seeds.service", 2024),
        ("notified_due.filter", "tomorrow"),
        ("history", {"0": {}}),
        ("history.0", "filter"),
        ("history.0", {"task": "filter"}),
        ("history.0.task", ""),
        ("history.0.note", 5),
        ("history.0.task", 1),
        ("history.0.done_on", "2025/01/06"),
        ("history.0.recorded_at", "2025-01-06T12:00:00"),
        ("history.0.recorded_at", None),
        ("history.0.source", None),
        ("runtime", []),
        ("runtime.total_seconds", "lots"),
        ("runtime.daily_seconds", {"2025-01-05": -1}),
        ("runtime.task_seconds", [1]),
        ("runtime.task_seconds", {"descaling": "long"}),
        ("runtime.task_seconds", {"": 5.0}),
        ("snoozed", ["filter"]),
        ("snoozed.filter", "next week"),
    ],
)
def test_from_dict_rejects_corrupt_state(path: str, value: object) -> None:
    with pytest.raises(CorruptStateError):
        MaintenanceState.from_dict(_corrupt(path, value))


@pytest.mark.parametrize("data", [None, [], "state", 3])
def test_from_dict_rejects_non_mappings(data: Any) -> None:
    with pytest.raises(ValueError, match="not a mapping"):
        MaintenanceState.from_dict(data)
    with pytest.raises(ValueError, match="not a mapping"):
        Completion.from_dict(data)


def test_completion_round_trip() -> None:
    completion = Completion(
        ODU, date(2025, 2, 28), datetime(2025, 3, 1, 7, 15, tzinfo=AMS), "todo"
    )
    data = completion.to_dict()
    assert data == {
        "task": "outdoor_unit",
        "done_on": "2025-02-28",
        "recorded_at": "2025-03-01T07:15:00+01:00",
        "source": "todo",
        "note": None,
    }
    assert Completion.from_dict(data) == completion
    # A completion written before notes existed reads back without one.
    del data["note"]
    assert Completion.from_dict(data) == completion
    noted = Completion(ODU, completion.done_on, completion.recorded_at, "todo", "ok")
    assert Completion.from_dict(noted.to_dict()).note == "ok"
