"""The error-code capability in Home Assistant: the one adapter of ``catalog/``.

It reads the unit's code from each state change of the error-code entity,
decodes it once per change, applies the flicker rule (a code that clears and
returns within a minute is one fault), keeps the fault repair and fires the
fault event.  Meanings, aliases and advice are the catalogue's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import State, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util

from .capability import Capability, HeatPumpContext
from .catalog import Catalog, CodeEntry, LookupResult, parse_custom_codes
from .catalog.normalise import is_no_error_value
from .const import DOMAIN
from .helpers import async_get_catalog, loaded_catalog
from .models import FaultStatus

# A code that clears and comes back within this time is one fault, not two.
FLICKER_WINDOW = timedelta(seconds=60)


def _parse_time(value: Any) -> datetime | None:
    return dt_util.parse_datetime(value) if isinstance(value, str) else None


@dataclass(slots=True)
class FaultMemory:
    """The fault state that is stored: the active code and the last one seen."""

    code: str | None = None
    raw: str | None = None
    since: datetime | None = None
    last_code: str | None = None
    last_raw: str | None = None
    last_seen: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the stored form."""
        return {
            "code": self.code,
            "raw": self.raw,
            "since": self.since.isoformat() if self.since else None,
            "last_code": self.last_code,
            "last_raw": self.last_raw,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FaultMemory:
        """Read the stored form."""
        return cls(
            code=data.get("code"),
            raw=data.get("raw"),
            since=_parse_time(data.get("since")),
            last_code=data.get("last_code"),
            last_raw=data.get("last_raw"),
            last_seen=_parse_time(data.get("last_seen")),
        )


@dataclass(frozen=True, slots=True)
class CodeReport:
    """A fresh report of the unit's code, for the safe reset (None: no error)."""

    code: str | None


class FaultTracker(Capability):
    """The decoded error code of one heat pump."""

    def __init__(
        self,
        context: HeatPumpContext,
    ) -> None:
        """Prepare; the catalogue is read only when a code needs it."""
        super().__init__(context)
        self.custom_codes: dict[str, CodeEntry] = parse_custom_codes(
            context.settings.brand, context.settings.custom_codes
        )[0]
        self.memory = FaultMemory()
        self._available = False
        self._current: LookupResult | None = None
        self._last: LookupResult | None = None

    def load(self, data: Mapping[str, Any] | None) -> None:
        """Take the stored state."""
        self.memory = FaultMemory.from_dict(data or {})

    def to_dict(self) -> dict[str, Any]:
        """Return the state to store."""
        return self.memory.to_dict()

    @property
    def needs_catalog(self) -> bool:
        """Return whether a stored code waits to be decoded."""
        return bool(self.memory.raw or self.memory.last_raw)

    def lookup(self, code: str) -> LookupResult:
        """Look a code up for this heat pump (its brand, family, own codes)."""
        catalog = loaded_catalog(self._hass)
        if catalog is None:
            raise RuntimeError("The error-code catalogue is not loaded yet")
        return self._lookup(catalog, code)

    def describe(self, code: str) -> CodeEntry | None:
        """Return what the catalogue says about a code, if it knows it."""
        return self.lookup(code).primary

    def _lookup(self, catalog: Catalog, code: str) -> LookupResult:
        return catalog.lookup(
            self._settings.brand,
            code,
            family=self._settings.family,
            custom=self.custom_codes,
        )

    @property
    def status(self) -> FaultStatus:
        """Return the fault part of the snapshot."""
        memory = self.memory
        current = self._current if memory.raw else None
        last = self._last if memory.last_raw else None
        entry = current.primary if current else None
        return FaultStatus(
            available=self._available,
            code=memory.code,
            raw=memory.raw,
            sub_code=current.sub_code if current else None,
            entry=entry,
            matches=current.matches if current else (),
            since=memory.since,
            last_code=memory.last_code,
            last_seen=memory.last_seen,
            last_entry=last.primary if last else None,
            suggestions=current.suggestions if current else (),
            brand=current.brand if current else None,
        )

    def start(self, state: State | None) -> None:
        """Decode what is stored and what the entity shows now."""
        if (catalog := loaded_catalog(self._hass)) is not None:
            memory = self.memory
            self._current = self._lookup(catalog, memory.raw) if memory.raw else None
            self._last = (
                self._lookup(catalog, memory.last_raw) if memory.last_raw else None
            )
        self.on_state(state, initial=True)

    @callback
    def on_state(
        self, state: State | None, *, initial: bool = False, announce: bool = True
    ) -> CodeReport | None:
        """Take the entity's new state; return what the safe reset must hear.

        During a reset every fresh report counts, even of the same code: a
        unit that went dark without power and reports the code again after
        the restore still has the fault.
        """
        self._available = state is not None and state.state != STATE_UNAVAILABLE
        if state is None or not self._available:
            self._changed()
            return None
        raw = state.state
        catalog = loaded_catalog(self._hass)
        if catalog is None and not is_no_error_value(raw):
            # A code while the catalogue still loads: decode it once loaded.
            self._entry.async_create_task(
                self._hass, self._async_decode_later(), f"{DOMAIN} decode"
            )
            return None
        result = None if catalog is None else self._lookup(catalog, raw)
        now = dt_util.utcnow()
        if result is None or result.no_error:
            changed = self._clear(now)
            report: CodeReport | None = CodeReport(None)
        else:
            changed = self._set(result, raw, now, announce=announce and not initial)
            report = CodeReport(result.code) if changed or not initial else None
        if changed:
            self._entry.async_create_task(
                self._hass, self._storage.async_save(), f"{DOMAIN} save fault"
            )
        self._changed()
        return report

    async def _async_decode_later(self) -> None:
        await async_get_catalog(self._hass)
        self.on_state(self._hass.states.get(self._settings.error_code_entity or ""))

    def _clear(self, now: datetime) -> bool:
        memory = self.memory
        changed = memory.code is not None
        if changed:
            # The code was active until now: flicker and "seen at" count from
            # the moment it cleared, not from when it appeared.
            memory.last_seen = now
        memory.code = memory.raw = memory.since = None
        self._current = None
        ir.async_delete_issue(self._hass, DOMAIN, f"fault_{self._entry.entry_id}")
        return changed

    def _set(
        self, result: LookupResult, raw: str, now: datetime, *, announce: bool
    ) -> bool:
        memory = self.memory
        code = result.code
        changed = code != memory.code
        if changed:
            flicker = (
                memory.last_code == code
                and memory.last_seen is not None
                and now - memory.last_seen <= FLICKER_WINDOW
            )
            memory.code, memory.raw, memory.since = code, raw, now
            self._raise_issue(result)
            if announce and not flicker:
                self._events.fire_fault(
                    code, result.primary, returned_after_reset=False
                )
        self._current = self._last = result
        memory.last_code, memory.last_raw, memory.last_seen = code, raw, now
        return changed

    def _raise_issue(self, result: LookupResult) -> None:
        entry = result.primary
        fixable = bool(entry and entry.reset_may_help and self._settings.power_switch)
        placeholders = {"name": self._entry.title, "code": result.code}
        if entry is None:
            # The repair's own sentences say that the code is not known.
            translation_key = "fault_unknown"
        else:
            translation_key = "fault_reset" if fixable else "fault"
            placeholders |= {"meaning": entry.meaning, "advice": entry.advice}
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            f"fault_{self._entry.entry_id}",
            is_fixable=fixable,
            severity=ir.IssueSeverity.ERROR,
            translation_key=translation_key,
            translation_placeholders=placeholders,
            data={
                "entry_id": self._entry.entry_id,
                "kind": "fault",
                "code": result.code,
            },
        )
