"""Constants for Heat Pump Care: the public names of ../shared/CONTRACT.md."""

from __future__ import annotations

import logging
from typing import Final

DOMAIN: Final = "heat_pump_care"
LOGGER = logging.getLogger(__package__)

# Config flow, step "user"
CONF_NAME: Final = "name"
CONF_BRAND: Final = "brand"
CONF_FAMILY: Final = "family"
CONF_MODEL: Final = "model"
CONF_CLIMATE_ENTITY: Final = "climate_entity"
CONF_POWER_SWITCH: Final = "power_switch"
CONF_ERROR_CODE_ENTITY: Final = "error_code_entity"

# Config flow, step "maintenance"
CONF_FILTER_LAST_CHANGED: Final = "filter_last_changed"
CONF_FILTER_INTERVAL_DAYS: Final = "filter_interval_days"
CONF_SERVICE_LAST_DONE: Final = "service_last_done"
CONF_SERVICE_INTERVAL_DAYS: Final = "service_interval_days"

# Options flow
CONF_RESET_OFF_MINUTES: Final = "reset_off_minutes"
CONF_MAX_RESETS_PER_DAY: Final = "max_resets_per_day"
CONF_FAULT_WATCH_MINUTES: Final = "fault_watch_minutes"
CONF_FILTER_RUNTIME_HOURS: Final = "filter_runtime_hours"
CONF_CONDENSATE_DRAIN_INTERVAL_DAYS: Final = "condensate_drain_interval_days"
CONF_OUTDOOR_UNIT_INTERVAL_DAYS: Final = "outdoor_unit_interval_days"
CONF_CUSTOM_CODES: Final = "custom_codes"
CONF_OUTDOOR_TEMPERATURE_ENTITY: Final = "outdoor_temperature_entity"
CONF_USER_TASKS: Final = "user_tasks"
# Fields of one of the owner's own tasks (options flow, step "add_task")
CONF_TASK_NAME: Final = "task_name"
CONF_TASK_INTERVAL_DAYS: Final = "task_interval_days"
CONF_TASK_RUNTIME_HOURS: Final = "task_runtime_hours"
CONF_TASK_LAST_DONE: Final = "task_last_done"

BRAND_OTHER: Final = "other"

DEFAULT_FILTER_INTERVAL_DAYS: Final = 90
DEFAULT_SERVICE_INTERVAL_DAYS: Final = 365
DEFAULT_RESET_OFF_MINUTES: Final = 30
DEFAULT_MAX_RESETS_PER_DAY: Final = 2
DEFAULT_FAULT_WATCH_MINUTES: Final = 30
DEFAULT_FILTER_RUNTIME_HOURS: Final = 0

# Service fields
ATTR_CONFIG_ENTRY_ID: Final = "config_entry_id"
ATTR_TASK: Final = "task"
ATTR_DATE: Final = "date"
ATTR_OFF_MINUTES: Final = "off_minutes"
ATTR_FORCE: Final = "force"
ATTR_CODE: Final = "code"
ATTR_BRAND: Final = "brand"
ATTR_QUERY: Final = "query"
ATTR_LIMIT: Final = "limit"
ATTR_NOTE: Final = "note"
ATTR_DAYS: Final = "days"
ATTR_UNTIL: Final = "until"

# Services
SERVICE_MARK_MAINTENANCE_DONE: Final = "mark_maintenance_done"
SERVICE_START_SAFE_RESET: Final = "start_safe_reset"
SERVICE_CANCEL_SAFE_RESET: Final = "cancel_safe_reset"
SERVICE_LOOKUP_ERROR_CODE: Final = "lookup_error_code"
SERVICE_SEARCH_ERROR_CODES: Final = "search_error_codes"
SERVICE_SNOOZE_MAINTENANCE: Final = "snooze_maintenance"
SERVICE_GET_MAINTENANCE_HISTORY: Final = "get_maintenance_history"

# Events
EVENT_RESET: Final = "heat_pump_care_reset"
EVENT_FAULT: Final = "heat_pump_care_fault"
EVENT_MAINTENANCE_DUE: Final = "heat_pump_care_maintenance_due"
EVENT_HEALTH: Final = "heat_pump_care_health"
