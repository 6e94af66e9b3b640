"""The maintenance tasks a heat pump knows and their interval limits.

A task is named by a stable string key. The built-in tasks are the
``TaskKey`` members (a ``StrEnum``, so a member equals its string); the
owner's own tasks have keys chosen when they are added (see the options
flow) and the limits of ``USER_TASK_INTERVAL_DAYS``. Adding a built-in task
means adding a ``TaskKey`` member and a ``TaskSpec`` here; the schedule,
runtime and state code need no change.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping


class TaskKey(StrEnum):
    """Keys of the built-in tasks (the ``task`` field of the services)."""

    FILTER = "filter"
    SERVICE = "service"
    CONDENSATE_DRAIN = "condensate_drain"
    OUTDOOR_UNIT = "outdoor_unit"


@dataclass(slots=True, frozen=True)
class TaskSpec:
    """Static description of one maintenance task.

    ``optional`` tasks are off until the user gives them an interval; the
    others are always scheduled.
    """

    key: TaskKey
    optional: bool
    default_interval_days: int
    min_interval_days: int
    max_interval_days: int

    def __post_init__(self) -> None:
        """Check that the default lies within the limits."""
        if not (
            1
            <= self.min_interval_days
            <= self.default_interval_days
            <= self.max_interval_days
        ):
            raise ValueError(f"inconsistent interval limits for {self.key}")

    def clamp(self, days: int) -> int:
        """Return ``days`` limited to this task's allowed interval range."""
        return max(self.min_interval_days, min(self.max_interval_days, days))

    def allows(self, days: int) -> bool:
        """Return whether ``days`` is an allowed interval for this task."""
        return self.min_interval_days <= days <= self.max_interval_days


TASK_SPECS: Mapping[TaskKey, TaskSpec] = MappingProxyType(
    {
        spec.key: spec
        for spec in (
            TaskSpec(TaskKey.FILTER, False, 90, 7, 365),
            TaskSpec(TaskKey.SERVICE, False, 365, 30, 1095),
            TaskSpec(TaskKey.CONDENSATE_DRAIN, True, 180, 30, 730),
            TaskSpec(TaskKey.OUTDOOR_UNIT, True, 180, 30, 730),
        )
    }
)
"""All tasks, in display order."""

REQUIRED_TASKS: tuple[TaskKey, ...] = tuple(
    key for key, spec in TASK_SPECS.items() if not spec.optional
)
"""Tasks that are always scheduled."""

USER_TASK_INTERVAL_DAYS = (1, 1825)
"""Interval limits (days) of the owner's own tasks: a day to five years."""

RUNTIME_LIMIT_HOURS = (0, 10000)
"""Runtime limits (hours) of a task counted by running time; 0 is off."""

NOTE_MAX_LENGTH = 500
"""Longest note kept with a completion (characters)."""
