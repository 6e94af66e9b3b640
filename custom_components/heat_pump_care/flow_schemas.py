"""Forms of the config, reconfigure and options flows, and their one validator.

Schemas use Home Assistant's selectors as they are: a number outside a
selector's range is refused by the schema (the frontend shows it on the
field).  What a schema cannot know (a future date, a duplicate name, an
entity that does not exist, a switch another heat pump uses, a whole number)
is checked here and returned as form errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from datetime import date
from typing import Any

import probatio as vol

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_MODEL, CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.selector import (
    DateSelector,
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
)

from .catalog import Catalog
from .const import (
    BRAND_OTHER,
    CONF_BRAND,
    CONF_CLIMATE_ENTITY,
    CONF_CUSTOM_CODES,
    CONF_ERROR_CODE_ENTITY,
    CONF_FAMILY,
    CONF_FILTER_RUNTIME_HOURS,
    CONF_OUTDOOR_TEMPERATURE_ENTITY,
    CONF_POWER_SWITCH,
    DOMAIN,
)
from .health import HEALTH_RANGES, HealthSettings
from .maintenance import TASK_SPECS
from .options import (
    ENTITY_DOMAINS,
    MAINTENANCE_INT_RANGES,
    RESET_INT_RANGES,
    TASK_DATE_KEYS,
)

DEVICE_ENTITY_KEYS = (CONF_CLIMATE_ENTITY, CONF_POWER_SWITCH, CONF_ERROR_CODE_ENTITY)
#: The brands most homes have, listed first in the brand field; the rest follow
#: alphabetically, then "Other / not listed".
COMMON_BRANDS = (
    "bosch",
    "daikin",
    "lg",
    "mitsubishi_electric",
    "nibe",
    "panasonic",
    "samsung",
    "stiebel_eltron",
    "vaillant",
    "viessmann",
)
#: The product-line choice that stores no family (lookups show every line).
FAMILY_NOT_SURE = "not_sure"
HEALTH_INT_KEYS = frozenset(
    item.name for item in fields(HealthSettings) if item.type in (int, "int")
)
HEALTH_UNITS = {
    "short_cycle_period_minutes": "min",
    "not_keeping_up_hours": "h",
    "not_keeping_up_gap": "°C",
    "degree_day_base": "°C",
    "baseline_days": "d",
    "efficiency_drop_percent": "%",
    "efficiency_drop_days": "d",
    "short_cycle_repair_days": "d",
}


def number_selector(low: int, high: int, unit: str | None = None) -> NumberSelector:
    """Return a box for whole numbers in [low, high]."""
    config = NumberSelectorConfig(
        min=low, max=high, step=1, mode=NumberSelectorMode.BOX
    )
    if unit is not None:
        config["unit_of_measurement"] = unit
    return NumberSelector(config)


def brand_order(catalog: Catalog) -> list[str]:
    """Return the brand choices: the common brands, the rest, then ``other``.

    Both groups are sorted by the name people read, not by slug.
    """
    slugs = catalog.brand_slugs()
    common = [slug for slug in slugs if slug in COMMON_BRANDS]
    rest = [slug for slug in slugs if slug not in COMMON_BRANDS]

    def by_name(slug: str) -> str:
        return catalog.brands[slug].name.casefold()

    return [*sorted(common, key=by_name), *sorted(rest, key=by_name), BRAND_OTHER]


def device_schema(catalog: Catalog) -> vol.Schema:
    """Return the form of the heat pump, its brand and its entities.

    The brand is not pre-selected: the frontend fills a required select with
    its first option, so the field is optional here and ``validate`` asks for
    it (``brand_missing``).
    """
    brands = [
        SelectOptionDict(
            value=slug,
            label="Other / not listed"
            if slug == BRAND_OTHER
            else catalog.brands[slug].name,
        )
        for slug in brand_order(catalog)
    ]
    schema: dict[vol.Marker, Any] = {
        vol.Required(CONF_NAME): TextSelector(),
        vol.Optional(CONF_BRAND): SelectSelector(
            SelectSelectorConfig(
                options=brands,
                mode=SelectSelectorMode.DROPDOWN,
                translation_key=CONF_BRAND,
                sort=False,
            )
        ),
        vol.Optional(CONF_MODEL): TextSelector(),
    }
    for key in DEVICE_ENTITY_KEYS:
        schema[vol.Optional(key)] = EntitySelector(
            EntitySelectorConfig(domain=list(ENTITY_DOMAINS[key]))
        )
    return vol.Schema(schema)


def family_schema(catalog: Catalog, brand: str) -> vol.Schema:
    """Return the form of the product line of a brand with several.

    "Not sure" is a choice of its own (a picked radio button cannot be
    cleared); it stores no family, see ``family_choice``.
    """
    options = [
        SelectOptionDict(value=family.id, label=family.name)
        for family in catalog.brands[brand].families
    ]
    options.append(
        SelectOptionDict(
            value=FAMILY_NOT_SURE, label="Not sure — show every product line"
        )
    )
    return vol.Schema(
        {
            vol.Required(CONF_FAMILY): SelectSelector(
                SelectSelectorConfig(
                    options=options,
                    mode=SelectSelectorMode.LIST,
                    translation_key=CONF_FAMILY,
                )
            )
        }
    )


def family_choice(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Return the product line to store: nothing when the owner is not sure."""
    family = user_input.get(CONF_FAMILY)
    if not family or family == FAMILY_NOT_SURE:
        return {}
    return {CONF_FAMILY: family}


def maintenance_schema(*, include_optional: bool) -> vol.Schema:
    """Return the form of the maintenance dates, intervals and runtime limit."""
    schema: dict[vol.Marker, Any] = {}
    for task, (date_key, interval_key) in TASK_DATE_KEYS.items():
        low, high = MAINTENANCE_INT_RANGES[interval_key]
        if not TASK_SPECS[task].optional:
            schema[vol.Required(date_key)] = DateSelector()
            schema[vol.Required(interval_key)] = number_selector(low, high, "d")
        elif include_optional:
            # 0 switches the task off; anything else must be in its range.
            schema[vol.Optional(interval_key)] = number_selector(0, high, "d")
            schema[vol.Optional(date_key)] = DateSelector()
    if include_optional:
        low, high = MAINTENANCE_INT_RANGES[CONF_FILTER_RUNTIME_HOURS]
        schema[vol.Required(CONF_FILTER_RUNTIME_HOURS)] = number_selector(
            low, high, "h"
        )
    return vol.Schema(schema)


def reset_schema() -> vol.Schema:
    """Return the form of the safe reset's timings and limits."""
    return vol.Schema(
        {
            vol.Required(key): number_selector(low, high, unit)
            for key, (low, high, unit) in RESET_INT_RANGES.items()
        }
    )


def health_schema() -> vol.Schema:
    """Return the form of the outdoor temperature and the health thresholds."""
    schema: dict[vol.Marker, Any] = {
        vol.Optional(CONF_OUTDOOR_TEMPERATURE_ENTITY): EntitySelector(
            EntitySelectorConfig(
                filter=[
                    {"domain": "sensor", "device_class": "temperature"},
                    {"domain": "weather"},
                ]
            )
        )
    }
    defaults = HealthSettings()
    for key, (low, high) in HEALTH_RANGES.items():
        whole = key in HEALTH_INT_KEYS
        schema[vol.Required(key, default=getattr(defaults, key))] = NumberSelector(
            NumberSelectorConfig(
                min=low,
                max=high,
                step=1 if whole else 0.1,
                mode=NumberSelectorMode.BOX,
                **(
                    {"unit_of_measurement": HEALTH_UNITS[key]}
                    if key in HEALTH_UNITS
                    else {}
                ),
            )
        )
    return vol.Schema(schema)


def custom_codes_schema() -> vol.Schema:
    """Return the form of the unit's own error codes."""
    return vol.Schema(
        {
            vol.Optional(CONF_CUSTOM_CODES, default=""): TextSelector(
                TextSelectorConfig(multiline=True)
            )
        }
    )


def _entity_exists(hass: HomeAssistant, entity_id: str) -> bool:
    return (
        hass.states.get(entity_id) is not None
        or er.async_get(hass).async_get(entity_id) is not None
    )


def validate(
    hass: HomeAssistant,
    user_input: Mapping[str, Any],
    *,
    today: date,
    entry_id: str | None = None,
    device: bool = False,
) -> dict[str, str]:
    """Return the form errors of any step's input (of any of the three flows).

    ``device`` marks the device step (name, brand, entities); ``entry_id`` is
    the heat pump being edited (not compared with itself).
    """
    errors: dict[str, str] = {}
    others = [
        entry
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.entry_id != entry_id
    ]
    if CONF_NAME in user_input:
        name = str(user_input[CONF_NAME]).strip()
        if not name:
            errors[CONF_NAME] = "name_empty"
        elif any(e.title.strip().casefold() == name.casefold() for e in others):
            errors[CONF_NAME] = "name_exists"
    if device and not user_input.get(CONF_BRAND):
        errors[CONF_BRAND] = "brand_missing"
    for key in (*DEVICE_ENTITY_KEYS, CONF_OUTDOOR_TEMPERATURE_ENTITY):
        if (entity_id := user_input.get(key)) and not _entity_exists(hass, entity_id):
            errors[key] = "entity_not_found"
    if (
        device
        and CONF_POWER_SWITCH not in errors
        and (error := _power_switch_error(hass, user_input, others, entry_id))
    ):
        errors[CONF_POWER_SWITCH] = error
    for task, (date_key, interval_key) in TASK_DATE_KEYS.items():
        if (value := user_input.get(date_key)) and date.fromisoformat(value) > today:
            errors[date_key] = "date_in_future"
        interval = user_input.get(interval_key)
        low, _ = MAINTENANCE_INT_RANGES[interval_key]
        if interval is not None and TASK_SPECS[task].optional and 0 < interval < low:
            errors[interval_key] = "out_of_range"
    for key in (*MAINTENANCE_INT_RANGES, *RESET_INT_RANGES, *HEALTH_INT_KEYS):
        if (value := user_input.get(key)) is not None and value != int(value):
            errors[key] = "out_of_range"
    return errors


def _power_switch_error(
    hass: HomeAssistant,
    user_input: Mapping[str, Any],
    others: list[Any],
    entry_id: str | None,
) -> str | None:
    switch = user_input.get(CONF_POWER_SWITCH)
    if switch and any(e.options.get(CONF_POWER_SWITCH) == switch for e in others):
        # Two heat pumps cutting the same breaker would fight over it.
        return "power_switch_in_use"
    entry = hass.config_entries.async_get_entry(entry_id) if entry_id else None
    if (
        entry is not None
        and entry.state is ConfigEntryState.LOADED
        and entry.runtime_data.reset.running
        and switch != entry.options.get(CONF_POWER_SWITCH)
    ):
        # The running reset must give power back through the switch it cut.
        return "reset_running"
    return None


def clean(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Drop empty optional values and turn whole floats into ints."""
    cleaned: dict[str, Any] = {}
    for key, raw in user_input.items():
        if raw is None or raw == "":
            continue
        value = raw
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and key in (CONF_NAME, CONF_MODEL):
            value = value.strip()
        cleaned[key] = value
    return cleaned


def merge_device(
    current: Mapping[str, Any], user_input: Mapping[str, Any]
) -> dict[str, Any]:
    """Replace the device fields of ``current`` with ``user_input``.

    Optional fields left empty are removed, and the family is dropped when
    the brand changes.
    """
    options = dict(current)
    for key in (CONF_MODEL, *DEVICE_ENTITY_KEYS):
        options.pop(key, None)
    if user_input.get(CONF_BRAND) != current.get(CONF_BRAND):
        options.pop(CONF_FAMILY, None)
    options.update(clean(user_input))
    return options


def has_families(catalog: Catalog, brand: str) -> bool:
    """Return whether a brand's codes differ per product line."""
    return brand in catalog.brands and len(catalog.brands[brand].families) > 1
