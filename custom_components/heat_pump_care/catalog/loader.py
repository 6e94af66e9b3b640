"""Read the catalogue's data files into validated Brand objects.

One JSON file per brand (``data/<slug>.json``, schema 1; ``docs/catalog.md``
describes it). A file that does not follow the schema raises
:class:`CatalogError` naming the file.
"""

from __future__ import annotations

from collections.abc import Mapping
import gc
import json
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .model_match import normalise_model
from .models import Brand, Category, CodeEntry, Family, Severity, Source
from .rules import derive_advice, derive_severity, is_generic_advice

#: Schema version of the data files this code reads.
SCHEMA_VERSION = 1
#: Default data directory: the package's ``data/`` folder.
DATA_DIR = Path(__file__).parent / "data"
#: Display names of the brands in ``data/`` by slug, known without reading the
#: files (for the device registry while the catalogue loads).  A test checks
#: that it matches the data files.
BRAND_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "alpha_innotec": "Alpha Innotec",
        "altech": "Altech",
        "bosch": "Bosch",
        "bradford_white": "Bradford White",
        "buderus": "Buderus",
        "carrier": "Carrier",
        "daikin": "Daikin",
        "dimplex": "Dimplex",
        "fujitsu": "Fujitsu",
        "goodman": "Goodman",
        "gree": "Gree",
        "haier": "Haier",
        "hisense": "Hisense",
        "hitachi": "Hitachi",
        "hydro_pro": "Hydro-Pro",
        "idm": "iDM",
        "ivt": "IVT",
        "lennox": "Lennox",
        "lg": "LG",
        "midea": "Midea",
        "mitsubishi_electric": "Mitsubishi Electric",
        "mitsubishi_heavy_industries": "Mitsubishi Heavy Industries",
        "mrcool": "MRCOOL",
        "navien": "Navien",
        "nibe": "NIBE",
        "novelan": "Novelan",
        "panasonic": "Panasonic",
        "roth": "Roth",
        "samsung": "Samsung",
        "saunier_duval": "Saunier Duval",
        "stiebel_eltron": "Stiebel Eltron",
        "tecalor": "Tecalor",
        "toshiba": "Toshiba",
        "trane": "Trane",
        "vaillant": "Vaillant",
        "viessmann": "Viessmann",
        "weishaupt": "Weishaupt",
        "york": "York",
        "zodiac": "Zodiac (Fluidra)",
    }
)

# Enum members by value: a dict lookup is much cheaper than calling the enum
# for each of the thousands of rows (an unknown value raises KeyError).
_CATEGORIES: Mapping[str, Category] = {member.value: member for member in Category}
_SEVERITIES: Mapping[str, Severity] = {member.value: member for member in Severity}
# What a malformed part of a file raises while it is read.
_BAD = (KeyError, ValueError, TypeError, AttributeError)

type _Cited = tuple[tuple[str, ...], tuple[str, ...]]


class CatalogError(ValueError):
    """A data file does not follow the catalogue schema."""


def load_brands(directory: Path) -> list[Brand]:
    """Read every ``*.json`` file of ``directory`` in name order (blocking I/O).

    Thousands of small objects and no cycles: the cyclic garbage collector
    is paused while they are built (and left as it was found). Equal texts
    that many rows repeat (advice, family and source ids, source lists) are
    stored once.
    """
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        shared: dict[str, str] = {}
        brands = []
        for path in sorted(directory.glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as err:
                raise CatalogError(f"{path.name}: cannot read: {err}") from err
            brands.append(parse_brand(path, data, shared))
        return brands
    finally:
        if gc_was_enabled:
            gc.enable()


def parse_brand(path: Path, data: Any, shared: dict[str, str] | None = None) -> Brand:
    """Turn one data file's JSON into a Brand.

    ``shared`` keeps one copy of each advice text across the files of a load.
    """
    if not isinstance(data, dict):
        raise CatalogError(f"{path.name}: top level must be an object")
    if _require(data, "schema", path) != SCHEMA_VERSION:
        raise CatalogError(f"{path.name}: unsupported schema {data['schema']!r}")
    slug = str(_require(data, "brand", path))
    if slug != path.stem:
        raise CatalogError(f"{path.name}: brand {slug!r} does not match file name")
    families = _parse_families(path, _require(data, "families", path))
    sources = _parse_sources(path, _require(data, "sources", path))
    rows = _require(data, "codes", path)
    if not isinstance(rows, list):
        raise CatalogError(f"{path.name}: codes must be a list")
    return Brand(
        slug=slug,
        name=str(data.get("name") or slug),
        families=families,
        sources=MappingProxyType(sources),
        codes=_parse_codes(
            path,
            rows,
            slug=slug,
            families=families,
            sources=sources,
            shared={} if shared is None else shared,
        ),
        no_error_values=tuple(str(v) for v in data.get("no_error_values", ())),
        normalisation=MappingProxyType(dict(data.get("normalisation") or {})),
    )


def _require(data: Mapping[str, Any], key: str, path: Path) -> Any:
    """Return a required key of a JSON object or raise CatalogError."""
    try:
        return data[key]
    except KeyError:
        raise CatalogError(f"{path.name}: missing key {key!r}") from None


def _parse_families(path: Path, raw: Any) -> tuple[Family, ...]:
    """Return the families of a file (at least one)."""
    if not isinstance(raw, list):
        raise CatalogError(f"{path.name}: families must be a list")
    if not raw:
        raise CatalogError(f"{path.name}: no families")
    families = []
    for item in raw:
        try:
            families.append(
                Family(
                    id=str(item["id"]),
                    name=str(item["name"]),
                    notes=str(item.get("notes", "")),
                    models=_model_prefixes(item.get("models", [])),
                )
            )
        except _BAD as err:
            raise CatalogError(f"{path.name}: bad family {item!r}: {err}") from err
    return tuple(families)


def _model_prefixes(raw: Any) -> tuple[str, ...]:
    """Return a family's model prefixes: strings with a letter or digit."""
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        raise TypeError("models must be a list of strings")
    for prefix in raw:
        if not normalise_model(prefix):
            raise ValueError(f"model prefix {prefix!r} has no letter or digit")
    return tuple(raw)


def _parse_sources(path: Path, raw: Any) -> dict[str, Source]:
    """Return the sources of a file by id."""
    if not isinstance(raw, dict):
        raise CatalogError(f"{path.name}: sources must be an object")
    sources = {}
    for source_id, item in raw.items():
        try:
            sources[source_id] = Source(
                id=source_id,
                title=str(item["title"]),
                url=str(item["url"]),
                publisher=str(item.get("publisher", "")),
                reliability=str(item.get("reliability", "secondary")),
                table=_text(item.get("table", ""), "table"),
                codes_in_table=_count(item.get("codes_in_table")),
                omitted=_omitted(item.get("omitted", [])),
            )
        except _BAD as err:
            raise CatalogError(f"{path.name}: bad source {source_id!r}: {err}") from err
    return sources


def _text(raw: Any, name: str) -> str:
    """Return a string field or raise TypeError."""
    if not isinstance(raw, str):
        raise TypeError(f"{name} must be a string, not {raw!r}")
    return raw


def _count(raw: Any) -> int | None:
    """Return ``codes_in_table``: a whole number >= 0, or None when absent."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise TypeError(f"codes_in_table must be a whole number >= 0, not {raw!r}")
    return raw


def _omitted(raw: Any) -> tuple[tuple[str, str], ...]:
    """Return ``omitted``: a list of ``{"code": ..., "reason": ...}`` objects."""
    if not isinstance(raw, list):
        raise TypeError(f"omitted must be a list, not {raw!r}")
    return tuple(
        (_text(item["code"], "omitted code"), _text(item["reason"], "omitted reason"))
        for item in raw
    )


def _parse_codes(
    path: Path,
    rows: list[Any],
    *,
    slug: str,
    families: tuple[Family, ...],
    sources: Mapping[str, Source],
    shared: dict[str, str],
) -> tuple[CodeEntry, ...]:
    """Return the code rows of a file.

    Rows citing the same sources share one tuple of ids and one of URLs.
    """
    by_id = {family.id: family for family in families}
    cited: dict[tuple[Any, ...], _Cited] = {}
    codes: list[CodeEntry] = []
    for row in rows:
        try:
            family = by_id.get(str(row["family"]))
            if family is None:
                raise CatalogError(f"unknown family {row['family']!r}")
            category = _CATEGORIES[row["category"]]
            meaning = str(row["meaning"])
            reset = row.get("reset_may_help")
            severity = row.get("severity")
            raw_sources = tuple(row.get("sources", ()))
            if (cites := cited.get(raw_sources)) is None:
                ids = tuple(str(s) for s in raw_sources)
                urls = tuple(sources[s].url for s in ids if s in sources)
                cites = cited[raw_sources] = (ids, urls)
            # A row's own advice wins; a row without any, or with only its
            # category's generic text, gets advice derived from its meaning.
            advice = str(row.get("advice") or "")
            if not advice or is_generic_advice(advice):
                advice = derive_advice(category, meaning)
            advice = shared.setdefault(advice, advice)
            aliases = row.get("aliases")
            # Positional (the field order of CodeEntry): measurably faster
            # than keywords for thousands of rows.
            codes.append(
                CodeEntry(
                    slug,
                    family.id,
                    str(row["code"]),
                    meaning,
                    category,
                    _SEVERITIES[severity]
                    if severity
                    else derive_severity(category, reset, meaning),
                    reset if isinstance(reset, bool) else None,
                    advice,
                    tuple(str(a) for a in aliases) if aliases else (),
                    cites[0],
                    row.get("conflict") or None,
                    family.name,
                    cites[1],
                )
            )
        except _BAD as err:
            raise CatalogError(f"{path.name}: bad code row {row!r}: {err}") from err
    return tuple(codes)
