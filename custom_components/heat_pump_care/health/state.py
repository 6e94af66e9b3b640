"""Everything the health core remembers about one heat pump.

The state is what the shell persists (``to_dict`` gives JSON types only) and
reads back at start-up. A round trip is exact: every figure computed from the
read-back state equals the one from the original, so a restart can neither
invent a run nor lose the day's counts. Memory is bounded by the limits
below whatever the thermostat reports; ``docs/health.md`` gives the figure.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from .baseline import Baseline
from .codec import (
    iso,
    iso_date,
    read_bool,
    read_date,
    read_instant,
    read_list,
    read_mapping,
    read_number,
    read_opt_date,
    read_opt_instant,
    read_opt_number,
    require_sorted,
)
from .days import DAY_LIMIT, DayRecord
from .gaps import GapTracker
from .sample import Sample, sample_from_dict, sample_to_dict

START_WINDOW = timedelta(hours=1)
RUN_WINDOW = timedelta(hours=24)
RESET_WINDOW = timedelta(days=30)

START_LIMIT = 60
"""Starts kept for the rolling hour (one a minute); the count saturates here."""

RUN_LIMIT = 288
"""Finished runs kept for the 24-hour median: one every 5 minutes, the
anti-short-cycle delay of outdoor-unit control boards. A faster-flapping
thermostat gets the median of its latest 288 runs."""

RESET_LIMIT = 60
"""Safe resets kept for the 30-day count (two a day)."""

_KEYS = frozenset(
    {
        "clock",
        "last",
        "blind",
        "outdoor",
        "run_start",
        "run_seconds",
        "days",
        "starts",
        "runs",
        "resets",
        "gaps",
        "cleared_at",
        "short_cycling",
        "short_cycling_since",
        "cycling_first",
        "cycling_last",
        "not_keeping_up",
        "not_keeping_up_since",
        "baseline",
    }
)


def _starts() -> deque[datetime]:
    return deque(maxlen=START_LIMIT)


def _runs() -> deque[tuple[datetime, float]]:
    return deque(maxlen=RUN_LIMIT)


def _resets() -> deque[datetime]:
    return deque(maxlen=RESET_LIMIT)


@dataclass(slots=True)
class HealthState:
    """The health memory of one heat pump; instants are UTC.

    ``clock``: the instant everything is accounted up to. ``last``: the last
    thermostat sample; ``blind``: Home Assistant stopped since (``suspend``)
    and no action is known yet, so no time is counted. ``outdoor``: the
    outdoor temperature in force. ``run_start`` / ``run_seconds``: the run
    under way and its counted length. ``days``: per local day figures.
    ``starts`` (rolling hour), ``runs`` (end, seconds; last 24 h) and
    ``resets`` (30 days): ring buffers. ``gaps``: the not-keeping-up streak;
    ``cleared_at``: the last time a run ended, turned the other way or reached
    its target (what switches not keeping up off). The problem flags with
    their since-instants, and ``cycling_first`` / ``cycling_last``: the run of
    consecutive local days with short cycling. ``baseline``: degree-day
    learning and the efficiency-drop flag.
    """

    clock: datetime | None = None
    last: Sample | None = None
    blind: bool = False
    outdoor: float | None = None
    run_start: datetime | None = None
    run_seconds: float = 0.0
    days: dict[date, DayRecord] = field(default_factory=dict)
    starts: deque[datetime] = field(default_factory=_starts)
    runs: deque[tuple[datetime, float]] = field(default_factory=_runs)
    resets: deque[datetime] = field(default_factory=_resets)
    gaps: GapTracker = field(default_factory=GapTracker)
    cleared_at: datetime | None = None
    short_cycling: bool = False
    short_cycling_since: datetime | None = None
    cycling_first: date | None = None
    cycling_last: date | None = None
    not_keeping_up: bool = False
    not_keeping_up_since: datetime | None = None
    baseline: Baseline = field(default_factory=Baseline)

    @classmethod
    def empty(cls) -> HealthState:
        """Return a state with nothing observed yet."""
        return cls()

    @property
    def running(self) -> bool:
        """Whether a run is under way and its time is being counted."""
        return self.run_start is not None and not self.blind

    def day(self, day: date) -> DayRecord:
        """Return the record of a local day, created when first needed."""
        record = self.days.get(day)
        if record is None:
            record = self.days[day] = DayRecord()
        return record

    def to_dict(self) -> dict[str, Any]:
        """Return the stored form: JSON types only, instants in UTC ISO."""
        return {
            "clock": iso(self.clock),
            "last": None if self.last is None else sample_to_dict(self.last),
            "blind": self.blind,
            "outdoor": self.outdoor,
            "run_start": iso(self.run_start),
            "run_seconds": self.run_seconds,
            "days": {
                day.isoformat(): record.to_dict()
                for day, record in sorted(self.days.items())
            },
            "starts": [iso(at) for at in self.starts],
            "runs": [[iso(end), seconds] for end, seconds in self.runs],
            "resets": [iso(at) for at in self.resets],
            "gaps": self.gaps.to_dict(),
            "cleared_at": iso(self.cleared_at),
            "short_cycling": self.short_cycling,
            "short_cycling_since": iso(self.short_cycling_since),
            "cycling_first": iso_date(self.cycling_first),
            "cycling_last": iso_date(self.cycling_last),
            "not_keeping_up": self.not_keeping_up,
            "not_keeping_up_since": iso(self.not_keeping_up_since),
            "baseline": self.baseline.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: object) -> HealthState:
        """Rebuild the state stored by ``to_dict``.

        Raises ``TypeError`` or ``ValueError`` on anything else: a missing or
        unknown key, a wrong type, a naive or unordered instant, more items
        than a ring buffer holds, a flag without its since-instant.
        """
        raw = read_mapping(data, "health state", _KEYS)
        state = cls(
            clock=read_opt_instant(raw["clock"], "clock"),
            last=None if raw["last"] is None else sample_from_dict(raw["last"]),
            blind=read_bool(raw["blind"], "blind"),
            outdoor=read_opt_number(raw["outdoor"], "outdoor"),
            run_start=read_opt_instant(raw["run_start"], "run_start"),
            run_seconds=read_number(raw["run_seconds"], "run_seconds", minimum=0.0),
            days=_read_days(raw["days"]),
            gaps=GapTracker.from_dict(raw["gaps"]),
            cleared_at=read_opt_instant(raw["cleared_at"], "cleared_at"),
            short_cycling=read_bool(raw["short_cycling"], "short_cycling"),
            short_cycling_since=read_opt_instant(
                raw["short_cycling_since"], "short_cycling_since"
            ),
            cycling_first=read_opt_date(raw["cycling_first"], "cycling_first"),
            cycling_last=read_opt_date(raw["cycling_last"], "cycling_last"),
            not_keeping_up=read_bool(raw["not_keeping_up"], "not_keeping_up"),
            not_keeping_up_since=read_opt_instant(
                raw["not_keeping_up_since"], "not_keeping_up_since"
            ),
            baseline=Baseline.from_dict(raw["baseline"]),
        )
        state.starts.extend(_read_instants(raw["starts"], "starts", START_LIMIT))
        state.resets.extend(_read_instants(raw["resets"], "resets", RESET_LIMIT))
        state.runs.extend(_read_runs(raw["runs"]))
        _check(state)
        return state


def _read_days(value: object) -> dict[date, DayRecord]:
    """Read the per-day records (a mapping of ISO date to record)."""
    if not isinstance(value, dict):
        msg = "days must be a mapping"
        raise TypeError(msg)
    if len(value) > DAY_LIMIT:
        msg = f"days holds more than {DAY_LIMIT} days"
        raise ValueError(msg)
    return {
        read_date(key, "days key"): DayRecord.from_dict(record, f"day {key}")
        for key, record in value.items()
    }


def _read_instants(value: object, what: str, limit: int) -> list[datetime]:
    """Read a time-ordered list of instants."""
    instants = [read_instant(item, what) for item in read_list(value, what, limit)]
    require_sorted(instants, what)
    return instants


def _read_runs(value: object) -> list[tuple[datetime, float]]:
    """Read the finished runs: [end, seconds] pairs in time order."""
    runs: list[tuple[datetime, float]] = []
    for item in read_list(value, "runs", RUN_LIMIT):
        pair = read_list(item, "run", 2)
        if len(pair) != 2:
            msg = "a run must be [end, seconds]"
            raise ValueError(msg)
        runs.append(
            (
                read_instant(pair[0], "run end"),
                read_number(pair[1], "run seconds", minimum=0.0),
            )
        )
    require_sorted([end for end, _ in runs], "runs")
    return runs


def _check(state: HealthState) -> None:
    """Reject combinations that ``to_dict`` never writes."""
    for flag, since, name in (
        (state.short_cycling, state.short_cycling_since, "short_cycling"),
        (state.not_keeping_up, state.not_keeping_up_since, "not_keeping_up"),
    ):
        if flag != (since is not None):
            msg = f"{name} and its since-instant disagree"
            raise ValueError(msg)
    if (state.cycling_first is None) != (state.cycling_last is None) or (
        state.cycling_first is not None
        and state.cycling_last is not None
        and state.cycling_first > state.cycling_last
    ):
        msg = "cycling_first and cycling_last do not form a run of days"
        raise ValueError(msg)
    if state.run_start is None and state.run_seconds:
        msg = "run_seconds without a run"
        raise ValueError(msg)
