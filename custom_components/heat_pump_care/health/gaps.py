"""How long the room has stayed behind the target without catching up.

"Not keeping up" needs, for the owner's threshold θ: how long the unit has
run with the room at least θ from the target the whole time and the gap not
closing. The threshold is a setting that ``observe`` does not get, so the
tracker keeps the answer for every θ at once, in constant memory:

* ``levels`` is a staircase of (since, g): since ``since`` the gap has been at
  least ``g``; ``g`` rises strictly from step to step and ``since`` too. A new
  reading g' removes the steps at or above g' (the gap came down to g') and
  adds (earliest removed since, g'). The streak for θ then starts at the first
  step with g ≥ θ.
* Progress resets the staircase: when the gap has come down by more than
  ``PROGRESS`` from its worst (``peak``) since the last reset, the room is
  catching up and the clock starts again from that reading.

Gaps are rounded to ``STEP``; steps below the smallest θ allowed are never
asked for and are dropped, and so is every step above the first one that
reaches the largest θ. Hence at most ``LEVEL_LIMIT`` steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from typing import Any

from .codec import (
    iso,
    read_instant,
    read_list,
    read_mapping,
    read_number,
    read_opt_number,
    require_sorted,
)
from .settings import HEALTH_RANGES

STEP = 0.1
"""°C: gaps are compared at the resolution most thermostats report."""

PROGRESS = 0.5
"""°C: closing by more than this from the worst gap counts as catching up.

"More than" matters for thermostats that report in 0.5 °C steps: a reading
flickering between two steps is not progress, two steps down is.
"""

GAP_MIN, GAP_MAX = HEALTH_RANGES["not_keeping_up_gap"]
LEVEL_LIMIT = round((GAP_MAX - GAP_MIN) / STEP) + 1
"""Worst-case number of steps (46 for thresholds 0.5 to 5.0 °C)."""

_EPS = 1e-9
_KEYS = frozenset({"peak", "levels"})


@dataclass(slots=True)
class GapTracker:
    """The staircase of the current run's gap (see the module docstring)."""

    peak: float | None = None
    levels: list[tuple[datetime, float]] = field(default_factory=list)

    def reset(self) -> None:
        """Forget the streak (new run, new target, target reached, restart)."""
        self.peak = None
        self.levels.clear()

    def add(self, at: datetime, gap: float) -> None:
        """Take the gap read at ``at`` (UTC, not before the last reading)."""
        value = round(gap, 1)
        if self.peak is None or value < self.peak - PROGRESS - _EPS:
            self.peak = value
            self.levels.clear()
        else:
            self.peak = max(self.peak, value)
        since = at
        while self.levels and self.levels[-1][1] >= value - _EPS:
            since = self.levels.pop()[0]
        if value < GAP_MIN - _EPS:
            return
        if self.levels and self.levels[-1][1] >= GAP_MAX - _EPS:
            return
        self.levels.append((since, value))

    def since(self, threshold: float) -> datetime | None:
        """Since when the gap has stayed at least ``threshold`` without closing."""
        for at, value in self.levels:
            if value >= threshold - _EPS:
                return at
        return None

    def to_dict(self) -> dict[str, Any]:
        """Return the stored form."""
        return {
            "peak": self.peak,
            "levels": [[iso(at), value] for at, value in self.levels],
        }

    @classmethod
    def from_dict(cls, data: object) -> GapTracker:
        """Rebuild a tracker stored by ``to_dict``; check the staircase shape."""
        raw = read_mapping(data, "gaps", _KEYS)
        levels: list[tuple[datetime, float]] = []
        for item in read_list(raw["levels"], "gaps levels", LEVEL_LIMIT):
            pair = read_list(item, "gaps level", 2)
            if len(pair) != 2:
                msg = "gaps level must be [since, gap]"
                raise ValueError(msg)
            levels.append(
                (
                    read_instant(pair[0], "gaps level since"),
                    read_number(pair[1], "gaps level gap", minimum=GAP_MIN - _EPS),
                )
            )
        require_sorted([at for at, _ in levels], "gaps levels")
        values = [value for _, value in levels]
        if any(b <= a for a, b in pairwise(values)):
            msg = "gaps levels must rise"
            raise ValueError(msg)
        peak = read_opt_number(raw["peak"], "gaps peak")
        if levels and (peak is None or peak < values[-1]):
            msg = "gaps peak is below a level"
            raise ValueError(msg)
        return cls(peak=peak, levels=levels)
