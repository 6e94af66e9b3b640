"""Diagnostics for Heat Pump Care."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from .const import CONF_MODEL, CONF_NAME
from .coordinator import HeatPumpCareConfigEntry

# The heat pump's name and model can identify a home; entity ids and dates
# are needed to debug and say nothing about the user.
TO_REDACT = {CONF_NAME, CONF_MODEL, "title"}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: HeatPumpCareConfigEntry
) -> dict[str, Any]:
    """Return the settings, the stored state and what the entities show."""
    coordinator = entry.runtime_data
    data = coordinator.data
    await coordinator.async_ensure_catalog()
    catalog = coordinator.catalog
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
            "maintenance": coordinator.maintenance.to_dict(),
            "reset": coordinator.reset_state.to_dict(),
            "store_problem": coordinator.store_problem,
        },
        "snapshot": {
            "today": data.today.isoformat(),
            "tasks": {
                str(key): {
                    "last_done": status.last_done.isoformat(),
                    "interval_days": status.interval_days,
                    "due": status.due.isoformat(),
                    "overdue": status.overdue,
                }
                for key, status in data.tasks.items()
            },
            "filter_runtime_hours": data.filter_runtime_hours,
            "runtime_average_daily_hours": data.runtime_average_daily_hours,
            "reset_phase": str(data.reset.phase),
            "resets_last_24h": data.resets_last_24h,
            "reset_history": [record.to_dict() for record in data.reset.history],
            "fault": {
                "code": data.fault.code,
                "raw": data.fault.raw,
                "entry": data.fault.entry.as_dict() if data.fault.entry else None,
                "last_code": data.fault.last_code,
                "last_seen": data.fault.last_seen.isoformat()
                if data.fault.last_seen
                else None,
            },
        },
        "catalog": {
            "brands": len(catalog.brands),
            "codes": sum(len(brand.codes) for brand in catalog.brands.values()),
            "custom_codes": sorted(coordinator.custom_codes),
        },
    }
