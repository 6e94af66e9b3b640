"""The answer to one lookup and its service response."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .models import Category, CodeEntry, Severity
from .rules import UNKNOWN_CODE_ADVICE

#: The list values of ``CodeEntry.as_dict``; everything else in it is immutable.
_ENTRY_LISTS = ("aliases", "sources", "source_urls")


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
