"""Options steps of the owner's own tasks: add, edit and remove.

A task is a name, an interval in days, optionally a runtime limit in hours
(the filter's runtime logic) and the date it was last done. Its key is made
from the name when it is added and never changes after: the services, the
to-do item, the entities and the stored history all use it. Removing a task
removes its entities (``removal.async_remove_stale_task_entities``), its
repair, snooze and history (``maintenance.follow_tasks``) on the reload that
follows.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import date
from typing import Any

import probatio as vol

from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.helpers.selector import (
    DateSelector,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
from homeassistant.util import dt as dt_util, slugify

from .const import (
    CONF_TASK_INTERVAL_DAYS,
    CONF_TASK_LAST_DONE,
    CONF_TASK_NAME,
    CONF_TASK_RUNTIME_HOURS,
    CONF_USER_TASKS,
)
from .flow_schemas import number_selector
from .helpers import async_task_texts
from .maintenance import RUNTIME_LIMIT_HOURS, USER_TASK_INTERVAL_DAYS, TaskKey
from .options import UserTask, user_tasks

CONF_TASK = "task"
CONF_TASKS = "tasks"
DEFAULT_INTERVAL_DAYS = 90


def task_schema() -> vol.Schema:
    """Return the form of one own task."""
    return vol.Schema(
        {
            vol.Required(CONF_TASK_NAME): TextSelector(),
            vol.Required(CONF_TASK_INTERVAL_DAYS): number_selector(
                *USER_TASK_INTERVAL_DAYS, "d"
            ),
            vol.Optional(CONF_TASK_RUNTIME_HOURS): number_selector(
                *RUNTIME_LIMIT_HOURS, "h"
            ),
            vol.Optional(CONF_TASK_LAST_DONE): DateSelector(),
        }
    )


def _choice(tasks: list[UserTask], *, multiple: bool) -> SelectSelector:
    return SelectSelector(
        SelectSelectorConfig(
            options=[
                SelectOptionDict(value=task.key, label=f"{task.name} ({task.key})")
                for task in tasks
            ],
            mode=SelectSelectorMode.LIST,
            multiple=multiple,
        )
    )


def new_key(name: str, taken: set[str]) -> str:
    """Return a key for a task called ``name``: its slug, made unique."""
    # Home Assistant's slugify makes "unknown" of a name without letters.
    base = slugify(name) if any(c.isalnum() for c in name) else "task"
    key, number = base, 1
    while key in taken or key in TaskKey.__members__.values():
        number += 1
        key = f"{base}_{number}"
    return key


def task_errors(
    user_input: Mapping[str, Any], other_names: set[str], today: date
) -> dict[str, str]:
    """Return the form errors of one own task's input."""
    errors: dict[str, str] = {}
    name = str(user_input.get(CONF_TASK_NAME, "")).strip()
    if not name:
        errors[CONF_TASK_NAME] = "name_empty"
    elif name.casefold() in other_names:
        errors[CONF_TASK_NAME] = "task_name_exists"
    last_done = user_input.get(CONF_TASK_LAST_DONE)
    if last_done and date.fromisoformat(last_done) > today:
        errors[CONF_TASK_LAST_DONE] = "date_in_future"
    for key in (CONF_TASK_INTERVAL_DAYS, CONF_TASK_RUNTIME_HOURS):
        if (value := user_input.get(key)) is not None and value != int(value):
            errors[key] = "out_of_range"
    return errors


class UserTaskSteps(OptionsFlow):
    """The options flow's "Your own tasks" menu and its steps."""

    _editing: str | None = None

    def _save(self, options: dict[str, Any]) -> ConfigFlowResult:
        raise NotImplementedError

    def _tasks(self) -> list[UserTask]:
        return user_tasks(self.config_entry.options)

    async def async_step_tasks(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Offer to add a task, and to edit or remove one when there are any."""
        tasks = self._tasks()
        return self.async_show_menu(
            step_id="tasks",
            menu_options=["add_task", "edit_task", "remove_task"]
            if tasks
            else ["add_task"],
            description_placeholders={
                "tasks": ", ".join(f"{task.name} ({task.key})" for task in tasks) or "-"
            },
        )

    async def async_step_add_task(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add a task of the owner's own."""
        return await self._async_task_form("add_task", None, user_input)

    async def async_step_edit_task(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the task to edit."""

        async def _edit(_tasks: list[UserTask], key: str) -> ConfigFlowResult:
            self._editing = key
            return await self.async_step_edit_task_details()

        return await self._async_pick("edit_task", CONF_TASK, user_input, _edit)

    async def async_step_edit_task_details(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the picked task's name, interval, runtime limit or date."""
        return await self._async_task_form(
            "edit_task_details", self._editing, user_input
        )

    async def async_step_remove_task(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Remove tasks with their entities, repairs, snoozes and history."""

        async def _remove(tasks: list[UserTask], keys: list[str]) -> ConfigFlowResult:
            return self._store([task for task in tasks if task.key not in keys])

        return await self._async_pick("remove_task", CONF_TASKS, user_input, _remove)

    async def _async_pick[T](
        self,
        step_id: str,
        field: str,
        user_input: dict[str, Any] | None,
        chosen: Callable[[list[UserTask], T], Awaitable[ConfigFlowResult]],
    ) -> ConfigFlowResult:
        """Ask for one task (``task``) or several (``tasks``), then act on them."""
        tasks = self._tasks()
        if not tasks:
            return self.async_abort(reason="no_tasks")
        if user_input is not None:
            return await chosen(tasks, user_input[field])
        return self.async_show_form(
            step_id=step_id,
            data_schema=vol.Schema(
                {vol.Required(field): _choice(tasks, multiple=field == CONF_TASKS)}
            ),
        )

    async def _async_task_form(
        self, step_id: str, key: str | None, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        tasks = self._tasks()
        today = dt_util.now().date()
        current = next((task for task in tasks if task.key == key), None)
        if key is not None and current is None:  # removed in another window
            return self.async_abort(reason="task_removed")
        errors: dict[str, str] = {}
        if user_input is not None:
            texts = await async_task_texts(self.hass)
            other_names = {
                name.casefold()
                for name in (
                    *texts.names.values(),
                    *(task.name for task in tasks if task.key != key),
                )
            }
            errors = task_errors(user_input, other_names, today)
            if not errors:
                task = self._task(user_input, current, {t.key for t in tasks}, today)
                others = [t if t.key != task.key else task for t in tasks]
                return self._store(others if current else [*tasks, task])
        suggested: Mapping[str, Any] = user_input or (
            current.as_option()
            if current
            else {
                CONF_TASK_INTERVAL_DAYS: DEFAULT_INTERVAL_DAYS,
                CONF_TASK_RUNTIME_HOURS: 0,
                CONF_TASK_LAST_DONE: today.isoformat(),
            }
        )
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(task_schema(), suggested),
            errors=errors,
            description_placeholders={
                "task": current.name if current else "",
                "key": current.key if current else "",
            },
        )

    @staticmethod
    def _task(
        user_input: Mapping[str, Any],
        current: UserTask | None,
        taken: set[str],
        today: date,
    ) -> UserTask:
        name = str(user_input[CONF_TASK_NAME]).strip()
        last_done = user_input.get(CONF_TASK_LAST_DONE)
        return UserTask(
            key=current.key if current else new_key(name, taken),
            name=name,
            interval_days=int(user_input[CONF_TASK_INTERVAL_DAYS]),
            runtime_hours=int(user_input.get(CONF_TASK_RUNTIME_HOURS) or 0),
            # Stored, so a task without a date does not move on each reload;
            # an edit that clears the date keeps the one it had.
            last_done=date.fromisoformat(last_done)
            if last_done
            else (current.last_done if current else None) or today,
        )

    def _store(self, tasks: list[UserTask]) -> ConfigFlowResult:
        options = dict(self.config_entry.options)
        options[CONF_USER_TASKS] = [task.as_option() for task in tasks]
        return self._save(options)
