"""Versioned storage of a heat pump's mutable state.

Configuration lives in the config entry's options; everything that changes at
run time (maintenance dates and history, filter runtime, the safe reset and
the last error code) lives here, one file per entry.
"""

from __future__ import annotations

from typing import Any, TypedDict, cast

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN, LOGGER

STORAGE_VERSION = 1
STORAGE_MINOR_VERSION = 2


class StoredData(TypedDict, total=False):
    """What one entry's file holds (minor version 2)."""

    maintenance: dict[str, Any]
    reset: dict[str, Any]
    fault: dict[str, Any]


def storage_key(entry_id: str) -> str:
    """Return the storage key of one entry."""
    return f"{DOMAIN}.{entry_id}"


class HeatPumpCareStore(Store[StoredData]):
    """A Store that migrates older layouts of the data."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Create the store of one entry."""
        super().__init__(
            hass,
            STORAGE_VERSION,
            storage_key(entry_id),
            minor_version=STORAGE_MINOR_VERSION,
            atomic_writes=True,
        )

    async def _async_migrate_func(
        self,
        old_major_version: int,
        old_minor_version: int,
        old_data: dict[str, Any],
    ) -> StoredData:
        """Bring data written by an older version up to date.

        1.1 kept no ``fault`` section: the last error code was not remembered.
        """
        if old_major_version > STORAGE_VERSION:
            raise NotImplementedError(
                f"Storage version {old_major_version} is newer than supported"
            )
        data: dict[str, Any] = dict(old_data)
        if old_minor_version < 2:
            data.setdefault("fault", {})
        LOGGER.debug(
            "Migrated %s from %s.%s", self.key, old_major_version, old_minor_version
        )
        return cast("StoredData", data)
