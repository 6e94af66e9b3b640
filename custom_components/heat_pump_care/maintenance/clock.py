"""Time helpers: aware instants and local calendar days.

Instants are handled in UTC so that differences are real elapsed time (Python
subtracts two datetimes that share a ``tzinfo`` by wall clock, which is wrong
across daylight-saving changes). Days are local dates in the given zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo


def as_utc(moment: datetime) -> datetime:
    """Return ``moment`` in UTC; raise ``ValueError`` for a naive datetime."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime not allowed: {moment!r}")
    return moment.astimezone(UTC)


def local_date(moment: datetime, tz: tzinfo) -> date:
    """Return the local calendar date of the aware instant ``moment`` in ``tz``."""
    return as_utc(moment).astimezone(tz).date()


def next_local_midnight(moment: datetime, tz: tzinfo) -> datetime:
    """Return the first local midnight in ``tz`` strictly after ``moment`` (UTC).

    Both readings (``fold`` 0 and 1) of the next two midnights are candidates,
    so a midnight that is skipped or repeated by a daylight-saving change still
    yields the instant the date turns over, and the result is always later
    than ``moment``. Only readings that really fall on a later local date
    count: where a change skips midnight (00:00 becomes 01:00), one reading of
    the missing 00:00 lands on the evening before.
    """
    start = as_utc(moment)
    day = start.astimezone(tz).date()
    candidates = (
        datetime.combine(
            day + timedelta(days=offset), time(fold=fold), tzinfo=tz
        ).astimezone(UTC)
        for offset in (1, 2)
        for fold in (0, 1)
    )
    return min(
        candidate
        for candidate in candidates
        if candidate > start and candidate.astimezone(tz).date() > day
    )
