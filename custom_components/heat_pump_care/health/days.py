"""Per local day figures: counts, run time and the day's degree days.

Counts belong to the local calendar day in the owner's time zone, so a day is
23 or 25 hours long on daylight-saving changes; time is split at the local
midnights that really occur. Degree days compare hours of heating with how
cold it was, so both must cover the same part of the day: a day is used only
when the thermostat's action and the outdoor temperature were both known for
at least ``COVERAGE`` of it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
import math
from typing import Any

from .clock import next_local_midnight
from .codec import read_count, read_mapping, read_number

DAY_LIMIT = 8
"""Local days kept: today and the 7 complete days of the 7-day figures."""

WINDOW_DAYS = 7
"""Complete days in the run time per degree day figure."""

COVERAGE = 0.9
"""Share of a day that thermostat and outdoor data must both cover."""

_HOUR = 3600.0

_DAY_KEYS = frozenset(
    {
        "cycles",
        "defrosts",
        "runtime",
        "heating",
        "watched",
        "temp_sum",
        "temp_time",
    }
)


@dataclass(slots=True)
class DayRecord:
    """What happened on one local day.

    ``cycles`` runs started, ``defrosts`` defrost episodes begun; seconds:
    ``runtime`` inside a run, ``heating`` inside a heating run, ``watched``
    with the thermostat's action known; ``temp_sum`` is the integral of the
    outdoor temperature (°C·s) over the ``temp_time`` seconds it was known.
    """

    cycles: int = 0
    defrosts: int = 0
    runtime: float = 0.0
    heating: float = 0.0
    watched: float = 0.0
    temp_sum: float = 0.0
    temp_time: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return the stored form."""
        return {
            "cycles": self.cycles,
            "defrosts": self.defrosts,
            "runtime": self.runtime,
            "heating": self.heating,
            "watched": self.watched,
            "temp_sum": self.temp_sum,
            "temp_time": self.temp_time,
        }

    @classmethod
    def from_dict(cls, data: object, what: str) -> DayRecord:
        """Rebuild a record stored by ``to_dict``."""
        raw = read_mapping(data, what, _DAY_KEYS)
        return cls(
            cycles=read_count(raw["cycles"], f"{what} cycles"),
            defrosts=read_count(raw["defrosts"], f"{what} defrosts"),
            runtime=read_number(raw["runtime"], f"{what} runtime", minimum=0.0),
            heating=read_number(raw["heating"], f"{what} heating", minimum=0.0),
            watched=read_number(raw["watched"], f"{what} watched", minimum=0.0),
            temp_sum=read_number(raw["temp_sum"], f"{what} temp_sum"),
            temp_time=read_number(raw["temp_time"], f"{what} temp_time", minimum=0.0),
        )


def day_start(day: date, tz: tzinfo) -> datetime:
    """Return the first instant (UTC) of the local ``day``.

    Found as the local midnight that follows noon of the day before, so a day
    whose midnight is skipped by a daylight-saving change still has a start.
    """
    noon = datetime.combine(day - timedelta(days=1), time(12), tzinfo=tz)
    return next_local_midnight(noon, tz)


def day_seconds(day: date, tz: tzinfo) -> float:
    """Return the length of the local ``day`` in seconds (82 800 to 90 000)."""
    start = day_start(day, tz)
    return (next_local_midnight(start, tz) - start).total_seconds()


def split_days(
    start: datetime, end: datetime, tz: tzinfo
) -> Iterator[tuple[date, float]]:
    """Yield (local day, seconds) for the part of [start, end) on each day."""
    moment = start
    while moment < end:
        boundary = min(next_local_midnight(moment, tz), end)
        yield moment.astimezone(tz).date(), (boundary - moment).total_seconds()
        moment = boundary


def heating_degree_days(
    record: DayRecord, day: date, tz: tzinfo, base: float
) -> float | None:
    """Return the day's heating degree days, ``None`` without enough data.

    HDD = max(0, base - the time-weighted mean outdoor temperature).
    """
    needed = COVERAGE * day_seconds(day, tz)
    if record.temp_time < needed or record.watched < needed:
        return None
    return max(0.0, base - record.temp_sum / record.temp_time)


def is_heating_day(record: DayRecord, day: date, tz: tzinfo, base: float) -> bool:
    """Whether the day counts towards the baseline (cold, and heating ran)."""
    hdd = heating_degree_days(record, day, tz, base)
    return hdd is not None and hdd > 0 and record.heating > 0


def degree_day_figure(
    days: Mapping[date, DayRecord], last: date, tz: tzinfo, base: float
) -> float | None:
    """Hours of heating per heating degree day over the 7 days up to ``last``.

    A pooled ratio (all hours over all degree days) rather than a mean of
    daily ratios, so a mild day with a fraction of a degree day cannot blow
    the figure up. Days without enough data are left out; ``None`` when no
    day is left or the days had no degree days at all.
    """
    hours: list[float] = []
    degree_days: list[float] = []
    for offset in range(WINDOW_DAYS):
        day = last - timedelta(days=offset)
        record = days.get(day)
        if record is None:
            continue
        hdd = heating_degree_days(record, day, tz, base)
        if hdd is not None:
            hours.append(record.heating / _HOUR)
            degree_days.append(hdd)
    total = math.fsum(degree_days)
    if total <= 0:
        return None
    return math.fsum(hours) / total
