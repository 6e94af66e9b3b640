"""Turn what a controller or a user shows into a catalogue matching key.

Matching ignores case (unless a brand has codes that differ only by case),
whitespace and the separators ``- _ : . /``. Brands may add rules: a numeric
scheme (LG ``CH05`` = ``CH5`` = ``C5`` = ``05`` = ``5``; Samsung ``E101`` =
``101``), sub-codes (Daikin ``U4-01`` and ``U401`` are ``U4`` with sub-code ``01``;
without a separator only a code in the brand's sub-code form is split, so
``XYZ`` stays ``XYZ``) and groups of equivalent codes (Mitsubishi Electric ``P4`` = ``2502``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
import re
from typing import Any

#: Values that mean "no error" for every brand (compared case-insensitively
#: after trimming; any all-zero number also means no error).
GENERIC_NO_ERROR_VALUES: frozenset[str] = frozenset(
    {
        "",
        "0",
        "00",
        "000",
        "none",
        "ok",
        "no error",
        "noerror",
        "normal",
        "-",
        "--",
        "unknown",
        "unavailable",
        "n/a",
    }
)

_SEPARATORS = re.compile(r"[\s\-_:./]+")
_FIRST_SEPARATOR = re.compile(r"[\s\-_:./]")


def compact(raw: str) -> str:
    """Remove whitespace and separators, keeping case."""
    return _SEPARATORS.sub("", raw.strip())


# The generic values as compared: without separators ("" covers "-", "--").
_GENERIC_NO_ERROR_PACKED: frozenset[str] = frozenset(
    compact(value) for value in GENERIC_NO_ERROR_VALUES
)


@dataclass(slots=True, frozen=True)
class NumericRule:
    """A brand whose codes are a number with an optional prefix."""

    prefixes: tuple[str, ...]  # upper case, longest first
    canonical: str
    width: int

    def apply(self, folded: str) -> str | None:
        """Return the canonical code for a folded compact code, or None."""
        rest = folded
        for prefix in self.prefixes:
            if folded.startswith(prefix):
                rest = folded[len(prefix) :]
                break
        if rest.isascii() and rest.isdigit():
            return self.canonical + str(int(rest)).zfill(self.width)
        return None


@dataclass(slots=True, frozen=True)
class NormalisationRules:
    """The normalisation rules of one brand."""

    numeric: NumericRule | None = None
    sub_code_base_length: int | None = None
    #: Regular expression the sub-code must match in full for a code without
    #: a separator to be split (``None``: any sub-code).
    sub_code_form: str | None = None
    equivalents: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any], base: NormalisationRules | None = None
    ) -> NormalisationRules:
        """Build rules from a data file's ``normalisation`` object.

        Keys given in ``data`` replace those of ``base`` (the built-in rules).
        """
        base = base or cls()
        numeric = base.numeric
        if (raw_numeric := data.get("numeric")) is not None:
            numeric = NumericRule(
                prefixes=tuple(
                    sorted(
                        (str(p).upper() for p in raw_numeric.get("prefixes", ())),
                        key=len,
                        reverse=True,
                    )
                ),
                canonical=str(raw_numeric.get("canonical", "")).upper(),
                width=int(raw_numeric.get("width", 1)),
            )
        sub_length = base.sub_code_base_length
        if (raw_sub := data.get("sub_code_base_length")) is not None:
            sub_length = int(raw_sub)
        sub_form = base.sub_code_form
        if (raw_form := data.get("sub_code_form")) is not None:
            sub_form = str(raw_form)
        equivalents = base.equivalents
        if (raw_eq := data.get("equivalents")) is not None:
            equivalents = tuple(tuple(str(code) for code in group) for group in raw_eq)
        return cls(
            numeric=numeric,
            sub_code_base_length=sub_length,
            sub_code_form=sub_form,
            equivalents=equivalents,
        )


#: Rules built into the code for brands whose schemes need them.
BUILTIN_RULES: Mapping[str, NormalisationRules] = {
    "lg": NormalisationRules(numeric=NumericRule(("CH", "C"), "CH", 2)),
    "samsung": NormalisationRules(numeric=NumericRule(("E",), "E", 3)),
    # Daikin sub-codes are two digits: U4-01, shown by some units as U401.
    "daikin": NormalisationRules(sub_code_base_length=2, sub_code_form="[0-9]{2}"),
}


@dataclass(slots=True, frozen=True)
class NormalisedCode:
    """A code ready for matching.

    ``key`` is the case-folded matching key, ``exact`` the same key with the
    case kept (used only for brands whose codes differ only by case),
    ``display`` a tidy form for people, ``base``/``sub_code`` the split of a
    code with a sub-code (``U4-01`` -> ``U4`` + ``01``).
    """

    key: str
    display: str
    sub_code: str | None = None
    base: str | None = None
    exact: str = ""
    base_exact: str | None = None


def code_key(raw: str, rules: NormalisationRules | None = None) -> tuple[str, str]:
    """Return the (folded, exact-case) matching keys of a stored code or alias."""
    exact = compact(raw)
    folded = exact.upper()
    if rules is not None and rules.numeric is not None:
        canonical = rules.numeric.apply(folded)
        if canonical is not None:
            return canonical, canonical
    return folded, exact


def is_no_error_value(raw: str, extra: Iterable[str] = ()) -> bool:
    """Return whether a raw value means "no error" (generic or brand values).

    Values compare without case, whitespace and separators, so ``No_Error``
    and ``N-A`` mean no error like ``no error`` and ``n/a``.
    """
    text = " ".join(raw.split()).casefold()
    packed = compact(text)
    if packed in _GENERIC_NO_ERROR_PACKED:
        return True
    if packed.isdigit() and set(packed) == {"0"}:
        return True
    for value in extra:
        value_text = " ".join(value.split()).casefold()
        if text == value_text or packed == compact(value_text):
            return True
    return False


def _in_sub_code_form(exact: str, rules: NormalisationRules) -> bool:
    """Return whether a code without separators is a base plus a sub-code."""
    length = rules.sub_code_base_length
    if not length or len(exact) <= length:
        return False
    form = rules.sub_code_form
    return form is None or re.fullmatch(form, exact[length:]) is not None


def in_brand_sub_code_form(norm: NormalisedCode, rules: NormalisationRules) -> bool:
    """Return whether a code has the sub-code form of a brand that has one.

    Daikin ``U9-01`` and ``U901`` have it; ``XYZ`` and ``XY-7`` do not, and
    no code has it for a brand without a sub-code form.
    """
    form = rules.sub_code_form
    return (
        norm.sub_code is not None
        and form is not None
        and re.fullmatch(form, norm.sub_code) is not None
    )


def normalise_code(
    brand: str,
    raw: str,
    *,
    rules: NormalisationRules | None = None,
    no_error_values: Iterable[str] = (),
) -> NormalisedCode | None:
    """Normalise a raw code of a brand; ``None`` means "no error".

    ``rules`` default to the built-in rules of the brand (``BUILTIN_RULES``).
    """
    if is_no_error_value(raw, no_error_values):
        return None
    if rules is None:
        rules = BUILTIN_RULES.get(brand, NormalisationRules())
    stripped = raw.strip()
    key, exact = code_key(stripped, rules)
    if rules.numeric is not None and rules.numeric.apply(key) is not None:
        return NormalisedCode(key=key, display=key, exact=exact)
    base_raw: str | None = None
    sub: str | None = None
    parts = _FIRST_SEPARATOR.split(stripped, maxsplit=1)
    if len(parts) == 2 and len(compact(parts[0])) >= 2 and compact(parts[1]):
        base_raw, sub = compact(parts[0]), compact(parts[1])
    elif _in_sub_code_form(exact, rules):
        base_raw = exact[: rules.sub_code_base_length]
        sub = exact[rules.sub_code_base_length :]
    if base_raw is None or sub is None:
        return NormalisedCode(key=key, display=key, exact=exact)
    base_key, base_exact = code_key(base_raw, rules)
    return NormalisedCode(
        key=key,
        display=f"{base_key}-{sub.upper()}",
        sub_code=sub.upper(),
        base=base_key,
        exact=exact,
        base_exact=base_exact,
    )
