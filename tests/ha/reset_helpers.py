"""Shared helpers of the safe-reset tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from homeassistant.components.button import SERVICE_PRESS
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import Context, Event, HomeAssistant
from homeassistant.util import dt as dt_util

from custom_components.heat_pump_care.catalog import Catalog
from custom_components.heat_pump_care.reset import HARMFUL_CATEGORIES

from .common import DOMAIN, state_of

EVENT_RESET = "heat_pump_care_reset"
EVENT_FAULT = "heat_pump_care_fault"

RESET_STATUS = "sensor.living_room_heat_pump_reset_status"
POWER_RESTORE_AT = "sensor.living_room_heat_pump_power_restore_time"
SAFE_RESET = "button.living_room_heat_pump_safe_reset"
CANCEL_RESET = "button.living_room_heat_pump_cancel_reset"


def reset_status(hass: HomeAssistant) -> str:
    """Return the state of the reset status sensor."""
    return state_of(hass, RESET_STATUS).state


def restore_at(hass: HomeAssistant) -> datetime | None:
    """Return the power restore time the sensor shows, or None when unknown."""
    value = state_of(hass, POWER_RESTORE_AT).state
    return None if value == "unknown" else dt_util.parse_datetime(value)


async def travel(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, when: datetime
) -> None:
    """Move the clock to ``when`` and run every timer that became due."""
    freezer.move_to(when)
    async_fire_time_changed(hass, when)
    await hass.async_block_till_done()


async def press(
    hass: HomeAssistant, entity_id: str, context: Context | None = None
) -> None:
    """Press a button as the UI does."""
    await hass.services.async_call(
        "button",
        SERVICE_PRESS,
        {ATTR_ENTITY_ID: entity_id},
        blocking=True,
        context=context,
    )
    await hass.async_block_till_done()


async def call(
    hass: HomeAssistant,
    service: str,
    entry_id: str,
    context: Context | None = None,
    **fields: Any,
) -> None:
    """Call one of the integration's services for ``entry_id``."""
    await hass.services.async_call(
        DOMAIN,
        service,
        {"config_entry_id": entry_id, **fields},
        blocking=True,
        context=context,
    )
    await hass.async_block_till_done()


def statuses(events: list[Event]) -> list[str]:
    """Return the ``status`` of each captured reset event, in order."""
    return [event.data["status"] for event in events]


def harmful_daikin_code() -> tuple[str, str]:
    """Return a Daikin code (and its category) a reset must not run over.

    Looked up in the shipped catalogue, not hard-coded: the first refrigerant,
    pressure or compressor code whose lookup for a Daikin unit without a
    product family decodes to a harmful category.
    """
    catalog = Catalog.load()
    for query in ("refrigerant", "pressure", "compressor"):
        for entry in catalog.search(query, brand="daikin", limit=50):
            primary = catalog.lookup("daikin", entry.code).primary
            if primary is not None and primary.category in HARMFUL_CATEGORIES:
                return entry.code, str(primary.category)
    msg = "the catalogue has no harmful Daikin code"
    raise AssertionError(msg)


def helpful_daikin_code() -> str:
    """Return a Daikin communication code that a reset may clear."""
    catalog = Catalog.load()
    for entry in catalog.search("communication", brand="daikin", limit=50):
        primary = catalog.lookup("daikin", entry.code).primary
        if (
            primary is not None
            and primary.category == "communication"
            and primary.reset_may_help
        ):
            return entry.code
    msg = "the catalogue has no Daikin communication code a reset may clear"
    raise AssertionError(msg)
