"""Runtime accounting for runtime-based filter wear.

The shell reports when the heat pump starts and stops actually running (an
active ``hvac_action``), checkpoints every few minutes while it runs and
suspends on shutdown. Running time is split over local calendar days (a day is
23 or 25 hours long on daylight-saving changes) so that the average daily
runtime, a back-filled filter change and the projection of the filter due date
all work in the user's local dates.

Nothing is counted while Home Assistant is stopped: ``RuntimeState.from_dict``
drops an interval that was in flight when the state was saved, so after a
crash at most the time since the last checkpoint is lost, never invented.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
import math
from typing import Any

from .clock import as_utc, local_date, next_local_midnight
from .errors import CorruptStateError, FutureDateError
from .tasks import TaskKey

DAILY_HISTORY_DAYS = 60
"""Number of local days (today included) kept in ``daily_seconds``."""

AVERAGE_WINDOW_DAYS = 14
"""Default number of complete days averaged for the projection."""

_SECONDS_PER_HOUR = 3600.0


@dataclass(slots=True)
class RuntimeState:
    """Accumulated running time of one heat pump.

    ``total_seconds`` counts since the last filter change; ``daily_seconds``
    holds the running seconds per local day (all running time, independent of
    filter changes) for the last ``DAILY_HISTORY_DAYS`` days;
    ``tracking_since`` is the local date observation began; ``running_since``
    is the aware UTC instant the current, not yet accrued, interval began.
    ``task_seconds`` counts, for each of the owner's tasks with a runtime
    limit, since that task was last done (the filter's count is
    ``total_seconds``).
    """

    total_seconds: float = 0.0
    daily_seconds: dict[date, float] = field(default_factory=dict)
    tracking_since: date | None = None
    running_since: datetime | None = None
    task_seconds: dict[str, float] = field(default_factory=dict)

    def counted(self, task: str) -> float:
        """Return the seconds counted since ``task`` was done (0 if not counted)."""
        if task == TaskKey.FILTER:
            return self.total_seconds
        return self.task_seconds.get(task, 0.0)

    def set_counted(self, task: str, seconds: float) -> None:
        """Set the seconds counted since ``task`` was done."""
        if task == TaskKey.FILTER:
            self.total_seconds = seconds
        else:
            self.task_seconds[task] = seconds

    def counts(self, task: str) -> bool:
        """Return whether running time is counted for ``task``."""
        return task == TaskKey.FILTER or task in self.task_seconds

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe representation (ISO dates, sorted days)."""
        return {
            "total_seconds": self.total_seconds,
            "daily_seconds": {
                day.isoformat(): seconds
                for day, seconds in sorted(self.daily_seconds.items())
            },
            "tracking_since": (
                None if self.tracking_since is None else self.tracking_since.isoformat()
            ),
            "running_since": (
                None if self.running_since is None else self.running_since.isoformat()
            ),
            "task_seconds": dict(self.task_seconds),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuntimeState:
        """Rebuild the state saved by ``to_dict``; raise ``CorruptStateError``.

        Absent keys take their defaults (an empty mapping is a new state);
        present but malformed values raise ``CorruptStateError``. A saved ``running_since`` is validated and then dropped: the interval
        in flight when Home Assistant stopped or crashed is not counted past
        the last checkpoint. The shell starts a new interval when it sees the
        heat pump running again.
        """
        if not isinstance(data, Mapping):
            raise CorruptStateError("runtime state is not a mapping")
        total = parse_seconds(data.get("total_seconds", 0.0), "total_seconds")
        raw_daily = data.get("daily_seconds", {})
        if not isinstance(raw_daily, Mapping):
            raise CorruptStateError("daily_seconds is not a mapping")
        daily = {
            parse_date(day, "daily_seconds"): parse_seconds(seconds, "daily_seconds")
            for day, seconds in raw_daily.items()
        }
        raw_since = data.get("tracking_since")
        tracking_since = (
            None if raw_since is None else parse_date(raw_since, "tracking_since")
        )
        raw_running = data.get("running_since")
        if raw_running is not None:
            parse_instant(raw_running, "running_since")
        raw_tasks = data.get("task_seconds", {})
        if not isinstance(raw_tasks, Mapping):
            raise CorruptStateError("task_seconds is not a mapping")
        return cls(
            total_seconds=total,
            daily_seconds=daily,
            tracking_since=tracking_since,
            task_seconds={
                _task_key(task): parse_seconds(seconds, "task_seconds")
                for task, seconds in raw_tasks.items()
            },
        )


def _task_key(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise CorruptStateError(f"task_seconds: task is not a key: {value!r}")
    return value


def parse_date(value: object, what: str) -> date:
    """Parse an ISO date string; raise ``CorruptStateError`` otherwise."""
    if not isinstance(value, str):
        raise CorruptStateError(f"{what}: date is not a string: {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise CorruptStateError(f"{what}: invalid date {value!r}") from err


def parse_instant(value: object, what: str) -> datetime:
    """Parse an aware ISO datetime string; raise ``CorruptStateError`` otherwise."""
    if not isinstance(value, str):
        raise CorruptStateError(f"{what}: datetime is not a string: {value!r}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as err:
        raise CorruptStateError(f"{what}: invalid datetime {value!r}") from err
    if parsed.tzinfo is None:
        raise CorruptStateError(f"{what}: datetime without time zone {value!r}")
    return parsed


def parse_seconds(value: object, what: str) -> float:
    """Parse a finite, non-negative number; raise ``CorruptStateError`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CorruptStateError(f"{what}: not a number: {value!r}")
    seconds = float(value)
    if not math.isfinite(seconds) or seconds < 0:
        raise CorruptStateError(f"{what}: invalid seconds {value!r}")
    return seconds


def _accrue(state: RuntimeState, until: datetime, tz: tzinfo) -> None:
    """Add the in-flight interval up to ``until`` (UTC) to the counters.

    The interval is split at local midnights; each piece goes to the local
    date on which it starts. ``running_since`` is left for the caller.
    """
    if state.running_since is None:
        return
    start = state.running_since
    while start < until:
        end = min(next_local_midnight(start, tz), until)
        seconds = (end - start).total_seconds()
        day = local_date(start, tz)
        state.daily_seconds[day] = state.daily_seconds.get(day, 0.0) + seconds
        state.total_seconds += seconds
        for task, counted in state.task_seconds.items():
            state.task_seconds[task] = counted + seconds
        start = end
    _prune(state, local_date(until, tz))


def _prune(state: RuntimeState, today: date) -> None:
    """Forget daily seconds older than ``DAILY_HISTORY_DAYS`` days."""
    oldest = today - timedelta(days=DAILY_HISTORY_DAYS - 1)
    for day in [day for day in state.daily_seconds if day < oldest]:
        del state.daily_seconds[day]


def runtime_set_running(
    state: RuntimeState, running: bool, now: datetime, tz: tzinfo
) -> None:
    """Record that the heat pump started (``running``) or stopped at ``now``.

    Starting while already running keeps the original start; stopping while
    stopped does nothing. The first call sets ``tracking_since`` to the local
    date of ``now`` (observation began), whatever ``running`` is.
    """
    moment = as_utc(now)
    if state.tracking_since is None:
        state.tracking_since = local_date(moment, tz)
    if running:
        if state.running_since is None:
            state.running_since = moment
        return
    _accrue(state, moment, tz)
    state.running_since = None


def runtime_checkpoint(state: RuntimeState, now: datetime, tz: tzinfo) -> None:
    """Accrue the running interval up to ``now`` and keep running from ``now``.

    The shell calls this every few minutes while the heat pump runs and then
    saves the state, bounding what a crash can lose. A clock that went back
    accrues nothing and keeps the interval start, so nothing is counted twice.
    """
    if state.running_since is None:
        return
    moment = as_utc(now)
    _accrue(state, moment, tz)
    state.running_since = max(state.running_since, moment)


def runtime_suspend(state: RuntimeState, now: datetime, tz: tzinfo) -> None:
    """Accrue up to ``now`` and stop counting (Home Assistant stops or unloads)."""
    _accrue(state, as_utc(now), tz)
    state.running_since = None


def runtime_reset(
    state: RuntimeState,
    since: date,
    now: datetime,
    tz: tzinfo,
    task: str = TaskKey.FILTER,
) -> None:
    """Restart the counter of ``task`` (the filter by default) done on ``since``.

    The in-flight interval is first accrued up to ``now`` (and continues from
    ``now`` if running). Then:

    * ``since`` is today: the count becomes 0 and counts from ``now`` on;
      running earlier today is not counted (the task was done just now).
    * ``since`` is an earlier date (back-filled): the count becomes the sum of
      the daily seconds of the local days ``since`` .. today inclusive, i.e.
      all running from the start of that day, as far as the
      ``DAILY_HISTORY_DAYS`` history reaches.

    A task that was not counted is counted from then on. Raises
    ``FutureDateError`` when ``since`` is after today.
    """
    moment = as_utc(now)
    today = local_date(moment, tz)
    if since > today:
        raise FutureDateError(
            f"filter change date {since.isoformat()} is in the future"
        )
    runtime_checkpoint(state, moment, tz)
    if state.tracking_since is None:
        state.tracking_since = today
    if since == today:
        state.set_counted(task, 0.0)
        return
    state.set_counted(
        task,
        sum(
            (
                seconds
                for day, seconds in state.daily_seconds.items()
                if since <= day <= today
            ),
            0.0,
        ),
    )


def runtime_hours(
    state: RuntimeState, now: datetime, task: str = TaskKey.FILTER
) -> float:
    """Hours run since ``task`` was done, the in-flight interval included."""
    seconds = state.counted(task)
    if state.running_since is not None:
        seconds += max(0.0, (as_utc(now) - state.running_since).total_seconds())
    return seconds / _SECONDS_PER_HOUR


def runtime_hours_left(limit_hours: float, used_hours: float | None) -> float | None:
    """Hours left until the runtime limit (0 once reached).

    ``None`` without a limit (``limit_hours`` 0) or when the runtime is not
    counted (``used_hours`` ``None``).
    """
    if limit_hours <= 0 or used_hours is None:
        return None
    return max(0.0, limit_hours - used_hours)


def average_daily_hours(
    state: RuntimeState, today: date, window_days: int = AVERAGE_WINDOW_DAYS
) -> float | None:
    """Average hours run per local day over the last complete days.

    The days averaged are the up to ``window_days`` local days before
    ``today`` that are on or after ``tracking_since`` (a day without running
    counts as 0 hours). Returns ``None`` before the first such day exists
    (nothing tracked yet, or tracking began today).
    """
    if state.tracking_since is None or window_days < 1:
        return None
    first = max(state.tracking_since, today - timedelta(days=window_days))
    days = (today - first).days
    if days < 1:
        return None
    seconds = sum(
        state.daily_seconds.get(first + timedelta(days=offset), 0.0)
        for offset in range(days)
    )
    return seconds / days / _SECONDS_PER_HOUR


def project_runtime_due(
    limit_hours: float,
    used_hours: float,
    avg_daily_hours: float | None,
    today: date,
) -> date | None:
    """Project the local date the runtime limit will be reached.

    ``today`` once ``used_hours`` reached the limit; ``None`` without a
    positive average; otherwise today plus the remaining hours divided by the
    average, rounded up to whole days; ``None`` as well when that date lies
    beyond the calendar (a vanishing average).
    """
    if used_hours >= limit_hours:
        return today
    if avg_daily_hours is None or avg_daily_hours <= 0:
        return None
    try:
        days = math.ceil((limit_hours - used_hours) / avg_daily_hours)
        return today + timedelta(days=days)
    except OverflowError:
        return None
