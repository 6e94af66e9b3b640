"""Text search over the catalogue and "did you mean" codes of a brand."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
import difflib
import re

from .brand_index import BrandIndex
from .models import Brand, CodeEntry
from .normalise import code_key

#: A word of a search query or of a row's text.
WORD = re.compile(r"[0-9a-z]+")


@dataclass(slots=True, frozen=True)
class SearchRow:
    """The searchable text of one entry, prepared once."""

    entry: CodeEntry
    #: The code's folded matching key (for an exact code query).
    key: str
    #: Words of the meaning: what the code is about.
    meaning: frozenset[str]
    #: Words of the code, family name and brand name.
    tags: frozenset[str]
    #: Everything searchable, advice included, case-folded.
    text: str
    #: How many words the meaning has (a short meaning is more to the point).
    length: int


def search_rows(
    brands: Iterable[Brand], indexes: Mapping[str, BrandIndex]
) -> tuple[SearchRow, ...]:
    """Precompute the searchable text of every entry of the brands."""
    rows: list[SearchRow] = []
    for brand in brands:
        rules = indexes[brand.slug].rules
        brand_text = f"{brand.name} {brand.slug}".casefold()
        for entry in brand.codes:
            meaning = WORD.findall(entry.meaning.casefold())
            tags = f"{entry.code} {entry.family_name} {brand_text}".casefold()
            rows.append(
                SearchRow(
                    entry,
                    code_key(entry.code, rules)[0],
                    frozenset(meaning),
                    frozenset(WORD.findall(tags)),
                    f"{entry.meaning} {entry.category} {tags} {entry.advice}".casefold(),
                    len(meaning),
                )
            )
    return tuple(rows)


def _token_score(row: SearchRow, token: str) -> int:
    """Return how well one query word matches a row (0: not at all).

    A whole word of the meaning scores 4, the start of one 3, a word (or the
    start of one) of the code, family or brand name 2, anywhere else (the
    advice) 1; naming the row's category adds 2.
    """
    if token in row.meaning:
        score = 4
    elif any(word.startswith(token) for word in row.meaning):
        score = 3
    elif any(word.startswith(token) for word in row.tags):
        score = 2
    elif token in row.text:
        score = 1
    else:
        return 0
    return score + 2 * (token == row.entry.category)


def rank(
    rows: Iterable[SearchRow],
    tokens: list[str],
    code_keys: Mapping[str, str],
    slugs: set[str] | None,
    *,
    limit: int,
    prefer: tuple[str, str | None] | None = None,
) -> list[CodeEntry]:
    """Return the ``limit`` most relevant rows whose text holds every query word.

    ``code_keys`` is the query's code key per brand: an exact code match
    ranks first and needs no word match. ``slugs`` limits the brands.
    ``prefer`` (brand, family) puts that heat pump's product line first, then
    the rest of its brand, then the other brands. Within that, higher scores
    (``_token_score`` summed) first; among equal scores the brands take turns,
    each brand's rows with the shortest meanings first, so that no brand with
    many similar codes fills the list.
    """
    scored: list[tuple[int, int, int, CodeEntry]] = []
    for row in rows:
        entry = row.entry
        if slugs is not None and entry.brand not in slugs:
            continue
        exact = code_keys.get(entry.brand) == row.key
        score = 100 * exact
        for token in tokens:
            token_score = _token_score(row, token)
            if not token_score and not exact:
                break
            score += token_score
        else:
            scored.append((_group(entry, prefer), -score, row.length, entry))
    scored.sort(key=lambda r: (*r[:3], r[3].brand, r[3].family, r[3].code))
    turns: dict[tuple[int, int, str], int] = {}
    ordered = []
    for group, score, length, entry in scored:
        band = (group, score, entry.brand)
        turn = turns[band] = turns.get(band, -1) + 1
        ordered.append((group, score, turn, length, entry))
    ordered.sort(key=lambda r: (*r[:4], r[4].brand, r[4].family, r[4].code))
    return [r[4] for r in ordered[:limit]]


def _group(entry: CodeEntry, prefer: tuple[str, str | None] | None) -> int:
    """Return 0 for the preferred product line, 1 for its brand, else 2."""
    if prefer is None or entry.brand != prefer[0]:
        return 2
    return 0 if prefer[1] is None or entry.family == prefer[1] else 1


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
