"""What the thermostat says, and what it means for runs and the room.

A run is the compressor working: ``hvac_action`` ``heating`` (``preheating``
is heating too) or ``cooling``. ``defrosting`` reverses the cycle briefly to
melt ice off the outdoor coil; inside a run it is part of that run, never a
new run nor the end of one. ``idle``, ``off``, ``fan``, ``drying``, an
unknown value and an unavailable thermostat (``None``) are "not running".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import math
from typing import Any, Literal

from .codec import read_mapping, read_opt_number, read_opt_str

HEATING_ACTIONS = frozenset({"heating", "preheating"})
COOLING_ACTIONS = frozenset({"cooling"})
START_ACTIONS = HEATING_ACTIONS | COOLING_ACTIONS
DEFROSTING = "defrosting"

type Direction = Literal["heat", "cool"]


@dataclass(frozen=True, slots=True)
class Sample:
    """One reading of the climate entity, as the shell passes it in.

    ``action`` is ``hvac_action`` (``None`` while the entity is unavailable or
    unknown), ``mode`` the ``hvac_mode``, ``current`` the room temperature,
    ``target_heat`` / ``target_cool`` the heating and cooling targets
    (``temperature``, or ``target_temp_low`` / ``target_temp_high``).
    """

    action: str | None
    mode: str | None
    current: float | None
    target_heat: float | None
    target_cool: float | None


_SAMPLE_KEYS = frozenset({"action", "mode", "current", "target_heat", "target_cool"})


def clean(sample: Sample) -> Sample:
    """Return ``sample`` with non-finite temperatures as unknown (``None``).

    A NaN or infinite reading says nothing about the room, and it could not be
    stored as JSON either.
    """

    def finite(value: float | None) -> float | None:
        if value is None or isinstance(value, bool):
            return None
        number = float(value)
        return number if math.isfinite(number) else None

    return Sample(
        sample.action,
        sample.mode,
        finite(sample.current),
        finite(sample.target_heat),
        finite(sample.target_cool),
    )


def starts_run(action: str | None) -> bool:
    """Whether ``action`` starts a run when the unit was not running."""
    return action in START_ACTIONS


def run_direction(action: str | None) -> Direction | None:
    """Return the direction of a running action (a defrost happens while heating)."""
    if action in HEATING_ACTIONS or action == DEFROSTING:
        return "heat"
    if action in COOLING_ACTIONS:
        return "cool"
    return None


def target(sample: Sample, way: Direction) -> float | None:
    """Return the target temperature that applies in direction ``way``."""
    return sample.target_heat if way == "heat" else sample.target_cool


def gap(sample: Sample, way: Direction) -> float | None:
    """How far the room is from the target, positive while it is behind.

    Heating: target minus room; cooling: room minus target. ``None`` when the
    direction, the room or the target is unknown.
    """
    aim = target(sample, way)
    if aim is None or sample.current is None:
        return None
    return aim - sample.current if way == "heat" else sample.current - aim


def sample_to_dict(sample: Sample) -> dict[str, Any]:
    """Return the stored form of a sample."""
    return {
        "action": sample.action,
        "mode": sample.mode,
        "current": sample.current,
        "target_heat": sample.target_heat,
        "target_cool": sample.target_cool,
    }


def sample_from_dict(data: object) -> Sample:
    """Rebuild a sample stored by ``sample_to_dict``."""
    raw: Mapping[str, Any] = read_mapping(data, "last sample", _SAMPLE_KEYS)
    return Sample(
        read_opt_str(raw["action"], "last sample action"),
        read_opt_str(raw["mode"], "last sample mode"),
        read_opt_number(raw["current"], "last sample current"),
        read_opt_number(raw["target_heat"], "last sample target_heat"),
        read_opt_number(raw["target_cool"], "last sample target_cool"),
    )
