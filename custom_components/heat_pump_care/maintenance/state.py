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
from .history import Completion, UndoRecord, capped, history_key, parse_task, record
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
from .tasks import TaskKey

if TYPE_CHECKING:
    from datetime import date, datetime, tzinfo

    from .config import MaintenanceConfig


@dataclass(slots=True)
class MaintenanceState:
    """Everything the maintenance core remembers about one heat pump.

    ``last_done``: local date each task was last done. ``seeds``: the dates
    last applied from the configuration, so the shell can tell when the user
    edited one. ``history``: completions, oldest first, at most
    ``HISTORY_LIMIT`` per task. ``notified_due``: for tasks whose due event
    fired, the
    due date it fired for (see ``collect_due_notifications``). ``runtime``:
    runtime accounting. ``undo``: per task, what its last completion
    replaced (see ``undo_completion``). ``snoozed``: per task, the date the
    owner moved its due date to (see ``snooze``); it lasts until the task is
    done.
    """

    last_done: dict[str, date] = field(default_factory=dict)
    seeds: dict[str, date] = field(default_factory=dict)
    history: list[Completion] = field(default_factory=list)
    notified_due: dict[str, date] = field(default_factory=dict)
    runtime: RuntimeState = field(default_factory=RuntimeState)
    undo: dict[str, UndoRecord] = field(default_factory=dict)
    snoozed: dict[str, date] = field(default_factory=dict)

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
            "snoozed": _dates_to_dict(self.snoozed),
        }
        if self.undo:
            data["undo"] = {str(t): undo.to_dict() for t, undo in self.undo.items()}
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MaintenanceState:
        """Rebuild the state saved by ``to_dict``.

        Absent keys are empty (``from_dict({})`` is ``empty()``); anything
        malformed raises ``CorruptStateError`` (a ``ValueError``): a wrong
        type, a task that is not a key, an invalid date or number. The history
        is re-sorted and capped; a saved in-flight
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
            snoozed=_dates_from_dict(data.get("snoozed", {}), "snoozed"),
        )
        if not isinstance(raw_history, list):
            raise CorruptStateError("history is not a list")
        history = sorted(
            (Completion.from_dict(item) for item in raw_history), key=history_key
        )
        state.history = capped(history)
        if not isinstance(raw_undo, Mapping):
            raise CorruptStateError("undo is not a mapping")
        state.undo = {
            parse_task(task, "undo"): UndoRecord.from_dict(undo)
            for task, undo in raw_undo.items()
        }
        return state


def _dates_to_dict(dates: Mapping[str, date]) -> dict[str, str]:
    """Serialise a task → date mapping."""
    return {str(task): day.isoformat() for task, day in dates.items()}


def _dates_from_dict(value: object, what: str) -> dict[str, date]:
    """Parse a task → date mapping; raise ``CorruptStateError``."""
    if not isinstance(value, Mapping):
        raise CorruptStateError(f"{what} is not a mapping")
    return {
        parse_task(task, what): parse_date(day, what) for task, day in value.items()
    }


def apply_seeds(
    state: MaintenanceState,
    configured: Mapping[str, date],
    *,
    now: datetime | None = None,
    tz: tzinfo | None = None,
) -> bool:
    """Apply the dates configured in the config/options flow.

    A configured date that differs from the seed last applied for its task
    (or a task without seed or without ``last_done``) becomes the task's
    ``last_done`` and its new seed; the task's due event may fire again for
    the new due date and a snooze ends. Unchanged seeds leave completions
    recorded since alone. When ``now`` and ``tz`` are given, a changed date
    of a task counted by running time also restarts its count from that date
    (``runtime_reset``). Returns whether anything changed.

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
        state.snoozed.pop(task, None)
        state.undo.pop(task, None)  # a new date replaces what could be undone
        if state.runtime.counts(task) and now is not None and tz is not None:
            since = min(day, local_date(now, tz))
            runtime_reset(state.runtime, since, now, tz, task)
        changed = True
    return changed


def schedules(
    state: MaintenanceState, config: MaintenanceConfig
) -> dict[str, TaskSchedule]:
    """Calendar schedules of the enabled tasks that have a ``last_done``.

    In display order. An enabled task without ``last_done`` is left out until
    the shell seeds it (``apply_seeds``). A schedule is the calendar interval
    only; ``due_date`` adds a snooze and the runtime projection.
    """
    return {
        task: TaskSchedule(task, state.last_done[task], interval)
        for task, interval in config.intervals.items()
        if task in state.last_done
    }


def mark_done(  # noqa: PLR0917 - positional signature is the shell's API
    state: MaintenanceState,
    task: str,
    done_on: date,
    today: date,
    now: datetime,
    tz: tzinfo,
    source: str,
    note: str | None = None,
) -> Completion:
    """Record that ``task`` was done on the local date ``done_on``.

    Raises ``FutureDateError`` for a date after ``today``. ``last_done``
    becomes ``done_on`` even when that is earlier than before (back-filling
    corrects the date), the completion joins the history with its ``note``,
    a snooze ends, the task's due event may fire again, and a task counted by
    running time (the filter) restarts its count from ``done_on``
    (``runtime_reset``). What the completion replaced is kept in ``undo`` so
    that ``undo_completion`` can take it back.
    """
    validate_done_date(done_on, today)
    completion = Completion(
        task=task, done_on=done_on, recorded_at=as_utc(now), source=source, note=note
    )
    runtime_before = runtime_after = None
    if state.runtime.counts(task):
        runtime_checkpoint(state.runtime, now, tz)  # count up to the tick first
        runtime_before = state.runtime.counted(task)
        runtime_reset(state.runtime, done_on, now, tz, task)
        runtime_after = state.runtime.counted(task)
    state.undo[task] = UndoRecord(
        completion,
        previous_done=state.last_done.get(task),
        previous_notified=state.notified_due.pop(task, None),
        previous_snooze=state.snoozed.pop(task, None),
        runtime_before=runtime_before,
        runtime_after=runtime_after,
    )
    state.last_done[task] = done_on
    record(state.history, completion)
    return completion


def filter_due(
    state: MaintenanceState,
    config: MaintenanceConfig,
    now: datetime,
    tz: tzinfo,
    task: str = TaskKey.FILTER,
) -> date:
    """Return a task's due date by interval, or earlier by runtime.

    For the filter by default, or any task with a runtime limit: the earlier
    of the calendar due date and the runtime projection (today once the limit
    is reached; no projection without a positive average daily runtime).
    A snooze is not applied here (see ``due_date``). Raises ``KeyError`` when
    the task has no ``last_done`` yet.
    """
    calendar = TaskSchedule(task, state.last_done[task], config.intervals[task]).due
    limit = config.runtime_limit(task)
    if limit <= 0 or not state.runtime.counts(task):
        return calendar
    today = local_date(now, tz)
    projected = project_runtime_due(
        limit,
        runtime_hours(state.runtime, now, task),
        average_daily_hours(state.runtime, today),
        today,
    )
    return calendar if projected is None else min(calendar, projected)


def due_date(
    state: MaintenanceState,
    config: MaintenanceConfig,
    task: str,
    now: datetime,
    tz: tzinfo,
) -> date | None:
    """Effective due date of ``task``; ``None`` if disabled or never seeded.

    A snoozed task is due on the date it was snoozed to; otherwise by its
    interval, or earlier by its runtime limit (``filter_due``).
    """
    if task not in config.intervals or task not in state.last_done:
        return None
    if (snoozed := state.snoozed.get(task)) is not None:
        return snoozed
    return filter_due(state, config, now, tz, task)


def due_dates(
    state: MaintenanceState, config: MaintenanceConfig, now: datetime, tz: tzinfo
) -> dict[str, date]:
    """Effective due dates of all enabled, seeded tasks in display order."""
    result: dict[str, date] = {}
    for task in config.intervals:
        due = due_date(state, config, task, now, tz)
        if due is not None:
            result[task] = due
    return result


def is_task_due(
    state: MaintenanceState,
    config: MaintenanceConfig,
    task: str,
    now: datetime,
    tz: tzinfo,
) -> bool:
    """Whether ``task`` is due on the local date of ``now`` (False if disabled)."""
    due = due_date(state, config, task, now, tz)
    return due is not None and local_date(now, tz) >= due


def collect_due_notifications(
    state: MaintenanceState, config: MaintenanceConfig, now: datetime, tz: tzinfo
) -> list[tuple[str, date]]:
    """Tasks that became due and whose due event has not fired yet.

    Returns ``(task, due date)`` pairs to announce and records each in
    ``notified_due``; the shell persists the state, so each fires once, also
    across restarts. The record lasts while the task stays due: a due date
    that merely moves while the task is still due (the runtime projection is
    "today" every day once the limit is reached) does not fire again. It ends
    when the task is done (``mark_done``), gets a new configured date
    (``apply_seeds``), stops being due (e.g. a longer interval or a snooze)
    or is disabled; the next due date then fires again.
    """
    today = local_date(now, tz)
    for task in [task for task in state.notified_due if task not in config.intervals]:
        del state.notified_due[task]
    fired: list[tuple[str, date]] = []
    for task, due in due_dates(state, config, now, tz).items():
        if today < due:
            state.notified_due.pop(task, None)
        elif task not in state.notified_due:
            state.notified_due[task] = due
            fired.append((task, due))
    return fired


def recent_completions(
    state: MaintenanceState, task: str | None = None, limit: int = 5
) -> list[Completion]:
    """Up to ``limit`` completions (of ``task``, or of all tasks), newest first."""
    if limit <= 0:
        return []
    matching: Iterable[Completion] = (
        completion
        for completion in reversed(state.history)
        if task is None or completion.task == task
    )
    result: list[Completion] = []
    for completion in matching:
        result.append(completion)
        if len(result) == limit:
            break
    return result
