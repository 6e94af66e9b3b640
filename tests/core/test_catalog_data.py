"""Integrity of every catalogue data file, the build script and the docs."""

from __future__ import annotations

import gc
import importlib.util
import json
from pathlib import Path
import re
import sys
import time
from types import ModuleType
from typing import Any

import pytest

from custom_components.heat_pump_care.catalog import DATA_DIR, Catalog, Category
from custom_components.heat_pump_care.catalog.index import _BrandIndex
from custom_components.heat_pump_care.catalog.models import (
    HARMFUL_RESET_CATEGORIES,
    Severity,
)
from custom_components.heat_pump_care.catalog.normalise import code_key

ROOT = Path(__file__).resolve().parents[2]
DATA_FILES = sorted(DATA_DIR.glob("*.json"))
SLUG = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
CATEGORIES = {str(c) for c in Category}
SEVERITIES = {str(s) for s in Severity}
ORIGINAL_BRANDS = {
    "bosch",
    "carrier",
    "daikin",
    "gree",
    "haier",
    "hitachi",
    "lg",
    "midea",
    "mitsubishi_electric",
    "mitsubishi_heavy_industries",
    "panasonic",
    "samsung",
    "toshiba",
}


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_all_original_brands_present() -> None:
    assert {p.stem for p in DATA_FILES} >= ORIGINAL_BRANDS


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.stem)
def test_file_schema(path: Path) -> None:
    data = _load(path)
    assert data["schema"] == 1
    assert data["brand"] == path.stem
    assert SLUG.match(data["brand"])
    assert isinstance(data["name"], str)
    assert data["name"]
    assert isinstance(data.get("no_error_values", []), list)
    assert isinstance(data.get("normalisation", {}), dict)
    families = data["families"]
    assert families, "at least one family"
    family_ids = [f["id"] for f in families]
    assert len(family_ids) == len(set(family_ids))
    for family in families:
        assert SLUG.match(family["id"]), family["id"]
        assert family["name"]
    for source_id, source in data["sources"].items():
        assert source["title"], source_id
        assert source["url"].startswith(("https://", "http://")), source_id
        assert source["reliability"] in {"manufacturer", "secondary"}, source_id
        assert "publisher" in source


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.stem)
def test_file_rows(path: Path) -> None:
    data = _load(path)
    family_ids = {f["id"] for f in data["families"]}
    seen: set[tuple[str, str]] = set()
    keys = []
    for row in data["codes"]:
        key = (row["family"], row["code"])
        assert key not in seen, f"duplicate {key}"
        seen.add(key)
        keys.append(key)
        assert row["family"] in family_ids, key
        assert row["code"] == row["code"].strip()
        assert row["code"], key
        assert row["meaning"].strip(), key
        assert row["category"] in CATEGORIES, key
        assert row["severity"] in SEVERITIES, key
        assert row["reset_may_help"] in {True, False, None}, key
        assert row["sources"], f"{key} has no source"
        for source_id in row["sources"]:
            assert source_id in data["sources"], f"{key}: unknown source {source_id}"
        assert any(
            data["sources"][s]["url"].startswith(("https://", "http://"))
            for s in row["sources"]
        )
        if row["category"] in {str(c) for c in HARMFUL_RESET_CATEGORIES}:
            assert row["reset_may_help"] is not True, f"{key}: reset can harm"
    assert keys == sorted(keys), "codes sorted by (family, code)"


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.stem)
def test_keys_and_aliases_unambiguous(path: Path) -> None:
    """Within a family, no two codes or aliases normalise to the same key."""
    catalog = Catalog.load()
    index: _BrandIndex = catalog._indexes[path.stem]
    owners: dict[tuple[str, str], str] = {}
    for entry in catalog.brands[path.stem].codes:
        for spelling in (entry.code, *entry.aliases):
            exact = code_key(spelling, index.rules)[1]
            slot = (entry.family, exact)
            assert owners.setdefault(slot, entry.code) == entry.code, slot


def test_original_brand_row_count_matches_reference() -> None:
    """The 13 original brands hold at least the 526 reference CSV rows."""
    catalog = Catalog.load()
    count = sum(len(catalog.brands[slug].codes) for slug in ORIGINAL_BRANDS)
    with (ROOT / "scripts/catalog_source/heat_pump_error_codes.csv").open() as f:
        csv_rows = sum(1 for _ in f) - 1
    assert count >= csv_rows == 526


def test_load_time_and_size() -> None:
    """Loose bounds: the whole catalogue loads fast and stays small."""
    size = sum(p.stat().st_size for p in DATA_FILES)
    assert size < 5_000_000
    start = time.perf_counter()
    catalog = Catalog.load()
    elapsed = time.perf_counter() - start
    assert elapsed < 0.5
    assert sum(1 for _ in catalog.entries()) > 500


def test_load_leaves_gc_state_alone() -> None:
    gc.disable()
    try:
        Catalog.load()
        assert not gc.isenabled()
    finally:
        gc.enable()
    Catalog.load()
    assert gc.isenabled()


def test_docs_describe_schema_and_rules() -> None:
    text = (ROOT / "docs/catalog.md").read_text(encoding="utf-8")
    for needle in (
        "no_error_values",
        "normalisation",
        "reset_may_help",
        "severity",
        "CH05",
        "E101",
        "U4-01",
        "equivalents",
        "build_catalog.py",
        *CATEGORIES,
    ):
        assert needle in text, needle


# --- scripts/build_catalog.py ---------------------------------------------


def _script() -> ModuleType:
    path = ROOT / "scripts/build_catalog.py"
    spec = importlib.util.spec_from_file_location("build_catalog_under_test", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


CSV_HEADER = "brand,family,code,meaning,category,reset_may_help,source\n"
CSV_ROWS = (
    'LG,"Split / Multi V (CHxx on wired remote; 2-digit number on indoor display)",'
    "CH05,Indoor-outdoor link lost,communication,yes,"
    "https://www.luceaircon.sg/blog-article/lg-air-conditioner-error-codes\n"
    'LG,"Split / Multi V (CHxx on wired remote; 2-digit number on indoor display)",'
    "CH04,Float switch tripped,drain,no,"
    "https://www.luceaircon.sg/blog-article/lg-air-conditioner-error-codes | "
    "https://azadparinday.com/lg-air-conditioning-universal-split-fault-codes-sheet/\n"
)


def test_build_script_converts_merges_and_is_idempotent(tmp_path: Path) -> None:
    script = _script()
    csv_path = tmp_path / "codes.csv"
    csv_path.write_text(CSV_HEADER + CSV_ROWS, encoding="utf-8")
    out = tmp_path / "data"
    assert script.main(["--csv", str(csv_path), "--out", str(out)]) == 0
    data = _load(out / "lg.json")
    assert [c["code"] for c in data["codes"]] == ["CH04", "CH05"]
    ch04, ch05 = data["codes"]
    assert ch04["reset_may_help"] is False
    assert ch04["severity"] == "error"
    assert "float switch" in ch04["advice"]
    assert ch04["sources"] == ["luceaircon_lg", "azadparinday_lg"]
    assert ch05["reset_may_help"] is True
    assert data["families"][0]["id"] == "split_multi_v"
    assert data["sources"]["luceaircon_lg"]["reliability"] == "secondary"

    # A hand-added row with its own source, and a stale CSV-only row.
    data["sources"]["my_manual"] = {
        "title": "LG manual",
        "url": "https://example.org/lg.pdf",
        "publisher": "LG",
        "reliability": "manufacturer",
    }
    data["codes"].append(
        {
            "code": "CH99",
            "family": "split_multi_v",
            "meaning": "Hand-added",
            "category": "other",
            "severity": "error",
            "reset_may_help": None,
            "sources": ["my_manual"],
        }
    )
    data["codes"].append(
        {
            "code": "CH98",
            "family": "split_multi_v",
            "meaning": "Stale CSV row",
            "category": "other",
            "severity": "error",
            "reset_may_help": None,
            "sources": ["luceaircon_lg"],
        }
    )
    ch05["aliases"] = ["5"]
    ch05["sources"].append("my_manual")
    (out / "lg.json").write_text(json.dumps(data), encoding="utf-8")

    assert script.main(["--csv", str(csv_path), "--out", str(out)]) == 0
    merged = _load(out / "lg.json")
    codes = {c["code"]: c for c in merged["codes"]}
    assert set(codes) == {"CH04", "CH05", "CH99"}
    assert codes["CH05"]["aliases"] == ["5"]
    assert codes["CH05"]["sources"] == ["luceaircon_lg", "my_manual"]
    assert "my_manual" in merged["sources"]
    first = (out / "lg.json").read_text(encoding="utf-8")
    assert script.main(["--csv", str(csv_path), "--out", str(out), "--check"]) == 0
    assert script.main(["--csv", str(csv_path), "--out", str(out)]) == 0
    assert (out / "lg.json").read_text(encoding="utf-8") == first


def test_build_script_check_reports_changes(tmp_path: Path) -> None:
    script = _script()
    csv_path = tmp_path / "codes.csv"
    csv_path.write_text(CSV_HEADER + CSV_ROWS, encoding="utf-8")
    out = tmp_path / "data"
    assert script.main(["--csv", str(csv_path), "--out", str(out), "--check"]) == 1
    assert not (out / "lg.json").exists()


def test_repository_data_is_up_to_date() -> None:
    """The committed files are exactly what the build script produces."""
    script = _script()
    assert script.main(["--check"]) == 0
