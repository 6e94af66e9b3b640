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
from custom_components.heat_pump_care.catalog.models import Severity

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
    """The shape of each row (the conventions: ``test_catalog_conventions``)."""
    data = _load(path)
    keys = []
    for row in data["codes"]:
        key = (row["family"], row["code"])
        keys.append(key)
        assert row["code"] == row["code"].strip()
        assert row["code"], key
        assert row["meaning"].strip(), key
        assert row["severity"] in SEVERITIES, key
        assert row["reset_may_help"] in {True, False, None}, key
        assert any(
            data["sources"]
            .get(s, {})
            .get("url", "")
            .startswith(("https://", "http://"))
            for s in row["sources"]
        ), key
    assert keys == sorted(keys), "codes sorted by (family, code)"


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


def _build(tmp_path: Path, *extra: str) -> int:
    """Run the build script on the two test rows into ``tmp_path/data``."""
    csv_path = tmp_path / "codes.csv"
    csv_path.write_text(CSV_HEADER + CSV_ROWS, encoding="utf-8")
    out = tmp_path / "data"
    result: int = _script().main(["--csv", str(csv_path), "--out", str(out), *extra])
    return result


def _edit(tmp_path: Path, data: dict[str, Any]) -> None:
    (tmp_path / "data/lg.json").write_text(json.dumps(data), encoding="utf-8")


def test_build_script_converts_csv_rows(tmp_path: Path) -> None:
    assert _build(tmp_path) == 0
    data = _load(tmp_path / "data/lg.json")
    assert [c["code"] for c in data["codes"]] == ["CH04", "CH05"]
    ch04, ch05 = data["codes"]
    assert ch04["reset_may_help"] is False
    assert ch04["severity"] == "error"
    assert "float switch" in ch04["advice"]
    assert ch04["sources"] == ["luceaircon_lg", "azadparinday_lg"]
    assert ch05["reset_may_help"] is True
    assert data["families"][0]["id"] == "split_multi_v"
    assert data["sources"]["luceaircon_lg"]["reliability"] == "secondary"
    assert list(data["sources"]) == sorted(data["sources"])


def test_build_script_keeps_what_the_data_file_holds(tmp_path: Path) -> None:
    """Hand-added rows and sources, corrections and new keys all survive."""
    _build(tmp_path)
    data = _load(tmp_path / "data/lg.json")
    data["sources"]["my_manual"] = {
        "title": "LG manual",
        "url": "https://example.org/lg.pdf",
        "publisher": "LG",
        "reliability": "manufacturer",
    }
    data["sources"]["luceaircon_lg"] |= {
        "title": "Corrected title",
        "table": "Whole table",
        "codes_in_table": 3,
        "omitted": [{"code": "CH06", "reason": "illegible"}],
    }
    data["families"][0] |= {"notes": "Corrected notes", "models": ["LS", "LA"]}
    row = {
        "family": "split_multi_v",
        "category": "other",
        "severity": "error",
        "reset_may_help": None,
    }
    data["codes"] += [
        row | {"code": "CH99", "meaning": "Hand-added", "sources": ["my_manual"]},
        row | {"code": "CH98", "meaning": "Re-read", "sources": ["luceaircon_lg"]},
    ]
    ch04, ch05 = data["codes"][:2]
    ch04["meaning"] = "Corrected meaning"
    ch05["aliases"] = ["5"]
    ch05["sources"].append("my_manual")
    _edit(tmp_path, data)

    assert _build(tmp_path) == 0
    merged = _load(tmp_path / "data/lg.json")
    codes = {c["code"]: c for c in merged["codes"]}
    assert set(codes) == {"CH04", "CH05", "CH98", "CH99"}
    assert codes["CH04"]["meaning"] == "Corrected meaning"
    assert codes["CH05"]["aliases"] == ["5"]
    assert codes["CH05"]["sources"] == ["luceaircon_lg", "my_manual"]
    assert merged["sources"]["my_manual"] == data["sources"]["my_manual"]
    assert merged["sources"]["luceaircon_lg"] == data["sources"]["luceaircon_lg"]
    assert merged["families"] == data["families"]


def test_build_script_restores_missing_rows_and_keys(tmp_path: Path) -> None:
    _build(tmp_path)
    data = _load(tmp_path / "data/lg.json")
    del data["codes"][0]
    del data["codes"][0]["advice"]
    del data["sources"]["azadparinday_lg"]["publisher"]
    _edit(tmp_path, data)
    assert _build(tmp_path, "--check") == 1
    assert _build(tmp_path) == 0
    merged = _load(tmp_path / "data/lg.json")
    assert [c["code"] for c in merged["codes"]] == ["CH04", "CH05"]
    assert merged["codes"][1]["advice"]
    assert "publisher" in merged["sources"]["azadparinday_lg"]


def test_build_script_is_idempotent(tmp_path: Path) -> None:
    _build(tmp_path)
    first = (tmp_path / "data/lg.json").read_text(encoding="utf-8")
    assert _build(tmp_path, "--check") == 0
    assert _build(tmp_path) == 0
    assert (tmp_path / "data/lg.json").read_text(encoding="utf-8") == first


def test_build_script_check_reports_changes(tmp_path: Path) -> None:
    assert _build(tmp_path, "--check") == 1
    assert not (tmp_path / "data/lg.json").exists()


def test_repository_data_is_up_to_date() -> None:
    """The committed files hold every CSV row: the build has nothing to add."""
    script = _script()
    assert script.main(["--check"]) == 0
