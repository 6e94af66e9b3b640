"""Text search over the catalogue and "did you mean" codes of a brand."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
import difflib
import re

from .brand_index import BrandIndex
from .models import Brand, CodeEntry
from .normalise import code_key

#: A word of a search query or of a row's text.
WORD = re.compile(r"[0-9a-z]+")

#: (entry, folded code key, words of code/meaning/category/family, all text)
type SearchRow = tuple[CodeEntry, str, frozenset[str], str]


def search_rows(
    brands: Iterable[Brand], indexes: Mapping[str, BrandIndex]
) -> tuple[SearchRow, ...]:
    """Precompute the searchable text of every entry of the brands."""
    rows: list[SearchRow] = []
    for brand in brands:
        rules = indexes[brand.slug].rules
        for entry in brand.codes:
            primary = (
                f"{entry.code} {entry.meaning} {entry.category} {entry.family_name}"
            ).casefold()
            secondary = f"{entry.advice} {brand.name} {brand.slug}".casefold()
            rows.append(
                (
                    entry,
                    code_key(entry.code, rules)[0],
                    frozenset(WORD.findall(primary)),
                    f"{primary} {secondary}",
                )
            )
    return tuple(rows)


def rank(
    rows: Iterable[SearchRow],
    tokens: list[str],
    code_keys: Mapping[str, str],
    slugs: set[str] | None,
    limit: int,
) -> list[CodeEntry]:
    """Return the ``limit`` best rows whose text holds every query token.

    ``code_keys`` is the query's code key per brand (an exact code match
    scores highest and needs no word match); ``slugs`` limits the brands.
    A token that is a whole word of code, meaning, category or family name
    scores 4, a prefix of one 3; in the advice or brand name 1.
    """
    results: list[tuple[int, str, str, str, CodeEntry]] = []
    for entry, key, primary, text in rows:
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


def similar_codes(
    keys: Iterable[tuple[str, str]], target: str, n: int
) -> tuple[str, ...]:
    """Return up to ``n`` displays of (key, display) pairs like ``target``.

    Keys that start like the target come first, then the others at least
    half similar (``difflib`` ratio >= 0.5); each group by decreasing
    similarity, then by key.
    """
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
