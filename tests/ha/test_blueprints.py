"""The blueprints in ``blueprints/``: valid, true to the integration, working.

Static checks load each file with Home Assistant's own blueprint machinery and
compare every ``heat_pump_care.*`` action, event trigger and event-data key
with ``services.yaml`` and the payloads ``coordinator.py`` fires.  The
end-to-end tests instantiate the blueprints as automations and scripts against
a set-up heat pump.
"""

from __future__ import annotations

import ast
import asyncio
from collections.abc import Iterator
from datetime import datetime, timedelta
import json
from pathlib import Path
import re
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
    async_mock_service,
)
import yaml as pyyaml

from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint import BLUEPRINT_SCHEMA, Blueprint
from homeassistant.components.blueprint.models import BlueprintInputs
from homeassistant.const import EVENT_CALL_SERVICE
from homeassistant.core import Event, HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from homeassistant.util.yaml import Input, load_yaml_dict

from custom_components.heat_pump_care import const

from .common import ERROR_CODE, RELAY, FakeThermostat
from .reset_helpers import (
    EVENT_FAULT,
    EVENT_RESET,
    RESET_STATUS,
    helpful_daikin_code,
    reset_status,
    state_of,
)

ROOT = Path(__file__).parents[2]
BLUEPRINTS = ROOT / "blueprints"
INTEGRATION = ROOT / "custom_components" / "heat_pump_care"
BLUEPRINT_FILES = sorted(BLUEPRINTS.rglob("*.yaml"))
MAINTENANCE = "heat_pump_care/maintenance_due_notify.yaml"
AUTO_RESET = "heat_pump_care/auto_safe_reset.yaml"
FAULT_RETURNED = "heat_pump_care/fault_returned_notify.yaml"
SAFE_RESET_SCRIPT = "heat_pump_care/safe_reset.yaml"
MOBILE_ACTION = "mobile_app_notification_action"
PHONE = "mobile_app_test_phone"
FILTER_AGE = "sensor.living_room_heat_pump_days_since_filter_change"
FILTER_DUE = "sensor.living_room_heat_pump_filter_change_due"
AUTOMATION = "automation.blueprint_under_test"
DONE, TOMORROW, WEEK = range(3)  # the notification's buttons, in order
SCHEMAS = {"automation": AUTOMATION_BLUEPRINT_SCHEMA, "script": BLUEPRINT_SCHEMA}


# --- what the integration offers -----------------------------------------------


def _event_payload_keys() -> dict[str, set[str]]:
    """Return the data keys of every event events.py fires, by event type.

    Read from the source: each ``self._fire(kind, type, EVENT_X, {...})``
    call, plus the two keys ``_fire`` adds to every event.
    """
    tree = ast.parse((INTEGRATION / "events.py").read_text(encoding="utf-8"))
    keys: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "_fire"
            and len(node.args) == 4
            and isinstance(node.args[2], ast.Name)
            and isinstance(node.args[3], ast.Dict)
        ):
            event_type = getattr(const, node.args[2].id)
            found = {"config_entry_id", "device_id"} | {
                key.value
                for key in node.args[3].keys
                if isinstance(key, ast.Constant) and isinstance(key.value, str)
            }
            keys.setdefault(event_type, found)
            # Every place that fires one event type sends the same keys.
            assert keys[event_type] == found, event_type
    return keys


PAYLOADS = _event_payload_keys()
# The Companion app's event: its ``action`` is the button's id.
EXTERNAL_PAYLOADS = {MOBILE_ACTION: {"action"}}
SERVICES: dict[str, Any] = pyyaml.safe_load(
    (INTEGRATION / "services.yaml").read_text(encoding="utf-8")
)


def test_payloads_were_found() -> None:
    """The source scan sees the four events with the CONTRACT's keys."""
    assert set(PAYLOADS) == {
        const.EVENT_FAULT,
        const.EVENT_RESET,
        const.EVENT_MAINTENANCE_DUE,
        const.EVENT_HEALTH,
    }
    assert {"config_entry_id", "device_id", "problem", "active"} <= PAYLOADS[
        const.EVENT_HEALTH
    ]
    assert {"config_entry_id", "device_id", "task", "due"} <= PAYLOADS[
        const.EVENT_MAINTENANCE_DUE
    ]
    assert {"code", "category", "returned_after_reset"} <= PAYLOADS[const.EVENT_FAULT]
    assert {"status", "error_code_before"} <= PAYLOADS[const.EVENT_RESET]


# --- static checks ------------------------------------------------------------------


def _load(path: Path) -> dict[str, Any]:
    return load_yaml_dict(path)


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    """Yield every mapping in a YAML tree."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _strings(node: Any) -> Iterator[str]:
    """Yield every string (templates included) in a YAML tree."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _event_types(triggers: Any) -> set[str]:
    return {
        item["event_type"]
        for item in _walk(triggers)
        if item.get("trigger") == "event" and "event_type" in item
    }


def _domain(path: Path) -> str:
    return path.relative_to(BLUEPRINTS).parts[0]


def test_all_five_blueprints_exist() -> None:
    """Four automation blueprints (reset, fault, health, maintenance) and a script."""
    assert [str(p.relative_to(BLUEPRINTS)) for p in BLUEPRINT_FILES] == [
        f"automation/{AUTO_RESET}",
        f"automation/{FAULT_RETURNED}",
        "automation/heat_pump_care/health_problem_notify.yaml",
        f"automation/{MAINTENANCE}",
        f"script/{SAFE_RESET_SCRIPT}",
    ]


@pytest.mark.parametrize("path", BLUEPRINT_FILES, ids=lambda p: p.stem)
def test_blueprint_is_valid(path: Path) -> None:
    """Home Assistant accepts the file as a blueprint of its folder's domain."""
    domain = _domain(path)
    blueprint = Blueprint(
        _load(path),
        path=str(path.relative_to(BLUEPRINTS / domain)),
        expected_domain=domain,
        schema=SCHEMAS[domain],
    )
    meta = blueprint.metadata
    assert blueprint.domain == domain
    assert meta["name"]
    assert len(meta["description"]) > 80
    assert meta["source_url"] == (
        "https://github.com/heat-pump-care/heat_pump_care/blob/main/"
        f"{path.relative_to(ROOT).as_posix()}"
    )
    hacs = json.loads((ROOT / "hacs.json").read_text(encoding="utf-8"))
    assert meta["homeassistant"]["min_version"] == hacs["homeassistant"] == "2026.10.0"
    # The Home Assistant version under test meets the minimum.
    assert blueprint.validate() is None
    for key, spec in blueprint.inputs.items():
        assert spec["name"], key
        assert "selector" in spec, key


@pytest.mark.parametrize("path", BLUEPRINT_FILES, ids=lambda p: p.stem)
def test_inputs_substitute(path: Path) -> None:
    """Every ``!input`` has a definition; defaults fill all but required ones."""
    domain = _domain(path)
    blueprint = Blueprint(_load(path), expected_domain=domain, schema=SCHEMAS[domain])
    given = {"heat_pump": "01JHEATPUMPCARE0000000001"}
    inputs = BlueprintInputs(
        blueprint, {"use_blueprint": {"path": path.name, "input": given}}
    )
    inputs.validate()
    config = inputs.async_substitute()
    assert "blueprint" not in config
    assert config["variables"]["heat_pump"] == "01JHEATPUMPCARE0000000001"
    # Nothing left to substitute.
    assert not [
        v for item in _walk(config) for v in item.values() if isinstance(v, Input)
    ]


@pytest.mark.parametrize("path", BLUEPRINT_FILES, ids=lambda p: p.stem)
def test_service_calls_match_services_yaml(path: Path) -> None:
    """Each heat_pump_care action exists and gets only fields it declares."""
    calls = [
        item
        for item in _walk(_load(path))
        if isinstance(item.get("action"), str)
        and item["action"].startswith(f"{const.DOMAIN}.")
    ]
    # The health notification only reads its event; the others act or look up.
    assert calls or path.stem == "health_problem_notify", "no heat_pump_care action"
    for item in calls:
        service = item["action"].split(".", 1)[1]
        assert service in SERVICES, service
        fields = SERVICES[service]["fields"]
        data = set(item.get("data", {}))
        assert data <= set(fields), (service, data - set(fields))
        required = {key for key, spec in fields.items() if spec.get("required")}
        assert required <= data, (service, required - data)
        if "response_variable" in item:
            assert service in {"lookup_error_code", "search_error_codes"}


@pytest.mark.parametrize(
    "path",
    [p for p in BLUEPRINT_FILES if _domain(p) == "automation"],
    ids=lambda p: p.stem,
)
def test_events_and_their_keys_exist(path: Path) -> None:
    """Triggers use the integration's events and read only keys it sends."""
    data = _load(path)
    known = {**PAYLOADS, **EXTERNAL_PAYLOADS}
    triggered = _event_types(data["triggers"])
    assert triggered
    assert triggered <= set(PAYLOADS)
    waited = _event_types(data["actions"])
    assert waited <= set(known)
    for item in _walk(data):
        if item.get("trigger") == "event":
            assert set(item.get("event_data", {})) <= known[item["event_type"]]
    text = "\n".join(_strings(data))
    read = set(re.findall(r"(?<!wait\.)trigger\.event\.data\.(\w+)", text))
    assert read
    allowed = set().union(*(known[event] for event in triggered))
    assert read <= allowed, read - allowed
    read_wait = set(re.findall(r"wait\.trigger\.event\.data\.(\w+)", text))
    allowed_wait = set().union(set(), *(known[event] for event in waited))
    assert read_wait <= allowed_wait, read_wait - allowed_wait


# --- end to end ------------------------------------------------------------------------


@pytest.fixture
def blueprint_folder(hass: HomeAssistant, tmp_path: Path) -> Path:
    """Give Home Assistant a config folder holding this repository's blueprints."""
    shutil.copytree(BLUEPRINTS, tmp_path / "blueprints")
    hass.config.config_dir = str(tmp_path)
    return tmp_path


@pytest.fixture
def phone(hass: HomeAssistant) -> list[ServiceCall]:
    """Record the notifications sent to a phone."""
    return async_mock_service(hass, "notify", PHONE)


async def _automation(hass: HomeAssistant, path: str, **inputs: Any) -> None:
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "alias": "Blueprint under test",
                "use_blueprint": {"path": path, "input": inputs},
            }
        },
    )
    await hass.async_block_till_done()
    assert state_of(hass, AUTOMATION).state == "on"


def _runs(hass: HomeAssistant) -> int:
    """Return how many runs of the automation are under way."""
    current: int = state_of(hass, AUTOMATION).attributes["current"]
    return current


async def _settle(hass: HomeAssistant) -> None:
    """Run everything that is ready.

    ``hass.async_block_till_done()`` would wait for the automation runs that
    sit in a ``wait_for_trigger`` or ``delay``, so yield to the loop instead.
    """
    for _ in range(100):
        await asyncio.sleep(0)


async def travel(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, when: datetime
) -> None:
    """Move the clock to ``when`` and run every timer that became due."""
    freezer.move_to(when)
    async_fire_time_changed(hass, when)
    await _settle(hass)


async def _stop_automations(hass: HomeAssistant) -> None:
    """Turn the automations off, which ends their waiting runs."""
    await hass.services.async_call(
        "automation", "turn_off", {"entity_id": "all"}, blocking=True
    )
    await hass.async_block_till_done()


def _device_id(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    device = dr.async_get(hass).async_get_device_by_identifier(
        (const.DOMAIN, entry.entry_id), entry.entry_id
    )
    assert device is not None
    return device.id


def _actions(call: ServiceCall) -> list[dict[str, str]]:
    actions: list[dict[str, str]] = call.data["data"]["actions"]
    return actions


async def _tap(hass: HomeAssistant, action: str) -> None:
    hass.bus.async_fire(MOBILE_ACTION, {"action": action})
    await _settle(hass)


async def _due(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    task: str,
    due: str = "2026-11-22",
    task_name: str | None = None,
) -> None:
    hass.bus.async_fire(
        const.EVENT_MAINTENANCE_DUE,
        {
            "config_entry_id": entry.entry_id,
            "device_id": _device_id(hass, entry),
            "task": task,
            "due": due,
            "task_name": task_name,
        },
    )
    await _settle(hass)


def _snoozes(calls: list[Event]) -> list[dict[str, Any]]:
    """Return the data of the snooze_maintenance calls among ``calls``."""
    return [
        dict(call.data["service_data"])
        for call in calls
        if call.data["domain"] == const.DOMAIN
        and call.data["service"] == "snooze_maintenance"
    ]


async def _setup_due_filter(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the heat pump up with its filter due on 2026-11-23 (at midnight)."""
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry,
        options={**entry.options, "filter_last_changed": "2026-08-25"},
    )
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def _local(day: int, hour: int, minute: int = 0) -> datetime:
    """Return a local time in November 2026."""
    tz = dt_util.get_default_time_zone()
    return datetime(2026, 11, day, hour, minute, tzinfo=tz)


@pytest.mark.usefixtures("blueprint_folder")
async def test_maintenance_done_marks_the_task(
    hass: HomeAssistant, init_integration: MockConfigEntry, phone: list[ServiceCall]
) -> None:
    """Due event → phone gets Done / Remind me tomorrow; Done marks it done."""
    await _automation(
        hass,
        MAINTENANCE,
        heat_pump=init_integration.entry_id,
        notify_service=f"notify.{PHONE}",
    )
    assert state_of(hass, FILTER_AGE).state == "52"

    await _due(hass, init_integration, "filter")
    await _due(hass, init_integration, "service")

    assert len(phone) == 2
    filter_call, service_call = phone
    assert filter_call.data["title"] == "Living room heat pump: maintenance due"
    assert filter_call.data["message"] == "Filter change was due on 2026-11-22."
    assert service_call.data["message"].startswith("Professional service")
    assert [a["title"] for a in _actions(filter_call)] == [
        "Done",
        "Remind me tomorrow",
        "Remind me in a week",
    ]
    ids = [a["action"] for call in phone for a in _actions(call)]
    # Unique per run, so a tap answers exactly one notification.
    assert len(set(ids)) == 6
    assert all(re.fullmatch(r"HPC_(DONE|LATER|WEEK)_\w+", i) for i in ids)

    await _tap(hass, _actions(filter_call)[DONE]["action"])

    assert state_of(hass, FILTER_AGE).state == "0"
    last = init_integration.runtime_data.maintenance.state.history[-1]
    # Recorded as done by an automation (the notification's Done).
    assert (last.task, last.done_on.isoformat(), last.source) == (
        "filter",
        "2026-11-22",
        "automation",
    )
    # The service task was not touched by the filter's Done.
    service_due = state_of(hass, "sensor.living_room_heat_pump_next_service_due")
    assert service_due.attributes["last_done"] == "2026-03-15"
    assert len(phone) == 2
    await _tap(hass, _actions(service_call)[DONE]["action"])
    assert _runs(hass) == 0
    service_due = state_of(hass, "sensor.living_room_heat_pump_next_service_due")
    assert service_due.attributes["last_done"] == "2026-11-22"


@pytest.mark.usefixtures("blueprint_folder")
async def test_maintenance_filters_heat_pump_and_tasks(
    hass: HomeAssistant, init_integration: MockConfigEntry, phone: list[ServiceCall]
) -> None:
    """Another heat pump's events and unselected tasks send nothing."""
    await _automation(
        hass,
        MAINTENANCE,
        heat_pump=init_integration.entry_id,
        tasks=["filter"],
        notify_service=PHONE,
    )
    await _due(hass, init_integration, "service")
    hass.bus.async_fire(
        const.EVENT_MAINTENANCE_DUE,
        {"config_entry_id": "other", "device_id": None, "task": "filter", "due": "x"},
    )
    await _settle(hass)
    assert phone == []
    # A bare service name works too ("notify." is added).
    await _due(hass, init_integration, "filter")
    assert len(phone) == 1
    await _stop_automations(hass)


@pytest.mark.usefixtures("blueprint_folder")
async def test_maintenance_waits_for_reminder_time_and_reminds(
    hass: HomeAssistant,
    devices: FakeThermostat,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A real midnight due event to a phone device; unanswered repeats daily.

    The filter falls due at midnight; the notification waits until 09:00 and
    is repeated the next morning when unanswered. "Remind me tomorrow" snoozes
    the filter by one day and ends the run: the integration's due event comes
    back at the next midnight and the notification the next morning; Done on
    that day marks the filter changed.
    """
    mobile_entry = MockConfigEntry(domain="mobile_app", title="Pixel 8")
    mobile_entry.add_to_hass(hass)
    phone_device = dr.async_get(hass).async_get_or_create(
        config_entry_id=mobile_entry.entry_id,
        identifiers={("mobile_app", "pixel-8-id")},
        name="Pixel 8",
    )
    pixel = async_mock_service(hass, "notify", "mobile_app_pixel_8")
    await _setup_due_filter(hass, mock_config_entry)
    await _automation(hass, MAINTENANCE, notify_device=phone_device.id)
    due_events = async_capture_events(hass, const.EVENT_MAINTENANCE_DUE)
    calls = async_capture_events(hass, EVENT_CALL_SERVICE)

    await travel(hass, freezer, _local(23, 0))
    assert [e.data["task"] for e in due_events] == ["filter"]
    assert due_events[0].data["task_name"] is None
    assert pixel == []
    await travel(hass, freezer, _local(23, 8, 59))
    assert pixel == []
    await travel(hass, freezer, _local(23, 9))
    assert len(pixel) == 1
    assert pixel[0].data["message"] == "Filter change was due on 2026-11-23."

    # Unanswered: again the next morning, not before.
    await travel(hass, freezer, _local(24, 8))
    assert len(pixel) == 1
    await travel(hass, freezer, _local(24, 9))
    assert len(pixel) == 2
    assert pixel[1].data["data"]["tag"] == pixel[0].data["data"]["tag"]
    assert _runs(hass) == 1

    await _tap(hass, _actions(pixel[1])[TOMORROW]["action"])
    assert _snoozes(calls) == [
        {"config_entry_id": mock_config_entry.entry_id, "task": "filter", "days": 1}
    ]
    # The due date moved to tomorrow; nothing waits in the automation.
    filter_due = state_of(hass, FILTER_DUE)
    assert filter_due.state == "2026-11-25"
    assert filter_due.attributes["snoozed_until"] == "2026-11-25"
    assert _runs(hass) == 0
    await travel(hass, freezer, _local(24, 20))
    assert len(pixel) == 2

    # The integration announces the task again at midnight of the new date.
    await travel(hass, freezer, _local(25, 0))
    assert [e.data["due"] for e in due_events] == ["2026-11-23", "2026-11-25"]
    assert len(pixel) == 2
    await travel(hass, freezer, _local(25, 9))
    assert len(pixel) == 3
    assert pixel[2].data["message"] == "Filter change was due on 2026-11-25."
    assert pixel[2].data["data"]["tag"] == pixel[0].data["data"]["tag"]
    assert state_of(hass, FILTER_AGE).state == "92"

    await _tap(hass, _actions(pixel[2])[DONE]["action"])
    assert state_of(hass, FILTER_AGE).state == "0"
    # Done ends the snooze.
    assert "snoozed_until" not in state_of(hass, FILTER_DUE).attributes
    assert _runs(hass) == 0
    await travel(hass, freezer, _local(26, 9))
    assert len(pixel) == 3
    assert len(_snoozes(calls)) == 1


@pytest.mark.usefixtures("blueprint_folder")
async def test_maintenance_reminders_end_when_done_elsewhere(
    hass: HomeAssistant,
    devices: FakeThermostat,
    mock_config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Done with the button meanwhile: the waiting run sends no more reminders."""
    pixel = async_mock_service(hass, "notify", "mobile_app_pixel_8")
    await _setup_due_filter(hass, mock_config_entry)
    await _automation(hass, MAINTENANCE, notify_service="notify.mobile_app_pixel_8")
    await travel(hass, freezer, _local(23, 9))
    assert len(pixel) == 1
    assert _runs(hass) == 1
    await hass.services.async_call(
        "button",
        "press",
        {"entity_id": "button.living_room_heat_pump_filter_changed"},
        blocking=True,
    )
    await travel(hass, freezer, _local(24, 9))
    assert len(pixel) == 1
    assert _runs(hass) == 0


@pytest.mark.usefixtures("blueprint_folder")
async def test_maintenance_remind_me_in_a_week(
    hass: HomeAssistant,
    devices: FakeThermostat,
    mock_config_entry: MockConfigEntry,
    phone: list[ServiceCall],
    freezer: FrozenDateTimeFactory,
) -> None:
    """The week button snoozes by seven days; the reminder comes then."""
    await _setup_due_filter(hass, mock_config_entry)
    await _automation(hass, MAINTENANCE, notify_service=f"notify.{PHONE}")
    due_events = async_capture_events(hass, const.EVENT_MAINTENANCE_DUE)
    calls = async_capture_events(hass, EVENT_CALL_SERVICE)

    await travel(hass, freezer, _local(23, 0))
    await travel(hass, freezer, _local(23, 9))
    assert len(phone) == 1
    assert _actions(phone[0])[WEEK]["title"] == "Remind me in a week"

    await _tap(hass, _actions(phone[0])[WEEK]["action"])
    assert _snoozes(calls) == [
        {"config_entry_id": mock_config_entry.entry_id, "task": "filter", "days": 7}
    ]
    filter_due = state_of(hass, FILTER_DUE)
    assert filter_due.state == "2026-11-30"
    assert filter_due.attributes["snoozed_until"] == "2026-11-30"
    assert _runs(hass) == 0

    # No daily reminder while snoozed.
    for day in range(24, 30):
        await travel(hass, freezer, _local(day, 9))
    assert len(phone) == 1
    assert len(due_events) == 1

    await travel(hass, freezer, _local(30, 0))
    assert [e.data["due"] for e in due_events] == ["2026-11-23", "2026-11-30"]
    await travel(hass, freezer, _local(30, 9))
    assert len(phone) == 2
    assert phone[1].data["message"] == "Filter change was due on 2026-11-30."
    await _stop_automations(hass)


DESCALING = {
    "key": "descaling",
    "task_name": "Descale the buffer tank",
    "task_interval_days": 30,
    "task_last_done": "2026-10-24",
}


@pytest.mark.parametrize(
    ("inputs", "notified"),
    [
        ({}, True),
        ({"user_tasks": True, "tasks": ["filter"]}, True),
        ({"user_tasks": False}, False),
        # A key typed into the task list (custom value) passes on its own.
        ({"user_tasks": False, "tasks": ["filter", "descaling"]}, True),
    ],
    ids=["default", "on", "off", "off_but_listed"],
)
@pytest.mark.usefixtures("blueprint_folder")
async def test_maintenance_user_defined_task(
    hass: HomeAssistant,
    devices: FakeThermostat,
    mock_config_entry: MockConfigEntry,
    phone: list[ServiceCall],
    freezer: FrozenDateTimeFactory,
    *,
    inputs: dict[str, Any],
    notified: bool,
) -> None:
    """An own task's key passes with "Also the tasks I added myself" on only.

    The notification names the task by the owner's name, and its buttons work
    on the own task.
    """
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry,
        options={**mock_config_entry.options, "user_tasks": [DESCALING]},
    )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    await _automation(hass, MAINTENANCE, notify_service=PHONE, **inputs)
    due_events = async_capture_events(hass, const.EVENT_MAINTENANCE_DUE)

    await travel(hass, freezer, _local(23, 0))
    assert [(e.data["task"], e.data["task_name"]) for e in due_events] == [
        ("descaling", "Descale the buffer tank")
    ]
    await travel(hass, freezer, _local(23, 9))
    if not notified:
        assert phone == []
        assert _runs(hass) == 0
        return
    assert len(phone) == 1
    assert phone[0].data["message"] == (
        "Descale the buffer tank was due on 2026-11-23."
    )
    assert phone[0].data["data"]["tag"] == (
        f"heat_pump_care_{mock_config_entry.entry_id}_descaling"
    )
    await _tap(hass, _actions(phone[0])[TOMORROW]["action"])
    maintenance = mock_config_entry.runtime_data.maintenance
    assert maintenance.state.snoozed["descaling"].isoformat() == "2026-11-24"
    assert _runs(hass) == 0


@pytest.mark.usefixtures("blueprint_folder")
async def test_maintenance_names_an_unknown_key_by_itself(
    hass: HomeAssistant, init_integration: MockConfigEntry, phone: list[ServiceCall]
) -> None:
    """Without a task name, a key the blueprint does not know is shown as is."""
    await _automation(hass, MAINTENANCE, notify_service=PHONE)
    await _due(hass, init_integration, "descaling")
    await _due(hass, init_integration, "heat_exchanger", task_name="Heat exchanger")
    assert [call.data["message"] for call in phone] == [
        "descaling was due on 2026-11-22.",
        "Heat exchanger was due on 2026-11-22.",
    ]
    await _stop_automations(hass)


async def _set_error_code(hass: HomeAssistant, code: str) -> None:
    await hass.services.async_call(
        "input_text",
        "set_value",
        {"entity_id": ERROR_CODE, "value": code},
        blocking=True,
    )
    await _settle(hass)


@pytest.mark.usefixtures("blueprint_folder")
async def test_auto_safe_reset_runs_once_and_reports(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    phone: list[ServiceCall],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A code a reset may clear starts one reset; the outcome is notified."""
    await _automation(hass, AUTO_RESET, notify_service=f"notify.{PHONE}")
    resets = async_capture_events(hass, EVENT_RESET)
    start = dt_util.utcnow()

    await _set_error_code(hass, helpful_daikin_code())

    assert reset_status(hass) == "power_off"
    assert state_of(hass, RELAY).state == "off"
    assert phone == []
    # Without power the unit's error clears.
    await _set_error_code(hass, "")
    await travel(hass, freezer, start + timedelta(minutes=30))
    await travel(hass, freezer, start + timedelta(minutes=61))
    assert reset_status(hass) == "completed"
    assert state_of(hass, RELAY).state == "on"
    assert [e.data["status"] for e in resets][-1] == "completed"
    assert len(phone) == 1
    assert phone[0].data["title"] == "Living room heat pump: safe reset completed"
    assert "did not come back" in phone[0].data["message"]

    # The same code again within 24 hours: no second reset, no message.
    await _set_error_code(hass, helpful_daikin_code())
    assert reset_status(hass) == "completed"
    assert state_of(hass, RELAY).state == "on"
    assert len(phone) == 1


@pytest.mark.usefixtures("blueprint_folder")
async def test_auto_safe_reset_reports_a_refusal(
    hass: HomeAssistant, init_integration: MockConfigEntry, phone: list[ServiceCall]
) -> None:
    """The power switch is off: the integration refuses and the user is told."""
    await _automation(hass, AUTO_RESET, notify_service=f"notify.{PHONE}")
    await hass.services.async_call(
        "input_boolean", "turn_off", {"entity_id": RELAY}, blocking=True
    )
    await _set_error_code(hass, helpful_daikin_code())
    assert reset_status(hass) == "idle"
    assert len(phone) == 1
    assert phone[0].data["title"] == "Living room heat pump: no safe reset"


@pytest.mark.usefixtures("blueprint_folder")
async def test_auto_safe_reset_ignores_other_codes(
    hass: HomeAssistant, init_integration: MockConfigEntry, phone: list[ServiceCall]
) -> None:
    """Codes whose reset_may_help is not true start nothing."""
    await _automation(hass, AUTO_RESET, notify_service=f"notify.{PHONE}")
    for may_help in (False, None):
        hass.bus.async_fire(
            EVENT_FAULT,
            {
                "config_entry_id": init_integration.entry_id,
                "device_id": _device_id(hass, init_integration),
                "code": "E3",
                "category": "pressure",
                "meaning": "High pressure",
                "reset_may_help": may_help,
                "returned_after_reset": False,
            },
        )
        await hass.async_block_till_done()
    assert reset_status(hass) == "idle"
    assert phone == []


@pytest.mark.usefixtures("blueprint_folder")
async def test_fault_returned_says_call_a_technician(
    hass: HomeAssistant, init_integration: MockConfigEntry, phone: list[ServiceCall]
) -> None:
    """A returned fault is announced with the catalogue's meaning and advice."""
    await _automation(hass, FAULT_RETURNED, notify_service=f"notify.{PHONE}")
    code = helpful_daikin_code()
    lookup = await hass.services.async_call(
        const.DOMAIN,
        "lookup_error_code",
        {"code": code, "config_entry_id": init_integration.entry_id},
        blocking=True,
        return_response=True,
    )
    assert lookup is not None
    base = {
        "config_entry_id": init_integration.entry_id,
        "device_id": _device_id(hass, init_integration),
        "code": code,
        "category": lookup["category"],
        "reset_may_help": True,
    }
    # A first fault is not this blueprint's business.
    hass.bus.async_fire(
        EVENT_FAULT, {**base, "meaning": None, "returned_after_reset": False}
    )
    await hass.async_block_till_done()
    assert phone == []

    # The event has no meaning: the blueprint looks the code up.
    hass.bus.async_fire(
        EVENT_FAULT, {**base, "meaning": None, "returned_after_reset": True}
    )
    await hass.async_block_till_done()
    assert len(phone) == 1
    assert phone[0].data["title"] == "Living room heat pump: call a technician"
    message = phone[0].data["message"]
    assert f"Error {code} ({lookup['meaning']})" in message
    assert str(lookup["advice"]) in message


@pytest.mark.usefixtures("blueprint_folder")
async def test_safe_reset_script(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The script starts a reset with the chosen power-off time."""
    assert await async_setup_component(
        hass,
        "script",
        {
            "script": {
                "heat_pump_safe_reset": {
                    "alias": "Heat pump safe reset",
                    "use_blueprint": {
                        "path": SAFE_RESET_SCRIPT,
                        "input": {
                            "heat_pump": init_integration.entry_id,
                            "off_minutes": 5,
                        },
                    },
                }
            }
        },
    )
    await hass.async_block_till_done()
    script = state_of(hass, "script.heat_pump_safe_reset")
    assert script.attributes["icon"] == "mdi:restart-alert"
    start = dt_util.utcnow()

    await hass.services.async_call("script", "heat_pump_safe_reset", blocking=True)
    await hass.async_block_till_done()

    assert reset_status(hass) == "power_off"
    deadline = state_of(hass, RESET_STATUS).attributes["deadline"]
    assert dt_util.parse_datetime(deadline) == start + timedelta(minutes=5)
    await hass.services.async_call(
        const.DOMAIN,
        "cancel_safe_reset",
        {"config_entry_id": init_integration.entry_id},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert state_of(hass, RELAY).state == "on"
