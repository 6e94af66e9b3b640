"""Test doubles for the devices a heat pump integration works with."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from homeassistant.core import HomeAssistant, ServiceCall, State

DOMAIN = "heat_pump_care"
ENTRY_ID = "01JHEATPUMPCARE0000000001"
CLIMATE = "climate.heatpump"
RELAY = "input_boolean.breaker"
ERROR_CODE = "input_text.error_code"
SWITCH = "switch.breaker"


class FakeThermostat:
    """A climate entity whose services change its state, like a real one."""

    def __init__(self, hass: HomeAssistant, entity_id: str = CLIMATE) -> None:
        """Register the climate services and set the initial state."""
        self.hass = hass
        self.entity_id = entity_id
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.responsive = True
        hass.states.async_set(
            entity_id,
            "heat",
            {
                "hvac_modes": ["off", "heat", "cool", "heat_cool", "auto"],
                "hvac_action": "idle",
                "temperature": 21.5,
                "fan_mode": "auto",
                "fan_modes": ["auto", "low", "high"],
            },
        )
        for service in ("set_hvac_mode", "set_temperature", "set_fan_mode"):
            hass.services.async_register("climate", service, self._handle)

    @property
    def state(self) -> State:
        """Return the current state."""
        state = self.hass.states.get(self.entity_id)
        assert state is not None
        return state

    async def _handle(self, call: ServiceCall) -> None:
        data = {k: v for k, v in call.data.items() if k != "entity_id"}
        self.calls.append((call.service, data))
        if not self.responsive:
            return
        current = self.state
        attrs = dict(current.attributes)
        new_state = current.state
        if call.service == "set_hvac_mode":
            new_state = data["hvac_mode"]
            attrs["hvac_action"] = "off" if new_state == "off" else "idle"
        elif call.service == "set_temperature":
            attrs.update(data)
        elif call.service == "set_fan_mode":
            attrs["fan_mode"] = data["fan_mode"]
        self.hass.states.async_set(self.entity_id, new_state, attrs)

    def set_action(self, action: str) -> None:
        """Report a new hvac_action (what the unit is doing)."""
        current = self.state
        self.hass.states.async_set(
            self.entity_id, current.state, {**current.attributes, "hvac_action": action}
        )

    def set_unavailable(self) -> None:
        """Make the thermostat unavailable (e.g. powered by the heat pump)."""
        self.hass.states.async_set(self.entity_id, "unavailable", {})


class FakeRelay:
    """A switch that may ignore commands or go unavailable."""

    def __init__(self, hass: HomeAssistant, entity_id: str = SWITCH) -> None:
        """Register switch services and start switched on."""
        self.hass = hass
        self.entity_id = entity_id
        self.ignore_on = False
        self.ignore_off = False
        self.calls: list[str] = []
        hass.states.async_set(entity_id, "on")
        for service in ("turn_on", "turn_off"):
            hass.services.async_register("switch", service, self._handle)

    async def _handle(self, call: ServiceCall) -> None:
        self.calls.append(call.service)
        if call.service == "turn_on" and not self.ignore_on:
            self.hass.states.async_set(self.entity_id, "on")
        if call.service == "turn_off" and not self.ignore_off:
            self.hass.states.async_set(self.entity_id, "off")


def state_of(hass: HomeAssistant, entity_id: str) -> State:
    """Return an entity's state, failing the test when it does not exist."""
    state = hass.states.get(entity_id)
    assert state is not None, f"{entity_id} does not exist"
    return state


def state_value(hass: HomeAssistant, entity_id: str) -> str:
    """Return an entity's state string."""
    return state_of(hass, entity_id).state


def attrs_of(hass: HomeAssistant, entity_id: str) -> dict[str, Any]:
    """Return a copy of an entity's attributes."""
    return dict(state_of(hass, entity_id).attributes)


async def tick_to(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, when: str | datetime
) -> None:
    """Move the clock to an instant and let the timers due by then run."""
    freezer.move_to(when)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


def history_of(hass: HomeAssistant, task: str) -> list[dict[str, str]]:
    """Return a task's recent completions (newest first) of the one loaded heat pump."""
    from custom_components.heat_pump_care.maintenance import TaskKey, recent_completions

    (entry,) = hass.config_entries.async_loaded_entries("heat_pump_care")
    return [
        {"date": c.done_on.isoformat(), "source": c.source}
        for c in recent_completions(
            entry.runtime_data.maintenance.state, TaskKey(task), 5
        )
    ]
