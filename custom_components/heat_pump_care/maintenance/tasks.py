"""The maintenance tasks a heat pump knows and their interval limits.

Adding a task means adding a ``TaskKey`` member and a ``TaskSpec`` here; the
schedule, runtime and state code iterate over ``TASK_SPECS`` and need no change.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping


class TaskKey(StrEnum):
    """Keys of the maintenance tasks (the ``task`` field of the services)."""

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
