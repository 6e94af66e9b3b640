"""Every icon the integration shows exists in the icon set the frontend ships.

Home Assistant's frontend draws ``mdi:`` icons from its own copy of Material
Design Icons; a name that copy lacks is drawn blank.  Its list of names is
``hass_frontend/static/mdi/iconList.json`` in the ``home-assistant-frontend``
package.  requirements_test.txt installs the version the pinned Home Assistant
requires, so these checks run wherever the suite runs (CI included): a missing
package fails here, it never skips.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import metadata
import json
from pathlib import Path
import re
from typing import Any

import pytest

import homeassistant

ROOT = Path(__file__).parents[2]
INTEGRATION = ROOT / "custom_components" / "heat_pump_care"
ICON = re.compile(r"(?<![\w-])mdi:([a-z0-9]+(?:-[a-z0-9]+)*)")
#: Where icons are written down: what a user sees (entities, actions,
#: blueprints, the README's and docs' dashboard examples) and the development
#: instance the README's screenshots come from.
SOURCES = sorted(
    {
        *(
            path
            for path in INTEGRATION.rglob("*")
            if path.suffix in {".json", ".yaml", ".py"}
            and "data" not in path.relative_to(INTEGRATION).parts
            and "__pycache__" not in path.parts
        ),
        *ROOT.glob("blueprints/**/*.yaml"),
        ROOT / "README.md",
        *ROOT.glob("docs/**/*.md"),
        *ROOT.glob("dev/**/*.yaml"),
        *ROOT.glob("e2e/*.py"),
    }
)


def _frontend() -> Path:
    try:
        import hass_frontend
    except ImportError:
        pytest.fail(
            "home-assistant-frontend is not installed: it is in "
            "requirements_test.txt (run scripts/setup)"
        )
    return Path(hass_frontend.where())


@pytest.fixture(scope="module")
def frontend_icons() -> frozenset[str]:
    """The icon names the frontend can draw."""
    icon_list = _frontend() / "static" / "mdi" / "iconList.json"
    return frozenset(
        item["name"] for item in json.loads(icon_list.read_text(encoding="utf-8"))
    )


def _icons_json_leaves(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _icons_json_leaves(value, f"{path}.{key}" if path else key)
    else:
        yield path, node


def _icons_in(path: Path) -> set[str]:
    return set(ICON.findall(path.read_text(encoding="utf-8")))


def test_frontend_is_the_one_home_assistant_requires() -> None:
    """The icon list checked is that of the frontend the pinned core loads."""
    manifest = json.loads(
        (
            Path(homeassistant.__file__).parent
            / "components"
            / "frontend"
            / "manifest.json"
        ).read_text(encoding="utf-8")
    )
    version = metadata.version("home-assistant-frontend")
    assert f"home-assistant-frontend=={version}" in manifest["requirements"]


def test_every_icon_in_icons_json_exists(frontend_icons: frozenset[str]) -> None:
    """Entity and action icons (icons.json) are names the frontend draws."""
    icons = json.loads((INTEGRATION / "icons.json").read_text(encoding="utf-8"))
    leaves = dict(_icons_json_leaves(icons))
    not_mdi = {
        path: value for path, value in leaves.items() if not ICON.fullmatch(value)
    }
    assert not not_mdi, f"not an mdi: icon: {not_mdi}"
    missing = {
        path: value
        for path, value in leaves.items()
        if value.removeprefix("mdi:") not in frontend_icons
    }
    assert not missing, f"icons the frontend does not ship: {missing}"


@pytest.mark.parametrize(
    "source", SOURCES, ids=lambda path: str(path.relative_to(ROOT))
)
def test_every_icon_written_down_exists(
    frontend_icons: frozenset[str], source: Path
) -> None:
    """Blueprints, dashboard examples, services and code use existing icons."""
    missing = sorted(_icons_in(source) - frontend_icons)
    assert not missing, f"{source.relative_to(ROOT)}: {missing}"


def test_the_scan_finds_the_icons() -> None:
    """The scan is not vacuous: it sees the icons where they are known to be."""
    assert _icons_in(INTEGRATION / "icons.json") >= {"air-filter", "restart-alert"}
    assert "restart-alert" in _icons_in(
        ROOT / "blueprints" / "script" / "heat_pump_care" / "safe_reset.yaml"
    )
    assert ICON.findall("icon: mdi:calendar-wrench, mdi:x-y2") == [
        "calendar-wrench",
        "x-y2",
    ]


def test_a_missing_icon_is_caught(frontend_icons: frozenset[str]) -> None:
    """The two names issue 17 found blank are indeed not in the list."""
    assert "air-filter" in frontend_icons
    assert not {"air-filter-remove", "calendar-wrench"} & frontend_icons
