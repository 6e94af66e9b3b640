"""What hassfest and the HACS action would check, checked offline."""

from __future__ import annotations

import json
from pathlib import Path
import re
import struct
from typing import Any

from awesomeversion import AwesomeVersion
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from homeassistant.core import HomeAssistant

from custom_components.heat_pump_care import reset
from custom_components.heat_pump_care.binary_sensor import BINARY_SENSORS
from custom_components.heat_pump_care.button import BUTTONS
from custom_components.heat_pump_care.entity import task_entity
from custom_components.heat_pump_care.sensor import SENSORS

ROOT = Path(__file__).parents[2]
INTEGRATION = ROOT / "custom_components" / "heat_pump_care"
DOMAIN = "heat_pump_care"


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def en() -> dict[str, Any]:
    return _json(INTEGRATION / "translations" / "en.json")


def test_manifest() -> None:
    """Keys hassfest and HACS require, in hassfest's order."""
    manifest = _json(INTEGRATION / "manifest.json")
    keys = list(manifest)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])
    assert manifest["domain"] == INTEGRATION.name == DOMAIN
    for key in ("codeowners", "documentation", "issue_tracker", "version", "iot_class"):
        assert manifest[key], key
    assert manifest["documentation"].startswith("https://")
    assert manifest["issue_tracker"].startswith("https://")
    assert manifest["config_flow"] is True
    assert manifest["integration_type"] == "device"
    assert manifest["iot_class"] == "calculated"
    assert manifest["requirements"] == []
    assert AwesomeVersion(manifest["version"]).valid


def test_hacs_json() -> None:
    """hacs.json holds only keys HACS accepts and a minimum HA version."""
    hacs = _json(ROOT / "hacs.json")
    allowed = {
        "name",
        "content_in_root",
        "zip_release",
        "filename",
        "hide_default_branch",
        "country",
        "homeassistant",
        "hacs",
        "persistent_directory",
    }
    assert set(hacs) <= allowed
    assert hacs["name"] == "Heat Pump Care"
    assert AwesomeVersion(hacs["homeassistant"]) >= AwesomeVersion("2026.10.0")


@pytest.mark.parametrize(
    ("name", "min_side"),
    [
        ("icon.png", 256),
        ("icon@2x.png", 512),
        ("dark_icon.png", 256),
        ("dark_icon@2x.png", 512),
        ("logo.png", 128),
        ("logo@2x.png", 256),
        ("dark_logo.png", 128),
        ("dark_logo@2x.png", 256),
    ],
)
def test_brand_images(name: str, min_side: int) -> None:
    """Brand images exist as PNGs of the sizes the brands rules ask for."""
    data = (INTEGRATION / "brand" / name).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert min(width, height) == min_side
    if name.endswith("icon.png") or "icon@" in name:
        assert width == height


async def test_services_match(
    hass: HomeAssistant, init_integration: MockConfigEntry, en: dict[str, Any]
) -> None:
    """services.yaml == registered services == translated services and fields."""
    described = yaml.safe_load((INTEGRATION / "services.yaml").read_text())
    registered = set(hass.services.async_services_for_domain(DOMAIN))
    assert set(described) == registered
    assert set(en["services"]) == registered
    icons = _json(INTEGRATION / "icons.json")
    assert set(icons["services"]) == registered
    for service, spec in described.items():
        fields = set(spec.get("fields", {}))
        assert set(en["services"][service]["fields"]) == fields, service
        assert en["services"][service]["name"]
        assert en["services"][service]["description"]
    task_options = described["mark_maintenance_done"]["fields"]["task"]["selector"][
        "select"
    ]
    assert set(en["selector"][task_options["translation_key"]]["options"]) == set(
        task_options["options"]
    )


def test_entity_translations_and_icons(en: dict[str, Any]) -> None:
    """Every entity translation key is named in en.json and has a valid icon.

    The owner's own tasks add one due sensor, problem sensor and done button
    each, named by a shared translation with the task's name filled in.
    """
    icons = _json(INTEGRATION / "icons.json")["entity"]
    own = [task_entity("own_task", kind).translation_key for kind in range(3)]
    used = {
        "sensor": {d.translation_key for d in SENSORS} | {own[0]},
        "binary_sensor": {d.translation_key for d in BINARY_SENSORS} | {own[1]},
        "button": {d.translation_key for d in BUTTONS} | {own[2]},
        "todo": {"maintenance"},
        "calendar": {"maintenance"},
    }
    for platform, keys in used.items():
        assert keys == set(en["entity"][platform]), platform
        assert keys == set(icons[platform]), platform
        for key in keys:
            assert en["entity"][platform][key]["name"]
            spec = icons[platform][key]
            assert set(spec) <= {"default", "state", "range", "state_attributes"}
            for icon in [spec["default"], *spec.get("state", {}).values()]:
                assert re.fullmatch(r"mdi:[a-z0-9-]+", icon), icon
    reset_states = next(d for d in SENSORS if d.key == "reset_status").options
    assert reset_states is not None
    assert set(en["entity"]["sensor"]["reset_status"]["state"]) == set(reset_states)
    assert set(icons["sensor"]["reset_status"]["state"]) == set(reset_states)


def test_contract_names(en: dict[str, Any]) -> None:
    """The CONTRACT's config keys and entity names are exactly as promised."""
    user = en["config"]["step"]["user"]["data"]
    assert set(user) == {
        "name",
        "brand",
        "model",
        "climate_entity",
        "power_switch",
        "error_code_entity",
    }
    maintenance = en["config"]["step"]["maintenance"]["data"]
    assert set(maintenance) == {
        "filter_last_changed",
        "filter_interval_days",
        "service_last_done",
        "service_interval_days",
    }
    options = en["options"]["step"]
    assert {
        "reset_off_minutes",
        "max_resets_per_day",
        "fault_watch_minutes",
    } <= set(options["safe_reset"]["data"])
    assert "filter_runtime_hours" in options["maintenance"]["data"]
    names = {
        ("sensor", "filter_age"): "Days since filter change",
        ("sensor", "filter_due"): "Filter change due",
        ("sensor", "filter_runtime"): "Filter runtime",
        ("sensor", "service_due"): "Next service due",
        ("binary_sensor", "filter_overdue"): "Filter change needed",
        ("binary_sensor", "service_overdue"): "Service needed",
        ("button", "filter_changed"): "Filter changed",
        ("button", "service_done"): "Service done",
        ("button", "safe_reset"): "Safe reset",
        ("button", "cancel_reset"): "Cancel reset",
        ("sensor", "reset_status"): "Reset status",
        ("sensor", "power_restore_at"): "Power restore time",
        ("sensor", "error_code"): "Error code",
        ("binary_sensor", "fault"): "Fault",
        ("todo", "maintenance"): "Maintenance",
        ("calendar", "maintenance"): "Maintenance schedule",
    }
    for (platform, key), name in names.items():
        assert en["entity"][platform][key]["name"] == name
    assert {
        "idle",
        "power_off",
        "restoring",
        "monitoring",
        "completed",
        "failed",
        "cancelled",
    } <= set(en["entity"]["sensor"]["reset_status"]["state"])


def test_exception_and_issue_keys_translated(en: dict[str, Any]) -> None:
    """Every translation_key raised or used for an issue has English text."""
    source = "\n".join(path.read_text() for path in INTEGRATION.glob("*.py"))
    keys = set(re.findall(r'translation_key="([a-z0-9_]+)"', source))
    refusals = {
        f"reset_refused_{value}"
        for name, value in vars(reset).items()
        if name.startswith("REFUSE_")
    }
    assert refusals
    exceptions = set(en["exceptions"])
    issues = set(en["issues"])
    assert refusals <= exceptions
    entity_keys = {key for platform in en["entity"].values() for key in platform}
    missing = {key for key in keys - entity_keys if key not in exceptions | issues}
    assert not missing
    for key in ("filter", "service", "condensate_drain", "outdoor_unit"):
        assert f"{key}_overdue" in issues
    for key in (
        "fault",
        "fault_reset",
        "fault_returned",
        "power_not_restored",
        "store_corrupt",
    ):
        assert key in issues


def test_config_flow_errors_translated(en: dict[str, Any]) -> None:
    """Every form error the flows can return has English text."""
    source = (INTEGRATION / "flow_schemas.py").read_text()
    errors = set(re.findall(r'errors\[[^\]]+\] = "([a-z_]+)"', source))
    errors |= set(re.findall(r'return "([a-z_]+)"', source))
    assert errors
    assert errors <= set(en["config"]["error"])
    assert errors <= set(en["options"]["error"])
    from custom_components.heat_pump_care.catalog import custom

    custom_errors = {
        value for name, value in vars(custom).items() if name.startswith("ERROR_")
    }
    assert custom_errors <= set(en["options"]["error"])


RULES = {
    "bronze": """action-setup appropriate-polling brands common-modules
        config-flow-test-coverage config-flow dependency-transparency docs-actions
        docs-high-level-description docs-installation-instructions
        docs-removal-instructions docs-triggers docs-conditions entity-event-setup
        entity-unique-id has-entity-name runtime-data test-before-configure
        test-before-setup unique-config-entry""",
    "silver": """action-exceptions config-entry-unloading
        docs-configuration-parameters docs-installation-parameters
        entity-unavailable integration-owner log-when-unavailable parallel-updates
        reauthentication-flow test-coverage""",
    "gold": """devices diagnostics discovery discovery-update-info docs-data-update
        docs-examples docs-known-limitations docs-supported-devices
        docs-supported-functions docs-troubleshooting docs-use-cases
        dynamic-devices entity-category entity-device-class
        entity-disabled-by-default entity-translations exception-translations
        icon-translations reconfiguration-flow repair-issues stale-devices""",
    "platinum": "async-dependency inject-websession strict-typing",
}


def test_quality_scale_complete() -> None:
    """Every rule of bronze..platinum is done, or exempt with a reason."""
    scale = yaml.safe_load((INTEGRATION / "quality_scale.yaml").read_text())["rules"]
    expected = {rule for tier in RULES.values() for rule in tier.split()}
    assert len(expected) == 54
    assert set(scale) == expected
    for rule, value in scale.items():
        if isinstance(value, dict):
            assert value["status"] == "exempt", rule
            assert value["comment"].strip(), rule
        else:
            assert value == "done", rule
    manifest = _json(INTEGRATION / "manifest.json")
    assert manifest["quality_scale"] == "platinum"
    for platform in ("sensor", "binary_sensor", "button", "todo", "calendar"):
        source = (INTEGRATION / f"{platform}.py").read_text()
        assert "PARALLEL_UPDATES = " in source, platform
