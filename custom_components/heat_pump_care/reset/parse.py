"""Reading the stored form of the reset core's data: strict, with clear errors.

Every reader raises ``ValueError`` (or ``TypeError``) naming the bad key, so a
file that is not ours is reported, never half-read.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .phases import Phase


def read_mapping(data: object, what: str) -> Mapping[str, Any]:
    """Return ``data`` as a mapping, or raise naming ``what``."""
    if not isinstance(data, Mapping):
        msg = f"{what} must be a mapping"
        raise ValueError(msg)  # noqa: TRY004 - the contract is ValueError
    return data


def read_opt_str(data: Mapping[str, Any], key: str) -> str | None:
    """Return an optional string value."""
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    msg = f"{key} must be a string or null"
    raise ValueError(msg)


def read_opt_float(data: Mapping[str, Any], key: str) -> float | None:
    """Return an optional number."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"{key} must be a number or null"
        raise ValueError(msg)  # noqa: TRY004 - the contract is ValueError
    return float(value)


def read_int(data: Mapping[str, Any], key: str, default: int) -> int:
    """Return a whole number, ``default`` when absent."""
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        msg = f"{key} must be a non-negative integer"
        raise ValueError(msg)
    return value


def read_bool(data: Mapping[str, Any], key: str, default: bool) -> bool:
    """Return a flag, ``default`` when absent."""
    value = data.get(key, default)
    if not isinstance(value, bool):
        msg = f"{key} must be a boolean"
        raise ValueError(msg)  # noqa: TRY004 - the contract is ValueError
    return value


def read_opt_bool(data: Mapping[str, Any], key: str) -> bool | None:
    """Return an optional flag."""
    value = data.get(key)
    if value is None or isinstance(value, bool):
        return value
    msg = f"{key} must be a boolean or null"
    raise ValueError(msg)


def read_opt_dt(data: Mapping[str, Any], key: str) -> datetime | None:
    """Return an optional aware datetime."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        msg = f"{key} must be an ISO timestamp"
        raise ValueError(msg)  # noqa: TRY004 - the contract is ValueError
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as err:
        msg = f"{key} is not an ISO timestamp: {value!r}"
        raise ValueError(msg) from err
    require_aware(parsed, key)
    return parsed


def read_dt(data: Mapping[str, Any], key: str) -> datetime:
    """Return a required aware datetime."""
    value = read_opt_dt(data, key)
    if value is None:
        msg = f"{key} is required"
        raise ValueError(msg)
    return value


def iso(value: datetime | None) -> str | None:
    """Return the stored form of an optional datetime."""
    return None if value is None else value.isoformat()


def read_phase(value: object) -> Phase:
    """Return a phase by its value."""
    if not isinstance(value, str):
        msg = "phase must be a string"
        raise ValueError(msg)  # noqa: TRY004 - the contract is ValueError
    try:
        return Phase(value)
    except ValueError as err:
        msg = f"unknown phase {value!r}"
        raise ValueError(msg) from err


def require_aware(value: datetime | None, name: str) -> None:
    """Raise ``ValueError`` when ``value`` is a naive datetime."""
    if value is not None and value.tzinfo is None:
        msg = f"{name} must be timezone-aware"
        raise ValueError(msg)
