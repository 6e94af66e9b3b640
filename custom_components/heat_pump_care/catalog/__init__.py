"""Error-code catalogue: brands, families, codes, normalisation and lookup.

A pure core: nothing here imports Home Assistant. Build the catalogue once
with ``Catalog.load()`` (blocking file I/O; run it in an executor) and query
it with ``lookup``, ``search``, ``suggest``, ``suggest_family`` and
``is_no_error``.
"""

from __future__ import annotations

from .custom import (
    ERROR_DUPLICATE_CODE,
    ERROR_EMPTY_MEANING,
    ERROR_INVALID_CATEGORY,
    ERROR_INVALID_FORMAT,
    ERROR_INVALID_SEVERITY,
    parse_custom_codes,
)
from .index import BRAND_OTHER, Catalog, UnknownBrandError
from .loader import DATA_DIR, CatalogError
from .models import (
    CUSTOM_FAMILY,
    HARMFUL_RESET_CATEGORIES,
    Brand,
    Category,
    CodeEntry,
    Family,
    Severity,
    Source,
)
from .normalise import NormalisedCode, normalise_code
from .result import LookupResult
from .rules import CATEGORY_ADVICE, UNKNOWN_CODE_ADVICE

__all__ = [
    "BRAND_OTHER",
    "CATEGORY_ADVICE",
    "CUSTOM_FAMILY",
    "DATA_DIR",
    "ERROR_DUPLICATE_CODE",
    "ERROR_EMPTY_MEANING",
    "ERROR_INVALID_CATEGORY",
    "ERROR_INVALID_FORMAT",
    "ERROR_INVALID_SEVERITY",
    "HARMFUL_RESET_CATEGORIES",
    "UNKNOWN_CODE_ADVICE",
    "Brand",
    "Catalog",
    "CatalogError",
    "Category",
    "CodeEntry",
    "Family",
    "LookupResult",
    "NormalisedCode",
    "Severity",
    "Source",
    "UnknownBrandError",
    "normalise_code",
    "parse_custom_codes",
]
