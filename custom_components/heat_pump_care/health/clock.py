"""Time helpers: aware instants and local calendar days.

Instants are handled in UTC so that differences are real elapsed time (Python
subtracts two datetimes that share a ``tzinfo`` by wall clock, which is wrong
across daylight-saving changes). Days are local dates in the zone passed in.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache


def as_utc(moment: datetime) -> datetime:
    """Return ``moment`` in UTC; raise ``ValueError`` for a naive datetime."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        msg = f"naive datetime not allowed: {moment!r}"
        raise ValueError(msg)
    return moment.astimezone(UTC)


def local_date(moment: datetime, tz: tzinfo) -> date:
    """Return the local calendar date of the aware instant ``moment`` in ``tz``."""
    return as_utc(moment).astimezone(tz).date()


def next_local_midnight(moment: datetime, tz: tzinfo) -> datetime:
    """Return the first instant (UTC) after ``moment`` that is on a later local day.

    Both readings (``fold`` 0 and 1) of the next two local midnights are
    tried, and only those that really fall on a later local date count: where
    a daylight-saving change skips midnight (00:00 becomes 01:00), one reading
    of the missing 00:00 lands on the evening before, and the day really
    begins at 01:00; where midnight happens twice, the first one turns the day.
    """
    start = as_utc(moment)
    return _day_after(start.astimezone(tz).date(), tz)


@lru_cache(maxsize=8)
def _day_after(today: date, tz: tzinfo) -> datetime:
    """Return the instant (UTC) the local day after ``today`` begins.

    Asked on every sample of every heat pump: remembered per day and zone.
    """
    candidates = (
        datetime.combine(
            today + timedelta(days=offset), time(fold=fold), tzinfo=tz
        ).astimezone(UTC)
        for offset in (1, 2)
        for fold in (0, 1)
    )
    return min(
        candidate for candidate in candidates if candidate.astimezone(tz).date() > today
    )
