"""Diagnostics for Heat Pump Care: settings, stored state and the snapshot."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import orjson

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_MODEL, CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers.json import json_encoder_default
from homeassistant.util.json import json_loads

from .helpers import async_get_catalog
from .models import HeatPumpCareConfigEntry

# The heat pump's name and model can identify a home; entity ids and dates
# are needed to debug and say nothing about the user.
TO_REDACT = {CONF_NAME, CONF_MODEL, "title"}


def _default(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return json_encoder_default(value)


def _ref(entry: dict[str, Any] | None) -> str | None:
    return f"{entry['brand']}/{entry['family']}/{entry['code']}" if entry else None


def _json(data: dict[str, Any]) -> bytes:
    """Dates, times and enums as Home Assistant writes them; sets sorted."""
    return orjson.dumps(data, default=_default, option=orjson.OPT_NON_STR_KEYS)


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: HeatPumpCareConfigEntry
) -> dict[str, Any]:
    """Return the settings, the stored state and what the entities show."""
    coordinator = entry.runtime_data
    catalog = await async_get_catalog(hass)
    snapshot = asdict(coordinator.data)
    # Catalogue rows by reference: their texts are in the catalogue.
    fault = snapshot["fault"]
    fault["entry"], fault["last_entry"] = map(
        _ref, (fault["entry"], fault["last_entry"])
    )
    fault["matches"] = [_ref(match) for match in fault["matches"]]
    return {
        "entry": async_redact_data(
            {
                "title": entry.title,
                "options": dict(entry.options),
                "version": f"{entry.version}.{entry.minor_version}",
            },
            TO_REDACT,
        ),
        "stored": {
            **coordinator.storage.collect(),
            "store_problem": coordinator.storage.problem,
        },
        "snapshot": json_loads(_json(snapshot)),
        "catalog": {
            "brands": len(catalog.brands),
            "codes": sum(len(brand.codes) for brand in catalog.brands.values()),
            "custom_codes": sorted(coordinator.fault.custom_codes),
        },
    }
