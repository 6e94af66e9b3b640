"""Fix flows of the fault repair issues."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, UnknownStep
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_setup_component

from .common import CLIMATE, DOMAIN, ERROR_CODE, RELAY, FakeThermostat, tick_to

RESET_STATUS = "sensor.living_room_heat_pump_reset_status"
U4_MEANING = "Signal transmission error between indoor and outdoor units"


async def set_code(hass: HomeAssistant, value: str) -> None:
    """Type a value into the error-code input_text."""
    await hass.services.async_call(
        "input_text",
        "set_value",
        {"entity_id": ERROR_CODE, "value": value},
        blocking=True,
    )
    await hass.async_block_till_done()


async def start_fix_flow(hass: HomeAssistant, issue_id: str) -> dict[str, Any]:
    """Open an issue's fix flow as the repairs dashboard does."""
    assert await async_setup_component(hass, "repairs", {})
    manager = repairs_flow_manager(hass)
    assert manager is not None
    return dict(await manager.async_init(DOMAIN, context={"issue_id": issue_id}))


async def confirm(hass: HomeAssistant, flow_id: str) -> dict[str, Any]:
    """Submit the confirm step."""
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = dict(await manager.async_configure(flow_id, {}))
    await hass.async_block_till_done()
    return result


def state(hass: HomeAssistant, entity_id: str) -> str:
    """Return an entity's state string."""
    current = hass.states.get(entity_id)
    assert current is not None, entity_id
    return current.state


async def test_fault_fix_flow_starts_safe_reset(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """Confirming the repair of a resettable fault power-cycles the unit safely."""
    issue_id = f"fault_{init_integration.entry_id}"
    await set_code(hass, "U4")
    resets = async_capture_events(hass, "heat_pump_care_reset")

    result = await start_fix_flow(hass, issue_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "confirm"
    assert result["description_placeholders"]["code"] == "U4"
    assert result["description_placeholders"]["meaning"] == U4_MEANING
    assert "safe reset" in result["description_placeholders"]["advice"]
    # Nothing happens before the user confirms.
    assert state(hass, RELAY) == "on"
    assert state(hass, RESET_STATUS) == "idle"

    result = await confirm(hass, result["flow_id"])

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert state(hass, CLIMATE) == "off"
    assert state(hass, RELAY) == "off"
    assert state(hass, RESET_STATUS) == "power_off"
    assert [event.data["status"] for event in resets] == ["stopping", "power_off"]
    assert resets[-1].data["error_code_before"] == "U4"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_fault_fix_flow_reports_refused_reset(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A reset the guards refuse by the time of confirming says why, untouched."""
    issue_id = f"fault_{init_integration.entry_id}"
    await set_code(hass, "U4")
    result = await start_fix_flow(hass, issue_id)
    # Someone switched the breaker off by hand meanwhile.
    await hass.services.async_call(
        "input_boolean", "turn_off", {"entity_id": RELAY}, blocking=True
    )

    result = await confirm(hass, result["flow_id"])

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reset_not_allowed"
    assert "already off" in result["description_placeholders"]["reason"]
    assert state(hass, RESET_STATUS) == "idle"
    assert state(hass, CLIMATE) == "heat"
    # An aborted fix leaves the issue in place.
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None


async def _use_daily_limit(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, entry_id: str
) -> None:
    """Two resets that cut the power (the default limit): 10:00 and 11:00."""
    for when in ("2026-11-22T10:00:00+01:00", "2026-11-22T11:00:00+01:00"):
        await tick_to(hass, freezer, when)
        for service in ("start_safe_reset", "cancel_safe_reset"):
            await hass.services.async_call(
                DOMAIN, service, {"config_entry_id": entry_id}, blocking=True
            )
        await hass.async_block_till_done()
    assert state(hass, RESET_STATUS) == "cancelled"


async def test_fault_fix_flow_at_the_daily_limit_offers_no_reset(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """With the limit used the repair says why and when, and offers no reset."""
    issue_id = f"fault_{init_integration.entry_id}"
    await _use_daily_limit(hass, freezer, init_integration.entry_id)
    await set_code(hass, "U4")

    result = await start_fix_flow(hass, issue_id)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reset_not_allowed"
    placeholders = result["description_placeholders"]
    assert placeholders["meaning"] == U4_MEANING
    assert placeholders["reason"] == (
        "Living room heat pump was already reset 2 times in the last 24 hours. "
        "Repeated resets can hide a real fault and damage the compressor. "
        "The next reset is possible from 2026-11-23 10:00."
    )
    assert state(hass, RELAY) == "on"
    assert state(hass, RESET_STATUS) == "cancelled"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None


async def test_fault_fix_flow_offers_the_reset_again_once_allowed(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """At the time the refusal named, the repair offers the reset again."""
    issue_id = f"fault_{init_integration.entry_id}"
    await _use_daily_limit(hass, freezer, init_integration.entry_id)
    await set_code(hass, "U4")

    await tick_to(hass, freezer, "2026-11-23T10:00:00+01:00")
    result = await start_fix_flow(hass, issue_id)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "confirm"


async def _issue_text(hass: HomeAssistant, key: str) -> str:
    translations = await async_get_translations(hass, "en", "issues", {DOMAIN})
    return translations[f"component.{DOMAIN}.issues.fault_reset.fix_flow.{key}"]


async def test_fault_fix_flow_says_how_long_the_power_is_off(
    hass: HomeAssistant,
    devices: FakeThermostat,
    options: dict[str, Any],
) -> None:
    """The confirm step names the heat pump's own power-off time."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=options["name"],
        data={},
        options={**options, "reset_off_minutes": 45},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await set_code(hass, "U4")

    result = await start_fix_flow(hass, f"fault_{entry.entry_id}")

    assert result["step_id"] == "confirm"
    assert result["description_placeholders"]["off_minutes"] == "45"
    text = (await _issue_text(hass, "step.confirm.description")).format(
        **result["description_placeholders"]
    )
    assert "the power of Living room heat pump will be off for 45 minutes" in text
    assert state(hass, RELAY) == "on"


async def test_fault_fix_flow_button_names_the_action(hass: HomeAssistant) -> None:
    """The confirm button reads "Start safe reset", not "Submit"."""
    assert await async_setup_component(hass, DOMAIN, {})

    assert await _issue_text(hass, "step.confirm.submit") == "Start safe reset"


async def test_fault_fix_flow_entry_not_loaded(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A heat pump unloaded while the dialog is open cannot be reset."""
    issue_id = f"fault_{init_integration.entry_id}"
    await set_code(hass, "U4")
    result = await start_fix_flow(hass, issue_id)
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()

    result = await confirm(hass, result["flow_id"])

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "entry_not_loaded"
    assert state(hass, RELAY) == "on"
    assert state(hass, CLIMATE) == "heat"


@pytest.mark.parametrize("code", ["UA", "U0", "Z9"])
async def test_fault_without_reset_has_no_fix_flow(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    code: str,
) -> None:
    """Faults a reset cannot clear (or unknown ones) offer no fix flow."""
    issue_id = f"fault_{init_integration.entry_id}"
    await set_code(hass, code)
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.is_fixable is False

    with pytest.raises(UnknownStep):
        await start_fix_flow(hass, issue_id)
    assert state(hass, RELAY) == "on"


async def test_store_corrupt_issue_is_confirmed(
    hass: HomeAssistant,
    devices: FakeThermostat,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    issue_registry: ir.IssueRegistry,
) -> None:
    """An unreadable store raises a repair that a plain confirm dismisses."""
    entry_id = mock_config_entry.entry_id
    hass_storage[f"{DOMAIN}.{entry_id}"] = {
        "version": 1,
        "minor_version": 2,
        "key": f"{DOMAIN}.{entry_id}",
        "data": {"maintenance": "not a mapping", "reset": {}, "fault": {}},
    }
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry_id)
    await hass.async_block_till_done()
    issue_id = f"store_corrupt_{entry_id}"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
    # Started from the configured dates: filter changed 2026-10-01, 90 days.
    assert state(hass, "sensor.living_room_heat_pump_filter_change_due") == (
        "2026-12-30"
    )

    result = await start_fix_flow(hass, issue_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "confirm"
    assert result["description_placeholders"] == {"name": "Living room heat pump"}
    result = await confirm(hass, result["flow_id"])

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
