"""The catalogue: every brand's codes, loaded once, then looked up in O(1).

The parts live in their own modules: reading the data files (``loader``),
one brand's lookup tables (``brand_index``), the lookup answer
(``result``), text search and similar codes (``search``) and the family
suggested by a model name (``model_match``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType

from .brand_index import BrandIndex, LazyIndexes
from .loader import BRAND_NAMES, DATA_DIR, CatalogError, load_brands
from .model_match import suggest_family
from .models import Brand, CodeEntry, Family
from .normalise import (
    NormalisationRules,
    NormalisedCode,
    code_key,
    in_brand_sub_code_form,
    is_no_error_value,
    normalise_code,
)
from .result import LookupResult
from .search import WORD, SearchRow, rank, search_rows, similar_codes

__all__ = [
    "BRAND_NAMES",
    "BRAND_OTHER",
    "DATA_DIR",
    "LOOKUP_CACHE_SIZE",
    "Catalog",
    "CatalogError",
    "LookupResult",
    "UnknownBrandError",
]

#: Brand slug meaning "a brand the catalogue does not have".
BRAND_OTHER = "other"
#: How many lookups (without custom codes) one catalogue remembers.
LOOKUP_CACHE_SIZE = 1024


class UnknownBrandError(LookupError):
    """A brand slug that is neither in the catalogue nor ``other``."""

    def __init__(self, brand: str, known: Iterable[str]) -> None:
        """Remember the brand and the known brands for the message."""
        self.brand = brand
        self.known: tuple[str, ...] = tuple(known)
        super().__init__(
            f"Unknown brand {brand!r}; known brands: {', '.join(self.known)}"
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
        self._indexes = LazyIndexes(self._brands)
        self._search_rows: tuple[SearchRow, ...] | None = None
        # Bounded memos (oldest dropped first); results are immutable.
        self._lookups: dict[tuple[str, str, str | None], LookupResult] = {}
        self._suggestions: dict[tuple[str, str, int], tuple[str, ...]] = {}

    @classmethod
    def from_brands(cls, brands: Iterable[Brand]) -> Catalog:
        """Build a catalogue from Brand objects."""
        return cls(brands)

    @classmethod
    def load(cls, data_dir: Path | None = None) -> Catalog:
        """Read every ``*.json`` file of ``data_dir`` (blocking I/O)."""
        return cls(load_brands(DATA_DIR if data_dir is None else data_dir))

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
        return self._brand(brand).families

    def suggest_family(self, brand: str, model: str) -> str | None:
        """Return the family id that a model name points to, if any.

        The longest model prefix of the brand's families that starts the
        model wins (case, spaces and dashes ignored); ``None`` for brand
        ``other``, when no prefix matches, or when the longest match belongs
        to two families. See ``model_match``.
        """
        if brand == BRAND_OTHER:
            return None
        return suggest_family(self._brand(brand).families, model)

    def entries(self) -> Iterator[CodeEntry]:
        """Iterate over every code entry of every brand."""
        for brand in self._brands.values():
            yield from brand.codes

    def _brand(self, brand: str) -> Brand:
        """Return a brand or raise UnknownBrandError."""
        try:
            return self._brands[brand]
        except KeyError:
            raise self._unknown(brand) from None

    def _index(self, brand: str) -> BrandIndex:
        """Return a brand's index or raise UnknownBrandError."""
        try:
            return self._indexes[brand]
        except KeyError:
            raise self._unknown(brand) from None

    def _unknown(self, brand: str) -> UnknownBrandError:
        """Return the error for a brand the catalogue does not have."""
        return UnknownBrandError(brand, [*self._brands, BRAND_OTHER])

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
        if index is not None:
            hits, via_base = index.match(norm)
        else:
            hits, via_base = self._match_every_brand(code), False
        if family is not None:
            hits = tuple(sorted(hits, key=lambda e: e.family != family))
        matches = custom_hits + tuple(e for e in hits if e not in custom_hits)
        found = bool(custom_hits) or (index is not None and bool(hits))
        if not found:
            sub_form = in_brand_sub_code_form(norm, rules)
            suggestions = () if index is None else tuple(self.suggest(brand, code))
            return LookupResult(
                found=False,
                brand=brand,
                # Unknown: shown as the unit shows it, unless it has the
                # brand's sub-code form (Daikin U9-01, U901 -> U9-01).
                code=norm.display if sub_form else " ".join(code.split()),
                sub_code=norm.sub_code if sub_form else None,
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

    def _match_every_brand(self, code: str) -> tuple[CodeEntry, ...]:
        """Return what every catalogue brand knows under a raw code."""
        collected: list[CodeEntry] = []
        for other in map(self._indexes.__getitem__, self._brands):
            other_norm = other.normalise(code)
            if other_norm is not None:
                collected.extend(other.match(other_norm)[0])
        return tuple(collected)

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
            found = similar_codes(index.keys, target, n)
            _remember(self._suggestions, cache_key, found)
        return list(found)

    def search(
        self,
        query: str,
        *,
        brand: str | None = None,
        limit: int = 20,
        prefer_brand: str | None = None,
        prefer_family: str | None = None,
    ) -> list[CodeEntry]:
        """Search codes by text, most relevant first; every query word must occur.

        An exact code match ranks highest. A query word that is a whole word
        of the meaning scores 4, the start of one 3, a word of the code,
        family or brand name 2, anywhere else (the advice) 1; naming the
        category adds 2. ``prefer_brand`` (a heat pump's brand) and
        ``prefer_family`` (its product line) come first. Among equal scores
        the brands take turns. See ``search.rank``.
        """
        tokens = WORD.findall(query.casefold())
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
        if self._search_rows is None:
            self._search_rows = search_rows(self._brands.values(), self._indexes)
        prefer = None
        if prefer_brand is not None and prefer_brand in self._brands:
            prefer = (prefer_brand, prefer_family)
        return rank(
            self._search_rows, tokens, code_keys, slugs, limit=limit, prefer=prefer
        )


def _remember[K, V](memo: dict[K, V], key: K, value: V) -> None:
    """Store a value in a bounded memo, dropping the oldest entry when full."""
    if len(memo) >= LOOKUP_CACHE_SIZE:
        del memo[next(iter(memo))]
    memo[key] = value


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
