"""The immutable catalogue index: load once, then look up in O(1)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
import difflib
import gc
import json
from pathlib import Path
import re
from types import MappingProxyType
from typing import Any

from .models import Brand, Category, CodeEntry, Family, Severity, Source
from .normalise import (
    BUILTIN_RULES,
    NormalisationRules,
    NormalisedCode,
    code_key,
    is_no_error_value,
    normalise_code,
)
from .rules import UNKNOWN_CODE_ADVICE, derive_advice, derive_severity

#: Brand slug meaning "a brand the catalogue does not have".
BRAND_OTHER = "other"
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
        "carrier": "Carrier",
        "daikin": "Daikin",
        "dimplex": "Dimplex",
        "fujitsu": "Fujitsu",
        "goodman": "Goodman",
        "gree": "Gree",
        "haier": "Haier",
        "hitachi": "Hitachi",
        "hydro_pro": "Hydro-Pro",
        "ivt": "IVT",
        "lennox": "Lennox",
        "lg": "LG",
        "midea": "Midea",
        "mitsubishi_electric": "Mitsubishi Electric",
        "mitsubishi_heavy_industries": "Mitsubishi Heavy Industries",
        "navien": "Navien",
        "nibe": "NIBE",
        "panasonic": "Panasonic",
        "samsung": "Samsung",
        "saunier_duval": "Saunier Duval",
        "stiebel_eltron": "Stiebel Eltron",
        "tecalor": "Tecalor",
        "toshiba": "Toshiba",
        "vaillant": "Vaillant",
        "viessmann": "Viessmann",
        "weishaupt": "Weishaupt",
        "zodiac": "Zodiac (Fluidra)",
    }
)
#: How many lookups (without custom codes) one catalogue remembers.
LOOKUP_CACHE_SIZE = 1024

_WORD = re.compile(r"[0-9a-z]+")

type _Table = dict[str, tuple[CodeEntry, ...]]
type _SearchRow = tuple[CodeEntry, str, frozenset[str], str]


class CatalogError(ValueError):
    """A data file does not follow the catalogue schema."""


class UnknownBrandError(LookupError):
    """A brand slug that is neither in the catalogue nor ``other``."""

    def __init__(self, brand: str, known: Iterable[str]) -> None:
        """Remember the brand and the known brands for the message."""
        self.brand = brand
        self.known: tuple[str, ...] = tuple(known)
        super().__init__(
            f"Unknown brand {brand!r}; known brands: {', '.join(self.known)}"
        )


@dataclass(slots=True, frozen=True)
class LookupResult:
    """The answer to one lookup."""

    found: bool
    brand: str
    code: str
    sub_code: str | None
    query: str
    matches: tuple[CodeEntry, ...]
    suggestions: tuple[str, ...] = ()
    no_error: bool = False
    _response: dict[str, Any] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def primary(self) -> CodeEntry | None:
        """Return the best match when the code was found, else None."""
        return self.matches[0] if self.found and self.matches else None

    def as_response(self) -> dict[str, Any]:
        """Return the ``lookup_error_code`` service response (JSON-safe).

        Not found: empty meaning, category ``other``, severity ``error`` (an
        unexplained active code is treated as a real fault), unknown reset
        safety and advice to consult the manual. "No error" input: code
        ``none``, severity ``warning`` and ``no_error`` true.

        The response is built once per result; every call returns a fresh
        copy, so a caller may change it without affecting later calls.
        """
        response = self._response
        if response is None:
            response = self._build_response()
            object.__setattr__(self, "_response", response)
        return _copy_response(response)

    def _build_response(self) -> dict[str, Any]:
        """Build the service response."""
        primary = self.primary
        response: dict[str, Any] = {
            "found": self.found,
            "brand": self.brand,
            "code": self.code,
            "sub_code": self.sub_code,
            "query": self.query,
            "no_error": self.no_error,
            "matches": [entry.as_dict() for entry in self.matches],
            "suggestions": list(self.suggestions),
        }
        if primary is not None:
            response |= {
                "family": primary.family,
                "family_name": primary.family_name,
                "meaning": primary.meaning,
                "category": str(primary.category),
                "severity": str(primary.severity),
                "reset_may_help": primary.reset_may_help,
                "advice": primary.advice,
            }
        else:
            response |= {
                "family": None,
                "family_name": None,
                "meaning": "",
                "category": str(Category.OTHER),
                "severity": str(Severity.WARNING if self.no_error else Severity.ERROR),
                "reset_may_help": None,
                "advice": "" if self.no_error else UNKNOWN_CODE_ADVICE,
            }
        return response


#: The list values of ``CodeEntry.as_dict``; everything else in it is immutable.
_ENTRY_LISTS = ("aliases", "sources", "source_urls")


def _copy_response(response: dict[str, Any]) -> dict[str, Any]:
    """Copy a response: its dicts and lists are new, the leaves are immutable."""
    copy = response.copy()
    matches = []
    for match in response["matches"]:
        fresh = match.copy()
        for key in _ENTRY_LISTS:
            fresh[key] = match[key].copy()
        matches.append(fresh)
    copy["matches"] = matches
    copy["suggestions"] = response["suggestions"].copy()
    return copy


class _BrandIndex:
    """Precomputed lookup tables of one brand."""

    __slots__ = (
        "aliases",
        "aliases_exact",
        "brand",
        "case_sensitive",
        "codes",
        "codes_exact",
        "equivalents",
        "keys",
        "rules",
    )

    def __init__(self, brand: Brand, rules: NormalisationRules) -> None:
        """Build the tables of a brand."""
        self.brand = brand
        self.rules = rules
        codes: dict[str, list[CodeEntry]] = {}
        codes_exact: dict[str, list[CodeEntry]] = {}
        aliases: dict[str, list[CodeEntry]] = {}
        aliases_exact: dict[str, list[CodeEntry]] = {}
        spellings: dict[str, set[str]] = {}
        keys: dict[str, str] = {}
        for entry in brand.codes:
            folded, exact = code_key(entry.code, rules)
            codes.setdefault(folded, []).append(entry)
            codes_exact.setdefault(exact, []).append(entry)
            spellings.setdefault(folded, set()).add(exact)
            keys.setdefault(folded, entry.code)
            for alias in entry.aliases:
                a_folded, a_exact = code_key(alias, rules)
                aliases.setdefault(a_folded, []).append(entry)
                aliases_exact.setdefault(a_exact, []).append(entry)
                spellings.setdefault(a_folded, set()).add(a_exact)
        self.codes: _Table = {k: tuple(v) for k, v in codes.items()}
        self.codes_exact: _Table = {k: tuple(v) for k, v in codes_exact.items()}
        self.aliases: _Table = {k: tuple(v) for k, v in aliases.items()}
        self.aliases_exact: _Table = {k: tuple(v) for k, v in aliases_exact.items()}
        self.case_sensitive = frozenset(k for k, v in spellings.items() if len(v) > 1)
        self.keys: tuple[tuple[str, str], ...] = tuple(sorted(keys.items()))
        equivalents: dict[str, tuple[str, ...]] = {}
        for group in rules.equivalents:
            group_keys = [code_key(code, rules)[0] for code in group]
            for key in group_keys:
                equivalents[key] = tuple(k for k in group_keys if k != key)
        self.equivalents = equivalents

    def normalise(self, raw: str) -> NormalisedCode | None:
        """Normalise a raw code with this brand's rules."""
        return normalise_code(
            self.brand.slug,
            raw,
            rules=self.rules,
            no_error_values=self.brand.no_error_values,
        )

    def _get(self, folded: str, exact: str) -> tuple[CodeEntry, ...]:
        """Return codes, then aliases, matching a key (case rule applied)."""
        for table, table_exact in (
            (self.codes, self.codes_exact),
            (self.aliases, self.aliases_exact),
        ):
            if folded in self.case_sensitive and (hit := table_exact.get(exact)):
                return hit
            if hit := table.get(folded, ()):
                return hit
        return ()

    def match(self, norm: NormalisedCode) -> tuple[tuple[CodeEntry, ...], bool]:
        """Return (matches, matched through the base of a sub-code)."""
        hits = self._get(norm.key, norm.exact)
        key = norm.key
        via_base = False
        if not hits and norm.base is not None:
            hits = self._get(norm.base, norm.base_exact or norm.base)
            key = norm.base
            via_base = bool(hits)
        found = list(hits)
        for other in self.equivalents.get(key, ()):
            found.extend(e for e in self.codes.get(other, ()) if e not in found)
        return tuple(found), via_base


class _LazyIndexes(dict[str, _BrandIndex]):
    """The brands' indexes by slug, each built on first access."""

    __slots__ = ("_brands",)

    def __init__(self, brands: Mapping[str, Brand]) -> None:
        """Start empty; ``brands`` are the brands that may be indexed."""
        super().__init__()
        self._brands = brands

    def __missing__(self, slug: str) -> _BrandIndex:
        """Build, keep and return a brand's index (KeyError if unknown)."""
        brand = self._brands[slug]
        index = _BrandIndex(
            brand,
            NormalisationRules.from_mapping(
                brand.normalisation, BUILTIN_RULES.get(slug)
            ),
        )
        self[slug] = index
        return index


def _require(data: Mapping[str, Any], key: str, path: Path) -> Any:
    """Return a required key of a JSON object or raise CatalogError."""
    try:
        return data[key]
    except KeyError:
        raise CatalogError(f"{path.name}: missing key {key!r}") from None


# Enum members by value: a dict lookup is much cheaper than calling the enum
# for each of the thousands of rows (an unknown value raises KeyError).
_CATEGORIES: Mapping[str, Category] = {member.value: member for member in Category}
_SEVERITIES: Mapping[str, Severity] = {member.value: member for member in Severity}


def _parse_brand(path: Path, data: Any) -> Brand:
    """Turn one data file's JSON into a Brand."""
    if not isinstance(data, dict):
        raise CatalogError(f"{path.name}: top level must be an object")
    if _require(data, "schema", path) != SCHEMA_VERSION:
        raise CatalogError(f"{path.name}: unsupported schema {data['schema']!r}")
    slug = str(_require(data, "brand", path))
    if slug != path.stem:
        raise CatalogError(f"{path.name}: brand {slug!r} does not match file name")
    families = tuple(
        Family(id=str(f["id"]), name=str(f["name"]), notes=str(f.get("notes", "")))
        for f in _require(data, "families", path)
    )
    if not families:
        raise CatalogError(f"{path.name}: no families")
    family_names = {f.id: f.name for f in families}
    sources = {
        source_id: Source(
            id=source_id,
            title=str(s["title"]),
            url=str(s["url"]),
            publisher=str(s.get("publisher", "")),
            reliability=str(s.get("reliability", "secondary")),
        )
        for source_id, s in _require(data, "sources", path).items()
    }
    codes: list[CodeEntry] = []
    for row in _require(data, "codes", path):
        try:
            family = str(row["family"])
            category = _CATEGORIES[row["category"]]
            meaning = str(row["meaning"])
            reset = row.get("reset_may_help")
            severity = (
                _SEVERITIES[row["severity"]]
                if row.get("severity")
                else derive_severity(category, reset, meaning)
            )
            row_sources = tuple(str(s) for s in row.get("sources", ()))
            if family not in family_names:
                raise CatalogError(f"unknown family {family!r}")
            codes.append(
                CodeEntry(
                    brand=slug,
                    family=family,
                    code=str(row["code"]),
                    meaning=meaning,
                    category=category,
                    severity=severity,
                    reset_may_help=reset if isinstance(reset, bool) else None,
                    advice=str(row.get("advice") or derive_advice(category, meaning)),
                    aliases=tuple(str(a) for a in row.get("aliases", ())),
                    sources=row_sources,
                    conflict=row.get("conflict") or None,
                    family_name=family_names[family],
                    source_urls=tuple(
                        sources[s].url for s in row_sources if s in sources
                    ),
                )
            )
        except (KeyError, ValueError, TypeError, AttributeError) as err:
            raise CatalogError(f"{path.name}: bad code row {row!r}: {err}") from err
    return Brand(
        slug=slug,
        name=str(data.get("name") or slug),
        families=families,
        sources=MappingProxyType(sources),
        codes=tuple(codes),
        no_error_values=tuple(str(v) for v in data.get("no_error_values", ())),
        normalisation=MappingProxyType(dict(data.get("normalisation") or {})),
    )


class Catalog:
    """All brands' error codes, indexed for dictionary lookups.

    Build it once with :meth:`load` (blocking file I/O) or :meth:`from_brands`.
    """

    __slots__ = (
        "_brands",
        "_indexes",
        "_lookups",
        "_search_rows",
        "_suggestions",
    )

    def __init__(self, brands: Iterable[Brand]) -> None:
        """Index the given brands."""
        ordered = sorted(brands, key=lambda b: b.slug)
        self._brands: Mapping[str, Brand] = MappingProxyType(
            {b.slug: b for b in ordered}
        )
        # A brand's lookup tables are built when the brand is first used:
        # most installations ask about one or two brands.
        self._indexes = _LazyIndexes(self._brands)
        self._search_rows: tuple[_SearchRow, ...] | None = None
        # Bounded memos (oldest dropped first); results are immutable.
        self._lookups: dict[tuple[str, str, str | None], LookupResult] = {}
        self._suggestions: dict[tuple[str, str, int], tuple[str, ...]] = {}

    def _build_search_rows(self) -> tuple[_SearchRow, ...]:
        """Precompute the text of every entry for search (done on first use)."""
        ordered = list(self._brands.values())
        rows: list[_SearchRow] = []
        for brand in ordered:
            index = self._indexes[brand.slug]
            for entry in brand.codes:
                primary = (
                    f"{entry.code} {entry.meaning} {entry.category} {entry.family_name}"
                ).casefold()
                secondary = f"{entry.advice} {brand.name} {brand.slug}".casefold()
                rows.append(
                    (
                        entry,
                        code_key(entry.code, index.rules)[0],
                        frozenset(_WORD.findall(primary)),
                        f"{primary} {secondary}",
                    )
                )
        return tuple(rows)

    @classmethod
    def from_brands(cls, brands: Iterable[Brand]) -> Catalog:
        """Build a catalogue from Brand objects."""
        return cls(brands)

    @classmethod
    def load(cls, data_dir: Path | None = None) -> Catalog:
        """Read every ``*.json`` file of ``data_dir`` (blocking I/O)."""
        directory = DATA_DIR if data_dir is None else data_dir
        # Thousands of small objects and no cycles: pausing the cyclic
        # garbage collector while building avoids needless collection passes.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            return cls._load(directory)
        finally:
            if gc_was_enabled:
                gc.enable()

    @classmethod
    def _load(cls, directory: Path) -> Catalog:
        """Read and index the data files of a directory."""
        brands = []
        for path in sorted(directory.glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as err:
                raise CatalogError(f"{path.name}: cannot read: {err}") from err
            brands.append(_parse_brand(path, data))
        return cls(brands)

    @property
    def brands(self) -> Mapping[str, Brand]:
        """Return the brands by slug (read-only)."""
        return self._brands

    def brand_slugs(self) -> list[str]:
        """Return the catalogue's brand slugs, sorted (without ``other``)."""
        return list(self._brands)

    def families(self, brand: str) -> tuple[Family, ...]:
        """Return the families of a brand (empty for ``other``)."""
        if brand == BRAND_OTHER:
            return ()
        return self._index(brand).brand.families

    def entries(self) -> Iterator[CodeEntry]:
        """Iterate over every code entry of every brand."""
        for brand in self._brands.values():
            yield from brand.codes

    def _index(self, brand: str) -> _BrandIndex:
        """Return a brand's index or raise UnknownBrandError."""
        try:
            return self._indexes[brand]
        except KeyError:
            raise UnknownBrandError(brand, [*self._brands, BRAND_OTHER]) from None

    def normalise(self, brand: str, raw: str) -> NormalisedCode | None:
        """Normalise a raw code with the brand's rules (``None`` = no error)."""
        if brand == BRAND_OTHER:
            return normalise_code(brand, raw, rules=NormalisationRules())
        return self._index(brand).normalise(raw)

    def is_no_error(self, brand: str, raw: str) -> bool:
        """Return whether the raw value means "no error" for the brand."""
        if brand == BRAND_OTHER:
            return is_no_error_value(raw)
        return self._index(brand).normalise(raw) is None

    def lookup(
        self,
        brand: str,
        code: str,
        *,
        family: str | None = None,
        custom: Mapping[str, CodeEntry] | None = None,
    ) -> LookupResult:
        """Look a code up for a brand.

        Order: exact key, alias key, then the base of a sub-code; equivalent
        codes of the brand are added after the direct hits. ``custom`` entries
        (user codes) come first and override the catalogue. With several
        families the requested ``family`` comes first. For brand ``other``
        only ``custom`` can make ``found`` true; ``matches`` then also lists
        what each catalogue brand knows under that code, for information.

        Lookups without ``custom`` codes are remembered (up to
        ``LOOKUP_CACHE_SIZE`` of them): the catalogue never changes.
        """
        if custom:
            return self._lookup(brand, code, family, custom)
        cache_key = (brand, code, family)
        if (cached := self._lookups.get(cache_key)) is not None:
            return cached
        result = self._lookup(brand, code, family, None)
        _remember(self._lookups, cache_key, result)
        return result

    def _lookup(
        self,
        brand: str,
        code: str,
        family: str | None,
        custom: Mapping[str, CodeEntry] | None,
    ) -> LookupResult:
        """Look a code up (uncached); see :meth:`lookup`."""
        index = None if brand == BRAND_OTHER else self._index(brand)
        norm = self.normalise(brand, code)
        if norm is None:
            return LookupResult(
                found=False,
                brand=brand,
                code="none",
                sub_code=None,
                query=code,
                matches=(),
                no_error=True,
            )
        rules = index.rules if index is not None else NormalisationRules()
        custom_hits, custom_via_base = _match_custom(norm, custom or {}, rules)
        hits: tuple[CodeEntry, ...] = ()
        via_base = False
        if index is not None:
            hits, via_base = index.match(norm)
        else:
            collected: list[CodeEntry] = []
            for other in map(self._indexes.__getitem__, self._brands):
                other_norm = other.normalise(code)
                if other_norm is not None:
                    collected.extend(other.match(other_norm)[0])
            hits = tuple(collected)
        if family is not None:
            hits = tuple(sorted(hits, key=lambda e: e.family != family))
        matches = custom_hits + tuple(e for e in hits if e not in custom_hits)
        found = bool(custom_hits) or (index is not None and bool(hits))
        if not found:
            suggestions = () if index is None else tuple(self.suggest(brand, code))
            return LookupResult(
                found=False,
                brand=brand,
                code=norm.display,
                sub_code=norm.sub_code,
                query=code,
                matches=matches,
                suggestions=suggestions,
            )
        primary = matches[0]
        base = custom_via_base if custom_hits else via_base
        return LookupResult(
            found=True,
            brand=brand,
            code=f"{primary.code}-{norm.sub_code}" if base else primary.code,
            sub_code=norm.sub_code if base else None,
            query=code,
            matches=matches,
        )

    def suggest(self, brand: str, code: str, n: int = 5) -> list[str]:
        """Return up to ``n`` codes of the brand that look like ``code``.

        Codes that start like the query come first, then the others at
        least half similar (``difflib`` ratio >= 0.5); each group by
        decreasing similarity, then by code.  ``difflib`` runs only on codes
        whose cheap upper bound (``quick_ratio``) can still make the list,
        and the answer per normalised code is remembered.
        """
        if brand == BRAND_OTHER or n <= 0:
            return []
        index = self._index(brand)
        norm = index.normalise(code)
        if norm is None:
            return []
        target = norm.base or norm.key
        cache_key = (brand, target, n)
        found = self._suggestions.get(cache_key)
        if found is None:
            found = _suggest(index.keys, target, n)
            _remember(self._suggestions, cache_key, found)
        return list(found)

    def search(
        self, query: str, *, brand: str | None = None, limit: int = 20
    ) -> list[CodeEntry]:
        """Search codes by text; every query word must occur somewhere.

        Scoring: an exact code match scores highest; a query word that is a
        whole word of code, meaning, category or family name scores 4, a
        prefix of one 3; in the advice or brand name 1.
        """
        tokens = _WORD.findall(query.casefold())
        if not tokens or limit <= 0:
            return []
        slugs: set[str] | None = None
        if brand is not None and brand != BRAND_OTHER:
            self._index(brand)
            slugs = {brand}
        code_keys: dict[str, str] = {}
        for slug in self._brands:
            norm = self._indexes[slug].normalise(query)
            if norm is not None:
                code_keys[slug] = norm.key
        results: list[tuple[int, str, str, str, CodeEntry]] = []
        if self._search_rows is None:
            self._search_rows = self._build_search_rows()
        for entry, key, primary, text in self._search_rows:
            if slugs is not None and entry.brand not in slugs:
                continue
            exact = code_keys.get(entry.brand) == key
            score = 0
            for token in tokens:
                if token in primary:
                    score += 4
                elif any(word.startswith(token) for word in primary):
                    score += 3
                elif token in text:
                    score += 1
                elif not exact:
                    break
            else:
                results.append(
                    (-score - 100 * exact, entry.brand, entry.family, entry.code, entry)
                )
        results.sort(key=lambda r: r[:4])
        return [r[4] for r in results[:limit]]


def _remember[K, V](memo: dict[K, V], key: K, value: V) -> None:
    """Store a value in a bounded memo, dropping the oldest entry when full."""
    if len(memo) >= LOOKUP_CACHE_SIZE:
        del memo[next(iter(memo))]
    memo[key] = value


def _best(
    matcher: difflib.SequenceMatcher[str],
    candidates: Iterable[tuple[str, str]],
    n: int,
    floor: float,
) -> list[tuple[float, str, str]]:
    """Return the ``n`` best (-ratio, key, display) with ratio >= ``floor``.

    ``matcher`` has the target as its first sequence.  Candidates are
    visited by decreasing ``quick_ratio`` (an upper bound of ``ratio``);
    the visit stops once that bound cannot reach the n-th best ratio.
    """
    bounded: list[tuple[float, str, str]] = []
    for key, display in candidates:
        matcher.set_seq2(key)
        bound = matcher.quick_ratio()
        if bound >= floor:
            bounded.append((bound, key, display))
    bounded.sort(key=lambda item: -item[0])
    best: list[tuple[float, str, str]] = []
    for bound, key, display in bounded:
        if len(best) >= n and bound < -best[n - 1][0]:
            break
        matcher.set_seq2(key)
        ratio = matcher.ratio()
        if ratio >= floor:
            best.append((-ratio, key, display))
            best.sort()
            del best[n:]
    return best


def _suggest(keys: Iterable[tuple[str, str]], target: str, n: int) -> tuple[str, ...]:
    """Return up to ``n`` displays of keys like ``target`` (see ``suggest``)."""
    same: list[tuple[str, str]] = []
    other: list[tuple[str, str]] = []
    for key, display in keys:
        if key != target:
            (same if key[:1] == target[:1] else other).append((key, display))
    matcher = difflib.SequenceMatcher(None, target, "")
    found = _best(matcher, same, n, 0.0)
    if len(found) < n:
        found += _best(matcher, other, n - len(found), 0.5)
    return tuple(display for _, _, display in found)


def _match_custom(
    norm: NormalisedCode, custom: Mapping[str, CodeEntry], rules: NormalisationRules
) -> tuple[tuple[CodeEntry, ...], bool]:
    """Return user codes matching the normalised code (and whether via base)."""
    if not custom:
        return (), False
    keyed: dict[str, list[CodeEntry]] = {}
    for entry in custom.values():
        keyed.setdefault(code_key(entry.code, rules)[0], []).append(entry)
    if hits := keyed.get(norm.key):
        return tuple(hits), False
    if norm.base is not None and (hits := keyed.get(norm.base)):
        return tuple(hits), True
    return (), False
