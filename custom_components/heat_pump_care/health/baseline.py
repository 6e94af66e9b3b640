"""The unit's own run time per degree day, learned, and drift away from it.

A fixed norm cannot say whether a heat pump needs more run time than it used
to: houses and units differ by a factor of several. So the first
``baseline_days`` heating days (cold enough for degree days, and the heating
ran) after installation or after a professional service teach the unit's own
figure: all their heating hours over all their degree days. Later, each
complete day, the 7-day figure is compared with that baseline; when it stays
more than ``efficiency_drop_percent`` above it on ``efficiency_drop_days``
consecutive days, something makes the unit work harder for the same weather
(a clogged filter, a dirty outdoor coil, low refrigerant).

Degree days depend on their base temperature, so a baseline learned on one
base is useless on another: a change of base starts learning again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from .codec import (
    iso,
    iso_date,
    read_bool,
    read_count,
    read_mapping,
    read_number,
    read_opt_date,
    read_opt_instant,
    read_opt_number,
)
from .days import WINDOW_DAYS, DayRecord, degree_day_figure, is_heating_day
from .settings import HealthSettings

_HOUR = 3600.0
_KEYS = frozenset(
    {
        "base",
        "learn_from",
        "hours",
        "degree_days",
        "days",
        "value",
        "checked_through",
        "drop_days",
        "drop",
        "drop_since",
    }
)


@dataclass(slots=True)
class Baseline:
    """Learning state, the learned baseline and the efficiency-drop flag.

    ``base``: the degree-day base the sums were taken on; ``learn_from``: the
    first day that may count (after a service, the next day: the service
    day's run time is partly from before it); ``hours`` / ``degree_days`` /
    ``days``: sums over the heating days learned so far; ``value``: the
    baseline once learned; ``checked_through``: the last complete day already
    folded in and compared; ``drop_days``: consecutive complete days above the
    limit; ``drop`` / ``drop_since``: the sticky problem flag.
    """

    base: float | None = None
    learn_from: date | None = None
    hours: float = 0.0
    degree_days: float = 0.0
    days: int = 0
    value: float | None = None
    checked_through: date | None = None
    drop_days: int = 0
    drop: bool = False
    drop_since: datetime | None = None

    def restart(self, learn_from: date | None, base: float | None) -> None:
        """Forget the baseline and the problem; learn from ``learn_from`` on."""
        self.base = base
        self.learn_from = learn_from
        self.hours = self.degree_days = 0.0
        self.days = self.drop_days = 0
        self.value = None
        self.drop = False
        self.drop_since = None

    def to_dict(self) -> dict[str, Any]:
        """Return the stored form."""
        return {
            "base": self.base,
            "learn_from": iso_date(self.learn_from),
            "hours": self.hours,
            "degree_days": self.degree_days,
            "days": self.days,
            "value": self.value,
            "checked_through": iso_date(self.checked_through),
            "drop_days": self.drop_days,
            "drop": self.drop,
            "drop_since": iso(self.drop_since),
        }

    @classmethod
    def from_dict(cls, data: object) -> Baseline:
        """Rebuild the state stored by ``to_dict``."""
        raw = read_mapping(data, "baseline", _KEYS)
        made = cls(
            base=read_opt_number(raw["base"], "baseline base"),
            learn_from=read_opt_date(raw["learn_from"], "baseline learn_from"),
            hours=read_number(raw["hours"], "baseline hours", minimum=0.0),
            degree_days=read_number(
                raw["degree_days"], "baseline degree_days", minimum=0.0
            ),
            days=read_count(raw["days"], "baseline days"),
            value=read_opt_number(raw["value"], "baseline value"),
            checked_through=read_opt_date(raw["checked_through"], "baseline checked"),
            drop_days=read_count(raw["drop_days"], "baseline drop_days"),
            drop=read_bool(raw["drop"], "baseline drop"),
            drop_since=read_opt_instant(raw["drop_since"], "baseline drop_since"),
        )
        if made.drop != (made.drop_since is not None):
            msg = "baseline: drop and drop_since disagree"
            raise ValueError(msg)
        if made.value is not None and made.value < 0:
            msg = "baseline value must not be negative"
            raise ValueError(msg)
        return made


def _learn(baseline: Baseline, days_needed: int) -> None:
    """Fix the baseline once enough heating days are in."""
    if (
        baseline.value is None
        and baseline.days >= days_needed
        and baseline.degree_days > 0
    ):
        baseline.value = baseline.hours / baseline.degree_days


def update(
    baseline: Baseline,
    days: Mapping[date, DayRecord],
    *,
    today: date,
    moment: datetime,
    tz: tzinfo,
    settings: HealthSettings,
) -> None:
    """Fold in and compare every complete day not yet seen, then set the flag.

    Normally that is yesterday, once, on the first call after midnight; after
    a longer pause, each of the up to 7 kept days in turn. A pause longer than
    the kept days breaks the run of consecutive days.
    """
    base = settings.degree_day_base
    if baseline.base is None:
        baseline.base = base
    elif baseline.base != base:
        baseline.restart(today, base)
    yesterday = today - timedelta(days=1)
    if baseline.checked_through is not None:
        day = baseline.checked_through + timedelta(days=1)
    else:
        day = min(days, default=today)
    oldest = today - timedelta(days=WINDOW_DAYS)
    if day < oldest:
        day = oldest
        baseline.drop_days = 0
    limit = 1 + settings.efficiency_drop_percent / 100
    while day <= yesterday:
        record = days.get(day)
        if (
            baseline.value is None
            and baseline.days < settings.baseline_days
            and (baseline.learn_from is None or day >= baseline.learn_from)
            and record is not None
            and is_heating_day(record, day, tz, base)
        ):
            hdd = base - record.temp_sum / record.temp_time
            baseline.hours += record.heating / _HOUR
            baseline.degree_days += hdd
            baseline.days += 1
        _learn(baseline, settings.baseline_days)
        figure = degree_day_figure(days, day, tz, base)
        above = (
            baseline.value is not None
            and figure is not None
            and figure > baseline.value * limit
        )
        baseline.drop_days = baseline.drop_days + 1 if above else 0
        baseline.checked_through = day
        day += timedelta(days=1)
    _learn(baseline, settings.baseline_days)
    if not baseline.drop and baseline.drop_days >= settings.efficiency_drop_days:
        baseline.drop = True
        baseline.drop_since = moment
    elif baseline.drop and baseline.drop_days == 0:
        baseline.drop = False
        baseline.drop_since = None
