"""The owner's health thresholds, their allowed ranges and their defaults.

Every default comes from a published figure (see ``docs/health.md`` for the
sources); the ranges keep each threshold where the detection still means
something, and the options flow shows them as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
import math
from types import MappingProxyType
from typing import Any, Self

HEALTH_RANGES: Mapping[str, tuple[float, float]] = MappingProxyType(
    {
        # 3 is the textbook "3 starts an hour" rule; beyond 20 an hour the rule
        # would only catch units that a 5-minute anti-short-cycle delay forbids.
        "short_cycle_starts": (3, 20),
        # The compressor's 5-minute minimum off time is the floor; an hour from
        # start to start is no longer short.
        "short_cycle_period_minutes": (5, 60),
        "short_cycle_clear_starts": (0, 19),
        "short_cycle_repair_days": (1, 14),
        # Thermostat integrations alert after about 50 minutes without progress;
        # half a day is the longest a "long run" can sensibly mean.
        "not_keeping_up_hours": (0.5, 12.0),
        "not_keeping_up_gap": (0.5, 5.0),
        # 15.5 °C (UK/EU statistics), 18 °C (other series), 65 °F = 18.3 °C (US).
        "degree_day_base": (10.0, 22.0),
        "baseline_days": (7, 60),
        "efficiency_drop_percent": (5, 100),
        "efficiency_drop_days": (1, 14),
        "frequent_resets": (1, 20),
    }
)
"""Option key (the field name) -> inclusive (minimum, maximum)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class HealthSettings:
    """Thresholds of the health detections (the options of one heat pump).

    Short cycling (fast state): on when at least ``short_cycle_starts`` runs
    started within the rolling hour and the median start-to-start period of
    those starts is at most ``short_cycle_period_minutes``; off again when the
    starts in the rolling hour fall to ``short_cycle_clear_starts`` or fewer.
    The slow problem (a repair) needs the fast state on at some moment on each
    of ``short_cycle_repair_days`` consecutive local days, because field data
    show that an hour-scale rule alone flags most healthy inverter units.

    Not keeping up: the unit has run without pause for
    ``not_keeping_up_hours`` while the room stayed at least
    ``not_keeping_up_gap`` °C from the target and the gap did not close.

    Degree days use ``degree_day_base`` (°C). The unit's own baseline of run
    time per degree day is learned over ``baseline_days`` heating days; an
    efficiency drop is the 7-day figure above the baseline by more than
    ``efficiency_drop_percent`` % on ``efficiency_drop_days`` consecutive
    days. Frequent resets: more than ``frequent_resets`` safe resets in 30 days.
    """

    short_cycle_starts: int = 6
    short_cycle_period_minutes: int = 15
    short_cycle_clear_starts: int = 3
    short_cycle_repair_days: int = 3
    not_keeping_up_hours: float = 3.0
    not_keeping_up_gap: float = 1.0
    degree_day_base: float = 15.5
    baseline_days: int = 14
    efficiency_drop_percent: int = 25
    efficiency_drop_days: int = 3
    frequent_resets: int = 3

    def __post_init__(self) -> None:
        """Reject a wrong type (``TypeError``) or a value out of range."""
        for item in fields(self):
            value = getattr(self, item.name)
            whole = item.type == "int"
            if isinstance(value, bool) or not isinstance(
                value, int if whole else int | float
            ):
                kind = "a whole number" if whole else "a number"
                msg = f"{item.name} must be {kind}"
                raise TypeError(msg)
            low, high = HEALTH_RANGES[item.name]
            if not (math.isfinite(value) and low <= value <= high):
                msg = f"{item.name} must be between {low} and {high}, not {value!r}"
                raise ValueError(msg)
        if self.short_cycle_clear_starts >= self.short_cycle_starts:
            msg = "short_cycle_clear_starts must be below short_cycle_starts"
            raise ValueError(msg)

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> Self:
        """Build settings from config-entry options; absent keys keep defaults.

        Keys that are not health thresholds are ignored (the options hold
        other capabilities' settings too). Number selectors deliver whole
        numbers as floats (``6.0``), so an integral float is accepted for a
        whole-number field; ``6.5`` there is a ``ValueError``.
        """
        values: dict[str, Any] = {}
        for item in fields(cls):
            if item.name not in options:
                continue
            value = options[item.name]
            if (
                item.type == "int"
                and isinstance(value, float)
                and math.isfinite(value)
                and value.is_integer()
            ):
                value = int(value)
            values[item.name] = value
        return cls(**values)
