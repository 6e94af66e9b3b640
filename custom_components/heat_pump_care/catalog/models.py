"""Data model of the error-code catalogue (pure Python, no Home Assistant)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Category(StrEnum):
    """The twelve fault categories of the public interface."""

    COMMUNICATION = "communication"
    SENSOR = "sensor"
    PRESSURE = "pressure"
    REFRIGERANT = "refrigerant"
    COMPRESSOR = "compressor"
    FAN = "fan"
    DEFROST = "defrost"
    DRAIN = "drain"
    ELECTRICAL = "electrical"
    PROTECTION = "protection"
    CONFIGURATION = "configuration"
    OTHER = "other"


class Severity(StrEnum):
    """How serious a fault is for the unit.

    ``warning``: the unit keeps running or recovers by itself.
    ``error``: the affected function stops until the cause clears or a reset.
    ``critical``: lock-out or risk of damage; a technician is needed.
    """

    WARNING = "warning"
    ERROR = "error"
    CRITICAL = "critical"


class Reliability(StrEnum):
    """How trustworthy a source is."""

    MANUFACTURER = "manufacturer"
    SECONDARY = "secondary"
    USER = "user"


#: Categories where power-cycling the unit can do harm (a compressor restarted
#: into a refrigerant, pressure or compressor fault, or a unit restarted while
#: condensate cannot drain).
HARMFUL_RESET_CATEGORIES: frozenset[Category] = frozenset(
    {Category.REFRIGERANT, Category.PRESSURE, Category.COMPRESSOR, Category.DRAIN}
)

#: Family id of user-defined codes.
CUSTOM_FAMILY = "custom"
#: Source id of user-defined codes.
USER_SOURCE = "user"


@dataclass(slots=True, frozen=True)
class Family:
    """A product line within a brand whose codes form one scheme."""

    id: str
    name: str
    notes: str = ""
    #: Model-name prefixes of the line (``FTXM``, ``MSZ-``), compared ignoring
    #: case and everything but letters and digits; see ``model_match``.
    models: tuple[str, ...] = ()


@dataclass(slots=True, frozen=True)
class Source:
    """Where the facts of a code row were read, and how much of it was read.

    ``table`` names what was read (document, section or pages),
    ``codes_in_table`` how many codes that table holds, and ``omitted`` the
    codes of the table left out of the catalogue, each as (code, reason).
    """

    id: str
    title: str
    url: str
    publisher: str
    reliability: str
    table: str = ""
    codes_in_table: int | None = None
    omitted: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True, frozen=True)
class CodeEntry:
    """One error code of one brand family."""

    brand: str
    family: str
    code: str
    meaning: str
    category: Category
    severity: Severity
    reset_may_help: bool | None
    advice: str
    aliases: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    conflict: str | None = None
    family_name: str = ""
    source_urls: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dictionary of this entry."""
        return {
            "brand": self.brand,
            "family": self.family,
            "family_name": self.family_name,
            "code": self.code,
            "meaning": self.meaning,
            "category": str(self.category),
            "severity": str(self.severity),
            "reset_may_help": self.reset_may_help,
            "advice": self.advice,
            "aliases": list(self.aliases),
            "sources": list(self.sources),
            "source_urls": list(self.source_urls),
            "conflict": self.conflict,
        }


@dataclass(slots=True, frozen=True)
class Brand:
    """All catalogue data of one brand."""

    slug: str
    name: str
    families: tuple[Family, ...]
    sources: Mapping[str, Source]
    codes: tuple[CodeEntry, ...]
    no_error_values: tuple[str, ...] = ()
    normalisation: Mapping[str, Any] = field(default_factory=dict)

    def family(self, family_id: str) -> Family | None:
        """Return the family with this id, if the brand has it."""
        for family in self.families:
            if family.id == family_id:
                return family
        return None
