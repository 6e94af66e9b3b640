"""Shared helpers: the error-code catalogue, loaded once per instance."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.singleton import singleton
from homeassistant.util.hass_dict import HassKey

from .catalog import Catalog
from .const import DOMAIN

DATA_CATALOG: HassKey[Catalog] = HassKey(f"{DOMAIN}_catalog")


@singleton(DATA_CATALOG, async_=True)
async def async_get_catalog(hass: HomeAssistant) -> Catalog:
    """Return the catalogue, reading the data files off the event loop once.

    Every entry, flow and service shares the one immutable instance;
    concurrent first callers wait for the same load.
    """
    return await hass.async_add_executor_job(Catalog.load)
