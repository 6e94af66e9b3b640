"""The owner's maintenance settings for one heat pump, as the core reads them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .tasks import REQUIRED_TASKS, TASK_SPECS, TaskKey


@dataclass(slots=True, frozen=True)
class MaintenanceConfig:
    """The enabled tasks, their intervals and their runtime limits.

    ``intervals`` holds the enabled tasks only (filter and service always),
    the built-in tasks in their display order first, then the owner's own in
    the order given. ``runtime_limit_hours`` is the filter's runtime limit
    and ``task_runtime_limits`` those of the owner's tasks: the hours of
    running after which the task is due; 0 (or absent) means by interval
    only.
    """

    intervals: Mapping[str, int]
    runtime_limit_hours: int = 0
    task_runtime_limits: Mapping[str, int] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def __post_init__(self) -> None:
        """Validate the settings and order the intervals for display."""
        missing = [task for task in REQUIRED_TASKS if task not in self.intervals]
        if missing:
            raise ValueError(f"interval missing for {', '.join(missing)}")
        for task, days in self.intervals.items():
            if not task:
                raise ValueError("a task needs a key")
            if days < 1:
                raise ValueError(f"interval of {task} must be at least one day")
        for task, hours in (
            *self.task_runtime_limits.items(),
            ("filter", self.runtime_limit_hours),
        ):
            if hours < 0:
                raise ValueError(f"runtime limit of {task} must not be negative")
        ordered: dict[str, int] = {
            task: self.intervals[task] for task in TASK_SPECS if task in self
        }
        ordered.update(self.intervals)
        object.__setattr__(self, "intervals", ordered)
        limits = {
            task: hours for task, hours in self.task_runtime_limits.items() if hours
        }
        object.__setattr__(self, "task_runtime_limits", limits)

    def __contains__(self, task: object) -> bool:
        """Return whether ``task`` is enabled."""
        return task in self.intervals

    @property
    def enabled_tasks(self) -> tuple[str, ...]:
        """The enabled tasks in display order."""
        return tuple(self.intervals)

    @property
    def runtime_limits(self) -> dict[str, int]:
        """Every positive runtime limit by task, the filter's included."""
        limits = dict(self.task_runtime_limits)
        if self.runtime_limit_hours:
            limits[TaskKey.FILTER] = self.runtime_limit_hours
        return limits

    def runtime_limit(self, task: str) -> int:
        """Return ``task``'s runtime limit in hours (0: none)."""
        if task == TaskKey.FILTER:
            return self.runtime_limit_hours
        return self.task_runtime_limits.get(task, 0)
