"""Moving a due date, and the tasks the owner adds and removes.

``snooze`` moves one task's due date to a later local date (away on holiday,
the part is on order); every surface reads the moved date through
``due_date``. Marking the task done ends the snooze (``mark_done``), and so
does a new configured date (``apply_seeds``).

``follow_tasks`` keeps the state in step with the tasks the owner has: what
belonged to a removed task goes, and a task given a runtime limit starts being
counted from its last completion.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from .clock import local_date
from .errors import NotFutureDateError, UnknownTaskError
from .runtime import runtime_reset
from .tasks import TaskKey

if TYPE_CHECKING:
    from datetime import date, datetime, tzinfo

    from .config import MaintenanceConfig
    from .state import MaintenanceState


def check_snooze(
    state: MaintenanceState,
    config: MaintenanceConfig,
    task: str,
    until: date,
    today: date,
) -> None:
    """Raise what a snooze of ``task`` to ``until`` would meet, if anything.

    ``UnknownTaskError`` when the task is not enabled (or was never seeded),
    ``NotFutureDateError`` when ``until`` is not after ``today``.
    """
    if task not in config or task not in state.last_done:
        raise UnknownTaskError(f"task {task!r} is not enabled")
    if until <= today:
        raise NotFutureDateError(
            f"snooze date {until.isoformat()} is not after today ({today})"
        )


def snooze(
    state: MaintenanceState,
    config: MaintenanceConfig,
    task: str,
    until: date,
    today: date,
) -> None:
    """Make ``task`` due on the local date ``until``.

    Refused as by ``check_snooze`` (nothing changes then). The due event
    fires again when the new date comes.
    """
    check_snooze(state, config, task, until, today)
    state.snoozed[task] = until
    state.notified_due.pop(task, None)


def follow_tasks(
    state: MaintenanceState,
    config: MaintenanceConfig,
    known: Collection[str],
    now: datetime,
    tz: tzinfo,
) -> list[str]:
    """Bring the state in step with the owner's tasks; return the tasks forgotten.

    Everything about a task not in ``known`` (the built-in tasks are always
    known) is dropped: its dates, snooze, history, undo and runtime count.
    A task with a runtime limit that is not counted yet is counted from its
    last completion on; one without a limit any more stops being counted.
    """
    keep = {*TaskKey, *known}
    gone = sorted(
        {
            *state.last_done,
            *state.seeds,
            *state.snoozed,
            *state.notified_due,
            *state.undo,
            *(completion.task for completion in state.history),
            *state.runtime.task_seconds,
        }
        - keep
    )
    for task in gone:
        for dates in (state.last_done, state.seeds, state.snoozed, state.notified_due):
            dates.pop(task, None)
        state.undo.pop(task, None)
        state.runtime.task_seconds.pop(task, None)
    if gone:
        state.history = [c for c in state.history if c.task not in gone]
    runtime = state.runtime
    for task in list(runtime.task_seconds):
        if config.runtime_limit(task) <= 0:  # no limit any more
            del runtime.task_seconds[task]
    today = local_date(now, tz)
    for task in config.runtime_limits:
        if not runtime.counts(task) and task in state.last_done:
            since = min(state.last_done[task], today)
            runtime_reset(runtime, since, now, tz, task)
    return gone
