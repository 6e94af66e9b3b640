"""Taking a completion back: a mis-tick is not lost.

The last completion of a task can be undone on the local day it was recorded,
until the next local midnight in the user's time zone: the same window in
which the to-do list shows the task ticked off. Undoing restores exactly what
the completion replaced: the previous ``last_done`` (and so the previous due
date), the due-event record, a snooze the completion ended (a snooze set
after the completion stays), and for a task
counted by running time (the filter) its count (running time counted since
the tick is kept). The completion leaves the history. Only
the latest completion of a task is undoable, once; a new configured date
(``apply_seeds``) ends the chance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .clock import local_date
from .errors import NothingToUndoError
from .runtime import runtime_checkpoint

if TYPE_CHECKING:
    from datetime import datetime, tzinfo

    from .history import Completion
    from .state import MaintenanceState


def undoable_completion(
    state: MaintenanceState, task: str, now: datetime, tz: tzinfo
) -> Completion | None:
    """Return the completion of ``task`` that can still be undone at ``now``.

    That is the task's latest completion if it was recorded on the local date
    of ``now`` in ``tz``; ``None`` otherwise.
    """
    undo = state.undo.get(task)
    if undo is None or local_date(undo.completion.recorded_at, tz) != local_date(
        now, tz
    ):
        return None
    return undo.completion


def undo_completion(
    state: MaintenanceState, task: str, now: datetime, tz: tzinfo
) -> Completion:
    """Take back the latest completion of ``task``; return it.

    Raises ``NothingToUndoError`` (and changes nothing) when no completion of
    the task is undoable at ``now`` (see ``undoable_completion``).
    """
    completion = undoable_completion(state, task, now, tz)
    if completion is None:
        raise NothingToUndoError(f"no completion of {task} recorded today to undo")
    undo = state.undo.pop(task)
    # The last equal entry: ``record`` inserts after equal sort keys.
    for index in range(len(state.history) - 1, -1, -1):
        if state.history[index] == completion:
            del state.history[index]
            break
    if undo.previous_done is None:
        state.last_done.pop(task, None)
    else:
        state.last_done[task] = undo.previous_done
    if undo.previous_notified is None:
        state.notified_due.pop(task, None)
    else:
        state.notified_due[task] = undo.previous_notified
    # A snooze the completion ended comes back; one set after it stays.
    if undo.previous_snooze is not None and task not in state.snoozed:
        state.snoozed[task] = undo.previous_snooze
    runtime = state.runtime
    if (
        undo.runtime_before is not None
        and undo.runtime_after is not None
        and runtime.counts(task)
    ):
        runtime_checkpoint(runtime, now, tz)
        since_tick = max(0.0, runtime.counted(task) - undo.runtime_after)
        runtime.set_counted(task, undo.runtime_before + since_tick)
    return completion


def expire_undo(state: MaintenanceState, now: datetime, tz: tzinfo) -> bool:
    """Forget what can no longer be undone (recorded before today); return if any."""
    stale = [
        task for task in state.undo if undoable_completion(state, task, now, tz) is None
    ]
    for task in stale:
        del state.undo[task]
    return bool(stale)
