"""Test doubles for the devices a heat pump works with, and shared test helpers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from freezegun.api import FrozenDateTimeFactory
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
    async_test_home_assistant,
)

from homeassistant import loader
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Event, HomeAssistant, ServiceCall, State
from homeassistant.setup import async_setup_component

DOMAIN = "heat_pump_care"
ENTRY_ID = "01JHEATPUMPCARE0000000001"
CLIMATE = "climate.heatpump"
RELAY = "input_boolean.breaker"
ERROR_CODE = "input_text.error_code"
SWITCH = "switch.breaker"
STORAGE_KEY = f"{DOMAIN}.{ENTRY_ID}"
EVENT_DUE = "heat_pump_care_maintenance_due"
TODO = "todo.living_room_heat_pump_maintenance"
CALENDAR = "calendar.living_room_heat_pump_maintenance_schedule"


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
    """Return a task's (built-in or own) recent completions, newest first."""
    from custom_components.heat_pump_care.maintenance import recent_completions

    (entry,) = hass.config_entries.async_loaded_entries("heat_pump_care")
    return [
        {"date": c.done_on.isoformat(), "source": c.source}
        for c in recent_completions(entry.runtime_data.maintenance.state, task, 5)
    ]


async def heat_until(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    thermostat: FakeThermostat,
    when: str,
) -> None:
    """Let the heat pump run from now until ``when``, then go idle."""
    thermostat.set_action("heating")
    await hass.async_block_till_done()
    await tick_to(hass, freezer, when)
    thermostat.set_action("idle")
    await hass.async_block_till_done()


def stored_maintenance(hass_storage: dict[str, Any]) -> dict[str, Any]:
    """Return the maintenance section of the heat pump's stored file."""
    maintenance: dict[str, Any] = hass_storage[STORAGE_KEY]["data"]["maintenance"]
    return maintenance


# ------------------------------------------------------ the integration's services


async def call_service(hass: HomeAssistant, service: str, **data: Any) -> None:
    """Call one of the integration's services on the heat pump."""
    await hass.services.async_call(
        DOMAIN, service, {"config_entry_id": ENTRY_ID, **data}, blocking=True
    )
    await hass.async_block_till_done()


async def mark_done(hass: HomeAssistant, **data: Any) -> None:
    """Call ``mark_maintenance_done`` on the heat pump."""
    await call_service(hass, "mark_maintenance_done", **data)


async def snooze(hass: HomeAssistant, **data: Any) -> None:
    """Call ``snooze_maintenance`` on the heat pump."""
    await call_service(hass, "snooze_maintenance", **data)


async def service_response(
    hass: HomeAssistant, service: str, **data: Any
) -> dict[str, Any]:
    """Call one of the integration's response-only services; return its response."""
    response = await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )
    assert response is not None
    return dict(response)


async def maintenance_history(hass: HomeAssistant, **data: Any) -> list[dict[str, Any]]:
    """Return the history rows of ``get_maintenance_history``."""
    response = await service_response(
        hass, "get_maintenance_history", config_entry_id=ENTRY_ID, **data
    )
    assert set(response) == {"history"}
    return cast("list[dict[str, Any]]", response["history"])


# ------------------------------------------------------ to-do list and calendar


async def todo_items(hass: HomeAssistant) -> list[dict[str, Any]]:
    """Return the maintenance to-do items, in the list's order."""
    response = await hass.services.async_call(
        "todo", "get_items", {"entity_id": TODO}, blocking=True, return_response=True
    )
    assert response is not None
    result = cast("dict[str, Any]", response[TODO])
    return cast("list[dict[str, Any]]", result["items"])


def todo_item(items: list[dict[str, Any]], uid: str) -> dict[str, Any]:
    """Return the to-do item with this uid."""
    return next(item for item in items if item["uid"] == uid)


async def update_todo_item(hass: HomeAssistant, item: str, **changes: Any) -> None:
    """Change a maintenance to-do item (``status``, ``due_date``) by uid or name."""
    await hass.services.async_call(
        "todo",
        "update_item",
        {"item": item, **changes},
        target={"entity_id": TODO},
        blocking=True,
    )
    await hass.async_block_till_done()


async def calendar_events(
    hass: HomeAssistant, start: str, end: str
) -> list[dict[str, Any]]:
    """Return the maintenance calendar's events between two instants."""
    response = await hass.services.async_call(
        "calendar",
        "get_events",
        {"entity_id": CALENDAR, "start_date_time": start, "end_date_time": end},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    result = cast("dict[str, Any]", response[CALENDAR])
    return cast("list[dict[str, Any]]", result["events"])


# -------------------------------------------------------------------- restart


async def setup_entry(hass: HomeAssistant, options: dict[str, Any]) -> MockConfigEntry:
    """Add the heat pump with these options and set it up."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=options["name"],
        data={},
        options=options,
        entry_id=ENTRY_ID,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


@dataclass
class SecondInstance:
    """A Home Assistant started after the first one stopped."""

    hass: HomeAssistant
    thermostat: FakeThermostat
    due_events: list[Event]
    saved_at_stop: dict[str, Any] | None


@asynccontextmanager
async def restart(
    first: HomeAssistant,
    storage_data: dict[str, Any],
    options: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    start_at: str,
    *,
    action: str = "idle",
) -> AsyncIterator[SecondInstance]:
    """Stop ``first`` now; start a second instance on its storage at ``start_at``."""
    await first.async_stop(force=True)
    saved_at_stop = copy.deepcopy(storage_data.get(STORAGE_KEY))
    # The stopped instance is gone: its timers must not run on the shared loop.
    for entry in first.config_entries.async_entries(DOMAIN):
        if entry.state is ConfigEntryState.LOADED:
            assert await first.config_entries.async_unload(entry.entry_id)
    freezer.move_to(start_at)
    async with async_test_home_assistant(config_dir=first.config.config_dir) as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
        await hass.config.async_set_time_zone("Europe/Amsterdam")
        assert await async_setup_component(
            hass, "input_boolean", {"input_boolean": {"breaker": {"initial": True}}}
        )
        assert await async_setup_component(
            hass, "input_text", {"input_text": {"error_code": {"initial": ""}}}
        )
        thermostat = FakeThermostat(hass)
        thermostat.set_action(action)
        events = async_capture_events(hass, EVENT_DUE)
        entry = await setup_entry(hass, options)
        try:
            yield SecondInstance(hass, thermostat, events, saved_at_stop)
        finally:
            assert await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_block_till_done()
            await hass.async_stop(force=True)
