"""Services of Heat Pump Care, registered once in async_setup."""

from __future__ import annotations

from datetime import date

import probatio as vol

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.service import async_register_admin_service
from homeassistant.util.json import JsonValueType

from .catalog import UnknownBrandError
from .const import (
    ATTR_BRAND,
    ATTR_CODE,
    ATTR_CONFIG_ENTRY_ID,
    ATTR_DATE,
    ATTR_FORCE,
    ATTR_LIMIT,
    ATTR_OFF_MINUTES,
    ATTR_QUERY,
    ATTR_TASK,
    BRAND_OTHER,
    DOMAIN,
    SERVICE_CANCEL_SAFE_RESET,
    SERVICE_LOOKUP_ERROR_CODE,
    SERVICE_MARK_MAINTENANCE_DONE,
    SERVICE_SEARCH_ERROR_CODES,
    SERVICE_START_SAFE_RESET,
)
from .coordinator import HeatPumpCareConfigEntry, HeatPumpCareCoordinator
from .helpers import async_get_catalog
from .maintenance import TaskKey

ENTRY_SCHEMA = vol.Schema({vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string})

MARK_DONE_SCHEMA = ENTRY_SCHEMA.extend(
    {
        vol.Required(ATTR_TASK): cv.string,
        vol.Optional(ATTR_DATE): cv.string,
    }
)
START_RESET_SCHEMA = ENTRY_SCHEMA.extend(
    {
        vol.Optional(ATTR_OFF_MINUTES): vol.Coerce(float),
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
        vol.Optional(ATTR_LIMIT, default=20): vol.Coerce(float),
    }
)
MAX_SEARCH_LIMIT = 100


def _coordinator(hass: HomeAssistant, call: ServiceCall) -> HeatPumpCareCoordinator:
    """Return the loaded heat pump a call names, or a translated error."""
    entry_id = call.data[ATTR_CONFIG_ENTRY_ID]
    entry: HeatPumpCareConfigEntry | None = hass.config_entries.async_get_entry(
        entry_id
    )
    if entry is None or entry.domain != DOMAIN:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_found",
            translation_placeholders={"config_entry_id": entry_id},
        )
    if entry.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_loaded",
            translation_placeholders={"name": entry.title},
        )
    return entry.runtime_data


async def _async_mark_done(call: ServiceCall) -> None:
    coordinator = _coordinator(call.hass, call)
    try:
        task = TaskKey(call.data[ATTR_TASK])
    except ValueError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_task",
            translation_placeholders={
                "task": call.data[ATTR_TASK],
                "tasks": ", ".join(
                    str(key) for key in coordinator.settings.maintenance.intervals
                ),
            },
        ) from err
    done_on: date | None = None
    if raw := call.data.get(ATTR_DATE):
        try:
            done_on = date.fromisoformat(raw)
        except ValueError as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="invalid_date",
                translation_placeholders={"date": raw},
            ) from err
    await coordinator.async_mark_done(task, done_on, "service")


async def _async_start_reset(call: ServiceCall) -> None:
    coordinator = _coordinator(call.hass, call)
    off_minutes = call.data.get(ATTR_OFF_MINUTES)
    if off_minutes is not None and (
        off_minutes != int(off_minutes) or not 1 <= off_minutes <= 180
    ):
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_off_minutes",
            translation_placeholders={"value": str(off_minutes)},
        )
    await coordinator.async_start_reset(
        off_minutes=int(off_minutes) if off_minutes is not None else None,
        force=call.data[ATTR_FORCE],
    )


async def _async_cancel_reset(call: ServiceCall) -> None:
    await _coordinator(call.hass, call).async_cancel_reset()


async def _async_lookup(call: ServiceCall) -> ServiceResponse:
    hass = call.hass
    catalog = await async_get_catalog(hass)
    code: str = call.data[ATTR_CODE]
    brand: str | None = call.data.get(ATTR_BRAND)
    if ATTR_CONFIG_ENTRY_ID in call.data:
        coordinator = _coordinator(hass, call)
        if brand is None or brand == coordinator.settings.brand:
            return coordinator.lookup(code).as_response()
    if brand is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="brand_required",
        )
    try:
        return catalog.lookup(brand, code).as_response()
    except UnknownBrandError as err:
        raise _unknown_brand(brand, catalog.brand_slugs()) from err


async def _async_search(call: ServiceCall) -> ServiceResponse:
    catalog = await async_get_catalog(call.hass)
    brand: str | None = call.data.get(ATTR_BRAND)
    limit = call.data[ATTR_LIMIT]
    if limit != int(limit) or not 1 <= limit <= MAX_SEARCH_LIMIT:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_limit",
            translation_placeholders={
                "value": f"{limit:g}",
                "max": str(MAX_SEARCH_LIMIT),
            },
        )
    if brand is not None and brand not in catalog.brands and brand != BRAND_OTHER:
        raise _unknown_brand(brand, catalog.brand_slugs())
    results: list[JsonValueType] = [
        entry.as_dict()
        for entry in catalog.search(
            call.data[ATTR_QUERY],
            brand=None if brand == BRAND_OTHER else brand,
            limit=int(limit),
        )
    ]
    return {"results": results}


def _unknown_brand(brand: str, known: list[str]) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="unknown_brand",
        translation_placeholders={"brand": brand, "brands": ", ".join(known)},
    )


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register every service of the integration."""
    hass.services.async_register(
        DOMAIN, SERVICE_MARK_MAINTENANCE_DONE, _async_mark_done, schema=MARK_DONE_SCHEMA
    )
    async_register_admin_service(
        hass,
        DOMAIN,
        SERVICE_START_SAFE_RESET,
        _async_start_reset,
        schema=START_RESET_SCHEMA,
    )
    hass.services.async_register(
        DOMAIN, SERVICE_CANCEL_SAFE_RESET, _async_cancel_reset, schema=ENTRY_SCHEMA
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_LOOKUP_ERROR_CODE,
        _async_lookup,
        schema=LOOKUP_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_SEARCH_ERROR_CODES,
        _async_search,
        schema=SEARCH_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
