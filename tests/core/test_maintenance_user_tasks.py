"""The owner's own tasks: order, runtime limits and counters, following the list."""

from __future__ import annotations

from collections.abc import Mapping
import copy
from datetime import UTC, date, datetime, timedelta
import json
import math

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.heat_pump_care.maintenance import (
    Completion,
    MaintenanceConfig,
    MaintenanceState,
    RuntimeState,
    TaskKey,
    UndoRecord,
    apply_seeds,
    collect_due_notifications,
    due_date,
    due_dates,
    filter_due,
    follow_tasks,
    mark_done,
    runtime_checkpoint,
    runtime_hours,
    runtime_reset,
    runtime_set_running,
    runtime_suspend,
    snooze,
    undo_completion,
)

from .maintenance_helpers import AMS, FIL, HOUR, ODU, SEEDED, SRV, noon, seeded

DSC, GUT, POND = "descaling", "gutter", "pond"
PLAIN = MaintenanceConfig({FIL: 90, SRV: 365, DSC: 30})
COUNTED = MaintenanceConfig(
    {FIL: 90, SRV: 365, DSC: 30}, task_runtime_limits={DSC: 100}
)


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=AMS)


def hours(state: MaintenanceState, now: datetime, task: str) -> float:
    return runtime_hours(state.runtime, now, task)


def run(state: MaintenanceState, start: datetime, end: datetime) -> None:
    runtime_set_running(state.runtime, True, start, AMS)
    runtime_set_running(state.runtime, False, end, AMS)


# ----------------------------------------------------------------- config


def test_user_tasks_follow_the_built_in_tasks_in_the_order_given() -> None:
    config = MaintenanceConfig({GUT: 14, SRV: 365, DSC: 30, FIL: 90, ODU: 60})
    assert config.enabled_tasks == (FIL, SRV, ODU, GUT, DSC)
    assert GUT in config
    assert POND not in config
    plain = MaintenanceConfig(intervals={"filter": 90, "service": 365, DSC: 30})
    assert list(plain.intervals) == ["filter", "service", DSC]


def test_user_tasks_have_their_own_runtime_limits() -> None:
    config = MaintenanceConfig(
        {FIL: 90, SRV: 365, DSC: 30, GUT: 14}, 500, {DSC: 100, GUT: 0}
    )
    assert config.task_runtime_limits == {DSC: 100}  # 0 is off
    assert config.runtime_limit(DSC) == 100
    assert config.runtime_limit(GUT) == 0
    assert config.runtime_limit(FIL) == 500
    assert config.runtime_limits == {DSC: 100, FIL: 500}
    assert COUNTED.runtime_limits == {DSC: 100}
    with pytest.raises(ValueError, match=DSC):
        MaintenanceConfig({FIL: 90, SRV: 365, DSC: 30}, 0, {DSC: -1})


# ------------------------------------------------------------- scheduling


def test_a_user_task_is_scheduled_like_a_built_in_one() -> None:
    state = seeded(filter=SEEDED, service=SEEDED, descaling=SEEDED)
    assert due_dates(state, PLAIN, noon(date(2025, 1, 10)), AMS) == {
        FIL: date(2025, 4, 1),
        SRV: date(2026, 1, 1),
        DSC: date(2025, 1, 31),
    }
    announced = collect_due_notifications(state, PLAIN, noon(date(2025, 2, 1)), AMS)
    assert announced == [(DSC, date(2025, 1, 31))]
    today = date(2025, 2, 1)
    mark_done(state, DSC, today, today, noon(today), AMS, "todo", "citric acid")
    assert due_date(state, PLAIN, DSC, noon(today), AMS) == date(2025, 3, 3)
    snooze(state, PLAIN, DSC, date(2025, 3, 10), today)
    assert due_date(state, PLAIN, DSC, noon(today), AMS) == date(2025, 3, 10)


def _counting(avg_hours: float, used_hours: float, today: date) -> MaintenanceState:
    """Descaling counted at ``used_hours``; 14 complete days of ``avg_hours``."""
    state = seeded(filter=SEEDED, service=SEEDED, descaling=SEEDED)
    state.runtime = RuntimeState(
        daily_seconds={today - timedelta(n): avg_hours * HOUR for n in range(1, 15)},
        tracking_since=SEEDED,
        task_seconds={DSC: used_hours * HOUR},
    )
    return state


@pytest.mark.parametrize(
    ("limit", "avg", "used", "expected"),
    [
        (0, 2.0, 500.0, date(2025, 3, 2)),  # no limit: calendar only
        (100, 2.0, 60.0, date(2025, 2, 9)),  # 20 days at 2 h
        (100, 2.0, 59.0, date(2025, 2, 10)),  # 20.5 days → 21
        (100, 0.5, 60.0, date(2025, 3, 2)),  # projection after the calendar
        (100, 0.0, 60.0, date(2025, 3, 2)),  # no average: calendar
        (100, 2.0, 100.0, date(2025, 1, 20)),  # limit reached: today
    ],
)
def test_a_user_task_is_due_earlier_by_runtime(
    limit: int, avg: float, used: float, expected: date
) -> None:
    today = date(2025, 1, 20)
    state = _counting(avg, used, today)
    config = MaintenanceConfig({FIL: 90, SRV: 365, DSC: 60}, 0, {DSC: limit})
    assert filter_due(state, config, noon(today), AMS, DSC) == expected
    assert due_date(state, config, DSC, noon(today), AMS) == expected
    # The filter has no limit and ignores the descaling counter.
    assert due_date(state, config, FIL, noon(today), AMS) == date(2025, 4, 1)


def test_a_limit_counts_only_once_the_counter_runs() -> None:
    today = date(2025, 1, 20)
    state = _counting(2.0, 100.0, today)
    state.runtime.task_seconds.clear()
    assert due_date(state, COUNTED, DSC, noon(today), AMS) == date(2025, 1, 31)


# ---------------------------------------------------------------- counters


def test_running_time_accrues_to_every_counter() -> None:
    state = seeded(filter=SEEDED, service=SEEDED)
    state.runtime = RuntimeState(
        total_seconds=10 * HOUR, task_seconds={DSC: 1 * HOUR, GUT: 0.0}
    )
    day = date(2025, 1, 10)
    runtime_set_running(state.runtime, True, at(day, 8), AMS)
    runtime_checkpoint(state.runtime, at(day, 9), AMS)
    assert state.runtime.task_seconds == {DSC: 2 * HOUR, GUT: 1 * HOUR}
    runtime_set_running(state.runtime, False, at(day, 11), AMS)
    assert state.runtime.total_seconds == 13 * HOUR
    assert state.runtime.task_seconds == {DSC: 4 * HOUR, GUT: 3 * HOUR}


def test_mark_done_restarts_only_its_own_counter() -> None:
    state = seeded(filter=SEEDED, service=SEEDED, descaling=SEEDED)
    runtime_set_running(state.runtime, True, noon(date(2025, 1, 8)), AMS)
    follow_tasks(state, COUNTED, {DSC}, noon(date(2025, 1, 8)), AMS)
    today = date(2025, 1, 10)
    now = noon(today)
    assert (hours(state, now, FIL), hours(state, now, DSC)) == (48, 48)
    mark_done(state, DSC, today, today, now, AMS, "todo")
    assert (hours(state, now, FIL), hours(state, now, DSC)) == (48, 0)
    later = now + timedelta(hours=2)
    assert (hours(state, later, FIL), hours(state, later, DSC)) == (50, 2)
    # A filter change back-filled to 9 January: 00:00 on the 9th .. 14:00.
    mark_done(state, FIL, date(2025, 1, 9), today, later, AMS, "button")
    assert (hours(state, later, FIL), hours(state, later, DSC)) == (38, 2)


def test_undo_of_a_user_task_restores_its_counter() -> None:
    state = seeded(filter=SEEDED, service=SEEDED, descaling=SEEDED)
    state.runtime.task_seconds[DSC] = 70 * HOUR
    today = date(2025, 1, 10)
    runtime_set_running(state.runtime, True, at(today, 8), AMS)
    mark_done(state, DSC, today, today, at(today, 9), AMS, "todo")
    assert hours(state, at(today, 9), DSC) == 0
    undo_completion(state, DSC, at(today, 11), AMS)
    # The hours before the tick come back, plus those run since.
    assert hours(state, at(today, 11), DSC) == 73
    assert hours(state, at(today, 11), FIL) == 3


def test_a_changed_date_restarts_a_user_task_counter() -> None:
    state = seeded(filter=SEEDED, service=SEEDED, descaling=SEEDED)
    state.runtime.task_seconds[DSC] = 70 * HOUR
    run(state, at(date(2025, 1, 8), 8), at(date(2025, 1, 10), 8))
    now = noon(date(2025, 1, 10))
    assert hours(state, now, DSC) == 70 + 48
    assert apply_seeds(state, {DSC: date(2025, 1, 9)}, now=now, tz=AMS)
    assert hours(state, now, DSC) == 24 + 8  # 9 January 00:00 .. 10 January 08:00
    assert hours(state, now, FIL) == 48


def test_runtime_state_round_trips_the_task_counters() -> None:
    runtime = RuntimeState(
        total_seconds=5.5 * HOUR,
        daily_seconds={date(2025, 1, 9): 2 * HOUR},
        tracking_since=SEEDED,
        task_seconds={DSC: 7200.0, GUT: 0.0},
    )
    data = json.loads(json.dumps(runtime.to_dict()))
    assert data["task_seconds"] == {DSC: 7200.0, GUT: 0.0}
    assert RuntimeState.from_dict(data) == runtime
    del data["task_seconds"]
    assert RuntimeState.from_dict(data).task_seconds == {}


operation = st.tuples(
    st.sampled_from(["on", "off", "checkpoint", "suspend"]),
    st.integers(min_value=0, max_value=30 * 3600),
)


@settings(max_examples=200, deadline=None)
@given(
    start=st.integers(min_value=0, max_value=400 * 86_400),
    counts=st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)),
    ops=st.lists(operation, max_size=30),
)
def test_every_counter_grows_by_the_same_running_time(
    start: int, counts: tuple[int, int], ops: list[tuple[str, int]]
) -> None:
    now = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(seconds=start)
    total, descaling = counts
    state = RuntimeState(
        total_seconds=float(total), task_seconds={DSC: float(descaling), GUT: 0.0}
    )
    for op, gap in ops:
        now += timedelta(seconds=gap)
        if op in {"on", "off"}:
            runtime_set_running(state, op == "on", now, AMS)
        elif op == "checkpoint":
            runtime_checkpoint(state, now, AMS)
        else:
            runtime_suspend(state, now, AMS)
        ran = runtime_hours(state, now, GUT)
        assert math.isclose(runtime_hours(state, now) - total / HOUR, ran)
        assert math.isclose(runtime_hours(state, now, DSC) - descaling / HOUR, ran)
    assert state.task_seconds[GUT] == state.total_seconds - total
    assert state.task_seconds[DSC] - descaling == state.task_seconds[GUT]


# ------------------------------------------------------------ follow_tasks


def test_follow_tasks_counts_a_new_limit_from_the_last_completion() -> None:
    state = seeded(filter=SEEDED, service=SEEDED, descaling=date(2025, 1, 8))
    for day in range(5, 11):
        run(state, at(date(2025, 1, day), 8), at(date(2025, 1, day), 10))
    now = noon(date(2025, 1, 10))
    expected = copy.deepcopy(state.runtime)
    runtime_reset(expected, date(2025, 1, 8), now, AMS, DSC)
    assert follow_tasks(state, COUNTED, {DSC}, now, AMS) == []
    assert state.runtime == expected
    assert hours(state, now, DSC) == 6  # 8, 9 and 10 January
    assert hours(state, now, FIL) == 12


@pytest.mark.parametrize("last_done", [date(2025, 1, 10), date(2025, 1, 15)])
def test_follow_tasks_counts_from_now_when_done_today_or_later(
    last_done: date,
) -> None:
    state = seeded(filter=SEEDED, service=SEEDED, descaling=last_done)
    run(state, at(date(2025, 1, 10), 8), at(date(2025, 1, 10), 10))
    now = noon(date(2025, 1, 10))
    follow_tasks(state, COUNTED, {DSC}, now, AMS)
    assert state.runtime.counts(DSC)
    assert hours(state, now, DSC) == 0


def test_follow_tasks_leaves_a_running_counter_alone() -> None:
    state = seeded(filter=SEEDED, service=SEEDED, descaling=SEEDED)
    state.runtime.task_seconds[DSC] = 40 * HOUR
    follow_tasks(state, COUNTED, {DSC}, noon(date(2025, 1, 10)), AMS)
    assert state.runtime.task_seconds == {DSC: 40 * HOUR}


def test_a_limit_waits_for_the_task_to_get_a_date() -> None:
    state = seeded(filter=SEEDED, service=SEEDED)
    now = noon(date(2025, 1, 10))
    follow_tasks(state, COUNTED, {DSC}, now, AMS)
    assert not state.runtime.counts(DSC)
    apply_seeds(state, {DSC: date(2025, 1, 10)}, now=now, tz=AMS)
    follow_tasks(state, COUNTED, {DSC}, now, AMS)
    assert state.runtime.counts(DSC)


def test_follow_tasks_stops_counting_when_the_limit_goes() -> None:
    state = seeded(filter=SEEDED, service=SEEDED, descaling=SEEDED)
    state.runtime.task_seconds[DSC] = 400 * HOUR  # past any limit
    now = noon(date(2025, 1, 10))
    assert due_date(state, COUNTED, DSC, now, AMS) == date(2025, 1, 10)
    assert follow_tasks(state, PLAIN, {DSC}, now, AMS) == []
    assert not state.runtime.counts(DSC)
    assert state.last_done[DSC] == SEEDED  # the task itself stays
    assert due_date(state, PLAIN, DSC, now, AMS) == date(2025, 1, 31)


def test_follow_tasks_forgets_everything_of_a_removed_task() -> None:
    today = date(2025, 2, 10)
    now = noon(today)
    config = MaintenanceConfig(
        {FIL: 90, SRV: 365, GUT: 14, DSC: 30, POND: 7}, 0, {GUT: 50, DSC: 100}
    )
    state = seeded(
        filter=SEEDED, service=SEEDED, gutter=SEEDED, descaling=SEEDED, pond=SEEDED
    )
    state.seeds[ODU] = SEEDED  # a built-in task, disabled and not "known"
    follow_tasks(state, config, {GUT, DSC, POND}, now, AMS)
    collect_due_notifications(state, config, now, AMS)
    for task in (GUT, DSC, POND):
        mark_done(state, task, date(2025, 2, 1), today, now, AMS, "todo", task)
    snooze(state, config, POND, date(2025, 3, 1), today)
    snooze(state, config, GUT, date(2025, 3, 1), today)
    collect_due_notifications(state, config, noon(date(2025, 3, 1)), AMS)
    assert {GUT, POND} <= state.notified_due.keys()
    kept = copy.deepcopy(state)

    removed = MaintenanceConfig({FIL: 90, SRV: 365, DSC: 30}, 0, {DSC: 100})
    assert follow_tasks(state, removed, {DSC}, now, AMS) == [GUT, POND]
    data = json.dumps(state.to_dict())
    assert GUT not in data
    assert POND not in data
    # The kept user task and the built-in tasks are untouched.
    for name in ("last_done", "seeds", "snoozed", "notified_due", "undo"):
        kept_items = getattr(kept, name)
        assert getattr(state, name) == {
            t: v for t, v in kept_items.items() if t not in {GUT, POND}
        }
    assert state.history == [c for c in kept.history if c.task == DSC]
    assert state.runtime.task_seconds == {DSC: kept.runtime.task_seconds[DSC]}
    assert follow_tasks(state, removed, {DSC}, now, AMS) == []


USER_KEYS = st.text(min_size=1, max_size=6)
FACETS = ("last_done", "seeds", "snoozed", "notified_due", "undo", "history", "runtime")
BUILT_IN = frozenset(TaskKey)


def _state_of(tasks: Mapping[str, frozenset[str]]) -> MaintenanceState:
    """A state in which each task has data in the given facets."""
    state = MaintenanceState.empty()
    dates = {
        "last_done": state.last_done,
        "seeds": state.seeds,
        "snoozed": state.snoozed,
        "notified_due": state.notified_due,
    }
    for task, facets in sorted(tasks.items()):
        n = sum(map(ord, task)) % 365  # the same for a task in every state
        day = SEEDED + timedelta(n)
        completion = Completion(task, day, noon(day).astimezone(UTC), "todo", task)
        for name, mapping in dates.items():
            if name in facets:
                mapping[task] = day
        if "undo" in facets:
            state.undo[task] = UndoRecord(completion, previous_done=None)
        if "history" in facets:
            state.history.append(completion)
        if "runtime" in facets and task not in BUILT_IN:
            state.runtime.task_seconds[task] = n * HOUR
    state.history.sort(key=lambda completion: completion.done_on)
    return state


@settings(max_examples=200, deadline=None)
@given(
    tasks=st.dictionaries(
        st.one_of(st.sampled_from(list(TaskKey)), USER_KEYS),
        st.frozensets(st.sampled_from(FACETS)),
        max_size=8,
    ),
    known=st.frozensets(USER_KEYS, max_size=4),
    limited=st.frozensets(USER_KEYS, max_size=4),
    data=st.data(),
)
def test_forgetting_a_task_is_as_if_it_never_was(
    tasks: dict[str, frozenset[str]],
    known: frozenset[str],
    limited: frozenset[str],
    data: st.DataObject,
) -> None:
    # Some of the known tasks come from the state itself.
    present = sorted(tasks.keys() - BUILT_IN)
    if present:
        known |= data.draw(st.frozensets(st.sampled_from(present)))
        limited |= data.draw(st.frozensets(st.sampled_from(present)))
    keep = known | BUILT_IN
    config = MaintenanceConfig(
        {FIL: 90, SRV: 365, **dict.fromkeys(known - BUILT_IN, 30)},
        0,
        dict.fromkeys(limited & known, 100),
    )
    now = noon(date(2025, 6, 1))
    state = _state_of(tasks)
    never = _state_of({t: f for t, f in tasks.items() if t in keep})
    gone = sorted(task for task, facets in tasks.items() if facets and task not in keep)
    assert follow_tasks(state, config, known, now, AMS) == gone
    assert follow_tasks(never, config, known, now, AMS) == []
    assert state.to_dict() == never.to_dict()
