"""Per-heat-pump maintenance state and the operations on it.

``MaintenanceState`` is what the shell persists; the functions here are the
only way it changes. All dates are local dates in Home Assistant's time zone,
all instants aware datetimes; ``now`` and ``tz`` are always passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .clock import as_utc, local_date
from .errors import CorruptStateError
from .history import (
    HISTORY_LIMIT,
    Completion,
    UndoRecord,
    history_key,
    parse_task,
    record,
)
from .runtime import (
    RuntimeState,
    average_daily_hours,
    parse_date,
    project_runtime_due,
    runtime_checkpoint,
    runtime_hours,
    runtime_reset,
)
from .schedule import TaskSchedule, validate_done_date
from .tasks import REQUIRED_TASKS, TASK_SPECS, TaskKey

if TYPE_CHECKING:
    from datetime import date, datetime, tzinfo


@dataclass(slots=True, frozen=True)
class MaintenanceConfig:
    """The user's maintenance settings for one heat pump.

    ``intervals`` holds the enabled tasks only (filter and service always);
    it is stored in display order. ``runtime_limit_hours`` is the filter
    runtime limit, 0 when runtime-based filter wear is off.
    """

    intervals: Mapping[TaskKey, int]
    runtime_limit_hours: int = 0

    def __post_init__(self) -> None:
        """Validate the settings and order the intervals for display."""
        missing = [task for task in REQUIRED_TASKS if task not in self.intervals]
        if missing:
            raise ValueError(f"interval missing for {', '.join(missing)}")
        for task, days in self.intervals.items():
            if task not in TASK_SPECS:
                raise ValueError(f"unknown task {task!r}")
            if days < 1:
                raise ValueError(f"interval of {task} must be at least one day")
        if self.runtime_limit_hours < 0:
            raise ValueError("runtime limit must not be negative")
        ordered = {
            task: self.intervals[task] for task in TASK_SPECS if task in self.intervals
        }
        object.__setattr__(self, "intervals", ordered)

    @property
    def enabled_tasks(self) -> tuple[TaskKey, ...]:
        """The enabled tasks in display order."""
        return tuple(self.intervals)


@dataclass(slots=True)
class MaintenanceState:
    """Everything the maintenance core remembers about one heat pump.

    ``last_done``: local date each task was last done. ``seeds``: the dates
    last applied from the configuration, so the shell can tell when the user
    edited one. ``history``: completions, oldest first, at most
    ``HISTORY_LIMIT``. ``notified_due``: for tasks whose due event fired, the
    due date it fired for (see ``collect_due_notifications``). ``runtime``:
    filter runtime accounting. ``undo``: per task, what its last completion
    replaced (see ``undo_completion``).
    """

    last_done: dict[TaskKey, date] = field(default_factory=dict)
    seeds: dict[TaskKey, date] = field(default_factory=dict)
    history: list[Completion] = field(default_factory=list)
    notified_due: dict[TaskKey, date] = field(default_factory=dict)
    runtime: RuntimeState = field(default_factory=RuntimeState)
    undo: dict[TaskKey, UndoRecord] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> MaintenanceState:
        """Return a state with nothing recorded yet."""
        return cls()

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe representation (ISO dates; ``undo`` only if any)."""
        data = {
            "last_done": _dates_to_dict(self.last_done),
            "seeds": _dates_to_dict(self.seeds),
            "history": [completion.to_dict() for completion in self.history],
            "notified_due": _dates_to_dict(self.notified_due),
            "runtime": self.runtime.to_dict(),
        }
        if self.undo:
            data["undo"] = {str(t): undo.to_dict() for t, undo in self.undo.items()}
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MaintenanceState:
        """Rebuild the state saved by ``to_dict``.

        Absent keys are empty (``from_dict({})`` is ``empty()``); anything
        malformed raises ``CorruptStateError`` (a ``ValueError``): a wrong
        type, an unknown task, an invalid date or number. The history is re-sorted and capped; a saved in-flight
        runtime interval is dropped (see ``RuntimeState.from_dict``).
        """
        if not isinstance(data, Mapping):
            raise CorruptStateError("maintenance state is not a mapping")
        raw_history, raw_undo = data.get("history", []), data.get("undo", {})
        state = cls(
            last_done=_dates_from_dict(data.get("last_done", {}), "last_done"),
            seeds=_dates_from_dict(data.get("seeds", {}), "seeds"),
            notified_due=_dates_from_dict(data.get("notified_due", {}), "notified_due"),
            runtime=RuntimeState.from_dict(data.get("runtime", {})),
        )
        if not isinstance(raw_history, list):
            raise CorruptStateError("history is not a list")
        history = sorted(
            (Completion.from_dict(item) for item in raw_history), key=history_key
        )
        state.history = history[-HISTORY_LIMIT:]
        if not isinstance(raw_undo, Mapping):
            raise CorruptStateError("undo is not a mapping")
        state.undo = {
            parse_task(task, "undo"): UndoRecord.from_dict(undo)
            for task, undo in raw_undo.items()
        }
        return state


def _dates_to_dict(dates: Mapping[TaskKey, date]) -> dict[str, str]:
    """Serialise a task → date mapping."""
    return {str(task): day.isoformat() for task, day in dates.items()}


def _dates_from_dict(value: object, what: str) -> dict[TaskKey, date]:
    """Parse a task → date mapping; raise ``CorruptStateError``."""
    if not isinstance(value, Mapping):
        raise CorruptStateError(f"{what} is not a mapping")
    return {
        parse_task(task, what): parse_date(day, what) for task, day in value.items()
    }


def apply_seeds(
    state: MaintenanceState,
    configured: Mapping[TaskKey, date],
    *,
    now: datetime | None = None,
    tz: tzinfo | None = None,
) -> bool:
    """Apply the dates configured in the config/options flow.

    A configured date that differs from the seed last applied for its task
    (or a task without seed or without ``last_done``) becomes the task's
    ``last_done`` and its new seed; the task's due event may fire again for
    the new due date. Unchanged seeds leave completions recorded since alone.
    When ``now`` and ``tz`` are given, a changed filter date also restarts the
    filter runtime from that date (``runtime_reset``). Returns whether
    anything changed.

    A task enabled later (e.g. outdoor unit cleaning) has no date yet; the
    shell seeds it, e.g. with today, through this function.
    """
    changed = False
    for task, day in configured.items():
        if state.seeds.get(task) == day and task in state.last_done:
            continue
        state.last_done[task] = day
        state.seeds[task] = day
        state.notified_due.pop(task, None)
        state.undo.pop(task, None)  # a new date replaces what could be undone
        if task is TaskKey.FILTER and now is not None and tz is not None:
            runtime_reset(state.runtime, min(day, local_date(now, tz)), now, tz)
        changed = True
    return changed


def schedules(
    state: MaintenanceState, config: MaintenanceConfig
) -> dict[TaskKey, TaskSchedule]:
    """Calendar schedules of the enabled tasks that have a ``last_done``.

    In display order. An enabled task without ``last_done`` is left out until
    the shell seeds it (``apply_seeds``). The filter's schedule is its
    calendar interval only; ``filter_due`` adds the runtime projection.
    """
    return {
        task: TaskSchedule(task, state.last_done[task], interval)
        for task, interval in config.intervals.items()
        if task in state.last_done
    }


def mark_done(  # noqa: PLR0917 - positional signature is the shell's API
    state: MaintenanceState,
    task: TaskKey,
    done_on: date,
    today: date,
    now: datetime,
    tz: tzinfo,
    source: str,
) -> Completion:
    """Record that ``task`` was done on the local date ``done_on``.

    Raises ``FutureDateError`` for a date after ``today``. ``last_done``
    becomes ``done_on`` even when that is earlier than before (back-filling
    corrects the date), the completion joins the history, the task's due
    event may fire again, and a filter change restarts the runtime counter
    from ``done_on`` (``runtime_reset``). What the completion replaced is kept
    in ``undo`` so that ``undo_completion`` can take it back.
    """
    validate_done_date(done_on, today)
    completion = Completion(
        task=task, done_on=done_on, recorded_at=as_utc(now), source=source
    )
    runtime_before = runtime_after = None
    if task is TaskKey.FILTER:
        runtime_checkpoint(state.runtime, now, tz)  # count up to the tick first
        runtime_before = state.runtime.total_seconds
        runtime_reset(state.runtime, done_on, now, tz)
        runtime_after = state.runtime.total_seconds
    state.undo[task] = UndoRecord(
        completion,
        previous_done=state.last_done.get(task),
        previous_notified=state.notified_due.pop(task, None),
        runtime_before=runtime_before,
        runtime_after=runtime_after,
    )
    state.last_done[task] = done_on
    record(state.history, completion)
    return completion


def filter_due(
    state: MaintenanceState, config: MaintenanceConfig, now: datetime, tz: tzinfo
) -> date:
    """Return the filter's due date: calendar due, or earlier by runtime.

    With a runtime limit, the due date is the earlier of the calendar due date
    and the runtime projection (today once the limit is reached; no
    projection without a positive average daily runtime). Raises ``KeyError``
    when the filter has no ``last_done`` yet.
    """
    today = local_date(now, tz)
    calendar = TaskSchedule(
        TaskKey.FILTER,
        state.last_done[TaskKey.FILTER],
        config.intervals[TaskKey.FILTER],
    ).due
    if config.runtime_limit_hours <= 0:
        return calendar
    projected = project_runtime_due(
        config.runtime_limit_hours,
        runtime_hours(state.runtime, now),
        average_daily_hours(state.runtime, today),
        today,
    )
    return calendar if projected is None else min(calendar, projected)


def due_date(
    state: MaintenanceState,
    config: MaintenanceConfig,
    task: TaskKey,
    now: datetime,
    tz: tzinfo,
) -> date | None:
    """Effective due date of ``task``; ``None`` if disabled or never seeded."""
    if task not in config.intervals or task not in state.last_done:
        return None
    if task is TaskKey.FILTER:
        return filter_due(state, config, now, tz)
    return TaskSchedule(task, state.last_done[task], config.intervals[task]).due


def due_dates(
    state: MaintenanceState, config: MaintenanceConfig, now: datetime, tz: tzinfo
) -> dict[TaskKey, date]:
    """Effective due dates of all enabled, seeded tasks in display order."""
    result: dict[TaskKey, date] = {}
    for task in config.intervals:
        due = due_date(state, config, task, now, tz)
        if due is not None:
            result[task] = due
    return result


def is_task_due(
    state: MaintenanceState,
    config: MaintenanceConfig,
    task: TaskKey,
    now: datetime,
    tz: tzinfo,
) -> bool:
    """Whether ``task`` is due on the local date of ``now`` (False if disabled)."""
    due = due_date(state, config, task, now, tz)
    return due is not None and local_date(now, tz) >= due


def collect_due_notifications(
    state: MaintenanceState, config: MaintenanceConfig, now: datetime, tz: tzinfo
) -> list[tuple[TaskKey, date]]:
    """Tasks that became due and whose due event has not fired yet.

    Returns ``(task, due date)`` pairs to announce and records each in
    ``notified_due``; the shell persists the state, so each fires once, also
    across restarts. The record lasts while the task stays due: a due date
    that merely moves while the task is still due (the runtime projection is
    "today" every day once the limit is reached) does not fire again. It ends
    when the task is done (``mark_done``), gets a new configured date
    (``apply_seeds``), stops being due (e.g. a longer interval) or is
    disabled; the next due date then fires again.
    """
    today = local_date(now, tz)
    for task in [task for task in state.notified_due if task not in config.intervals]:
        del state.notified_due[task]
    fired: list[tuple[TaskKey, date]] = []
    for task, due in due_dates(state, config, now, tz).items():
        if today < due:
            state.notified_due.pop(task, None)
        elif task not in state.notified_due:
            state.notified_due[task] = due
            fired.append((task, due))
    return fired


def recent_completions(
    state: MaintenanceState, task: TaskKey | None = None, limit: int = 5
) -> list[Completion]:
    """Up to ``limit`` completions (of ``task``, or of all tasks), newest first."""
    if limit <= 0:
        return []
    matching: Iterable[Completion] = (
        completion
        for completion in reversed(state.history)
        if task is None or completion.task is task
    )
    result: list[Completion] = []
    for completion in matching:
        result.append(completion)
        if len(result) == limit:
            break
    return result
