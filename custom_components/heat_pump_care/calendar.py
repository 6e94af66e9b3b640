"""Calendar "Maintenance schedule": the coming due dates and the logbook.

All-day events on each task's due dates (repeating at its interval, from a
snoozed date when it was snoozed) and on the dates tasks were done, with the
note written then: the calendar is the unit's maintenance logbook.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from homeassistant.components.calendar import (
    CalendarEntity,
    CalendarEntityDescription,
    CalendarEvent,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .coordinator import HeatPumpCareCoordinator
from .entity import HeatPumpCareEntity, HeatPumpCareEntityDescription
from .helpers import TaskTexts, async_task_texts, task_name
from .maintenance import Completion
from .models import HeatPumpCareConfigEntry, MaintenanceStatus

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: HeatPumpCareConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the maintenance calendar."""
    async_add_entities([MaintenanceCalendar(entry.runtime_data)])


@dataclass(frozen=True, kw_only=True)
class MaintenanceCalendarDescription(
    CalendarEntityDescription, HeatPumpCareEntityDescription
):
    """Describes the maintenance calendar."""


class MaintenanceCalendar(HeatPumpCareEntity, CalendarEntity):
    """Due dates of every task, repeating at each task's interval."""

    entity_description: MaintenanceCalendarDescription

    def __init__(self, coordinator: HeatPumpCareCoordinator) -> None:
        """Create the calendar."""
        super().__init__(
            coordinator,
            MaintenanceCalendarDescription(
                key="maintenance_calendar", translation_key="maintenance"
            ),
        )
        self._texts: TaskTexts | None = None
        self._next: tuple[MaintenanceStatus, CalendarEvent | None] | None = None

    async def async_added_to_hass(self) -> None:
        """Load the task names in the user's language."""
        self._texts = await async_task_texts(self.hass)
        self._next = None
        await super().async_added_to_hass()

    def _value(self) -> object:
        # Every write makes Home Assistant re-arm the calendar's start and end
        # alarms: written only when the next due date changes.
        return self.event

    @property
    def event(self) -> CalendarEvent | None:
        """Return the current or next due date."""
        # Home Assistant reads this on every state write: work it out once
        # per snapshot.  Within one interval from today every task has exactly
        # one due date, so that window is all that is needed.
        data = self.coordinator.data
        if self._next is not None and self._next[0] is data.maintenance:
            return self._next[1]
        window = max((s.interval_days for s in data.tasks.values()), default=0)
        upcoming = [
            (day, self._name(task), task)
            for task, day in self.coordinator.maintenance.occurrences(
                data.tasks, data.today, data.today + timedelta(days=window)
            )
        ]
        event = None
        if upcoming:
            day, _, task = min(upcoming)
            event = self._event(task, day)
        self._next = (data.maintenance, event)
        return event

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Return the due dates and completions between two points in time."""
        start = dt_util.as_local(start_date).date()
        end = dt_util.as_local(end_date).date() + timedelta(days=1)
        return [
            event
            for event in self._events(start, end)
            if event.end_datetime_local > start_date
            and event.start_datetime_local < end_date
        ]

    def _name(self, task: str) -> str:
        return task_name(self._texts, self.coordinator.settings.user_task_names, task)

    def _event(self, task: str, day: date) -> CalendarEvent:
        return CalendarEvent(
            start=day,
            end=day + timedelta(days=1),
            summary=self._name(task),
            description=f"{self.coordinator.config_entry.title}",
            uid=f"{self.coordinator.config_entry.entry_id}_{task}_{day.isoformat()}",
        )

    def _done_event(self, done: Completion) -> CalendarEvent:
        entry = self.coordinator.config_entry
        summary = self._texts.done if self._texts else "{task} done"
        return CalendarEvent(
            start=done.done_on,
            end=done.done_on + timedelta(days=1),
            summary=summary.format(task=self._name(done.task)),
            description=done.note or entry.title,
            uid=f"{entry.entry_id}_{done.task}_done_{done.recorded_at.isoformat()}",
        )

    def _events(self, start: date, end: date) -> list[CalendarEvent]:
        maintenance = self.coordinator.maintenance
        events = [
            self._event(task, day)
            for task, day in maintenance.occurrences(
                self.coordinator.data.tasks, start, end
            )
        ]
        events.extend(map(self._done_event, maintenance.completions(start, end)))
        events.sort(key=lambda event: (event.start, event.summary))
        return events
