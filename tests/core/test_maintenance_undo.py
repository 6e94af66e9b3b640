"""Undoing a completion: the last completion of a task, on the day it was recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from custom_components.heat_pump_care.maintenance import (
    CorruptStateError,
    MaintenanceConfig,
    MaintenanceState,
    NothingToUndoError,
    TaskKey,
    apply_seeds,
    collect_due_notifications,
    due_date,
    expire_undo,
    mark_done,
    runtime_hours,
    runtime_hours_left,
    runtime_set_running,
    undo_completion,
    undoable_completion,
)

AMS = ZoneInfo("Europe/Amsterdam")
FIL, SRV = TaskKey.FILTER, TaskKey.SERVICE
CONFIG = MaintenanceConfig({FIL: 90, SRV: 365})
SEEDED = date(2025, 1, 1)
TODAY = date(2025, 3, 1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """An instant on a local Amsterdam day."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMS)


def seeded() -> MaintenanceState:
    state = MaintenanceState.empty()
    apply_seeds(state, {FIL: SEEDED, SRV: SEEDED})
    return state


def tick(
    state: MaintenanceState,
    now: datetime,
    task: TaskKey = SRV,
    done_on: date | None = None,
) -> None:
    today = now.astimezone(AMS).date()
    mark_done(state, task, done_on or today, today, now, AMS, "todo")


def test_undo_brings_the_previous_date_back() -> None:
    """The date and due date before the tick return; the history forgets it."""
    state = seeded()
    before = state.to_dict()
    tick(state, at(TODAY, 9))
    assert due_date(state, CONFIG, SRV, at(TODAY, 9), AMS) == date(2026, 3, 1)
    undone = undo_completion(state, SRV, at(TODAY, 10), AMS)
    assert undone.done_on == TODAY
    assert state.last_done[SRV] == SEEDED
    assert due_date(state, CONFIG, SRV, at(TODAY, 10), AMS) == date(2026, 1, 1)
    assert state.to_dict() == before


def test_undo_of_a_back_filled_date_restores_the_later_one() -> None:
    """A mis-typed earlier date is taken back as well."""
    state = seeded()
    tick(state, at(TODAY, 9), done_on=date(2024, 6, 1))
    undo_completion(state, SRV, at(TODAY, 9, 5), AMS)
    assert state.last_done[SRV] == SEEDED
    assert state.history == []


def test_undo_keeps_the_due_event_from_firing_twice() -> None:
    """A task that was due and announced is due again, without a new event."""
    state = seeded()
    overdue = at(date(2025, 4, 10), 9)
    assert collect_due_notifications(state, CONFIG, overdue, AMS) == [
        (FIL, date(2025, 4, 1))
    ]
    tick(state, overdue, FIL)
    undo_completion(state, FIL, overdue + timedelta(minutes=1), AMS)
    assert collect_due_notifications(state, CONFIG, overdue, AMS) == []
    assert state.notified_due == {FIL: date(2025, 4, 1)}


def test_undo_of_a_filter_change_restores_the_runtime_count() -> None:
    """The hours before the change come back, plus those run since the tick."""
    state = seeded()
    runtime_set_running(state.runtime, True, at(TODAY, 6), AMS)
    tick(state, at(TODAY, 8), FIL)  # 2 h counted before the change
    assert runtime_hours(state.runtime, at(TODAY, 8)) == 0
    undo_completion(state, FIL, at(TODAY, 11), AMS)
    assert runtime_hours(state.runtime, at(TODAY, 11)) == 5
    assert state.runtime.running_since is not None  # still counting


def test_undo_counts_until_the_next_local_midnight() -> None:
    """Recorded at 23:30 in Amsterdam: undoable at 23:59, not at 00:01."""
    state = seeded()
    tick(state, at(TODAY, 23, 30))
    assert undoable_completion(state, SRV, at(TODAY, 23, 59), AMS) is not None
    tomorrow = at(TODAY + timedelta(days=1), 0, 1)
    assert undoable_completion(state, SRV, tomorrow, AMS) is None
    before = state.to_dict()
    with pytest.raises(NothingToUndoError):
        undo_completion(state, SRV, tomorrow, AMS)
    assert state.to_dict() == before


def test_the_undo_day_is_the_local_day_not_the_utc_day() -> None:
    """00:30 in Amsterdam is the previous UTC day; undo works until local 23:59."""
    state = seeded()
    recorded = at(TODAY, 0, 30)
    assert recorded.astimezone(UTC).date() == TODAY - timedelta(days=1)
    tick(state, recorded)
    assert undoable_completion(state, SRV, at(TODAY, 23, 59), AMS) is not None


def test_only_the_latest_completion_is_undone_once() -> None:
    """Two ticks: one undo goes back to the first, a second undo is refused."""
    state = seeded()
    tick(state, at(TODAY, 9), done_on=date(2025, 2, 1))
    tick(state, at(TODAY, 10))
    undo_completion(state, SRV, at(TODAY, 11), AMS)
    assert state.last_done[SRV] == date(2025, 2, 1)
    assert [c.done_on for c in state.history] == [date(2025, 2, 1)]
    with pytest.raises(NothingToUndoError):
        undo_completion(state, SRV, at(TODAY, 11), AMS)


def test_a_task_never_ticked_has_nothing_to_undo() -> None:
    """Undo refers to a completion, not to the configured date."""
    state = seeded()
    assert undoable_completion(state, SRV, at(TODAY, 9), AMS) is None
    with pytest.raises(NothingToUndoError):
        undo_completion(state, SRV, at(TODAY, 9), AMS)


def test_a_newly_configured_date_ends_the_undo() -> None:
    """Editing the date in the options replaces what could be undone."""
    state = seeded()
    tick(state, at(TODAY, 9))
    apply_seeds(state, {FIL: SEEDED, SRV: date(2025, 2, 15)})
    assert undoable_completion(state, SRV, at(TODAY, 10), AMS) is None
    assert state.last_done[SRV] == date(2025, 2, 15)


def test_undo_without_a_previous_date_forgets_the_date() -> None:
    """A task done before it was ever seeded goes back to having no date."""
    state = MaintenanceState.empty()
    tick(state, at(TODAY, 9))
    undo_completion(state, SRV, at(TODAY, 9), AMS)
    assert SRV not in state.last_done


def test_undo_survives_a_restart() -> None:
    """What a completion replaced is stored with the state."""
    state = seeded()
    tick(state, at(TODAY, 9), FIL)
    restored = MaintenanceState.from_dict(state.to_dict())
    assert restored.undo == state.undo
    undo_completion(restored, FIL, at(TODAY, 12), AMS)
    assert restored.last_done[FIL] == SEEDED


def test_nothing_to_undo_is_not_stored() -> None:
    """A state without an undoable completion keeps its stored form."""
    assert "undo" not in seeded().to_dict()


def test_expire_undo_forgets_yesterdays_completions() -> None:
    """At the day change the records that can no longer be used go."""
    state = seeded()
    tick(state, at(TODAY, 9))
    assert not expire_undo(state, at(TODAY, 23), AMS)
    assert expire_undo(state, at(TODAY + timedelta(days=1), 0), AMS)
    assert state.undo == {}


@pytest.mark.parametrize(
    "undo",
    [
        [],
        {"service": "2025-01-01"},
        {"service": {}},
        {"boiler": {"completion": {}}},
        {
            "service": {
                "completion": {
                    "task": "service",
                    "done_on": "2025-03-01",
                    "recorded_at": "2025-03-01T08:00:00+00:00",
                    "source": "todo",
                },
                "previous_done": "yesterday",
            }
        },
        {
            "filter": {
                "completion": {
                    "task": "filter",
                    "done_on": "2025-03-01",
                    "recorded_at": "2025-03-01T08:00:00+00:00",
                    "source": "todo",
                },
                "runtime_before": -1,
            }
        },
    ],
)
def test_corrupt_undo_data_is_rejected(undo: Any) -> None:
    with pytest.raises(CorruptStateError):
        MaintenanceState.from_dict({"undo": undo})


@pytest.mark.parametrize(
    ("limit", "used", "left"),
    [(500, 123.4, 376.6), (500, 500.0, 0.0), (500, 612.0, 0.0)],
)
def test_runtime_hours_left(limit: int, used: float, left: float) -> None:
    """Hours left until the runtime limit: 0 once reached."""
    assert runtime_hours_left(limit, used) == pytest.approx(left)


def test_runtime_hours_left_unknown_without_limit_or_counting() -> None:
    assert runtime_hours_left(0, 10.0) is None
    assert runtime_hours_left(500, None) is None
