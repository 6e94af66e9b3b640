"""Services of Heat Pump Care, registered once in async_setup."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, cast

import probatio as vol

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, service
from homeassistant.util import dt as dt_util
from homeassistant.util.json import JsonValueType

from .catalog import UnknownBrandError
from .const import (
    ATTR_BRAND,
    ATTR_CODE,
    ATTR_CONFIG_ENTRY_ID,
    ATTR_DATE,
    ATTR_DAYS,
    ATTR_FORCE,
    ATTR_LIMIT,
    ATTR_NOTE,
    ATTR_OFF_MINUTES,
    ATTR_QUERY,
    ATTR_TASK,
    ATTR_UNTIL,
    BRAND_OTHER,
    DOMAIN,
    SERVICE_CANCEL_SAFE_RESET,
    SERVICE_GET_MAINTENANCE_HISTORY,
    SERVICE_LOOKUP_ERROR_CODE,
    SERVICE_MARK_MAINTENANCE_DONE,
    SERVICE_SEARCH_ERROR_CODES,
    SERVICE_SNOOZE_MAINTENANCE,
    SERVICE_START_SAFE_RESET,
)
from .coordinator import HeatPumpCareCoordinator
from .helpers import async_get_catalog
from .maintenance import TaskKey
from .options import RESET_INT_RANGES

MAX_SEARCH_LIMIT = 100
MAX_HISTORY_LIMIT = 1000
DEFAULT_HISTORY_LIMIT = 20
SNOOZE_DAYS = (1, 365)


def whole_number(low: int, high: int) -> Callable[[Any], int]:
    """Validate a whole number in [low, high] (``30`` and ``30.0``, not ``30.5``)."""

    def _whole(value: float) -> int:
        if value != int(value):
            raise vol.Invalid("expected a whole number")
        return int(value)

    validator: Callable[[Any], int] = vol.All(
        vol.Coerce(float), vol.Range(min=low, max=high), _whole
    )
    return validator


ENTRY_SCHEMA = vol.Schema({vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string})
MARK_DONE_SCHEMA = ENTRY_SCHEMA.extend(
    {
        vol.Required(ATTR_TASK): cv.string,
        vol.Optional(ATTR_DATE): cv.date,
        vol.Optional(ATTR_NOTE): cv.string,
    }
)
# Out-of-range days and past dates are checked by the handler: the owner gets
# a translated message and nothing is stored.
SNOOZE_SCHEMA = ENTRY_SCHEMA.extend(
    {
        vol.Required(ATTR_TASK): cv.string,
        vol.Optional(ATTR_DAYS): vol.Coerce(float),
        vol.Optional(ATTR_UNTIL): cv.date,
    }
)
HISTORY_SCHEMA = ENTRY_SCHEMA.extend(
    {
        vol.Optional(ATTR_TASK): cv.string,
        vol.Optional(ATTR_LIMIT, default=DEFAULT_HISTORY_LIMIT): whole_number(
            1, MAX_HISTORY_LIMIT
        ),
    }
)
START_RESET_SCHEMA = ENTRY_SCHEMA.extend(
    {
        vol.Optional(ATTR_OFF_MINUTES): whole_number(
            *RESET_INT_RANGES["reset_off_minutes"][:2]
        ),
        vol.Optional(ATTR_FORCE, default=False): cv.boolean,
    }
)
LOOKUP_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_CODE): cv.string,
        vol.Optional(ATTR_BRAND): cv.string,
        vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
    }
)
SEARCH_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_QUERY): cv.string,
        vol.Optional(ATTR_BRAND): cv.string,
        vol.Optional(ATTR_LIMIT, default=20): whole_number(1, MAX_SEARCH_LIMIT),
        vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string,
    }
)


def _coordinator(call: ServiceCall) -> HeatPumpCareCoordinator:
    """Return the loaded heat pump a call names (Home Assistant's own errors)."""
    entry = service.async_get_config_entry(
        call.hass, DOMAIN, call.data[ATTR_CONFIG_ENTRY_ID]
    )
    return cast("HeatPumpCareCoordinator", entry.runtime_data)


def _task(coordinator: HeatPumpCareCoordinator, raw: str) -> str:
    """Return a task key this heat pump knows: built-in or one of its own."""
    settings = coordinator.settings
    if raw in TaskKey.__members__.values() or raw in settings.user_task_names:
        return raw
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="unknown_task",
        translation_placeholders={
            "task": raw,
            "tasks": ", ".join(settings.maintenance.intervals),
        },
    )


async def _async_mark_done(call: ServiceCall) -> None:
    coordinator = _coordinator(call)
    task = _task(coordinator, call.data[ATTR_TASK])
    # An automation's or script's call (the notification blueprint's "Done")
    # carries the context of its run as parent; a person's call does not.
    source = "automation" if call.context.parent_id else "service"
    await coordinator.maintenance.async_mark_done(
        task, call.data.get(ATTR_DATE), source, call.data.get(ATTR_NOTE)
    )


async def _async_snooze(call: ServiceCall) -> None:
    """Move a task's due date ``days`` ahead of today or to ``until``."""
    coordinator = _coordinator(call)
    task = _task(coordinator, call.data[ATTR_TASK])
    days: float | None = call.data.get(ATTR_DAYS)
    until: date | None = call.data.get(ATTR_UNTIL)
    if until is None:
        until = _snooze_until(days)
    elif days is not None:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="snooze_days_or_until"
        )
    await coordinator.maintenance.async_snooze(task, until)


def _snooze_until(days: float | None) -> date:
    """Return the day ``days`` whole days after today (1 to 365)."""
    if days is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="snooze_days_or_until"
        )
    low, high = SNOOZE_DAYS
    if not low <= days <= high or days != int(days):
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="snooze_days_out_of_range",
            translation_placeholders={
                "days": f"{days:g}",
                "min": str(low),
                "max": str(high),
            },
        )
    return dt_util.now().date() + timedelta(days=int(days))


async def _async_history(call: ServiceCall) -> ServiceResponse:
    """Return the heat pump's completions, newest first."""
    coordinator = _coordinator(call)
    raw: str | None = call.data.get(ATTR_TASK)
    task = None if raw is None else _task(coordinator, raw)
    history: list[JsonValueType] = [
        {
            "task": completion.task,
            "date": completion.done_on.isoformat(),
            "note": completion.note,
            "source": completion.source,
        }
        for completion in coordinator.maintenance.recent(task, call.data[ATTR_LIMIT])
    ]
    return {"history": history}


async def _async_start_reset(call: ServiceCall) -> None:
    coordinator = _coordinator(call)
    await coordinator.reset.async_start(
        coordinator.fault.status,
        off_minutes=call.data.get(ATTR_OFF_MINUTES),
        force=call.data[ATTR_FORCE],
    )


async def _async_cancel_reset(call: ServiceCall) -> None:
    await _coordinator(call).reset.async_cancel()


async def _async_lookup(call: ServiceCall) -> ServiceResponse:
    catalog = await async_get_catalog(call.hass)
    code: str = call.data[ATTR_CODE]
    brand: str | None = call.data.get(ATTR_BRAND)
    if ATTR_CONFIG_ENTRY_ID in call.data:
        coordinator = _coordinator(call)
        if brand is None or brand == coordinator.settings.brand:
            return coordinator.fault.lookup(code).as_response()
    if brand is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="brand_required"
        )
    try:
        return catalog.lookup(brand, code).as_response()
    except UnknownBrandError as err:
        raise _unknown_brand(brand, catalog.brand_slugs()) from err


async def _async_search(call: ServiceCall) -> ServiceResponse:
    """Search the catalogue; a named heat pump's brand and product line first."""
    catalog = await async_get_catalog(call.hass)
    brand: str | None = call.data.get(ATTR_BRAND)
    if brand is not None and brand not in catalog.brands and brand != BRAND_OTHER:
        raise _unknown_brand(brand, catalog.brand_slugs())
    prefer_brand = prefer_family = None
    if ATTR_CONFIG_ENTRY_ID in call.data:
        settings = _coordinator(call).settings
        prefer_brand, prefer_family = settings.brand, settings.family
    results: list[JsonValueType] = [
        entry.as_dict()
        for entry in catalog.search(
            call.data[ATTR_QUERY],
            brand=None if brand == BRAND_OTHER else brand,
            limit=call.data[ATTR_LIMIT],
            prefer_brand=prefer_brand,
            prefer_family=prefer_family,
        )
    ]
    return {"results": results}


def _unknown_brand(brand: str, known: list[str]) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="unknown_brand",
        translation_placeholders={"brand": brand, "brands": ", ".join(known)},
    )


SERVICES: dict[str, tuple[Any, vol.Schema, SupportsResponse]] = {
    SERVICE_MARK_MAINTENANCE_DONE: (
        _async_mark_done,
        MARK_DONE_SCHEMA,
        SupportsResponse.NONE,
    ),
    SERVICE_CANCEL_SAFE_RESET: (
        _async_cancel_reset,
        ENTRY_SCHEMA,
        SupportsResponse.NONE,
    ),
    SERVICE_SNOOZE_MAINTENANCE: (_async_snooze, SNOOZE_SCHEMA, SupportsResponse.NONE),
    SERVICE_GET_MAINTENANCE_HISTORY: (
        _async_history,
        HISTORY_SCHEMA,
        SupportsResponse.ONLY,
    ),
    SERVICE_LOOKUP_ERROR_CODE: (_async_lookup, LOOKUP_SCHEMA, SupportsResponse.ONLY),
    SERVICE_SEARCH_ERROR_CODES: (_async_search, SEARCH_SCHEMA, SupportsResponse.ONLY),
}


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register every service of the integration; the safe reset is for admins."""
    for name, (handler, schema, response) in SERVICES.items():
        hass.services.async_register(
            DOMAIN, name, handler, schema=schema, supports_response=response
        )
    service.async_register_admin_service(
        hass,
        DOMAIN,
        SERVICE_START_SAFE_RESET,
        _async_start_reset,
        schema=START_RESET_SCHEMA,
    )
