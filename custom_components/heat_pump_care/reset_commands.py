"""What the safe reset does in Home Assistant: the core's commands, carried out.

Reads of the relay and the thermostat live here too, so that each is written
once.  A command that fails is logged and never raised: the core's timers
retry what matters (the power restore).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.climate import (
    ATTR_FAN_MODE,
    ATTR_HVAC_MODE,
    ATTR_TARGET_TEMP_HIGH,
    ATTR_TARGET_TEMP_LOW,
    DOMAIN as CLIMATE_DOMAIN,
    SERVICE_SET_FAN_MODE,
    SERVICE_SET_HVAC_MODE,
    SERVICE_SET_TEMPERATURE,
    HVACMode,
)
from homeassistant.components.persistent_notification import (
    async_create as async_create_notification,
)
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_TEMPERATURE,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import Context, HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util

from .capability import Capability, HeatPumpContext
from .catalog import CodeEntry
from .const import DOMAIN, LOGGER
from .reset import (
    ClearIssue,
    Command,
    FireFault,
    Notify,
    RaiseIssue,
    RestoreThermostat,
    SetRelay,
    SetThermostatOff,
    ThermostatSnapshot,
)

UNAVAILABLE_STATES = frozenset({STATE_UNAVAILABLE, STATE_UNKNOWN})
# A relay or thermostat that does not answer within this time has failed
# this attempt; the core's timers try the power restore again.
COMMAND_TIMEOUT = 30  # seconds

type Describe = Callable[[str], CodeEntry | None]


def relay_on(state: State | None) -> bool | None:
    """Return the power switch's position; None when it is not known."""
    if state is None or state.state in UNAVAILABLE_STATES:
        return None
    return state.state == STATE_ON


def thermostat_available(state: State | None) -> bool:
    """Return whether the thermostat can be commanded."""
    return state is not None and state.state not in UNAVAILABLE_STATES


def thermostat_snapshot(state: State | None) -> ThermostatSnapshot | None:
    """Return what the safe reset restores of the thermostat."""
    if state is None or not thermostat_available(state):
        return None
    attrs = state.attributes
    return ThermostatSnapshot(
        hvac_mode=state.state,
        temperature=attrs.get(ATTR_TEMPERATURE),
        target_temp_low=attrs.get(ATTR_TARGET_TEMP_LOW),
        target_temp_high=attrs.get(ATTR_TARGET_TEMP_HIGH),
        fan_mode=attrs.get(ATTR_FAN_MODE),
    )


def local_time(at: datetime) -> str:
    """Return ``at`` as people read it: local time, to the next full minute.

    The date is added when it is not today (``2026-12-08 09:01``).
    """
    local = dt_util.as_local(at)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    if local.date() == dt_util.now().date():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


async def async_message(
    hass: HomeAssistant, key: str, placeholders: Mapping[str, str]
) -> str:
    """Return the ``exceptions`` message ``key`` in Home Assistant's language."""
    translations = await async_get_translations(
        hass, hass.config.language, "exceptions", {DOMAIN}
    )
    text = translations.get(f"component.{DOMAIN}.exceptions.{key}.message", key)
    for name, value in placeholders.items():
        text = text.replace(f"{{{name}}}", value)
    return text


def _restore_calls(snapshot: ThermostatSnapshot) -> list[tuple[str, dict[str, Any]]]:
    calls: list[tuple[str, dict[str, Any]]] = []
    if snapshot.hvac_mode:
        calls.append((SERVICE_SET_HVAC_MODE, {ATTR_HVAC_MODE: snapshot.hvac_mode}))
    if snapshot.temperature is not None:
        calls.append(
            (SERVICE_SET_TEMPERATURE, {ATTR_TEMPERATURE: snapshot.temperature})
        )
    elif snapshot.target_temp_low is not None and snapshot.target_temp_high is not None:
        calls.append(
            (
                SERVICE_SET_TEMPERATURE,
                {
                    ATTR_TARGET_TEMP_LOW: snapshot.target_temp_low,
                    ATTR_TARGET_TEMP_HIGH: snapshot.target_temp_high,
                },
            )
        )
    if snapshot.fan_mode:
        calls.append((SERVICE_SET_FAN_MODE, {ATTR_FAN_MODE: snapshot.fan_mode}))
    return calls


class ResetCommands(Capability):
    """Carries out the safe-reset core's commands for one heat pump."""

    def __init__(self, context: HeatPumpContext, describe: Describe) -> None:
        """Act on the entities in the settings; ``describe`` decodes a code."""
        super().__init__(context)
        self._describe = describe

    async def async_execute(self, command: Command) -> None:
        """Carry out one command; failures are logged, never raised."""
        context = Context()
        try:
            async with asyncio.timeout(COMMAND_TIMEOUT):
                await self._async_execute(command, context)
        except (HomeAssistantError, TimeoutError) as err:
            LOGGER.warning("%s: %s failed: %r", self._entry.title, command, err)

    async def _async_execute(self, command: Command, context: Context) -> None:
        match command:
            case SetThermostatOff():
                await self._async_climate(
                    SERVICE_SET_HVAC_MODE, {ATTR_HVAC_MODE: HVACMode.OFF}, context
                )
            case SetRelay(on=on):
                await self._async_relay(on, context)
            case RestoreThermostat(snapshot=snapshot):
                await self._async_restore(snapshot, context)
            case Notify(kind=kind):
                await self._async_notify(kind)
            case RaiseIssue(kind=kind, code=code):
                self._raise_issue(kind, code)
            case ClearIssue(kind=kind):
                ir.async_delete_issue(
                    self._hass, DOMAIN, f"{kind}_{self._entry.entry_id}"
                )
            case FireFault(code=code):
                self._events.fire_fault(
                    code, self._code_entry(code), returned_after_reset=True
                )

    def _code_entry(self, code: str | None) -> CodeEntry | None:
        return self._describe(code) if code else None

    async def _async_relay(self, on: bool, context: Context) -> None:
        entity_id = self._settings.power_switch
        if entity_id is None:
            return
        await self._hass.services.async_call(
            entity_id.split(".", 1)[0],
            SERVICE_TURN_ON if on else SERVICE_TURN_OFF,
            {ATTR_ENTITY_ID: entity_id},
            blocking=True,
            context=context,
        )

    async def _async_climate(
        self, service: str, data: dict[str, Any], context: Context
    ) -> None:
        if not self._settings.climate_entity:
            return
        await self._hass.services.async_call(
            CLIMATE_DOMAIN,
            service,
            {ATTR_ENTITY_ID: self._settings.climate_entity, **data},
            blocking=True,
            context=context,
        )

    async def _async_restore(
        self, snapshot: ThermostatSnapshot, context: Context
    ) -> None:
        for service, data in _restore_calls(snapshot):
            try:
                await self._async_climate(service, data, context)
            except (HomeAssistantError, ValueError) as err:
                LOGGER.warning(
                    "%s: restoring the thermostat (%s) failed: %s",
                    self._entry.title,
                    service,
                    err,
                )

    async def _async_notify(self, kind: str) -> None:
        translations = await async_get_translations(
            self._hass, self._hass.config.language, "exceptions", {DOMAIN}
        )
        prefix = f"component.{DOMAIN}.exceptions.{kind}_notification"
        name = self._entry.title
        title = translations.get(f"{prefix}_title.message", "Heat Pump Care")
        message = translations.get(
            f"{prefix}.message",
            "Power to {name} could not be restored — check the breaker.",
        )
        async_create_notification(
            self._hass,
            message.replace("{name}", name),
            title=title.replace("{name}", name),
            notification_id=f"{DOMAIN}_{kind}_{self._entry.entry_id}",
        )

    def _raise_issue(self, kind: str, code: str | None) -> None:
        entry_id = self._entry.entry_id
        entry = self._code_entry(code)
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            f"{kind}_{entry_id}",
            is_fixable=kind == "fault_returned",
            is_persistent=True,
            severity=ir.IssueSeverity.CRITICAL
            if kind == "power_not_restored"
            else ir.IssueSeverity.ERROR,
            translation_key=kind,
            translation_placeholders={
                "name": self._entry.title,
                "code": code or "-",
                "meaning": entry.meaning if entry else "-",
            },
            data={"entry_id": entry_id, "kind": kind, "code": code or ""},
        )
