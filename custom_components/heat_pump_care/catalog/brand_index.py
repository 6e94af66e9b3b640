"""The lookup tables of one brand, built when the brand is first used."""

from __future__ import annotations

from collections.abc import Mapping

from .models import Brand, CodeEntry
from .normalise import (
    BUILTIN_RULES,
    NormalisationRules,
    NormalisedCode,
    code_key,
    normalise_code,
)

type _Table = dict[str, tuple[CodeEntry, ...]]


class BrandIndex:
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
        """Return the codes, then the aliases, matching a key (case rule applied).

        Both count: an alias of one family may be the code of another (Midea
        residential ``E0`` shows as ``EA``, M-Thermal has its own ``EA``), and
        the requested family picks between them.
        """
        found: tuple[CodeEntry, ...] = ()
        for table, table_exact in (
            (self.codes, self.codes_exact),
            (self.aliases, self.aliases_exact),
        ):
            hit: tuple[CodeEntry, ...] = ()
            if folded in self.case_sensitive:
                hit = table_exact.get(exact, ())
            if not hit:
                hit = table.get(folded, ())
            found += tuple(entry for entry in hit if entry not in found)
        return found

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


class LazyIndexes(dict[str, BrandIndex]):
    """The brands' indexes by slug, each built on first access."""

    __slots__ = ("_brands",)

    def __init__(self, brands: Mapping[str, Brand]) -> None:
        """Start empty; ``brands`` are the brands that may be indexed."""
        super().__init__()
        self._brands = brands

    def __missing__(self, slug: str) -> BrandIndex:
        """Build, keep and return a brand's index (KeyError if unknown)."""
        brand = self._brands[slug]
        index = BrandIndex(
            brand,
            NormalisationRules.from_mapping(
                brand.normalisation, BUILTIN_RULES.get(slug)
            ),
        )
        self[slug] = index
        return index
