"""Reading data files: every field, the defaults, and what a bad file raises."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from custom_components.heat_pump_care.catalog import (
    Catalog,
    CatalogError,
    Category,
    Severity,
    Source,
)
from custom_components.heat_pump_care.catalog.loader import load_brands

SOURCE: dict[str, Any] = {
    "title": "Manual",
    "url": "https://example.org",
    "publisher": "Acme",
    "reliability": "manufacturer",
}
ROW: dict[str, Any] = {
    "code": "A3",
    "family": "main",
    "meaning": "Drain float switch open",
    "category": "drain",
    "reset_may_help": False,
    "sources": ["s"],
}


def _write(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data), encoding="utf-8")


def _doc(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "schema": 1,
        "brand": "acme",
        "name": "Acme",
        "families": [{"id": "main", "name": "Main"}],
        "sources": {"s": copy.deepcopy(SOURCE)},
        "codes": [copy.deepcopy(ROW)],
    }
    doc.update(overrides)
    return doc


def _with_source(**fields: Any) -> dict[str, Any]:
    return _doc(sources={"s": SOURCE | fields})


def _with_family(**fields: Any) -> dict[str, Any]:
    return _doc(families=[{"id": "main", "name": "Main"} | fields])


def _load(tmp_path: Path, doc: dict[str, Any]) -> Catalog:
    _write(tmp_path / "acme.json", doc)
    return Catalog.load(tmp_path)


def test_load_fills_missing_severity_and_advice(tmp_path: Path) -> None:
    entry = _load(tmp_path, _doc()).brands["acme"].codes[0]
    assert entry.severity is Severity.ERROR
    assert "float switch" in entry.advice
    assert entry.source_urls == ("https://example.org",)
    assert entry.family_name == "Main"


def test_every_row_field_is_read_from_its_key(tmp_path: Path) -> None:
    row = {
        "code": "X1",
        "family": "main",
        "meaning": "The meaning",
        "category": "fan",
        "severity": "critical",
        "reset_may_help": True,
        "advice": "The advice",
        "aliases": ["X-01"],
        "sources": ["s"],
        "conflict": "The conflict",
    }
    entry = _load(tmp_path, _doc(codes=[row])).brands["acme"].codes[0]
    assert entry.as_dict() == {
        "brand": "acme",
        "family": "main",
        "family_name": "Main",
        "code": "X1",
        "meaning": "The meaning",
        "category": "fan",
        "severity": "critical",
        "reset_may_help": True,
        "advice": "The advice",
        "aliases": ["X-01"],
        "sources": ["s"],
        "source_urls": ["https://example.org"],
        "conflict": "The conflict",
    }
    assert entry.category is Category.FAN


def test_source_reads_what_was_read(tmp_path: Path) -> None:
    doc = _with_source(
        table="Service manual, 17.4 Error codes table, pp. 93-96",
        codes_in_table=42,
        omitted=[
            {"code": "H98", "reason": "printed twice"},
            {"code": "H99", "reason": "illegible"},
        ],
    )
    source = _load(tmp_path, doc).brands["acme"].sources["s"]
    assert source == Source(
        id="s",
        title="Manual",
        url="https://example.org",
        publisher="Acme",
        reliability="manufacturer",
        table="Service manual, 17.4 Error codes table, pp. 93-96",
        codes_in_table=42,
        omitted=(("H98", "printed twice"), ("H99", "illegible")),
    )


def test_source_without_table_fields_has_defaults(tmp_path: Path) -> None:
    source = _load(tmp_path, _doc()).brands["acme"].sources["s"]
    assert (source.table, source.codes_in_table, source.omitted) == ("", None, ())


def test_family_reads_model_prefixes(tmp_path: Path) -> None:
    doc = _with_family(models=["FTXM", "atx-"])
    family = _load(tmp_path, doc).families("acme")[0]
    assert family.models == ("FTXM", "atx-")


def test_rows_share_repeated_texts(tmp_path: Path) -> None:
    """Advice, family and source lists that rows repeat are stored once."""
    rows = [ROW | {"code": f"A{i}", "advice": "Same advice " * 3} for i in range(3)]
    entries = _load(tmp_path, _doc(codes=rows)).brands["acme"].codes
    first = entries[0]
    for entry in entries[1:]:
        assert entry.advice is first.advice
        assert entry.family is first.family
        assert entry.sources is first.sources
        assert entry.source_urls is first.source_urls


def test_advice_is_shared_across_files(tmp_path: Path) -> None:
    advice = "Shared advice " * 3
    for slug in ("acme", "bolt"):
        doc = _doc(brand=slug, codes=[ROW | {"advice": advice}])
        _write(tmp_path / f"{slug}.json", doc)
    acme, bolt = load_brands(tmp_path)
    assert acme.codes[0].advice is bolt.codes[0].advice


BAD_FILES: list[tuple[str, Any, str]] = [
    ("not-json", "not json", "cannot read"),
    ("not-object", [], "top level"),
    ("missing-key", {"brand": "acme"}, "missing key"),
    ("schema", _doc(schema=2), "unsupported schema"),
    ("brand-name", _doc(brand="other_brand"), "does not match"),
    ("no-families", _doc(families=[]), "no families"),
    ("families-not-list", _doc(families={"id": "main"}), "families must be a list"),
    ("family-no-name", _doc(families=[{"id": "main"}]), "bad family"),
    ("models-not-list", _with_family(models="FTX"), "models must be a list"),
    ("models-not-str", _with_family(models=["FTX", 5]), "models must be a list"),
    ("models-empty", _with_family(models=["--"]), "no letter or digit"),
    ("sources-not-object", _doc(sources=["s"]), "sources must be an object"),
    ("source-no-title", _doc(sources={"s": {"url": "https://x"}}), "bad source 's'"),
    ("table-not-str", _with_source(table=["p. 3"]), "table must be a string"),
    ("count-str", _with_source(codes_in_table="12"), "codes_in_table"),
    ("count-bool", _with_source(codes_in_table=True), "codes_in_table"),
    ("count-negative", _with_source(codes_in_table=-1), "codes_in_table"),
    ("count-float", _with_source(codes_in_table=1.5), "codes_in_table"),
    ("omitted-not-list", _with_source(omitted={"code": "A"}), "omitted must be"),
    ("omitted-not-object", _with_source(omitted=["A1"]), "bad source 's'"),
    ("omitted-no-reason", _with_source(omitted=[{"code": "A1"}]), "reason"),
    (
        "omitted-code-not-str",
        _with_source(omitted=[{"code": 7, "reason": "r"}]),
        "omitted code must be a string",
    ),
    ("codes-not-list", _doc(codes={"A1": {}}), "codes must be a list"),
    ("unknown-family", _doc(codes=[ROW | {"family": "nope"}]), "unknown family"),
    ("bad-category", _doc(codes=[ROW | {"category": "bogus"}]), "bad code row"),
    ("row-not-object", _doc(codes=["A1"]), "bad code row"),
]


@pytest.mark.parametrize(
    ("content", "message"),
    [pytest.param(content, message, id=name) for name, content, message in BAD_FILES],
)
def test_load_rejects_bad_files(tmp_path: Path, content: Any, message: str) -> None:
    path = tmp_path / "acme.json"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        _write(path, content)
    with pytest.raises(CatalogError, match=message) as err:
        Catalog.load(tmp_path)
    assert str(err.value).startswith("acme.json: ")
