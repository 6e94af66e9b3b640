"""The entry's settings: option keys, ranges, defaults and a typed view."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from .const import (
    BRAND_OTHER,
    CONF_BRAND,
    CONF_CLIMATE_ENTITY,
    CONF_CUSTOM_CODES,
    CONF_ERROR_CODE_ENTITY,
    CONF_FAMILY,
    CONF_FAULT_WATCH_MINUTES,
    CONF_FILTER_INTERVAL_DAYS,
    CONF_FILTER_LAST_CHANGED,
    CONF_FILTER_RUNTIME_HOURS,
    CONF_MAX_RESETS_PER_DAY,
    CONF_MODEL,
    CONF_NAME,
    CONF_OUTDOOR_TEMPERATURE_ENTITY,
    CONF_POWER_SWITCH,
    CONF_RESET_OFF_MINUTES,
    CONF_SERVICE_INTERVAL_DAYS,
    CONF_SERVICE_LAST_DONE,
    CONF_TASK_INTERVAL_DAYS,
    CONF_TASK_LAST_DONE,
    CONF_TASK_NAME,
    CONF_TASK_RUNTIME_HOURS,
    CONF_USER_TASKS,
    DEFAULT_FAULT_WATCH_MINUTES,
    DEFAULT_FILTER_RUNTIME_HOURS,
    DEFAULT_MAX_RESETS_PER_DAY,
    DEFAULT_RESET_OFF_MINUTES,
)
from .health import HealthSettings
from .maintenance import TASK_SPECS, MaintenanceConfig, TaskKey

ENTITY_DOMAINS: Mapping[str, tuple[str, ...]] = {
    CONF_CLIMATE_ENTITY: ("climate",),
    CONF_POWER_SWITCH: ("switch", "input_boolean"),
    CONF_ERROR_CODE_ENTITY: ("sensor", "input_text", "text"),
    CONF_OUTDOOR_TEMPERATURE_ENTITY: ("sensor", "weather"),
}

# Per task: (option key of the last-done date, option key of the interval).
# The filter and service keys are the CONTRACT's; optional tasks follow the
# same pattern, so a new task needs one line here and one TaskSpec.
TASK_DATE_KEYS: Mapping[TaskKey, tuple[str, str]] = {
    TaskKey.FILTER: (CONF_FILTER_LAST_CHANGED, CONF_FILTER_INTERVAL_DAYS),
    TaskKey.SERVICE: (CONF_SERVICE_LAST_DONE, CONF_SERVICE_INTERVAL_DAYS),
    **{
        key: (f"{key}_last_done", f"{key}_interval_days")
        for key, spec in TASK_SPECS.items()
        if spec.optional
    },
}

MAINTENANCE_INT_RANGES: Mapping[str, tuple[int, int]] = {
    **{
        TASK_DATE_KEYS[key][1]: (spec.min_interval_days, spec.max_interval_days)
        for key, spec in TASK_SPECS.items()
    },
    CONF_FILTER_RUNTIME_HOURS: (0, 10000),
}

# key: (min, max, unit)
RESET_INT_RANGES: Mapping[str, tuple[int, int, str | None]] = {
    CONF_RESET_OFF_MINUTES: (1, 180, "min"),
    CONF_MAX_RESETS_PER_DAY: (1, 10, None),
    CONF_FAULT_WATCH_MINUTES: (0, 240, "min"),
}


def default_options(today: date) -> dict[str, Any]:
    """Return the defaults of every setting that has one."""
    options: dict[str, Any] = {
        CONF_RESET_OFF_MINUTES: DEFAULT_RESET_OFF_MINUTES,
        CONF_MAX_RESETS_PER_DAY: DEFAULT_MAX_RESETS_PER_DAY,
        CONF_FAULT_WATCH_MINUTES: DEFAULT_FAULT_WATCH_MINUTES,
        CONF_FILTER_RUNTIME_HOURS: DEFAULT_FILTER_RUNTIME_HOURS,
    }
    for key, spec in TASK_SPECS.items():
        date_key, interval_key = TASK_DATE_KEYS[key]
        if spec.optional:
            options[interval_key] = 0
        else:
            options[date_key] = today.isoformat()
            options[interval_key] = spec.default_interval_days
    return options


@dataclass(frozen=True, slots=True, kw_only=True)
class UserTask:
    """One of the owner's own tasks, as stored in the options.

    ``key`` is chosen once, when the task is added, and never changes (the
    ``task`` of the services, the to-do item's uid, the entities' unique IDs);
    the name can be edited.
    """

    key: str
    name: str
    interval_days: int
    runtime_hours: int = 0
    last_done: date | None = None

    @classmethod
    def from_option(cls, raw: Mapping[str, Any]) -> UserTask:
        """Read one task of the ``user_tasks`` option."""
        last_done = raw.get(CONF_TASK_LAST_DONE)
        return cls(
            key=str(raw["key"]),
            name=str(raw[CONF_TASK_NAME]),
            interval_days=int(raw[CONF_TASK_INTERVAL_DAYS]),
            runtime_hours=int(raw.get(CONF_TASK_RUNTIME_HOURS) or 0),
            last_done=date.fromisoformat(last_done) if last_done else None,
        )

    def as_option(self) -> dict[str, Any]:
        """Return the task as it is stored in the options."""
        option: dict[str, Any] = {
            "key": self.key,
            CONF_TASK_NAME: self.name,
            CONF_TASK_INTERVAL_DAYS: self.interval_days,
            CONF_TASK_RUNTIME_HOURS: self.runtime_hours,
        }
        if self.last_done is not None:
            option[CONF_TASK_LAST_DONE] = self.last_done.isoformat()
        return option


def user_tasks(options: Mapping[str, Any]) -> list[UserTask]:
    """Return the owner's own tasks of an entry's options, in their order."""
    return [UserTask.from_option(raw) for raw in options.get(CONF_USER_TASKS, [])]


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """A typed, validated view of an entry's options."""

    name: str
    brand: str
    family: str | None
    model: str | None
    climate_entity: str | None
    power_switch: str | None
    error_code_entity: str | None
    task_dates: Mapping[str, date]
    maintenance: MaintenanceConfig
    user_tasks: tuple[UserTask, ...] = ()
    user_task_names: Mapping[str, str] = field(default_factory=dict)
    """The names of the owner's own tasks by key."""
    reset_off_minutes: int
    max_resets_per_day: int
    fault_watch_minutes: int
    custom_codes: str
    outdoor_temperature_entity: str | None = None
    health: HealthSettings = field(default_factory=HealthSettings)

    @classmethod
    def from_options(cls, options: Mapping[str, Any], today: date) -> Settings:
        """Build the settings, falling back to defaults for missing keys."""
        merged = {**default_options(today), **options}
        intervals: dict[str, int] = {}
        dates: dict[str, date] = {}
        for key, spec in TASK_SPECS.items():
            date_key, interval_key = TASK_DATE_KEYS[key]
            interval = int(merged.get(interval_key) or 0)
            if spec.optional and interval == 0:
                continue
            intervals[key] = interval
            dates[key] = _as_date(merged.get(date_key), today)
        own = tuple(user_tasks(merged))
        for task in own:
            intervals[task.key] = task.interval_days
            dates[task.key] = task.last_done or today
        return cls(
            name=str(merged.get(CONF_NAME, "")),
            brand=str(merged.get(CONF_BRAND, BRAND_OTHER)),
            family=merged.get(CONF_FAMILY),
            model=merged.get(CONF_MODEL),
            climate_entity=merged.get(CONF_CLIMATE_ENTITY),
            power_switch=merged.get(CONF_POWER_SWITCH),
            error_code_entity=merged.get(CONF_ERROR_CODE_ENTITY),
            task_dates=dates,
            maintenance=MaintenanceConfig(
                intervals=intervals,
                runtime_limit_hours=int(merged[CONF_FILTER_RUNTIME_HOURS]),
                task_runtime_limits={t.key: t.runtime_hours for t in own},
            ),
            user_tasks=own,
            user_task_names={task.key: task.name for task in own},
            reset_off_minutes=int(merged[CONF_RESET_OFF_MINUTES]),
            max_resets_per_day=int(merged[CONF_MAX_RESETS_PER_DAY]),
            fault_watch_minutes=int(merged[CONF_FAULT_WATCH_MINUTES]),
            custom_codes=str(merged.get(CONF_CUSTOM_CODES, "")),
            outdoor_temperature_entity=merged.get(CONF_OUTDOOR_TEMPERATURE_ENTITY),
            health=health_settings(merged),
        )


def health_settings(options: Mapping[str, Any]) -> HealthSettings:
    """Return the health thresholds of the options (defaults where unset)."""
    values: dict[str, Any] = {}
    for item in fields(HealthSettings):
        if item.name in options and options[item.name] is not None:
            kind = type(getattr(HealthSettings(), item.name))
            values[item.name] = kind(options[item.name])
    return HealthSettings(**values)


def _as_date(value: Any, today: date) -> date:
    """Parse an ISO date; an optional task without a date starts today."""
    if isinstance(value, str) and value:
        return date.fromisoformat(value)
    return today
