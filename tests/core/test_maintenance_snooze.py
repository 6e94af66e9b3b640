"""Notes with completions, the per-task history bound, and snoozed due dates."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, time, timedelta
import json
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings, strategies as st
import pytest

from custom_components.heat_pump_care.maintenance import (
    HISTORY_LIMIT,
    Completion,
    MaintenanceConfig,
    MaintenanceState,
    NotFutureDateError,
    RuntimeState,
    TaskKey,
    UnknownTaskError,
    apply_seeds,
    collect_due_notifications,
    due_date,
    due_dates,
    filter_due,
    follow_tasks,
    is_task_due,
    local_date,
    mark_done,
    recent_completions,
    runtime_checkpoint,
    runtime_set_running,
    schedules,
    snooze,
    undo_completion,
)

from .maintenance_helpers import (
    AMS,
    BASE,
    CDR,
    FIL,
    HOUR,
    ODU,
    SEEDED,
    SRV,
    noon,
    seeded,
)


def base() -> MaintenanceState:
    return seeded(filter=SEEDED, service=SEEDED)


def done(
    state: MaintenanceState,
    task: str,
    done_on: date,
    today: date | None = None,
    note: str | None = None,
) -> Completion:
    today = today or done_on
    return mark_done(state, task, done_on, today, noon(today), AMS, "todo", note)


def announced(state: MaintenanceState, day: date) -> list[tuple[str, date]]:
    return collect_due_notifications(state, BASE, noon(day), AMS)


# ------------------------------------------------------------------ notes


def test_mark_done_keeps_the_note_with_the_completion() -> None:
    state = base()
    today = date(2025, 3, 1)
    noted = mark_done(
        state, FIL, today, today, noon(today), AMS, "todo", "G4 filter, dusty"
    )
    plain = mark_done(state, SRV, today, today, noon(today), AMS, "button")
    assert noted.note == "G4 filter, dusty"
    assert plain.note is None
    assert state.history == [noted, plain]


def test_recent_completions_are_newest_first() -> None:
    state = base()
    today = date(2025, 3, 10)
    for month in (1, 3, 2):  # back-filled out of order
        done(state, FIL, date(2025, month, 10), today, note=f"filter {month}")
    done(state, SRV, date(2025, 3, 5), today, note="service")
    assert [c.note for c in recent_completions(state, FIL, 5)] == [
        "filter 3",
        "filter 2",
        "filter 1",
    ]
    assert [c.note for c in recent_completions(state, FIL, 2)] == [
        "filter 3",
        "filter 2",
    ]
    assert [c.note for c in recent_completions(state, None, 3)] == [
        "filter 3",
        "service",
        "filter 2",
    ]
    assert recent_completions(state, ODU, 5) == []


def test_history_limit_drops_only_the_oldest_of_the_full_task() -> None:
    state = base()
    today = date(2025, 6, 1)
    # Three services older than every filter change: a global bound would
    # drop them first.
    services = [done(state, SRV, date(2020, 1, n), today) for n in (1, 2, 3)]
    start = date(2024, 1, 1)
    changes = [
        done(state, FIL, start + timedelta(days=n), today)
        for n in range(HISTORY_LIMIT + 3)
    ]
    assert [c for c in state.history if c.task == FIL] == changes[3:]
    assert [c for c in state.history if c.task == SRV] == services
    assert len(state.history) == HISTORY_LIMIT + 3


def test_restored_history_is_bounded_per_task() -> None:
    recorded = datetime(2025, 6, 1, tzinfo=UTC)
    items = [
        Completion(task, date(2025, 1, 1) + timedelta(days=n), recorded, "x")
        for task in (FIL, SRV, "descaling")
        for n in range(HISTORY_LIMIT + 5)
    ]
    restored = MaintenanceState.from_dict(
        {"history": [item.to_dict() for item in items]}
    )
    for task in (FIL, SRV, "descaling"):
        kept = [c for c in restored.history if c.task == task]
        assert len(kept) == HISTORY_LIMIT
        assert kept[0].done_on == date(2025, 1, 6)


def test_notes_and_snoozes_survive_a_restart() -> None:
    state = base()
    today = date(2025, 3, 1)
    done(state, FIL, date(2025, 2, 20), today, note="Ersatzfilter F7, Größe 2")
    snooze(state, BASE, SRV, date(2026, 2, 1), today)
    done(state, SRV, today, note="")  # ends the snooze, remembered for undo
    snooze(state, BASE, FIL, date(2025, 7, 1), today)
    data = json.loads(json.dumps(state.to_dict()))
    assert data["snoozed"] == {"filter": "2025-07-01"}
    assert data["undo"]["service"]["previous_snooze"] == "2026-02-01"
    assert [c["note"] for c in data["history"]] == ["Ersatzfilter F7, Größe 2", ""]
    restored = MaintenanceState.from_dict(data)
    assert restored == state
    # State saved before snoozes existed reads back without any.
    del data["snoozed"]
    assert MaintenanceState.from_dict(data).snoozed == {}


# ----------------------------------------------------------------- snooze


def test_snooze_moves_the_due_date() -> None:
    state = base()
    today = date(2025, 3, 1)
    snooze(state, BASE, FIL, date(2025, 5, 15), today)
    assert state.snoozed == {FIL: date(2025, 5, 15)}
    assert due_date(state, BASE, FIL, noon(today), AMS) == date(2025, 5, 15)
    assert due_dates(state, BASE, noon(today), AMS) == {
        FIL: date(2025, 5, 15),
        SRV: date(2026, 1, 1),
    }
    assert not is_task_due(state, BASE, FIL, noon(date(2025, 5, 14)), AMS)
    assert is_task_due(state, BASE, FIL, noon(date(2025, 5, 15)), AMS)
    # The completion date and the calendar schedule stay as they were.
    assert state.last_done[FIL] == SEEDED
    assert schedules(state, BASE)[FIL].due == date(2025, 4, 1)


def test_snooze_date_is_the_due_date_even_before_the_interval_ends() -> None:
    state = base()
    today = date(2025, 3, 1)
    snooze(state, BASE, SRV, date(2025, 3, 2), today)
    assert due_date(state, BASE, SRV, noon(today), AMS) == date(2025, 3, 2)


def test_a_later_snooze_replaces_the_earlier_one() -> None:
    state = base()
    snooze(state, BASE, FIL, date(2025, 6, 1), date(2025, 3, 1))
    snooze(state, BASE, FIL, date(2025, 5, 1), date(2025, 3, 2))
    assert state.snoozed == {FIL: date(2025, 5, 1)}


def test_snooze_overrides_the_runtime_projection() -> None:
    today = date(2025, 1, 20)
    state = base()
    state.runtime = RuntimeState(total_seconds=600 * HOUR, tracking_since=SEEDED)
    config = MaintenanceConfig({FIL: 90, SRV: 365}, 500)
    assert due_date(state, config, FIL, noon(today), AMS) == today  # limit reached
    snooze(state, config, FIL, date(2025, 2, 1), today)
    assert due_date(state, config, FIL, noon(today), AMS) == date(2025, 2, 1)
    # Also past the calendar due date.
    snooze(state, config, FIL, date(2025, 6, 1), today)
    assert due_date(state, config, FIL, noon(today), AMS) == date(2025, 6, 1)
    # filter_due is the unsnoozed date.
    assert filter_due(state, config, noon(today), AMS) == today


@pytest.mark.parametrize(
    ("config", "task"),
    [
        (BASE, ODU),  # seeded, but disabled
        (BASE, "descaling"),  # not a task of this heat pump
        (MaintenanceConfig({FIL: 90, SRV: 365, CDR: 180}), CDR),  # never seeded
    ],
)
def test_snooze_of_a_task_without_a_due_date_is_refused(
    config: MaintenanceConfig, task: str
) -> None:
    state = seeded(filter=SEEDED, service=SEEDED, outdoor_unit=SEEDED)
    today = date(2025, 4, 10)
    assert collect_due_notifications(state, config, noon(today), AMS) == [
        (FIL, date(2025, 4, 1))
    ]
    before = state.to_dict()
    with pytest.raises(UnknownTaskError):
        snooze(state, config, task, date(2025, 5, 1), today)
    assert state.to_dict() == before


@pytest.mark.parametrize(
    "until", [date(2025, 4, 10), date(2025, 4, 9), date(2024, 1, 1)]
)
@pytest.mark.parametrize("task", [FIL, SRV])
def test_snooze_to_today_or_earlier_is_refused(until: date, task: TaskKey) -> None:
    state = base()
    today = date(2025, 4, 10)
    assert announced(state, today) == [(FIL, date(2025, 4, 1))]
    snooze(state, BASE, SRV, date(2026, 6, 1), today)
    before = state.to_dict()
    with pytest.raises(NotFutureDateError):
        snooze(state, BASE, task, until, today)
    assert state.to_dict() == before
    # The announced filter stays announced, the earlier snooze stays.
    assert state.notified_due == {FIL: date(2025, 4, 1)}
    assert state.snoozed == {SRV: date(2026, 6, 1)}


def test_snoozed_overdue_task_is_announced_again_once_on_the_new_date() -> None:
    state = base()
    overdue = date(2025, 4, 10)
    assert announced(state, overdue) == [(FIL, date(2025, 4, 1))]
    snooze(state, BASE, FIL, date(2025, 4, 20), overdue)
    assert FIL not in state.notified_due
    for day in range(10, 20):
        assert announced(state, date(2025, 4, day)) == []
    assert announced(state, date(2025, 4, 20)) == [(FIL, date(2025, 4, 20))]
    for day in range(20, 26):
        assert announced(state, date(2025, 4, day)) == []


def test_mark_done_ends_the_snooze_and_counts_from_the_completion() -> None:
    state = base()
    today = date(2025, 4, 10)
    snooze(state, BASE, FIL, date(2025, 5, 20), today)
    snooze(state, BASE, SRV, date(2026, 2, 1), today)
    done(state, FIL, date(2025, 4, 5), today)  # back-filled
    assert state.snoozed == {SRV: date(2026, 2, 1)}
    assert due_date(state, BASE, FIL, noon(today), AMS) == date(2025, 7, 4)


def test_undoing_the_completion_brings_the_snooze_back() -> None:
    state = seeded(filter=SEEDED, service=date(2024, 4, 1))
    today = date(2025, 4, 10)
    assert announced(state, today) == [
        (FIL, date(2025, 4, 1)),
        (SRV, date(2025, 4, 1)),
    ]
    snooze(state, BASE, SRV, date(2025, 5, 20), today)
    before = state.to_dict()
    done(state, SRV, today, note="wrong heat pump")
    assert state.undo[SRV].previous_snooze == date(2025, 5, 20)
    undo_completion(state, SRV, noon(today) + timedelta(hours=1), AMS)
    assert state.to_dict() == before
    assert due_date(state, BASE, SRV, noon(today), AMS) == date(2025, 5, 20)
    assert announced(state, date(2025, 5, 20)) == [(SRV, date(2025, 5, 20))]


def test_a_snooze_set_after_the_tick_survives_its_undo() -> None:
    state = seeded(filter=SEEDED, service=date(2024, 4, 1))
    today = date(2025, 4, 10)
    done(state, SRV, today)
    # Ticked by mistake, then snoozed, then unticked: the snooze is the
    # owner's latest word and stays.
    snooze(state, BASE, SRV, date(2025, 5, 1), today)
    undo_completion(state, SRV, noon(today) + timedelta(hours=1), AMS)
    assert state.last_done[SRV] == date(2024, 4, 1)
    assert due_date(state, BASE, SRV, noon(today), AMS) == date(2025, 5, 1)


def test_a_newly_configured_date_ends_the_snooze() -> None:
    state = base()
    today = date(2025, 3, 1)
    snooze(state, BASE, FIL, date(2025, 6, 1), today)
    snooze(state, BASE, SRV, date(2026, 3, 1), today)
    assert not apply_seeds(state, {FIL: SEEDED, SRV: SEEDED})
    assert state.snoozed == {FIL: date(2025, 6, 1), SRV: date(2026, 3, 1)}
    assert apply_seeds(state, {FIL: date(2025, 2, 1), SRV: SEEDED})
    assert state.snoozed == {SRV: date(2026, 3, 1)}
    assert due_date(state, BASE, FIL, noon(today), AMS) == date(2025, 5, 2)


# ------------------------------------------------------------- property

DSC = "descaling"
TASKS = (FIL, SRV, DSC)
# Runtime limits so high that they never beat the intervals; they only make
# the filter and descaling counters run (and be restored on undo).
COUNTED = MaintenanceConfig({FIL: 30, SRV: 365, DSC: 20}, 10_000, {DSC: 10_000})
ZONES = ["Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe"]
ANCHORS = [date(2025, 3, 30), date(2025, 10, 26), date(2025, 11, 2), date(2028, 2, 29)]

snoozes = st.tuples(
    st.just("snooze"), st.sampled_from(TASKS), st.integers(1, 400), st.integers(0, 7200)
)
ticks = st.tuples(
    st.just("tick"), st.sampled_from(TASKS), st.integers(0, 400), st.integers(0, 7200)
)


@settings(max_examples=200, deadline=None)
@given(
    zone_name=st.sampled_from(ZONES),
    anchor=st.sampled_from(ANCHORS),
    offset=st.integers(min_value=0, max_value=86_399),
    run_hours=st.integers(min_value=0, max_value=40),
    steps=st.lists(st.one_of(snoozes, ticks), max_size=8),
    last=st.tuples(st.sampled_from(TASKS), st.integers(0, 400)),
    undo_after=st.integers(min_value=0, max_value=3600),
)
def test_a_tick_ends_any_snooze_and_its_undo_leaves_no_trace(
    *,
    zone_name: str,
    anchor: date,
    offset: int,
    run_hours: int,
    steps: list[tuple[str, str, int, int]],
    last: tuple[str, int],
    undo_after: int,
) -> None:
    zone = ZoneInfo(zone_name)
    now = datetime.combine(anchor, time(), tzinfo=UTC) + timedelta(seconds=offset)
    state = MaintenanceState.empty()
    apply_seeds(state, dict.fromkeys(TASKS, local_date(now, zone) - timedelta(100)))
    runtime_set_running(state.runtime, True, now - timedelta(hours=run_hours), zone)
    follow_tasks(state, COUNTED, TASKS, now, zone)
    for kind, task, days, gap in steps:
        now += timedelta(seconds=gap)
        today = local_date(now, zone)
        if kind == "snooze":
            snooze(state, COUNTED, task, today + timedelta(days), today)
        else:
            mark_done(state, task, today - timedelta(days), today, now, zone, "x")
        collect_due_notifications(state, COUNTED, now, zone)
    task, days_ago = last
    today = local_date(now, zone)
    undo_at = now + timedelta(seconds=undo_after)
    assume(local_date(undo_at, zone) == today)
    before = copy.deepcopy(state)

    done_on = today - timedelta(days_ago)
    mark_done(state, task, done_on, today, now, zone, "x", "note")
    assert task not in state.snoozed
    due = due_date(state, COUNTED, task, now, zone)
    assert due == done_on + timedelta(COUNTED.intervals[task])

    undo_completion(state, task, undo_at, zone)
    # The heat pump kept running: count both up to the moment of the undo.
    runtime_checkpoint(state.runtime, undo_at, zone)
    runtime_checkpoint(before.runtime, undo_at, zone)
    after_data, before_data = state.to_dict(), before.to_dict()
    after_data.pop("undo", None)
    before_data.pop("undo", None)
    assert after_data == before_data
    assert state.undo == {t: u for t, u in before.undo.items() if t != task}
