"""User-defined error codes: one ``CODE: meaning | category | severity`` a line."""

from __future__ import annotations

from .models import CUSTOM_FAMILY, USER_SOURCE, Category, CodeEntry, Severity
from .normalise import NormalisationRules, normalise_code
from .rules import default_reset_may_help, derive_advice, derive_severity

ERROR_INVALID_FORMAT = "invalid_format"
ERROR_INVALID_CATEGORY = "invalid_category"
ERROR_DUPLICATE_CODE = "duplicate_code"
ERROR_EMPTY_MEANING = "empty_meaning"
ERROR_INVALID_SEVERITY = "invalid_severity"

#: Display name of the family of user-defined codes.
CUSTOM_FAMILY_NAME = "Custom codes"


def parse_custom_codes(
    brand: str, text: str, *, rules: NormalisationRules | None = None
) -> tuple[dict[str, CodeEntry], list[tuple[int, str]]]:
    """Parse user-defined codes.

    Each non-blank line that does not start with ``#`` reads
    ``CODE: meaning``, optionally followed by ``| category`` (default
    ``other``) and ``| severity`` (default derived like catalogue rows).
    Returns the entries keyed by their normalised matching key and the
    errors as ``(line number, error key)``, line numbers starting at 1.
    Lines with errors are skipped; the rest are still returned.
    """
    entries: dict[str, CodeEntry] = {}
    errors: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        code, colon, rest = stripped.partition(":")
        code = code.strip()
        fields = [field.strip() for field in rest.split("|")]
        if not colon or not code or len(fields) > 3:
            errors.append((number, ERROR_INVALID_FORMAT))
            continue
        meaning = fields[0]
        if not meaning:
            errors.append((number, ERROR_EMPTY_MEANING))
            continue
        try:
            category = Category(fields[1].lower() if len(fields) > 1 else "other")
        except ValueError:
            errors.append((number, ERROR_INVALID_CATEGORY))
            continue
        reset = default_reset_may_help(category)
        try:
            severity = (
                Severity(fields[2].lower())
                if len(fields) > 2
                else derive_severity(category, reset, meaning)
            )
        except ValueError:
            errors.append((number, ERROR_INVALID_SEVERITY))
            continue
        norm = normalise_code(brand, code, rules=rules)
        if norm is None:
            errors.append((number, ERROR_INVALID_FORMAT))
            continue
        if norm.key in entries:
            errors.append((number, ERROR_DUPLICATE_CODE))
            continue
        entries[norm.key] = CodeEntry(
            brand=brand,
            family=CUSTOM_FAMILY,
            code=code,
            meaning=meaning,
            category=category,
            severity=severity,
            reset_may_help=reset,
            advice=derive_advice(category, meaning),
            sources=(USER_SOURCE,),
            family_name=CUSTOM_FAMILY_NAME,
        )
    return entries, errors
