"""The maintenance capability in Home Assistant: the one adapter of ``maintenance/``.

It keeps one timer at the next local midnight (and, only while the heat pump
runs, a runtime checkpoint), fires the due event once per due date, keeps one
repair per overdue task and marks tasks done.  The schedules, the runtime
count and the history are the core's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from homeassistant.components.climate import ATTR_HVAC_ACTION, HVACAction
from homeassistant.const import EVENT_CORE_CONFIG_UPDATE
from homeassistant.core import CALLBACK_TYPE, Event, State, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util

from .capability import Capability, HeatPumpContext, InstantTimer, next_local_midnight
from .const import DOMAIN
from .helpers import sync_issue
from .maintenance import (
    NOTE_MAX_LENGTH,
    Completion,
    FutureDateError,
    MaintenanceState,
    NotFutureDateError,
    NothingToUndoError,
    TaskKey,
    TaskSchedule,
    UnknownTaskError,
    apply_seeds,
    average_daily_hours,
    check_snooze,
    collect_due_notifications,
    due_date,
    expire_undo,
    follow_tasks,
    mark_done,
    recent_completions,
    runtime_checkpoint,
    runtime_hours,
    runtime_hours_left,
    runtime_set_running,
    runtime_suspend,
    schedules,
    snooze,
    undo_completion,
    undoable_completion,
)
from .models import MaintenanceStatus, TaskStatus

RUNNING_ACTIONS = frozenset(
    {
        HVACAction.HEATING,
        HVACAction.COOLING,
        HVACAction.DRYING,
        HVACAction.FAN,
        HVACAction.DEFROSTING,
        HVACAction.PREHEATING,
    }
)
RUNTIME_CHECKPOINT = timedelta(minutes=5)
# Seeds come from the entry's options: if Home Assistant stops before this
# write, the next setup applies the same seeds again, so it can wait.
SEED_SAVE_DELAY = 10  # seconds
RECENT_COMPLETIONS = 5


def is_running(state: State | None) -> bool:
    """Return whether a thermostat state says the heat pump runs."""
    return state is not None and state.attributes.get(ATTR_HVAC_ACTION) in (
        RUNNING_ACTIONS
    )


class MaintenanceTracker(Capability):
    """Due dates, repairs, due events and filter runtime of one heat pump."""

    def __init__(
        self,
        context: HeatPumpContext,
    ) -> None:
        """Prepare; nothing is scheduled until ``async_start``."""
        super().__init__(context)
        self._config = context.settings.maintenance
        self.state = MaintenanceState.empty()
        self._midnight = InstantTimer(context.hass, self._async_midnight)
        self._checkpoint: CALLBACK_TYPE | None = None
        self._stopped = False
        self._done_listeners: list[Callable[[str], None]] = []
        self._midnight_listeners: list[Callable[[], None]] = []

    def load(self, data: dict[str, Any] | None) -> None:
        """Take the stored state (raises on data that is not ours)."""
        self.state = MaintenanceState.from_dict(data or {})

    def to_dict(self) -> dict[str, Any]:
        """Return the state to store."""
        return self.state.to_dict()

    async def async_start(self, climate: State | None) -> None:
        """Apply the configured dates, start the timers and catch up on the day."""
        now = dt_util.utcnow()
        seeded = apply_seeds(
            self.state, self._settings.task_dates, now=now, tz=self._tz
        )
        own = [task.key for task in self._settings.user_tasks]
        gone = follow_tasks(self.state, self._config, own, now, self._tz)
        for task in gone:  # a removed task's repair goes with it
            ir.async_delete_issue(self._hass, DOMAIN, self._issue_id(task))
        if seeded or gone:
            if self._storage.problem is None:
                self._storage.save_later(SEED_SAVE_DELAY)
            else:  # replace the data that could not be read at once
                await self._storage.async_save()
        self._entry.async_on_unload(
            self._hass.bus.async_listen(EVENT_CORE_CONFIG_UPDATE, self._on_core_config)
        )
        self._schedule_midnight()
        if self._settings.climate_entity:
            self._set_running(is_running(climate), now)
        await self._async_day_changed()

    @callback
    def async_stop(self) -> None:
        """End every timer and count runtime up to now (unload or stop)."""
        self._stopped = True
        self._midnight.stop()
        if self._checkpoint is not None:
            self._checkpoint()
            self._checkpoint = None
        runtime_suspend(self.state.runtime, dt_util.utcnow(), self._tz)

    def status(self, now: datetime) -> MaintenanceStatus:
        """Return the maintenance part of the snapshot."""
        today = dt_util.as_local(now).date()
        config = self._config
        tasks: dict[str, TaskStatus] = {}
        runtime = self.state.runtime
        counted = self._settings.climate_entity is not None
        for key, schedule in schedules(self.state, config).items():
            due = due_date(self.state, config, key, now, self._tz) or schedule.due
            ticked = undoable_completion(self.state, key, now, self._tz)
            limit = config.runtime_limit(key)
            used = (
                round(runtime_hours(runtime, now, key), 2)
                if counted and limit
                else None
            )
            tasks[key] = TaskStatus(
                key=key,
                last_done=schedule.last_done,
                interval_days=schedule.interval_days,
                due=due,
                days_since=schedule.days_since(today),
                overdue=today >= due,
                completed_at=ticked.recorded_at if ticked else None,
                snoozed_until=self.state.snoozed.get(key),
                runtime_limit_hours=limit,
                runtime_hours_left=_left(limit, used),
            )
        return MaintenanceStatus(
            today=today,
            tasks=tasks,
            filter_runtime_hours=round(runtime_hours(runtime, now), 2)
            if counted
            else None,
            runtime_average_daily_hours=average_daily_hours(runtime, today)
            if counted
            else None,
            runtime_limit_hours=config.runtime_limit_hours,
        )

    def recent(
        self, task: str | None, limit: int = RECENT_COMPLETIONS
    ) -> list[Completion]:
        """Return the task's (or, for ``None``, every task's) completions, newest first."""
        return recent_completions(self.state, task, limit)

    def completions(self, start: date, end: date) -> list[Completion]:
        """Return the completions done in [start, end), oldest first."""
        return [c for c in self.state.history if start <= c.done_on < end]

    def occurrences(
        self, tasks: Mapping[str, TaskStatus], start: date, end: date
    ) -> list[tuple[str, date]]:
        """Return each task's due dates in [start, end), repeating per interval."""
        found: list[tuple[str, date]] = []
        for key, status in tasks.items():
            schedule = TaskSchedule(
                key=key, last_done=status.last_done, interval_days=status.interval_days
            )
            found.extend(
                (key, day)
                for day in schedule.occurrences(start, end, first_due=status.due)
            )
        return found

    def on_midnight(self, listener: Callable[[], None]) -> None:
        """Call ``listener()`` at each local midnight (one timer for every capability)."""
        self._midnight_listeners.append(listener)

    def on_done(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(task)`` after each task marked done."""
        self._done_listeners.append(listener)

    async def async_mark_done(
        self, task: str, done_on: date | None, source: str, note: str | None = None
    ) -> None:
        """Mark a task done (today unless back-filled); nothing stored on error.

        ``note`` (at most ``NOTE_MAX_LENGTH`` characters) is kept with the
        completion in the history.
        """
        now = dt_util.utcnow()
        today = dt_util.as_local(now).date()
        if task not in self._config.intervals:
            raise _not_enabled(task)
        note = (note or "").strip() or None
        if note is not None and len(note) > NOTE_MAX_LENGTH:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="note_too_long",
                translation_placeholders={
                    "length": str(len(note)),
                    "max": str(NOTE_MAX_LENGTH),
                },
            )
        day = done_on or today
        try:
            mark_done(self.state, task, day, today, now, self._tz, source, note)
        except FutureDateError as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="date_in_future",
                translation_placeholders={"date": str(done_on)},
            ) from err
        await self._storage.async_save()
        for listener in self._done_listeners:
            listener(task)
        await self._async_day_changed()

    def check_snooze(self, task: str, until: date) -> None:
        """Raise the error a snooze of ``task`` to ``until`` would meet, if any."""
        try:
            check_snooze(self.state, self._config, task, until, dt_util.now().date())
        except UnknownTaskError as err:
            raise _not_enabled(task) from err
        except NotFutureDateError as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="snooze_not_future",
                translation_placeholders={"date": until.isoformat()},
            ) from err

    async def async_snooze(self, task: str, until: date) -> None:
        """Move the task's due date to ``until`` (after today); nothing stored on error."""
        self.check_snooze(task, until)
        snooze(self.state, self._config, task, until, dt_util.now().date())
        await self._storage.async_save()
        await self._async_day_changed()

    async def async_undo_done(self, task: str) -> None:
        """Take back the task's completion recorded today (a mis-tick)."""
        try:
            undo_completion(self.state, task, dt_util.utcnow(), self._tz)
        except NothingToUndoError as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="undo_too_late",
                translation_placeholders={"task": str(task)},
            ) from err
        await self._storage.async_save()
        await self._async_day_changed()

    @callback
    def on_climate(self, new_state: State | None) -> None:
        """Count runtime while the thermostat says the heat pump runs."""
        now = dt_util.utcnow()
        was_running = self.state.runtime.running_since is not None
        running = is_running(new_state)
        if running == was_running:
            return
        self._set_running(running, now)
        if was_running:
            self._entry.async_create_task(
                self._hass, self._storage.async_save(), f"{DOMAIN} save runtime"
            )
            self._counted()

    def _set_running(self, running: bool, now: datetime) -> None:
        runtime_set_running(self.state.runtime, running, now, self._tz)
        if running and self._checkpoint is None and not self._stopped:
            self._checkpoint = async_call_later(
                self._hass, RUNTIME_CHECKPOINT, self._async_checkpoint
            )
        elif not running and self._checkpoint is not None:
            self._checkpoint()
            self._checkpoint = None

    async def _async_checkpoint(self, _now: datetime) -> None:
        """While the heat pump runs: save runtime so a crash loses little."""
        self._checkpoint = None
        runtime_checkpoint(self.state.runtime, dt_util.utcnow(), self._tz)
        if not self._stopped:
            self._checkpoint = async_call_later(
                self._hass, RUNTIME_CHECKPOINT, self._async_checkpoint
            )
        await self._storage.async_save()
        self._counted()

    @callback
    def _counted(self) -> None:
        """Publish counted runtime; a runtime limit may have made a task due now.

        Then the due event and the repair come at once, not at midnight.
        """
        if self._config.runtime_limits:
            self._entry.async_create_task(
                self._hass, self._async_day_changed(), f"{DOMAIN} runtime due"
            )
        else:
            self._changed()

    def _schedule_midnight(self) -> None:
        self._midnight.set(next_local_midnight())

    async def _async_midnight(self, _now: datetime) -> None:
        self._schedule_midnight()
        if self.state.runtime.running_since is not None:
            runtime_checkpoint(self.state.runtime, dt_util.utcnow(), self._tz)
        for listener in self._midnight_listeners:
            listener()
        await self._async_day_changed()

    @callback
    def _on_core_config(self, _event: Event) -> None:
        """Reschedule midnight: the time zone may have changed."""
        self._schedule_midnight()
        self._entry.async_create_task(
            self._hass, self._async_day_changed(), f"{DOMAIN} day changed"
        )

    async def _async_day_changed(self) -> None:
        """Fire due events once per due date and sync the overdue repairs."""
        now = dt_util.utcnow()
        newly_due = collect_due_notifications(self.state, self._config, now, self._tz)
        names = self._settings.user_task_names
        for task, due in newly_due:
            self._events.fire_due(task, due, names.get(task))
        self._sync_issues(now)
        expired = expire_undo(self.state, now, self._tz)
        if newly_due or expired:
            await self._storage.async_save()
        self._changed()

    def _issue_id(self, task: str) -> str:
        return f"{task}_overdue_{self._entry.entry_id}"

    def _sync_issues(self, now: datetime) -> None:
        entry_id = self._entry.entry_id
        today = dt_util.as_local(now).date()
        names = self._settings.user_task_names
        for task in dict.fromkeys((*TaskKey, *self._config.intervals)):
            due = due_date(self.state, self._config, task, now, self._tz)
            sync_issue(
                self._hass,
                self._issue_id(task),
                due is not None and today >= due,
                is_fixable=True,
                severity=ir.IssueSeverity.WARNING,
                translation_key="user_task_overdue"
                if task in names
                else f"{task}_overdue",
                translation_placeholders={
                    "name": self._entry.title,
                    "due": due.isoformat() if due else "",
                }
                | ({"task": names[task]} if task in names else {}),
                data={"entry_id": entry_id, "kind": "task_overdue", "task": str(task)},
            )


def _not_enabled(task: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="task_not_enabled",
        translation_placeholders={"task": task},
    )


def _left(limit: int, used: float | None) -> float | None:
    """Round the runtime left until a task's limit (None when not counted)."""
    left = runtime_hours_left(limit, used)
    return None if left is None else round(left, 1)
