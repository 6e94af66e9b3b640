"""Pure maintenance core of Heat Pump Care (no Home Assistant import).

Tasks (built-in and the owner's own) and their intervals, due dates in local
dates, runtime-based wear, completion history with notes (and undo of a
same-day completion), snoozes and exactly-once due notifications. The Home
Assistant shell owns persistence, timers and entities and calls in here.
"""

from __future__ import annotations

from .clock import as_utc, local_date, next_local_midnight
from .config import MaintenanceConfig
from .errors import (
    CorruptStateError,
    FutureDateError,
    NotFutureDateError,
    NothingToUndoError,
    UnknownTaskError,
)
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
from .snooze import check_snooze, follow_tasks, snooze
from .state import (
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
from .tasks import (
    NOTE_MAX_LENGTH,
    REQUIRED_TASKS,
    RUNTIME_LIMIT_HOURS,
    TASK_SPECS,
    USER_TASK_INTERVAL_DAYS,
    TaskKey,
    TaskSpec,
)
from .undo import expire_undo, undo_completion, undoable_completion

__all__ = [
    "AVERAGE_WINDOW_DAYS",
    "DAILY_HISTORY_DAYS",
    "HISTORY_LIMIT",
    "NOTE_MAX_LENGTH",
    "REQUIRED_TASKS",
    "RUNTIME_LIMIT_HOURS",
    "TASK_SPECS",
    "USER_TASK_INTERVAL_DAYS",
    "Completion",
    "CorruptStateError",
    "FutureDateError",
    "MaintenanceConfig",
    "MaintenanceState",
    "NotFutureDateError",
    "NothingToUndoError",
    "RuntimeState",
    "TaskKey",
    "TaskSchedule",
    "TaskSpec",
    "UndoRecord",
    "UnknownTaskError",
    "apply_seeds",
    "as_utc",
    "average_daily_hours",
    "check_snooze",
    "collect_due_notifications",
    "due_date",
    "due_dates",
    "expire_undo",
    "filter_due",
    "follow_tasks",
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
    "snooze",
    "undo_completion",
    "undoable_completion",
    "validate_done_date",
]
