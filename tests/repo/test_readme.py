"""The README stays true: generated tables current, every public name documented."""

from __future__ import annotations

import json
from pathlib import Path
import re
import sys
from urllib.parse import quote

import pytest
import yaml

from custom_components.heat_pump_care import const
from custom_components.heat_pump_care.catalog import Catalog
from custom_components.heat_pump_care.options import (
    MAINTENANCE_INT_RANGES,
    RESET_INT_RANGES,
    TASK_DATE_KEYS,
)
from custom_components.heat_pump_care.reset import Phase

ROOT = Path(__file__).parents[2]
README_PATH = ROOT / "README.md"
README = README_PATH.read_text(encoding="utf-8")
INTEGRATION = ROOT / "custom_components" / "heat_pump_care"
CONTRACT = ROOT.parent / "shared" / "CONTRACT.md"

sys.path.insert(0, str(ROOT / "scripts"))
import gen_readme_tables  # noqa: E402

sys.path.remove(str(ROOT / "scripts"))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    """Load the shipped catalogue once."""
    return Catalog.load()


def test_brands_table_is_current(catalog: Catalog) -> None:
    """The generated brands table matches the catalogue (run the generator)."""
    assert gen_readme_tables.readme_is_current(README_PATH, catalog), (
        "README.md is stale: run scripts/run python scripts/gen_readme_tables.py"
    )
    assert gen_readme_tables.main(["--check"]) == 0


def test_brands_table_counts(catalog: Catalog) -> None:
    """Each brand row and the total row carry the catalogue's own counts."""
    block = README.split(gen_readme_tables.BEGIN)[1].split(gen_readme_tables.END)[0]
    rows = block.strip().splitlines()[2:]
    assert len(rows) == len(catalog.brands) + 1
    for slug, brand in catalog.brands.items():
        row = next(r for r in rows if f"| `{slug}` |" in r)
        assert row.startswith(f"| {brand.name} |")
        assert row.endswith(f"| {len(brand.codes)} |")
        for family in brand.families:
            count = sum(1 for entry in brand.codes if entry.family == family.id)
            assert f"({count})" in row
    total = sum(1 for _ in catalog.entries())
    assert rows[-1].endswith(f"| **{total}** |")
    assert f"**Total: {len(catalog.brands)} brands**" in rows[-1]


def test_check_mode_detects_and_fixes_drift(tmp_path: Path) -> None:
    """--check fails on a stale copy; a normal run rewrites only the table."""
    stale = README.replace("| **Total:", "| **Totaal:", 1)
    copy = tmp_path / "README.md"
    copy.write_text(stale, encoding="utf-8")
    assert gen_readme_tables.main(["--check", "--readme", str(copy)]) == 1
    assert gen_readme_tables.main(["--readme", str(copy)]) == 0
    assert copy.read_text(encoding="utf-8") == README
    assert gen_readme_tables.main(["--check", "--readme", str(copy)]) == 0


def test_markers_are_required() -> None:
    """Without its markers the README cannot be updated silently."""
    with pytest.raises(gen_readme_tables.MarkersMissingError):
        gen_readme_tables.update_readme("# no markers here\n", "| table |")
    updated = gen_readme_tables.update_readme(
        f"a\n{gen_readme_tables.BEGIN}\nold\n{gen_readme_tables.END}\nb\n", "new"
    )
    assert updated == (
        f"a\n{gen_readme_tables.BEGIN}\nnew\n{gen_readme_tables.END}\nb\n"
    )


def test_every_service_is_documented() -> None:
    """Each service has a section, and each of its fields is named."""
    services = yaml.safe_load((INTEGRATION / "services.yaml").read_text("utf-8"))
    for service, spec in services.items():
        heading = f"### `{const.DOMAIN}.{service}`"
        assert heading in README, service
        section = README.split(heading)[1].split("\n### ")[0]
        for field in spec["fields"]:
            assert f"`{field}`" in section, (service, field)
        assert f"action: {const.DOMAIN}.{service}" in section, service


def test_every_event_is_documented() -> None:
    """Each event type is in the events table with its data keys."""
    for event in (const.EVENT_FAULT, const.EVENT_RESET, const.EVENT_MAINTENANCE_DUE):
        row = next(r for r in README.splitlines() if r.startswith(f"| `{event}`"))
        for key in ("config_entry_id", "device_id"):
            assert f"`{key}`" in row
    assert "`returned_after_reset`" in README
    assert "`error_code_before`" in README


def test_every_entity_name_is_documented() -> None:
    """Each entity's English name (en.json) is in the entities table."""
    strings = json.loads((INTEGRATION / "translations" / "en.json").read_text("utf-8"))
    for platform, entities in strings["entity"].items():
        for key, spec in entities.items():
            assert f"| {platform} | **{spec['name']}**" in README, (platform, key)


def test_every_reset_state_is_documented() -> None:
    """Each reset status state is listed."""
    row = next(r for r in README.splitlines() if "| **Reset status**" in r)
    for phase in Phase:
        assert f"`{phase}`" in row


def test_every_config_key_is_documented() -> None:
    """Every config, options and CONTRACT key appears as code in the README."""
    keys = {
        value
        for name, value in vars(const).items()
        if name.startswith("CONF_") and isinstance(value, str)
    }
    keys |= {key for pair in TASK_DATE_KEYS.values() for key in pair}
    if CONTRACT.exists():
        contract = CONTRACT.read_text(encoding="utf-8")
        config = contract.split("## Config flow")[1].split("## Entities")[0]
        keys |= set(re.findall(r"^\| `(\w+)` \|", config, flags=re.MULTILINE))
    missing = sorted(key for key in keys if f"`{key}`" not in README)
    assert not missing


@pytest.mark.parametrize(
    ("key", "low", "high"),
    [
        *((key, low, high) for key, (low, high) in MAINTENANCE_INT_RANGES.items()),
        *((key, low, high) for key, (low, high, _) in RESET_INT_RANGES.items()),
    ],
)
def test_ranges_match_the_code(key: str, low: int, high: int) -> None:
    """The documented range of each number setting is the one the flow enforces."""
    row = next(
        r.strip() for r in README.splitlines() if r.strip().startswith(f"| `{key}` |")
    )
    # Optional tasks document "0 = off" beside their lower bound.
    assert f"{low}\N{EN DASH}{high}" in row or (low == 0 and "0 = off" in row), row


def test_blueprints_are_linked() -> None:
    """Each blueprint file has a link and a My Home Assistant import button."""
    for path in sorted((ROOT / "blueprints").rglob("*.yaml")):
        relative = path.relative_to(ROOT).as_posix()
        assert f"]({relative})" in README, relative
        url = f"https://github.com/heat-pump-care/heat_pump_care/blob/main/{relative}"
        assert (
            "https://my.home-assistant.io/redirect/blueprint_import/?blueprint_url="
            f"{quote(url, safe='')}"
        ) in README, relative


def test_install_developer_and_placeholder_sections() -> None:
    """The HACS button, the two commands and the bench markers are there."""
    assert (
        "https://my.home-assistant.io/redirect/hacs_repository/"
        "?owner=heat-pump-care&repository=heat_pump_care&category=integration"
    ) in README
    hacs = json.loads((ROOT / "hacs.json").read_text(encoding="utf-8"))
    assert f"**{hacs['homeassistant']}**" in README
    for text in ("scripts/develop", "scripts/test", ".ci/run", "dev-password"):
        assert text in README
    dev_config = (ROOT / "dev" / "configuration.yaml").read_text(encoding="utf-8")
    for entity in (
        "input_boolean.heat_pump_breaker",
        "input_text.heat_pump_error_code",
    ):
        domain, object_id = entity.split(".")
        assert f"{domain}:\n  {object_id}:" in dev_config
        assert f"`{entity}`" in README
    assert README.index("<!-- BEGIN bench -->") < README.index("<!-- END bench -->")
    for image in re.findall(r"docs/screenshots/(\w+\.png)", README):
        assert (ROOT / "docs" / "screenshots" / image).is_file(), image
