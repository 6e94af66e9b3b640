"""Versioned storage of one heat pump's run-time state, one file per entry.

Configuration lives in the entry's options; what changes at run time (the
maintenance dates and history, filter runtime, the safe reset and the last
error code) lives here.  A file that cannot be read never fails setup: the
heat pump starts from its configured dates and a repair says what happened.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypedDict, cast

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import DOMAIN as HOMEASSISTANT_DOMAIN, HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN, LOGGER

STORAGE_VERSION = 1
STORAGE_MINOR_VERSION = 4
# Errors of a file that parsed as JSON but does not hold what we wrote.
BAD_DATA_ERRORS = (ValueError, TypeError, KeyError, AttributeError)


class StoredData(TypedDict, total=False):
    """What one entry's file holds (minor version 4)."""

    maintenance: dict[str, Any]
    reset: dict[str, Any]
    fault: dict[str, Any]
    health: dict[str, Any]


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

        1.1 kept no ``fault`` section: the last error code was not remembered;
        1.2 kept no ``health`` section: the health figures start afresh;
        1.3 kept no snoozes and no notes (completions read back without one).
        """
        if old_major_version > STORAGE_VERSION:
            raise NotImplementedError(
                f"Storage version {old_major_version} is newer than supported"
            )
        data: dict[str, Any] = dict(old_data)
        if old_minor_version < 2:
            data.setdefault("fault", {})
        if old_minor_version < 3:
            data.setdefault("health", {})
        if old_minor_version < 4 and isinstance(data.get("maintenance"), dict):
            data["maintenance"] = {"snoozed": {}, **data["maintenance"]}
        LOGGER.debug(
            "Migrated %s from %s.%s", self.key, old_major_version, old_minor_version
        )
        return cast("StoredData", data)


class HeatPumpCareStorage:
    """The one save path of a heat pump's state, and its corrupt-file handling."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Prepare the store; nothing is read yet."""
        self._hass = hass
        self._entry = entry
        self._store = HeatPumpCareStore(hass, entry.entry_id)
        self._collect: Callable[[], StoredData] = StoredData
        self._write_due: datetime | None = None
        self.problem: str | None = None

    async def async_load[T](
        self, parse: Callable[[StoredData], T], empty: Callable[[], T]
    ) -> T:
        """Return the parsed stored state; a bad or missing file gives ``empty()``."""
        try:
            stored = await self._store.async_load()
        except (
            HomeAssistantError,
            NotImplementedError,
            OSError,
            *BAD_DATA_ERRORS,
        ) as err:
            self._note_problem(str(err))
            return empty()
        if stored is None:
            if (moved := self._corrupt_copy()) is not None:
                self._note_problem(f"unreadable file moved to {moved}")
            return empty()
        try:
            return parse(stored)
        except BAD_DATA_ERRORS as err:
            self._note_problem(str(err))
            return empty()

    def collect_with(self, collect: Callable[[], StoredData]) -> None:
        """Set the function that gathers everything to write."""
        self._collect = collect

    def collect(self) -> StoredData:
        """Return everything that is written."""
        return self._collect()

    async def async_save(self) -> None:
        """Write everything now (before every safety-relevant step)."""
        self._write_due = None  # a pending delayed write is replaced
        await self._store.async_save(self._collect())

    def save_later(self, delay: float) -> None:
        """Write everything within ``delay`` seconds (data that can be rebuilt).

        A write already due sooner is kept: it gathers the data when it runs.
        """
        now = dt_util.utcnow()
        due = now + timedelta(seconds=delay)
        if self._write_due is not None and now < self._write_due <= due:
            return
        self._write_due = due
        self._store.async_delay_save(self._collect, delay)

    async def async_remove(self) -> None:
        """Delete the file (the heat pump was removed)."""
        await self._store.async_remove()

    def _corrupt_copy(self) -> str | None:
        """Return the name of our file that Home Assistant could not parse.

        Home Assistant renames such a file and raises a persistent
        ``storage_corruption_<key>_<time>`` issue naming the copy; asking the
        issue registry avoids a directory scan on every first setup.
        """
        prefix = f"storage_corruption_{self._store.key}_"
        copies = sorted(
            str(issue.translation_placeholders.get("corrupt_path", ""))
            for (domain, issue_id), issue in ir.async_get(self._hass).issues.items()
            if domain == HOMEASSISTANT_DOMAIN
            and issue_id.startswith(prefix)
            and issue.translation_placeholders
        )
        return Path(copies[-1]).name if copies else None

    def _note_problem(self, reason: str) -> None:
        LOGGER.error(
            "Stored state of %s could not be read (%s); starting from the "
            "configured dates",
            self._entry.title,
            reason,
        )
        self.problem = reason
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            f"store_corrupt_{self._entry.entry_id}",
            is_fixable=True,
            is_persistent=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="store_corrupt",
            translation_placeholders={"name": self._entry.title},
            data={"entry_id": self._entry.entry_id, "kind": "store_corrupt"},
        )
