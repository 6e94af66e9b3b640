"""Calendar schedules of maintenance tasks: due dates and occurrences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .errors import FutureDateError


def validate_done_date(done: date, today: date) -> None:
    """Raise ``FutureDateError`` when ``done`` lies after the local ``today``."""
    if done > today:
        raise FutureDateError(
            f"completion date {done.isoformat()} is after today ({today.isoformat()})"
        )


@dataclass(slots=True, frozen=True)
class TaskSchedule:
    """A task done on local date ``last_done`` and repeated every ``interval_days``."""

    key: str
    last_done: date
    interval_days: int

    def __post_init__(self) -> None:
        """Reject intervals that are not a positive number of days."""
        if self.interval_days < 1:
            raise ValueError(f"interval must be at least one day: {self.interval_days}")

    @property
    def due(self) -> date:
        """Calendar due date: ``last_done`` plus the interval."""
        return self.last_done + timedelta(days=self.interval_days)

    def days_since(self, today: date) -> int:
        """Whole local days from ``last_done`` to ``today`` (negative if before)."""
        return (today - self.last_done).days

    def is_due(self, today: date) -> bool:
        """Whether the due date has been reached on ``today``."""
        return today >= self.due

    def occurrences(
        self, start: date, end: date, *, first_due: date | None = None
    ) -> list[date]:
        """Due dates in ``[start, end)`` if the task is done on every due date.

        The series is ``first_due + k * interval`` for ``k >= 0``; ``first_due``
        defaults to the calendar due date (pass an earlier, e.g. runtime-based,
        due date to start from it). An overdue task's first occurrence is its
        past due date when that lies inside the range.
        """
        first = self.due if first_due is None else first_due
        step = self.interval_days
        skip = 0 if first >= start else -(-(start - first).days // step)
        current = first + timedelta(days=skip * step)
        result: list[date] = []
        while current < end:
            result.append(current)
            current += timedelta(days=step)
        return result
