"""Pure maintenance core of Heat Pump Care (no Home Assistant import).

Tasks and their intervals, due dates in local dates, runtime-based filter
wear, completion history (with undo of a same-day completion) and
exactly-once due notifications. The Home
Assistant shell owns persistence, timers and entities and calls in here.
"""

from __future__ import annotations

from .clock import as_utc, local_date, next_local_midnight
from .errors import CorruptStateError, FutureDateError, NothingToUndoError
from .history import HISTORY_LIMIT, Completion, UndoRecord
from .runtime import (
    AVERAGE_WINDOW_DAYS,
    DAILY_HISTORY_DAYS,
    RuntimeState,
    average_daily_hours,
    project_runtime_due,
    runtime_checkpoint,
    runtime_hours,
    runtime_hours_left,
    runtime_reset,
    runtime_set_running,
    runtime_suspend,
)
from .schedule import TaskSchedule, validate_done_date
from .state import (
    MaintenanceConfig,
    MaintenanceState,
    apply_seeds,
    collect_due_notifications,
    due_date,
    due_dates,
    filter_due,
    is_task_due,
    mark_done,
    recent_completions,
    schedules,
)
from .tasks import REQUIRED_TASKS, TASK_SPECS, TaskKey, TaskSpec
from .undo import expire_undo, undo_completion, undoable_completion

__all__ = [
    "AVERAGE_WINDOW_DAYS",
    "DAILY_HISTORY_DAYS",
    "HISTORY_LIMIT",
    "REQUIRED_TASKS",
    "TASK_SPECS",
    "Completion",
    "CorruptStateError",
    "FutureDateError",
    "MaintenanceConfig",
    "MaintenanceState",
    "NothingToUndoError",
    "RuntimeState",
    "TaskKey",
    "TaskSchedule",
    "TaskSpec",
    "UndoRecord",
    "apply_seeds",
    "as_utc",
    "average_daily_hours",
    "collect_due_notifications",
    "due_date",
    "due_dates",
    "expire_undo",
    "filter_due",
    "is_task_due",
    "local_date",
    "mark_done",
    "next_local_midnight",
    "project_runtime_due",
    "recent_completions",
    "runtime_checkpoint",
    "runtime_hours",
    "runtime_hours_left",
    "runtime_reset",
    "runtime_set_running",
    "runtime_suspend",
    "schedules",
    "undo_completion",
    "undoable_completion",
    "validate_done_date",
]
