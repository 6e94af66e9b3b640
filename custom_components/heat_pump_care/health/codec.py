"""Reading the stored form of the health state: strict, with clear errors.

The state comes back from a file that may be damaged, hand-edited or written
by another version. Half-reading it would be worse than starting afresh: a
wrong count or a stuck problem flag is shown to the owner as fact. So every
reader here checks type and range and raises ``TypeError`` (wrong JSON type)
or ``ValueError`` (right type, impossible value), naming the bad key, and the
shell can tell "not ours" apart from "nothing recorded yet".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from itertools import pairwise
import math
from typing import Any


def read_mapping(data: object, what: str, keys: frozenset[str]) -> Mapping[str, Any]:
    """Return ``data`` as a mapping with exactly ``keys``, or raise."""
    if not isinstance(data, Mapping):
        msg = f"{what} must be a mapping"
        raise TypeError(msg)
    present = frozenset(data)
    if present != keys:
        missing = ", ".join(sorted(str(key) for key in keys - present)) or "-"
        extra = ", ".join(sorted(str(key) for key in present - keys)) or "-"
        msg = f"{what}: missing keys {missing}; unknown keys {extra}"
        raise ValueError(msg)
    return data


def read_list(value: object, what: str, limit: int) -> list[Any]:
    """Return ``value`` as a list of at most ``limit`` items, or raise."""
    if not isinstance(value, list):
        msg = f"{what} must be a list"
        raise TypeError(msg)
    if len(value) > limit:
        msg = f"{what} holds {len(value)} items, more than {limit}"
        raise ValueError(msg)
    return value


def read_bool(value: object, what: str) -> bool:
    """Return a flag."""
    if not isinstance(value, bool):
        msg = f"{what} must be a boolean"
        raise TypeError(msg)
    return value


def read_count(value: object, what: str) -> int:
    """Return a non-negative whole number."""
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"{what} must be a whole number"
        raise TypeError(msg)
    if value < 0:
        msg = f"{what} must not be negative"
        raise ValueError(msg)
    return value


def read_number(value: object, what: str, *, minimum: float | None = None) -> float:
    """Return a finite number (not a boolean), at least ``minimum`` if given."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"{what} must be a number"
        raise TypeError(msg)
    number = float(value)
    if not math.isfinite(number) or (minimum is not None and number < minimum):
        msg = f"{what} is out of range: {value!r}"
        raise ValueError(msg)
    return number


def read_opt_number(value: object, what: str) -> float | None:
    """Return a finite number or ``None``."""
    return None if value is None else read_number(value, what)


def read_opt_str(value: object, what: str) -> str | None:
    """Return a string or ``None``."""
    if value is None or isinstance(value, str):
        return value
    msg = f"{what} must be a string or null"
    raise TypeError(msg)


def read_instant(value: object, what: str) -> datetime:
    """Return an aware ISO timestamp as a UTC datetime."""
    if not isinstance(value, str):
        msg = f"{what} must be an ISO timestamp"
        raise TypeError(msg)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as err:
        msg = f"{what} is not an ISO timestamp: {value!r}"
        raise ValueError(msg) from err
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        msg = f"{what} has no time zone: {value!r}"
        raise ValueError(msg)
    return parsed.astimezone(UTC)


def read_opt_instant(value: object, what: str) -> datetime | None:
    """Return an aware ISO timestamp as UTC, or ``None``."""
    return None if value is None else read_instant(value, what)


def read_date(value: object, what: str) -> date:
    """Return an ISO calendar date."""
    if not isinstance(value, str):
        msg = f"{what} must be an ISO date"
        raise TypeError(msg)
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        msg = f"{what} is not an ISO date: {value!r}"
        raise ValueError(msg) from err


def read_opt_date(value: object, what: str) -> date | None:
    """Return an ISO calendar date or ``None``."""
    return None if value is None else read_date(value, what)


def require_sorted(values: list[datetime], what: str) -> None:
    """Raise unless ``values`` are in time order (equal instants allowed)."""
    if any(later < earlier for earlier, later in pairwise(values)):
        msg = f"{what} is not in time order"
        raise ValueError(msg)


def iso(value: datetime | None) -> str | None:
    """Return the stored form of an optional instant."""
    return None if value is None else value.isoformat()


def iso_date(value: date | None) -> str | None:
    """Return the stored form of an optional date."""
    return None if value is None else value.isoformat()
