"""Pure health core of Heat Pump Care (no Home Assistant import).

Watches the unit work through what every thermostat entity already reports
(``hvac_action``, room and target temperatures) and, where configured, an
outdoor temperature: runs, cycles and defrosts per local day, run time per
heating degree day against the unit's own learned baseline, and four
problems: short cycling, not keeping up, efficiency drop and frequent resets.

The shell calls ``observe`` / ``observe_outdoor`` on every change of its
inputs, ``record_reset`` after a safe reset, ``relearn`` when a professional
service is marked done, ``suspend`` when Home Assistant stops, and
``assess`` after each of these and at the instant ``next_change`` returns;
it persists ``HealthState.to_dict()`` afterwards. See ``docs/health.md``.
"""

from __future__ import annotations

from .days import COVERAGE, DAY_LIMIT, WINDOW_DAYS, DayRecord
from .gaps import LEVEL_LIMIT, PROGRESS, GapTracker
from .report import (
    EFFICIENCY_DROP,
    FREQUENT_RESETS,
    NOT_KEEPING_UP,
    PROBLEMS,
    SHORT_CYCLING,
    HealthReport,
    assess,
    next_change,
    short_cycling_repair,
)
from .sample import Sample
from .settings import HEALTH_RANGES, HealthSettings
from .state import RESET_LIMIT, RUN_LIMIT, START_LIMIT, HealthState
from .timeline import observe, observe_outdoor, record_reset, relearn, suspend

__all__ = [
    "COVERAGE",
    "DAY_LIMIT",
    "EFFICIENCY_DROP",
    "FREQUENT_RESETS",
    "HEALTH_RANGES",
    "LEVEL_LIMIT",
    "NOT_KEEPING_UP",
    "PROBLEMS",
    "PROGRESS",
    "RESET_LIMIT",
    "RUN_LIMIT",
    "SHORT_CYCLING",
    "START_LIMIT",
    "WINDOW_DAYS",
    "DayRecord",
    "GapTracker",
    "HealthReport",
    "HealthSettings",
    "HealthState",
    "Sample",
    "assess",
    "next_change",
    "observe",
    "observe_outdoor",
    "record_reset",
    "relearn",
    "short_cycling_repair",
    "suspend",
]
