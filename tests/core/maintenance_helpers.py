"""Builders shared by the maintenance-core tests: the clock and seeded states."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from custom_components.heat_pump_care.maintenance import (
    MaintenanceConfig,
    MaintenanceState,
    TaskKey,
    apply_seeds,
)

AMS = ZoneInfo("Europe/Amsterdam")
HOUR = 3600.0
FIL, SRV, CDR, ODU = (
    TaskKey.FILTER,
    TaskKey.SERVICE,
    TaskKey.CONDENSATE_DRAIN,
    TaskKey.OUTDOOR_UNIT,
)
BASE = MaintenanceConfig({FIL: 90, SRV: 365})
SEEDED = date(2025, 1, 1)  # with BASE: filter due 2025-04-01, service 2026-01-01


def noon(day: date, tz: tzinfo = AMS) -> datetime:
    """Return noon of ``day`` in ``tz``."""
    return datetime(day.year, day.month, day.day, 12, tzinfo=tz)


def seeded(**dates: date) -> MaintenanceState:
    """Return a new state seeded with these dates (built-in tasks keyed by TaskKey)."""
    state = MaintenanceState.empty()
    apply_seeds(
        state,
        {(TaskKey(key) if key in TaskKey else key): day for key, day in dates.items()},
    )
    return state
