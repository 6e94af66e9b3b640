"""The buttons: maintenance done, safe reset and cancel reset."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_capture_events,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion
import yaml

from homeassistant.const import STATE_UNKNOWN, Platform
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util

from .common import RELAY, FakeThermostat
from .reset_helpers import (
    CANCEL_RESET,
    DOMAIN,
    EVENT_RESET,
    SAFE_RESET,
    press,
    reset_status,
    state_of,
    statuses,
    travel,
)

FILTER_CHANGED = "button.living_room_heat_pump_filter_changed"
SERVICE_DONE = "button.living_room_heat_pump_service_done"
FILTER_AGE = "sensor.living_room_heat_pump_days_since_filter_change"
FILTER_DUE = "sensor.living_room_heat_pump_filter_change_due"
SERVICE_DUE = "sensor.living_room_heat_pump_next_service_due"


async def test_buttons_of_a_full_setup(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Each button exists once, tied to the entry, never pressed yet."""
    buttons = {
        entry.entity_id: entry.translation_key
        for entry in er.async_entries_for_config_entry(
            entity_registry, init_integration.entry_id
        )
        if entry.domain == "button"
    }
    assert buttons == {
        FILTER_CHANGED: "filter_changed",
        SERVICE_DONE: "service_done",
        SAFE_RESET: "safe_reset",
        CANCEL_RESET: "cancel_reset",
    }
    for entity_id in buttons:
        assert state_of(hass, entity_id).state == STATE_UNKNOWN


async def test_no_reset_buttons_without_power_switch(
    hass: HomeAssistant, devices: FakeThermostat, options: dict[str, Any]
) -> None:
    """Without a power switch the reset buttons are not created."""
    options.pop("power_switch")
    entry = MockConfigEntry(
        domain=DOMAIN, title=options["name"], data={}, options=options
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(SAFE_RESET) is None
    assert hass.states.get(CANCEL_RESET) is None
    assert hass.states.get(FILTER_CHANGED) is not None


async def test_filter_changed(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Pressing "Filter changed" restarts the filter interval today."""
    assert state_of(hass, FILTER_AGE).state == "52"
    assert state_of(hass, FILTER_DUE).state == "2026-12-30"
    pressed_at = dt_util.utcnow()

    await press(hass, FILTER_CHANGED)

    today = dt_util.now().date()
    assert state_of(hass, FILTER_AGE).state == "0"
    assert date.fromisoformat(state_of(hass, FILTER_DUE).state) == today + timedelta(
        days=90
    )
    assert dt_util.parse_datetime(state_of(hass, FILTER_CHANGED).state) == pressed_at
    # The next day the age counts up from the press, not from the old date.
    await travel(hass, freezer, pressed_at + timedelta(days=1))
    assert state_of(hass, FILTER_AGE).state == "1"


async def test_service_done(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Pressing "Service done" moves the next service a year from today."""
    assert state_of(hass, SERVICE_DUE).state == "2027-03-15"
    await press(hass, SERVICE_DONE)
    today = dt_util.now().date()
    assert date.fromisoformat(state_of(hass, SERVICE_DUE).state) == today + timedelta(
        days=365
    )


async def test_safe_reset_and_cancel_buttons(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_admin_user: MockUser,
) -> None:
    """An administrator starts the reset; the cancel button ends it."""
    events = async_capture_events(hass, EVENT_RESET)
    await press(hass, SAFE_RESET, Context(user_id=hass_admin_user.id))
    assert reset_status(hass) == "power_off"
    assert state_of(hass, RELAY).state == "off"

    await press(hass, CANCEL_RESET, Context(user_id=hass_admin_user.id))
    assert reset_status(hass) == "cancelled"
    assert state_of(hass, RELAY).state == "on"
    assert statuses(events)[0] == "stopping"
    assert statuses(events)[-1] == "cancelled"
    assert all(e.data["config_entry_id"] == init_integration.entry_id for e in events)


async def test_safe_reset_refused_at_the_limit_says_when(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A press over the daily limit names the local date and time of the next."""
    first = dt_util.utcnow()  # 2026-11-22 10:00 in Amsterdam
    for minutes in (0, 90):
        await travel(hass, freezer, first + timedelta(minutes=minutes))
        await press(hass, SAFE_RESET)
        await press(hass, CANCEL_RESET)
    await travel(hass, freezer, first + timedelta(hours=3))

    with pytest.raises(ServiceValidationError) as err:
        await press(hass, SAFE_RESET)

    assert err.value.translation_key == "reset_refused_limit_reached"
    assert err.value.translation_placeholders["next_reset"] == "2026-11-23 10:00"
    assert "The next reset is possible from 2026-11-23 10:00" in str(err.value)
    assert state_of(hass, RELAY).state == "on"


async def test_refusal_time_rounds_up_to_the_minute(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A reset at 10:00:20 frees the limit at 10:00:20: shown as 10:01, not 10:00."""
    first = dt_util.utcnow() + timedelta(seconds=20)
    for minutes in (0, 90):
        await travel(hass, freezer, first + timedelta(minutes=minutes))
        await press(hass, SAFE_RESET)
        await press(hass, CANCEL_RESET)
    await travel(hass, freezer, first + timedelta(hours=23))

    with pytest.raises(ServiceValidationError) as err:
        await press(hass, SAFE_RESET)

    assert err.value.translation_placeholders["next_reset"] == "10:01"


def _dashboard_nodes(heading: str = "Dashboard examples") -> list[dict[str, Any]]:
    """Every mapping in the YAML of one README section ("Dashboard examples")."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"\n## {heading}\n")[1].split("\n## ")[0]
    nodes: list[dict[str, Any]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            nodes.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for block in section.split("```yaml\n")[1:]:
        walk(yaml.safe_load(block.split("```")[0]))
    return nodes


def test_readme_dashboard_asks_before_every_safe_reset() -> None:
    """A card or row of the safe-reset button only presses after a confirmation."""
    taps = [node for node in _dashboard_nodes() if node.get("entity") == SAFE_RESET]

    assert taps, "the dashboard examples show the safe reset"
    for node in taps:
        action = node.get("tap_action") or {}
        assert node.get("type") == "button", node
        assert action.get("perform_action") == "button.press", node
        assert action.get("target") == {"entity_id": SAFE_RESET}, node
        assert action.get("confirmation", {}).get("text"), node


def test_readme_script_button_asks_before_a_safe_reset() -> None:
    """The safe-reset script on a dashboard also runs only after a confirmation."""
    taps = [
        node
        for node in _dashboard_nodes("Blueprints")
        if node.get("entity") == "script.heat_pump_safe_reset"
    ]

    assert taps, "the README shows the script on a dashboard"
    for node in taps:
        assert (node.get("tap_action") or {}).get("confirmation", {}).get("text"), node


@pytest.mark.parametrize("entity_id", [SAFE_RESET, CANCEL_RESET])
async def test_reset_buttons_on_disabled_entry(
    hass: HomeAssistant, init_integration: MockConfigEntry, entity_id: str
) -> None:
    """Unloading removes the buttons' function: they become unavailable."""
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, entity_id).state == "unavailable"


async def test_entities(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    setup_platform: Callable[[Platform], Awaitable[MockConfigEntry]],
) -> None:
    """The button entities of a fully configured heat pump."""
    entry = await setup_platform(Platform.BUTTON)
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)
