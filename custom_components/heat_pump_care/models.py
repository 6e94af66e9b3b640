"""What the platforms read: one immutable snapshot per heat pump.

Each capability publishes its own part (maintenance tasks and runtime, the
safe reset, the decoded error code); the coordinator puts them together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry

from .catalog import CodeEntry
from .health import HealthReport
from .reset import ResetState

if TYPE_CHECKING:
    from .coordinator import HeatPumpCareCoordinator

type HeatPumpCareConfigEntry = ConfigEntry[HeatPumpCareCoordinator]


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskStatus:
    """One maintenance task as the platforms show it."""

    key: str
    last_done: date
    interval_days: int
    due: date
    days_since: int
    overdue: bool
    completed_at: datetime | None = None
    """When the task was ticked off today (undoable until local midnight)."""
    snoozed_until: date | None = None
    """The date the owner moved the due date to (until the task is done)."""
    runtime_limit_hours: int = 0
    """The task's runtime limit in hours (0: by interval only)."""
    runtime_hours_left: float | None = None
    """Runtime left until the limit (0 once reached); None without a limit
    or without a thermostat to count it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class MaintenanceStatus:
    """The maintenance part of the snapshot."""

    today: date
    tasks: Mapping[str, TaskStatus]
    filter_runtime_hours: float | None
    runtime_average_daily_hours: float | None
    runtime_limit_hours: int
    """The filter's runtime limit (its runtime left is its task's status)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FaultStatus:
    """The unit's error code, decoded."""

    available: bool
    code: str | None = None
    raw: str | None = None
    sub_code: str | None = None
    entry: CodeEntry | None = None
    matches: tuple[CodeEntry, ...] = ()
    since: datetime | None = None
    last_code: str | None = None
    last_seen: datetime | None = None
    last_entry: CodeEntry | None = None
    suggestions: tuple[str, ...] = ()
    brand: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HeatPumpSnapshot:
    """Everything the entities show; a new one only when something changed."""

    maintenance: MaintenanceStatus
    reset: ResetState
    resets_last_24h: int
    fault: FaultStatus
    health: HealthReport | None = None

    @property
    def today(self) -> date:
        """Return the local date the snapshot was built on."""
        return self.maintenance.today

    @property
    def tasks(self) -> Mapping[str, TaskStatus]:
        """Return the enabled maintenance tasks."""
        return self.maintenance.tasks
