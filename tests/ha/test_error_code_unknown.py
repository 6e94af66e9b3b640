"""A code the catalogue does not know: shown as the unit shows it, explained plainly."""

from __future__ import annotations

import json
from pathlib import Path

from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .common import DOMAIN, state_of
from .test_error_code import (
    ERROR_SENSOR,
    EVENT_FAULT,
    LAST_ERROR_SENSOR,
    fault_issue,
    set_code,
)

TRANSLATIONS = Path(__file__).parents[2] / "custom_components" / DOMAIN / "translations"


async def test_unknown_code_is_not_split_into_a_sub_code(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """``XYZ`` stays ``XYZ`` everywhere: not ``XY-Z`` with sub-code ``Z``."""
    events = async_capture_events(hass, EVENT_FAULT)

    await set_code(hass, "XYZ")

    assert state_of(hass, ERROR_SENSOR).state == "XYZ"
    assert state_of(hass, LAST_ERROR_SENSOR).state == "XYZ"
    assert init_integration.runtime_data.data.fault.sub_code is None
    assert [event.data["code"] for event in events] == ["XYZ"]
    issue = fault_issue(issue_registry, init_integration)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["code"] == "XYZ"


async def test_unknown_code_keeps_the_units_spelling(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    await set_code(hass, "xy 7")

    assert state_of(hass, ERROR_SENSOR).state == "xy 7"


async def test_unknown_code_repair_is_written_in_sentences(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """The repair has its own text; no meaning placeholder filled with "-"."""
    await set_code(hass, "XYZ")

    issue = fault_issue(issue_registry, init_integration)
    assert issue is not None
    assert issue.translation_key == "fault_unknown"
    assert issue.translation_placeholders == {
        "name": "Living room heat pump",
        "code": "XYZ",
    }
    english = json.loads((TRANSLATIONS / "en.json").read_text(encoding="utf-8"))
    description = english["issues"]["fault_unknown"]["description"].format(
        **issue.translation_placeholders
    )
    assert description.startswith("Living room heat pump shows error code XYZ.")
    assert "\n-" not in description
    assert not description.startswith("-")


async def test_known_code_repair_is_unchanged(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A known code still gets its meaning and advice in the repair."""
    await set_code(hass, "UA")

    issue = fault_issue(issue_registry, init_integration)
    assert issue is not None
    assert issue.translation_key == "fault"
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["meaning"]
    assert issue.translation_placeholders["advice"]
